"""The operator loop and its protocols (layer 2: knows protocols, never concrete backends)."""

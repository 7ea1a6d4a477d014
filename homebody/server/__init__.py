"""The local HTTP endpoint (layer 3, a composition root)."""

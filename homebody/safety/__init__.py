"""The pre-commit checker: judges actions before they reach the page (layer 1)."""

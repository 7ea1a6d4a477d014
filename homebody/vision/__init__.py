"""Brains (what to do next) and pixel-level perception (layer 1)."""

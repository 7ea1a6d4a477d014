"""Computers (browser, desktop), profiles and recordings (layer 1)."""

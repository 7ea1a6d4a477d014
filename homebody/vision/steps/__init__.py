"""The embedded steps brain: plain-English steps (grammar, ops), found on screen (locate), run one at a time (brain)."""

"""The X11 desktop computer: the computer itself, key names, the pointer (with its fail-safe corner
and the watch for a person's hand) and the live screen capture."""

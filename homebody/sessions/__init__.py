"""Computers and what belongs to a session (layer 1).

``browser/`` (the Chromium computer: launch, remote tab, input, probe, redaction, select menu,
sign-in, screencast), ``desktop/`` (the X11 computer: keys, pointer, capture), ``live`` (the frame hub
that live viewers subscribe to), ``profiles`` (named browser profiles and their lock), ``closing``
(ending things under a time limit without raising).
"""

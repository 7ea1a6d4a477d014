"""The effect gate in the browser: what the agent's actions would send is held before it leaves.

``describe.py`` (and ``masking.py``) say what a request or WebSocket message would send, by names
only; ``network.py`` (each tab's and cross-origin frame's requests), ``newtab.py`` (a new tab's
first request) and ``websocket.py`` intercept; ``holds.py`` keeps what is
held until the user answers; ``gate.py`` puts them together for one browser session.
"""

"""Holding WebSocket messages, which network interception never sees.

Most web chat apps send a message as a WebSocket frame on a socket opened long before. A script
installed in every frame before the page's own (``websocket.js``) wraps ``WebSocket.prototype.send``
so that each message is put to the screen through a binding first: the app's heartbeats and acks
go on (the screen learns their shape while no action runs), a message that an action causes is
held like a request.

Covered: text and binary messages sent with ``WebSocket.send`` from any frame of the session,
including cross-origin frames and tabs the page opens. Not covered: a page that deliberately gets
an unwrapped ``send`` (from a frame it creates and uses before homebody's script runs there),
messages sent by a worker (a Web Worker or SharedWorker has no homebody script), WebTransport and
WebRTC data channels. The handshake itself is a GET and goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from homebody.protocols import EffectScreen
from homebody.sessions.browser.effects.describe import describe_message, message_shape
from homebody.sessions.browser.effects.holds import Holds
from homebody.sessions.browser.effects.network import screen_and_hold
from homebody.sessions.browser.scripts import bundled

BINDING = "__homebodySend"


class SocketHold:
    """The binding behind ``websocket.js``: screens each message, holds what the screen halts."""

    def __init__(self, screen: EffectScreen, holds: Holds, mine: Callable[[Page], bool]) -> None:
        self._screen = screen
        self._holds = holds
        self._mine = mine

    async def install(self, context: BrowserContext) -> None:
        await context.expose_binding(BINDING, self._on_send)
        await context.add_init_script(script=bundled("websocket.js", __package__))

    async def _on_send(self, source: dict[str, Any], url: object, data: object, size: object) -> bool:
        page = source.get("page")
        if page is not None and not self._mine(page):
            return True  # a tab of the user's own, in a borrowed browser
        frame = source.get("frame")
        try:
            frame_url, top_level = (frame.url, frame.parent_frame is None) if frame is not None else ("", True)
        except PlaywrightError:
            frame_url, top_level = "", True
        text = data if isinstance(data, str) else None
        length = size if isinstance(size, int) and size >= 0 else len(text or "")
        out = describe_message(url=str(url), data=text, size=length, frame_url=frame_url, top_level=top_level)
        return await screen_and_hold(self._screen, self._holds, out, message_shape(text, length))

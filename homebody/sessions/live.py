"""The live view's frame hub: one publisher (the agent's screen), any number of viewers.

Every subscriber owns ONE latest-frame slot. Publishing overwrites the slot (counting the frame it
replaces as dropped) and wakes the subscriber, so a slow viewer only ever loses frames: it can
never hold back the publisher (the screencast, the capture thread, the agent) or another viewer.
Frames carry an increasing sequence number and their capture time (epoch seconds).

The hub lives on one event loop: ``publish`` runs on that loop's thread; capture threads use
``publish_threadsafe``, which coalesces frames the loop has not picked up yet (latest wins), so a
busy loop cannot pile frames up in memory either.

    hub = FrameHub()
    async with hub.subscribe() as sub:
        async for frame in sub:
            await websocket.send_bytes(frame.data)

The sources that feed a hub (the browser screencast, the desktop capture loop) are in
``homebody.sessions.browser.screencast`` and ``homebody.sessions.desktop.capture``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field

from homebody.types import Size

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LiveFrame:
    """One frame of the live view: a JPEG, its pixel size, its capture time and its place in line."""

    seq: int
    ts: float
    data: bytes = field(repr=False)
    width: int
    height: int


class Subscription:
    """One viewer's slot. Iterate it (``async for``) to receive the newest frame each time.

    Iteration ends when the subscription or its hub is closed. Use it as an async context manager
    (or call ``close``) so the hub forgets it when the viewer leaves.
    """

    def __init__(self, hub: FrameHub) -> None:
        self._hub = hub
        self._slot: LiveFrame | None = None
        self._wake = asyncio.Event()
        self._closed = False
        #: frames handed to this viewer
        self.delivered = 0
        #: frames replaced in the slot before this viewer took them (it was too slow for them)
        self.dropped = 0

    @property
    def closed(self) -> bool:
        return self._closed

    def _offer(self, frame: LiveFrame) -> None:
        if self._closed:
            return
        if self._slot is not None:
            self.dropped += 1
        self._slot = frame
        self._wake.set()

    def close(self) -> None:
        """Stop this subscription: a waiting ``async for`` ends. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._slot = None
        self._wake.set()
        self._hub._forget(self)

    async def next(self, wait_s: float | None = None) -> LiveFrame | None:
        """The next frame, or None once closed (or when ``wait_s`` seconds pass without one)."""
        try:
            async with asyncio.timeout(wait_s):
                return await self.__anext__()
        except (StopAsyncIteration, TimeoutError):
            return None

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> LiveFrame:
        while self._slot is None:
            if self._closed:
                raise StopAsyncIteration
            self._wake.clear()
            await self._wake.wait()
        frame, self._slot = self._slot, None
        self.delivered += 1
        return frame

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class FrameHub:
    """Fan-out of the newest frame to every subscriber; see the module docstring."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop
        self._subs: list[Subscription] = []
        self._latest: LiveFrame | None = None
        self._seq = 0
        self._closed = False
        self._lock = threading.Lock()  # guards only the cross-thread hand-over slot below
        self._handover: tuple[bytes, int, int, float] | None = None
        #: frames published
        self.published = 0
        #: frames from capture threads replaced before the loop picked them up
        self.coalesced = 0

    @property
    def latest(self) -> LiveFrame | None:
        return self._latest

    @property
    def subscribers(self) -> int:
        return len(self._subs)

    @property
    def closed(self) -> bool:
        return self._closed

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Tie the hub to the loop its subscribers run on (done by ``publish``/``subscribe`` too)."""
        self._loop = loop

    def _bind_running(self) -> None:
        if self._loop is None:
            try:
                self._loop = asyncio.get_running_loop()
            except RuntimeError:
                pass  # not inside a loop: a later call on the loop binds it

    def subscribe(self) -> Subscription:
        """A new subscription; it holds the current latest frame at once, if there is one."""
        self._bind_running()
        sub = Subscription(self)
        if self._closed:
            sub.close()
            return sub
        self._subs.append(sub)
        if self._latest is not None:
            sub._offer(self._latest)
        return sub

    def publish(self, data: bytes, width: int, height: int, ts: float | None = None) -> LiveFrame:
        """Number the frame and put it in every subscriber's slot. Never waits. Call it on the
        hub's loop thread (``publish_threadsafe`` from any other thread)."""
        self._bind_running()
        self._seq += 1
        frame = LiveFrame(self._seq, time.time() if ts is None else ts, data, width, height)
        if self._closed:
            return frame
        self._latest = frame
        self.published += 1
        for sub in self._subs:
            sub._offer(frame)
        return frame

    def publish_threadsafe(self, data: bytes, width: int, height: int, ts: float | None = None) -> None:
        """Hand a frame over from a capture thread; the loop publishes it soon after. A frame the
        loop has not published yet is replaced by the newer one. Dropped when no loop is bound."""
        item = (data, width, height, time.time() if ts is None else ts)
        loop = self._loop
        if loop is None or self._closed:
            log.debug("live frame dropped: the hub has no event loop yet, or is closed")
            return
        with self._lock:
            waiting = self._handover is not None
            if waiting:
                self.coalesced += 1
            self._handover = item
        if waiting:
            return  # the drain already scheduled will publish this newer frame
        try:
            loop.call_soon_threadsafe(self._drain)
        except RuntimeError:  # the loop is closed: nobody is watching any more
            with self._lock:
                self._handover = None

    def _drain(self) -> None:
        with self._lock:
            item, self._handover = self._handover, None
        if item is not None:
            self.publish(*item)

    def close(self) -> None:
        """End every subscription (their iteration stops); later subscriptions end at once."""
        self._closed = True
        for sub in list(self._subs):
            sub.close()
        self._subs.clear()

    def _forget(self, sub: Subscription) -> None:
        if sub in self._subs:
            self._subs.remove(sub)


def jpeg_size(data: bytes) -> Size | None:
    """Width and height from a JPEG's frame header, without decoding it (None if not a JPEG)."""
    if data[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 9 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        # SOF0..SOF15 hold the size; C4 (huffman), C8 (reserved) and CC (arithmetic) do not.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[i + 5 : i + 7], "big")
            width = int.from_bytes(data[i + 7 : i + 9], "big")
            return Size(width, height) if width and height else None
        i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
    return None

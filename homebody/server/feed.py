"""One task's events for its stream listeners: everything so far, then each new event as it happens.

The feed is an ``EventSink`` placed after the recorder, so a listener never sees an event that is
not on disk. A listener gets a snapshot of the history and its own queue in one step (no await in
between), so it misses nothing and sees nothing twice. A listener that falls far behind (a stalled
connection) is dropped rather than holding events in memory without bound.
"""

from __future__ import annotations

import asyncio
import logging

from homebody.events import Event
from homebody.types import Frame

log = logging.getLogger(__name__)

MAX_BEHIND = 10_000


class Listener:
    """One stream's view of the feed: ``history`` first, then ``next()`` until it returns None."""

    def __init__(self, feed: EventFeed, history: list[Event]) -> None:
        self.history = history
        self._feed = feed
        self._queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self.dropped = False

    def _offer(self, event: Event | None) -> None:
        if self.dropped:
            return
        if event is not None and self._queue.qsize() >= MAX_BEHIND:
            self.dropped = True
            log.warning("an event stream fell %d events behind: it is closed", MAX_BEHIND)
            event = None
        self._queue.put_nowait(event)

    async def next(self, timeout_s: float) -> Event | None:
        """The next event; None when the feed ended (or dropped this listener). TimeoutError
        after ``timeout_s`` without one (the stream sends a keep-alive then)."""
        async with asyncio.timeout(timeout_s):
            return await self._queue.get()

    def close(self) -> None:
        self._feed._listeners.discard(self)


class EventFeed:
    def __init__(self) -> None:
        self._history: list[Event] = []
        self._listeners: set[Listener] = set()
        self.closed = False

    async def emit(self, event: Event, frame: Frame | None = None) -> None:
        self._history.append(event)
        for listener in tuple(self._listeners):
            listener._offer(event)

    def listen(self) -> Listener:
        listener = Listener(self, list(self._history))
        if self.closed:
            listener._offer(None)
        else:
            self._listeners.add(listener)
        return listener

    def close(self) -> None:
        """The task ended: every listener gets the end after the events it has not read yet."""
        self.closed = True
        for listener in tuple(self._listeners):
            listener._offer(None)
        self._listeners.clear()

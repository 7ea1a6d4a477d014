"""Event sinks that the loop composes: fan-out to several sinks, and collecting in memory."""

from __future__ import annotations

from collections.abc import Sequence

from homebody.events import Event, EventSink
from homebody.types import Frame


class FanoutSink:
    """Sends every event to each sink in order (the recorder first: nothing unrecorded is shown)."""

    def __init__(self, sinks: Sequence[EventSink]) -> None:
        self._sinks = tuple(sinks)

    async def emit(self, event: Event, frame: Frame | None = None) -> None:
        for sink in self._sinks:
            await sink.emit(event, frame)


class MemorySink:
    """Keeps the events in a list: for tests and for callers that want the whole story."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    async def emit(self, event: Event, frame: Frame | None = None) -> None:
        self.events.append(event)

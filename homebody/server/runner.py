"""Running one task for the server: the task's live parts wired into the one task runner
(``homebody.compose.runner``).

The sinks run in this order: the recorder (nothing unrecorded is ever shown), the status tracker
(store and halt desk), then the event feed of the stream listeners. The live view is Chromium's
screencast, every frame redacted by the browser's own secret-field masking before any viewer gets
it (a frame that cannot be redacted is dropped).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

from homebody.compose.brains import BrainFactory
from homebody.compose.runner import FrontEnd, TaskPlan, run_task, task_dir
from homebody.config import Settings
from homebody.errors import HomebodyError
from homebody.events import Event, EventSink
from homebody.operator.control import TaskControl
from homebody.operator.takeover import Takeover
from homebody.server.desk import HaltDesk
from homebody.server.feed import EventFeed
from homebody.server.models import TaskRecord
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.browser.screencast import BrowserScreencast
from homebody.sessions.live import FrameHub
from homebody.types import Frame, TaskSpec

__all__ = ["LiveTask", "RunDeps", "Track", "run_live_task", "task_dir"]

log = logging.getLogger(__name__)

#: Called for every event after the recorder: updates the task's status (and opens the halt desk).
Track = Callable[["LiveTask", Event], Awaitable[None]]


@dataclass
class LiveTask:
    """A task this server process is running or will run: its record and its live parts."""

    record: TaskRecord
    order: int
    feed: EventFeed = field(default_factory=EventFeed)
    hub: FrameHub = field(default_factory=FrameHub)
    desk: HaltDesk = field(default_factory=HaltDesk)
    control: TaskControl = field(default_factory=TaskControl)
    takeover: Takeover | None = None
    runner: asyncio.Task[None] | None = None

    @property
    def id(self) -> str:
        return self.record.id


@dataclass(frozen=True)
class RunDeps:
    settings: Settings
    brains: BrainFactory
    track: Track
    #: With False a halt ends the task (nobody is asked): ``homebody demo --no-wait``.
    ask_on_halt: bool = True


class _TrackSink:
    def __init__(self, live: LiveTask, track: Track) -> None:
        self._live = live
        self._track = track

    async def emit(self, event: Event, frame: Frame | None = None) -> None:
        await self._track(self._live, event)


def plan_of(record: TaskRecord) -> TaskPlan:
    """The stored task as the runner takes it."""
    task = TaskSpec(
        task_id=record.id,
        instruction=record.instruction,
        start_url=record.start_url,
        brain=record.brain.kind,
        profile=record.profile,
        max_steps=record.max_steps,
        sites=record.sites,
        ask=record.ask,
    )
    return TaskPlan(task, record.brain, record.session)


async def run_live_task(live: LiveTask, deps: RunDeps) -> None:
    """Run ``live`` to its end; every way it can end is a ``finished`` event in its recording."""

    def live_view(computer: BrowserComputer, sink: EventSink) -> AbstractAsyncContextManager[None]:
        return _live_view(live, deps.settings, computer, sink)

    front = FrontEnd(
        sinks=(_TrackSink(live, deps.track), live.feed),
        approver=live.desk if deps.ask_on_halt else None,
        control=live.control,
        live=live_view,
        stopped="the server stopped",
    )
    await run_task(deps.settings, plan_of(live.record), deps.brains, front)


@asynccontextmanager
async def _live_view(
    live: LiveTask, settings: Settings, computer: BrowserComputer, sink: EventSink
) -> AsyncIterator[None]:
    """The screencast and the takeover of ``live`` while its operator runs."""
    cast = BrowserScreencast(
        live.hub, lambda: computer.page, max_size=settings.viewport, transform=computer.live_redaction()
    )
    try:
        await cast.start()
    except HomebodyError as exc:  # the task can run without a live view
        log.warning("task %s: no live view: %s", live.id, exc)
    live.takeover = Takeover(live.id, computer, live.control, sink)
    try:
        yield
    finally:
        live.takeover = None
        await cast.stop()

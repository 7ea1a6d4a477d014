"""Running one task for the server: browser, recorder, live view, approvals and takeover, wired up.

The sinks run in this order: the recorder (nothing unrecorded is ever shown), the status tracker
(store and halt desk), then the event feed of the stream listeners. The live view is Chromium's
screencast, every frame redacted by the browser's own secret-field masking before any viewer gets
it (a frame that cannot be redacted is dropped).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from homebody.compose import build_operator
from homebody.config import Settings
from homebody.errors import HomebodyError
from homebody.events import Event, Finished
from homebody.operator.control import TaskControl
from homebody.operator.sinks import FanoutSink
from homebody.operator.takeover import Takeover
from homebody.operator.task import TaskSpec
from homebody.protocols import Brain
from homebody.recordings.recorder import Recorder
from homebody.server.brains import BrainFactory
from homebody.server.desk import HaltDesk
from homebody.server.feed import EventFeed
from homebody.server.models import TaskRecord
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.browser.screencast import BrowserScreencast
from homebody.sessions.live import FrameHub, jpeg_size
from homebody.types import Frame
from homebody.vision.pixels.ocr import OcrReader

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
    reader: OcrReader
    track: Track
    #: With False a halt ends the task (nobody is asked): ``homebody demo --no-wait``.
    ask_on_halt: bool = True


class _TrackSink:
    def __init__(self, live: LiveTask, track: Track) -> None:
        self._live = live
        self._track = track

    async def emit(self, event: Event, frame: Frame | None = None) -> None:
        await self._track(self._live, event)


def task_dir(settings: Settings, task_id: str) -> Path:
    return settings.tasks_dir / task_id


async def run_task(live: LiveTask, deps: RunDeps) -> None:
    """Run ``live`` to its end; every way it can end is a ``finished`` event in its recording."""
    record = live.record
    deps.settings.tasks_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    recorder = Recorder(task_dir(deps.settings, record.id))
    sink = FanoutSink([recorder, _TrackSink(live, deps.track), live.feed])
    try:
        try:
            brain = deps.brains.build(record.brain, record.instruction)
            computer = await BrowserComputer.open(deps.settings, profile=record.profile, ephemeral=record.ephemeral)
        except HomebodyError as exc:
            await sink.emit(Finished(task_id=record.id, outcome="failed", reason=f"could not start: {exc}"))
            return
        except asyncio.CancelledError:
            await sink.emit(Finished(task_id=record.id, outcome="interrupted", reason="the server stopped"))
            return
        async with computer:
            await _run_in(live, deps, computer, brain, sink)
    finally:
        recorder.close()


async def _run_in(live: LiveTask, deps: RunDeps, computer: BrowserComputer, brain: Brain, sink: FanoutSink) -> None:
    record = live.record
    cast = BrowserScreencast(
        live.hub, lambda: computer.page, max_size=deps.settings.viewport, transform=_redactor(computer, deps.settings)
    )
    try:
        await cast.start()
    except HomebodyError as exc:  # the task can run without a live view
        log.warning("task %s: no live view: %s", record.id, exc)
    live.takeover = Takeover(record.id, computer, live.control, sink)
    operator = build_operator(
        deps.settings,
        task_id=record.id,
        computer=computer,
        brain=brain,
        sink=sink,
        control=live.control,
        approver=live.desk if deps.ask_on_halt else None,
        reader=deps.reader,
    )
    spec = TaskSpec(
        task_id=record.id,
        instruction=record.instruction,
        start_url=record.start_url,
        brain=record.brain.kind,
        profile=record.profile,
        max_steps=record.max_steps,
    )
    try:
        started = time.perf_counter()
        result = await operator.run(spec)
        log.info("task %s %s after %.1f s", record.id, result.outcome, time.perf_counter() - started)
    finally:
        live.takeover = None
        await cast.stop()


def _redactor(computer: BrowserComputer, settings: Settings) -> Callable[[bytes], Awaitable[bytes]]:
    async def redact(data: bytes) -> bytes:
        size = jpeg_size(data)
        return await computer.redact_frame(data, size.width if size else settings.viewport.width)

    return redact

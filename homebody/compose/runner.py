"""The one task runner, for ``homebody run`` and the server alike.

It builds the brain, opens the browser (a profile, a throwaway one, or a tab of a remote Chromium),
records every event, runs the operator to the end and closes the browser. Every way a task can end
is a ``finished`` event in its recording, a task that could not start included. The front ends add
only what is theirs (``FrontEnd``): where events are shown besides the recording, who answers a
halt, and what wraps the run once the browser is open (the server's live view and takeover).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

from homebody.compose.brains import BrainFactory
from homebody.compose.build import build_operator
from homebody.compose.options import BrainIn, SessionIn
from homebody.config import Settings
from homebody.errors import HomebodyError
from homebody.events import EventSink, Finished, Outcome
from homebody.operator.control import TaskControl
from homebody.operator.sinks import FanoutSink
from homebody.operator.task import TaskResult
from homebody.protocols import Approver, Brain
from homebody.recordings.recorder import Recorder
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.browser.remote import attach
from homebody.types import TaskSpec
from homebody.vision.pixels.ocr import OcrReader

log = logging.getLogger(__name__)

#: Wraps the run once the browser is open, given the computer and the task's sink.
LiveHook = Callable[[BrowserComputer, EventSink], AbstractAsyncContextManager[None]]


@dataclass(frozen=True, slots=True)
class TaskPlan:
    """A task as a front end hands it over: its record, the brain to build, the browser to open.

    ``task.brain`` names the brain's kind until the runner has built it; the recording then names
    the brain itself (``openai:qwen3-vl``)."""

    task: TaskSpec
    brain: BrainIn
    session: SessionIn


@dataclass(frozen=True, slots=True)
class FrontEnd:
    """What a front end adds to a task. With no approver a halt ends the task (fails closed)."""

    sinks: Sequence[EventSink] = ()
    approver: Approver | None = None
    control: TaskControl | None = None
    live: LiveHook | None = None
    #: The reason recorded when the task is stopped before it could start.
    stopped: str = "interrupted"


@dataclass(frozen=True, slots=True)
class TaskRun:
    """How a task ended and where its recording is; ``started`` is False when it never got a browser."""

    result: TaskResult
    task_dir: Path
    started: bool


def task_dir(settings: Settings, task_id: str) -> Path:
    """Where a task's recording is (``events.jsonl`` and ``frames/``)."""
    return settings.tasks_dir / task_id


async def open_computer(settings: Settings, session: SessionIn) -> BrowserComputer:
    """The browser ``session`` names: a tab of a remote Chromium, a throwaway profile, or a named one."""
    if session.cdp_url is not None:
        return await attach(settings, session.cdp_url)
    return await BrowserComputer.open(settings, profile=session.profile_name, ephemeral=session.ephemeral)


async def run_task(settings: Settings, plan: TaskPlan, brains: BrainFactory, front: FrontEnd) -> TaskRun:
    """Run ``plan`` to its end: build, open, record, run, close (see the module doc)."""
    settings.tasks_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = task_dir(settings, plan.task.task_id)
    recorder = Recorder(folder)
    sink = FanoutSink([recorder, *front.sinks])
    try:
        try:
            brain = brains.build(plan.brain, plan.task.instruction)
            computer = await open_computer(settings, plan.session)
        except HomebodyError as exc:
            return TaskRun(await _end_early(sink, plan, "failed", f"could not start: {exc}"), folder, False)
        except asyncio.CancelledError:
            return TaskRun(await _end_early(sink, plan, "interrupted", front.stopped), folder, False)
        async with computer:
            result = await _run_in(settings, plan, brain, computer, sink=sink, front=front, reader=brains.reader)
        return TaskRun(result, folder, True)
    finally:
        recorder.close()


async def _end_early(sink: EventSink, plan: TaskPlan, outcome: Outcome, reason: str) -> TaskResult:
    await sink.emit(Finished(task_id=plan.task.task_id, outcome=outcome, reason=reason))
    return TaskResult(plan.task.task_id, outcome, reason)


async def _run_in(
    settings: Settings,
    plan: TaskPlan,
    brain: Brain,
    computer: BrowserComputer,
    *,
    sink: EventSink,
    front: FrontEnd,
    reader: OcrReader,
) -> TaskResult:
    spec = plan.task.model_copy(update={"brain": brain.name})
    live = front.live(computer, sink) if front.live is not None else contextlib.nullcontext()
    async with live:
        operator = build_operator(
            settings,
            task_id=spec.task_id,
            computer=computer,
            brain=brain,
            sink=sink,
            control=front.control,
            approver=front.approver,
            reader=reader,
            task=spec,
        )
        started = time.perf_counter()
        result = await operator.run(spec)
        log.info("task %s %s after %.1f s", spec.task_id, result.outcome, time.perf_counter() - started)
    return result

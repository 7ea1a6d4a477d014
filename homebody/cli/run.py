"""``homebody run``: one task on one browser, from the terminal (exit codes are a contract)."""

from __future__ import annotations

import asyncio
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from homebody.cli.approve import TerminalApprover
from homebody.cli.output import ConsoleSink, JsonLinesSink
from homebody.compose import build_operator
from homebody.config import Settings
from homebody.events import EventSink, Outcome
from homebody.operator.sinks import FanoutSink
from homebody.operator.task import TaskResult, TaskSpec, new_task_id
from homebody.protocols import Brain
from homebody.recordings.recorder import Recorder
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.browser.remote import attach
from homebody.vision.pixels.ocr import OcrReader

EXIT_DONE = 0
EXIT_BAD_INPUT = 2
EXIT_HALTED = 3
EXIT_FAILED = 4
EXIT_INTERRUPTED = 130

EXIT_CODES: dict[Outcome, int] = {
    "done": EXIT_DONE,
    "halted": EXIT_HALTED,
    "failed": EXIT_FAILED,
    "cancelled": EXIT_FAILED,
    "interrupted": EXIT_INTERRUPTED,
}


@dataclass(frozen=True, slots=True)
class RunRequest:
    instruction: str
    start_url: str
    brain: Brain
    profile: str | None
    ephemeral: bool
    json_events: bool
    on_halt: Literal["stop", "ask"] = "stop"
    cdp_url: str | None = None
    reader: OcrReader | None = None


async def run_task(settings: Settings, req: RunRequest, out: TextIO) -> tuple[TaskResult, Path]:
    """Open the browser, run the task to its end, close the browser; returns the recording path."""
    spec = TaskSpec(
        task_id=new_task_id(),
        instruction=req.instruction,
        start_url=req.start_url,
        brain=req.brain.name,
        profile=None if req.ephemeral else req.profile,
        max_steps=settings.limits.max_steps,
    )
    task_dir = settings.tasks_dir / spec.task_id
    settings.tasks_dir.mkdir(mode=0o700, exist_ok=True)
    recorder = Recorder(task_dir)
    shown: EventSink = JsonLinesSink(out) if req.json_events else ConsoleSink(out)
    try:
        if req.cdp_url:
            computer = await attach(settings, req.cdp_url)
        else:
            computer = await BrowserComputer.open(settings, profile=spec.profile, ephemeral=req.ephemeral)
        async with computer:
            operator = build_operator(
                settings,
                task_id=spec.task_id,
                computer=computer,
                brain=req.brain,
                sink=FanoutSink([recorder, shown]),
                approver=TerminalApprover(sys.stdin, sys.stderr) if req.on_halt == "ask" else None,
                reader=req.reader,
            )
            result = await operator.run(spec)
    finally:
        recorder.close()
    return result, task_dir


def run_interruptibly(settings: Settings, req: RunRequest, out: TextIO) -> tuple[TaskResult, Path]:
    """Run ``run_task`` so that Ctrl-C / SIGTERM end the task as ``interrupted``, recorded."""

    async def main() -> tuple[TaskResult, Path]:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        if task is not None:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, task.cancel)
        return await run_task(settings, req, out)

    return asyncio.run(main())


def report(result: TaskResult, task_dir: Path, *, json_events: bool) -> int:
    """Say where the recording is and why the task ended (on stderr when stdout is JSON)."""
    err: TextIO = sys.stderr if json_events else sys.stdout
    if result.outcome != "done" and json_events:
        print(f"homebody: task {result.outcome}: {result.reason}", file=sys.stderr)
    print(f"recording: {task_dir}", file=err)
    return EXIT_CODES[result.outcome]

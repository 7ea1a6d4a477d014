"""``homebody run``: one task on one browser, from the terminal (exit codes are a contract).

The flags become the same task options the API takes, and the task runs on the one task runner
(``homebody.compose.runner``); what is the terminal's own is where events are shown and who answers
a halt (``--on-halt ask``: the person at the terminal; by default nobody, so a halt ends the task).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from typing import TextIO

from homebody.cli.approve import TerminalApprover
from homebody.cli.brains import add_task_flags, brain_options, check_task_flags, scope_options, session_options
from homebody.cli.output import ConsoleSink, JsonLinesSink
from homebody.compose.brains import BrainFactory
from homebody.compose.runner import FrontEnd, TaskPlan, TaskRun, run_task
from homebody.config import OCR_THREADS, Limits, Settings, build_settings
from homebody.events import Outcome
from homebody.operator.task import new_task_id
from homebody.types import TaskSpec
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


def add_run_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    run = sub.add_parser("run", help="run one task in a browser")
    add_task_flags(run)
    run.add_argument("--json", action="store_true", help="print one JSON event per line on stdout")
    run.add_argument(
        "--on-halt",
        choices=("stop", "ask"),
        default="stop",
        help="when the task halts for your OK (a commit, a held request, a step off its sites): "
        "stop (exit 3, the default) or ask on the terminal",
    )
    return run


def cmd_run(args: argparse.Namespace) -> int:
    reader = OcrReader(threads=OCR_THREADS)  # loads its models on first use, shared by brain and checker
    api_key = os.environ.get("HOMEBODY_MODEL_API_KEY") or None
    brains = BrainFactory(reader, Limits().decide_timeout_s, api_key=api_key)
    brain, session, scope = brain_options(args), session_options(args), scope_options(args)
    brains.check(brain, args.task)  # before any browser starts, as the API checks before it queues
    check_task_flags(args)
    settings = build_settings(os.environ, data_dir=args.data_dir, headless=not args.headful, max_steps=args.max_steps)
    task = TaskSpec(
        task_id=new_task_id(),
        instruction=args.task,
        start_url=args.start_url,
        brain=brain.kind,
        profile=session.profile_name,
        max_steps=settings.limits.max_steps,
        sites=tuple(scope.sites),
        ask=scope.ask,
    )
    front = FrontEnd(
        sinks=[JsonLinesSink(sys.stdout) if args.json else ConsoleSink(sys.stdout)],
        approver=TerminalApprover(sys.stdin, sys.stderr) if args.on_halt == "ask" else None,
    )
    run = run_interruptibly(settings, TaskPlan(task, brain, session), brains, front)
    return report(run, json_events=args.json)


def run_interruptibly(settings: Settings, plan: TaskPlan, brains: BrainFactory, front: FrontEnd) -> TaskRun:
    """Run the task so that Ctrl-C / SIGTERM end it as ``interrupted``, recorded."""

    async def main() -> TaskRun:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        if task is not None:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, task.cancel)
        return await run_task(settings, plan, brains, front)

    return asyncio.run(main())


def report(run: TaskRun, *, json_events: bool) -> int:
    """Say where the recording is and why the task ended (on stderr when stdout is JSON, and when
    the task could not even start)."""
    err: TextIO = sys.stderr if json_events else sys.stdout
    result = run.result
    if result.outcome != "done" and (json_events or not run.started):
        print(f"homebody: task {result.outcome}: {result.reason}", file=sys.stderr)
    print(f"recording: {run.task_dir}", file=err)
    return EXIT_CODES[result.outcome]

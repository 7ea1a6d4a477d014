"""``homebody replay TASK_ID [--export OUT.html] [--video OUT.mp4]``: look back at a recorded task.

Without an export flag it prints the timeline as text. A task id is checked against the shape
``new_task_id`` makes before it touches the file system, so ``../`` and friends never resolve to a
folder; ``latest`` picks the newest recording (ids sort by their start time).
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from homebody.cli.output import clean, held_lines
from homebody.config import build_settings
from homebody.errors import BadInput
from homebody.recordings.export import export_html
from homebody.recordings.recorder import EVENTS_FILE
from homebody.recordings.timeline import Step, Takeover, Timeline, read_timeline
from homebody.recordings.video import export_video
from homebody.recordings.wording import action_line, input_line

TASK_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{8}")
LATEST = "latest"


def add_replay_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "replay",
        help="show a recorded task, or export it as one offline HTML file (or a video)",
        description="Show a recorded task as text, or export it as one self-contained HTML file or a video.",
    )
    p.add_argument("task_id", metavar="TASK_ID", help="a task id such as 20261124-033000-1f2e3d4c, or 'latest'")
    p.add_argument("--export", metavar="OUT.html", type=Path, help="write one offline HTML file")
    p.add_argument("--video", metavar="OUT.mp4", type=Path, help="write a video (.mp4, .mkv or .webm; needs ffmpeg)")
    p.add_argument("--fps", type=int, default=2, help="video frames (steps) per second (default 2)")
    p.add_argument(
        "--data-dir",
        help="where profiles, recordings and the token live "
        "(default: $HOMEBODY_DATA_DIR, else ~/.local/share/homebody)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")


def cmd_replay(args: argparse.Namespace) -> int:
    settings = build_settings(os.environ, data_dir=args.data_dir)
    task_dir = find_recording(settings.tasks_dir, args.task_id)
    if args.export is None and args.video is None:
        print(format_timeline(read_timeline(task_dir)))
        return 0
    if args.export is not None:
        path = export_html(task_dir, args.export)
        print(f"replay: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    if args.video is not None:
        path = export_video(task_dir, args.video, fps=args.fps)
        print(f"video: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


def find_recording(tasks_dir: Path, task_id: str) -> Path:
    """The folder of ``task_id`` (or of the newest task for ``latest``); BadInput naming what is wrong."""
    if task_id == LATEST:
        ids = sorted(p.name for p in _listing(tasks_dir) if TASK_ID.fullmatch(p.name))
        if not ids:
            raise BadInput(f"there are no recorded tasks in {tasks_dir}")
        task_id = ids[-1]
    elif not TASK_ID.fullmatch(task_id):
        raise BadInput(f"{task_id!r} is not a task id (they look like 20261124-033000-1f2e3d4c), nor 'latest'")
    task_dir = tasks_dir / task_id
    if not (task_dir / EVENTS_FILE).is_file():
        raise BadInput(f"no recording of task {task_id} in {tasks_dir}")
    return task_dir


def _listing(tasks_dir: Path) -> list[Path]:
    try:
        return [p for p in tasks_dir.iterdir() if p.is_dir()]
    except FileNotFoundError:
        return []


def format_timeline(timeline: Timeline) -> str:
    lines: list[str] = []
    task = timeline.task
    if task is not None:
        lines.append(f"task {clean(task.task_id)}: {clean(task.instruction) or '(no instruction)'}")
        lines.append(f"  {clean(task.brain)} brain, starting at {clean(task.start_url)}")
    for entry in timeline.entries:
        lines += _step_lines(entry) if isinstance(entry, Step) else _takeover_lines(entry)
    end = timeline.ending
    if end is None:
        lines.append("unfinished: the recording ends before the task did")
    else:
        detail = end.answer or end.reason
        lines.append(f"{end.outcome} after {end.steps} steps" + (f": {clean(detail)}" if detail else ""))
    return "\n".join(lines)


def _step_lines(step: Step) -> list[str]:
    frame = " [frame missing]" if step.frame is None or step.frame.missing else ""
    page = f" {clean(step.url, 120)}" + (f" — {clean(step.title, 80)}" if step.title else "")
    lines = [f"step {step.number}:{page}{frame}"]
    if step.thought:
        lines.append(f"    thought: {clean(step.thought)}")
    lines.append(f"    action: {clean(action_line(step.action))}")
    if step.check is not None:
        check = step.check
        category = f" [{clean(check.category)}]" if check.category else ""
        lines.append(f"    checker: {check.verdict}{category}" + (f": {clean(check.reason)}" if check.reason else ""))
    for halt in step.halts:
        lines.append(f"    HALTED [{clean(halt.category)}]: {clean(halt.reason)}")
        if halt.held:
            lines.append("      the action ran; what it would send was held:")
            lines += held_lines(halt.held, "      ")
    lines += [f"    {a.kind} by {clean(a.by)}" + (f": {clean(a.note)}" if a.note else "") for a in step.answers]
    if step.skipped:
        lines.append(f"    not run: {clean(step.skipped)}")
    if step.executed is not None:
        run = step.executed
        lines.append("    executed ok" if run.ok else f"    failed: {clean(run.error)}")
    if step.verified is not None:
        ver = step.verified
        lines.append(
            f"    verifier: {ver.effect} (score {ver.score:.3f})" + (f"; {clean(ver.note)}" if ver.note else "")
        )
    return lines


def _takeover_lines(takeover: Takeover) -> list[str]:
    lines = [f"takeover by {clean(takeover.by)} after step {takeover.after_step}:"]
    for done in takeover.inputs:
        lines.append(f"    {clean(input_line(done.input))}" + ("" if done.ok else f"  (failed: {clean(done.error)})"))
    if takeover.ended_at is None:
        lines.append("    (not handed back)")
    else:
        lines.append("    handed back" + (f": {clean(takeover.summary)}" if takeover.summary else ""))
    return lines

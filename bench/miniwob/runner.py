"""MiniWoB++ through the real operator loop: success rate, reward, steps and time per task.

Serves the ``miniwob`` package's task pages on loopback and plays seeded episodes in one headless
Chromium (one browser at a time) through the operator loop as ``homebody run`` composes it:
screenshots, coordinate actions, the stale-frame guard, the rules safety checker (its halts are
approved and counted), the pixel verifier and a recorder. The brain sees the screenshot and the
utterance only (the oracle also reads the page's DOM to choose its targets; it measures the harness).

    nice .venv/bin/python -m bench.miniwob --quick                       # a few simple tasks, oracle
    nice .venv/bin/python -m bench.miniwob --tasks 'click-*,enter-*' --episodes 5 --json out.json
    nice .venv/bin/python -m bench.miniwob --brain steps --tasks 'click-*'
    nice .venv/bin/python -m bench.miniwob --brain transformers --tiny qwen3-vl --tasks click-button --episodes 2
    # a real model, in-process (GPU) or on an OpenAI-compatible server:
    .venv/bin/python -m bench.miniwob --brain transformers --model Qwen/Qwen3-VL-8B-Instruct --tasks families
    .venv/bin/python -m bench.miniwob --brain openai --base-url http://127.0.0.1:8000/v1 --model Qwen3-VL-8B-Instruct

Run from the repository root. Success is a raw reward > 0; the reward is the page's time-discounted
one. Episodes still running when the operator stops score -1 (what the page's timer would give).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

from bench.miniwob.brains import choose_brain
from bench.miniwob.episode import EpisodeResult, Harness, harness_failure, run_episode
from bench.miniwob.pages import QUICK_TASKS, MiniwobSite, resolve_tasks
from bench.miniwob.report import print_episode, print_summary, summary_json
from homebody.cli.brains import add_brain_flags
from homebody.config import OCR_THREADS, Limits, Settings
from homebody.errors import BadInput, HomebodyError, SessionClosed
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.browser.select_menu import install_select_menus
from homebody.types import Point, Size
from homebody.vision.pixels.ocr import OcrReader


def parse_seeds(spec: str | None, episodes: int | None) -> list[int]:
    """``0-4`` / ``1,5,9`` / ``7`` (with ``--episodes N``: 7..7+N-1); default 0..episodes-1."""
    count = 5 if episodes is None else episodes
    if count < 1:
        raise BadInput(f"--episodes must be at least 1, got {count}")
    if not spec:
        return list(range(count))
    try:
        if "-" in spec.strip("-"):
            low, high = (int(v) for v in spec.split("-", 1))
            return list(range(low, high + 1))
        seeds = [int(v) for v in spec.split(",") if v.strip()]
    except ValueError:
        raise BadInput(f"--seeds: expected e.g. 0-4, 1,5,9 or 7, got {spec!r}") from None
    if len(seeds) == 1 and episodes is not None:
        return list(range(seeds[0], seeds[0] + episodes))
    return seeds


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.miniwob", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", help="comma-separated task names or globs ('click-*'); 'families' = all nine")
    parser.add_argument("--seeds", help="seeds: 0-4, 1,5,9, or a first seed with --episodes (default 0..N-1)")
    parser.add_argument("--episodes", type=int, help="episodes per task (default 5; 2 with --quick)")
    parser.add_argument("--json", metavar="OUT", help="write the figures as JSON to OUT")
    parser.add_argument("--quick", action="store_true", help=f"a short run: {', '.join(QUICK_TASKS)}; 2 seeds")
    parser.add_argument("--max-steps", type=int, default=30, help="step budget per episode (default 30)")
    parser.add_argument("--viewport", default="1280x800", help="browser viewport WxH (default 1280x800)")
    parser.add_argument("--tiny", metavar="KIND", help="with --brain transformers: a tiny random qwen3-vl|qwen2.5-vl")
    parser.add_argument("--data-dir", help="keep the recordings here (default: a temporary folder)")
    parser.add_argument("--no-select-menu", action="store_true", help="without the in-page <select> menu (to compare)")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per episode")
    add_brain_flags(parser)  # --brain, --model, --base-url, ... exactly as `homebody run` takes them
    args = parser.parse_args(argv)
    if args.quick and args.episodes is None and args.seeds is None:
        args.episodes = 2
    args.task_list = resolve_tasks(args.tasks or (",".join(QUICK_TASKS) if args.quick else "families"))
    args.seed_list = parse_seeds(args.seeds, args.episodes)
    try:
        width, height = (int(v) for v in args.viewport.lower().split("x"))
        args.size = Size(width, height)
    except ValueError:
        raise BadInput(f"--viewport: expected WxH such as 1280x800, got {args.viewport!r}") from None
    if args.max_steps < 1:
        raise BadInput(f"--max-steps must be at least 1, got {args.max_steps}")
    return args


def warm_up(reader: OcrReader) -> None:
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    reader.load()
    image = np.full((120, 320, 3), 255, np.uint8)
    cv2.putText(image, "Submit", (40, 60), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 0, 0), 2)
    reader.text_near(image, Point(90, 55))


async def open_computer(settings: Settings, *, select_menu: bool = True) -> BrowserComputer:
    computer = await BrowserComputer.open(settings, ephemeral=True)
    if select_menu:  # until BrowserComputer.open installs it: <select> options that take coordinate clicks
        await install_select_menus(computer.context)
    return computer


async def run(args: argparse.Namespace, data_dir: Path, stack: contextlib.ExitStack) -> list[EpisodeResult]:
    limits = Limits(max_steps=args.max_steps)
    settings = Settings(data_dir=data_dir, viewport=args.size, limits=limits)
    reader = OcrReader(threads=OCR_THREADS)
    await asyncio.to_thread(warm_up, reader)  # the OCR models load before the first episode's clock starts
    choice = choose_brain(args, args.task_list, reader, stack, limits.decide_timeout_s)
    print(f"brain {choice.name}; {len(args.task_list)} tasks × seeds {args.seed_list}; viewport {args.viewport}")
    for task, why in choice.unsupported.items():
        print(f"  skipped {task}: {why}")
    results: list[EpisodeResult] = []
    tasks_dir = data_dir / "tasks"
    tasks_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    with MiniwobSite() as site:
        computer = await open_computer(settings, select_menu=not args.no_select_menu)
        try:
            for task in (t for t in args.task_list if t not in choice.unsupported):
                for seed in args.seed_list:
                    harness = Harness(computer, reader, limits, tasks_dir)
                    started = time.perf_counter()
                    try:
                        result = await run_episode(harness, choice.factory, task, site.task_url(task), seed)
                    except HomebodyError as exc:  # the page would not start, or the browser died: count it, go on
                        result = harness_failure(task, seed, f"harness error: {exc}", time.perf_counter() - started)
                        if isinstance(exc, SessionClosed):
                            await computer.close()
                            computer = await open_computer(settings, select_menu=not args.no_select_menu)
                    results.append(result)
                    if args.verbose:
                        print_episode(result)
                print_summary([r for r in results if r.task == task], label=task, causes=not args.verbose)
        finally:
            await computer.close()
    return results


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        args = parse_args(argv)
    except BadInput as exc:
        print(f"miniwob: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        data_dir = Path(args.data_dir) if args.data_dir else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        try:
            results = asyncio.run(run(args, data_dir, stack))
        except BadInput as exc:
            print(f"miniwob: {exc}", file=sys.stderr)
            return 2
    print()
    print_summary(results, label="overall", causes=True, families=True)
    print(f"wall time {time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(summary_json(results, args), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0

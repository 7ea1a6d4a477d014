"""Which brain plays the MiniWoB++ episodes: the oracle, or one built exactly as ``homebody run`` builds it.

``steps``, ``transformers`` and ``openai`` go through ``homebody.cli.brains.pick_brain`` with the
same flags (``add_brain_flags``); the steps brain is made per episode, with the utterance as its
task. ``--tiny`` builds a tiny random Qwen VLM on the spot (as ``tests/fixtures/tiny_vlm.py``
does) and loads it with ``--brain transformers``: it scores about 0, and proves the plumbing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.miniwob.episode import BrainFactory, Episode
from bench.miniwob.oracle import SOLVERS, OracleBrain
from homebody.cli.brains import pick_brain
from homebody.errors import BadInput
from homebody.protocols import Brain
from homebody.vision.pixels.ocr import OcrReader


@dataclass(frozen=True, slots=True)
class Choice:
    """A brain factory, and the tasks it cannot play (skipped with the reason)."""

    name: str
    factory: BrainFactory
    unsupported: dict[str, str]


def choose_brain(
    args: argparse.Namespace, tasks: list[str], reader: OcrReader, stack: contextlib.ExitStack, decide_timeout_s: float
) -> Choice:
    name = args.brain or "oracle"
    if name == "oracle":
        missing = {t: "no oracle solver for this task" for t in tasks if t not in SOLVERS}
        return Choice("oracle", lambda ep: OracleBrain(SOLVERS[ep.task], ep.page), missing)
    if name == "steps":

        def steps(ep: Episode) -> Brain:
            return pick_brain(_with_task(args, ep.utterance), os.environ, decide_timeout_s, reader)

        return Choice("steps", steps, {})
    if args.tiny:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="miniwob-tiny-vlm-"))
        args.model = str(build_tiny(args.tiny, Path(tmp)))
        args.brain = "transformers"
    brain = pick_brain(_with_task(args, ""), os.environ, decide_timeout_s, reader)  # one model for every episode
    return Choice(brain.name, lambda ep: brain, {})


def _with_task(args: argparse.Namespace, task: str) -> argparse.Namespace:
    return argparse.Namespace(**{**vars(args), "task": task, "script": None})


def build_tiny(kind: str, directory: Path) -> Path:
    """A tiny random ``kind`` VLM (qwen3-vl or qwen2.5-vl) in ``directory``, one CPU thread."""
    import torch  # noqa: PLC0415

    torch.set_num_threads(1)  # two threads on a busy 2-core box are many times slower
    from tests.fixtures.tiny_vlm import KINDS, build_tiny_vlm  # noqa: PLC0415

    if kind not in KINDS:
        raise BadInput(f"--tiny must be one of {', '.join(KINDS)}, got {kind!r}")
    return build_tiny_vlm(kind, directory / f"tiny-{kind}")

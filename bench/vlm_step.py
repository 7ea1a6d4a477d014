"""Latency of one VLM decision, split into preprocess, generate and parse; medians over --steps.

preprocess = the client's resize + JPEG + prompt (``prepare_image``, ``build_prompt``) plus, for the
in-process brain, the processor (image decode, chat template, patches); generate = ``generate()``
(prefill + decoding); parse = the family's parser. For ``--brain openai`` the server's processor and
generation are one HTTP request and are reported together.

    # a real model (a GPU machine with the model pulled, or any OpenAI-compatible server):
    .venv/bin/python bench/vlm_step.py --brain transformers --model Qwen/Qwen3-VL-4B-Instruct --steps 5
    .venv/bin/python bench/vlm_step.py --brain openai --base-url http://127.0.0.1:8000/v1 --model Qwen3-VL-8B-Instruct
    # a tiny random model built on the spot, on CPU, with a forced reply (checks the script itself):
    .venv/bin/python bench/vlm_step.py --tiny [--family qwen2.5-vl]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from homebody.errors import ParseError
from homebody.types import BrainInput, Frame, Size
from homebody.vision.vlm.families import FAMILIES, Family, get_family, guess_family
from homebody.vision.vlm.openai_backend import OpenAIBackend
from homebody.vision.vlm.prompts import build_prompt, prepare_image
from homebody.vision.vlm.transformers_backend import TransformersBackend

ROOT = Path(__file__).resolve().parents[1]
TINY_KIND = {"qwen3-vl": "qwen3-vl", "qwen2.5-vl": "qwen2.5-vl", "ui-tars": "qwen2.5-vl"}
#: What the tiny model is made to say at 1280×800 and the default budget: a click on "Send" at (1140, 725).
_QWEN = 'Thought: Send is at the bottom right.\nAction: click Send.\n<tool_call>\n{"name": "computer_use", '
TINY_REPLY = {
    "qwen3-vl": _QWEN + '"arguments": {"action": "left_click", "coordinate": [891, 906]}}\n</tool_call>',
    "qwen2.5-vl": _QWEN + '"arguments": {"action": "left_click", "coordinate": [1147, 736]}}\n</tool_call>',
    "ui-tars": "Thought: Send is at the bottom right.\nAction: click(start_box='<|box_start|>(1147,736)<|box_end|>')",
}


def screenshot(width: int, height: int) -> Frame:
    """A mail-client-like page: a header, a sidebar, text lines, fields and a Send button."""
    img = np.full((height, width, 3), 250, np.uint8)
    cv2.rectangle(img, (0, 0), (width, 64), (60, 60, 60), -1)
    cv2.putText(img, "Webmail - Compose", (24, 42), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (255, 255, 255), 2)
    cv2.rectangle(img, (0, 64), (220, height), (235, 235, 240), -1)
    for i, label in enumerate(("Inbox", "Sent", "Drafts", "Spam", "Trash")):
        cv2.putText(img, label, (24, 110 + 44 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (40, 40, 40), 1)
    for i, label in enumerate(("To", "Subject")):
        y = 100 + 60 * i
        cv2.putText(img, label, (250, y + 28), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (40, 40, 40), 1)
        cv2.rectangle(img, (360, y), (width - 40, y + 40), (180, 180, 180), 1)
    for i in range(12):
        cv2.putText(img, f"Line {i + 1} of the message body.", (260, 250 + 30 * i), 0, 0.6, (70, 70, 70), 1)
    x0, y0 = width - 220, height - 100
    cv2.rectangle(img, (x0, y0), (x0 + 160, y0 + 50), (200, 120, 30), -1)
    cv2.putText(img, "Send", (x0 + 45, y0 + 34), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (255, 255, 255), 2)
    ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return Frame(data=data.tobytes(), format="jpeg", size=Size(width, height), ts=time.time())


def tiny_backend(family: str, threads: int, directory: Path) -> TransformersBackend:
    sys.path.insert(0, str(ROOT))  # tests.fixtures.tiny_vlm builds the model
    from tests.fixtures.tiny_vlm import build_tiny_vlm, forced_reply  # noqa: PLC0415

    started = time.perf_counter()
    path = build_tiny_vlm(TINY_KIND[family], directory / f"tiny-{TINY_KIND[family]}")  # type: ignore[arg-type]
    print(f"built a tiny random {TINY_KIND[family]} model in {time.perf_counter() - started:.1f} s: {path}")
    reply = TINY_REPLY[family]
    return TransformersBackend(
        path,
        device="cpu",
        threads=threads,
        progress=False,
        logits_processor_factory=lambda context: forced_reply(context.tokenizer, reply),
    )


async def run(args: argparse.Namespace) -> None:
    with contextlib.ExitStack() as stack:
        await _run(args, stack)


async def _run(args: argparse.Namespace, stack: contextlib.ExitStack) -> None:
    backend: Any
    if args.family is None and args.tiny:
        args.family = "qwen3-vl"
    if args.brain == "openai":
        if not args.base_url or not args.model:
            raise SystemExit("--brain openai needs --base-url and --model")
        backend = OpenAIBackend(args.base_url, args.model, max_tokens=args.max_new_tokens, timeout_s=300)
    elif args.tiny:
        backend = tiny_backend(args.family, args.threads or 1, Path(stack.enter_context(tempfile.TemporaryDirectory())))
    else:
        if not args.model:
            raise SystemExit("--brain transformers needs --model (a Hub id in the cache, or a directory), or --tiny")
        backend = TransformersBackend(
            args.model, device=args.device, dtype=args.dtype, max_new_tokens=args.max_new_tokens, threads=args.threads
        )
    if isinstance(backend, TransformersBackend):
        await backend.load()
        loaded = f"{backend.family} on {backend.device}, loaded in {backend.load_s:.1f} s"
        args.family = args.family or backend.family
    else:
        loaded = f"server {backend.url}"
        args.family = args.family or guess_family(args.model)
    if args.family is None:
        raise SystemExit("cannot tell the model's family: pass --family")
    family: Family = get_family(args.family)
    budget = args.max_pixels or family.default_max_pixels
    frame = screenshot(args.width, args.height)
    print(f"brain {args.brain}, model {args.model or 'tiny'} ({loaded}); family {family.name}, max_pixels {budget}")

    times: dict[str, list[float]] = defaultdict(list)
    failures = 0
    stats = None
    for step in range(args.warmup + args.steps):
        started = time.perf_counter()
        image = prepare_image(frame, family, max_pixels=budget, step=step + 1)
        prompt = build_prompt(BrainInput(instruction="Send the draft", frame=frame, step=step + 1), family, image)
        prepared = time.perf_counter()
        raw = await backend.complete(prompt.messages, timeout_s=args.timeout)
        answered = time.perf_counter()
        try:
            decision = family.parse(raw, prompt.mapping)
            if args.tiny:  # the forced reply must land on Send (1060..1220, 700..750)
                point = decision.action.point  # type: ignore[attr-defined]
                assert 1060 <= point.x <= 1220 and 700 <= point.y <= 750, (decision.action, raw)
        except ParseError as exc:
            failures += step >= args.warmup
            print(f"step {step + 1}: unparseable reply ({exc}): {raw[:200]!r}")
        parsed = time.perf_counter()
        if step < args.warmup:
            continue
        times["client resize + prompt"].append(prepared - started)
        if isinstance(backend, TransformersBackend) and backend.last_stats is not None:
            stats = backend.last_stats
            times["processor"].append(stats.preprocess_s)
            times["preprocess (client + processor)"].append(prepared - started + stats.preprocess_s)
            times["generate"].append(stats.generate_s)
            times["decode tokens"].append(stats.decode_s)
        else:
            times["request (server preprocess + generate)"].append(answered - prepared)
        times["parse"].append(parsed - answered)
        times["step total"].append(parsed - started)

    shown = f"{args.width}×{args.height} → {image.size.width}×{image.size.height}"
    if stats is not None:
        speed = stats.new_tokens / stats.generate_s if stats.generate_s else 0.0
        shown += f", {stats.image_tokens} image tokens, {stats.prompt_tokens} prompt tokens, {stats.new_tokens} new"
        shown += f" ({speed:.0f} new tokens/s including prefill)"
    print(f"screenshot {shown}")
    print(f"{'phase':<40} {'median ms':>10} {'min':>8} {'max':>8}   ({args.steps} steps after {args.warmup} warm-up)")
    for phase, values in times.items():
        ms = [v * 1000 for v in values]
        print(f"{phase:<40} {statistics.median(ms):>10.1f} {min(ms):>8.1f} {max(ms):>8.1f}")
    print(f"unparseable replies: {failures}/{args.steps}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brain", choices=("transformers", "openai"), default="transformers")
    parser.add_argument("--model", help="Hub id or directory (transformers), or the server's model name (openai)")
    parser.add_argument("--base-url", help="the OpenAI-compatible server, for --brain openai")
    parser.add_argument("--family", choices=tuple(FAMILIES), help="default: the model's (qwen3-vl with --tiny)")
    parser.add_argument("--max-pixels", type=int, help="image budget (default: the family's processor default)")
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1, help="steps run first and not counted")
    parser.add_argument("--tiny", action="store_true", help="a tiny random model on CPU (checks the script)")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--dtype", default="auto")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's; 1 with --tiny)")
    parser.add_argument("--max-new-tokens", type=int, default=256)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per decision")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()
    if args.steps < 1:
        parser.error("--steps must be at least 1")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()

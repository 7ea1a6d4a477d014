"""``homebody run``'s brain, browser and scope flags as the task options the API takes
(``homebody.compose.options``).

The flags only collect values: validation is the options' and the brain factory's, so the terminal
and the API refuse the same settings in the same words. An error names the field as the API's body
does (``brain.history_images: …``); here it names the flag instead (``--history-images: …``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from homebody.compose.brains import BrainFactory
from homebody.compose.options import (
    BRAIN_KINDS,
    BRAIN_OPTIONS,
    SCOPE_OPTIONS,
    SESSION_OPTIONS,
    BrainIn,
    ScopeIn,
    SessionIn,
    parse_options,
)
from homebody.errors import BadInput, BadOption
from homebody.protocols import Brain
from homebody.vision.pixels.ocr import OcrReader
from homebody.vision.scripted import load_script
from homebody.vision.vlm.families import FAMILIES

STEPS_NOTICE = (
    "homebody: no vision-language model configured, so the embedded steps brain follows the task as "
    "plain-English steps, found on screen with OCR. For a model: `homebody models`, then "
    "`homebody pull Qwen/Qwen3-VL-8B-Instruct` and --brain transformers --model Qwen/Qwen3-VL-8B-Instruct, "
    "or --brain openai --base-url http://127.0.0.1:8000/v1 --model NAME for a local vLLM/SGLang/Ollama server."
)
#: Fields whose flag is not their own name with dashes.
_FLAGS = {"instruction": "TASK", "brain.kind": "--brain", "brain.steps": "--script", "sites": "--site"}


def add_task_flags(parser: argparse.ArgumentParser) -> None:
    """What a task is, as ``homebody run`` and ``homebody schedule add`` both take it: the task, its
    start URL, the brain, the browser, the sites it may act on, when it asks, its step budget."""
    parser.add_argument("task", nargs="?", default="", help="what to do, in plain words")
    parser.add_argument("--start-url", required=True, help="the page to open first")
    add_brain_flags(parser)
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--profile", help="a named browser profile (keeps your logins)")
    who.add_argument("--ephemeral", action="store_true", help="a throwaway profile, deleted afterwards")
    who.add_argument(
        "--cdp-url",
        metavar="URL",
        help="drive a new tab of a Chromium started elsewhere with --remote-debugging-port "
        "(e.g. http://192.168.1.20:9222); its own logins are used",
    )
    parser.add_argument(
        "--site",
        action="append",
        metavar="SITE",
        help="a site the task may also act on besides its start URL's (shop.example, pay.example:8443); "
        "repeat it for more. Leaving the task's sites halts for your OK",
    )
    parser.add_argument(
        "--ask",
        choices=("commits", "every-change"),
        default="commits",
        help="when to ask first: commits (purchases, messages, deletes, … and any change not known to be "
        "harmless; the default) or every-change (before every change the task sends to a server)",
    )
    parser.add_argument("--max-steps", type=int, default=None, help="step budget (default 50)")


def check_task_flags(args: argparse.Namespace) -> None:
    """The checks of ``add_task_flags``'s values that argparse does not make."""
    if args.max_steps is not None and args.max_steps < 1:
        raise BadInput(f"--max-steps must be at least 1, got {args.max_steps}")
    if not args.start_url.strip():
        raise BadInput("--start-url is empty")


def add_brain_flags(run: argparse.ArgumentParser) -> None:
    """The brain flags; each flag's ``dest`` is the name of its field in the brain options."""
    run.add_argument("--script", help="a JSON file of actions to replay (the script brain)")
    run.add_argument("--brain", default=None, help=f"which brain decides: {', '.join(BRAIN_KINDS)}")
    run.add_argument("--base-url", help="an OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama's /v1)")
    run.add_argument("--model", help="the model: its name on the server (openai), or a Hugging Face id or local path")
    run.add_argument("--device", help="transformers: cuda, mps, cpu or auto (default)")
    run.add_argument("--dtype", help="transformers: bfloat16, float16, float32 or auto (default)")
    run.add_argument("--model-family", help=f"prompt and coordinate convention: {', '.join(FAMILIES)}")
    run.add_argument("--max-pixels", type=int, help="image budget per screenshot (pixels after resizing)")
    run.add_argument("--history-images", type=int, help="screenshots sent per step (default 1)")


def flag_of(field: str) -> str:
    """The flag that sets a field of the API's task body: ``brain.max_pixels`` → ``--max-pixels``."""
    if field in _FLAGS:
        return _FLAGS[field]
    if field.startswith("brain.steps"):
        return "--script"
    if field.startswith("sites["):
        return "--site"
    return "--" + field.removeprefix("brain.").replace("_", "-")


def flag_message(exc: BadInput) -> str:
    """The error as ``homebody run`` says it: a ``BadOption`` names its flag where the API names the field."""
    return f"{flag_of(exc.field)}: {exc.problem}" if isinstance(exc, BadOption) else str(exc)


def brain_options(args: argparse.Namespace) -> BrainIn:
    """The brain the flags ask for, as options; without any, the embedded steps brain (no model needed).

    Flags that the chosen brain has no use for are left out, as they always were."""
    kind = args.brain or ("script" if args.script else "openai" if args.base_url else "steps")
    data: dict[str, object] = {"kind": kind}
    fields = BRAIN_KINDS[kind].model_fields if kind in BRAIN_KINDS else {}
    if "steps" in fields and args.script:
        data["steps"] = load_script(Path(args.script))  # names the file, the action and the field
    data |= {name: getattr(args, name) for name in fields if name not in data and getattr(args, name, None) is not None}
    options = parse_options(BRAIN_OPTIONS, data, "brain")
    if args.brain is None and options.kind == "steps":
        print(STEPS_NOTICE, file=sys.stderr)
    return options


def session_options(args: argparse.Namespace) -> SessionIn:
    """The browser the flags ask for: ``--profile``, ``--ephemeral`` or ``--cdp-url``."""
    return parse_options(
        SESSION_OPTIONS, {"profile": args.profile, "ephemeral": args.ephemeral, "cdp_url": args.cdp_url}
    )


def scope_options(args: argparse.Namespace) -> ScopeIn:
    """The sites the task may act on besides its start URL's (``--site``, repeated) and when it asks (``--ask``)."""
    return parse_options(SCOPE_OPTIONS, {"sites": list(args.site or ()), "ask": args.ask})


def pick_brain(
    args: argparse.Namespace, environ: Mapping[str, str], decide_timeout_s: float, reader: OcrReader
) -> Brain:
    """The brain the flags ask for, built now, for callers that run it themselves (the MiniWoB bench)."""
    brains = BrainFactory(reader, decide_timeout_s, api_key=environ.get("HOMEBODY_MODEL_API_KEY") or None)
    try:
        options = brain_options(args)
        brains.check(options, args.task)
        return brains.build(options, args.task)
    except BadOption as exc:
        raise BadInput(flag_message(exc)) from None

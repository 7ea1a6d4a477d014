"""Choosing the brain from ``homebody run`` flags (the composition root picks concrete classes)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from homebody.errors import BadInput
from homebody.protocols import Brain
from homebody.vision.pixels.ocr import OcrReader
from homebody.vision.scripted import ScriptBrain, load_script
from homebody.vision.steps.brain import StepsBrain
from homebody.vision.vlm.brain import VlmBrain
from homebody.vision.vlm.families import FAMILIES, get_family, guess_family
from homebody.vision.vlm.local_models import inspect_model_dir, resolve_model
from homebody.vision.vlm.openai_backend import OpenAIBackend
from homebody.vision.vlm.transformers_backend import TransformersBackend

BRAINS = ("script", "steps", "openai", "transformers")
STEPS_NOTICE = (
    "homebody: no vision-language model configured, so the embedded steps brain follows the task as "
    "plain-English steps, found on screen with OCR. For a model: `homebody models`, then "
    "`homebody pull Qwen/Qwen3-VL-8B-Instruct` and --brain transformers --model Qwen/Qwen3-VL-8B-Instruct, "
    "or --brain openai --base-url http://127.0.0.1:8000/v1 --model NAME for a local vLLM/SGLang/Ollama server."
)


def add_brain_flags(run: argparse.ArgumentParser) -> None:
    run.add_argument("--script", help="a JSON file of actions to replay (the script brain)")
    run.add_argument("--brain", default=None, help=f"which brain decides: {', '.join(BRAINS)}")
    run.add_argument("--base-url", help="an OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama's /v1)")
    run.add_argument("--model", help="the model: its name on the server (openai), or a Hugging Face id or local path")
    run.add_argument("--device", default="auto", help="transformers: cuda, mps, cpu or auto (default)")
    run.add_argument("--dtype", default="auto", help="transformers: bfloat16, float16, float32 or auto (default)")
    run.add_argument("--model-family", choices=tuple(FAMILIES), help="prompt and coordinate convention")
    run.add_argument("--max-pixels", type=int, help="image budget per screenshot (pixels after resizing)")
    run.add_argument("--history-images", type=int, default=1, help="screenshots sent per step (default 1)")


def pick_brain(
    args: argparse.Namespace, environ: Mapping[str, str], decide_timeout_s: float, reader: OcrReader
) -> Brain:
    """The brain the flags ask for; without any, the embedded steps brain (no model needed)."""
    name = args.brain or ("script" if args.script else "openai" if args.base_url else "steps")
    match name:
        case "script":
            if not args.script:
                raise BadInput("--brain script needs --script FILE")
            return ScriptBrain(load_script(Path(args.script)))
        case "steps":
            if not args.task.strip():
                raise BadInput(
                    'no task given: write the steps as TASK, e.g. \'click Search products; type "lamp"; '
                    "press Enter; done', or pass --script FILE, or --brain openai --base-url URL --model NAME"
                )
            if args.brain is None:
                print(STEPS_NOTICE, file=sys.stderr)
            return StepsBrain(args.task, reader)
        case "openai":
            return _openai(args, environ, decide_timeout_s)
        case "transformers":
            return _transformers(args, decide_timeout_s)
        case _:
            raise BadInput(f"unknown brain {name!r}: choose one of: {', '.join(BRAINS)}")


def _openai(args: argparse.Namespace, environ: Mapping[str, str], decide_timeout_s: float) -> Brain:
    if not args.base_url or not args.model:
        raise BadInput("--brain openai needs --base-url URL and --model NAME")
    family = args.model_family or guess_family(args.model)
    if family is None:
        raise BadInput(f"cannot tell the family of {args.model!r}: pass --model-family ({', '.join(FAMILIES)})")
    if args.history_images < 1:
        raise BadInput(f"--history-images must be at least 1, got {args.history_images}")
    backend = OpenAIBackend(
        args.base_url,
        args.model,
        api_key=environ.get("HOMEBODY_MODEL_API_KEY") or None,
        timeout_s=decide_timeout_s / 4,
    )
    return VlmBrain(
        backend,
        get_family(family),
        max_pixels=args.max_pixels,
        history_images=args.history_images,
        timeout_s=decide_timeout_s / 4,
    )


def _transformers(args: argparse.Namespace, decide_timeout_s: float) -> Brain:
    """A model loaded in this process from a local path or the Hugging Face cache (never downloaded here)."""
    if not args.model:
        raise BadInput("--brain transformers needs --model ID_OR_PATH (see `homebody models`)")
    path = resolve_model(args.model)  # BadInput naming `homebody pull` when it is not on this machine
    local = inspect_model_dir(path, args.model)
    family = args.model_family or guess_family(args.model) or (local.family if local else None)
    if family is None:
        raise BadInput(f"cannot tell the family of {args.model!r}: pass --model-family ({', '.join(FAMILIES)})")
    backend = TransformersBackend(args.model, device=args.device, dtype=args.dtype)
    return VlmBrain(
        backend,
        get_family(family),
        max_pixels=args.max_pixels,
        history_images=args.history_images,
        timeout_s=decide_timeout_s / 4,
    )

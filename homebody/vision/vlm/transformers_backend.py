"""An in-process backend: a Hugging Face transformers VLM running inside homebody (CUDA, MPS or CPU).

The model loads once, lazily (first ``complete`` or an explicit ``load()``), in a worker thread,
from a local directory or the Hugging Face cache and never from the network: a model that is not
on disk is a ``BadInput`` that says to run ``homebody pull MODEL``. torch and transformers are
imported only then, so importing this module is cheap and works without them.

Each ``complete`` turns the OpenAI-style messages (base64 JPEG data URLs, already resized on the
client to the family's ``smart_resize`` size) into the processor's chat template, runs the real
preprocessing with a pixel budget that leaves every image at its size, so the model's coordinate
space is the one ``ScreenMapping`` assumes, and decodes greedily (``do_sample=False``). A
``StoppingCriteria`` ends generation at the step's deadline or when the caller is cancelled.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import copy
import importlib
import importlib.util
import io
import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homebody.errors import BadInput, BrainError
from homebody.vision.vlm.loading import import_stack, load_model, load_processor, pick_device, pick_dtype
from homebody.vision.vlm.local_models import model_family_from_config, resolve_model
from homebody.vision.vlm.prompts import ChatMessage

__all__ = ["GenerationContext", "StepStats", "TransformersBackend", "model_family_from_config"]

log = logging.getLogger(__name__)

DEVICES = ("auto", "cuda", "mps", "cpu")
_NAMES = ("bfloat16", "bf16"), ("float16", "fp16"), ("float16", "half"), ("float32", "fp32"), ("auto", "auto")
DTYPES = {alias: name for name, alias in _NAMES} | {name: name for name, _ in _NAMES}


@dataclass(frozen=True, slots=True)
class GenerationContext:
    """What a ``logits_processor_factory`` learns about one ``generate()`` call."""

    tokenizer: Any
    prompt_tokens: int
    messages: Sequence[ChatMessage]


#: Called once per ``generate()``; returns a ``LogitsProcessor`` (or a list of them) to add.
LogitsProcessorFactory = Callable[[GenerationContext], Any]


@dataclass(frozen=True, slots=True)
class StepStats:
    """The last ``complete`` call: token counts, image sizes (width, height) and seconds per phase."""

    prompt_tokens: int
    image_tokens: int
    new_tokens: int
    image_sizes: tuple[tuple[int, int], ...]
    preprocess_s: float
    generate_s: float
    decode_s: float


@dataclass(frozen=True, slots=True)
class _Loaded:
    model: Any
    processor: Any
    device: str
    dtype: Any
    family: str | None
    factor: int | None
    image_token_id: int | None


class TransformersBackend:
    """Implements ``Backend`` with a transformers model in this process.

    ``model_id_or_path``: a directory, or a Hub id already in the cache (``homebody pull``).
    ``device``: auto (CUDA, else Apple MPS, else CPU), cuda, mps or cpu. ``dtype``: auto (bf16 on
    CUDA, fp16 on MPS, fp32 on CPU) or an explicit one. ``threads``: torch's CPU threads.
    ``progress``: a loading progress bar on stderr. ``logits_processor_factory``: extra logits
    processors per call (tests use it to force a scripted reply through the real forward pass).
    ``timeout_s`` of ``complete`` bounds preprocessing and generation, not the one-time load.
    """

    name = "transformers"

    def __init__(
        self,
        model_id_or_path: str | Path,
        *,
        device: str = "auto",
        dtype: str = "auto",
        max_new_tokens: int = 512,
        threads: int | None = None,
        progress: bool = True,
        logits_processor_factory: LogitsProcessorFactory | None = None,
    ) -> None:
        if device not in DEVICES:
            raise BadInput(f"--device must be one of {', '.join(DEVICES)}, got {device!r}")
        if dtype not in DTYPES:
            raise BadInput(f"--dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
        if max_new_tokens < 1:
            raise BadInput(f"max_new_tokens must be at least 1, got {max_new_tokens}")
        if threads is not None and threads < 1:
            raise BadInput(f"--threads must be at least 1, got {threads}")
        self.model = str(model_id_or_path)
        self.last_stats: StepStats | None = None
        self.load_s: float | None = None
        self._device = device
        self._dtype = DTYPES[dtype]
        self._max_new_tokens = max_new_tokens
        self._threads = threads
        self._progress = progress
        self._factory = logits_processor_factory
        self._loaded: _Loaded | None = None
        self._load_lock = threading.Lock()
        self._generate_lock = threading.Lock()

    @property
    def family(self) -> str | None:
        """The model's homebody family once loaded (``None`` before, or when unknown)."""
        return self._loaded.family if self._loaded else None

    @property
    def device(self) -> str | None:
        return self._loaded.device if self._loaded else None

    async def load(self) -> None:
        """Load the model now (in a worker thread) instead of on the first ``complete``."""
        await asyncio.to_thread(self._ensure_loaded)

    async def complete(self, messages: Sequence[ChatMessage], *, timeout_s: float | None = None) -> str:
        cancelled = threading.Event()
        try:
            return await asyncio.to_thread(self._complete, list(messages), timeout_s, cancelled)
        except asyncio.CancelledError:
            cancelled.set()  # the worker stops generating at its next token
            raise

    # ------------------------------------------------------------------ loading

    def _ensure_loaded(self) -> _Loaded:
        with self._load_lock:
            if self._loaded is None:
                started = time.monotonic()
                self._loaded = self._load()
                self.load_s = time.monotonic() - started
                done = self._loaded
                log.info(
                    "loaded %s in %.1f s (%s, %s, %s)", self.model, self.load_s, done.family, done.device, done.dtype
                )
            return self._loaded

    def _load(self) -> _Loaded:
        torch, transformers = import_stack()
        source = str(resolve_model(self.model))
        if self._threads is not None:
            torch.set_num_threads(self._threads)
        device = pick_device(torch, self._device)
        dtype = pick_dtype(torch, self._dtype, device)
        tqdm = importlib.import_module("tqdm").tqdm
        bar = tqdm(total=3, desc=f"loading {self.model}", unit="part", file=sys.stderr, disable=not self._progress)
        hf_bars = transformers.utils.logging.is_progress_bar_enabled()
        if not self._progress:
            transformers.utils.logging.disable_progress_bar()
        try:
            bar.set_postfix_str("config")
            config = transformers.AutoConfig.from_pretrained(source, local_files_only=True)
            bar.update()
            bar.set_postfix_str("processor")
            processor = load_processor(transformers, source, config)
            bar.update()
            bar.set_postfix_str(f"weights → {device}")
            model = load_model(transformers, source, config, dtype, device)
            bar.update()
        except (BadInput, BrainError):
            raise
        except Exception as exc:  # a broken download, an unknown architecture, out of memory...
            raise BrainError(f"cannot load the model {self.model} from {source}: {type(exc).__name__}: {exc}") from exc
        finally:
            bar.close()
            if hf_bars and not self._progress:
                transformers.utils.logging.enable_progress_bar()
        images = getattr(processor, "image_processor", None)
        patch, merge = getattr(images, "patch_size", None), getattr(images, "merge_size", None)
        factor = patch * merge if isinstance(patch, int) and isinstance(merge, int) else None
        token_id = getattr(processor, "image_token_id", None) or getattr(config, "image_token_id", None)
        return _Loaded(model, processor, device, dtype, model_family_from_config(config, self.model), factor, token_id)

    # ------------------------------------------------------------------ one call

    def _complete(self, messages: list[ChatMessage], timeout_s: float | None, cancelled: threading.Event) -> str:
        loaded = self._ensure_loaded()
        torch, transformers = import_stack()
        with self._generate_lock:
            started = time.monotonic()
            deadline = None if timeout_s is None else started + timeout_s
            conversation, images = _conversation(messages)
            inputs = self._inputs(loaded, conversation, images)
            ids = inputs["input_ids"]
            prompt_tokens = int(ids.shape[1])
            image_tokens = int((ids == loaded.image_token_id).sum()) if loaded.image_token_id is not None else 0
            prepared = time.monotonic()
            if deadline is not None and prepared > deadline:
                raise BrainError(f"the model {self.model} did not answer within {timeout_s:g} s (preprocessing)")
            stop = _stopper(transformers, torch, deadline, cancelled)
            extra = self._logits_processors(loaded, prompt_tokens, messages)
            try:
                with torch.inference_mode():
                    output = loaded.model.generate(
                        **inputs,
                        generation_config=_greedy(loaded.model, loaded.processor, self._max_new_tokens),
                        logits_processor=transformers.LogitsProcessorList(extra),
                        stopping_criteria=transformers.StoppingCriteriaList([stop]),
                    )
            except Exception as exc:  # out of memory, a device error...
                raise BrainError(f"the model {self.model} failed to generate: {type(exc).__name__}: {exc}") from exc
            generated = time.monotonic()
            new = output[0, prompt_tokens:]
            if stop.reason == "deadline":
                raise BrainError(f"the model {self.model} did not answer within {timeout_s:g} s ({len(new)} tokens)")
            if stop.reason == "cancelled":
                raise BrainError(f"the model {self.model} was interrupted")
            text: str = loaded.processor.batch_decode([new], skip_special_tokens=True)[0]
            sizes = tuple((image.width, image.height) for image in images)
            timings = (prepared - started, generated - prepared, time.monotonic() - generated)
            stats = StepStats(prompt_tokens, image_tokens, len(new), sizes, *timings)
        self.last_stats = stats
        log.info("%s: %s", self.model, stats)
        return text

    def _inputs(self, loaded: _Loaded, conversation: list[dict[str, Any]], images: list[Any]) -> Any:
        """The processor's tensors on the model's device. Every image already has its smart_resize
        size: a pixel budget from the smallest to the largest image makes the processor keep each."""
        kwargs: dict[str, Any] = {}
        if images and loaded.factor:
            for image in images:
                if image.width % loaded.factor or image.height % loaded.factor:
                    raise BrainError(
                        f"a {image.width}x{image.height} screenshot is not a multiple of {loaded.factor}, the image "
                        f"factor of {self.model} (a {loaded.family or 'model of unknown family'}): "
                        "the chosen model family does not match this model"
                    )
            areas = [image.width * image.height for image in images]
            kwargs["images_kwargs"] = {"size": {"shortest_edge": min(areas), "longest_edge": max(areas)}}
        processor = loaded.processor
        try:
            prompt = processor.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)
            inputs = processor(text=[prompt], images=images or None, return_tensors="pt", **kwargs)
        except Exception as exc:
            raise BrainError(f"the processor of {self.model} rejected the prompt: {type(exc).__name__}: {exc}") from exc
        inputs = inputs.to(loaded.device)
        if "pixel_values" in inputs:
            inputs["pixel_values"] = inputs["pixel_values"].to(loaded.dtype)
        return inputs

    def _logits_processors(self, loaded: _Loaded, prompt_tokens: int, messages: list[ChatMessage]) -> list[Any]:
        if self._factory is None:
            return []
        made = self._factory(GenerationContext(loaded.processor.tokenizer, prompt_tokens, messages))
        return list(made) if isinstance(made, list | tuple) else [made]


# ---------------------------------------------------------------------- helpers


def _greedy(model: Any, processor: Any, max_new_tokens: int) -> Any:
    """The checkpoint's generation config (eos ids, repetition penalty), decoding greedily. Its sampling
    knobs get neutral values: unset ones would be refilled from the checkpoint and warned about."""
    config = copy.deepcopy(model.generation_config)
    config.do_sample = False
    config.temperature, config.top_p, config.top_k = 1.0, 1.0, 50
    config.max_new_tokens = max_new_tokens
    if config.pad_token_id is None:
        tokenizer = processor.tokenizer
        config.pad_token_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    return config


def _stopper(transformers: Any, torch: Any, deadline: float | None, cancelled: threading.Event) -> Any:
    class _Stop(transformers.StoppingCriteria):  # type: ignore[misc]
        """Ends generation at the deadline or on cancellation (a forward pass cannot be interrupted)."""

        reason = ""

        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            if cancelled.is_set():
                self.reason = "cancelled"
            elif deadline is not None and time.monotonic() > deadline:
                self.reason = "deadline"
            stop = bool(self.reason)
            return torch.full((input_ids.shape[0],), stop, dtype=torch.bool, device=input_ids.device)

    return _Stop()


def _conversation(messages: Sequence[ChatMessage]) -> tuple[list[dict[str, Any]], list[Any]]:
    """The chat template's messages (an image is ``{"type": "image"}``) and the images, in order."""
    conversation: list[dict[str, Any]] = []
    images: list[Any] = []
    for message in messages:
        content = message["content"]
        if isinstance(content, str):
            conversation.append({"role": message["role"], "content": content})
            continue
        parts: list[dict[str, Any]] = []
        for part in content:
            if part["type"] == "text":
                parts.append({"type": "text", "text": part["text"]})
            else:
                images.append(_decode_image(part["image_url"]["url"]))
                parts.append({"type": "image"})
        conversation.append({"role": message["role"], "content": parts})
    return conversation, images


def _decode_image(url: str) -> Any:
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415

    head, _, data = url.partition(",")
    if not (head.startswith("data:image/") and head.endswith(";base64")):
        raise BrainError(f"the transformers brain takes images as base64 data URLs, got {url[:40]!r}")
    try:
        image = Image.open(io.BytesIO(base64.b64decode(data, validate=True)))
        return image.convert("RGB")
    except (binascii.Error, ValueError, UnidentifiedImageError, OSError) as exc:
        raise BrainError(f"a screenshot in the prompt cannot be decoded: {exc}") from exc

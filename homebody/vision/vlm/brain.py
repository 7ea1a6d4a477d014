"""The VLM brain: prompt a vision-language model with the screenshot, parse its reply into an action.

One decision is one model call, plus at most ``retries`` re-asks when the reply cannot be parsed
(the re-ask shows the model its reply and the parse error). When the re-asks fail too the brain
raises ``BrainError`` carrying the raw output, and the loop records it and fails the task. Where
the model runs is the ``Backend``'s business (an OpenAI-compatible server, or in-process).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Sequence
from typing import Protocol

from homebody.errors import BadInput, BrainError, ParseError
from homebody.types import BrainInput, Decision
from homebody.vision.vlm.families import Family
from homebody.vision.vlm.prompts import ChatMessage, PreparedImage, build_prompt, prepare_image, reask_messages

log = logging.getLogger(__name__)

#: How much of a raw reply goes into an error message.
RAW_LIMIT = 4000


class Backend(Protocol):
    """Somewhere a chat model runs. Raises ``BrainError`` when it cannot answer in ``timeout_s``."""

    name: str

    async def complete(self, messages: Sequence[ChatMessage], *, timeout_s: float | None = None) -> str: ...


class VlmBrain:
    """Implements the operator's ``Brain`` protocol with a VLM ``family`` over a ``backend``.

    ``max_pixels`` is the screenshot budget (default: the family's processor default; it must not
    exceed the server's own ``max_pixels``, or the server resizes again and pixel coordinates
    drift). ``history_images`` counts screenshots per request, the current one included.
    ``parse_failures`` counts unparseable replies over the brain's life.
    """

    def __init__(
        self,
        backend: Backend,
        family: Family,
        *,
        max_pixels: int | None = None,
        history_images: int = 1,
        history_steps: int = 10,
        retries: int = 1,
        timeout_s: float | None = None,
        jpeg_quality: int = 85,
    ) -> None:
        budget = family.default_max_pixels if max_pixels is None else max_pixels
        if budget < family.min_pixels:
            raise BadInput(f"--max-pixels must be at least {family.min_pixels} for {family.name}, got {budget}")
        if history_images < 1:
            raise BadInput(f"--history-images must be at least 1 (the current screenshot), got {history_images}")
        if retries < 0:
            raise BadInput(f"retries must be 0 or more, got {retries}")
        self.name = f"{backend.name}:{family.name}"
        self.family = family
        self.max_pixels = budget
        self.parse_failures = 0
        self._backend = backend
        self._history_steps = history_steps
        self._retries = retries
        self._timeout_s = timeout_s
        self._quality = jpeg_quality
        self._past: deque[PreparedImage] = deque(maxlen=history_images - 1)

    async def decide(self, inp: BrainInput) -> Decision:
        image = await asyncio.to_thread(self._prepare, inp)
        prompt = build_prompt(inp, self.family, image, past_images=tuple(self._past), history_steps=self._history_steps)
        messages = list(prompt.messages)
        raws: list[str] = []
        errors: list[str] = []
        for _attempt in range(self._retries + 1):
            raw = await self._backend.complete(messages, timeout_s=self._timeout_s)
            raws.append(raw)
            try:
                decision = self.family.parse(raw, prompt.mapping)
            except ParseError as exc:
                self.parse_failures += 1
                errors.append(str(exc))
                log.info("step %d: unparseable %s reply (%s)", inp.step, self.family.name, exc)
                messages += reask_messages(raw, str(exc))
                continue
            if self._past.maxlen:
                self._past.append(image)
            return _annotated(decision, raws, errors)
        raise BrainError(
            f"the {self.family.name} model's reply could not be used after {len(raws)} attempts: {errors[-1]}; "
            f"raw output: {raws[-1][:RAW_LIMIT]!r}"
        )

    def _prepare(self, inp: BrainInput) -> PreparedImage:
        try:
            return prepare_image(
                inp.frame, self.family, max_pixels=self.max_pixels, jpeg_quality=self._quality, step=inp.step
            )
        except ValueError as exc:
            raise BrainError(f"cannot prepare the screenshot for the model: {exc}") from exc


def _annotated(decision: Decision, raws: list[str], errors: list[str]) -> Decision:
    """Make re-asks visible in the events: the thought says so, ``raw`` holds every reply."""
    if not errors:
        return decision
    noun = "reply" if len(errors) == 1 else "replies"
    thought = f"[after {len(errors)} unparseable {noun}: {errors[-1]}] {decision.thought}".strip()
    parts = []
    for raw, error in zip(raws, errors, strict=False):
        parts += [raw, f"--- parse error: {error}; asked again ---"]
    parts.append(raws[-1])
    return decision.model_copy(update={"thought": thought, "raw": "\n".join(parts)})

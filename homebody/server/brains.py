"""The brain of a task from its JSON settings (the server side of ``homebody run``'s brain flags).

``check`` runs when a task is created, so a bad setting is a 422 naming the field before anything
starts; ``build`` runs when the task starts. Model backends are imported and loaded only then (a
transformers model loads once and is shared by later tasks asking for the same model).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from homebody.errors import BadInput
from homebody.protocols import Brain
from homebody.server.models import BrainIn, OpenAIBrainIn, ScriptBrainIn, StepsBrainIn, TransformersBrainIn
from homebody.vision.pixels.ocr import OcrReader
from homebody.vision.scripted import ScriptBrain
from homebody.vision.steps.brain import StepsBrain
from homebody.vision.steps.grammar import parse_steps
from homebody.vision.vlm.families import FAMILIES, Family, get_family, guess_family

log = logging.getLogger(__name__)


def _family(spec: OpenAIBrainIn | TransformersBrainIn, fallback: str | None = None) -> Family:
    name = spec.model_family or guess_family(spec.model) or fallback
    if name is None:
        known = ", ".join(FAMILIES)
        raise BadInput(f"brain.model_family: cannot tell the family of {spec.model!r}; give one of {known}")
    if name not in FAMILIES:
        raise BadInput(f"brain.model_family: unknown family {name!r}; known: {', '.join(FAMILIES)}")
    family = get_family(name)
    if spec.max_pixels is not None and spec.max_pixels < family.min_pixels:
        raise BadInput(f"brain.max_pixels: at least {family.min_pixels} for {family.name}, got {spec.max_pixels}")
    return family


def _local_family(spec: TransformersBrainIn) -> Family:
    from homebody.vision.vlm.local_models import inspect_model_dir, resolve_model  # noqa: PLC0415 - reads the HF cache

    try:
        path = resolve_model(spec.model)
        local = inspect_model_dir(path, spec.model)
    except BadInput as exc:
        raise BadInput(f"brain.model: {exc}") from None
    except OSError as exc:  # a name the file system refuses (too long, not allowed)
        raise BadInput(f"brain.model: cannot look for {spec.model[:100]!r}: {exc.strerror or exc}") from None
    return _family(spec, local.family if local else None)


@dataclass
class BrainFactory:
    """Builds brains for tasks; shares the OCR reader and loaded local models between them."""

    reader: OcrReader
    decide_timeout_s: float
    api_key: str | None = None
    _backends: dict[tuple[str, str, str], Any] = field(default_factory=dict)

    def check(self, spec: BrainIn, instruction: str) -> None:
        """Refuse settings that cannot work, naming the field (``BadInput``)."""
        match spec:
            case ScriptBrainIn():
                pass  # the steps were validated as actions when the body arrived
            case StepsBrainIn():
                if not instruction.strip():
                    raise BadInput(
                        "instruction: the steps brain needs the steps to follow, e.g. "
                        "'click Search products; type \"lamp\"; press Enter; done'"
                    )
                try:
                    parse_steps(instruction)
                except BadInput as exc:
                    raise BadInput(f"instruction: {exc}") from None
            case OpenAIBrainIn():
                _family(spec)
            case TransformersBrainIn():
                _local_family(spec)

    def build(self, spec: BrainIn, instruction: str) -> Brain:
        match spec:
            case ScriptBrainIn(steps=steps):
                return ScriptBrain(steps)
            case StepsBrainIn():
                return StepsBrain(instruction, self.reader)
            case OpenAIBrainIn():
                return self._openai(spec)
            case TransformersBrainIn():
                return self._transformers(spec)

    def _openai(self, spec: OpenAIBrainIn) -> Brain:
        from homebody.vision.vlm.brain import VlmBrain  # noqa: PLC0415
        from homebody.vision.vlm.openai_backend import OpenAIBackend  # noqa: PLC0415 - only for this brain

        backend = OpenAIBackend(spec.base_url, spec.model, api_key=self.api_key, timeout_s=self.decide_timeout_s / 4)
        return VlmBrain(
            backend,
            _family(spec),
            max_pixels=spec.max_pixels,
            history_images=spec.history_images,
            timeout_s=self.decide_timeout_s / 4,
        )

    def _transformers(self, spec: TransformersBrainIn) -> Brain:
        from homebody.vision.vlm.brain import VlmBrain  # noqa: PLC0415
        from homebody.vision.vlm.transformers_backend import TransformersBackend  # noqa: PLC0415 - torch, lazily

        family = _local_family(spec)
        key = (spec.model, spec.device, spec.dtype)
        if key not in self._backends:  # one copy of the weights in memory, however many tasks use it
            self._backends[key] = TransformersBackend(spec.model, device=spec.device, dtype=spec.dtype)
        return VlmBrain(
            self._backends[key],
            family,
            max_pixels=spec.max_pixels,
            history_images=spec.history_images,
            timeout_s=self.decide_timeout_s / 4,
        )

"""The one brain factory: a task's brain from its options, for the API and ``homebody run`` alike.

``check`` refuses options that cannot work before anything starts (a ``BadOption`` naming the
field: the API answers 422, the CLI exits 2 naming its flag); ``build`` makes the brain when the
task starts. Model backends are imported only then, and a transformers model loads once: later
tasks asking for the same model, device and dtype share its weights.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from homebody.compose.options import BrainIn, OpenAIBrainIn, ScriptBrainIn, StepsBrainIn, TransformersBrainIn
from homebody.errors import BadInput, BadOption
from homebody.protocols import Brain
from homebody.vision.pixels.ocr import OcrReader
from homebody.vision.scripted import ScriptBrain
from homebody.vision.steps.brain import StepsBrain
from homebody.vision.steps.grammar import parse_steps
from homebody.vision.vlm.families import FAMILIES, Family, get_family, guess_family

if TYPE_CHECKING:
    from homebody.vision.vlm.brain import Backend

log = logging.getLogger(__name__)

STEPS_EXAMPLE = "'click Search products; type \"lamp\"; press Enter; done'"


def _family(spec: OpenAIBrainIn | TransformersBrainIn, fallback: str | None = None) -> Family:
    name = spec.model_family or guess_family(spec.model) or fallback
    if name is None:
        known = ", ".join(FAMILIES)
        raise BadOption("brain.model_family", f"cannot tell the family of {spec.model!r}; give one of {known}")
    if name not in FAMILIES:
        raise BadOption("brain.model_family", f"unknown family {name!r}; known: {', '.join(FAMILIES)}")
    family = get_family(name)
    if spec.max_pixels is not None and spec.max_pixels < family.min_pixels:
        raise BadOption("brain.max_pixels", f"at least {family.min_pixels} for {family.name}, got {spec.max_pixels}")
    return family


def _local_family(spec: TransformersBrainIn) -> Family:
    from homebody.vision.vlm.local_models import inspect_model_dir, resolve_model  # noqa: PLC0415 - reads the HF cache

    try:
        path = resolve_model(spec.model)
        local = inspect_model_dir(path, spec.model)
    except BadInput as exc:
        raise BadOption("brain.model", str(exc)) from None
    except OSError as exc:  # a name the file system refuses (too long, not allowed)
        raise BadOption("brain.model", f"cannot look for {spec.model[:100]!r}: {exc.strerror or exc}") from None
    return _family(spec, local.family if local else None)


def _check_steps(instruction: str) -> None:
    if not instruction.strip():
        raise BadOption("instruction", f"the steps brain needs the steps to follow, e.g. {STEPS_EXAMPLE}")
    try:
        parse_steps(instruction)
    except BadInput as exc:
        raise BadOption("instruction", str(exc)) from None


@dataclass
class BrainFactory:
    """Builds brains for tasks; shares the OCR reader and loaded local models between them."""

    reader: OcrReader
    decide_timeout_s: float
    api_key: str | None = None
    _backends: dict[tuple[str, str, str], Backend] = field(default_factory=dict)

    def check(self, spec: BrainIn, instruction: str) -> None:
        """Refuse options that cannot work, naming the field (``BadOption``)."""
        match spec:
            case ScriptBrainIn():
                pass  # the steps were validated as actions when the options were
            case StepsBrainIn():
                _check_steps(instruction)
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
                family = _family(spec)
                return self._vlm(self._openai(spec), family, spec)
            case TransformersBrainIn():
                family = _local_family(spec)
                return self._vlm(self._transformers(spec), family, spec)

    def _vlm(self, backend: Backend, family: Family, spec: OpenAIBrainIn | TransformersBrainIn) -> Brain:
        from homebody.vision.vlm.brain import VlmBrain  # noqa: PLC0415 - only for the model brains

        timeout_s = self.decide_timeout_s / 4
        return VlmBrain(
            backend, family, max_pixels=spec.max_pixels, history_images=spec.history_images, timeout_s=timeout_s
        )

    def _openai(self, spec: OpenAIBrainIn) -> Backend:
        from homebody.vision.vlm.openai_backend import OpenAIBackend  # noqa: PLC0415 - only for this brain

        return OpenAIBackend(spec.base_url, spec.model, api_key=self.api_key, timeout_s=self.decide_timeout_s / 4)

    def _transformers(self, spec: TransformersBrainIn) -> Backend:
        from homebody.vision.vlm.transformers_backend import TransformersBackend  # noqa: PLC0415 - torch, lazily

        key = (spec.model, spec.device, spec.dtype)
        if key not in self._backends:  # one copy of the weights in memory, however many tasks use it
            self._backends[key] = TransformersBackend(spec.model, device=spec.device, dtype=spec.dtype)
        return self._backends[key]

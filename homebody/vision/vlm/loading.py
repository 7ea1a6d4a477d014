"""Loading a transformers VLM from disk: torch and transformers imported on first use, the device
and dtype picked, the processor (image-only for Qwen models when torchvision is missing) and the
model class chosen by the checkpoint's ``model_type``. Never touches the network
(``local_files_only``)."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from typing import Any

from homebody.errors import BadInput, BrainError

__all__ = ["INSTALL_HINT", "import_stack", "load_model", "load_processor", "pick_device", "pick_dtype"]

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'homebody[local]' (or: pip install torch transformers)"
#: Processor classes by ``model_type``, for the image-only fallback; model classes by ``model_type``.
_PROCESSORS = {"qwen2_vl": "Qwen2VLProcessor", "qwen2_5_vl": "Qwen2_5_VLProcessor"}
_PROCESSORS |= {"qwen3_vl": "Qwen3VLProcessor", "qwen3_vl_moe": "Qwen3VLProcessor"}
_MODELS = {"qwen2_5_vl": "Qwen2_5_VLForConditionalGeneration", "qwen3_vl": "Qwen3VLForConditionalGeneration"}


def import_stack() -> tuple[Any, Any]:
    """torch and transformers, imported on first use (untyped on purpose: ``Any`` keeps mypy fast)."""
    try:
        torch = importlib.import_module("torch")
        transformers = importlib.import_module("transformers")
    except ImportError as exc:
        raise BadInput(f"the transformers brain needs torch and transformers ({exc}): {INSTALL_HINT}") from None
    return torch, transformers


def pick_device(torch: Any, wanted: str) -> str:
    cuda = bool(torch.cuda.is_available())
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    if wanted == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if (wanted == "cuda" and not cuda) or (wanted == "mps" and not mps):
        raise BadInput(f"--device {wanted}: not available here (torch {torch.__version__}); try --device auto")
    return wanted


def pick_dtype(torch: Any, wanted: str, device: str) -> Any:
    if wanted != "auto":
        return getattr(torch, wanted)
    if device == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float16 if device == "mps" else torch.float32


def load_processor(transformers: Any, source: str, config: Any) -> Any:
    """``AutoProcessor``, or for Qwen models an image-only processor: their ``AutoProcessor`` insists
    on a video processor, which needs torchvision (so without torchvision it is not even tried)."""
    name = _PROCESSORS.get(getattr(config, "model_type", ""))
    base = getattr(transformers, name, None) if name else None
    why = "torchvision is not installed"
    if base is None or importlib.util.find_spec("torchvision") is not None:
        try:
            return transformers.AutoProcessor.from_pretrained(source, local_files_only=True)
        except Exception as exc:
            if base is None:
                raise BrainError(f"cannot load the processor from {source}: {type(exc).__name__}: {exc}") from exc
            why = f"{type(exc).__name__}: {str(exc).strip()[:200]}"
    try:
        processor = _image_only(base).from_pretrained(source, local_files_only=True)
    except Exception as exc:
        raise BrainError(f"cannot load the processor from {source} ({why}; image-only: {exc})") from exc
    log.info("using an image-only %s (%s)", name, why)
    return processor


def _image_only(base: Any) -> Any:
    """``base`` without its video processor: its sub-processors are read from ``__init__``'s signature."""

    def __init__(
        self: Any, image_processor: Any = None, tokenizer: Any = None, chat_template: Any = None, **kw: Any
    ) -> None:
        base.__init__(self, image_processor, tokenizer, None, chat_template=chat_template, **kw)

    return type(f"ImageOnly{base.__name__}", (base,), {"__init__": __init__, "__module__": __name__})


def load_model(transformers: Any, source: str, config: Any, dtype: Any, device: str) -> Any:
    name = _MODELS.get(getattr(config, "model_type", ""), "AutoModelForImageTextToText")
    model_class = getattr(transformers, name)
    options: dict[str, Any] = {"config": config, "dtype": dtype, "local_files_only": True}
    if device != "cpu":
        options["device_map"] = device  # straight onto the accelerator, without a full copy in RAM
    try:
        model = model_class.from_pretrained(source, attn_implementation="sdpa", **options)
    except ValueError as exc:  # an architecture without SDPA support
        if "sdpa" not in str(exc).lower():
            raise
        log.info("%s does not support SDPA attention; using eager", name)
        model = model_class.from_pretrained(source, attn_implementation="eager", **options)
    return model.eval()

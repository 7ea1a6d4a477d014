"""Which VLMs homebody can run in-process, which of them are on this machine, and downloading one.

Backs ``homebody models`` (``format_models_table``) and ``homebody pull MODEL`` (``pull``). Looking
is offline: the Hugging Face cache is scanned on disk (``huggingface_hub.scan_cache_dir``) and a
model's family is read from its ``config.json``. Only ``pull`` goes to the network, and it is the
only thing in homebody that downloads weights: running a task never does.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homebody.errors import BadInput, BrainError

log = logging.getLogger(__name__)

#: What ``pull`` fetches: weights, configs, tokenizer and templates (no READMEs, images or .bin twins).
PULL_PATTERNS = ["*.json", "*.safetensors", "*.jinja", "*.txt", "*.model", "*.tiktoken"]
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[\w.-]{1,96}$")


@dataclass(frozen=True, slots=True)
class SupportedModel:
    """A published checkpoint homebody knows how to prompt; ``download_gb``: its bf16 weights, roughly;
    ``note``: the GPU memory it wants in bf16 (weights plus a screenshot's activations)."""

    model_id: str
    family: str
    params: str
    download_gb: float
    note: str = ""


SUPPORTED: tuple[SupportedModel, ...] = (
    SupportedModel("Qwen/Qwen3-VL-2B-Instruct", "qwen3-vl", "2B", 4.3, "smallest; the only one usable on CPU (slow)"),
    SupportedModel("Qwen/Qwen3-VL-4B-Instruct", "qwen3-vl", "4B", 8.9, "a 12 GB GPU"),
    SupportedModel("Qwen/Qwen3-VL-8B-Instruct", "qwen3-vl", "8B", 17.5, "a 24 GB GPU"),
    SupportedModel("Qwen/Qwen2.5-VL-3B-Instruct", "qwen2.5-vl", "3B", 7.5, "a 12 GB GPU"),
    SupportedModel("Qwen/Qwen2.5-VL-7B-Instruct", "qwen2.5-vl", "7B", 16.6, "a 24 GB GPU"),
    SupportedModel("ByteDance-Seed/UI-TARS-1.5-7B", "ui-tars", "7B", 16.6, "a 24 GB GPU; a GUI-agent Qwen2.5-VL-7B"),
)
_SUPPORTED_IDS = {m.model_id.lower(): m for m in SUPPORTED}


@dataclass(frozen=True, slots=True)
class LocalModel:
    """A model on disk: a Hugging Face cache snapshot, or a directory the user points at."""

    model_id: str
    path: Path
    family: str | None
    size_bytes: int
    #: ``config.json``, every weight file it needs and a tokenizer are all there.
    complete: bool
    missing: tuple[str, ...] = ()

    @property
    def supported(self) -> bool:
        return self.model_id.lower() in _SUPPORTED_IDS


def model_family_from_config(config: Any, name: str | None = None) -> str | None:
    """The homebody family of a model, from its config (a ``PretrainedConfig`` or the parsed
    ``config.json``) and its name or path: ``qwen2_5_vl`` → ``qwen2.5-vl``, ``qwen3_vl`` →
    ``qwen3-vl``; a Qwen2.5-VL (or Qwen2-VL) named like UI-TARS → ``ui-tars``; otherwise ``None``."""
    if isinstance(config, Mapping):
        model_type, name_or_path = config.get("model_type"), config.get("_name_or_path")
    else:
        model_type, name_or_path = getattr(config, "model_type", None), getattr(config, "_name_or_path", None)
    ident = " ".join(str(part) for part in (name, name_or_path) if part).lower().replace("_", "-")
    is_uitars = "ui-tars" in ident or "uitars" in ident
    match model_type:
        case "qwen2_5_vl":
            return "ui-tars" if is_uitars else "qwen2.5-vl"
        case "qwen2_vl":
            return "ui-tars" if is_uitars else None  # Qwen2-VL's own grounding format is not supported
        case "qwen3_vl" | "qwen3_vl_moe":
            return "qwen3-vl"
    return None


def check_model_id(model_id: str) -> str:
    """``model_id`` if it looks like a Hub id (``owner/name``); ``BadInput`` otherwise."""
    cleaned = model_id.strip()
    if not _REPO_ID.match(cleaned) or ".." in cleaned:
        raise BadInput(f"{model_id!r} is not a Hugging Face model id like Qwen/Qwen3-VL-4B-Instruct")
    return cleaned


def inspect_model_dir(path: Path, model_id: str | None = None) -> LocalModel | None:
    """What the directory ``path`` holds, or ``None`` when it has no ``config.json``."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(config, dict):
        return None
    name = model_id or str(path)
    missing = [f for f in _needed_files(path) if not (path / f).is_file()]
    if not any((path / f).is_file() for f in ("tokenizer.json", "tokenizer_config.json", "vocab.json")):
        missing.append("tokenizer.json")
    size = sum(_file_size(p) for p in path.iterdir())
    return LocalModel(name, path, model_family_from_config(config, name), size, not missing, tuple(missing))


def local_models(cache_dir: str | Path | None = None) -> list[LocalModel]:
    """The models in the Hugging Face cache whose family homebody knows (no network).

    ``cache_dir`` defaults to the cache ``huggingface_hub`` uses (``$HF_HUB_CACHE``, else
    ``$HF_HOME/hub``, else ``~/.cache/huggingface/hub``). Empty without ``huggingface_hub``.
    """
    try:
        from huggingface_hub import scan_cache_dir  # noqa: PLC0415  (optional: comes with transformers)
        from huggingface_hub.errors import CacheNotFound  # noqa: PLC0415
    except ImportError:
        log.info("huggingface_hub is not installed: no cached models to list")
        return []
    try:
        info = scan_cache_dir(cache_dir)
    except CacheNotFound:
        return []
    found = []
    for repo in sorted(info.repos, key=lambda r: r.repo_id.lower()):
        if repo.repo_type != "model" or not repo.revisions:
            continue
        revision = max(repo.revisions, key=lambda r: ("main" in r.refs, r.last_modified))
        model = inspect_model_dir(revision.snapshot_path, repo.repo_id)
        if model is not None and model.family is not None:
            found.append(model)
    return found


def find_local(model_id: str, cache_dir: str | Path | None = None) -> LocalModel | None:
    """The cached snapshot of ``model_id`` (its ``main`` revision), without any network access."""
    repo_id = check_model_id(model_id)
    try:
        from huggingface_hub import snapshot_download  # noqa: PLC0415
        from huggingface_hub.errors import LocalEntryNotFoundError  # noqa: PLC0415
    except ImportError:
        return None
    try:
        path = snapshot_download(repo_id, cache_dir=cache_dir, local_files_only=True)
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None
    return inspect_model_dir(Path(path), repo_id)


def resolve_model(model_id_or_path: str | Path, cache_dir: str | Path | None = None) -> Path:
    """The directory to load ``model_id_or_path`` from: itself when it is a directory, else the
    cached snapshot of that Hub id. Never downloads; ``BadInput`` saying what to do otherwise."""
    name = str(model_id_or_path)
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    if path.exists():
        raise BadInput(f"--model {name}: a file, not a model directory")
    if name.startswith((".", "/", "~")) or name.count("/") != 1:
        raise BadInput(f"--model {name}: no such directory, and not a Hugging Face model id")
    local = find_local(name, cache_dir)
    if local is None:
        raise BadInput(
            f"the model {name} is not on this machine: run `homebody pull {name}` "
            "(downloads it into the Hugging Face cache) or pass --model /path/to/a/model/directory"
        )
    if not local.complete:
        missing = ", ".join(local.missing)
        raise BadInput(f"the download of {name} is incomplete (missing {missing}): run `homebody pull {name}` again")
    return local.path


def format_models_table(cache_dir: str | Path | None = None) -> str:
    """The text of ``homebody models``: the supported models and whether each is downloaded, then
    any other compatible model found in the cache."""
    cached = {m.model_id.lower(): m for m in local_models(cache_dir)}
    rows = [("MODEL", "FAMILY", "PARAMS", "DOWNLOAD", "ON THIS MACHINE", "NOTE")]
    for model in SUPPORTED:
        local = cached.pop(model.model_id.lower(), None)
        size = f"≈{model.download_gb:.1f} GB"
        rows.append((model.model_id, model.family, model.params, size, _status(local), model.note))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 5 else cell for i, cell in enumerate(row)).rstrip() for row in rows]
    others = [m for m in cached.values() if m.family is not None]
    if others:
        lines += ["", "Other compatible models in the cache:"]
        lines += [f"  {m.model_id}  ({m.family})  {_status(m)}" for m in others]
    lines += ["", f"Hugging Face cache: {_cache_location(cache_dir)}"]
    lines.append("Download one with `homebody pull MODEL`; a local directory works too (--model /path/to/model).")
    return "\n".join(lines)


def pull(model_id: str, *, progress: bool = True, cache_dir: str | Path | None = None) -> LocalModel:
    """Download ``model_id`` into the Hugging Face cache (resuming a partial download).

    ``BadInput`` for an id that is not one or that the Hub does not have; ``BrainError`` when the
    Hub cannot be reached (no network, ``HF_HUB_OFFLINE=1``). Progress bars go to stderr.
    """
    repo_id = check_model_id(model_id)
    try:
        from huggingface_hub import errors as hub_errors  # noqa: PLC0415
        from huggingface_hub import snapshot_download  # noqa: PLC0415
        from huggingface_hub.utils.tqdm import (  # noqa: PLC0415
            are_progress_bars_disabled,
            disable_progress_bars,
            enable_progress_bars,
        )
    except ImportError:
        raise BadInput("downloading models needs huggingface_hub: pip install 'homebody[local]'") from None
    if repo_id.lower() not in _SUPPORTED_IDS:
        log.warning("%s is not one of the models homebody was tested with (see `homebody models`)", repo_id)
    was_disabled = are_progress_bars_disabled()
    if not progress:
        disable_progress_bars()
    try:
        path = snapshot_download(repo_id, cache_dir=cache_dir, allow_patterns=PULL_PATTERNS)
    except hub_errors.GatedRepoError:
        raise BadInput(f"{repo_id} is gated on the Hugging Face Hub: accept its licence there and log in") from None
    except hub_errors.RepositoryNotFoundError:
        raise BadInput(f"the Hugging Face Hub has no model {repo_id}: check the spelling (`homebody models`)") from None
    except hub_errors.OfflineModeIsEnabled:
        raise BrainError(f"cannot download {repo_id}: offline mode is on (HF_HUB_OFFLINE=1)") from None
    except hub_errors.LocalEntryNotFoundError as exc:
        offline = "HF_HUB_OFFLINE" in str(exc) or "traffic has been disabled" in str(exc)
        reason = "offline mode is on (HF_HUB_OFFLINE=1)" if offline else f"no connection ({_first_line(exc)})"
        raise BrainError(f"cannot download {repo_id}: {reason}, and it is not in the cache") from None
    except (hub_errors.HfHubHTTPError, OSError) as exc:
        raise BrainError(f"cannot download {repo_id}: {_first_line(exc)}") from None
    finally:
        if not progress and not was_disabled:
            enable_progress_bars()
    local = inspect_model_dir(Path(path), repo_id)
    if local is None or not local.complete:
        missing = ", ".join(local.missing) if local else "config.json"
        raise BrainError(f"the download of {repo_id} is incomplete (missing {missing}): run `homebody pull` again")
    if local.family is None:
        log.warning("%s downloaded, but its architecture is not one homebody can prompt", repo_id)
    log.info("%s is in %s (%.1f GB)", repo_id, local.path, local.size_bytes / 1e9)
    return local


def _needed_files(path: Path) -> list[str]:
    index = path / "model.safetensors.index.json"
    if index.is_file():
        try:
            weight_map = json.loads(index.read_text(encoding="utf-8")).get("weight_map", {})
            return ["model.safetensors.index.json", *sorted(set(weight_map.values()))]
        except (OSError, ValueError, AttributeError):
            return ["model.safetensors.index.json", "model-*.safetensors"]
    if (path / "pytorch_model.bin").is_file():
        return ["pytorch_model.bin"]
    return ["model.safetensors"]


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0  # follows the cache's symlinks to blobs
    except OSError:
        return 0


def _status(local: LocalModel | None) -> str:
    if local is None:
        return "not downloaded"
    if not local.complete:
        return f"incomplete ({local.size_bytes / 1e9:.1f} GB so far): pull it again"
    return f"ready ({local.size_bytes / 1e9:.1f} GB)"


def _cache_location(cache_dir: str | Path | None) -> str:
    if cache_dir is not None:
        return str(cache_dir)
    try:
        from huggingface_hub import constants  # noqa: PLC0415
    except ImportError:
        return "(huggingface_hub is not installed)"
    return str(constants.HF_HUB_CACHE)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[0] if lines else type(exc).__name__
    return line.removeprefix("Got: ")[:300]

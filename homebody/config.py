"""One frozen ``Settings`` object, built once by the composition root (CLI or server).

Library code receives what it needs from here; it never reads environment variables itself.
``build_settings`` is the one place that looks at the environment mapping it is handed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from homebody.errors import BadInput
from homebody.types import Size

DEFAULT_VIEWPORT = Size(1280, 800)
#: OCR runs on both cores of a small home machine; more threads than cores is several times slower.
OCR_THREADS = 2


@dataclass(frozen=True, slots=True)
class Limits:
    """Budgets and timeouts for one task. Every call that leaves the process has a timeout."""

    max_steps: int = 50
    action_timeout_s: float = 10.0
    navigation_timeout_s: float = 20.0
    capture_timeout_s: float = 10.0
    decide_timeout_s: float = 300.0
    check_timeout_s: float = 10.0
    #: How long the task's first page runs before the first action, for the effect gate to learn
    #: what the page sends by itself (beacons, polling, heartbeats); at the same time as the verifier
    #: learns what moves by itself.
    effect_learn_s: float = 1.0


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    browser_path: str | None = None
    viewport: Size = DEFAULT_VIEWPORT
    headless: bool = True
    limits: Limits = Limits()
    host: str = "127.0.0.1"
    port: int = 8765
    jpeg_quality: int = 80
    #: CSS selectors of fields the user marks secret, beyond passwords and card numbers
    #: (``$HOMEBODY_SENSITIVE``, separated by ``;``): painted over in every frame.
    sensitive_selectors: tuple[str, ...] = ()

    @property
    def profiles_dir(self) -> Path:
        return self.data_dir / "profiles"

    @property
    def tasks_dir(self) -> Path:
        return self.data_dir / "tasks"

    @property
    def token_path(self) -> Path:
        return self.data_dir / "token"


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """``$HOMEBODY_DATA_DIR``, else ``$XDG_DATA_HOME/homebody``, else ``~/.local/share/homebody``."""
    if environ.get("HOMEBODY_DATA_DIR"):
        return Path(environ["HOMEBODY_DATA_DIR"]).expanduser()
    xdg = environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "homebody"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it readable by its owner only (0700)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    except OSError as exc:
        raise BadInput(f"cannot use data directory {path}: {exc.strerror or exc}") from exc
    return path


def build_settings(
    environ: Mapping[str, str],
    *,
    data_dir: str | Path | None = None,
    headless: bool = True,
    max_steps: int | None = None,
) -> Settings:
    """Resolve the data dir (flag, env, XDG) and the browser, and return the settings."""
    resolved = Path(data_dir).expanduser() if data_dir else default_data_dir(environ)
    ensure_private_dir(resolved)
    limits = Limits() if max_steps is None else Limits(max_steps=max_steps)
    if limits.max_steps < 1:
        raise BadInput(f"--max-steps must be at least 1, got {limits.max_steps}")
    return Settings(
        data_dir=resolved,
        browser_path=environ.get("HOMEBODY_BROWSER") or None,
        headless=headless,
        limits=limits,
        sensitive_selectors=tuple(s.strip() for s in environ.get("HOMEBODY_SENSITIVE", "").split(";") if s.strip()),
    )

"""What a login service runs, and how one service manager handles it: plain typed values, no I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Platform = Literal["linux", "macos"]
#: One command line as an argument list; never joined into a shell string to be run.
Command = tuple[str, ...]

DEFAULT_PORT = 8765


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """``homebody serve`` as the service runs it: the interpreter, the port, an absolute data dir."""

    python: str
    port: int
    data_dir: Path
    notify_webhook: str | None = None

    @property
    def argv(self) -> Command:
        # `python -m homebody` rather than a `homebody` script on PATH: a login session's PATH rarely
        # holds the venv, and the interpreter that ran `install` is the one that has homebody.
        argv: Command = (self.python, "-m", "homebody", "serve", "--port", str(self.port))
        argv += ("--data-dir", str(self.data_dir))
        if self.notify_webhook:
            argv += ("--notify-webhook", self.notify_webhook)
        return argv


@dataclass(frozen=True, slots=True)
class CommandResult:
    """How one service-manager command went: ``ok`` is exit status 0; ``output`` is what it said."""

    ok: bool
    output: str
    stdout: str = ""


@dataclass(frozen=True, slots=True)
class ServiceManager:
    """One platform's service manager: where the file goes, what it holds, and the commands around it."""

    platform: Platform
    tool: str
    path: Path
    render: Callable[[ServiceSpec], bytes]
    start: tuple[Command, ...]
    stop: tuple[Command, ...]
    #: Run after the file is gone, so the manager forgets it (systemd caches unit files).
    after_remove: tuple[Command, ...]
    #: What to run by hand when ``stop`` could not run and the file is already gone.
    stop_removed: tuple[Command, ...]
    #: Links the manager made to the file when it was enabled; removed with it, as ``disable`` would.
    links: tuple[Path, ...]
    status: Command
    #: The state a status command's result stands for, in a few words.
    describe_status: Callable[[CommandResult], str]

"""``install``, ``status`` and ``uninstall``: write or remove the file, then ask the manager, best effort.

The file is the install; starting it is a convenience. Where the manager cannot be reached (no user
session bus in a container, no ``systemctl`` at all) the install still stands and the commands to
run by hand are printed instead.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from dataclasses import dataclass

from homebody.cli.service.spec import Command, CommandResult, ServiceManager, ServiceSpec
from homebody.errors import BadInput, HomebodyError

COMMAND_TIMEOUT_S = 30.0
UNDO = "homebody service uninstall"
LINGER_HINT = "to start it at boot without logging in: loginctl enable-linger $USER"


def run_command(argv: Command, timeout: float = COMMAND_TIMEOUT_S) -> CommandResult:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return CommandResult(ok=False, output=str(exc))
    said = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
    return CommandResult(ok=proc.returncode == 0, output=said[-1] if said else "", stdout=proc.stdout)


def run_all(manager: ServiceManager, commands: tuple[Command, ...]) -> str | None:
    """Run ``commands`` in order; ``None`` when all went well, else why the first failure failed."""
    if shutil.which(manager.tool) is None:
        return f"{manager.tool} is not on PATH"
    for argv in commands:
        result = run_command(argv)
        if not result.ok:
            return f"{shlex.join(argv)}: {result.output or 'failed'}"
    return None


def _indented(commands: tuple[Command, ...]) -> list[str]:
    return [f"  {shlex.join(argv)}" for argv in commands]


def install(manager: ServiceManager, spec: ServiceSpec, *, force: bool, start: bool) -> list[str]:
    """Write the service file and start it; the lines to print say what was done and how to undo it."""
    path = manager.path
    content = manager.render(spec)
    previous = path.read_bytes() if path.is_file() else None
    if previous == content:
        return [f"already installed: {path}", "check it: homebody service status", f"to undo: {UNDO}"]
    if previous is not None and not force:
        raise BadInput(f"{path} exists and differs from what this install would write; pass --force to replace it")
    lines: list[str] = []
    # A replaced service is still running the old command line: stop it so the start picks up the new one.
    if previous is not None and start:
        run_all(manager, manager.stop)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        path.chmod(0o600)  # the user's own manager reads it; a webhook URL in it may carry a secret
    except OSError as exc:
        raise HomebodyError(f"cannot write {path}: {exc.strerror or exc}") from exc
    lines += [f"{'replaced' if previous is not None else 'wrote'} {path}", f"  runs: {shlex.join(spec.argv)}"]
    to_start = (manager.stop if previous is not None else ()) + manager.start
    if not start:
        lines += ["not started (--no-start); to start it now:", *_indented(manager.start)]
    elif (failure := run_all(manager, manager.start)) is None:
        lines.append(f"started: {shlex.join(manager.start[-1])}")
    else:
        lines += [f"could not start it from here ({failure}); run:", *_indented(to_start)]
    if manager.platform == "linux":
        lines.append(LINGER_HINT)
    lines.append(f"to undo: {UNDO}")
    return lines


@dataclass(frozen=True, slots=True)
class Status:
    platform: str
    installed: bool
    path: str
    state: str | None

    def lines(self) -> list[str]:
        if not self.installed:
            return [f"not installed (no {self.path}); install it: homebody service install"]
        return [f"installed: {self.path}", f"state: {self.state}"]


def status(manager: ServiceManager) -> Status:
    installed = manager.path.is_file()
    state: str | None = None
    if installed:
        if shutil.which(manager.tool) is None:
            state = f"unknown: {manager.tool} is not on PATH"
        else:
            state = manager.describe_status(run_command(manager.status))
    return Status(platform=manager.platform, installed=installed, path=str(manager.path), state=state)


def uninstall(manager: ServiceManager, *, stop: bool) -> list[str]:
    path = manager.path
    if not path.exists():
        return [f"not installed: there is no {path}"]
    failure = run_all(manager, manager.stop) if stop else "--no-stop"
    removed = [path, *(link for link in manager.links if link.is_symlink() and link.resolve() == path.resolve())]
    try:
        for each in removed:
            each.unlink()
    except OSError as exc:
        raise HomebodyError(f"cannot remove {exc.filename}: {exc.strerror or exc}") from exc
    lines = [f"removed {each}" for each in removed]
    if failure is None:
        run_all(manager, manager.after_remove)
    else:
        lines += [f"not stopped ({failure}); if it is still running:", *_indented(manager.stop_removed)]
    return lines

"""A launchd agent for ``homebody serve``: ``~/Library/LaunchAgents/org.homebody.serve.plist``."""

from __future__ import annotations

import plistlib
from pathlib import Path

from homebody.cli.service.spec import CommandResult, ServiceManager, ServiceSpec

LABEL = "org.homebody.serve"


def plist_bytes(spec: ServiceSpec) -> bytes:
    agent = {
        "Label": LABEL,
        "ProgramArguments": list(spec.argv),
        "RunAtLoad": True,
        # launchd starts it again whenever it exits, as systemd's Restart= does on Linux.
        "KeepAlive": True,
        "EnvironmentVariables": {"PYTHONUNBUFFERED": "1"},
        # A login agent has no terminal: its output goes to files beside the rest of homebody's data.
        "StandardOutPath": str(spec.data_dir / "service.log"),
        "StandardErrorPath": str(spec.data_dir / "service.err.log"),
    }
    return plistlib.dumps(agent, fmt=plistlib.FMT_XML, sort_keys=True)


def plist_path(home: Path) -> Path:
    return home / "Library" / "LaunchAgents" / f"{LABEL}.plist"


def _describe(result: CommandResult) -> str:
    return "loaded" if result.ok else f"not loaded: {result.output or 'launchctl print found no such service'}"


def manager(home: Path, uid: int) -> ServiceManager:
    path = plist_path(home)
    domain = f"gui/{uid}"
    return ServiceManager(
        platform="macos",
        tool="launchctl",
        path=path,
        render=plist_bytes,
        start=(("launchctl", "bootstrap", domain, str(path)),),
        stop=(("launchctl", "bootout", f"{domain}/{LABEL}"),),
        after_remove=(),
        stop_removed=(("launchctl", "bootout", f"{domain}/{LABEL}"),),
        links=(),
        status=("launchctl", "print", f"{domain}/{LABEL}"),
        describe_status=_describe,
    )

"""Which service manager this machine has: systemd on Linux, launchd on macOS."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from homebody.cli.service import launchd, systemd
from homebody.cli.service.spec import Platform, ServiceManager
from homebody.errors import BadInput


def this_platform() -> Platform:
    if sys.platform == "darwin":
        return "macos"
    if sys.platform.startswith("linux"):
        return "linux"
    raise BadInput(f"homebody service knows systemd (Linux) and launchd (macOS), not {sys.platform}")


def manager_for(platform: Platform, environ: Mapping[str, str], home: Path) -> ServiceManager:
    if platform == "macos":
        return launchd.manager(home, os.getuid())
    return systemd.manager(environ, home)

"""Finding a Chromium-family browser to drive, and the flags that keep it private.

homebody drives the browser the user already has (Debian's ``chromium``, Google Chrome, …) and
falls back to Playwright's own download where one was installed. When none is found the error says
which command installs one on this operating system.
"""

from __future__ import annotations

import os
import platform
import shutil
from collections.abc import Sequence
from pathlib import Path

from playwright.async_api import BrowserContext, Playwright
from playwright.async_api import Error as PlaywrightError

from homebody.config import Settings
from homebody.errors import BrowserNotFound, ComputerError
from homebody.sessions.closing import first_line

#: Flags for every launch. The networking flags stop Chromium's own background traffic (updates,
#: sync, field trials, safe-browsing lists): nothing should leave the machine but the task's pages.
PRIVACY_FLAGS: tuple[str, ...] = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-quic",
    "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication",
)

EXECUTABLE_NAMES: tuple[str, ...] = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
)

MAC_APPS: tuple[str, ...] = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
)


def launch_flags(*, headless: bool, running_as_root: bool) -> list[str]:
    flags = list(PRIVACY_FLAGS)
    if running_as_root:
        # Chromium refuses to start its sandbox as root; containers and CI run as root.
        flags.append("--no-sandbox")
    if headless:
        flags.append("--disable-gpu")
    else:
        flags.append("--test-type")  # hides the "unsupported flag" bar in a visible window
    return flags


def _os_release() -> dict[str, str]:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return {}
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {k: v.strip().strip('"') for k, v in pairs}


def install_hint(system: str | None = None, os_release: dict[str, str] | None = None) -> str:
    """The command that installs a browser on this machine, as advice for an error message."""
    system = system or platform.system()
    if system == "Darwin":
        return "install Google Chrome, or run: .venv/bin/python -m playwright install chromium"
    release = _os_release() if os_release is None else os_release
    family = f"{release.get('ID', '')} {release.get('ID_LIKE', '')}"
    if "debian" in family or "ubuntu" in family:
        return "install Chromium with: sudo apt-get install chromium"
    if "fedora" in family or "rhel" in family:
        return "install Chromium with: sudo dnf install chromium"
    if "arch" in family:
        return "install Chromium with: sudo pacman -S chromium"
    return "install one with: .venv/bin/python -m playwright install chromium"


def find_browser(
    explicit: str | None,
    *,
    search_path: str | None = None,
    extra_candidates: Sequence[str] = MAC_APPS,
    bundled: str | None = None,
) -> str:
    """Return the browser executable to drive.

    Order: ``explicit`` (``$HOMEBODY_BROWSER``), then the names above on ``search_path`` (``PATH``
    when None), then the macOS application bundles, then ``bundled`` (Playwright's download).
    """
    if explicit:
        if os.path.isfile(explicit) and os.access(explicit, os.X_OK):
            return explicit
        raise BrowserNotFound(
            f"the browser {explicit!r} (HOMEBODY_BROWSER) does not exist or is not executable; "
            f"unset it to search for one, or {install_hint()}"
        )
    for name in EXECUTABLE_NAMES:
        found = shutil.which(name, path=search_path)
        if found:
            return found
    for candidate in (*extra_candidates, *([bundled] if bundled else [])):
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise BrowserNotFound(f"no Chromium or Chrome browser was found; {install_hint()}")


async def launch_persistent(pw: Playwright, executable: str, user_data_dir: Path, settings: Settings) -> BrowserContext:
    """Chromium on the profile at ``user_data_dir``, with homebody's flags, viewport and timeouts."""
    flags = launch_flags(headless=settings.headless, running_as_root=is_root())
    try:
        context = await pw.chromium.launch_persistent_context(
            user_data_dir,
            executable_path=executable,
            headless=settings.headless,
            args=flags,
            viewport={"width": settings.viewport.width, "height": settings.viewport.height},
            device_scale_factor=1,
            handle_sigint=False,
            handle_sigterm=False,
            handle_sighup=False,
            timeout=30_000,
        )
    except PlaywrightError as exc:
        raise ComputerError(f"could not start the browser {executable}: {first_line(exc)}") from exc
    context.set_default_timeout(settings.limits.action_timeout_s * 1000)
    context.set_default_navigation_timeout(settings.limits.navigation_timeout_s * 1000)
    return context


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0

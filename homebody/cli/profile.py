"""``homebody profile list | new | login | delete | check``: named browser profiles that keep logins.

A profile is ``<data dir>/profiles/NAME/`` (0700). ``login`` shows a real browser window on it for
the user to sign in by hand; ``check`` says whether a site is still signed in there (exit 0 signed
in, 1 signed out, 2 bad input, 4 the check itself failed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from homebody.config import Settings, build_settings
from homebody.errors import BadInput
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.browser.signin import SignInStatus, open_login_window
from homebody.sessions.profiles import ProfileInfo, ProfileStore, validate_profile_name

EXIT_SIGNED_IN = 0
EXIT_SIGNED_OUT = 1
EXIT_INTERRUPTED = 130
DEFAULT_LOGIN_WAIT_MIN = 30.0


def add_profile_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``homebody profile …`` to the top-level subcommands."""
    profile = sub.add_parser("profile", help="named browser profiles that keep your logins")
    cmds = profile.add_subparsers(dest="profile_command", required=True, metavar="SUBCOMMAND")
    _common(cmds.add_parser("list", help="the profiles: size on disk, whether in use, when last used"))
    new = _common(cmds.add_parser("new", help="create an empty profile"))
    new.add_argument("name", help="1-64 letters, digits, '-', '_' or '.'")
    login = _common(cmds.add_parser("login", help="open a browser window on the profile to sign in by hand"))
    login.add_argument("name", help="the profile (created if missing)")
    login.add_argument("url", help="the site's sign-in page, e.g. https://mail.example.com/")
    login.add_argument(
        "--wait-minutes",
        type=float,
        default=DEFAULT_LOGIN_WAIT_MIN,
        help=f"close the window by itself after this long (default {DEFAULT_LOGIN_WAIT_MIN:g})",
    )
    delete = _common(cmds.add_parser("delete", help="delete a profile that no task is using"))
    delete.add_argument("name")
    check = _common(cmds.add_parser("check", help="is URL still signed in in this profile? (exit 0 yes, 1 no)"))
    check.add_argument("name")
    check.add_argument("url", help="a page that needs a sign-in, e.g. https://mail.example.com/inbox")


def _common(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument(
        "--data-dir",
        help="where profiles live (default: $HOMEBODY_DATA_DIR, else ~/.local/share/homebody)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    return p


def cmd_profile(args: argparse.Namespace) -> int:
    command: str = args.profile_command
    if command != "list":
        validate_profile_name(args.name)  # before anything touches the disk
    if command in {"login", "check"}:
        validate_site_url(args.url)
    if command == "login":
        require_display(os.environ, sys.platform)
        if not args.wait_minutes > 0:
            raise BadInput(f"--wait-minutes must be more than 0, got {args.wait_minutes:g}")
    settings = build_settings(os.environ, data_dir=args.data_dir, headless=command != "login")
    store = ProfileStore(settings.profiles_dir)
    match command:
        case "list":
            return _list(store)
        case "new":
            created = store.create(args.name)
            print(f"created profile {created.name!r} in {created.path}")
            print(f"sign in to a site with: homebody profile login {created.name} URL")
            return 0
        case "login":
            return _login(settings, store, args.name, args.url, args.wait_minutes * 60)
        case "delete":
            removed = store.delete(args.name)
            print(f"deleted profile {removed.name!r}: removed {removed.path} ({human_size(removed.size_bytes)})")
            return 0
        case "check":
            store.get(args.name, create=False)  # a missing profile is bad input, not a signed-out site
            status = asyncio.run(check_profile(settings, args.name, args.url))
            print(f"{'signed in' if status.signed_in else 'signed out'}: {status.reason}")
            return EXIT_SIGNED_IN if status.signed_in else EXIT_SIGNED_OUT
        case other:
            raise BadInput(f"unknown profile command {other!r}")


def validate_site_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        hint = f" (did you mean https://{url}?)" if "://" not in url and url.strip() else ""
        raise BadInput(f"URL must be an http:// or https:// address, got {url!r}{hint}")
    return url


def require_display(environ: Mapping[str, str], platform: str) -> None:
    """``profile login`` shows a window: on Linux and other X11/Wayland systems that needs a display."""
    if platform in {"darwin", "win32", "cygwin"}:
        return
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return
    raise BadInput(
        "`homebody profile login` opens a browser window for you to sign in, but there is no display "
        "here ($DISPLAY and $WAYLAND_DISPLAY are unset). Run it in a terminal on the machine's desktop, "
        "or inside a remote-desktop session (VNC, RDP, ssh -X); under a remote desktop you can also "
        "sign in during a task with `homebody run --headful --profile NAME`."
    )


def _list(store: ProfileStore) -> int:
    infos = store.infos()
    if not infos:
        print(f"no profiles in {store.directory}; create one with: homebody profile new NAME")
        return 0
    rows = [("NAME", "SIZE", "IN USE", "LAST USED")] + [_row(info) for info in infos]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True)) + "  " + row[3])
    return 0


def _row(info: ProfileInfo) -> tuple[str, str, str, str]:
    last = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.last_used)) if info.last_used else "never"
    return info.name, human_size(info.size_bytes), "yes" if info.in_use else "no", last


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"  # pragma: no cover - the loop always returns


def _login(settings: Settings, store: ProfileStore, name: str, url: str, wait_s: float) -> int:
    existed = name in store.names()
    profile = store.get(name)
    if not existed:
        print(f"created profile {name!r} in {profile.path}")

    def opened(note: str) -> None:
        print(f"{note} in a browser window on profile {name!r}.")
        print("Sign in there. When you are done, close the window (every tab) to save the profile.")
        print(f"(The window closes by itself after {wait_s / 60:g} minutes; Ctrl-C also saves and stops.)", flush=True)

    try:
        by_user = asyncio.run(open_login_window(settings, profile, url, wait_s=wait_s, on_open=opened))
    except KeyboardInterrupt:
        # The window was closed on the way out (Chromium writes the profile as it closes).
        print(f"interrupted; profile {name!r} is saved as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    why = "" if by_user else f" (closed after {wait_s / 60:g} minutes)"
    print(f"saved profile {name!r}{why}; check it with: homebody profile check {name} {url}")
    return 0


async def check_profile(settings: Settings, name: str, url: str) -> SignInStatus:
    """Open the profile headless (locked, like a task) and run the signed-in check on ``url``."""
    computer = await BrowserComputer.open(settings, profile=name)
    async with computer:
        return await computer.signed_in(url)

"""``homebody service install | status | uninstall``: ``homebody serve`` as a login service.

A systemd user unit on Linux, a launchd agent on macOS: it starts at login, comes back if it dies,
and needs no root. ``status`` exits 0 when installed, 1 when not, 2 on bad input. The hidden
``--platform linux|macos`` writes the other platform's file (tests); by default it is this machine's.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from homebody.cli.service import actions
from homebody.cli.service.platforms import manager_for, this_platform
from homebody.cli.service.spec import DEFAULT_PORT, ServiceManager, ServiceSpec
from homebody.config import build_settings
from homebody.errors import BadInput

EXIT_INSTALLED = 0
EXIT_NOT_INSTALLED = 1

__all__ = ["add_service_parser", "cmd_service"]


def add_service_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``homebody service …`` to the top-level subcommands."""
    service = sub.add_parser(
        "service", help="run `homebody serve` at login and restart it if it dies (systemd user unit / launchd agent)"
    )
    cmds = service.add_subparsers(dest="service_command", required=True, metavar="SUBCOMMAND")
    install = _common(cmds.add_parser("install", help="write the service file and start it; prints how to undo it"))
    install.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})")
    install.add_argument(
        "--data-dir",
        help="where tasks, profiles, recordings and the token live, written into the service as an absolute path "
        "(default: $HOMEBODY_DATA_DIR, else ~/.local/share/homebody)",
    )
    install.add_argument("--notify-webhook", metavar="URL", help="POST a JSON notice here when a task halts")
    install.add_argument("--force", action="store_true", help="replace a service file that differs from this one")
    install.add_argument("--no-start", action="store_true", help="only write the file; do not enable or start it")
    status = _common(cmds.add_parser("status", help="is it installed, and running? (exit 0 installed, 1 not)"))
    status.add_argument("--json", action="store_true", help="print one JSON object")
    uninstall = _common(cmds.add_parser("uninstall", help="stop and disable the service and remove its file"))
    uninstall.add_argument("--no-stop", action="store_true", help="only remove the file; do not ask the manager")


def _common(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--platform", choices=["linux", "macos"], help=argparse.SUPPRESS)
    p.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    return p


def _manager(args: argparse.Namespace) -> ServiceManager:
    return manager_for(args.platform or this_platform(), os.environ, Path.home())


def _spec(args: argparse.Namespace) -> ServiceSpec:
    if not 1 <= args.port <= 65535:
        raise BadInput(f"--port must be between 1 and 65535, got {args.port}")
    if not sys.executable or not Path(sys.executable).is_absolute():
        raise BadInput("cannot tell which Python runs homebody (sys.executable is not an absolute path)")
    # The service starts without this shell's environment or working directory: the data dir is
    # resolved now, the way `homebody serve` would resolve it here, and written down absolute.
    data_dir = build_settings(os.environ, data_dir=args.data_dir).data_dir.resolve()
    return ServiceSpec(python=sys.executable, port=args.port, data_dir=data_dir, notify_webhook=args.notify_webhook)


def cmd_service(args: argparse.Namespace) -> int:
    match args.service_command:
        case "install":
            spec = _spec(args)
            print("\n".join(actions.install(_manager(args), spec, force=args.force, start=not args.no_start)))
            return 0
        case "status":
            state = actions.status(_manager(args))
            if args.json:
                print(json.dumps(dataclasses.asdict(state)))
            else:
                print("\n".join(state.lines()))
            return EXIT_INSTALLED if state.installed else EXIT_NOT_INSTALLED
        case "uninstall":
            print("\n".join(actions.uninstall(_manager(args), stop=not args.no_stop)))
            return 0
        case other:
            raise BadInput(f"unknown service command {other!r}")

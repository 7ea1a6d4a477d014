"""A systemd user unit for ``homebody serve``: ``$XDG_CONFIG_HOME/systemd/user/homebody.service``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from homebody.cli.service.spec import CommandResult, ServiceManager, ServiceSpec

UNIT_NAME = "homebody.service"
# Words made of these need no quotes in ExecStart; anything else (spaces, quotes, backslashes) is quoted.
_PLAIN = re.compile(r"[A-Za-z0-9_@+=:,./%$-]+")
_C_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quote_exec_arg(arg: str) -> str:
    """One argument in systemd.syntax(7) / systemd.service(5) command-line form.

    Specifiers (``%``) and variable references (``$``) are expanded even inside quotes, so they are
    always doubled; a lone ``;`` would separate commands; the rest is double-quoted with C escapes."""
    doubled = arg.replace("%", "%%").replace("$", "$$")
    if arg == ";":
        return "\\;"
    if _PLAIN.fullmatch(doubled):
        return doubled
    escaped = "".join(_c_escape(ch) for ch in doubled)
    return f'"{escaped}"'


def _c_escape(ch: str) -> str:
    if ch in _C_ESCAPES:
        return _C_ESCAPES[ch]
    return ch if ch >= " " else f"\\x{ord(ch):02x}"


def exec_start(argv: tuple[str, ...]) -> str:
    return " ".join(quote_exec_arg(arg) for arg in argv)


def unit_text(spec: ServiceSpec) -> str:
    return "\n".join(
        [
            "# Written by `homebody service install`; `homebody service uninstall` removes it.",
            "[Unit]",
            "Description=homebody: the local computer-use agent's web page and API",
            "After=network.target",
            "",
            "[Service]",
            "Type=simple",
            f"ExecStart={exec_start(spec.argv)}",
            "Restart=on-failure",
            "RestartSec=5",
            # Lines reach the journal as they are printed, not when a buffer fills.
            "Environment=PYTHONUNBUFFERED=1",
            "",
            "[Install]",
            "WantedBy=default.target",
            "",
        ]
    )


def unit_path(environ: Mapping[str, str], home: Path) -> Path:
    xdg = environ.get("XDG_CONFIG_HOME")
    base = Path(xdg).expanduser() if xdg else home / ".config"
    return base / "systemd" / "user" / UNIT_NAME


def _describe(result: CommandResult) -> str:
    # `is-active` exits non-zero for inactive or failed units but still prints the state; with no
    # user manager to ask (no session bus, as in containers) it prints nothing on stdout.
    state = result.stdout.strip()
    return state if state else f"unknown: {result.output or 'systemctl gave no answer'}"


def manager(environ: Mapping[str, str], home: Path) -> ServiceManager:
    ctl = ("systemctl", "--user")
    path = unit_path(environ, home)
    return ServiceManager(
        platform="linux",
        tool="systemctl",
        path=path,
        render=lambda spec: unit_text(spec).encode(),
        start=((*ctl, "daemon-reload"), (*ctl, "enable", "--now", UNIT_NAME)),
        stop=((*ctl, "disable", "--now", UNIT_NAME),),
        after_remove=((*ctl, "daemon-reload"),),
        stop_removed=((*ctl, "stop", UNIT_NAME), (*ctl, "daemon-reload")),
        links=(path.parent / "default.target.wants" / UNIT_NAME,),
        status=(*ctl, "is-active", UNIT_NAME),
        describe_status=_describe,
    )

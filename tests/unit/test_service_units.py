"""``homebody service``'s files from the pure functions: the systemd unit (ExecStart quoting) and the plist."""

from __future__ import annotations

import plistlib
import shlex
from pathlib import Path

import pytest

from homebody.cli.service import launchd, systemd
from homebody.cli.service.spec import ServiceSpec

SPACED = ServiceSpec(python="/opt/my venv/bin/python", port=9001, data_dir=Path("/home/a b/homebody data"))


def _unquote(exec_start: str) -> list[str]:
    # For arguments without control characters systemd's double quotes and C escapes read like POSIX
    # shell double quotes; %% and $$ are systemd's own doubling.
    return [word.replace("%%", "%").replace("$$", "$") for word in shlex.split(exec_start)]


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("/usr/bin/python3", "/usr/bin/python3"),
        ("--port", "--port"),
        ("/opt/my venv/bin/python", '"/opt/my venv/bin/python"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("it's", '"it\'s"'),
        ("100%", "100%%"),
        ("$HOME", "$$HOME"),
        ("a b%$", '"a b%%$$"'),
        ("", '""'),
        (";", "\\;"),
        ("tab\there", '"tab\\there"'),
        ("line\nbreak", '"line\\nbreak"'),
        ("bell\x07", '"bell\\x07"'),
    ],
)
def test_exec_start_arguments_are_quoted_by_systemd_syntax_rules(arg: str, quoted: str) -> None:
    assert systemd.quote_exec_arg(arg) == quoted


def test_exec_start_reads_back_as_the_same_argument_list() -> None:
    argv = ("/opt/my venv/bin/python", "-m", "homebody", "a 'b' \"c\"", "x\\y", "50%", "$USER", "")
    assert _unquote(systemd.exec_start(argv)) == list(argv)


def test_the_unit_runs_serve_with_the_absolute_data_dir_and_restarts_it() -> None:
    text = systemd.unit_text(SPACED)
    lines = text.splitlines()
    exec_line = next(line for line in lines if line.startswith("ExecStart="))
    assert _unquote(exec_line.removeprefix("ExecStart=")) == [
        "/opt/my venv/bin/python",
        "-m",
        "homebody",
        "serve",
        "--port",
        "9001",
        "--data-dir",
        "/home/a b/homebody data",
    ]
    assert exec_line.startswith('ExecStart="/opt/my venv/bin/python" -m homebody serve --port 9001')
    for expected in (
        "[Unit]",
        "After=network.target",
        "[Service]",
        "Type=simple",
        "Restart=on-failure",
        "RestartSec=5",
        "Environment=PYTHONUNBUFFERED=1",
        "[Install]",
        "WantedBy=default.target",
    ):
        assert expected in lines
    assert lines.index("[Unit]") < lines.index("[Service]") < lines.index("[Install]")
    assert text.endswith("\n")


def test_the_webhook_is_passed_on_only_when_given() -> None:
    assert "--notify-webhook" not in SPACED.argv
    hooked = ServiceSpec(python="/p", port=1, data_dir=Path("/d"), notify_webhook="https://hooks.example/x?a=1&b=%20")
    assert hooked.argv[-2:] == ("--notify-webhook", "https://hooks.example/x?a=1&b=%20")
    exec_line = next(line for line in systemd.unit_text(hooked).splitlines() if line.startswith("ExecStart="))
    assert '"https://hooks.example/x?a=1&b=%%20"' in exec_line


def test_the_unit_goes_under_xdg_config_home_else_dot_config() -> None:
    home = Path("/home/u")
    assert systemd.unit_path({}, home) == home / ".config/systemd/user/homebody.service"
    assert systemd.unit_path({"XDG_CONFIG_HOME": "/cfg"}, home) == Path("/cfg/systemd/user/homebody.service")


def test_the_systemd_commands_are_user_level_argument_lists() -> None:
    manager = systemd.manager({}, Path("/home/u"))
    assert manager.start == (
        ("systemctl", "--user", "daemon-reload"),
        ("systemctl", "--user", "enable", "--now", "homebody.service"),
    )
    assert manager.stop == (("systemctl", "--user", "disable", "--now", "homebody.service"),)
    assert manager.status == ("systemctl", "--user", "is-active", "homebody.service")
    assert manager.links == (Path("/home/u/.config/systemd/user/default.target.wants/homebody.service"),)


def test_the_plist_starts_at_login_stays_alive_and_logs_into_the_data_dir() -> None:
    agent = plistlib.loads(launchd.plist_bytes(SPACED))
    assert agent["Label"] == launchd.LABEL == "org.homebody.serve"
    assert agent["ProgramArguments"] == list(SPACED.argv)
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] is True
    assert agent["StandardOutPath"] == "/home/a b/homebody data/service.log"
    assert agent["StandardErrorPath"] == "/home/a b/homebody data/service.err.log"
    assert agent["EnvironmentVariables"] == {"PYTHONUNBUFFERED": "1"}


def test_the_launchd_agent_lives_in_the_users_launch_agents_and_uses_the_gui_domain() -> None:
    manager = launchd.manager(Path("/Users/u"), 501)
    assert manager.path == Path("/Users/u/Library/LaunchAgents/org.homebody.serve.plist")
    assert manager.start == (("launchctl", "bootstrap", "gui/501", str(manager.path)),)
    assert manager.stop == (("launchctl", "bootout", "gui/501/org.homebody.serve"),)
    assert manager.status == ("launchctl", "print", "gui/501/org.homebody.serve")

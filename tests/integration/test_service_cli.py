"""``homebody service`` through the real command: the files it writes and removes, its exit codes, and
the manager commands it runs. A fake ``systemctl``/``launchctl`` comes first on PATH, so the user
manager of the machine running the tests is never touched."""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from homebody.cli.service import systemd
from homebody.cli.service.spec import ServiceSpec
from tests.conftest import run_in_process

FAKE_CTL = """#!/bin/sh
echo "$(basename "$0") $*" >> "$FAKE_CTL_LOG"
if [ "$FAKE_CTL_MODE" = nobus ]; then echo "Failed to connect to bus: No medium found" >&2; exit 1; fi
case "$*" in *is-active*) echo active ;; esac
exit 0
"""


@dataclass
class Service:
    tmp: Path
    env: dict[str, str]

    @property
    def unit(self) -> Path:
        return self.tmp / "config" / "systemd" / "user" / "homebody.service"

    @property
    def calls(self) -> list[str]:
        log = Path(self.env["FAKE_CTL_LOG"])
        return log.read_text().splitlines() if log.exists() else []

    def __call__(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run_in_process(["service", *args], self.env | env, cwd=self.tmp)


@pytest.fixture
def service(tmp_path: Path) -> Service:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("systemctl", "launchctl"):
        (bin_dir / tool).write_text(FAKE_CTL)
        (bin_dir / tool).chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("HOMEBODY_DATA_DIR", "XDG_DATA_HOME")}
    env |= {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        "FAKE_CTL_LOG": str(tmp_path / "ctl.log"),
    }
    return Service(tmp_path, env)


def test_install_writes_the_unit_then_says_it_is_already_installed(service: Service) -> None:
    res = service("install", "--no-start", "--data-dir", "my data")
    assert res.returncode == 0, res.stderr
    assert str(service.unit) in res.stdout and "homebody service uninstall" in res.stdout
    assert stat.S_IMODE(service.unit.stat().st_mode) == 0o600
    text = service.unit.read_text()
    assert f'--data-dir "{service.tmp / "my data"}"' in text  # relative to where install ran, made absolute
    assert "--port 8765" in text and sys.executable in text
    assert service.calls == []  # --no-start asks no manager

    again = service("install", "--no-start", "--data-dir", "my data")
    assert again.returncode == 0 and "already installed" in again.stdout


def test_a_different_install_needs_force_and_leaves_the_file_alone_without_it(service: Service) -> None:
    assert service("install", "--no-start").returncode == 0
    before = service.unit.read_bytes()
    res = service("install", "--no-start", "--port", "9000")
    assert res.returncode == 2
    assert "--force" in res.stderr and "Traceback" not in res.stderr
    assert service.unit.read_bytes() == before

    forced = service("install", "--no-start", "--port", "9000", "--force")
    assert forced.returncode == 0 and "replaced" in forced.stdout
    assert "--port 9000" in service.unit.read_text()


@pytest.mark.parametrize("port", ["0", "65536", "-1", "eighty"])
def test_a_bad_port_exits_2_naming_the_flag(service: Service, port: str) -> None:
    res = service("install", "--no-start", f"--port={port}")
    assert res.returncode == 2
    assert "--port" in res.stderr and "Traceback" not in res.stderr
    assert not service.unit.exists()


def test_status_reports_the_file_and_uninstall_removes_it(service: Service) -> None:
    missing = service("status", "--json")
    assert missing.returncode == 1
    assert json.loads(missing.stdout) == {
        "platform": "linux",
        "installed": False,
        "path": str(service.unit),
        "state": None,
    }

    service("install", "--no-start")
    res = service("status")
    assert res.returncode == 0 and str(service.unit) in res.stdout and "active" in res.stdout
    report = json.loads(service("status", "--json").stdout)
    assert report["installed"] is True and report["path"] == str(service.unit) and report["state"] == "active"

    gone = service("uninstall", "--no-stop")
    assert gone.returncode == 0 and f"removed {service.unit}" in gone.stdout
    assert not service.unit.exists()
    twice = service("uninstall", "--no-stop")
    assert twice.returncode == 0 and "not installed" in twice.stdout
    assert service("status").returncode == 1


def test_install_and_uninstall_drive_the_user_manager(service: Service) -> None:
    res = service("install")
    assert res.returncode == 0, res.stderr
    assert service.calls == ["systemctl --user daemon-reload", "systemctl --user enable --now homebody.service"]
    wants = service.unit.parent / "default.target.wants" / "homebody.service"
    wants.parent.mkdir()
    wants.symlink_to(service.unit)  # what `enable` makes

    gone = service("uninstall")
    assert gone.returncode == 0, gone.stderr
    assert service.calls[2:] == ["systemctl --user disable --now homebody.service", "systemctl --user daemon-reload"]
    assert not service.unit.exists() and not wants.is_symlink()


def test_with_no_user_session_bus_the_install_stands_and_prints_the_commands(service: Service) -> None:
    res = service("install", FAKE_CTL_MODE="nobus")
    assert res.returncode == 0, res.stderr
    assert service.unit.exists()
    assert "Failed to connect to bus" in res.stdout
    assert "  systemctl --user daemon-reload\n  systemctl --user enable --now homebody.service" in res.stdout
    assert service("status", FAKE_CTL_MODE="nobus").stdout.splitlines()[-1].startswith("state: unknown: Failed")

    gone = service("uninstall", FAKE_CTL_MODE="nobus")
    assert gone.returncode == 0 and not service.unit.exists()
    assert "systemctl --user stop homebody.service" in gone.stdout


def test_the_macos_variant_writes_a_launch_agent(service: Service) -> None:
    res = service("install", "--platform", "macos", "--no-start", "--port", "8800")
    assert res.returncode == 0, res.stderr
    plist = service.tmp / "home" / "Library" / "LaunchAgents" / "org.homebody.serve.plist"
    assert str(plist) in res.stdout
    agent = plistlib.loads(plist.read_bytes())
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] is True
    data_dir = service.tmp / "home" / ".local" / "share" / "homebody"  # serve's default, made absolute
    assert agent["ProgramArguments"] == [
        sys.executable,
        "-m",
        "homebody",
        "serve",
        "--port",
        "8800",
        "--data-dir",
        str(data_dir),
    ]
    assert agent["StandardOutPath"] == str(data_dir / "service.log")

    started = service("install", "--platform", "macos", "--port", "8801", "--force")
    assert started.returncode == 0, started.stderr
    uid = os.getuid()
    assert service.calls == [
        f"launchctl bootout gui/{uid}/org.homebody.serve",
        f"launchctl bootstrap gui/{uid} {plist}",
    ]
    assert service("status", "--platform", "macos").stdout.splitlines()[-1] == "state: loaded"
    assert service("uninstall", "--platform", "macos").returncode == 0 and not plist.exists()


def _verify(unit: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    runtime = tmp / "runtime"  # a user manager needs a runtime dir; containers often have none
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = os.environ | {"XDG_RUNTIME_DIR": os.environ.get("XDG_RUNTIME_DIR") or str(runtime)}
    return subprocess.run([analyze, "--user", "verify", str(unit)], capture_output=True, text=True, timeout=60, env=env)


def test_systemd_analyze_verifies_the_written_unit(service: Service) -> None:
    assert (
        service(
            "install", "--no-start", "--data-dir", "a dir with spaces", "--notify-webhook", "http://x/%20"
        ).returncode
        == 0
    )
    res = _verify(service.unit, service.tmp)
    assert res.returncode == 0, res.stderr


def test_systemd_analyze_finds_an_interpreter_whose_path_has_spaces(tmp_path: Path) -> None:
    python = tmp_path / "my venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.symlink_to(sys.executable)
    unit = tmp_path / "homebody.service"
    unit.write_text(systemd.unit_text(ServiceSpec(python=str(python), port=8765, data_dir=tmp_path / "d d")))
    res = _verify(unit, tmp_path)
    assert res.returncode == 0, res.stderr

"""Faults mid-task: the homebody process killed, the browser killed, Ctrl-C. Recordings survive."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from homebody.recordings.recorder import read_events
from tests.conftest import cli_env, click, write_script

JPEG_MAGIC = b"\xff\xd8\xff"


def start(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "homebody", "run", *args, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(tmp_path / "data"),
    )


def wait_for_events(proc: subprocess.Popen[str], kind: str, count: int, timeout: float = 60) -> str:
    """Read stdout until ``count`` events of ``kind`` were printed; return the task id."""
    assert proc.stdout is not None
    seen, task_id, deadline = 0, "", time.monotonic() + timeout
    while seen < count:
        assert time.monotonic() < deadline, f"fewer than {count} {kind} events in {timeout} s"
        line = proc.stdout.readline()
        assert line, f"homebody ended early: {proc.stderr.read() if proc.stderr else ''}"
        event = json.loads(line)
        task_id = str(event["task_id"])
        seen += event["type"] == kind
    return task_id


def browser_pids(user_data_dir: Path) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"--user-data-dir={user_data_dir}".encode() in cmdline:
            pids.append(int(entry.name))
    return pids


def test_kill_9_mid_task_leaves_a_readable_recording_of_every_completed_step(site, measure, tmp_path: Path) -> None:
    box = click(measure("/shop", "input[name=q]"))
    steps = [box, {"kind": "type", "text": "lamp"}] + [{"kind": "wait", "seconds": 0.3}] * 40
    script = write_script(tmp_path / "s.json", steps)
    proc = start(tmp_path, "--start-url", f"{site.url}/shop", "--script", str(script), "--ephemeral")
    try:
        task_id = wait_for_events(proc, "executed", 4)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    task_dir = tmp_path / "data" / "tasks" / task_id
    events = read_events(task_dir)
    executed = [e for e in events if e.type == "executed"]
    assert len(executed) >= 4
    assert executed[1].action.kind == "type"  # type: ignore[union-attr]
    for event in events:
        if event.type == "observed":
            assert (task_dir / event.frame).read_bytes()[:3] == JPEG_MAGIC
    assert not any(e.type == "finished" for e in events)


def test_a_killed_browser_fails_the_task_and_the_recording_says_why(site, tmp_path: Path) -> None:
    script = write_script(tmp_path / "s.json", [{"kind": "wait", "seconds": 0.2}] * 100)
    proc = start(tmp_path, "--start-url", f"{site.url}/shop", "--script", str(script), "--profile", "crashy")
    task_id = wait_for_events(proc, "executed", 2)
    user_data_dir = tmp_path / "data" / "profiles" / "crashy" / "browser"
    pids = browser_pids(user_data_dir)
    assert pids, "no browser process found for the profile"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 4, stderr
    finished = read_events(tmp_path / "data" / "tasks" / task_id)[-1]
    assert finished.type == "finished" and finished.outcome == "failed"  # type: ignore[union-attr]
    assert "browser" in finished.reason  # type: ignore[union-attr]
    assert "Traceback" not in stderr


def test_ctrl_c_ends_the_task_as_interrupted_with_exit_130(site, tmp_path: Path) -> None:
    script = write_script(tmp_path / "s.json", [{"kind": "wait", "seconds": 30}])
    proc = start(tmp_path, "--start-url", f"{site.url}/shop", "--script", str(script), "--profile", "p")
    task_id = wait_for_events(proc, "checked", 1)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    finished = read_events(tmp_path / "data" / "tasks" / task_id)[-1]
    assert finished.type == "finished" and finished.outcome == "interrupted"  # type: ignore[union-attr]
    assert not browser_pids(tmp_path / "data" / "profiles" / "p" / "browser")

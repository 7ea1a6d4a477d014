"""A server killed while a task runs: on the next start the task is ``interrupted`` and never re-run.

The first server is a real ``homebody serve`` process, killed with SIGKILL mid-task (no chance to
tidy up); the second starts on the same data dir.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import cli_env
from tests.integration.test_api_support import api_server, wait_until


def start_serve(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "homebody", "serve", "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(data_dir),
        start_new_session=True,  # its own process group: the kill reaches its browser too
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("homebody is serving at http://127.0.0.1:"), first + (
        proc.stderr.read() if proc.poll() else ""
    )
    signin = proc.stdout.readline()
    token = (data_dir / "token").read_text().strip()
    assert signin.strip().endswith(f"/?token={token}")  # the address to open, printed once
    return proc, first.split()[-1]


def test_a_task_running_when_the_server_dies_is_interrupted_and_not_rerun(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    proc, url = start_serve(data)
    try:
        client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {(data / 'token').read_text().strip()}"})
        body = {"start_url": site.url + "/shop", "ephemeral": True}
        body["brain"] = {"kind": "script", "steps": [{"kind": "wait", "seconds": 0.2}] * 300}
        task = client.post("/api/tasks", json=body, timeout=30).json()
        wait_until(lambda: client.get(f"/api/tasks/{task['id']}").json()["steps"] >= 2, what="the task to run")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
    recording = data / "tasks" / task["id"] / "events.jsonl"
    recorded = recording.read_bytes()
    assert b'"finished"' not in recorded  # it died mid-task, as a crash or power cut would leave it
    with api_server(data) as api:
        again = api.task(task["id"])
        assert again["status"] == "interrupted" and "never be repeated" in again["reason"]
        assert again["ended_at"] is not None
        time.sleep(0.5)  # had it been started again, it would have recorded steps by now
        assert api.task(task["id"])["status"] == "interrupted"
        assert recording.read_bytes() == recorded
        assert api.post(task["id"], "approve", expect=409)["detail"]

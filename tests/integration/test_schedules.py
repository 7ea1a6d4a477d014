"""Schedules end to end: a real ``homebody serve`` process, the real CLI, Chromium, a local page.

An ``--every 2s`` schedule whose script brain clicks a counter on the page, then waits (so a run
lasts longer than the interval): the page sees runs at the schedule's cadence and never two at
once (a slot that comes while a run is still going is skipped, and the skip is recorded). The
server is then killed (SIGKILL) in the middle of a run and kept down for longer than three
intervals: on the next start that run is ``interrupted``, exactly one catch-up run starts, and the
schedule goes on.
"""

from __future__ import annotations

import http.server
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from tests.conftest import cli_env
from tests.integration.test_api_restart import start_serve
from tests.integration.test_api_support import wait_until

PAGE = (
    b"<!doctype html><title>Counter</title><body style='margin:0'>"
    b"<button style='position:absolute;left:0;top:0;width:300px;height:100px' "
    b"onclick=\"fetch('/click?t=' + Date.now())\">Count</button>"
)


class Page(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[tuple[float, str]]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        type(self).hits.append((time.time(), self.path.split("?")[0]))
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)


@pytest.fixture
def page() -> Iterator[str]:
    Page.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def runs_seen() -> list[tuple[float, float]]:
    """Each run as the page saw it: (its page load, its last request: the click's, if it came)."""
    runs: list[tuple[float, float]] = []
    for at, path in Page.hits:
        if path == "/":
            runs.append((at, at))
        elif runs:
            runs[-1] = (runs[-1][0], at)
    return runs


def test_a_schedule_runs_at_its_cadence_one_at_a_time_and_survives_a_killed_server(tmp_path: Path, page: str) -> None:
    data = tmp_path / "data"
    script = tmp_path / "count.json"
    steps = [{"kind": "click", "x": 150, "y": 50}, {"kind": "wait", "seconds": 2.5}]
    steps.append({"kind": "done", "answer": "counted"})
    script.write_text(json.dumps(steps))
    proc, url = start_serve(data)
    try:
        added = subprocess.run(
            [sys.executable, "-m", "homebody", "schedule", "add", "count", "--start-url", page, "--script", str(script),
             "--ephemeral", "--every", "2s", "--json", "--data-dir", str(data)],
            capture_output=True, text=True, timeout=60, env=cli_env(data), check=False,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
        schedule = json.loads(added.stdout)
        client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {(data / 'token').read_text().strip()}"})
        wait_until(lambda: len(runs_seen()) >= 3, timeout=40, what="three scheduled runs")
        runs = runs_seen()
        for (_, end), (start, _) in itertools.pairwise(runs):
            assert start >= end, runs  # never two at once
        history = client.get(f"/api/schedules/{schedule['id']}/runs").json()["runs"]
        tasks = [client.get(f"/api/tasks/{r['task_id']}").json() for r in history if r["task_id"]]
        assert [t["status"] for t in tasks if t["status"] != "running"] == ["done"] * (len(tasks) - 1), tasks
        assert sum(path == "/click" for _, path in Page.hits) >= 2, Page.hits
        assert {r["outcome"] for r in history} == {"started", "skipped"}, history  # runs last longer than 2 s
        started = [r for r in reversed(history) if r["outcome"] == "started"]
        created = schedule["created_at"]
        for run in started:  # on the schedule's slots (created + 2 s k), a little late at most
            assert (run["at"] - created) % 2 < 1.2, (run, created)
        # Kill the server mid-run: wait for a page load without its click yet.
        wait_until(lambda: Page.hits and Page.hits[-1][1] == "/", timeout=20, what="a run to start")
        killed_at = time.time()
        running = client.get(f"/api/schedules/{schedule['id']}").json()["last_task_id"]
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
    time.sleep(7)  # more than three intervals with no server
    before = len(runs_seen())
    proc, url = start_serve(data)
    try:
        client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {(data / 'token').read_text().strip()}"})
        assert client.get(f"/api/tasks/{running}").json()["status"] == "interrupted"
        wait_until(lambda: len(runs_seen()) >= before + 2, timeout=40, what="runs after the restart")
        history = client.get(f"/api/schedules/{schedule['id']}/runs").json()["runs"]
        after = [r for r in reversed(history) if r["at"] > killed_at + 7]
        assert after[0]["outcome"] == "started", after  # the catch-up run, at once
        # Once, not once per missed slot (three or more passed): nothing else in that tick.
        assert len([r for r in after if r["at"] - after[0]["at"] < 0.5]) == 1, after
        assert client.get(f"/api/tasks/{after[0]['task_id']}").json()["status"] in ("running", "done")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)

"""What the API tests share: a real server on a free loopback port, and a small HTTP client for it.

(Named ``test_*`` so it sits beside the tests it serves; it has no tests of its own.)
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from homebody.config import Settings
from homebody.server.serving import RunningServer, serve_in_thread

FINAL = {"done", "failed", "cancelled", "interrupted"}


@contextmanager
def api_server(data_dir: Path, **options: Any) -> Iterator[Api]:
    """A homebody server on 127.0.0.1 (free port) with its own data dir; stopped on exit."""
    options.setdefault("desktop_notify", False)
    server = serve_in_thread(Settings(data_dir=data_dir, port=0), **options)
    api = Api(server)
    try:
        yield api
    finally:
        api.close()
        server.stop()


@dataclass
class Api:
    server: RunningServer

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.server.url, headers=self.auth, timeout=60, trust_env=False)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.server.token}"}

    @property
    def url(self) -> str:
        return self.server.url

    def close(self) -> None:
        self.client.close()

    def create(self, start_url: str, steps: list[dict[str, object]] | None = None, **body: object) -> dict[str, Any]:
        body.setdefault("instruction", "a test task")
        body.setdefault("ephemeral", "profile" not in body)
        if steps is not None:
            body["brain"] = {"kind": "script", "steps": steps}
        res = self.client.post("/api/tasks", json={"start_url": start_url, **body})
        assert res.status_code == 201, res.text
        return res.json()  # type: ignore[no-any-return]

    def task(self, task_id: str) -> dict[str, Any]:
        res = self.client.get(f"/api/tasks/{task_id}")
        assert res.status_code == 200, res.text
        return res.json()  # type: ignore[no-any-return]

    def post(self, task_id: str, verb: str, body: object = None, expect: int = 200) -> dict[str, Any]:
        res = self.client.post(f"/api/tasks/{task_id}/{verb}", json=body)
        assert res.status_code == expect, f"{verb}: {res.status_code} {res.text}"
        return res.json()  # type: ignore[no-any-return]

    def wait(self, task_id: str, *statuses: str, timeout: float = 60, steps: int = 0) -> dict[str, Any]:
        """Poll until the task has one of ``statuses`` (and at least ``steps`` steps)."""
        deadline = time.monotonic() + timeout
        while True:
            task = self.task(task_id)
            if task["status"] in statuses and task["steps"] >= steps:
                return task
            assert task["status"] not in FINAL or task["status"] in statuses, task
            assert time.monotonic() < deadline, f"still {task['status']} after {timeout} s: {task}"
            time.sleep(0.1)

    def events(self, task_id: str) -> list[dict[str, Any]]:
        """The task's event stream (SSE) read to its end."""
        events: list[dict[str, Any]] = []
        with self.client.stream("GET", f"/api/tasks/{task_id}/events") as res:
            assert res.status_code == 200 and res.headers["content-type"].startswith("text/event-stream")
            for line in res.iter_lines():
                if line == "event: end":  # its own data line follows; the task's events are all in
                    return events
                if line.startswith("data: "):
                    events.append(json.loads(line[6:]))
        raise AssertionError("the event stream ended without `event: end`")


def wait_until(check: Any, timeout: float = 30, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what or check}"
        time.sleep(0.1)
    return value

"""``/api/schedules`` on a real server: create, list, runs, pause, resume, run now, remove, and bad
input answered 4xx naming the field with nothing created. The server runs no task here
(``max_running=0``): a run that starts stays queued, so the next slots are skipped."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_api_support import Api, api_server, wait_until

TASK = {"start_url": "http://127.0.0.1:9/", "ephemeral": True, "brain": {"kind": "script", "steps": []}}


@pytest.fixture
def api(tmp_path: Path) -> Any:
    with api_server(tmp_path / "data", max_running=0) as api:
        yield api


def runs(api: Api, schedule_id: str) -> list[dict[str, Any]]:
    res = api.client.get(f"/api/schedules/{schedule_id}/runs")
    assert res.status_code == 200, res.text
    return list(reversed(res.json()["runs"]))


def test_a_schedule_runs_its_task_skips_while_it_waits_and_can_be_paused_run_now_and_removed(api: Api) -> None:
    res = api.client.post("/api/schedules", json={"task": TASK, "trigger": {"kind": "every", "seconds": 1}})
    assert res.status_code == 201, res.text
    schedule = res.json()
    assert schedule["state"] == "active" and schedule["next_run"] == pytest.approx(schedule["created_at"] + 1)
    assert [s["id"] for s in api.client.get("/api/schedules").json()["schedules"]] == [schedule["id"]]
    wait_until(lambda: len(runs(api, schedule["id"])) >= 3, timeout=10, what="three slots")
    first, *later = runs(api, schedule["id"])
    assert first["outcome"] == "started" and api.task(first["task_id"])["status"] == "queued"
    assert {r["outcome"] for r in later} == {"skipped"} and first["task_id"] in later[0]["reason"]
    api.post(first["task_id"], "cancel")

    paused = api.client.post(f"/api/schedules/{schedule['id']}/pause").json()
    assert paused["state"] == "paused"
    count = len(runs(api, schedule["id"]))
    time.sleep(2.2)
    assert len(runs(api, schedule["id"])) == count  # no slot while paused
    api.client.post(f"/api/schedules/{schedule['id']}/run-now").raise_for_status()
    wait_until(lambda: len(runs(api, schedule["id"])) == count + 1, timeout=5, what="the run asked for")
    assert runs(api, schedule["id"])[-1]["outcome"] == "started"
    assert api.client.post(f"/api/schedules/{schedule['id']}/resume").json()["state"] == "active"

    assert api.client.delete(f"/api/schedules/{schedule['id']}").json() == {"ok": True}
    assert api.client.get(f"/api/schedules/{schedule['id']}").status_code == 404
    assert api.client.get("/api/schedules").json()["schedules"] == []


@pytest.mark.parametrize(
    ("trigger", "field"),
    [
        ({"kind": "every", "seconds": 0.5}, "trigger.seconds"),
        ({"kind": "at", "at": "2020-01-01T08:00:00+00:00"}, "trigger.at"),
        ({"kind": "cron", "expr": "61 * * * *", "tz": "UTC"}, "trigger.expr"),
        ({"kind": "cron", "expr": "0 8 * * *", "tz": "Mars/Base"}, "Mars/Base"),
        ({"kind": "hourly"}, "trigger"),
    ],
)
def test_bad_triggers_are_refused_naming_the_field_and_nothing_is_created(api: Api, trigger: Any, field: str) -> None:
    res = api.client.post("/api/schedules", json={"task": TASK, "trigger": trigger})
    assert res.status_code == 422 and field in res.json()["detail"], res.text
    assert api.client.get("/api/schedules").json()["schedules"] == []


def test_an_unknown_schedule_is_404_and_a_bad_id_422(api: Api) -> None:
    assert api.client.post("/api/schedules/s-0123456789/pause").status_code == 404
    assert api.client.get("/api/schedules/nope").status_code == 422


@pytest.fixture
def hook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    got: list[dict[str, Any]] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    server.shutdown()


def test_a_schedule_notifies_when_a_run_finishes_only_if_it_asked_to(
    tmp_path: Path, hook: tuple[str, list[dict[str, Any]]]
) -> None:
    url, got = hook
    task = {
        **TASK,
        "start_url": "about:blank",
        "brain": {"kind": "script", "steps": [{"kind": "done", "answer": "42"}]},
    }
    with api_server(tmp_path / "data", notify_webhook=url) as api:
        ids = {}
        for notify in ("finish", "never"):
            body = {"task": task, "trigger": {"kind": "every", "seconds": 86400}, "notify": notify}
            ids[notify] = api.client.post("/api/schedules", json=body).json()["id"]
            api.client.post(f"/api/schedules/{ids[notify]}/run-now").raise_for_status()
        done = {}
        for notify, schedule_id in ids.items():
            run = wait_until(lambda s=schedule_id: [r for r in runs(api, s) if r["task_id"]], timeout=30, what="a run")
            done[notify] = api.wait(run[0]["task_id"], "done", timeout=60)
            assert done[notify]["schedule_id"] == schedule_id and done[notify]["answer"] == "42"
        notice = wait_until(lambda: [n for n in got if n["task_id"] == done["finish"]["id"]], what="the webhook")[0]
        assert notice["event"] == "finished" and notice["category"] == "done" and notice["reason"] == "42"
        time.sleep(0.5)
        assert [n for n in got if n["task_id"] == done["never"]["id"]] == []
        assert len([n for n in got if n["task_id"] == done["finish"]["id"]]) == 1

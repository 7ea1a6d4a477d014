"""``/api/schedules`` on a real server: create, list, runs, pause, resume, run now, remove, and bad
input answered 4xx naming the field with nothing created. The server runs no task here
(``max_running=0``): a run that starts stays queued, so the next slots are skipped."""

from __future__ import annotations

import time
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

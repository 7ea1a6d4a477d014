"""A task's scope and asking policy through the real API, and a held request in what the API keeps.

The server runs no task here (``max_running=0``: tasks queue), so what is checked is what the API
takes, stores and serves: ``sites`` / ``ask`` on a new task (accepted normalised, refused naming the
field, kept across a restart of the server), and a recording whose halt held requests (written by the
real Recorder) read back through the event stream, the recording, the export and the replay page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_api_support import Api, api_server
from tests.unit.test_replay import HOSTILE, record_held

URL = "http://127.0.0.1:9/"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scope") / "data"


@pytest.fixture(scope="module")
def api(data_dir: Path) -> Iterator[Api]:
    with api_server(data_dir, max_running=0) as api:
        yield api


def test_sites_and_ask_are_taken_normalised_and_kept(api: Api, data_dir: Path) -> None:
    task = api.create(
        URL, [{"kind": "done"}], sites=["Pay.Example", "cdn.example:8443", "pay.example"], ask="every-change"
    )
    assert (task["sites"], task["ask"]) == (["pay.example", "cdn.example"], "every-change")
    assert api.task(task["id"])["sites"] == ["pay.example", "cdn.example"]
    listed = next(t for t in api.client.get("/api/tasks").json()["tasks"] if t["id"] == task["id"])
    assert (listed["sites"], listed["ask"]) == (["pay.example", "cdn.example"], "every-change")
    plain = api.create(URL, [{"kind": "done"}])
    assert (plain["sites"], plain["ask"]) == ([], "commits")
    schema = api.client.get("/openapi.json").json()["components"]["schemas"]["TaskIn"]["properties"]
    assert schema["ask"]["enum"] == ["commits", "every-change"] and schema["sites"]["type"] == "array"


def test_a_queued_tasks_scope_survives_a_restart(tmp_path: Path) -> None:
    with api_server(tmp_path / "data", max_running=0) as first:
        task_id = first.create(URL, [{"kind": "done"}], sites=["pay.example"], ask="every-change")["id"]
    with api_server(tmp_path / "data", max_running=0) as second:
        again = second.task(task_id)
        assert (again["status"], again["sites"], again["ask"]) == ("queued", ["pay.example"], "every-change")


@pytest.mark.parametrize(
    ("extra", "detail"),
    [
        ({"sites": ["pay.example", "a b"]}, "sites: 'a b' is not a site"),
        ({"sites": ["ftp://pay.example"]}, "sites: "),
        ({"sites": "pay.example"}, "sites: Input should be a valid list"),
        ({"sites": [""]}, "sites: "),
        ({"sites": ["x"] * 101}, "sites: List should have at most 100 items"),
        ({"ask": "never"}, "ask: Input should be 'commits' or 'every-change'"),
        ({"ask": True}, "ask: "),
    ],
)
def test_bad_sites_and_ask_are_refused_naming_the_field(api: Api, extra: dict[str, object], detail: str) -> None:
    before = len(api.client.get("/api/tasks").json()["tasks"])
    res = api.client.post("/api/tasks", json={"start_url": URL, "ephemeral": True, **extra})
    assert res.status_code == 422 and res.json()["detail"].startswith(detail), res.text
    assert len(api.client.get("/api/tasks").json()["tasks"]) == before


def recorded_held(api: Api) -> str:
    """A task that never ran here (cancelled while queued) with a recording of a held request."""
    task_id = api.create(URL, [{"kind": "done"}])["id"]
    assert api.post(task_id, "cancel")["status"] == "cancelled"
    record_held(api.server.settings.tasks_dir / task_id, hostile=HOSTILE)
    return task_id


def test_a_held_request_round_trips_through_the_stream_the_recording_and_the_replays(api: Api) -> None:
    task_id = recorded_held(api)
    streamed = api.events(task_id)
    (halted,) = [e for e in streamed if e["type"] == "halted"]
    first, second = halted["held"]
    assert first["outgoing"] == {
        "kind": "request",
        "method": "POST",
        "url": "https://shop.test/api/graphql?session=•••",
        "frame_url": "",
        "top_level": True,
        "fields": ["cardNumber", "qty", HOSTILE],
        "operation": "mutation PlaceOrder",
        "size": 180,
    }
    assert (first["category"], second["category"], second["outgoing"]["kind"]) == (
        "purchase",
        "leave_scope",
        "navigation",
    )
    assert streamed[0]["sites"] == ["pay.test"] and streamed[0]["ask"] == "every-change"
    recording = api.client.get(f"/api/tasks/{task_id}/recording").json()["events"]
    assert recording == streamed

    with api.client.stream("GET", f"/api/tasks/{task_id}/events?describe=true") as res:
        described = [json.loads(line[6:]) for line in res.iter_lines() if line.startswith("data: {")]
    words = next(e for e in described if e["type"] == "halted")["held_descriptions"]
    assert words[0].startswith("POST https://shop.test/api/graphql?session=••• · fields: cardNumber, qty")
    away = f"GET https://elsewhere.test/{HOSTILE} · a navigation"
    assert words[1] == f"{away} [leave_scope] elsewhere.test is not one of the task's sites"

    for path in (f"/api/tasks/{task_id}/recording/export", f"/tasks/{task_id}/replay"):
        page = api.client.get(path).text
        assert page.count('<li class="held-item') == 2, path
        assert '<code class="held-method">POST</code>' in page and "<b>Operation</b> mutation PlaceOrder" in page
        assert "<img src=x" not in page and "&lt;/script&gt;&lt;img src=x onerror=" in page

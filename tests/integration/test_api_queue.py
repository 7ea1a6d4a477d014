"""Tasks that wait: a server that runs nothing (``max_running=0``) keeps them queued, in order, and
every control but cancel is refused with 409 until a task runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.integration.test_api_support import Api, api_server


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with api_server(tmp_path_factory.mktemp("queue") / "data", max_running=0) as api:
        yield api


def test_a_queued_task_refuses_controls_and_can_be_cancelled(api: Api) -> None:
    task = api.create("about:blank", [{"kind": "done"}], instruction="nothing")
    assert task["status"] == "queued" and task["started_at"] is None and task["profile"] is None
    for verb in ("approve", "reject", "takeover", "release"):
        assert "queued" in api.post(task["id"], verb, expect=409)["detail"], verb
    assert api.post(task["id"], "input", {"kind": "click", "x": 1, "y": 1}, expect=409)
    cancelled = api.post(task["id"], "cancel")
    assert cancelled["status"] == "cancelled" and cancelled["ended_at"] is not None
    assert api.post(task["id"], "cancel", expect=409)["detail"].endswith("already cancelled")
    assert api.events(task["id"]) == []  # it never ran: nothing recorded, and the stream ends
    live = api.url.replace("http://", "ws://") + f"/api/tasks/{task['id']}/live"
    with connect(live, additional_headers=api.auth, open_timeout=10) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)  # the live view of a finished task closes at once, sending nothing
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000


def test_profiles_can_be_created_listed_and_deleted(api: Api) -> None:
    assert api.client.post("/api/profiles", json={"name": "work"}).status_code == 201
    assert api.client.post("/api/profiles", json={"name": "work"}).status_code == 409
    names = {p["name"]: p["in_use"] for p in api.client.get("/api/profiles").json()["profiles"]}
    assert names.get("work") is False
    assert api.client.delete("/api/profiles/work").status_code == 204
    assert api.client.delete("/api/profiles/work").status_code == 404
    task = api.create("about:blank", [], profile="work")  # the profile a task names is made when it runs
    assert task["profile"] == "work"

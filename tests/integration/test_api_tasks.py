"""The task API through real HTTP: halt → approve / reject, cancel, the per-profile queue, takeover.

One server (uvicorn on a free loopback port) runs every test's tasks in real headless Chromium
against the demo site; the demo site's server-side state is the proof of what the browser did.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect

from tests.conftest import click
from tests.integration.test_api_support import Api, api_server, wait_until

PRODUCT = "/shop/product/2"


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(json.loads(body))  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", server.received  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, webhook: tuple[str, list[object]]) -> Iterator[Api]:
    with api_server(tmp_path_factory.mktemp("serve"), notify_webhook=webhook[0]) as api:
        yield api


@pytest.fixture(scope="module")
def buy_now(measure) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return click(measure(PRODUCT, "#buy-now"))


def halting_task(api: Api, site, buy_now: dict[str, object], **body: object) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A task whose first action is a one-click "Buy now": the checker halts it there."""
    task = api.create(site.url + PRODUCT, [buy_now, {"kind": "done", "answer": "bought it"}], **body)
    return api.wait(task["id"], "halted")


def live_frame(api: Api, task_id: str) -> tuple[dict[str, Any], bytes]:
    url = api.url.replace("http://", "ws://") + f"/api/tasks/{task_id}/live"
    with connect(url, additional_headers=api.auth, open_timeout=10) as ws:
        meta = json.loads(ws.recv(timeout=10))
        data = ws.recv(timeout=10)
    assert isinstance(data, bytes)
    return meta, data


def test_a_halted_purchase_happens_only_after_approval(api: Api, site, buy_now, webhook) -> None:  # type: ignore[no-untyped-def]
    task = halting_task(api, site, buy_now)
    halt = task["halt"]
    assert halt["category"] == "purchase" and halt["action"]["kind"] == "click" and "Buy now" in halt["target_text"]
    assert site.state()["buy_now"] == []  # halted BEFORE the page saw the click
    crop = api.client.get(f"/api/tasks/{task['id']}/recording/{halt['crop']}")
    assert crop.status_code == 200 and crop.content[:3] == b"\xff\xd8\xff"
    meta, jpeg = live_frame(api, task["id"])  # the latest frame arrives at once, even on a still page
    assert jpeg[:3] == b"\xff\xd8\xff" and (meta["width"], meta["height"]) == (1280, 800) and meta["seq"] >= 1
    notice = wait_until(lambda: [n for n in webhook[1] if n["task_id"] == task["id"]], what="the webhook")[0]
    assert notice["category"] == "purchase" and notice["url"].endswith(f"/#/tasks/{task['id']}")
    api.post(task["id"], "approve", {"note": "yes, buy it"})
    done = api.wait(task["id"], "done")
    assert done["answer"] == "bought it" and done["halt"] is None
    assert len(site.state()["buy_now"]) == 1  # exactly once, after the approval
    api.post(task["id"], "approve", expect=409)
    kinds = [e["type"] for e in api.events(task["id"])]
    assert kinds.index("halted") < kinds.index("approved") < kinds.index("executed") and kinds[-1] == "finished"
    export = api.client.get(f"/api/tasks/{task['id']}/recording/export")
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]


def test_a_second_task_on_a_profile_waits_and_a_rejection_is_told_to_the_brain(api: Api, site, buy_now) -> None:  # type: ignore[no-untyped-def]
    first = halting_task(api, site, buy_now, profile="shopper")
    second = api.create(site.url + PRODUCT, [buy_now], profile="shopper")
    assert api.task(second["id"])["status"] == "queued"  # the first holds the profile (halted, browser open)
    listed = [t["id"] for t in api.client.get("/api/tasks").json()["tasks"]]
    assert listed.index(second["id"]) < listed.index(first["id"])  # newest first
    profiles = {p["name"]: p["in_use"] for p in api.client.get("/api/profiles").json()["profiles"]}
    assert profiles["shopper"] is True
    assert api.client.delete("/api/profiles/shopper").status_code == 409
    assert api.post(first["id"], "reject", {"note": "not today"})["status"] == "running"
    done = api.wait(first["id"], "done")
    assert done["answer"] == "bought it"  # told "no", the script went on to its next step
    events = api.events(first["id"])
    rejected = next(i for i, e in enumerate(events) if e["type"] == "rejected")
    assert events[rejected]["note"] == "not today"
    assert [e["action"]["kind"] for e in events[rejected:] if e["type"] == "proposed"] == ["done"]
    assert not any(e["type"] == "executed" for e in events)
    started = api.wait(second["id"], "halted")  # only now did the second task get the profile
    assert started["started_at"] >= done["ended_at"]
    assert api.post(second["id"], "cancel")["status"] == "cancelled"
    assert site.state()["buy_now"] == []


def test_taking_over_a_halt_refuses_it_and_the_person_drives(api: Api, site, buy_now, measure) -> None:  # type: ignore[no-untyped-def]
    task = halting_task(api, site, buy_now)
    taken = api.post(task["id"], "takeover")
    assert taken["status"] == "takeover" and taken["takeover_by"] == "user"
    x, y = measure(PRODUCT, "button[type=submit]")  # "Add to cart": not a commit, only the person clicks it
    assert api.post(task["id"], "input", {"kind": "click", "x": x, "y": y}) == {"ok": True}
    wait_until(lambda: site.state()["cart"] == [{"id": 2, "qty": 1}], what="the cart to fill")
    assert api.post(task["id"], "release")["status"] == "running"
    api.wait(task["id"], "done")
    kinds = [e["type"] for e in api.events(task["id"])]
    assert kinds.index("rejected") < kinds.index("takeover_started") < kinds.index("human_input")
    assert kinds.index("human_input") < kinds.index("takeover_ended")
    assert site.state()["buy_now"] == []  # the halted action never ran


def test_taking_over_a_running_task_then_cancelling_it(api: Api, site, measure) -> None:  # type: ignore[no-untyped-def]
    task = api.create(site.url + "/shop", [{"kind": "wait", "seconds": 0.2}] * 200)
    streamed: list[dict[str, Any]] = []  # the event stream, read live while the task runs

    def follow() -> None:
        reader = Api(api.server)
        try:
            streamed.extend(reader.events(task["id"]))
        finally:
            reader.close()

    watcher = threading.Thread(target=follow, daemon=True)
    watcher.start()
    api.wait(task["id"], "running", steps=2)
    api.post(task["id"], "input", {"kind": "text", "text": "x"}, expect=409)  # no takeover yet
    assert api.post(task["id"], "takeover")["status"] == "takeover"
    x, y = measure("/shop", "input[name=q]")
    for event in ({"kind": "click", "x": x, "y": y}, {"kind": "text", "text": "lamp"}, {"kind": "key", "key": "Enter"}):
        api.post(task["id"], "input", event)
    wait_until(lambda: site.state()["searches"] == ["lamp"], what="the search to arrive")
    assert api.post(task["id"], "input", {"kind": "key", "key": "NoSuchKey"}, expect=422)["detail"]
    api.post(task["id"], "release")
    steps = api.task(task["id"])["steps"]
    api.wait(task["id"], "running", steps=steps + 1)  # the agent goes on
    assert api.post(task["id"], "cancel")["status"] == "cancelled"
    events = api.events(task["id"])
    ended = next(e for e in events if e["type"] == "takeover_ended")
    assert "clicked 1 time" in ended["summary"] and "typed 4 characters" in ended["summary"]
    assert events[-1]["type"] == "finished" and events[-1]["outcome"] == "cancelled"
    watcher.join(30)
    assert streamed == events  # live, the stream told the same story the recording tells, and ended


def test_recordings_and_streams_of_unknown_tasks_are_404(api: Api, tmp_path: Path) -> None:
    unknown = "20200101-000000-00000000"
    for path in ("", "/events", "/recording", "/recording/frames/0001.jpg", "/recording/export"):
        assert api.client.get(f"/api/tasks/{unknown}{path}").status_code == 404, path
    assert api.client.post(f"/api/tasks/{unknown}/approve").status_code == 404


def test_approving_with_a_grant_lets_the_same_category_through_on_that_site_for_the_task(
    api: Api, site, buy_now
) -> None:  # type: ignore[no-untyped-def]
    steps = [buy_now, {"kind": "navigate", "url": site.url + PRODUCT}, buy_now, {"kind": "done", "answer": "two"}]
    task = api.wait(api.create(site.url + PRODUCT, steps)["id"], "halted")
    api.post(task["id"], "approve", {"grant": "task"})
    assert api.wait(task["id"], "done")["answer"] == "two"
    assert len(site.state()["buy_now"]) == 2  # the second purchase did not ask again
    events = api.events(task["id"])
    assert [e["type"] for e in events].count("halted") == 1
    granted = next(e for e in events if e["type"] == "granted")
    assert granted["category"] == "purchase" and granted["scope"] == "task" and granted["site"].startswith("127.0.0.1")

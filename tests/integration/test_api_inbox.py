"""The results inbox through real HTTP: script-brain tasks on the demo shop finish with an answer,
and land in ``/api/inbox`` newest first and unread, each with its replay; marking them read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.test_api_support import Api, api_server

PRODUCT = "/shop/product/2"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with api_server(tmp_path_factory.mktemp("inbox")) as api:
        yield api


def finished(api: Api, site, answer: str, instruction: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    task = api.create(site.url + PRODUCT, [{"kind": "done", "answer": answer}], instruction=instruction)
    return api.wait(task["id"], "done")


def test_finished_tasks_land_unread_newest_first_with_answer_and_replay(api: Api, site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = finished(api, site, "the lamp costs 12 €", "what does the lamp cost?")
    second = finished(api, site, "it is in stock", "is the lamp in stock?")

    res = api.client.get("/api/inbox")
    assert res.status_code == 200, res.text
    body = res.json()
    ids = [item["task"]["id"] for item in body["items"]]
    assert ids[:2] == [second["id"], first["id"]]
    top = body["items"][0]
    assert top["read"] is False and top["task"]["status"] == "done" and top["task"]["answer"] == "it is in stock"
    assert top["replay"] == f"/tasks/{second['id']}/replay"
    assert api.client.get(top["replay"]).status_code == 200  # the replay is there
    unread = body["unread"]
    assert unread >= 2

    res = api.client.post("/api/inbox/read", json={"ids": [second["id"]]})
    assert res.status_code == 200, res.text
    assert res.json() == {"unread": unread - 1}
    body = api.client.get("/api/inbox", params={"unread": "true", "limit": 50}).json()
    assert second["id"] not in [item["task"]["id"] for item in body["items"]]
    assert first["id"] in [item["task"]["id"] for item in body["items"]]

    assert api.client.post("/api/inbox/read", json={"all": True}).json() == {"unread": 0}
    assert api.client.get("/api/inbox", params={"unread": True}).json() == {"items": [], "unread": 0}


def test_marking_an_unknown_task_is_404_and_a_bad_body_422(api: Api) -> None:
    missing = "20990101-000000-deadbeef"
    res = api.client.post("/api/inbox/read", json={"ids": [missing]})
    assert res.status_code == 404 and missing in res.json()["detail"]
    for body, field in (
        ({"ids": ["../etc"]}, "ids[0]"),
        ({}, "ids"),
        ({"ids": [missing], "all": True}, "ids"),
        ({"all": "yes"}, "all"),
        ({"every": True}, "every"),
    ):
        res = api.client.post("/api/inbox/read", json=body)
        assert res.status_code == 422 and res.json()["detail"].startswith(field), (body, res.text)
    assert api.client.get("/api/inbox", params={"limit": 0}).status_code == 422


def test_the_inbox_is_in_the_openapi_document_and_needs_the_token(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    assert paths["/api/inbox"]["get"]["summary"] and "404" in paths["/api/inbox/read"]["post"]["responses"]
    assert httpx.get(api.url + "/api/inbox", trust_env=False).status_code == 401

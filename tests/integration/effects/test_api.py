"""The effect gate through the HTTP API: a task started by the server holds what its click sends.

A real server on loopback runs a script task on a local page whose "Go" button POSTs an order by
fetch. The task halts with the held request in ``halt.held``; the page's server has received
nothing. Approving through the API delivers the order exactly once; a second task that is cancelled
while halted never delivers it, then or later.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.effects.pages import Sites, settle, wait_for
from tests.integration.test_api_support import Api, api_server

GO = [{"kind": "click", "x": 160, "y": 120}, {"kind": "wait", "seconds": 0.5}]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    data_dir: Path = tmp_path_factory.mktemp("gate") / "data"
    with api_server(data_dir) as api:
        yield api


def halted_with_order(api: Api, pages: Sites) -> dict[str, object]:
    pages.reset()
    task = api.create(f"{pages.a}/go.html", GO, ephemeral=True)
    halted = api.wait(task["id"], "halted", timeout=90)
    held = halted["halt"]["held"]
    assert [(h["outgoing"]["method"], h["outgoing"]["url"]) for h in held] == [("POST", f"{pages.a}/order")], held
    settle()
    assert pages.posts("/order") == []  # held in the browser: nothing reached the server
    return halted


def test_approve_through_the_api_delivers_the_held_order_once(api: Api, pages: Sites) -> None:
    halted = halted_with_order(api, pages)
    api.post(str(halted["id"]), "approve", {})
    assert api.wait(str(halted["id"]), "done", timeout=90)["status"] == "done"
    assert wait_for(lambda: len(pages.posts("/order")) == 1)
    settle()
    assert len(pages.posts("/order")) == 1


def test_a_task_cancelled_while_held_never_delivers(api: Api, pages: Sites) -> None:
    halted = halted_with_order(api, pages)
    api.post(str(halted["id"]), "cancel")
    api.wait(str(halted["id"]), "cancelled", timeout=60)
    time.sleep(1.5)
    assert pages.posts("/order") == []

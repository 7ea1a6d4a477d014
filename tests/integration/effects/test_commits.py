"""The effect gate holds what an action sends, whatever the element looked like to the checker.

Each page here commits through a control the pre-commit checker cannot read as a commit (a "Go"
button, an icon with no name, a Swahili label, a drawn canvas), or by a route the click does not
show (XHR, a form post, a cross-site iframe, a popup, a WebSocket message, a settings save). For
each: with nobody to ask the run halts (exit 3) with a ``halted`` event that holds the request, and
the server never gets it; asked, a rejected send never arrives and the task goes on, and an
approved one arrives exactly once (each send carries a counter ``n``: the approved one is the
second).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult
from tests.integration.effects.pages import (
    Actions,
    LiveRun,
    Sites,
    click,
    halts,
    held_halt,
    run,
    settle,
    wait_for,
)

COMMITS = {"purchase", "transfer", "delete", "security", "send", "publish", "signup", "install", "change"}


def type_(text: str) -> dict[str, Any]:
    return {"kind": "type", "text": text}


def wait(seconds: float) -> dict[str, Any]:
    return {"kind": "wait", "seconds": seconds}


@dataclass(frozen=True)
class Case:
    page: str
    send: Actions  # the actions that send once (the last one is the one held)
    method: str  # what the held effect is: method and a part of its URL
    url_part: str
    host: str = "127.0.0.1"  # where it would arrive (a POST to ``url_part``)
    #: Whether the pre-commit checker may halt it first (it reads the target as a commit): then the
    #: halt holds nothing yet, and what an approval lets through is the action's own send.
    checker_may_halt: bool = False
    #: Whether the same actions can send again on the page they leave (not after a form post
    #: navigates, nor once a popup took the screen): then one run rejects the first send and
    #: approves the second.
    repeatable: bool = True

    def __str__(self) -> str:
        return self.page


ORDER = "/order"
CHAT = [click(240, 120), type_("see you at six")]
CASES = [
    Case("go.html", [click(160, 120)], "POST", ORDER),
    Case("icon.html", [click(130, 130)], "POST", ORDER),
    Case("swahili.html", [click(200, 120)], "POST", ORDER),
    Case("canvas.html", [click(180, 130)], "POST", ORDER),
    Case("xhr.html", [click(160, 120)], "POST", ORDER),
    Case("form.html", [click(160, 120)], "POST", ORDER, repeatable=False),
    Case("frame.html", [click(130, 90)], "POST", ORDER, host="127.0.0.2"),
    Case("popup.html", [click(160, 120)], "POST", ORDER, repeatable=False),
    Case("chat.html", [*CHAT, {"kind": "key", "keys": ["Enter"]}], "SEND", "ws://127.0.0.1"),
    # OCR reads the paper-plane icon and the checker knows a composer's send button.
    Case("chat.html#icon", [*CHAT, click(470, 120)], "SEND", "ws://127.0.0.1", checker_may_halt=True),
    Case(
        "settings.html",
        [click(250, 120), {"kind": "key", "keys": ["Control", "a"]}, type_("+1 555 0199"), click(160, 180)],
        "POST",
        "/account/phone",
        checker_may_halt=True,  # "Save" on a page titled Settings: a security change to the checker
    ),
]


def commit_halt(res: CliResult, case: Case) -> dict[str, Any]:
    """The run's one halt: the effect gate's, holding the send (or, where the case allows it, the
    checker's, before anything ran)."""
    if case.checker_may_halt and not any(h["held"] for h in halts(res)):
        assert res.code == 3, res.stdout[-3000:] + res.stderr[-3000:]
        [halt] = halts(res)
    else:
        halt = held_halt(res, case.method, case.url_part)
    assert halt["category"] in COMMITS, halt
    return halt


def arrived(pages: Sites, case: Case) -> list[dict[str, Any]]:
    """What the commit delivered: the bodies of its POSTs, or its WebSocket messages."""
    if case.method == "SEND":
        return [data for _, data in pages.sent("message")]
    return [_body(h.body) for h in pages.posts(case.url_part, case.host)]


def _body(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError:
        return {"form": raw.decode()}
    return data if isinstance(data, dict) else {"json": data}


def url(pages: Sites, case: Case) -> str:
    return f"{pages.a}/{case.page}"


#: One case per way a send leaves (fetch, a form's page load, a cross-origin frame, a popup, a
#: WebSocket): with nobody to ask, the held send is failed. The ask tests below halt every case.
NOBODY_TO_ASK = [c for c in CASES if c.page in ("go.html", "form.html", "frame.html", "popup.html", "chat.html")]


@pytest.mark.parametrize("case", NOBODY_TO_ASK, ids=str)
def test_the_send_halts_and_never_arrives_with_nobody_to_ask(hb: Any, pages: Sites, tmp_path: Path, case: Case) -> None:
    res = run(hb, tmp_path, url(pages, case), [*case.send, wait(0.5)])
    commit_halt(res, case)
    settle()
    assert arrived(pages, case) == [], pages.hits
    if case.method == "SEND":
        assert pages.sent("ping"), "the page's heartbeat never reached the server"


@pytest.mark.parametrize("case", [c for c in CASES if c.repeatable], ids=str)
def test_a_rejected_send_never_arrives_and_the_approved_one_arrives_once(
    hb: Any, pages: Sites, tmp_path: Path, case: Case
) -> None:
    actions = [*case.send, wait(0.4), *case.send, wait(0.8)]
    res = run(hb, tmp_path, url(pages, case), actions, "--on-halt", "ask", stdin="n\ny\n")
    assert res.code == 0, res.stdout[-3000:] + res.stderr[-3000:]
    found = halts(res)
    assert len(found) == 2 and (case.checker_may_halt or all(h["held"] for h in found)), found
    kinds = [e["type"] for e in res.events() if e["type"] in ("rejected", "approved")]
    assert kinds == ["rejected", "approved"], kinds
    assert wait_for(lambda: len(arrived(pages, case)) >= 1)
    settle()
    got = arrived(pages, case)
    # The second send, once, never the first; where the checker halted the first click, the page
    # never ran it, so the approved click is the page's first send.
    assert len(got) == 1 and got[0].get("n") == (2 if found[0]["held"] else 1), got


@pytest.mark.parametrize("case", [c for c in CASES if not c.repeatable], ids=str)
def test_a_rejected_send_never_arrives_and_the_task_goes_on(hb: Any, pages: Sites, tmp_path: Path, case: Case) -> None:
    actions = [*case.send, wait(0.4), {"kind": "done", "answer": "ok"}]
    res = run(hb, tmp_path, url(pages, case), actions, "--on-halt", "ask", stdin="n\n")
    assert res.code == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert [e["type"] for e in res.events()].count("rejected") == 1
    assert res.events()[-1]["outcome"] == "done"
    settle()
    assert arrived(pages, case) == [], pages.hits


@pytest.mark.parametrize("case", [c for c in CASES if not c.repeatable], ids=str)
def test_an_approved_send_arrives_once(hb: Any, pages: Sites, tmp_path: Path, case: Case) -> None:
    res = run(hb, tmp_path, url(pages, case), [*case.send, wait(0.5)], "--on-halt", "ask", stdin="y\n")
    assert res.code == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert [e["type"] for e in res.events()].count("approved") == 1
    assert wait_for(lambda: len(arrived(pages, case)) >= 1)
    settle()
    assert len(arrived(pages, case)) == 1, pages.hits


def test_chat_heartbeats_keep_arriving_before_during_and_after_a_held_message(pages: Sites, tmp_path: Path) -> None:
    """The socket that carries the held message carries the page's heartbeat (every second) too:
    the app must not time out while the user makes up their mind."""
    enter = CASES[8]
    live = LiveRun(tmp_path, url(pages, enter), [*enter.send, wait(0.3), *enter.send, wait(2.5)])
    try:
        first = live.until("halted")
        halted_at = time.monotonic()
        assert first["held"], first
        settle(3.0)  # the user takes their time
        live.answer("n")
        answered_at = time.monotonic()
        assert live.until("halted")["held"]
        live.answer("y")
        res = live.finish()
    finally:
        if live.proc.poll() is None:
            live.proc.kill()
    assert res.code == 0, res.stderr[-3000:]
    got = pages.sent("message")
    assert [data["n"] for _, data in got] == [2], got
    pings = [round(at - halted_at, 2) for at, _ in pages.sent("ping")]
    timing = f"heartbeats at {pings} s from the first halt (answered at {round(answered_at - halted_at, 2)} s)"
    assert any(t < 0 for t in pings), "no heartbeat before the halt: " + timing
    assert len([t for t in pings if 0.2 < t < answered_at - halted_at]) >= 2, timing
    assert any(at > got[0][0] for at, _ in pages.sent("ping")), "none after the approved message: " + timing

"""What the terminal shows of a halt (``homebody run --on-halt ask`` and the event lines), and the
scope flags ``--site`` / ``--ask`` as task options."""

from __future__ import annotations

import asyncio
import io

import pytest

from homebody.cli import build_parser, main
from homebody.cli.approve import HELD_PROMPT, PROMPT, TerminalApprover
from homebody.cli.brains import scope_options
from homebody.cli.output import ConsoleSink
from homebody.events import Halted
from homebody.types import Click, TargetInfo
from tests.unit.test_replay import held_halt


def ask(halted: Halted, answer: str) -> tuple[str, bool]:
    out = io.StringIO()
    decision = asyncio.run(TerminalApprover(io.StringIO(answer), out).decide(halted, None))
    return out.getvalue(), decision.approved


def test_the_prompt_lists_each_held_request_like_a_held_click() -> None:
    shown, approved = ask(held_halt(hostile="\x1b]0;owned\x07"), "y\n")
    assert approved and shown.endswith(HELD_PROMPT)
    assert "\x1b" not in shown and "\x07" not in shown
    for expected in (
        "homebody holds what this action would send: click at (200, 130)",
        "  category: purchase",
        "  why:      the click sends an order",
        "  held 1: POST https://shop.test/api/graphql?session=••• · fields: cardNumber, qty, \\u001b]0;owned\\u0007"
        " · operation: mutation PlaceOrder",
        "    [purchase] the request places an order",
        "  held 2: GET https://elsewhere.test/\\u001b]0;owned\\u0007 · a navigation",
        "    [leave_scope] elsewhere.test is not one of the task's sites",
    ):
        assert expected in shown, expected


def test_a_held_click_still_asks_as_before_and_no_answer_is_no() -> None:
    halted = Halted(
        task_id="t", action=Click(x=1, y=2), category="send", reason="Send button", target=TargetInfo(name="Send")
    )
    shown, approved = ask(halted, "")
    assert not approved and shown.endswith(PROMPT)
    assert "homebody halted before: click at (1, 2)" in shown and "'Send'" in shown and "held 1" not in shown


def test_the_event_lines_show_the_held_requests() -> None:
    out = io.StringIO()
    asyncio.run(ConsoleSink(out).emit(held_halt()))
    lines = out.getvalue().splitlines()
    assert lines[0] == "  HALTED holding what the action would send (2 requests) [purchase]: the click sends an order"
    assert lines[1].startswith("    held 1: POST https://shop.test/api/graphql") and len(lines) == 5


def test_site_and_ask_flags_become_the_task_scope() -> None:
    args = build_parser().parse_args(
        ["run", "x", "--start-url", "about:blank", "--site", "Pay.Example", "--site", "cdn.example:8443"]
    )
    scope = scope_options(args)
    assert (scope.sites, scope.ask) == (["pay.example", "cdn.example"], "commits")
    every = scope_options(
        build_parser().parse_args(["run", "x", "--start-url", "about:blank", "--ask", "every-change"])
    )
    assert (every.sites, every.ask) == ([], "every-change")


@pytest.mark.parametrize("site", ["a b", "ftp://pay.example", ""])
def test_a_bad_site_exits_2_naming_the_flag(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["run", "x", "--start-url", "http://127.0.0.1:9/", "--ephemeral", "--site", "ok.example", "--site", site]
    )
    err = capsys.readouterr().err
    assert code == 2 and "homebody: error: --site: " in err and "Traceback" not in err


def test_a_bad_ask_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["run", "x", "--start-url", "about:blank", "--ask", "never"])
    assert exited.value.code == 2 and "--ask: invalid choice: 'never'" in capsys.readouterr().err

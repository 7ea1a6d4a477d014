"""The Action union and the event union: validation, descriptions, JSON round trips."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from homebody.events import (
    Approved,
    Checked,
    Executed,
    Finished,
    Halted,
    Observed,
    Proposed,
    Rejected,
    TakeoverEnded,
    TakeoverStarted,
    TaskStarted,
    Verified,
    event_json,
    parse_event,
)
from homebody.types import ACTION_ADAPTER, Box, Click, Done, KeyCombo, Point, Scroll, Size, TargetInfo, describe_action


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ({"kind": "click", "x": 640, "y": 400}, "click at (640, 400)"),
        ({"kind": "click", "x": 1, "y": 2, "button": "right", "count": 2}, "click (right) twice at (1, 2)"),
        ({"kind": "type", "text": "hello"}, "type 5 characters"),
        ({"kind": "key", "keys": ["Control", "Enter"]}, "press Control+Enter"),
        ({"kind": "scroll", "x": 640, "y": 400, "dx": 0, "dy": 300}, "scroll (+0, +300) at (640, 400)"),
        ({"kind": "navigate", "url": "http://a.example/"}, "go to http://a.example/"),
        ({"kind": "wait", "seconds": 1.5}, "wait 1.5 s"),
        ({"kind": "done", "answer": "ok"}, "done: ok"),
    ],
)
def test_every_action_kind_parses_and_describes_itself(raw: dict, text: str) -> None:
    action = ACTION_ADAPTER.validate_python(raw)
    assert action.kind == raw["kind"]
    assert describe_action(action) == text
    assert ACTION_ADAPTER.validate_json(action.model_dump_json()) == action


@pytest.mark.parametrize(
    "raw",
    [
        {"kind": "click", "x": -1, "y": 0},
        {"kind": "click", "x": 1, "y": 1, "button": "side"},
        {"kind": "click", "x": 1, "y": 1, "count": 3},
        {"kind": "type", "text": ""},
        {"kind": "key", "keys": []},
        {"kind": "wait", "seconds": 0},
        {"kind": "exec", "cmd": "rm -rf /"},
        {"kind": "click", "x": 1, "y": 1, "extra": True},
    ],
)
def test_invalid_actions_are_rejected(raw: dict) -> None:
    with pytest.raises(ValidationError):
        ACTION_ADAPTER.validate_python(raw)


def test_actions_are_immutable() -> None:
    click = Click(x=1, y=2)
    with pytest.raises(ValidationError):
        click.x = 5  # type: ignore[misc]


def test_geometry() -> None:
    box = Box(10, 20, 100, 50)
    assert box.center == Point(60, 45)
    assert box.contains(Point(10, 20)) and not box.contains(Point(111, 20))
    with pytest.raises(ValueError, match="positive"):
        Size(0, 10)


def test_every_event_round_trips_through_json() -> None:
    target = TargetInfo(role="button", name="Place order", tag="input", attributes={"type": "submit"})
    events = [
        TaskStarted(task_id="t", instruction="buy", start_url="http://x/", brain="script", max_steps=5),
        Observed(task_id="t", step=1, frame="frames/0001.jpg", width=1280, height=800),
        Proposed(task_id="t", step=1, action=Click(x=1, y=2), thought="why"),
        Checked(task_id="t", step=1, checker="rules", verdict="halt", category="purchase", target=target),
        Halted(task_id="t", step=1, action=Click(x=1, y=2), category="purchase", reason="r", target=target),
        Approved(task_id="t", step=1),
        Rejected(task_id="t", step=1, note="no"),
        Executed(task_id="t", step=1, action=KeyCombo(keys=("Enter",))),
        Verified(task_id="t", step=1, effect="local", boxes=((1, 2, 3, 4),)),
        TakeoverStarted(task_id="t", step=1),
        TakeoverEnded(task_id="t", step=1, summary="typed"),
        Finished(task_id="t", step=2, outcome="done", answer="ok", steps=1),
    ]
    for event in events:
        line = event_json(event)
        assert "\n" not in line
        back = parse_event(line)
        assert back == event and back.type == event.type


def test_event_lines_carry_the_type_field_for_the_json_contract() -> None:
    line = event_json(Executed(task_id="t", step=3, action=Scroll(x=1, y=1, dy=5)))
    assert '"type":"executed"' in line
    assert parse_event(event_json(Finished(task_id="t", outcome="halted"))).type == "finished"
    assert Done().answer == ""

"""One description of an action: ``describe_action``, in the terminal, the replays and the web page."""

from __future__ import annotations

import json

import pytest

from homebody.events import Checked, Executed, Halted, HumanInput, Proposed, Skipped, event_json
from homebody.recordings.wording import NO_ACTION, action_line, event_with_words, input_line
from homebody.types import SECRET_MASK, Click, InputEvent, KeyCombo, Scroll, TypeText, describe_action


def test_typed_text_is_shown_only_where_a_recording_is_replayed() -> None:
    typed = TypeText(text="espresso")
    assert describe_action(typed) == "type 8 characters"  # logs and the brains' feedback
    assert describe_action(typed, with_text=True) == action_line(typed) == "type “espresso”"
    assert describe_action(TypeText(text=SECRET_MASK), with_text=True) == "type “•••”"
    assert describe_action(TypeText(text="x" * 500), with_text=True) == "type “" + "x" * 199 + "…”"
    assert action_line(Click(x=1, y=2)) == describe_action(Click(x=1, y=2)) == "click at (1, 2)"
    assert action_line(None) == NO_ACTION


@pytest.mark.parametrize(
    ("inp", "same_as"),
    [
        (InputEvent(kind="click", x=310, y=210), Click(x=310, y=210)),
        (InputEvent(kind="click", x=3, y=4, button="right", count=2), Click(x=3, y=4, button="right", count=2)),
        (InputEvent(kind="wheel", x=5, y=6, dy=-120), Scroll(x=5, y=6, dy=-120)),
        (InputEvent(kind="key", key="Control+a"), KeyCombo(keys=("Control+a",))),
        (InputEvent(kind="text", text="lamp"), TypeText(text="lamp")),
    ],
)
def test_a_persons_input_reads_like_the_action_it_amounts_to(inp: InputEvent, same_as: object) -> None:
    assert input_line(inp) == describe_action(same_as, with_text=True)  # type: ignore[arg-type]


def test_odd_recorded_inputs_are_still_described() -> None:
    assert input_line(InputEvent(kind="move", x=1.4, y=2.6)) == "mouse move at (1, 3)"
    assert input_line(InputEvent(kind="key", key="")) == "press "
    assert input_line(InputEvent(kind="text", text="")) == "type “”"


def test_events_for_the_web_page_carry_the_words_and_are_otherwise_unchanged() -> None:
    click = Click(x=120, y=80)
    worded = [
        Proposed(task_id="t", step=1, action=click, thought="open it"),
        Halted(task_id="t", step=1, action=click, category="purchase", reason="Buy"),
        Skipped(task_id="t", step=1, action=TypeText(text="hi"), reason="blocked"),
        Executed(task_id="t", step=1, action=click),
        HumanInput(task_id="t", step=1, input=InputEvent(kind="text", text=SECRET_MASK)),
    ]
    said = ["click at (120, 80)"] * 2 + ["type “hi”", "click at (120, 80)", "type “•••”"]
    for event, words in zip(worded, said, strict=True):
        data = json.loads(event_with_words(event))
        assert data.pop("description") == words
        assert data == json.loads(event_json(event))
    plain = Checked(task_id="t", step=1, checker="chain", verdict="allow")
    assert json.loads(event_with_words(plain)) == json.loads(event_json(plain))


def test_a_held_request_is_said_as_what_it_would_send_with_why() -> None:
    from homebody.recordings.wording import halt_heading, held_line, outgoing_line
    from homebody.types import HeldEffect, Outgoing

    post = Outgoing(kind="request", method="POST", url="https://a.test/api", fields=("q", "n"), operation="mutation X")
    assert outgoing_line(post) == "POST https://a.test/api · fields: q, n · operation: mutation X"
    ws = Outgoing(kind="websocket", method="SEND", url="wss://a.test/ws", top_level=False, frame_url="https://b.test/")
    assert outgoing_line(ws) == "SEND wss://a.test/ws · a WebSocket message · from an embedded frame (https://b.test/)"
    held = HeldEffect(id="1", outgoing=post, category="change", reason="sends a change")
    assert held_line(held) == "POST https://a.test/api · fields: q, n · operation: mutation X [change] sends a change"
    assert halt_heading(()) == "HALTED before acting"
    assert halt_heading((held,)) == "HALTED holding what the action would send (1 request)"
    halted = Halted(task_id="t", step=2, action=Click(x=1, y=2), category="change", reason="r", held=(held,))
    data = json.loads(event_with_words(halted))
    assert data["description"] == "click at (1, 2)" and data["held_descriptions"] == [held_line(held)]
    assert data["held"][0]["outgoing"]["fields"] == ["q", "n"]
    plain = json.loads(event_with_words(Halted(task_id="t", action=Click(x=1, y=2), category="send", reason="r")))
    assert "held_descriptions" not in plain

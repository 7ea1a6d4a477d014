"""How a task's events move its API status (halted means "waiting for you", nothing else)."""

from __future__ import annotations

from homebody.events import Approved, Finished, Halted, Observed, Rejected, TakeoverEnded, TakeoverStarted
from homebody.server.models import TaskRecord
from homebody.server.tracking import apply_event
from homebody.types import Click, TargetInfo
from tests.unit.test_server_store import record


def running() -> TaskRecord:
    return record("t", "running")


def test_a_halt_waits_with_what_it_halted_on_and_an_answer_resumes() -> None:
    halted = Halted(
        task_id="t",
        step=3,
        action=Click(x=5, y=6),
        category="purchase",
        reason="pays",
        crop="frames/0003-halt.jpg",
        target=TargetInfo(name="Place order"),
    )
    task = apply_event(running(), halted)
    assert task is not None and task.status == "halted" and task.halt is not None
    assert (task.halt.step, task.halt.category, task.halt.target_text, task.halt.crop) == (
        3,
        "purchase",
        "Place order",
        "frames/0003-halt.jpg",
    )
    for answer in (Approved(task_id="t", step=3), Rejected(task_id="t", step=3, note="no")):
        after = apply_event(task, answer)
        assert after is not None and after.status == "running" and after.halt is None


def test_takeover_and_steps_and_the_end() -> None:
    task = apply_event(running(), TakeoverStarted(task_id="t", step=2, by="alice"))
    assert task is not None and (task.status, task.takeover_by) == ("takeover", "alice")
    task = apply_event(task, TakeoverEnded(task_id="t", step=2, by="alice"))
    assert task is not None and (task.status, task.takeover_by) == ("running", None)
    task = apply_event(task, Observed(task_id="t", step=4, frame="frames/0004.jpg", width=1, height=1))
    assert task is not None and task.steps == 4
    done = apply_event(task, Finished(task_id="t", step=4, outcome="done", answer="ok", steps=4), now=9.0)
    assert done is not None and (done.status, done.answer, done.ended_at) == ("done", "ok", 9.0)


def test_a_task_that_ended_halted_waits_for_nobody_so_it_failed() -> None:
    ended = apply_event(running(), Finished(task_id="t", outcome="halted", reason="purchase: pays"))
    assert ended is not None and ended.status == "failed" and ended.reason == "halted: purchase: pays"


def test_events_that_change_nothing_shown_are_ignored() -> None:
    task = running()
    assert apply_event(task, Approved(task_id="t")) is None  # already running
    assert apply_event(task, Observed(task_id="t", step=0, frame="f", width=1, height=1)) is None


def test_a_held_request_is_in_the_halt_and_survives_the_store() -> None:
    from tests.unit.test_replay import held_halt

    halted = held_halt("t", step=4)
    task = apply_event(running(), halted)
    assert task is not None and task.status == "halted" and task.halt is not None
    assert task.halt.held == halted.held and task.halt.description == "click at (200, 130)"
    again = type(task).model_validate_json(task.model_dump_json())  # what the store writes and reads
    assert again == task and again.public().halt == task.halt
    shown = again.public().model_dump(mode="json")["halt"]["held"][0]
    assert (shown["outgoing"]["method"], shown["outgoing"]["operation"], shown["category"]) == (
        "POST",
        "mutation PlaceOrder",
        "purchase",
    )

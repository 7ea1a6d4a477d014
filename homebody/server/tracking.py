"""A task's status as its events move it: the one place that maps events to the API's statuses.

``halted`` (waiting for the user) → an answer or a takeover → ``running``; ``takeover_started`` →
``takeover``; ``finished`` → the outcome. A task that *ended* halted (no one to ask, or a brain
that will not guess) is ``failed`` with the reason: "halted" in the API always means "waiting for
you", and such a task waits for nobody.
"""

from __future__ import annotations

import time

from homebody.events import (
    Approved,
    Event,
    Finished,
    Halted,
    Observed,
    Outcome,
    Rejected,
    TakeoverEnded,
    TakeoverStarted,
)
from homebody.recordings.wording import action_line
from homebody.server.models import HaltOut, TaskRecord, TaskStatus

OUTCOME_STATUS: dict[Outcome, TaskStatus] = {
    "done": "done",
    "failed": "failed",
    "cancelled": "cancelled",
    "interrupted": "interrupted",
    "halted": "failed",
}


def halt_of(event: Halted) -> HaltOut:
    target = event.target
    text = (target.name or target.text) if target is not None else ""
    return HaltOut(
        step=event.step,
        category=event.category,
        reason=event.reason,
        action=event.action,
        crop=event.crop,
        target_text=text[:500],
        description=action_line(event.action),
        held=event.held,
    )


def apply_event(record: TaskRecord, event: Event, now: float | None = None) -> TaskRecord | None:
    """The record after ``event``, or None when the event changes nothing the API shows."""
    update: dict[str, object]
    match event:
        case Observed(step=step):
            update = {"steps": step}
        case Halted():
            update = {"status": "halted", "halt": halt_of(event)}
        case Approved() | Rejected():
            update = {"status": "running", "halt": None}
        case TakeoverStarted(by=by):
            update = {"status": "takeover", "takeover_by": by, "halt": None}
        case TakeoverEnded():
            update = {"status": "running", "takeover_by": None}
        case Finished(outcome=outcome, reason=reason, answer=answer, steps=steps):
            reason = f"halted: {reason}" if outcome == "halted" else reason
            update = {
                "status": OUTCOME_STATUS[outcome],
                "reason": reason,
                "answer": answer,
                "steps": max(steps, record.steps),
                "ended_at": time.time() if now is None else now,
                "halt": None,
                "takeover_by": None,
            }
        case _:
            return None
    if all(getattr(record, key) == value for key, value in update.items()):
        return None
    return record.model_copy(update=update)

"""The event union: everything a task does, as data.

Every event carries ``type`` (its name), ``task_id``, ``step`` and ``ts``; ``granted``,
``skipped`` and ``human_input`` extend the list of DESIGN.md compatibly. The recorder writes them
as JSON lines, ``homebody run --json`` prints them, the server streams them. Events that refer to
an image name it by a path relative to the task's recording folder (``frames/0003-before.jpg``);
the image itself travels beside the event to the sinks that want it.
"""

from __future__ import annotations

import time
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from homebody.types import Action, Category, Frame, HeldEffect, InputEvent, Scope, TargetInfo, TaskSpec, Verdict

Outcome = Literal["done", "halted", "failed", "cancelled", "interrupted"]
Effect = Literal["none", "local", "global", "unknown"]


class _EventBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    task_id: str
    step: int = 0
    ts: float = Field(default_factory=time.time)


class TaskStarted(_EventBase, TaskSpec):
    """The task record (``homebody.types.TaskSpec``, its fields flat) as the first event of a task;
    ``ts`` is when it started."""

    type: Literal["task_started"] = "task_started"


class Observed(_EventBase):
    type: Literal["observed"] = "observed"
    frame: str
    url: str = ""
    title: str = ""
    width: int
    height: int


class Proposed(_EventBase):
    type: Literal["proposed"] = "proposed"
    action: Action
    thought: str = ""
    raw: str = ""


class Checked(_EventBase):
    type: Literal["checked"] = "checked"
    checker: str
    verdict: Verdict
    category: Category | Literal[""] = ""
    reason: str = ""
    evidence: tuple[str, ...] = ()
    target: TargetInfo | None = None
    ms: float = 0.0


class Halted(_EventBase):
    """A step waiting for the user: the action before it ran (the checker halted it), or what the
    action would send, held in the browser (``held`` is then not empty: the action has run)."""

    type: Literal["halted"] = "halted"
    action: Action
    category: Category
    reason: str
    target: TargetInfo | None = None
    crop: str | None = None
    held: tuple[HeldEffect, ...] = ()


class Approved(_EventBase):
    type: Literal["approved"] = "approved"
    by: str = "user"
    note: str = ""


class Rejected(_EventBase):
    type: Literal["rejected"] = "rejected"
    by: str = "user"
    note: str = ""


class Granted(_EventBase):
    type: Literal["granted"] = "granted"
    site: str
    category: Category
    scope: Scope
    expires_at: float | None = None
    by: str = "user"


class Skipped(_EventBase):
    """A proposed action that was not dispatched (blocked, or the screen changed under it)."""

    type: Literal["skipped"] = "skipped"
    action: Action
    reason: str


class Executed(_EventBase):
    type: Literal["executed"] = "executed"
    action: Action
    ok: bool = True
    error: str = ""
    ms: float = 0.0


class Verified(_EventBase):
    type: Literal["verified"] = "verified"
    effect: Effect
    score: float = 0.0
    boxes: tuple[tuple[int, int, int, int], ...] = ()
    frame: str | None = None
    note: str = ""


class TakeoverStarted(_EventBase):
    type: Literal["takeover_started"] = "takeover_started"
    by: str = "user"


class HumanInput(_EventBase):
    """An input a person sent during a takeover (text into a secret field is stored masked)."""

    type: Literal["human_input"] = "human_input"
    input: InputEvent
    by: str = "user"
    ok: bool = True
    error: str = ""


class TakeoverEnded(_EventBase):
    type: Literal["takeover_ended"] = "takeover_ended"
    by: str = "user"
    summary: str = ""


class Finished(_EventBase):
    type: Literal["finished"] = "finished"
    outcome: Outcome
    reason: str = ""
    answer: str = ""
    steps: int = 0


Event = Annotated[
    TaskStarted
    | Observed
    | Proposed
    | Checked
    | Halted
    | Approved
    | Rejected
    | Granted
    | Skipped
    | Executed
    | Verified
    | TakeoverStarted
    | HumanInput
    | TakeoverEnded
    | Finished,
    Field(discriminator="type"),
]
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def event_json(event: Event) -> str:
    """One event as a single JSON line (no trailing newline)."""
    return event.model_dump_json()


def parse_event(line: str | bytes) -> Event:
    return EVENT_ADAPTER.validate_json(line)


class EventSink(Protocol):
    """Receives every event of a task in order; ``frame`` is the image an event names, if any."""

    async def emit(self, event: Event, frame: Frame | None = None) -> None: ...

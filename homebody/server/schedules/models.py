"""A schedule as the API takes it and gives it back, and as the store keeps it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from homebody.compose.options import Strict
from homebody.server.models import TaskIn
from homebody.server.schedules.timing import DEFAULT_GRACE_S, Trigger

SCHEDULE_ID_PATTERN = r"^s-[0-9a-f]{10}$"
#: When a schedule's runs notify (the server's webhook and desktop notice): on a halt (default), on
#: a halt and when a run finishes, or never.
Notify = Literal["halt", "finish", "never"]
ScheduleState = Literal["active", "paused", "done", "missed"]
RunOutcome = Literal["started", "skipped", "missed", "failed"]


class ScheduleIn(Strict):
    """A new schedule: the task (as ``POST /api/tasks`` takes it) and when it runs."""

    task: TaskIn
    trigger: Trigger
    notify: Notify = "halt"
    grace_s: float = Field(
        default=DEFAULT_GRACE_S, ge=0, le=30 * 86400, description="how late a missed one-shot may still run"
    )


class ScheduleOut(BaseModel):
    id: str
    task: TaskIn
    trigger: Trigger
    notify: Notify
    grace_s: float
    state: ScheduleState
    created_at: float
    next_run: float | None = Field(default=None, description="when it runs next (seconds since the epoch)")
    last_task_id: str | None = None
    last_run_at: float | None = None
    runs: int = 0


class ScheduleRecord(ScheduleOut):
    run_now: bool = False


class ScheduleListOut(BaseModel):
    schedules: list[ScheduleOut]


class ScheduleRunOut(BaseModel):
    at: float
    outcome: RunOutcome
    task_id: str | None = None
    reason: str = ""


class ScheduleRunsOut(BaseModel):
    runs: list[ScheduleRunOut]

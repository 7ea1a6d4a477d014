"""The HTTP API's bodies as pydantic models: what arrives is validated here, what leaves is typed here.

These models are the OpenAPI document (``/openapi.json``) and the contract the web page is built
against (``../shared/api.md``). Request models forbid unknown fields, so a typo in a field name is a
422 naming it rather than a setting silently ignored. A task's brain and browser options are
``homebody.compose.options``: ``homebody run``'s flags become the same values, checked the same way.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from homebody.compose.options import PROFILE_PATTERN, BrainIn, JsonInt, ScopeIn, SessionIn, StepsBrainIn, Strict
from homebody.errors import BadInput
from homebody.events import Event
from homebody.sessions.profiles import validate_profile_name
from homebody.types import Action, Ask, HeldEffect, InputEvent, Scope

TaskStatus = Literal["queued", "running", "halted", "takeover", "done", "failed", "cancelled", "interrupted"]
#: A task in one of these has a browser open (or is opening one).
ACTIVE: frozenset[str] = frozenset({"running", "halted", "takeover"})
#: A task in one of these is over for good; nothing ever runs it again.
FINAL: frozenset[str] = frozenset({"done", "failed", "cancelled", "interrupted"})
TASK_ID_PATTERN = r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$"
FRAME_NAME_PATTERN = r"^[0-9]{4}(-[a-z0-9]{1,16})?\.jpg$"
#: What a start URL may be: http(s) with a host (a name or an address) and no spaces or control
#: characters, a file URL, or about:blank. Stated in the schema, so clients and fuzzers see it too.
START_URL_PATTERN = (
    r"^(about:blank|https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%-]+)(:[0-9]{1,5})?([/?#][^\s\x00-\x1f]*)?"
    r"|file://[^\s\x00-\x1f]*)$"
)
MAX_TEXT = 20_000


# --------------------------------------------------------------------------- tasks


def check_start_url(value: str) -> str:
    """``http(s)://host/…``, ``file:///…`` or ``about:blank``; anything else is refused."""
    if not re.fullmatch(START_URL_PATTERN, value):
        raise ValueError(f"must be an http(s) URL with a host, a file:// URL or about:blank, got {value[:200]!r}")
    return value


class TaskIn(SessionIn, ScopeIn):
    """A new task. ``profile``, ``ephemeral`` and ``cdp_url`` exclude each other; with none, profile "default".
    ``sites``: where it may act besides its start URL's site; ``ask``: "every-change" asks before every
    change it sends (``homebody run``'s ``--site`` and ``--ask``)."""

    instruction: str = Field(default="", max_length=MAX_TEXT)
    # The pattern is stated in the schema; the validator below enforces it with a readable message.
    start_url: str = Field(min_length=1, max_length=8192, json_schema_extra={"pattern": START_URL_PATTERN})
    brain: BrainIn = Field(default_factory=lambda: StepsBrainIn(kind="steps"))
    max_steps: JsonInt = Field(default=50, ge=1, le=500)

    @field_validator("start_url")
    @classmethod
    def _start_url(cls, value: str) -> str:
        return check_start_url(value)


class HaltOut(BaseModel):
    """Why a task waits: the action it wants to take and what the checker said about it, or (``held``
    not empty) the action that ran and what it would send, held in the browser until the answer."""

    model_config = ConfigDict(frozen=True)

    step: int
    category: str
    reason: str
    action: Action
    crop: str | None = Field(default=None, description="the target's picture in the recording: frames/0003-halt.jpg")
    target_text: str = ""
    description: str = Field(default="", description="the action in words, as homebody's CLI and replays put it")
    held: tuple[HeldEffect, ...] = Field(
        default=(), description="what the action would send, held: approve sends exactly these once, reject fails them"
    )


class TaskOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    status: TaskStatus
    instruction: str
    start_url: str
    profile: str | None
    ephemeral: bool
    cdp_url: str | None = None
    brain_kind: str
    max_steps: int
    sites: tuple[str, ...] = ()
    ask: Ask = "commits"
    created_at: float
    started_at: float | None = None
    ended_at: float | None = None
    reason: str = ""
    answer: str = ""
    steps: int = 0
    halt: HaltOut | None = None
    takeover_by: str | None = None
    schedule_id: str | None = Field(default=None, description="the schedule that started this task, if one did")


class TaskRecord(TaskOut):
    """A task as the store keeps it: the public fields plus the brain settings to run it with."""

    brain: BrainIn
    #: When this task's halts and end notify: a schedule's setting; a task started by hand notifies halts.
    notify: Literal["halt", "finish", "never"] = "halt"

    def public(self) -> TaskOut:
        return TaskOut.model_validate(self.model_dump(exclude={"brain", "notify"}))

    @property
    def session(self) -> SessionIn:
        """The browser the task runs in (``profile`` is already None for a throwaway or remote one)."""
        return SessionIn(profile=self.profile, ephemeral=self.ephemeral, cdp_url=self.cdp_url)

    @property
    def browser_key(self) -> str | None:
        """What two tasks must not use at once: a profile's user data, or a remote browser (its tabs
        share one set of logins); None for a throwaway browser, which is the task's alone."""
        if self.ephemeral:
            return None
        return f"cdp:{self.cdp_url}" if self.cdp_url is not None else f"profile:{self.profile}"


class TaskListOut(BaseModel):
    tasks: list[TaskOut]


class ApproveIn(Strict):
    """Let the halted action through; ``grant`` also allows this category on this site for the rest
    of the task (``task``) or for ``grant_seconds`` (``timed``)."""

    note: str = Field(default="", max_length=2000)
    grant: Scope | None = None
    grant_seconds: float | None = Field(default=None, gt=0, le=30 * 86400)

    @model_validator(mode="after")
    def _seconds_need_timed(self) -> ApproveIn:
        if self.grant_seconds is not None and self.grant != "timed":
            raise ValueError('grant_seconds: only with grant "timed"')
        return self


class RejectIn(Strict):
    """Refuse the halted action; ``note`` is passed to the brain."""

    note: str = Field(default="", max_length=2000)


class InputIn(InputEvent):
    """One input of a person who took over (``homebody.types.InputEvent``), validated strictly."""

    model_config = ConfigDict(strict=True)


class OkOut(BaseModel):
    ok: Literal[True] = True


class RecordingOut(BaseModel):
    events: list[Event]


class ProfileIn(Strict):
    name: str = Field(min_length=1, max_length=64, json_schema_extra={"pattern": PROFILE_PATTERN})

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        try:
            return validate_profile_name(value)
        except BadInput as exc:
            raise ValueError(str(exc)) from None


class ProfileOut(BaseModel):
    name: str
    in_use: bool


class ProfileListOut(BaseModel):
    profiles: list[ProfileOut]


class ErrorOut(BaseModel):
    detail: str = Field(description="what is wrong, naming the field")


# --------------------------------------------------------------------------- the results inbox


class InboxItemOut(BaseModel):
    task: TaskOut
    read: bool
    replay: str = Field(description="the task's replay page on this server: /tasks/{id}/replay")


class InboxOut(BaseModel):
    items: list[InboxItemOut] = Field(description="finished tasks, the latest to end first")
    unread: int = Field(description="finished tasks not read yet (all of them, not only this page's)")


class InboxReadIn(Strict):
    """Mark finished tasks read: ``ids``, or every one of them with ``all: true``."""

    ids: list[Annotated[str, Field(pattern=TASK_ID_PATTERN)]] = Field(default=[], max_length=1000)
    all: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> InboxReadIn:
        if self.all == bool(self.ids):
            raise ValueError('ids: give the task ids to mark read, or "all": true (one of them)')
        return self


class InboxReadOut(BaseModel):
    unread: int

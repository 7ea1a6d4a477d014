"""The HTTP API's bodies as pydantic models: what arrives is validated here, what leaves is typed here.

These models are the OpenAPI document (``/openapi.json``) and the contract the web page is built
against (``../shared/api.md``). Request models forbid unknown fields, so a typo in a field name is a
422 naming it rather than a setting silently ignored.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from homebody.errors import BadInput
from homebody.events import Event
from homebody.server.fieldpath import field_path
from homebody.sessions.profiles import validate_profile_name
from homebody.types import ACTION_LIST_ADAPTER, Action, InputEvent, Scope

TaskStatus = Literal["queued", "running", "halted", "takeover", "done", "failed", "cancelled", "interrupted"]
#: A task in one of these has a browser open (or is opening one).
ACTIVE: frozenset[str] = frozenset({"running", "halted", "takeover"})
#: A task in one of these is over for good; nothing ever runs it again.
FINAL: frozenset[str] = frozenset({"done", "failed", "cancelled", "interrupted"})
TASK_ID_PATTERN = r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$"
FRAME_NAME_PATTERN = r"^[0-9]{4}(-[a-z0-9]{1,16})?\.jpg$"
PROFILE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
#: What a start URL may be: http(s) with a host (a name or an address) and no spaces or control
#: characters, a file URL, or about:blank. Stated in the schema, so clients and fuzzers see it too.
START_URL_PATTERN = (
    r"^(about:blank|https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%-]+)(:[0-9]{1,5})?([/?#][^\s\x00-\x1f]*)?"
    r"|file://[^\s\x00-\x1f]*)$"
)
MAX_TEXT = 20_000


def _integral(value: object) -> object:
    """JSON has one number type: ``50.0`` is the integer 50 (as JSON Schema says), ``50.5`` is not."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


#: An integer field of a strict body that takes ``50.0`` as 50 (but never ``true`` or ``"50"``).
JsonInt = Annotated[int, BeforeValidator(_integral)]


class _Body(BaseModel):
    # Strict: ``true`` is not a number and ``"5"`` is not an int here, as the schema says.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --------------------------------------------------------------------------- brains


class ScriptBrainIn(_Body):
    """Replays ``steps`` in order (the script contract of DESIGN.md); done when they run out."""

    kind: Literal["script"]
    steps: list[Action] = Field(max_length=1000)

    @field_validator("steps", mode="before")
    @classmethod
    def _actions(cls, value: object) -> object:
        """Each step as the script contract's action, validated strictly as JSON (``true`` is no
        coordinate); an error names the step: ``brain.steps[3].x: …``."""
        if not isinstance(value, list):
            return value  # the list check below says what is wrong
        plain = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
        try:
            return ACTION_LIST_ADAPTER.validate_json(json.dumps(plain), strict=True)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = field_path(("body", *first["loc"]), value)
            if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
                where += ".kind"
            raise ValueError(f"brain.steps{where}: {first['msg']}") from None
        except (TypeError, ValueError) as exc:  # not JSON at all (cannot come from an HTTP body)
            raise ValueError(f"brain.steps: {exc}") from None


class StepsBrainIn(_Body):
    """The embedded steps brain: follows the instruction as plain-English steps, found on screen by OCR."""

    kind: Literal["steps"]


class _VlmIn(_Body):
    model: str = Field(min_length=1, max_length=500)
    model_family: Literal["qwen3-vl", "qwen2.5-vl", "ui-tars"] | None = Field(
        default=None, description="the prompt and coordinate convention; guessed from the model's name when left out"
    )
    max_pixels: JsonInt | None = Field(default=None, ge=1, le=50_000_000)
    history_images: JsonInt = Field(default=1, ge=1, le=8)


class OpenAIBrainIn(_VlmIn):
    """A vision-language model behind an OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama)."""

    kind: Literal["openai"]
    base_url: str = Field(min_length=1, max_length=2000)

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be an http(s) URL like http://127.0.0.1:8000/v1, got {value!r}")
        return value.strip()


class TransformersBrainIn(_VlmIn):
    """A model loaded in the server's process from a local directory or the Hugging Face cache."""

    kind: Literal["transformers"]
    device: Literal["auto", "cuda", "mps", "cpu"] = "auto"
    dtype: Literal["auto", "bfloat16", "float16", "float32"] = "auto"


BrainIn = Annotated[
    ScriptBrainIn | StepsBrainIn | OpenAIBrainIn | TransformersBrainIn,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- tasks


def check_start_url(value: str) -> str:
    """``http(s)://host/…``, ``file:///…`` or ``about:blank``; anything else is refused."""
    if not re.fullmatch(START_URL_PATTERN, value):
        raise ValueError(f"must be an http(s) URL with a host, a file:// URL or about:blank, got {value[:200]!r}")
    return value


class TaskIn(_Body):
    """A new task. ``profile`` and ``ephemeral`` exclude each other; with neither, profile "default"."""

    instruction: str = Field(default="", max_length=MAX_TEXT)
    # The patterns are stated in the schema; the validators below enforce them with a readable message.
    start_url: str = Field(min_length=1, max_length=8192, json_schema_extra={"pattern": START_URL_PATTERN})
    profile: str | None = Field(default=None, max_length=64, json_schema_extra={"pattern": PROFILE_PATTERN})
    ephemeral: bool = False
    brain: BrainIn = Field(default_factory=lambda: StepsBrainIn(kind="steps"))
    max_steps: JsonInt = Field(default=50, ge=1, le=500)

    @field_validator("start_url")
    @classmethod
    def _start_url(cls, value: str) -> str:
        return check_start_url(value)

    @field_validator("profile")
    @classmethod
    def _profile(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return validate_profile_name(value)
        except BadInput as exc:
            raise ValueError(str(exc)) from None

    @model_validator(mode="after")
    def _one_session(self) -> TaskIn:
        if self.ephemeral and self.profile is not None:
            raise ValueError("profile: give either a profile or ephemeral: true, not both")
        return self

    @property
    def profile_name(self) -> str | None:
        """The profile the task runs on; None for an ephemeral (throwaway) browser."""
        return None if self.ephemeral else (self.profile or "default")


class HaltOut(BaseModel):
    """Why a task waits: the action it wants to take and what the checker said about it."""

    model_config = ConfigDict(frozen=True)

    step: int
    category: str
    reason: str
    action: Action
    crop: str | None = Field(default=None, description="the target's picture in the recording: frames/0003-halt.jpg")
    target_text: str = ""
    description: str = Field(default="", description="the action in words, as homebody's CLI and replays put it")


class TaskOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    status: TaskStatus
    instruction: str
    start_url: str
    profile: str | None
    ephemeral: bool
    brain_kind: str
    max_steps: int
    created_at: float
    started_at: float | None = None
    ended_at: float | None = None
    reason: str = ""
    answer: str = ""
    steps: int = 0
    halt: HaltOut | None = None
    takeover_by: str | None = None


class TaskRecord(TaskOut):
    """A task as the store keeps it: the public fields plus the brain settings to run it with."""

    brain: BrainIn

    def public(self) -> TaskOut:
        return TaskOut.model_validate(self.model_dump(exclude={"brain"}))


class TaskListOut(BaseModel):
    tasks: list[TaskOut]


class ApproveIn(_Body):
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


class RejectIn(_Body):
    """Refuse the halted action; ``note`` is passed to the brain."""

    note: str = Field(default="", max_length=2000)


class InputIn(InputEvent):
    """One input of a person who took over (``homebody.types.InputEvent``), validated strictly."""

    model_config = ConfigDict(strict=True)


class OkOut(BaseModel):
    ok: Literal[True] = True


class RecordingOut(BaseModel):
    events: list[Event]


class ProfileIn(_Body):
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

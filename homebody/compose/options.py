"""A task's options as typed values: the brain to build, the browser to open it in, and its scope.

The API's new-task body holds them (``brain``; ``profile`` / ``ephemeral`` / ``cdp_url``; ``sites`` /
``ask``) and
``homebody run``'s flags become them, so both are validated here, by the same rules and with the same
words. The models are strict (``true`` is not a number, ``"5"`` is not an int) and forbid unknown
fields, so a typo in a field's name is refused rather than a setting silently ignored.
``parse_options`` turns a plain mapping into options, or a ``BadOption`` naming the first bad field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Annotated, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from homebody.compose.fields import describe_error, field_path
from homebody.errors import BadInput, BadOption
from homebody.safety.scope import parse_site
from homebody.sessions.browser.remote import validate_cdp_url
from homebody.sessions.profiles import validate_profile_name
from homebody.types import ACTION_LIST_ADAPTER, Action, Ask

T = TypeVar("T")
PROFILE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


def _integral(value: object) -> object:
    """JSON has one number type: ``50.0`` is the integer 50 (as JSON Schema says), ``50.5`` is not."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


#: An integer field of a strict model that takes ``50.0`` as 50 (but never ``true`` or ``"50"``).
JsonInt = Annotated[int, BeforeValidator(_integral)]


class Strict(BaseModel):
    """Options as they arrive: strict, frozen, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --------------------------------------------------------------------------- brains


class ScriptBrainIn(Strict):
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


class StepsBrainIn(Strict):
    """The embedded steps brain: follows the instruction as plain-English steps, found on screen by OCR."""

    kind: Literal["steps"]


class _VlmIn(Strict):
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
    """A model loaded in this process from a local directory or the Hugging Face cache."""

    kind: Literal["transformers"]
    device: Literal["auto", "cuda", "mps", "cpu"] = "auto"
    dtype: Literal["auto", "bfloat16", "float16", "float32"] = "auto"


BrainIn = Annotated[
    ScriptBrainIn | StepsBrainIn | OpenAIBrainIn | TransformersBrainIn,
    Field(discriminator="kind"),
]
BRAIN_OPTIONS: TypeAdapter[BrainIn] = TypeAdapter(BrainIn)
#: Each kind's options, for a front end that collects them field by field (``homebody run``).
BRAIN_KINDS: dict[str, type[Strict]] = {
    "script": ScriptBrainIn,
    "steps": StepsBrainIn,
    "openai": OpenAIBrainIn,
    "transformers": TransformersBrainIn,
}


# --------------------------------------------------------------------------- the browser


class SessionIn(Strict):
    """Which browser a task runs in: a named profile (``profile``; "default" when none is given), a
    throwaway one (``ephemeral``), or a new tab of a Chromium started elsewhere (``cdp_url``, with
    that browser's own logins). One of them at most."""

    profile: str | None = Field(default=None, max_length=64, json_schema_extra={"pattern": PROFILE_PATTERN})
    ephemeral: bool = False
    cdp_url: str | None = Field(
        default=None,
        max_length=2000,
        description="a Chromium started with --remote-debugging-port, e.g. http://192.168.1.20:9222",
    )

    @field_validator("profile")
    @classmethod
    def _profile(cls, value: str | None) -> str | None:
        return None if value is None else _as_value_error(validate_profile_name, value)

    @field_validator("cdp_url")
    @classmethod
    def _cdp_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        # validate_cdp_url words its message for the flag ("--cdp-url must be …"); here the field's
        # name is put in front by whoever reports the error, as for every other field.
        return _as_value_error(validate_cdp_url, value, drop="--cdp-url ")

    @model_validator(mode="after")
    def _one_session(self) -> SessionIn:
        if self.ephemeral and self.profile is not None:
            raise ValueError("profile: give either a profile or ephemeral: true, not both")
        if self.cdp_url is not None and (self.ephemeral or self.profile is not None):
            raise ValueError("cdp_url: a remote browser brings its own profile: give no profile or ephemeral with it")
        return self

    @property
    def profile_name(self) -> str | None:
        """The profile the task runs on; None for an ephemeral (throwaway) or a remote browser."""
        return None if self.ephemeral or self.cdp_url is not None else (self.profile or "default")


SESSION_OPTIONS: TypeAdapter[SessionIn] = TypeAdapter(SessionIn)


# --------------------------------------------------------------------------- scope and policy

MAX_SITES = 100


class ScopeIn(Strict):
    """Where a task may act and when it asks first: ``sites`` it may act on besides its start URL's
    (``--site``), and ``ask``: ``commits`` (purchases, messages, deletes, … and anything the gate cannot
    tell is harmless) or ``every-change`` (before every change the task sends to a server)."""

    sites: list[Annotated[str, Field(max_length=2000)]] = Field(
        default_factory=list,
        max_length=MAX_SITES,
        description="hosts such as shop.example or pay.example:8443, besides the start URL's own",
    )
    ask: Ask = Field(default="commits", description='"every-change": ask before every change the task sends')

    @field_validator("sites")
    @classmethod
    def _sites(cls, value: list[str]) -> list[str]:
        """Each site normalised (``Shop.Example`` is ``shop.example``), each once, in the order given."""
        try:
            return list(dict.fromkeys(parse_site(site) for site in value))
        except ValueError as exc:
            # named here: a problem that begins with the site itself must not pass for a field's name
            raise ValueError(f"sites: {exc}") from None


SCOPE_OPTIONS: TypeAdapter[ScopeIn] = TypeAdapter(ScopeIn)


def _as_value_error(check: Callable[[str], str], value: str, drop: str = "") -> str:
    """``check(value)``, its ``BadInput`` turned into the ``ValueError`` pydantic reports."""
    try:
        return check(value)
    except BadInput as exc:
        raise ValueError(str(exc).removeprefix(drop)) from None


# --------------------------------------------------------------------------- from plain values


def parse_options(adapter: TypeAdapter[T], data: Mapping[str, object], field: str = "") -> T:
    """``data`` validated by ``adapter``; a ``BadOption`` naming the first bad field (its path in the
    API's task body: ``brain.history_images`` when ``field`` is ``brain``)."""
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ("body", field) if field else ("body",)
        body = {field: dict(data)} if field else dict(data)
        name, problem = describe_error({**first, "loc": (*where, *first["loc"])}, body)
        raise BadOption(name, problem) from None

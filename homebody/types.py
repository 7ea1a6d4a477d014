"""Core values that travel through the operator loop.

Everything here is immutable and validated on arrival: geometry, captured frames, the closed
``Action`` union a brain may propose, what a probe found under a point, a checker's verdict, and
the task record (``TaskSpec``) that the loop runs, ``task_started`` records and a replay reads back.
A brain's output becomes an ``Action`` here or it does not reach the computer at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True, slots=True)
class Point:
    """A position in CSS pixels of the viewport (or screen pixels for a desktop)."""

    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Size:
    width: int
    height: int

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"size must be positive, got {self.width}x{self.height}")


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle: left, top, width, height."""

    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> Point:
        return Point(self.x + self.width / 2, self.y + self.height / 2)

    def contains(self, p: Point) -> bool:
        return self.x <= p.x <= self.x + self.width and self.y <= p.y <= self.y + self.height


def site_of(url: str) -> str:
    """The host a permission is scoped to (``shop.example:8443``); empty for pages without one."""
    return (urlsplit(url).netloc or "").lower()


# --------------------------------------------------------------------------- frames

ImageFormat = Literal["jpeg", "png"]


@dataclass(frozen=True, slots=True)
class Frame:
    """One captured screen image, with the page it showed (empty for a desktop)."""

    data: bytes = field(repr=False)
    format: ImageFormat
    size: Size
    ts: float
    url: str = ""
    title: str = ""


# --------------------------------------------------------------------------- actions


MouseButton = Literal["left", "right", "middle"]

#: What is stored and shown instead of text typed into a secret field.
SECRET_MASK = "•••"  # noqa: S105 (the mask shown instead of a secret, not a secret)


class _ActionBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Click(_ActionBase):
    kind: Literal["click"] = "click"
    x: float = Field(ge=0)
    y: float = Field(ge=0)
    button: MouseButton = "left"
    count: Literal[1, 2] = 1

    @property
    def point(self) -> Point:
        return Point(self.x, self.y)


class TypeText(_ActionBase):
    kind: Literal["type"] = "type"
    text: str = Field(min_length=1)


class KeyCombo(_ActionBase):
    """Keys pressed together, in Playwright key names (``Control``, ``Enter``, ``a``)."""

    kind: Literal["key"] = "key"
    keys: tuple[Annotated[str, Field(min_length=1)], ...] = Field(min_length=1)


class Scroll(_ActionBase):
    kind: Literal["scroll"] = "scroll"
    x: float = Field(ge=0)
    y: float = Field(ge=0)
    dx: float = 0
    dy: float = 0

    @property
    def point(self) -> Point:
        return Point(self.x, self.y)


class Navigate(_ActionBase):
    kind: Literal["navigate"] = "navigate"
    url: str = Field(min_length=1)


class Wait(_ActionBase):
    kind: Literal["wait"] = "wait"
    seconds: float = Field(gt=0, le=600)


class Done(_ActionBase):
    kind: Literal["done"] = "done"
    answer: str = ""


Action = Annotated[
    Click | TypeText | KeyCombo | Scroll | Navigate | Wait | Done,
    Field(discriminator="kind"),
]
ACTION_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)
ACTION_LIST_ADAPTER: TypeAdapter[list[Action]] = TypeAdapter(list[Action])


def describe_action(action: Action, *, with_text: bool = False) -> str:
    """The one description of an action, in words: logs, the terminal, the brains' feedback, the replays
    and the web page (the server sends it along with the events) all use this.

    Typed text is shown only ``with_text``: replays and the web page show what a recording holds
    (a secret is already masked there), while logs and prompts get only its length.
    """
    match action:
        case Click(x=x, y=y, button=button, count=count):
            times = " twice" if count == 2 else ""
            which = "" if button == "left" else f" ({button})"
            return f"click{which}{times} at ({x:.0f}, {y:.0f})"
        case TypeText(text=text) if with_text:
            shown = text if len(text) <= 200 else text[:199] + "…"
            return f"type “{shown}”"
        case TypeText(text=text):
            return "type a secret (not recorded)" if text == SECRET_MASK else f"type {len(text)} characters"
        case KeyCombo(keys=keys):
            return "press " + "+".join(keys)
        case Scroll(x=x, y=y, dx=dx, dy=dy):
            return f"scroll ({dx:+.0f}, {dy:+.0f}) at ({x:.0f}, {y:.0f})"
        case Navigate(url=url):
            return f"go to {url}"
        case Wait(seconds=seconds):
            return f"wait {seconds:g} s"
        case Done(answer=answer):
            return f"done: {answer}" if answer else "done"


# --------------------------------------------------------------------------- human input

#: How the loop tells a brain that a person drove for a while (brains may key on these words).
TAKEOVER_FEEDBACK = "took over the session and handed it back"
InputKind = Literal["move", "down", "up", "click", "wheel", "key", "text"]


class InputEvent(BaseModel):
    """One input of a person who took over a session, forwarded to its computer as it is.

    Coordinates are the same pixels as the frames (CSS pixels of a browser viewport, screen pixels
    of a desktop). ``key`` is a Playwright key name (``Enter``, ``a``, ``Control+a``) for ``key``;
    ``text`` is inserted as typed for ``text``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: InputKind
    x: float = Field(default=0, ge=0, le=100_000)
    y: float = Field(default=0, ge=0, le=100_000)
    button: MouseButton = "left"
    count: Literal[1, 2] = 1
    dx: float = Field(default=0, ge=-100_000, le=100_000)
    dy: float = Field(default=0, ge=-100_000, le=100_000)
    key: str = Field(default="", max_length=64)
    text: str = Field(default="", max_length=10_000)

    @property
    def point(self) -> Point:
        return Point(self.x, self.y)

    def redacted(self) -> InputEvent:
        """The same input with what it typed masked: what is stored when it went into a secret field
        (a text, or a single character key; named keys such as Enter stay readable)."""
        if self.text:
            return self.model_copy(update={"text": SECRET_MASK})
        if len(self.key) == 1:
            return self.model_copy(update={"key": "•"})
        return self


# --------------------------------------------------------------------------- decisions


class Decision(BaseModel):
    """What a brain wants to do next, with its reasoning and the raw model output."""

    model_config = ConfigDict(frozen=True)

    action: Action
    thought: str = ""
    raw: str = ""


class StepRecord(BaseModel):
    """One completed step, as the brain sees its own history."""

    model_config = ConfigDict(frozen=True)

    step: int
    action: Action
    thought: str = ""
    outcome: str = ""


# --------------------------------------------------------------------------- probing and checks


class FormInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    method: str = ""
    action: str = ""
    field_types: tuple[str, ...] = ()
    field_names: tuple[str, ...] = ()
    autocomplete: tuple[str, ...] = ()
    submit_text: str = ""


_NOT_TYPED_INTO = frozenset(
    {"button", "submit", "reset", "image", "checkbox", "radio", "file", "range", "color", "hidden"}
)


class TargetInfo(BaseModel):
    """What is under a point (or focused, for key presses), as a probe or OCR described it."""

    model_config = ConfigDict(frozen=True)

    source: Literal["dom", "ocr", "none"] = "dom"
    role: str = ""
    name: str = ""
    tag: str = ""
    attributes: dict[str, str] = Field(default_factory=dict)
    text: str = ""
    form: FormInfo | None = None
    dialog: str = ""
    url: str = ""
    title: str = ""
    box: tuple[float, float, float, float] | None = None
    is_composer: bool = False
    is_password: bool = False
    problem: str = ""  # with source "none": why the target could not be examined, in one line

    @property
    def has_text(self) -> bool:
        """Whether anything readable names the target (else OCR is asked)."""
        return bool(self.name.strip() or self.text.strip())

    @property
    def is_text_field(self) -> bool:
        """A field that takes typing (a click there only focuses it). Reading it with OCR would read
        what is typed in it, and the probe never reads values: such a target is never read."""
        if self.role in ("textbox", "searchbox", "combobox", "spinbutton") or self.tag == "textarea":
            return True
        kind = self.attributes.get("type", "text").lower()
        return self.tag == "input" and kind not in _NOT_TYPED_INTO


Verdict = Literal["allow", "halt", "block"]
#: What a commit would do, as the checker names it (the lexicon's categories).
CommitCategory = Literal["purchase", "send", "publish", "delete", "transfer", "security", "signup", "install"]
#: What the effect gate holds when the request does not say more: a change sent to a server, a step
#: off the task's sites.
EffectCategory = Literal["change", "leave_scope"]
#: Why a check halted: a commit category, a held effect, a target that could not be judged, or a
#: checker that failed.
Category = CommitCategory | EffectCategory | Literal["unknown", "checker-error"]


class CheckResult(BaseModel):
    """A checker's decision on one proposed action. ``halt`` parks the task for the user.

    ``harmless`` is set only when the checker positively knows the target as a harmless change
    (search, add to cart, sign in, filters, cookie consent): the effect gate then lets that
    action's own requests through. An allow that is not ``harmless`` means "nothing seen to
    commit": whatever the action then sends is judged by the effect gate.
    """

    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    category: Category | Literal[""] = ""
    reason: str = ""
    evidence: tuple[str, ...] = ()
    target: TargetInfo | None = None
    harmless: bool = False


# --------------------------------------------------------------------------- effects

#: How a held effect leaves the browser: an HTTP request (fetch, XHR, beacon, a form post), a
#: top-level navigation (a link, a redirect, a new tab), or a WebSocket message.
OutgoingKind = Literal["request", "navigation", "websocket"]


class Outgoing(BaseModel):
    """Something an action would send out of the browser, described before it leaves.

    Built from the request by the browser session; it never carries a value a user would not show:
    query values that look secret are masked in ``url`` and the body is described by its field
    names only. ``operation`` is what the body says it does where it says so (a GraphQL operation
    such as ``query Products`` or ``mutation PlaceOrder``, a JSON-RPC method).
    """

    model_config = ConfigDict(frozen=True)

    kind: OutgoingKind
    method: str  # GET, POST, …; SEND for a WebSocket message
    url: str
    frame_url: str = ""  # the document that sends it (the opener's, for a new tab)
    top_level: bool = True  # sent by (or navigating) the tab's top document, not an embedded frame
    fields: tuple[str, ...] = ()  # the body's field names (form fields, JSON keys), never values
    operation: str = ""
    size: int = 0  # the body's length in bytes


class HeldEffect(BaseModel):
    """One held request or message, as the user is asked about it."""

    model_config = ConfigDict(frozen=True)

    id: str
    outgoing: Outgoing
    category: Category
    reason: str


Ask = Literal["commits", "every-change"]


@dataclass(frozen=True, slots=True)
class PageItem:
    """One thing a page shows, as text with a box: a control by its accessible name, or a run of text.

    Read from the page's DOM (``PageReader``) at the moment of a frame. Never a field's value: a
    field is named by its label, placeholder or aria-label, and ``filled`` says whether it holds text.
    """

    text: str
    box: Box  # CSS pixels of the viewport, clipped to it
    role: str  # "button", "link", "textbox", …; "text" for a run of text
    actionable: bool = False  # a control a click acts on (button, link, checkbox, tab, field, …)
    editable: bool = False  # a field that takes typing (input, textarea, contenteditable)
    filled: bool = False  # the field already holds text
    secret: bool = False  # a password, card or marked field
    owner: int = -1  # a run of text inside a control: that control's index among the items


@dataclass(frozen=True, slots=True)
class BrainInput:
    """Everything a brain may look at to choose the next action."""

    instruction: str
    frame: Frame
    step: int
    history: tuple[StepRecord, ...] = ()
    feedback: tuple[str, ...] = ()
    items: tuple[PageItem, ...] | None = None  # what the page shows, for a brain that asks (``reads_page``)


Scope = Literal["task", "timed"]


class Grant(BaseModel):
    """The user's permission to commit one category on one site, for a task or until a time.

    Only the user creates grants (terminal, HTTP API); nothing a page shows can make one.
    """

    model_config = ConfigDict(frozen=True)

    site: str
    category: Category
    scope: Scope
    task_id: str | None = None
    expires_at: float | None = None


class ApprovalDecision(BaseModel):
    """The user's answer to a halt: approve (optionally granting the category) or reject."""

    model_config = ConfigDict(frozen=True)

    approved: bool
    note: str = ""
    by: str = "user"
    grant: Scope | None = None
    grant_seconds: float | None = Field(default=None, gt=0)


@dataclass(frozen=True, slots=True)
class PageActivity:
    """What a page says about the last action (a browser's own signals, read by the verifier).

    Counted after the last input (a trusted click, key or wheel): the requests, timers and
    animations it started that are still pending or running; ``loading``: a document is loading or
    being left. ``quiet_ms``: time since the last change (DOM mutation, input or scroll event, a
    resource loaded) or input, whichever came last; ``changed``: a change came after the input;
    ``since_input_ms``: time since the page last saw an input (infinite: never); ``age_ms``: how
    long ago the tab's document began (a new one is a page the action led to).
    ``moving``: what moves by itself now (running animations, playing videos); ``canvases``: how
    many canvases the page has (their drawing is not a DOM change); ``changes``: a running count.
    """

    requests: int
    timers: int
    animations: int
    loading: bool
    quiet_ms: float
    changed: bool
    since_input_ms: float = float("inf")
    age_ms: float = float("inf")
    moving: int = 0
    canvases: int = 0
    changes: int = 0

    @property
    def busy(self) -> bool:
        """Whether the action has started something that has not finished yet."""
        return bool(self.requests or self.timers or self.animations or self.loading)

    @property
    def still(self) -> bool:
        """Whether nothing on the page can move by itself without the DOM saying so."""
        return not (self.moving or self.canvases)


@dataclass(frozen=True, slots=True)
class Verification:
    """What an action did to the screen, judged from pixels alone (no model call)."""

    frame: Frame
    effect: Literal["none", "local", "global"]
    score: float
    boxes: tuple[Box, ...]
    near: bool
    settled: bool
    waited_ms: float
    note: str = ""  # feedback for the brain when the effect is not what the action should do


# --------------------------------------------------------------------------- the task


class TaskSpec(BaseModel):
    """One task as every part sees it: what the loop runs, what the ``task_started`` event records
    (these fields, flat, beside the event's own) and what a replay reads back. ``brain`` is the
    brain's name (``script``, ``steps``, ``openai:qwen3-vl``); ``profile`` is None for a throwaway
    or a remote browser."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    task_id: str
    instruction: str
    start_url: str
    brain: str
    profile: str | None = None
    max_steps: int
    sites: tuple[str, ...] = ()  # sites the task may act on besides its start URL's (``--site``)
    ask: Ask = "commits"  # "every-change": ask before every change the task sends, harmless or not

    def __init__(self, *args: Any, **fields: Any) -> None:
        # Positionally too, in field order: tests and benches write ``TaskSpec(id, text, url, brain, None, 10)``.
        super().__init__(**dict(zip(TaskSpec.model_fields, args, strict=False)), **fields)

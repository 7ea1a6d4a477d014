"""The small protocols that homebody's layers are written against (layer 0: any layer may name them).

Concrete classes live in the layer-1 packages (browser and desktop computers in ``sessions``, brains
in ``vision``, checkers in ``safety``) and satisfy these structurally; the composition root
(``compose``) picks them, and the operator loop only ever sees these.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, runtime_checkable

from homebody.events import Halted
from homebody.types import (
    Action,
    ApprovalDecision,
    Box,
    BrainInput,
    CheckResult,
    Decision,
    Frame,
    Grant,
    HeldEffect,
    InputEvent,
    MouseButton,
    Outgoing,
    PageActivity,
    PageItem,
    Point,
    TargetInfo,
    Verification,
)

Capture = Callable[[], Awaitable[Frame]]


class Computer(Protocol):
    """Something with a screen that can be looked at and acted on."""

    kind: str

    async def capture(self) -> Frame: ...
    async def click(self, point: Point, button: MouseButton = "left", count: int = 1) -> None: ...
    async def type_text(self, text: str) -> None: ...
    async def press(self, keys: Sequence[str]) -> None: ...
    async def scroll(self, point: Point, dx: float, dy: float) -> None: ...
    async def navigate(self, url: str) -> None: ...
    async def settle(self) -> None: ...


@runtime_checkable
class Prober(Protocol):
    """Optional ability: describe what an action would land on (the DOM under a point)."""

    async def probe(self, action: Action) -> TargetInfo: ...


@runtime_checkable
class SecretFocus(Protocol):
    """Optional ability: whether typing now would go into a secret field (password, card number,
    or a field the user marked), so that the typed text is never recorded."""

    async def focus_is_secret(self) -> bool: ...


@runtime_checkable
class PageReader(Protocol):
    """Optional ability: what the page in view shows, as text with boxes (its controls by their
    accessible names, and its runs of text), never a field's value."""

    async def page_items(self) -> tuple[PageItem, ...]: ...


class InputTarget(Protocol):
    """A computer that takes a person's input as it came, during a takeover (browser page, desktop)."""

    async def human_input(self, ev: InputEvent) -> None: ...


class Brain(Protocol):
    """Chooses the next action. Raises ``BrainError`` when it cannot."""

    name: str

    async def decide(self, inp: BrainInput) -> Decision: ...


class Checker(Protocol):
    """Judges one proposed action before it reaches the computer."""

    name: str

    async def check(self, action: Action, target: TargetInfo | None, frame: Frame) -> CheckResult: ...


class Approver(Protocol):
    """Asks the user about a halted action. The default answer, on any doubt, is no."""

    async def decide(self, halted: Halted, crop: bytes | None) -> ApprovalDecision: ...


class GrantStore(Protocol):
    """Where a user's grant goes so that the checkers see it on the next check."""

    def add(self, grant: Grant) -> None: ...


class TextReader(Protocol):
    """OCR: the text around a point of an encoded image (synchronous; run in a thread)."""

    def text_near(self, image: bytes, point: Point, radius: int = 80) -> str: ...


class RegionTools(Protocol):
    """Pixel work on frames: crops for the user, and whether a region changed between two frames."""

    def crop(self, frame: Frame, box: Box) -> bytes: ...
    def region_changed(self, before: Frame, after: Frame, box: Box) -> bool: ...


@runtime_checkable
class PageSignals(Protocol):
    """Optional ability of a computer: what its page says about the last action's effect (requests,
    timers and animations it started, DOM changes since), so the verifier stops waiting as soon as
    nothing more is coming. None when the page cannot say (mid-navigation, no script yet)."""

    async def activity(self) -> PageActivity | None: ...


class Verifier(Protocol):
    """Waits for the screen to settle after an action and says what changed. ``signals``: the
    computer's page signals, where it has them (a browser); without them, pixels alone."""

    async def learn(self, capture: Capture, signals: PageSignals | None = None) -> None: ...
    async def verify(
        self, capture: Capture, before: Frame, action: Action, focus: Box | None, signals: PageSignals | None = None
    ) -> Verification: ...


class EffectScreen(Protocol):
    """Judges each change or navigation a browser is about to send (called from the browser's
    interception, synchronously, for every one): ``allow`` lets it go, ``block`` fails it, ``halt``
    holds it in the browser for the user, with the category and reason the user is shown.
    ``shape`` is a short key that repeats for a page's repeated sends (its beacons, heartbeats)."""

    def screen(self, out: Outgoing, shape: str) -> CheckResult: ...


@runtime_checkable
class EffectHolder(Protocol):
    """Optional ability of a computer: hold what its pages send until the user decides.

    ``hold_effects`` installs ``screen`` for the rest of the session; what the screen halts waits,
    paused inside the browser, until ``release`` (sent once) or ``fail`` (never sent). Whatever is
    still held when the session closes is failed."""

    async def hold_effects(self, screen: EffectScreen) -> None: ...
    def held(self) -> tuple[HeldEffect, ...]: ...
    async def next_held(self) -> None: ...
    def release(self, ids: Sequence[str]) -> None: ...
    def fail(self, ids: Sequence[str]) -> None: ...


class EffectRules(Protocol):
    """What a request would do and what the user's policy says of it (the safety layer's side of the
    effect gate): ``judge`` returns allow (a read, a page on the task's sites, or a grant covers it),
    halt (with a category; ``leave_scope`` for a navigation off the task's sites) or block.
    ``widen`` adds a site to the task's scope."""

    def judge(self, out: Outgoing) -> CheckResult: ...
    def widen(self, url: str) -> None: ...

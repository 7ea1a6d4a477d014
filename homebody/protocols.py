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
    InputEvent,
    MouseButton,
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


class Verifier(Protocol):
    """Waits for the screen to settle after an action and says what changed."""

    async def learn(self, capture: Capture) -> None: ...
    async def verify(self, capture: Capture, before: Frame, action: Action, focus: Box | None) -> Verification: ...

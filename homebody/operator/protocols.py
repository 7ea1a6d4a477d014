"""The small protocols the operator loop is written against.

Concrete classes live in the layer-1 packages (a browser in ``sessions``, brains in ``vision``,
checkers in ``safety``) and satisfy these structurally; the composition root picks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

from homebody.types import Action, BrainInput, CheckResult, Decision, Frame, Point, TargetInfo

MouseButton = Literal["left", "right", "middle"]


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


class Brain(Protocol):
    """Chooses the next action. Raises ``BrainError`` when it cannot."""

    name: str

    async def decide(self, inp: BrainInput) -> Decision: ...


class Checker(Protocol):
    """Judges one proposed action before it reaches the computer."""

    name: str

    async def check(self, action: Action, target: TargetInfo | None, frame: Frame) -> CheckResult: ...

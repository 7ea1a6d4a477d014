"""The steps brain's steps as typed values: what ``grammar`` makes of a task's words and
``steps`` carries out. A target is text to find on screen, with an optional ordinal or anchor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from homebody.types import MouseButton

__all__ = [
    "ORDINALS",
    "RELATION_WORDS",
    "ClickOn",
    "Finish",
    "GoTo",
    "MouseButton",
    "Op",
    "Pause",
    "Press",
    "Relation",
    "ScrollBy",
    "Step",
    "Target",
    "TypeInto",
    "WaitFor",
]

Relation = Literal["below", "above", "near", "left", "right"]

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
RELATION_WORDS: dict[Relation, str] = {
    "below": "under",
    "above": "above",
    "near": "next to",
    "left": "left of",
    "right": "right of",
}


@dataclass(frozen=True, slots=True)
class Target:
    """Text to find on screen, optionally the n-th of several or the one nearest an anchor text."""

    text: str
    ordinal: int | None = None  # 1-based; -1 is "the last"
    relation: Relation | None = None
    anchor: str = ""

    def describe(self) -> str:
        where = f" {RELATION_WORDS[self.relation]} '{self.anchor}'" if self.relation else ""
        if self.ordinal is None:
            return f"'{self.text}'{where}"
        nth = "last" if self.ordinal == -1 else _ordinal_word(self.ordinal)
        return f"the {nth} '{self.text}'{where}"


@dataclass(frozen=True, slots=True)
class GoTo:
    url: str  # absolute, or a path starting with "/" resolved against the current page


@dataclass(frozen=True, slots=True)
class ClickOn:
    target: Target
    button: MouseButton = "left"
    count: Literal[1, 2] = 1


@dataclass(frozen=True, slots=True)
class TypeInto:
    text: str
    target: Target | None = None  # None: type into whatever has the focus


@dataclass(frozen=True, slots=True)
class Press:
    keys: tuple[str, ...]  # Playwright key names, pressed together
    times: int = 1


@dataclass(frozen=True, slots=True)
class ScrollBy:
    dx: int
    dy: int


@dataclass(frozen=True, slots=True)
class Pause:
    seconds: float


@dataclass(frozen=True, slots=True)
class WaitFor:
    text: str


@dataclass(frozen=True, slots=True)
class Finish:
    answer: str = ""


Op = GoTo | ClickOn | TypeInto | Press | ScrollBy | Pause | WaitFor | Finish


@dataclass(frozen=True, slots=True)
class Step:
    number: int  # 1-based, as the user counts
    source: str  # the step as written, for messages
    op: Op

    def label(self) -> str:
        return f"step {self.number} ({self.source!r})"


def _ordinal_word(n: int) -> str:
    return ORDINALS[n - 1] if 1 <= n <= len(ORDINALS) else f"{n}th"

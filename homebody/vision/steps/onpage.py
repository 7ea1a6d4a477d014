"""Finding a step's target among what the page says it shows (``PageItem``s), before any OCR.

The items become lines of the same shape OCR gives, so the same rules find a target (whole words
beat fuzzy ones, ``under``/``near``, ``the second X``, ambiguity, retries). What the page adds is
what each line *is*: a run of text, or a control that takes an action. Among lines that name the
target about as well, the ones that suit the step are kept: for a click a button or link before a
field before plain text (a heading "Log In" does not compete with the "Log In" button); for typing
a field named by its label, placeholder or accessible name. Two that suit it equally still make
the step ambiguous. A run of text inside a control is that control: one candidate, not two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from homebody.types import PageItem
from homebody.vision.pixels.ocr import TextBox
from homebody.vision.steps.locate import Field, Hit, Narrow, field_gap, score_hits

PREFER = 0.15  # a control this much below the best-named line still beats plain text
Want = Literal["click", "type"]


@dataclass(frozen=True, slots=True)
class PageText:
    """A frame's page items as OCR-shaped lines, each line knowing its item."""

    items: tuple[PageItem, ...]
    lines: list[TextBox]
    _index: dict[int, int]  # id(line) → its item

    @classmethod
    def of(cls, items: Sequence[PageItem]) -> PageText:
        lines = [TextBox(item.text, item.box, 1.0) for item in items]
        return cls(tuple(items), lines, {id(line): i for i, line in enumerate(lines)})

    def names(self, text: str) -> bool:
        """Whether some item names ``text`` at all (else the target is looked for by OCR)."""
        return bool(score_hits(self.lines, text))

    def thing(self, hit: Hit) -> int:
        """The item a hit stands for: the control a run of text is inside, else the item itself."""
        index = self._index[id(hit.line)]
        owner = self.items[index].owner
        return owner if 0 <= owner < len(self.items) else index

    def narrowing(self, want: Want) -> Narrow:
        """For ``locate.pick``: one hit per thing, then only the kind of thing that suits ``want``."""

        def narrow(hits: list[Hit]) -> list[Hit]:
            best: dict[int, Hit] = {}
            for h in hits:  # best first: the first hit of a thing is its best
                best.setdefault(self.thing(h), h)
            kept = sorted(best.values(), key=lambda h: -h.score)
            if not kept:
                return kept
            close = [h for h in kept if h.score >= kept[0].score - PREFER]
            top = max(self._rank(h, want) for h in close)
            if top == 0:
                return kept
            return [h for h in kept if self._rank(h, want) == top and h.score >= kept[0].score - PREFER]

        return narrow

    def _rank(self, hit: Hit, want: Want) -> int:
        item = self.items[self.thing(hit)]
        if want == "type":
            return 1 if item.editable else 0
        if item.actionable and not item.editable:
            return 2
        return 1 if item.editable else 0

    def field(self, hit: Hit) -> Field | None:
        """The field to type into that ``hit`` names: the field itself, or the one right of or below
        a label that names it; None when the page shows no such field (the pixels may)."""
        item = self.items[self.thing(hit)]
        if item.editable:
            return Field(item.box.center, item.box, item.filled)
        fields = [other for other in self.items if other.editable]
        beside = [(gap, other) for other in fields if (gap := field_gap(hit.area, other.box)) is not None]
        if not beside:
            return None
        _, near = min(beside, key=lambda pair: pair[0])
        return Field(near.box.center, near.box, near.filled)

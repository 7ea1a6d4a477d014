"""Finding a step's target on screen: which OCR line a target names, and the input field by a label.

Pure functions over OCR lines (and, for fields, the frame's pixels). Nothing here guesses: a target
that is missing or ambiguous raises ``Unresolved`` with a message saying what is on screen and how
to say which one is meant ("'View' appears 4 times ...: say e.g. 'View under Espresso Maker'").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from homebody.errors import Unresolved
from homebody.types import Box, Point
from homebody.vision.pixels.ocr import TextBox
from homebody.vision.steps.ops import Target

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MIN_SCORE = 0.6  # below this a line does not name the target at all
RETRY_SCORE = 0.8  # a second try must still match well: "Add to cart" is no stand-in for "Cart"
CLOSE = 0.05  # candidates this close in score are equally good: which one is meant is ambiguous
SAME_SPOT_PX = 24.0

# --------------------------------------------------------------------------- finding a target


@dataclass(frozen=True, slots=True)
class Hit:
    """An OCR line that names the target; ``area`` is the part of the line that matched."""

    line: TextBox
    area: Box
    score: float

    @property
    def point(self) -> Point:
        return self.area.center


def score_hits(boxes: Sequence[TextBox], query: str) -> list[Hit]:
    """Lines naming ``query``, best first: whole words beat fuzzy ones, a full line beats a part."""
    words = re.findall(r"\w+", query.casefold())
    hits = [h for b in boxes if (h := _hit(b, words)) is not None and h.score >= MIN_SCORE] if words else []
    hits.sort(key=lambda h: -h.score)
    kept: list[Hit] = []
    for h in hits:  # one label read twice (overlapping lines) is one candidate
        if not any(_dist(h.point, k.point) < 10 for k in kept):
            kept.append(h)
    return kept


def _hit(line: TextBox, words: list[str]) -> Hit | None:
    tokens = [(m.group().casefold(), m.start(), m.end()) for m in re.finditer(r"\w+", line.text)]
    query, best = " ".join(words), None
    for size in {max(1, len(words) - 1), len(words), len(words) + 1}:
        for i in range(len(tokens) - size + 1):
            window = tokens[i : i + size]
            found = [w for w, _, _ in window]
            ratio = 1.0 if found == words else difflib.SequenceMatcher(None, query, " ".join(found)).ratio()
            if ratio < 0.8:
                continue
            inside = sum(len(w) for w in found)
            outside = sum(len(w) for j, (w, _, _) in enumerate(tokens) if not i <= j < i + size and not w.isdigit())
            cover = inside / (inside + outside)  # a badge count ("Cart (2)") does not dilute the label
            score = 0.6 + 0.4 * cover if found == words else (0.55 + 0.4 * cover) * ratio
            if best is None or score > best[0]:
                best = (score, window[0][1], window[-1][2])
    if best is None:
        return None
    score, start, end = best
    b, n = line.box, max(len(line.text), 1)
    return Hit(line, Box(b.x + b.width * start / n, b.y, b.width * (end - start) / n, b.height), score)


def is_on_screen(boxes: Sequence[TextBox], text: str) -> bool:
    """Whether some line shows ``text`` (whole words, or a close OCR misreading of them)."""
    return bool(score_hits(boxes, text))


Narrow = Callable[[list[Hit]], list[Hit]]


def pick(
    boxes: Sequence[TextBox],
    target: Target,
    *,
    tried: Sequence[Point] = (),
    verb: str = "click",
    narrow: Narrow | None = None,
) -> Hit:
    """The one hit ``target`` means, or ``Unresolved``. ``tried`` points are skipped (a retry);
    ``verb`` is how the step starts, for the example in a message ("click", 'type "x" into');
    ``narrow`` keeps the hits that suit the step best (best first), before ambiguity is judged."""
    floor = RETRY_SCORE if tried else MIN_SCORE
    hits = [h for h in score_hits(boxes, target.text) if h.score >= floor and not _near_any(h.point, tried)]
    if narrow is not None:
        hits = narrow(hits)
    if not hits:
        raise Unresolved(_missing(boxes, target, retry=bool(tried)))
    top = [h for h in hits if h.score >= hits[0].score - (0.15 if target.relation else CLOSE)]
    if target.relation is not None:
        top = _by_relation(boxes, target, top)
    elif target.ordinal is None and len(top) > 1:
        raise Unresolved(_ambiguous(boxes, target, reading_order(top), verb))
    else:
        top = reading_order(top)
    if target.ordinal is None:
        return top[0]
    index = target.ordinal - 1 if target.ordinal > 0 else len(top) - 1
    if index >= len(top):
        raise Unresolved(f"{target.describe()} was asked for, but '{target.text}' appears only {len(top)} times")
    return top[index]


def reading_order(hits: Sequence[Hit]) -> list[Hit]:
    """Top to bottom by rows (centres within half a line height), left to right in a row."""
    rows: list[list[Hit]] = []
    for h in sorted(hits, key=lambda h: h.point.y):
        if rows and h.point.y - rows[-1][0].point.y <= max(8.0, 0.6 * h.area.height):
            rows[-1].append(h)
        else:
            rows.append([h])
    return [h for row in rows for h in sorted(row, key=lambda h: h.point.x)]


def _by_relation(boxes: Sequence[TextBox], target: Target, hits: list[Hit]) -> list[Hit]:
    """``hits`` in the stated direction from the anchor, nearest first; ambiguous when two are as near."""
    anchors = score_hits(boxes, target.anchor)
    if not anchors:
        raise Unresolved(f"'{target.anchor}' (to find '{target.text}' by) is not on screen; {_seen(boxes)}")
    anchors = [a for a in anchors if a.score >= anchors[0].score - CLOSE]
    ranked: dict[int, tuple[float, Hit]] = {}
    for a in anchors:
        for h in hits:
            d = _distance(target, h.point, a.area)
            if d is not None and not _overlap(h.area, a.area) and d < ranked.get(id(h), (float("inf"), h))[0]:
                ranked[id(h)] = (d, h)
    order = sorted(ranked.values(), key=lambda pair: pair[0])
    if not order:
        raise Unresolved(f"no '{target.text}' is {target.describe().split(' ', 1)[1]}; {_seen(boxes)}")
    if target.ordinal is None and len(order) > 1 and order[1][0] <= order[0][0] * 1.25 + 8:
        spots = ", ".join(f"({h.point.x:.0f}, {h.point.y:.0f})" for _, h in order[:4])
        raise Unresolved(f"{target.describe()} is ambiguous: several are about as near (at {spots})")
    return [h for _, h in order]


def _distance(target: Target, p: Point, a: Box) -> float | None:
    """How far ``p`` is from the anchor box in the target's direction (None: wrong side)."""
    gap_x = max(a.x - p.x, 0.0, p.x - (a.x + a.width))
    gap_y = max(a.y - p.y, 0.0, p.y - (a.y + a.height))
    c = a.center
    match target.relation:
        case "below":
            return gap_y + 2 * gap_x if p.y > c.y else None
        case "above":
            return gap_y + 2 * gap_x if p.y < c.y else None
        case "right":
            return gap_x + 2 * gap_y if p.x > c.x else None
        case "left":
            return gap_x + 2 * gap_y if p.x < c.x else None
        case _:
            return float((gap_x**2 + gap_y**2) ** 0.5)


def _missing(boxes: Sequence[TextBox], target: Target, *, retry: bool) -> str:
    if retry:
        return f"there is no other good match for '{target.text}' to try; {_seen(boxes)}"
    hint = " (if it is further down the page, add a 'scroll down' step before this one)"
    return f"'{target.text}' is not on screen{hint}; {_seen(boxes)}"


def _ambiguous(boxes: Sequence[TextBox], target: Target, hits: list[Hit], verb: str) -> str:
    spots, example = [], ""
    for h in hits[:6]:
        label = _label_for(boxes, h, target.text)
        spots.append(f"'{label}'" if label else f"({h.point.x:.0f}, {h.point.y:.0f})")
        example = example or (f"'{verb} {target.text} under {label}' or " if label else "")
    more = ", ..." if len(hits) > 6 else ""
    return (
        f"'{target.text}' appears {len(hits)} times (near {', '.join(spots)}{more}): which one? "
        f"say e.g. {example}'{verb} the second {target.text}'"
    )


def _label_for(boxes: Sequence[TextBox], hit: Hit, query: str) -> str:
    """The nearest wordy line above ``hit`` in its column that is not itself a match: a card's name."""
    line, words = hit.line.box, re.findall(r"\w+", query.casefold())
    above = [
        b
        for b in boxes
        if b.box.y + b.box.height <= line.y + 2
        and b.box.x < line.x + line.width + 10
        and line.x < b.box.x + b.box.width + 10
        and len(re.findall(r"[^\W\d_]", b.text)) >= 3
        and _hit(b, words) is None
    ]
    if not above:
        return ""
    best = min(above, key=lambda b: (line.y - b.box.y - b.box.height, abs(b.box.center.x - line.center.x)))
    return best.text if line.y - (best.box.y + best.box.height) < 200 else ""


def _seen(boxes: Sequence[TextBox], limit: int = 300) -> str:
    ordered = sorted(boxes, key=lambda b: (round(b.box.center.y / 20), b.box.x))
    text = " | ".join(b.text for b in ordered)
    return "on screen: " + (text if len(text) <= limit else text[: limit - 1] + "…") if text else "no text on screen"


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def _dist(a: Point, b: Point) -> float:
    return float(((a.x - b.x) ** 2 + (a.y - b.y) ** 2) ** 0.5)


def _near_any(p: Point, points: Sequence[Point]) -> bool:
    return any(_dist(p, q) < SAME_SPOT_PX for q in points)


# --------------------------------------------------------------------------- input fields


@dataclass(frozen=True, slots=True)
class Field:
    """Where to click to type into the field a label names, and whether it already holds text."""

    point: Point
    box: Box | None  # the field's outline, when one was seen
    filled: bool


def find_field(image: NDArray[np.uint8] | None, scale: float, boxes: Sequence[TextBox], label: Hit) -> Field:
    """The input a label or placeholder names: the outline around a placeholder, else the nearest
    outline right of or below the label, else the label itself (clicking a label focuses its input).

    ``scale`` is CSS pixels per image pixel; boxes and the result are in CSS pixels.
    """
    if image is None:
        return Field(label.point, None, False)
    at = label.area
    rects = [_scaled(r, scale) for r in _outlines(image, _scaled(at, 1 / scale))]
    inside = [r for r in rects if r.contains(at.center) and _left_aligned(at, r)]
    if inside:  # a placeholder shows only while the field is empty
        return Field(label.point, min(inside, key=lambda r: r.width * r.height), False)
    beside = [(gap, r) for r in rects if (gap := field_gap(at, r)) is not None]
    if not beside:
        return Field(label.point, None, False)
    _, rect = min(beside, key=lambda pair: pair[0])
    filled = any(b is not label.line and rect.contains(b.box.center) for b in boxes)
    return Field(rect.center, rect, filled)


def _outlines(image: NDArray[np.uint8], near: Box) -> list[Box]:
    """Closed outlines shaped like a text input (wide, one or a few lines tall) around ``near``."""
    import cv2  # noqa: PLC0415  (imported on use: OpenCV is slow to import)

    height, width = image.shape[:2]
    x0, y0 = max(0, int(near.x - 400)), max(0, int(near.y - 60))
    x1, y1 = min(width, int(near.x + near.width + 700)), min(height, int(near.y + near.height + 120))
    if x1 - x0 < 20 or y1 - y0 < 20:
        return []
    gray = cv2.cvtColor(image[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
    contours, _ = cv2.findContours(cv2.Canny(gray, 20, 60), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    found = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        cut = (x <= 0 < x0) or (y <= 0 < y0) or (x + w >= x1 - x0 and x1 < width) or (y + h >= y1 - y0 and y1 < height)
        if not cut and 22 <= h <= 160 and w >= max(60, 1.5 * h) and cv2.arcLength(contour, True) >= 1.5 * (w + h):
            found.append(Box(x + x0, y + y0, w, h))
    return found


def _left_aligned(text: Box, rect: Box) -> bool:
    """Text hugging the left of its outline is a field's placeholder; centred text is a button's."""
    left = text.x - rect.x
    return left < 0.2 * rect.width and rect.x + rect.width - (text.x + text.width) > left + 16


def field_gap(label: Box, rect: Box) -> float | None:
    """How far ``rect`` is right of or below ``label`` (None: it is elsewhere)."""
    right, bottom = label.x + label.width, label.y + label.height
    overlap = min(bottom, rect.y + rect.height) - max(label.y, rect.y)
    if rect.x >= right - 4 and overlap >= 0.5 * label.height and rect.x - right <= 300:
        return rect.x - right
    if rect.y >= bottom - 4 and rect.y - bottom <= 60 and rect.x - 40 <= label.x <= rect.x + rect.width:
        return rect.y - bottom
    return None


def _scaled(box: Box, scale: float) -> Box:
    return box if scale == 1 else Box(box.x * scale, box.y * scale, box.width * scale, box.height * scale)

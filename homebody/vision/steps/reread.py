"""Reading a frame by OCR when the last one was read: only the regions that changed since then.

Where the page cannot name its targets (a canvas, an image, a desktop), each step reads the screen
by OCR, and most of the screen is as it was at the last read. The pixel diff (``pixels/diff.py``)
gives the regions that changed; the lines read last time that touch none of them are kept, and each
region, grown to cover the old lines it touches (so that a line is read whole, not cut), is read
again. A change over much of the screen (a new page, a scroll) is read whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from homebody.types import Box
from homebody.vision.pixels.diff import diff_frames
from homebody.vision.pixels.ocr import TextBox

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

WHOLE_SHARE = 0.4  # regions to read covering more of the screen than this: read it all
PAD = 16  # px around a changed region: antialiasing and the edges of glyphs
GROW_ROUNDS = 8


class RegionReader(Protocol):
    def read(self, image: Any, region: Box | None = None) -> list[TextBox]: ...


@dataclass(frozen=True, slots=True)
class LastRead:
    """A decoded frame and its lines (image pixels), to read the next frame against."""

    image: NDArray[np.uint8]
    boxes: list[TextBox]


def read_changes(reader: RegionReader, image: NDArray[np.uint8], last: LastRead | None) -> tuple[list[TextBox], bool]:
    """The lines of ``image``, and whether it was read whole (else only where it changed since ``last``)."""
    if last is None or last.image.shape != image.shape:
        return reader.read(image), True
    height, width = image.shape[:2]
    changed = diff_frames(last.image, image)
    if changed.effect == "none":
        return list(last.boxes), False
    regions = _regions(changed.boxes, last.boxes, width, height)
    if sum(r.width * r.height for r in regions) > WHOLE_SHARE * width * height:
        return reader.read(image), True
    kept = [b for b in last.boxes if not any(_overlap(b.box, r) for r in regions)]
    fresh = [line for r in regions for line in reader.read(image, region=r)]
    return kept + fresh, False


def _regions(changed: tuple[Box, ...], lines: list[TextBox], width: int, height: int) -> list[Box]:
    """The changed boxes, padded, grown over the old lines they touch, and merged where they overlap."""
    olds = [line.box for line in lines]
    regions = [_clamp(Box(b.x - PAD, b.y - PAD, b.width + 2 * PAD, b.height + 2 * PAD), width, height) for b in changed]
    for _ in range(GROW_ROUNDS):  # until no region touches an old line it does not cover, nor another region
        before = regions
        regions = [_clamp(r, width, height) for r in _merged([_grown(r, olds) for r in regions])]
        if regions == before:
            break
    return regions


def _grown(region: Box, boxes: list[Box]) -> Box:
    for b in boxes:
        if _overlap(region, b) and not _covers(region, b):
            region = _union(region, b)
    return region


def _merged(regions: list[Box]) -> list[Box]:
    out: list[Box] = []
    for r in regions:
        for i, m in enumerate(out):
            if _overlap(m, r):
                out[i] = _union(m, r)
                break
        else:
            out.append(r)
    return out


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def _covers(a: Box, b: Box) -> bool:
    return a.x <= b.x and a.y <= b.y and b.x + b.width <= a.x + a.width and b.y + b.height <= a.y + a.height


def _union(a: Box, b: Box) -> Box:
    x0, y0 = min(a.x, b.x), min(a.y, b.y)
    return Box(x0, y0, max(a.x + a.width, b.x + b.width) - x0, max(a.y + a.height, b.y + b.height) - y0)


def _clamp(b: Box, width: int, height: int) -> Box:
    x0, y0 = max(0.0, b.x), max(0.0, b.y)
    x1, y1 = min(float(width), b.x + b.width), min(float(height), b.y + b.height)
    return Box(x0, y0, max(1.0, x1 - x0), max(1.0, y1 - y0))

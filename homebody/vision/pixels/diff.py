"""Did the last action change the screen? A before/after pixel diff, classified as an effect.

The verifier must answer in milliseconds and without the model, so this is plain OpenCV on the
decoded frames (≈1.5 ms at 1280×800 on one core, decoding not included):

1. per-pixel absolute difference, the largest of the colour channels (a red-to-green swap of
   equal brightness is still a change; a grey difference would miss it);
2. a lookup table that drops JPEG noise and gives strong edges a big weight;
3. an ``INTER_AREA`` reduction to 4×4-pixel *cells*: a cell changed when its mean weight reaches
   ``CELL_LEVEL``, i.e. at least four strong pixels (a 1-px caret is one pixel wide but four
   rows tall per cell) or a uniform shift of ``NOISE_LEVEL`` levels or more (a button tint);
4. contours over the changed cells, dilated so neighbouring words merge, give the boxes.

Noise model, measured on JPEG q80 screenshots: re-encoding a decoded frame, or re-rendering it
with ±4 levels of per-pixel noise, moves pixels by at most ≈40 levels, scattered one or two per
cell; with the thresholds below none of those cells count. The price is that tints fainter than
``NOISE_LEVEL`` (a hover shade of #fff → #f2f2f2) are not seen.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt

from homebody.types import Action, Box, Click, Done, Frame, KeyCombo, Navigate, Scroll, TypeText, Wait, describe_action
from homebody.vision.pixels.regions import Image, clamp, decode

log = logging.getLogger(__name__)

Effect = Literal["none", "local", "global"]
#: Boolean grid, one entry per ``CELL``×``CELL`` pixels (the last row/column may cover fewer).
Cells = npt.NDArray[np.bool_]

#: Side of a cell in pixels: small enough for a 2-px caret, big enough to average JPEG noise out.
CELL = 4
#: Per-pixel channel deltas below this are noise (re-encode noise stays below ≈40, mostly below 16).
NOISE_LEVEL = 20
#: Deltas from here on are edges that appeared or vanished; they weigh ``STRONG_WEIGHT`` each.
STRONG_LEVEL = 40
STRONG_WEIGHT = 80
#: Mean weight of a changed cell: 4 strong pixels of 16, or a uniform shift of ``NOISE_LEVEL``.
CELL_LEVEL = 20
#: A change this close to the focus box counts as ``near`` (a click's effect is often beside it).
NEAR_MARGIN = 48
MAX_BOXES = 16
#: Dilation sizes (in cells) tried in turn until at most ``MAX_BOXES`` regions remain.
MERGE_KERNELS = (5, 9, 17, 33)
#: A change covering this share of the rows and of the columns is a page-wide one (scroll, repaint,
#: new content); the column share keeps a full-height side panel or drawer ``local``.
SPAN_ROWS = 0.6
SPAN_COLS = 1 / 3


def _weights() -> npt.NDArray[np.uint8]:
    table = np.zeros(256, dtype=np.uint8)
    table[NOISE_LEVEL:STRONG_LEVEL] = np.arange(NOISE_LEVEL, STRONG_LEVEL, dtype=np.uint8)
    table[STRONG_LEVEL:] = STRONG_WEIGHT
    return table


_WEIGHTS = _weights()


@dataclass(frozen=True, slots=True)
class DiffResult:
    """What changed between two frames.

    ``score`` is the share of unmasked cells that changed (0..1); ``boxes`` are the changed
    regions in image pixels, biggest first; ``near`` says a change touches the focus (grown by
    ``NEAR_MARGIN``).
    """

    effect: Effect
    score: float
    boxes: tuple[Box, ...]
    near: bool

    def box_tuples(self) -> tuple[tuple[int, int, int, int], ...]:
        """The boxes as ``(x, y, width, height)`` integers, the shape the ``verified`` event carries."""
        return tuple((int(b.x), int(b.y), int(b.width), int(b.height)) for b in self.boxes)


NO_CHANGE = DiffResult("none", 0.0, (), False)


# --------------------------------------------------------------------------- building blocks


def load_image(source: Frame | npt.NDArray[np.uint8]) -> Image:
    """A frame decoded to BGR, or an array checked to be a uint8 grey (H×W) or BGR (H×W×3) image."""
    if isinstance(source, Frame):
        return decode(source.data)
    if source.dtype != np.uint8 or source.ndim not in (2, 3) or (source.ndim == 3 and source.shape[2] != 3):
        raise ValueError(f"expected a uint8 grey or BGR image, got {source.dtype} {source.shape}")
    return source


def cell_grid(height: int, width: int) -> tuple[int, int]:
    """(rows, columns) of the cell grid over an image of this size."""
    return math.ceil(height / CELL), math.ceil(width / CELL)


def changed_cells(a: Image, b: Image) -> Cells:
    """Cells where ``b`` differs from ``a`` beyond noise; both images have the same shape."""
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} vs {b.shape}")
    delta = cv2.absdiff(a, b)
    if delta.ndim == 3:
        blue, green, red = cv2.split(delta)
        delta = cv2.max(cv2.max(blue, green), red)
    weight = cv2.LUT(delta, _WEIGHTS)
    rows, cols = cell_grid(*weight.shape[:2])
    if cv2.countNonZero(weight) == 0:  # identical, or noise only: skip the reduction
        return np.zeros((rows, cols), dtype=np.bool_)
    means = cv2.resize(weight, (cols, rows), interpolation=cv2.INTER_AREA)
    return np.asarray(means >= CELL_LEVEL)


def mask_cells(mask: npt.NDArray[np.bool_], height: int, width: int) -> Cells:
    """The cells a pixel mask touches (a cell with any masked pixel is ignored as a whole)."""
    if mask.shape != (height, width):
        raise ValueError(f"the mask is {mask.shape[:2]} but the frames are {(height, width)}")
    rows, cols = cell_grid(height, width)
    scaled = cv2.resize(mask.astype(np.uint8) * np.uint8(255), (cols, rows), interpolation=cv2.INTER_AREA)
    return np.asarray(scaled > 0)


def cells_to_mask(cells: Cells, height: int, width: int) -> npt.NDArray[np.bool_]:
    """A cell grid blown back up to a pixel mask of the image's size."""
    big = cv2.resize(cells.astype(np.uint8), (width, height), interpolation=cv2.INTER_NEAREST)
    return np.asarray(big > 0)


# --------------------------------------------------------------------------- the diff


def diff_frames(
    before: Frame | npt.NDArray[np.uint8],
    after: Frame | npt.NDArray[np.uint8],
    *,
    focus: Box | None = None,
    mask: npt.NDArray[np.bool_] | None = None,
    global_share: float = 0.35,
) -> DiffResult:
    """Classify the change from ``before`` to ``after``.

    ``mask`` (True = ignore) hides regions known to change on their own (see ``settle``).
    ``none``: nothing unmasked changed beyond noise. ``global``: at least ``global_share`` of the
    screen changed, or the change spans most rows and a third of the columns (navigation, scroll,
    repaint), or the frame size or the frames' URL changed. ``local``: anything else, a 1-px caret
    included.
    """
    if isinstance(before, Frame) and isinstance(after, Frame) and before.url and after.url and before.url != after.url:
        # A new URL is a navigation even where the pixels barely moved (a single-page app's route).
        return replace(_diff(before, after, focus, mask, global_share), effect="global")
    return _diff(before, after, focus, mask, global_share)


def _diff(
    before: Frame | npt.NDArray[np.uint8],
    after: Frame | npt.NDArray[np.uint8],
    focus: Box | None,
    mask: npt.NDArray[np.bool_] | None,
    global_share: float,
) -> DiffResult:
    if isinstance(before, Frame) and isinstance(after, Frame) and before.data == after.data:
        return NO_CHANGE  # the same screen encodes to the same bytes: no decoding needed
    a, b = _comparable(load_image(before), load_image(after))
    height, width = b.shape[:2]
    if a.shape[:2] != b.shape[:2]:
        # A resized viewport is a new screen; pixel positions no longer correspond.
        return DiffResult("global", 1.0, (Box(0, 0, width, height),), focus is not None)
    cells = changed_cells(a, b)
    free = cells.size
    if mask is not None:
        ignored = mask_cells(mask, height, width)
        cells &= ~ignored
        free -= int(np.count_nonzero(ignored))
    return classify(cells, height, width, focus=focus, global_share=global_share, free_cells=free)


def _comparable(a: Image, b: Image) -> tuple[Image, Image]:
    """Bring a grey and a colour image to grey so they can be compared."""
    if a.ndim == b.ndim:
        return a, b
    if a.ndim == 3:
        return _u8(cv2.cvtColor(a, cv2.COLOR_BGR2GRAY)), b
    return a, _u8(cv2.cvtColor(b, cv2.COLOR_BGR2GRAY))


def _u8(array: object) -> Image:
    """OpenCV's results typed as the uint8 images they are (no copy)."""
    return np.asarray(array, dtype=np.uint8)


def classify(
    cells: Cells,
    height: int,
    width: int,
    *,
    focus: Box | None = None,
    global_share: float = 0.35,
    free_cells: int | None = None,
) -> DiffResult:
    """Turn a grid of changed cells over a ``width``×``height`` image into a ``DiffResult``."""
    changed = int(np.count_nonzero(cells))
    if changed == 0:
        return NO_CHANGE
    score = min(1.0, changed / max(1, cells.size if free_cells is None else free_cells))
    grid = cells.astype(np.uint8)
    grown = _u8(cv2.dilate(grid, np.ones((MERGE_KERNELS[0], MERGE_KERNELS[0]), np.uint8)))
    rows = float(np.count_nonzero(grown.any(axis=1))) / grown.shape[0]
    cols = float(np.count_nonzero(grown.any(axis=0))) / grown.shape[1]
    spans = rows >= SPAN_ROWS and cols >= SPAN_COLS
    effect: Effect = "global" if score >= global_share or spans else "local"
    boxes = _boxes(grid, grown, height, width)
    return DiffResult(effect, score, boxes, _near(cells, focus, height, width))


def _boxes(grid: npt.NDArray[np.uint8], grown: npt.NDArray[np.uint8], height: int, width: int) -> tuple[Box, ...]:
    """Changed regions in pixels, biggest first, merged until at most ``MAX_BOXES`` remain."""
    for size in MERGE_KERNELS:
        if size != MERGE_KERNELS[0]:
            grown = _u8(cv2.dilate(grid, np.ones((size, size), np.uint8)))
        contours, _ = cv2.findContours(grown, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        if len(contours) <= MAX_BOXES:
            break
    rects: list[tuple[int, int, int, int]] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        # The dilated outline is wider than the change itself: shrink to the changed cells inside.
        ix, iy, iw, ih = cv2.boundingRect(grid[y : y + h, x : x + w])
        if iw and ih:
            rects.append((x + ix, y + iy, iw, ih))
    rects.sort(key=lambda r: r[2] * r[3], reverse=True)
    if len(rects) > MAX_BOXES:  # still too many: keep the biggest, lump the rest into one
        rest = rects[MAX_BOXES - 1 :]
        x0, y0 = min(r[0] for r in rest), min(r[1] for r in rest)
        x1, y1 = max(r[0] + r[2] for r in rest), max(r[1] + r[3] for r in rest)
        rects = [*rects[: MAX_BOXES - 1], (x0, y0, x1 - x0, y1 - y0)]
    sy, sx = height / grid.shape[0], width / grid.shape[1]
    out = []
    for x, y, w, h in rects:
        px, py = round(x * sx), round(y * sy)
        out.append(Box(px, py, min(width, round((x + w) * sx)) - px, min(height, round((y + h) * sy)) - py))
    return tuple(out)


def _near(cells: Cells, focus: Box | None, height: int, width: int) -> bool:
    if focus is None:
        return False
    x0, y0, x1, y1 = clamp(focus, width, height, NEAR_MARGIN)
    sy, sx = height / cells.shape[0], width / cells.shape[1]
    r0, c0 = int(y0 // sy), int(x0 // sx)
    r1, c1 = max(r0 + 1, math.ceil(y1 / sy)), max(c0 + 1, math.ceil(x1 / sx))
    return bool(cells[r0:r1, c0:c1].any())


# --------------------------------------------------------------------------- what the loop tells the brain


def expected_effect(action: Action) -> str:
    """What a working ``action`` should visibly do, for the note that goes back to the brain."""
    match action:
        case Click():
            return "clicking a link should change the URL or the page; a button or control should change state"
        case TypeText():
            return "typing should change the focused field (the text appears in it)"
        case KeyCombo():
            return "pressing keys should change the focused field or the page"
        case Scroll():
            return "scrolling should move the content"
        case Navigate():
            return "navigating should show the new page"
        case Wait():
            return "waiting needs no visible change"
        case Done():
            return ""


def expects_change(action: Action) -> bool:
    """Whether no visible change after ``action`` is a sign it did not work (what stuck-detection counts)."""
    return not isinstance(action, Wait | Done)


def action_focus(action: Action) -> Box | None:
    """Where ``action``'s effect is expected: the point of a click or scroll (typing: ask the probe)."""
    match action:
        case Click(x=x, y=y) | Scroll(x=x, y=y):
            return Box(x, y, 0, 0)
        case _:
            return None


def effect_note(action: Action, result: DiffResult) -> str:
    """A line for the brain's feedback, or "" when the effect looks as expected."""
    if result.effect == "none" and expects_change(action):
        return f"{_nothing_happened(action)}; {expected_effect(action)}"
    if result.effect == "local" and not result.near and action_focus(action) is not None:
        return f"the screen changed, but not near where you acted ({describe_action(action)})"
    return ""


def _nothing_happened(action: Action) -> str:
    match action:
        case Click(x=x, y=y):
            return f"the click at ({x:.0f}, {y:.0f}) had no visible effect"
        case TypeText():
            return "the typing had no visible effect: is a text field focused?"
        case KeyCombo(keys=keys):
            return f"pressing {'+'.join(keys)} had no visible effect"
        case Scroll():
            return "the scroll had no visible effect: the page may be at its end"
        case _:
            return f"your last action ({describe_action(action)}) had no visible effect"

"""Model space ↔ screen space: Qwen's ``smart_resize`` and the mapping of a model's coordinates.

A Qwen-family vision encoder sees the screenshot resized so that both sides are multiples of
``factor`` (patch size × merge size: 28 for Qwen2-VL / Qwen2.5-VL / UI-TARS, 32 for Qwen3-VL) and
the area lies within ``[min_pixels, max_pixels]``. homebody resizes on the client to exactly that
size, so the server's processor leaves the image alone and the size the model saw is known.

Two coordinate conventions reach us:

- ``relative1000``: 0..1000 on each axis, whatever the image size (Qwen3-VL).
- ``absolute_resized``: pixels of the smart-resized image (Qwen2.5-VL, UI-TARS-1.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from homebody.types import Point, Size

Convention = Literal["relative1000", "absolute_resized"]

#: Qwen's processors refuse images more elongated than this.
MAX_ASPECT_RATIO = 200
#: The span of the ``relative1000`` convention.
RELATIVE_SPAN = 1000


def smart_resize(
    height: int,
    width: int,
    factor: int = 28,
    min_pixels: int = 56 * 56,
    max_pixels: int = 14 * 14 * 4 * 1280,
) -> tuple[int, int]:
    """The (height, width) Qwen2-VL's image processor resizes an image to, bit for bit.

    Same arithmetic as ``transformers.models.qwen2_vl.image_processing_qwen2_vl.smart_resize``
    (used unchanged by Qwen2.5-VL and, with ``factor=32``, Qwen3-VL): round each side to the
    nearest multiple of ``factor`` (Python's ``round``: halves go to the even multiple); if the
    area is above ``max_pixels`` scale both sides down by the square root of the excess and
    floor to the factor (never below one factor); if below ``min_pixels`` scale up and ceil.
    """
    if height <= 0 or width <= 0:
        raise ValueError(f"image size must be positive, got {width}x{height}")
    if max(height, width) / min(height, width) > MAX_ASPECT_RATIO:
        ratio = max(height, width) / min(height, width)
        raise ValueError(f"absolute aspect ratio must be smaller than {MAX_ASPECT_RATIO}, got {ratio}")
    h_bar = round(height / factor) * factor
    w_bar = round(width / factor) * factor
    if h_bar * w_bar > max_pixels:
        beta = math.sqrt((height * width) / max_pixels)
        h_bar = max(factor, math.floor(height / beta / factor) * factor)
        w_bar = max(factor, math.floor(width / beta / factor) * factor)
    elif h_bar * w_bar < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h_bar = math.ceil(height * beta / factor) * factor
        w_bar = math.ceil(width * beta / factor) * factor
    return h_bar, w_bar


def image_tokens(height: int, width: int, factor: int, min_pixels: int, max_pixels: int) -> int:
    """How many LLM tokens one image becomes: one per ``factor``×``factor`` cell after the merge."""
    h, w = smart_resize(height, width, factor, min_pixels, max_pixels)
    return (h // factor) * (w // factor)


@dataclass(frozen=True, slots=True)
class ScreenMapping:
    """How a point the model names maps to the viewport it was shown (and back, for history)."""

    viewport: Size
    image: Size
    convention: Convention

    def _span(self) -> tuple[float, float]:
        if self.convention == "relative1000":
            return float(RELATIVE_SPAN), float(RELATIVE_SPAN)
        return float(self.image.width), float(self.image.height)

    def to_screen(self, point: Point) -> Point:
        """The viewport point (CSS pixels) for a model-space point, clamped inside the viewport."""
        span_x, span_y = self._span()
        x = point.x * self.viewport.width / span_x
        y = point.y * self.viewport.height / span_y
        return Point(_clamp(x, self.viewport.width), _clamp(y, self.viewport.height))

    def to_model(self, point: Point) -> Point:
        """The model-space point for a viewport point, rounded as a model would write it."""
        span_x, span_y = self._span()
        return Point(
            float(round(point.x * span_x / self.viewport.width)),
            float(round(point.y * span_y / self.viewport.height)),
        )

    def model_extent(self) -> Size:
        """The size of the coordinate space the model is told about."""
        span_x, span_y = self._span()
        return Size(int(span_x), int(span_y))


def _clamp(value: float, extent: int) -> float:
    # A point on the far edge (x == width) is outside the last pixel column: keep it inside.
    return round(min(max(value, 0.0), float(extent - 1)), 2)

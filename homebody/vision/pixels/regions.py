"""Pixel work on frames: decoding, crops around a target, and "did this region change?".

Used by the operator through its ``RegionTools`` protocol: a halt shows the user a crop of what
was about to be clicked, and an approved action runs only if the pixels around its target are
still what the checker judged.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from homebody.types import Box, Frame

Image = npt.NDArray[np.uint8]

#: A pixel "changed" when one of its colour channels moved more than this (JPEG noise stays well below).
PIXEL_DELTA = 32
#: A region "changed" when more than this share of its pixels changed (a caret blink is less).
CHANGED_SHARE = 0.02


def decode(data: bytes) -> Image:
    """Decode JPEG/PNG bytes to a BGR array; raises ``ValueError`` for bytes that are no image."""
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("the frame is not a decodable image")
    return image.astype(np.uint8)


def clamp(box: Box, width: int, height: int, pad: int = 0) -> tuple[int, int, int, int]:
    """``box`` grown by ``pad`` and clipped to the image: (x0, y0, x1, y1), never empty."""
    x0 = max(0, min(width - 1, int(box.x) - pad))
    y0 = max(0, min(height - 1, int(box.y) - pad))
    x1 = max(x0 + 1, min(width, int(box.x + box.width) + pad))
    y1 = max(y0 + 1, min(height, int(box.y + box.height) + pad))
    return x0, y0, x1, y1


class RegionTools:
    """OpenCV implementation of the operator's ``RegionTools`` protocol."""

    def __init__(self, *, pad: int = 24, jpeg_quality: int = 85) -> None:
        self._pad = pad
        self._quality = jpeg_quality

    def crop(self, frame: Frame, box: Box) -> bytes:
        image = decode(frame.data)
        x0, y0, x1, y1 = clamp(box, image.shape[1], image.shape[0], self._pad)
        ok, encoded = cv2.imencode(".jpg", image[y0:y1, x0:x1], [cv2.IMWRITE_JPEG_QUALITY, self._quality])
        if not ok:
            raise ValueError("could not encode the crop")
        return encoded.tobytes()

    def region_changed(self, before: Frame, after: Frame, box: Box) -> bool:
        a, b = decode(before.data), decode(after.data)
        if a.shape != b.shape:
            return True
        x0, y0, x1, y1 = clamp(box, a.shape[1], a.shape[0], self._pad // 3)
        # Per-channel: a colour change of equal brightness (red over blue) is still a change.
        delta: Image = cv2.absdiff(a[y0:y1, x0:x1], b[y0:y1, x0:x1]).max(axis=2)
        share = float(np.count_nonzero(delta > PIXEL_DELTA)) / float(delta.size)
        return share > CHANGED_SHARE

"""Redaction: secret fields never reach a stored or streamed frame, and typed secrets never an event.

A field is secret when it is a password input, has an autocomplete token for a password, a one-time
code or card details (so a "show password" toggle that turns it into a text box keeps it secret), or
sits inside an element marked ``data-homebody-sensitive``; users add their own CSS selectors in
``Settings.sensitive_selectors``. The boxes of every visible secret field, in every frame and open
shadow root of the page, are painted over in each frame before anyone sees it: the brain, the
recording, the live view. A closed shadow root cannot be looked into from outside: a secret field
inside one is painted only if the site marks it.

Fails closed: when the page cannot be asked where its secret fields are (it is half-way through a
navigation), the caller retries, and in the end blanks the whole frame rather than show it unread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import cv2
import numpy as np
from playwright.async_api import Frame as PwFrame
from playwright.async_api import Page

from homebody.errors import RedactionFailed
from homebody.types import Box

log = logging.getLogger(__name__)

SECRET_RULE = ", ".join(
    (
        'input[type="password" i]',
        "[data-homebody-sensitive]",
        "[data-homebody-sensitive] input",
        "[data-homebody-sensitive] textarea",
        'input[autocomplete~="current-password" i]',
        'input[autocomplete~="new-password" i]',
        'input[autocomplete~="one-time-code" i]',
        'input[autocomplete~="cc-number" i]',
        'input[autocomplete~="cc-csc" i]',
    )
)
PAD = 4  # px around a field: its border and focus ring can show the text's edge
MASK_BGR = (48, 48, 48)

# Every visible secret field of one document, in its own viewport's CSS pixels.
_BOXES_JS = """(rule) => {
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll(rule)) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) out.push([r.left, r.top, r.width, r.height]);
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  return out;
}"""

# Whether keys typed now go into a secret field of this document (through open shadow roots).
_FOCUS_JS = """(rule) => {
  if (!document.hasFocus()) return false;
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return Boolean(el && el.matches && (el.matches(rule) || el.closest('[data-homebody-sensitive]')));
}"""


def secret_rule(extra: Sequence[str] = ()) -> str:
    """The CSS selector list of secret fields, with the user's own selectors added."""
    return ", ".join((SECRET_RULE, *(s for s in extra if s.strip())))


async def secret_boxes(page: Page, rule: str, *, timeout_s: float = 2.0) -> list[Box]:
    """Boxes of the visible secret fields of ``page`` and its frames, in viewport CSS pixels."""
    frames = [f for f in page.frames if not f.is_detached()]
    try:
        async with asyncio.timeout(timeout_s):
            found = await asyncio.gather(*(_frame_boxes(page, f, rule) for f in frames), return_exceptions=True)
    except TimeoutError as exc:
        raise RedactionFailed(f"no answer within {timeout_s:g} s") from exc
    boxes: list[Box] = []
    for frame, result in zip(frames, found, strict=True):
        if isinstance(result, BaseException):
            if frame is not page.main_frame and frame.is_detached():
                continue  # a frame that went away while we asked shows nothing
            raise RedactionFailed(str(result).splitlines()[0] if str(result) else type(result).__name__)
        boxes.extend(result)
    return boxes


async def _frame_boxes(page: Page, frame: PwFrame, rule: str) -> list[Box]:
    raw = await frame.evaluate(_BOXES_JS, rule)
    if not raw:
        return []
    dx = dy = 0.0
    if frame is not page.main_frame:
        owner = await frame.frame_element()
        try:
            bb = await owner.bounding_box()
        finally:
            await owner.dispose()
        if bb is None:
            return []  # an iframe that is not shown
        dx, dy = bb["x"], bb["y"]
    return [Box(x + dx, y + dy, w, h) for x, y, w, h in raw]


async def focus_is_secret(page: Page, rule: str, *, timeout_s: float = 2.0) -> bool:
    """Whether typing now would go into a secret field. Fails closed: unknown counts as secret."""
    frames = [f for f in page.frames if not f.is_detached()]
    try:
        async with asyncio.timeout(timeout_s):
            answers = await asyncio.gather(*(f.evaluate(_FOCUS_JS, rule) for f in frames), return_exceptions=True)
    except TimeoutError:
        return True
    if not answers or isinstance(answers[0], BaseException):
        return True  # the main document did not answer
    return any(a is True for a in answers)


def mask_image(data: bytes, boxes: Sequence[Box], *, scale: float = 1.0, quality: int = 80) -> bytes:
    """``data`` (JPEG or PNG) with each box (scaled by ``scale``, padded) painted over, as JPEG."""
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise RedactionFailed("the frame is not an image")
    height, width = image.shape[:2]
    for box in boxes:
        x0 = max(0, int((box.x - PAD) * scale))
        y0 = max(0, int((box.y - PAD) * scale))
        x1 = min(width, int((box.x + box.width + PAD) * scale + 1))
        y1 = min(height, int((box.y + box.height + PAD) * scale + 1))
        if x1 > x0 and y1 > y0:
            image[y0:y1, x0:x1] = MASK_BGR
    return _encode(image, quality)


def blank_image(data: bytes, *, quality: int = 80) -> bytes:
    """The whole frame painted over: what is shown when the secret fields could not be found."""
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise RedactionFailed("the frame is not an image")
    image[:] = MASK_BGR
    return _encode(image, quality)


def _encode(image: np.ndarray, quality: int) -> bytes:
    ok, out = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RedactionFailed("could not encode the masked frame")
    return bytes(out.tobytes())

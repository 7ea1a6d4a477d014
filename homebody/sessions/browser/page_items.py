"""What the page in view shows, as text with boxes: the browser's side of ``PageReader``.

One ``evaluate`` of ``page_items.js`` walks the viewport of the top document, its open shadow roots
and its same-origin frames: the visible controls (buttons, links, fields, tabs, anything with a
click handler or a tab stop) with their accessible names, and the visible runs of text, each with
its box clipped to the viewport. Hidden, zero-size, off-screen and covered elements are left out. A
cross-site frame is not looked into (its text is still in the pixels, for OCR).

Secrets never leave the page: fields are named by their label, placeholder or aria-label, and the
text inside fields and editable regions is skipped; for a field only whether it holds text.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from homebody.errors import ComputerError
from homebody.sessions.browser.scripts import bundled
from homebody.sessions.closing import first_line
from homebody.types import Box, PageItem

log = logging.getLogger(__name__)

MAX_ITEMS = 2000  # controls and text runs; a page with more is read by OCR where this misses


async def read_page_items(page: Page, secret_rule: str, *, timeout_s: float = 2.0) -> tuple[PageItem, ...]:
    """The items of ``page``'s viewport. Raises ``ComputerError`` when the page does not answer."""
    try:
        async with asyncio.timeout(timeout_s):
            raw = await page.evaluate(bundled("page_items.js"), [secret_rule, MAX_ITEMS])
    except TimeoutError as exc:
        raise ComputerError(f"could not read the page: no answer within {timeout_s:g} s") from exc
    except PlaywrightError as exc:
        raise ComputerError(f"could not read the page: {first_line(exc)}") from exc
    if not isinstance(raw, list):
        raise ComputerError("could not read the page: an unexpected answer")
    return tuple(item for entry in raw if (item := _item(entry)) is not None)


def _item(entry: Any) -> PageItem | None:
    try:
        x, y, w, h = (float(v) for v in entry["b"])
        return PageItem(
            text=str(entry["t"]),
            box=Box(x, y, w, h),
            role=str(entry["r"]),
            actionable=bool(entry["a"]),
            editable=bool(entry["e"]),
            filled=bool(entry["f"]),
            secret=bool(entry["s"]),
            owner=int(entry["o"]),
        )
    except (KeyError, TypeError, ValueError):
        log.debug("dropped a page item that did not parse: %r", entry)
        return None

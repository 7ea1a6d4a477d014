"""Ending Playwright things that may already be gone: close, stop or detach under a time limit and
log a failure instead of raising (a session that ends must still release its profile and locks)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from playwright.async_api import Error as PlaywrightError

__all__ = ["close_quietly", "first_line"]

log = logging.getLogger(__name__)


async def close_quietly(call: Awaitable[object], timeout_s: float, what: str, *, level: int = logging.WARNING) -> bool:
    """Await ``call``; on a Playwright error or after ``timeout_s`` log "``what``: why" and return False."""
    try:
        async with asyncio.timeout(timeout_s):
            await call
    except (PlaywrightError, TimeoutError) as exc:
        log.log(level, "%s: %s", what, first_line(exc))
        return False
    return True


def first_line(exc: BaseException) -> str:
    """The first line of an error's message (Playwright's carry a call log below it), or its type."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

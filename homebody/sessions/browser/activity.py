"""The page's own signals after an action, for the verifier: is more of the effect still coming?

``activity.js`` goes into every frame of the agent's tabs before the page's scripts (and into the
document a tab shows when it is adopted). It counts what the last input started (timers, requests,
animations, a navigation away) and how long the page has been quiet; ``PageActivityReader.read``
asks every frame of the tab at once and adds them up. An answer it cannot get (a frame mid
navigation, a document without the script yet) makes the whole reading None, and the verifier then
falls back on pixels alone: a missing signal never shortens a wait.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame as PageFrame
from playwright.async_api import Page

from homebody.sessions.browser.scripts import bundled, cover
from homebody.types import PageActivity

log = logging.getLogger(__name__)

#: The most frames of one tab asked per reading (a page with dozens of ad frames is read from its first ones).
MAX_FRAMES = 8
NAME = "__homebodyActivity"
NEVER_MS = 1e9  # what the script says for "no input yet"
_READ = f"() => (typeof window.{NAME} === 'function' ? window.{NAME}() : null)"


class PageActivityReader:
    """Installs ``activity.js`` in the agent's tabs and reads it; every call under ``timeout_s``."""

    def __init__(self, timeout_s: float) -> None:
        self._timeout_s = timeout_s
        self._script = bundled("activity.js")

    async def cover(self, page: Page) -> None:
        """Put the script into ``page``: its documents from now on, and the ones it shows now."""
        try:
            async with asyncio.timeout(self._timeout_s):
                await cover(page, self._script)
        except (PlaywrightError, TimeoutError) as exc:  # the page closed or hung: its next document gets it
            log.info("could not put the activity script into %s: %s", page.url, exc)

    async def read(self, page: Page, *, navigating: bool = False) -> PageActivity | None:
        """The tab's activity, all its frames together; None when any frame cannot say."""
        frames = page.frames[:MAX_FRAMES]
        try:
            async with asyncio.timeout(self._timeout_s):
                answers = await asyncio.gather(*(self._ask(frame) for frame in frames))
        except TimeoutError:
            return None
        if any(a is None for a in answers) or not answers:
            return None
        return _combine([a for a in answers if a is not None], navigating)

    async def _ask(self, frame: PageFrame) -> dict[str, Any] | None:
        try:
            answer = await frame.evaluate(_READ)
        except PlaywrightError as exc:  # the frame is navigating or detached: no answer this time
            log.debug("no activity reading from %s: %s", frame.url, exc)
            return None
        if answer is None:  # a document shown before the script was installed: install it now
            log.debug("no activity script in %s yet: installing it", frame.url)
            await self._install(frame)
            return None
        return answer if isinstance(answer, dict) else None

    async def _install(self, frame: PageFrame) -> None:
        try:
            await frame.evaluate(self._script)
        except PlaywrightError:  # a frame that navigates meanwhile gets it from the init script
            pass


def _combine(answers: list[dict[str, Any]], navigating: bool) -> PageActivity:
    def total(key: str) -> int:
        return sum(int(a.get(key) or 0) for a in answers)

    # Each frame has a clock of its own: compare how long ago things happened, not when.
    input_ago = min(float(a.get("since_input_ms") or 0.0) for a in answers)
    change_ago = min(float(a.get("since_change_ms") or 0.0) for a in answers)
    return PageActivity(
        requests=total("requests"),
        timers=total("timers"),
        animations=total("animations"),
        loading=navigating or any(bool(a.get("loading")) for a in answers),
        quiet_ms=min(input_ago, change_ago),
        changed=change_ago < input_ago,
        since_input_ms=input_ago if input_ago < NEVER_MS else float("inf"),
        age_ms=float(answers[0].get("age_ms") or 0.0),  # the tab's own document, not its frames
        moving=total("moving"),
        canvases=total("canvases"),
        changes=total("changes"),
    )

"""Holding a new tab's first request: no tab the page opens loads a URL before it is held.

DevTools interception is attached to a tab after the browser has created it (``network.py``), and a
tab the page opens sends its first request at once. So the script ``newtab.js``, installed in every
frame before the page's own, opens no tab straight onto a URL: ``window.open(url)`` opens its window
on about:blank, marks it, and asks through the binding here; homebody answers once that tab (found
by its mark) is held, and only then does the page's window load the URL, where the tab's own
interception screens it like any page load. Links and forms that would open a new tab open in the
agent's tab instead. The script goes into the agent's tabs only (a borrowed browser's other tabs
keep their links as they are). What is and is not covered is in ``newtab.js`` and the README.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from playwright.async_api import BrowserContext, Page

from homebody.sessions.browser.scripts import bundled, cover

BINDING = "__homebodyOpen"
#: How long a page's new window waits to be held before it is closed unloaded.
NEW_TAB_TIMEOUT_S = 10.0


class NewTabHold:
    """The binding behind ``newtab.js``."""

    def __init__(self, held: Callable[[str, float], Awaitable[bool]], mine: Callable[[Page], bool]) -> None:
        self._held = held  # waits until a held tab carries the mark: True, or False on timeout
        self._mine = mine

    async def install(self, context: BrowserContext) -> None:
        await context.expose_binding(BINDING, self._on_open)

    async def cover(self, page: Page) -> None:
        """Put the script into ``page``: its documents from now on, and the one it shows now."""
        await cover(page, bundled("newtab.js", __package__))

    async def _on_open(self, source: dict[str, Any], marker: object) -> bool:
        page = source.get("page")
        if page is not None and not self._mine(page):
            return True  # a tab of the user's own, in a borrowed browser
        return await self._held(str(marker)[:100], NEW_TAB_TIMEOUT_S)

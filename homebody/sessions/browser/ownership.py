"""Whose browser a ``BrowserComputer`` drives, which tabs are its own, and how its session ends.

One computer class drives a page either way; what differs is held here:

- ``OwnBrowser``: a Chromium that homebody launched on a profile (locked for the session) or a
  throwaway one. Every new tab in it is the agent's; closing shuts the browser, saving the profile,
  then releases the lock (or deletes the throwaway profile).
- ``BorrowedTab`` (in ``remote.py``): a tab homebody opened in somebody else's Chromium
  (``--cdp-url``). Only the popups of its own tabs are followed; closing shuts those tabs and
  disconnects, leaving that browser and the user's tabs alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from playwright.async_api import BrowserContext, Page, Playwright

from homebody.sessions.closing import close_quietly
from homebody.sessions.profiles import ProfileLock

Follow = Callable[[Page], None]


class Ownership(Protocol):
    """The part of a browser session that depends on whose browser it is."""

    def watch(self, context: BrowserContext, page: Page, follow: Follow) -> None:
        """Call ``follow`` with each new tab that becomes the agent's (``page`` is its first one)."""
        ...

    async def close(self, context: BrowserContext, tabs: list[Page]) -> None:
        """End the session (``tabs`` are the agent's). Never raises."""
        ...


class OwnBrowser:
    """A Chromium homebody launched: every tab is the agent's, and closing shuts it."""

    def __init__(self, playwright: Playwright, *, lock: ProfileLock | None, throwaway_dir: Path | None) -> None:
        self._pw = playwright
        self._lock = lock
        self._throwaway = throwaway_dir

    def watch(self, context: BrowserContext, page: Page, follow: Follow) -> None:
        # A link that opens a new tab moves the session there, as it would for a person.
        context.on("page", follow)

    async def close(self, context: BrowserContext, tabs: list[Page]) -> None:
        try:
            await close_quietly(context.close(), 10, "browser did not close cleanly")
        finally:
            await close_quietly(self._pw.stop(), 10, "playwright did not stop cleanly")
            self.free(self._lock, self._throwaway)

    @staticmethod
    def free(lock: ProfileLock | None, throwaway: Path | None) -> None:
        """Give back a profile: unlock it, or delete a throwaway one."""
        if lock is not None:
            lock.release()
        if throwaway is not None:
            shutil.rmtree(throwaway, ignore_errors=True)

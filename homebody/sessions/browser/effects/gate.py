"""The effect gate of one browser session: the route, the redirect screen and the WebSocket hold,
sharing one set of holds.

Nothing is installed until a task asks (``install``): a session used to sign in by hand, or to
look at a page, sends what it sends. Once installed it stays for the session's life, screening with
the latest task's screen (a session may run several tasks in turn); closing the session fails
whatever is still held.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from playwright.async_api import BrowserContext, Page

from homebody.protocols import EffectScreen
from homebody.sessions.browser.effects.holds import Holds
from homebody.sessions.browser.effects.network import NetworkHold
from homebody.sessions.browser.effects.redirects import RedirectHold
from homebody.sessions.browser.effects.websocket import SocketHold
from homebody.types import CheckResult, Outgoing

log = logging.getLogger(__name__)


class EffectGate:
    """Holds what a session's pages send, as its screen says."""

    def __init__(self) -> None:
        self.holds = Holds()
        self._screen: EffectScreen | None = None
        self._redirects: dict[Page, RedirectHold | None] = {}
        self._tabs: set[Page] = set()

    @property
    def installed(self) -> bool:
        return self._screen is not None

    async def install(self, context: BrowserContext, pages: Iterable[Page], screen: EffectScreen) -> None:
        """Screen with ``screen`` from now on (installing the interception the first time)."""
        first = self._screen is None
        self._screen = screen
        tabs = list(pages)
        self._tabs.update(tabs)
        if first:
            await SocketHold(self, self.holds, self.mine).install(context)
            await NetworkHold(self, self.holds, self.mine).install(context)
        for page in tabs:
            await self.adopt(page)

    def screen(self, out: Outgoing, shape: str) -> CheckResult:
        """The current task's screen (the interception holds this gate, not a task's screen)."""
        assert self._screen is not None
        return self._screen.screen(out, shape)

    def mine(self, page: Page) -> bool:
        """Whether ``page`` is one of the agent's tabs (only those are screened)."""
        return page in self._tabs

    async def adopt(self, page: Page) -> None:
        """Screen the redirects of ``page`` too (a tab of the session: the first, or a new one)."""
        self._tabs.add(page)
        if self._screen is None or page in self._redirects or page.is_closed():
            return
        self._redirects[page] = None
        self._redirects[page] = await RedirectHold.attach(page, self, self.holds)
        page.on("close", lambda _: self._forget(page))

    def _forget(self, page: Page) -> None:
        self._redirects.pop(page, None)
        self._tabs.discard(page)

    def adopt_soon(self, page: Page) -> None:
        """``adopt`` from a synchronous event handler (a tab the page opened)."""
        self._tabs.add(page)
        if self._screen is not None:
            task = asyncio.ensure_future(self.adopt(page))
            task.add_done_callback(_log_failure)

    def close(self) -> None:
        self.holds.fail_all()


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("could not screen a new tab's redirects: %s", task.exception())

"""The effect gate of one browser session: request interception on each of the agent's tabs and
cross-origin frames, the new-tab hold and the WebSocket hold, sharing one set of holds.

Nothing is installed until a task asks (``install``): a session used to sign in by hand, or to
look at a page, sends what it sends. Once installed it stays for the session's life, screening with
the latest task's screen (a session may run several tasks in turn); closing the session fails
whatever is still held.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from playwright.async_api import BrowserContext, Frame, Page
from playwright.async_api import Error as PlaywrightError

from homebody.protocols import EffectScreen
from homebody.sessions.browser.effects.holds import Holds
from homebody.sessions.browser.effects.network import TargetHold
from homebody.sessions.browser.effects.newtab import NewTabHold
from homebody.sessions.browser.effects.websocket import SocketHold
from homebody.types import CheckResult, Outgoing

log = logging.getLogger(__name__)

MARK_TIMEOUT_S = 2.0  # reading a new tab's mark


class EffectGate:
    """Holds what a session's pages send, as its screen says."""

    def __init__(self) -> None:
        self.holds = Holds()
        self._screen: EffectScreen | None = None
        self._targets: dict[Page | Frame, TargetHold | None] = {}
        self._tabs: set[Page] = set()
        self._attached = asyncio.Condition()
        self._new_tabs = NewTabHold(self.tab_held, self.mine)

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
            await self._new_tabs.install(context)
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
        """Hold what ``page`` sends too (a tab of the session: the first, or a new one)."""
        self._tabs.add(page)
        if self._screen is None or page in self._targets or page.is_closed():
            return
        self._targets[page] = None
        page.on("close", lambda _: self._forget(page))
        page.on("framenavigated", self._frame_navigated)
        try:
            await self._new_tabs.cover(page)
        except PlaywrightError as exc:  # a tab that closed meanwhile
            log.debug("could not hold the new tabs of %s: %s", page.url[:200], exc)
        hold = await TargetHold.attach(page, self, self.holds)
        self._targets[page] = hold
        if hold is None:
            log.warning("could not hold the requests of a tab (%s)", page.url[:200])
        for frame in page.frames[1:]:
            await self._adopt_frame(frame)
        async with self._attached:
            self._attached.notify_all()

    def _frame_navigated(self, frame: Frame) -> None:
        if frame.parent_frame is not None:  # a frame that may now be in a process of its own
            task = asyncio.ensure_future(self._adopt_frame(frame))
            task.add_done_callback(_log_failure)

    async def _adopt_frame(self, frame: Frame) -> None:
        """Hold what ``frame`` sends when it is in a process of its own (a cross-site frame: its
        tab's interception does not see its requests); a frame that navigated gets a new one."""
        old = self._targets.pop(frame, None)
        if old is not None:
            await old.detach()
        if self._screen is None or frame.is_detached():
            return
        hold = await TargetHold.attach(frame, self, self.holds)
        if hold is not None:
            self._targets[frame] = hold

    async def tab_held(self, marker: str, timeout_s: float) -> bool:
        """Wait until a held tab carries ``marker`` (a window the page opened: ``newtab.py``)."""
        try:
            async with asyncio.timeout(timeout_s):
                async with self._attached:
                    while not await self._marked(marker):
                        await self._attached.wait()
        except TimeoutError:
            log.warning("a window the page opened was not held in time: it stays empty")
            return False
        return True

    async def _marked(self, marker: str) -> bool:
        for target, hold in list(self._targets.items()):
            if hold is None or not isinstance(target, Page) or target.is_closed():
                continue
            try:
                async with asyncio.timeout(MARK_TIMEOUT_S):
                    if await target.evaluate("m => window.__homebodyTab === m", marker):
                        return True
            except (PlaywrightError, TimeoutError):
                continue
        return False

    def _forget(self, page: Page) -> None:
        self._targets.pop(page, None)
        for frame in [t for t in self._targets if isinstance(t, Frame) and t.page is page]:
            self._targets.pop(frame, None)
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
        log.warning("could not hold a new tab's or frame's requests: %s", task.exception())

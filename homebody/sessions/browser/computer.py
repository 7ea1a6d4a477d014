"""The browser computer: Playwright over a persistent Chromium profile.

A named profile keeps the user's logins between tasks (``<data dir>/profiles/NAME/browser``) and is
locked while a browser uses it; ``--ephemeral`` uses a throwaway profile that is deleted on close.
Coordinates are CSS pixels of a fixed viewport (default 1280×800 at scale factor 1), the same
pixels as the screenshot a brain sees. Every Playwright call runs under a timeout.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import TypeVar

from playwright.async_api import BrowserContext, Page, Request, async_playwright
from playwright.async_api import Error as PlaywrightError

from homebody.config import Limits, Settings
from homebody.errors import ComputerError, NavigationError, RedactionFailed, SessionClosed
from homebody.protocols import EffectScreen
from homebody.sessions.browser.activity import PageActivityReader
from homebody.sessions.browser.effects.gate import EffectGate
from homebody.sessions.browser.input import forward_to_page
from homebody.sessions.browser.launch import find_browser, launch_persistent
from homebody.sessions.browser.live_redact import LiveRedaction
from homebody.sessions.browser.ownership import OwnBrowser, Ownership
from homebody.sessions.browser.page_items import read_page_items
from homebody.sessions.browser.probe import Prober
from homebody.sessions.browser.redact import blank_image, focus_is_secret, mask_image, secret_boxes, secret_rule
from homebody.sessions.browser.select_menu import install_select_menus
from homebody.sessions.browser.signin import SignInStatus, check_signed_in
from homebody.sessions.closing import first_line
from homebody.sessions.live import jpeg_size
from homebody.sessions.profiles import ProfileLock, ProfileStore
from homebody.types import (
    Action,
    Box,
    Frame,
    HeldEffect,
    InputEvent,
    MouseButton,
    PageActivity,
    PageItem,
    Point,
    Size,
    TargetInfo,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
SCREENSHOT_RETRIES = 5
REDACT_RETRIES = 3
#: A reading of the page's activity signals is asked many times a step: it must answer fast or not count.
ACTIVITY_TIMEOUT_S = 1.0


class BrowserComputer:
    """Drives one Chromium window. Create with ``await BrowserComputer.open(...)``."""

    kind = "browser"

    def __init__(
        self,
        context: BrowserContext,
        page: Page,
        *,
        ownership: Ownership,
        viewport: Size,
        limits: Limits,
        jpeg_quality: int,
        user_data_dir: Path | None = None,
        sensitive: tuple[str, ...] = (),
    ) -> None:
        self._context = context
        self._ownership = ownership
        self.viewport = viewport
        self._limits = limits
        self._quality = jpeg_quality
        self.user_data_dir = user_data_dir  # None for a borrowed tab: the profile lives elsewhere
        self._closed_reason = ""
        self._tabs: list[Page] = []
        self._page: Page | None = None
        self._effects = EffectGate()
        self._activity = PageActivityReader(ACTIVITY_TIMEOUT_S)
        self._background: set[asyncio.Task[None]] = set()
        self._follow(page)
        context.on("close", lambda _: self._mark_closed("the browser closed unexpectedly"))
        context.on("request", self._on_request)
        ownership.watch(context, page, self._follow)
        self._navigating = False
        self._prober = Prober(lambda: self.page, timeout_s=limits.check_timeout_s)
        self.secret_rule = secret_rule(sensitive)

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    async def open(cls, settings: Settings, *, profile: str | None = None, ephemeral: bool = False) -> BrowserComputer:
        """Launch Chromium on ``profile`` (locked for the session) or a throwaway profile."""
        lock: ProfileLock | None = None
        throwaway: Path | None = None
        if ephemeral or profile is None:
            throwaway = Path(tempfile.mkdtemp(prefix="homebody-ephemeral-"))
            user_data_dir = throwaway
        else:
            prof = ProfileStore(settings.profiles_dir).get(profile)
            lock = ProfileLock(prof)
            lock.acquire()
            user_data_dir = prof.user_data_dir
        try:
            pw = await async_playwright().start()
        except BaseException:
            OwnBrowser.free(lock, throwaway)
            raise
        ownership = OwnBrowser(pw, lock=lock, throwaway_dir=throwaway)
        try:
            executable = find_browser(settings.browser_path, bundled=pw.chromium.executable_path)
            context = await launch_persistent(pw, executable, user_data_dir, settings)
            # Headless Chromium ignores clicks on a native <select> popup: draw the menu in the page.
            await install_select_menus(context)
            page = context.pages[0] if context.pages else await context.new_page()
        except BaseException:
            await pw.stop()
            OwnBrowser.free(lock, throwaway)
            raise
        return cls(
            context,
            page,
            ownership=ownership,
            viewport=settings.viewport,
            limits=settings.limits,
            jpeg_quality=settings.jpeg_quality,
            user_data_dir=user_data_dir,
            sensitive=settings.sensitive_selectors,
        )

    async def close(self) -> None:
        """End the session (see ``ownership.py``): shut the browser and free its profile, or close
        the borrowed tabs and disconnect. Whatever is still held is failed first. Never raises."""
        self._effects.close()
        try:
            await self._prober.close()
        finally:
            if not self._closed_reason:
                self._closed_reason = "closed"
            await self._ownership.close(self._context, self._tabs)

    async def __aenter__(self) -> BrowserComputer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _mark_closed(self, reason: str) -> None:
        if not self._closed_reason:
            self._closed_reason = reason

    def _follow(self, page: Page) -> None:
        """Move the session to ``page``, one of the agent's tabs; when it closes, back to the last one open."""
        self._tabs.append(page)
        self._page = page
        self._effects.adopt_soon(page)
        covering = asyncio.ensure_future(self._activity.cover(page))
        self._background.add(covering)
        covering.add_done_callback(self._background.discard)
        page.on("close", lambda _: self._on_page_closed(page))
        page.on("load", lambda _: self._on_load(page))

    def _on_load(self, page: Page) -> None:
        if page is self._page:
            self._navigating = False  # whatever was loading has loaded

    def _on_page_closed(self, page: Page) -> None:
        if page is self._page:
            alive = [p for p in self._tabs if not p.is_closed()]
            self._page = alive[-1] if alive else None

    # ------------------------------------------------------------------ observing

    @property
    def page(self) -> Page:
        if self._closed_reason or self._page is None or self._page.is_closed():
            raise SessionClosed(self._closed_reason or "the browser has no open page")
        return self._page

    @property
    def context(self) -> BrowserContext:
        return self._context

    @property
    def url(self) -> str:
        return self.page.url

    async def title(self) -> str:
        try:
            return await self._guard(self.page.title(), "read the title")
        except ComputerError:
            return ""  # mid-navigation the old document is gone; a missing title is harmless

    async def capture(self) -> Frame:
        page = self.page
        data = await self._redacted_screenshot(page)
        return Frame(
            data=data,
            format="jpeg",
            size=self.viewport,
            ts=time.time(),
            url=page.url,
            title=await self.title(),
        )

    async def _redacted_screenshot(self, page: Page) -> bytes:
        """A screenshot with every secret field painted over (``redact.py``). The fields are located
        before and after the shot, so a field that moved while it was taken is covered in both places."""
        for _ in range(REDACT_RETRIES):
            try:
                # The first query runs alongside the shot (it is sent first); the second after it.
                before, data = await asyncio.gather(secret_boxes(page, self.secret_rule), self._screenshot(page))
                boxes = before + await secret_boxes(page, self.secret_rule)
            except RedactionFailed as exc:
                log.info("could not locate secret fields yet (%s); trying again", exc)
                await asyncio.sleep(0.1)
                continue
            return mask_image(data, boxes, quality=self._quality) if boxes else data
        log.warning("could not locate the secret fields of %s: the frame is blanked", page.url)
        return blank_image(await self._screenshot(page), quality=self._quality)

    async def redact_frame(self, data: bytes, width: int) -> bytes:
        """A frame shot elsewhere (the live screencast), ``width`` px wide, with the page's secret
        fields painted over. Raises ``RedactionFailed`` when they cannot be located: drop the frame."""
        boxes = await self._secret_boxes()
        return await self._paint(data, boxes, width) if boxes else data

    def live_redaction(self) -> LiveRedaction:
        """The redaction of this session's live screencast (``BrowserScreencast(transform=...)``)."""

        async def paint(data: bytes, boxes: Sequence[Box]) -> bytes:
            return await self._paint(data, boxes, (jpeg_size(data) or self.viewport).width)

        return LiveRedaction(self._secret_boxes, paint, self.secret_rule)

    async def _secret_boxes(self) -> list[Box]:
        return await secret_boxes(self.page, self.secret_rule)

    async def _paint(self, data: bytes, boxes: Sequence[Box], width: int) -> bytes:
        """``data`` (a frame ``width`` px wide) with ``boxes`` (viewport CSS pixels) painted over. Decoding
        and encoding a full frame takes ~10 ms: off the event loop (OpenCV lets go of the GIL)."""
        scale = width / self.viewport.width
        return await asyncio.to_thread(mask_image, data, boxes, scale=scale, quality=self._quality)

    async def activity(self) -> PageActivity | None:
        """What the page says about the last action's effect (``activity.py``); None when it cannot say."""
        page = self.page
        return await self._activity.read(page, navigating=self._navigating)

    async def focus_is_secret(self) -> bool:
        """Whether typing now goes into a secret field (then the typed text is never recorded)."""
        return await focus_is_secret(self.page, self.secret_rule)

    async def page_items(self) -> tuple[PageItem, ...]:
        """What the viewport shows, as text with boxes (``page_items.py``); never a field's value."""
        return await read_page_items(self.page, self.secret_rule, timeout_s=self._limits.capture_timeout_s)

    async def human_input(self, ev: InputEvent) -> None:
        """A person's input during a takeover."""
        await forward_to_page(self.page, ev, self._guard)

    async def _screenshot(self, page: Page) -> bytes:
        """A JPEG of the viewport. While a navigation commits Chromium briefly answers "Unable to
        capture screenshot": that one answer is retried a few times, 100 ms apart."""
        for _ in range(SCREENSHOT_RETRIES):
            try:
                return await self._shoot(page)
            except ComputerError as exc:
                if isinstance(exc, SessionClosed) or "Unable to capture screenshot" not in str(exc):
                    raise
                await asyncio.sleep(0.1)
        return await self._shoot(page)

    async def _shoot(self, page: Page) -> bytes:
        return await self._guard(
            # The text caret is hidden: it blinks, and a brain learns nothing from it.
            page.screenshot(type="jpeg", quality=self._quality, caret="hide"),
            "take a screenshot",
        )

    async def probe(self, action: Action) -> TargetInfo:
        """What ``action`` would land on: the element under a click, the focus for keys and typing."""
        return await self._prober.probe(action)

    async def signed_in(self, url: str) -> SignInStatus:
        """Whether ``url`` looks signed in in this session, checked in a page of its own."""
        task_page = self._page
        try:
            return await check_signed_in(self._context, url, timeout_s=self._limits.navigation_timeout_s)
        finally:
            if task_page is not None and not task_page.is_closed():
                self._page = task_page  # the check's page was adopted as it opened: the task stays put

    # ------------------------------------------------------------------ holding (the effect gate)

    async def hold_effects(self, screen: EffectScreen) -> None:
        """Put every change and top-level navigation of the agent's tabs to ``screen`` from now on
        (``effects/``); what it halts waits in the browser for ``release`` or ``fail``."""
        alive = [tab for tab in self._tabs if not tab.is_closed()]
        await self._guard(self._effects.install(self._context, alive, screen), "install the effect gate")

    def held(self) -> tuple[HeldEffect, ...]:
        return self._effects.holds.held()

    async def next_held(self) -> None:
        await self._effects.holds.next_held()

    def release(self, ids: Sequence[str]) -> None:
        self._effects.holds.release(ids)

    def fail(self, ids: Sequence[str]) -> None:
        self._effects.holds.fail(ids)

    # ------------------------------------------------------------------ acting

    async def click(self, point: Point, button: MouseButton = "left", count: int = 1) -> None:
        mouse = self.page.mouse
        await self._guard(mouse.click(point.x, point.y, button=button, click_count=count), "click")

    async def type_text(self, text: str) -> None:
        await self._guard(self.page.keyboard.type(text), "type")

    async def press(self, keys: Sequence[str]) -> None:
        """Press ``keys`` together: hold each in order, release in reverse."""
        keyboard = self.page.keyboard
        held: list[str] = []
        try:
            for key in keys:
                await self._guard(keyboard.down(key), f"press {key!r}")
                held.append(key)
        finally:
            for key in reversed(held):
                await self._guard(keyboard.up(key), f"release {key!r}")

    async def scroll(self, point: Point, dx: float, dy: float) -> None:
        mouse = self.page.mouse
        await self._guard(mouse.move(point.x, point.y), "move the mouse")
        await self._guard(mouse.wheel(dx, dy), "scroll")

    async def navigate(self, url: str) -> None:
        page = self.page
        timeout_ms = self._limits.navigation_timeout_s * 1000
        try:
            await page.goto(url, wait_until="load", timeout=timeout_ms)
            self._navigating = False  # the load was waited for here
        except PlaywrightError as exc:
            if self._closed_reason:
                raise SessionClosed(self._closed_reason) from exc
            raise NavigationError(url, first_line(exc)) from exc

    async def settle(self) -> None:
        """If the last action started loading a page, wait for it to load (the verifier then
        watches the pixels); otherwise return almost at once."""
        await asyncio.sleep(0.03)  # a navigation the action started announces itself by now
        if not self._navigating:
            return
        self._navigating = False
        try:
            await self._guard(
                self.page.wait_for_load_state("load", timeout=self._limits.navigation_timeout_s * 1000),
                "wait for the page to load",
            )
        except SessionClosed:
            raise
        except ComputerError as exc:
            log.info("page did not finish loading: %s", exc)

    def _on_request(self, request: Request) -> None:
        try:
            if request.is_navigation_request() and request.frame.parent_frame is None:
                self._navigating = True
        except PlaywrightError:  # a request without a frame (a service worker's)
            pass

    async def _guard(self, call: Awaitable[T], what: str) -> T:
        """Run one Playwright call under the action timeout, mapping its errors to ours."""
        try:
            async with asyncio.timeout(self._limits.action_timeout_s):
                return await call
        except TimeoutError as exc:
            raise ComputerError(f"could not {what}: no answer within {self._limits.action_timeout_s:g} s") from exc
        except PlaywrightError as exc:
            if self._closed_reason or "has been closed" in str(exc):
                self._mark_closed("the browser closed unexpectedly")
                raise SessionClosed(self._closed_reason) from exc
            raise ComputerError(f"could not {what}: {first_line(exc)}") from exc

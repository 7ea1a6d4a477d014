"""A tab in a Chromium started elsewhere (``--cdp-url``): another machine on the home network, a
container, or the user's own running browser.

The agent opens a new tab in the remote browser's default context (so it has the logins made
there), follows only that tab and the popups it opens, and on close shuts that tab and
disconnects. The remote browser and the user's other tabs are never touched.

The DevTools endpoint has no authentication: whoever reaches it controls that browser. Keep it on
loopback, a trusted home network, or an SSH tunnel.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Page, Playwright, ViewportSize, async_playwright
from playwright.async_api import Error as PlaywrightError

from homebody.config import Settings
from homebody.errors import BadInput, ComputerError
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.browser.ownership import Follow
from homebody.sessions.closing import close_quietly, first_line

log = logging.getLogger(__name__)
CDP_SCHEMES = frozenset({"http", "https", "ws", "wss"})
DISCONNECT_TIMEOUT_S = 10.0


def validate_cdp_url(url: str) -> str:
    """An http(s):// or ws(s):// address with a host, as ``--cdp-url`` takes; else ``BadInput``."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in CDP_SCHEMES or not parts.hostname:
        raise BadInput(
            "--cdp-url must be an http://, https://, ws:// or wss:// address with a host "
            f"(e.g. http://127.0.0.1:9222), got {url!r}"
        )
    try:
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        raise BadInput(f"--cdp-url has an invalid port: {url!r}") from None
    return text


async def attach(settings: Settings, cdp_url: str) -> BrowserComputer:
    """Connect to ``cdp_url`` and return a computer driving a new tab there (see the module doc)."""
    url = validate_cdp_url(cdp_url)
    pw = await async_playwright().start()
    browser: Browser | None = None
    try:
        browser = await _connect(pw, url, settings.limits.navigation_timeout_s)
        context, page = await _new_tab(browser, url, settings)
    except BaseException:
        await _disconnect(pw, browser)
        raise
    context.set_default_timeout(settings.limits.action_timeout_s * 1000)
    context.set_default_navigation_timeout(settings.limits.navigation_timeout_s * 1000)
    return BrowserComputer(
        context,
        page,
        ownership=BorrowedTab(pw, browser),
        viewport=settings.viewport,
        limits=settings.limits,
        jpeg_quality=settings.jpeg_quality,
        sensitive=settings.sensitive_selectors,
    )


class BorrowedTab:
    """A tab of somebody else's browser: only the popups of the agent's own tabs become its tabs
    (tabs the user opens stay theirs), and closing never closes that browser."""

    def __init__(self, playwright: Playwright, browser: Browser) -> None:
        self._pw = playwright
        self._browser = browser

    def watch(self, context: BrowserContext, page: Page, follow: Follow) -> None:
        def follow_popups(tab: Page) -> None:
            # A link of ours that opens a new tab moves the session there, as it would for a person.
            tab.on("popup", follow_and_watch)

        def follow_and_watch(tab: Page) -> None:
            follow_popups(tab)
            follow(tab)

        follow_popups(page)

    async def close(self, context: BrowserContext, tabs: list[Page]) -> None:
        try:
            for page in tabs:
                if not page.is_closed():
                    what = "could not close our tab in the remote browser"
                    await close_quietly(page.close(), DISCONNECT_TIMEOUT_S, what)
        finally:
            await _disconnect(self._pw, self._browser)


async def _connect(pw: Playwright, url: str, timeout_s: float) -> Browser:
    try:
        async with asyncio.timeout(timeout_s + 5):
            return await pw.chromium.connect_over_cdp(url, timeout=timeout_s * 1000)
    except (PlaywrightError, TimeoutError) as exc:
        if isinstance(exc, PlaywrightError):
            detail = first_line(exc).removeprefix("BrowserType.connect_over_cdp: ").rstrip(".")
        else:
            detail = f"no answer within {timeout_s:g} s"
        raise ComputerError(
            f"could not attach to the browser at {url} (--cdp-url): {detail}. Is Chromium running there "
            "with --remote-debugging-port, and is that port reachable from this machine?"
        ) from exc


async def _new_tab(browser: Browser, url: str, settings: Settings) -> tuple[BrowserContext, Page]:
    if not browser.contexts:
        raise ComputerError(f"the browser at {url} has no default context to open a tab in")
    context = browser.contexts[0]  # the default context: the profile the user signed in with
    timeout = settings.limits.action_timeout_s
    try:
        async with asyncio.timeout(timeout):
            page = await context.new_page()
        # Screenshot pixels must be the CSS pixels a brain clicks: this also sets scale factor 1.
        size = ViewportSize(width=settings.viewport.width, height=settings.viewport.height)
        async with asyncio.timeout(timeout):
            await page.set_viewport_size(size)
    except (PlaywrightError, TimeoutError) as exc:
        raise ComputerError(f"could not open a tab in the browser at {url}: {first_line(exc)}") from exc
    return context, page


async def _disconnect(pw: Playwright, browser: Browser | None) -> None:
    """Drop the connection and stop Playwright. Never raises."""
    if browser is not None:
        # For a browser reached by connect_over_cdp, close() only ends the connection:
        # Playwright leaves the remote process and its tabs running.
        await close_quietly(browser.close(), DISCONNECT_TIMEOUT_S, "could not disconnect from the remote browser")
    await close_quietly(pw.stop(), DISCONNECT_TIMEOUT_S, "playwright did not stop cleanly")

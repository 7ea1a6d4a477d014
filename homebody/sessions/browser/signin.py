"""Is a site still signed in, in this browser session? And the window a person signs in through.

``check_signed_in`` opens the URL in a new page of the session's context (the task's own page is
never touched), follows redirects, and decides from the page alone: a final URL that looks like a
login page, or a visible password field, means signed out. It never types or submits anything.

``open_login_window`` shows a real browser window on a profile so the user can sign in by hand;
it returns when the user closes the window, and Chromium writes the profile as it closes.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from playwright.async_api import BrowserContext, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from homebody.config import Settings
from homebody.errors import ComputerError, NavigationError
from homebody.sessions.browser.launch import find_browser, is_root, launch_flags
from homebody.sessions.closing import close_quietly, first_line
from homebody.sessions.profiles import Profile, ProfileLock

log = logging.getLogger(__name__)

#: How long a page may keep loading after ``load`` before the check looks at it: long enough for a
#: single-page app to bounce to its login route, short enough for a page that polls forever.
SETTLE_S = 2.0
CLOSE_TIMEOUT_S = 10.0

# Words that name a login step in a path or query. "login"/"logon" may end a longer word
# (``ServiceLogin``, ``wp-login.php``); the others must stand alone so that ``/authors`` or
# ``/designing`` are not mistaken for login pages.
_LOGIN_PATH = re.compile(
    r"log[-_]?(?:in|on)(?![a-z])"
    r"|(?<![a-z])sign[-_]?(?:in|on)(?![a-z])"
    r"|(?<![a-z])(?:auth|oauth2?|sso|saml2?|authenticate|authorize)(?![a-z])"
    r"|(?<![a-z])sessions?/new(?![a-z])"
)
# Hosts that exist to sign people in (accounts.google.com, login.microsoftonline.com, ...); they
# count only when the site sent us there, so a check of such a host itself is judged by its page.
_LOGIN_HOST = re.compile(r"^(?:accounts|login|signin|auth|sso|id)\.")

_LOGIN_FIELD_SHOWN_JS = """() => {
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || r.right <= 0 || r.bottom <= 0) return false;
    if (el.checkVisibility) {
      return el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true,
                                 opacityProperty: true, visibilityProperty: true});
    }
    const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden' && s.opacity !== '0';
  };
  const roots = [document];
  while (roots.length) {
    const root = roots.pop();
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) roots.push(el.shadowRoot);
      if (el.tagName === 'INPUT' && (el.type || '').toLowerCase() === 'password' && shown(el)) return true;
    }
  }
  return false;
}"""

_TWO_FRAMES_JS = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


@dataclass(frozen=True, slots=True)
class SignInStatus:
    signed_in: bool
    final_url: str
    reason: str


def login_url_reason(final_url: str, requested_url: str = "") -> str | None:
    """Why ``final_url`` looks like a login page, or None. Pure: no browser needed."""
    parts = urlsplit(final_url)
    text = unquote(f"{parts.path}?{parts.query}").lower()
    match = _LOGIN_PATH.search(text)
    if match:
        return f"ended on a login page ({match.group(0)!r} in {final_url})"
    host = (parts.hostname or "").lower()
    asked = (urlsplit(requested_url).hostname or "").lower()
    if host and host != asked and _LOGIN_HOST.match(host):
        return f"was sent to the sign-in host {host} ({final_url})"
    return None


async def check_signed_in(context: BrowserContext, url: str, *, timeout_s: float) -> SignInStatus:
    """Open ``url`` in a new page of ``context`` and say whether the session looks signed in.

    Raises ``NavigationError`` when the URL cannot be loaded and ``ComputerError`` when the
    browser does not answer; the new page is closed in every case.
    """
    try:
        async with asyncio.timeout(timeout_s):
            page = await context.new_page()
    except (PlaywrightError, TimeoutError) as exc:
        raise ComputerError(f"could not open a page to check {url}: {first_line(exc)}") from exc
    try:
        return await _inspect(page, url, timeout_s)
    finally:
        await close_quietly(page.close(), CLOSE_TIMEOUT_S, "could not close the sign-in check page", level=logging.INFO)


async def _inspect(page: Page, url: str, timeout_s: float) -> SignInStatus:
    try:
        await page.goto(url, wait_until="load", timeout=timeout_s * 1000)
    except PlaywrightError as exc:
        raise NavigationError(url, first_line(exc)) from exc
    try:
        await page.wait_for_load_state("networkidle", timeout=min(SETTLE_S, timeout_s) * 1000)
    except PlaywrightError:
        pass  # a page that keeps polling is judged as it stands
    final = page.url
    reason = login_url_reason(final, url)
    if reason is not None:
        return SignInStatus(False, final, reason)
    if await _has_visible_password(page, timeout_s):
        return SignInStatus(False, final, f"a password field is showing on {final}")
    return SignInStatus(True, final, f"no login page or password field on {final}")


async def _has_visible_password(page: Page, timeout_s: float) -> bool:
    for frame in page.frames:
        try:
            async with asyncio.timeout(timeout_s):
                found = await frame.evaluate(_LOGIN_FIELD_SHOWN_JS)
        except (PlaywrightError, TimeoutError) as exc:
            if frame is page.main_frame:  # the page itself unreadable: no answer rather than a guess
                raise ComputerError(f"could not read {page.url} to check the sign-in: {first_line(exc)}") from exc
            # A subframe that went away or never answered cannot show a password field to anyone.
            log.info("sign-in check skipped frame %s: %s", frame.url, first_line(exc))
            continue
        if found is True:
            return True
    return False


async def open_login_window(
    settings: Settings,
    profile: Profile,
    url: str,
    *,
    wait_s: float,
    on_open: Callable[[str], None] | None = None,
) -> bool:
    """Show a visible browser on ``profile`` at ``url`` and wait until the user closes it.

    Returns True when the user closed the window, False when ``wait_s`` ran out (the window is
    then closed for them). Either way the profile is saved. The profile is locked throughout.
    ``on_open`` is called with a line for the user once the window shows (or failed to load).
    """
    lock = ProfileLock(profile)
    lock.acquire()
    try:
        pw = await async_playwright().start()
        try:
            context = await _launch_visible(pw, settings, profile)
            try:
                note = await _first_page(context, url, settings.limits.navigation_timeout_s)
                if on_open is not None:
                    on_open(note)
                return await _wait_closed(context, wait_s)
            finally:
                await close_quietly(context.close(), CLOSE_TIMEOUT_S, "the browser did not close cleanly")
        finally:
            await close_quietly(pw.stop(), CLOSE_TIMEOUT_S, "playwright did not stop cleanly")
    finally:
        lock.release()


async def _launch_visible(pw: Playwright, settings: Settings, profile: Profile) -> BrowserContext:
    executable = find_browser(settings.browser_path, bundled=pw.chromium.executable_path)
    try:
        return await pw.chromium.launch_persistent_context(
            profile.user_data_dir,
            executable_path=executable,
            headless=False,
            args=launch_flags(headless=False, running_as_root=is_root()),
            no_viewport=True,  # a person's window: let them size it
            handle_sigint=False,
            handle_sigterm=False,
            handle_sighup=False,
            timeout=30_000,
        )
    except PlaywrightError as exc:
        raise ComputerError(f"could not open a browser window ({executable}): {first_line(exc)}") from exc


async def _first_page(context: BrowserContext, url: str, timeout_s: float) -> str:
    """Show ``url`` in the window with the keyboard in the page, and say how that went.

    A tab opened blank and then navigated keeps the keyboard in its address bar, so the page's
    sign-in field would not take typing; a tab created on the URL itself gives the page the focus,
    as a link opened by the user would. The blank start tab is closed.
    """
    blank = list(context.pages)
    note = f"opened {url}"
    page = await _tab_on(context, url, timeout_s)
    if page is None:  # fall back to navigating the blank tab (the keyboard stays in the address bar)
        page = blank.pop(0) if blank else await context.new_page()
        try:
            await page.goto(url, wait_until="domcontentloaded", timeout=timeout_s * 1000)
        except PlaywrightError as exc:
            note = f"could not load {url} ({first_line(exc)})"
    for tab in blank:
        await close_quietly(tab.close(), CLOSE_TIMEOUT_S, "could not close the blank start tab", level=logging.INFO)
    if page.url.startswith("chrome-error:"):
        note = f"could not load {url}"
    # The window stays open either way: the user can fix the address there.
    return note if note.startswith("opened") else f"{note}; type the address in the window"


async def _tab_on(context: BrowserContext, url: str, timeout_s: float) -> Page | None:
    browser = context.browser
    if browser is None:
        return None
    try:
        async with asyncio.timeout(timeout_s):
            cdp = await browser.new_browser_cdp_session()
        async with context.expect_page(timeout=timeout_s * 1000) as opened:
            async with asyncio.timeout(timeout_s):
                await cdp.send("Target.createTarget", {"url": url})
        page = await opened.value
        await cdp.detach()
    except (PlaywrightError, TimeoutError) as exc:
        log.info("could not open a tab on %s directly: %s", url, first_line(exc))
        return None
    try:
        await page.wait_for_load_state("load", timeout=timeout_s * 1000)
        # A page's autofocus lands in a rendering update after load: two frames later the sign-in
        # field has the keyboard, so what the user types from the moment we say so goes there.
        async with asyncio.timeout(SETTLE_S):
            await page.evaluate(_TWO_FRAMES_JS)
    except (PlaywrightError, TimeoutError) as exc:
        log.info("%s did not finish loading: %s", url, first_line(exc))
    return page


async def _wait_closed(context: BrowserContext, wait_s: float) -> bool:
    closed = asyncio.Event()

    def check(_: object = None) -> None:
        if not any(not p.is_closed() for p in context.pages):
            closed.set()

    def watch(page: Page) -> None:
        page.on("close", check)

    for page in context.pages:
        watch(page)
    context.on("page", watch)
    context.on("close", lambda _: closed.set())
    check()
    try:
        async with asyncio.timeout(wait_s):
            await closed.wait()
    except TimeoutError:
        return False
    return True

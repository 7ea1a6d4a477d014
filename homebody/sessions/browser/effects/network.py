"""Holding requests: every request of every page, frame and popup of the session passes here.

Installed as a route on the whole browser context, so it covers the task's tab, tabs and popups
the page opens (their first request included: Playwright holds a new target until its routes are
in place) and cross-origin frames in their own processes. A request that reads (GET, HEAD, OPTIONS
that is not a top-level navigation) goes on at once; a change (any other method) and every
top-level navigation is described (``describe.py``) and put to the screen. Playwright does not route
a redirect's next hop: ``redirects.py`` screens those.

Fails closed: a request that cannot be described or screened is failed, never sent unjudged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from playwright.async_api import BrowserContext, Page, Request, Route
from playwright.async_api import Error as PlaywrightError

from homebody.protocols import EffectScreen
from homebody.sessions.browser.effects.describe import describe_request, request_shape
from homebody.sessions.browser.effects.holds import Holds
from homebody.types import CheckResult, Outgoing

log = logging.getLogger(__name__)

READS = frozenset({"GET", "HEAD", "OPTIONS"})
#: What a failed request tells the page: the browser blocked it (``net::ERR_BLOCKED_BY_CLIENT``).
BLOCKED = "blockedbyclient"


class NetworkHold:
    """The context's route: screens changes and top-level navigations, holds what the screen halts."""

    def __init__(self, screen: EffectScreen, holds: Holds, mine: Callable[[Page], bool]) -> None:
        self._screen = screen
        self._holds = holds
        self._mine = mine  # whether a tab is the agent's (a borrowed browser has the user's tabs too)

    async def install(self, context: BrowserContext) -> None:
        await context.route("**/*", self._route)

    async def _route(self, route: Route) -> None:
        request = route.request
        if request.method.upper() in READS and not request.is_navigation_request():
            await _answer(route, True)  # a subresource or a read: the common case, answered first
            return
        if not _from_agent_tab(request, self._mine):
            await _answer(route, True)
            return
        try:
            out = outgoing(request)
        except Exception:  # a request nobody can describe is not sent unjudged
            log.exception("could not describe a %s request to %s", request.method, request.url[:200])
            await _answer(route, False)
            return
        if out is None:
            await _answer(route, True)
            return
        await _answer(route, await screen_and_hold(self._screen, self._holds, out, request_shape(out.method, out.url)))


async def screen_and_hold(screen: EffectScreen, holds: Holds, out: Outgoing, shape: str) -> bool:
    """Whether ``out`` may be sent: at once when the screen allows it, after the user's answer when
    it halts it, never when it blocks it or the screen fails."""
    try:
        result = screen.screen(out, shape)
    except Exception:  # a broken screen holds, never lets through
        log.exception("the effect screen failed on %s %s", out.method, out.url[:200])
        result = CheckResult(verdict="halt", category="change", reason="the effect gate could not judge this request")
    match result.verdict:
        case "allow":
            return True
        case "block":
            log.info("blocked %s %s: %s", out.method, out.url[:200], result.reason)
            return False
        case "halt":
            return await holds.wait(out, result)


def outgoing(request: Request) -> Outgoing | None:
    """``request`` described for the screen, or None when it only reads and navigates nowhere new."""
    navigation = request.is_navigation_request()
    frame_url, top_level = _frame_of(request)
    if request.method.upper() in READS and not (navigation and top_level):
        return None
    return describe_request(
        method=request.method.upper(),
        url=request.url,
        headers=request.headers,
        body=request.post_data_buffer,
        navigation=navigation and top_level,
        frame_url=frame_url,
        top_level=top_level,
    )


def _from_agent_tab(request: Request, mine: Callable[[Page], bool]) -> bool:
    """Whether one of the agent's tabs sends ``request``; a new tab's first request counts as the
    agent's (its frame does not exist yet, so whose it is cannot be told: it is screened)."""
    try:
        return mine(request.frame.page)
    except PlaywrightError:
        return True


def _frame_of(request: Request) -> tuple[str, bool]:
    """The sending document's URL, and whether it is a tab's top document. A new tab's first
    request comes before its frame exists: it is a top-level navigation of a new tab."""
    try:
        frame = request.frame
    except PlaywrightError:
        return "", True
    return frame.url, frame.parent_frame is None


async def _answer(route: Route, send: bool) -> None:
    try:
        if send:
            await route.continue_()
        else:
            await route.abort(BLOCKED)
    except PlaywrightError as exc:  # the page or the request went away meanwhile: nothing to send
        log.debug("could not answer a routed request: %s", exc)

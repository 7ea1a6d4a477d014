"""Holding requests: DevTools ``Fetch`` interception on each of the agent's tabs and frames.

One DevTools session per target (a tab, or a cross-origin frame in its own process) pauses, before
it leaves the browser, every request of the types that can carry a change: documents (page loads,
form posts, each hop of a redirect), XHR, fetch, beacons and pings, and the rest that is not a
static asset. A read (GET, HEAD, OPTIONS that is not a tab's page load) goes on at once; a change
(any other method) and every page load of a tab is described (``describe.py``) and put to the
screen. Stylesheets, scripts, images, fonts and media are never paused: the browser fetches them
with GET only, and they keep the HTTP cache (interception through a Playwright route would turn it
off for every request of every tab).

A tab the page opens is held by ``newtab.py`` until its session is attached here, so its first
request is screened too. Fails closed: a request that cannot be described or screened is failed,
never sent unjudged.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from typing import Any

from playwright.async_api import CDPSession, Frame, Page
from playwright.async_api import Error as PlaywrightError

from homebody.protocols import EffectScreen
from homebody.sessions.browser.effects.describe import describe_request, request_shape
from homebody.sessions.browser.effects.holds import Holds
from homebody.types import CheckResult, Outgoing

log = logging.getLogger(__name__)

CDP_TIMEOUT_S = 10.0
READS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Resource types the browser only ever fetches with GET: never paused.
STATIC = frozenset({"Stylesheet", "Script", "Image", "Font", "Media"})
#: Every other resource type DevTools' request filter knows is paused ("Other" takes the rest:
#: text tracks, manifests, prefetches, preflights and whatever a later browser adds).
SCREENED = ("Document", "XHR", "Fetch", "EventSource", "Ping", "CSPViolationReport", "Other")
PATTERNS = [{"urlPattern": "*", "resourceType": kind, "requestStage": "Request"} for kind in SCREENED]
#: What a failed request tells the page: the browser blocked it (``net::ERR_BLOCKED_BY_CLIENT``).
BLOCKED = "BlockedByClient"


class TargetHold:
    """The interception of one target: a tab (``top``) or a cross-origin frame in its own process."""

    def __init__(self, cdp: CDPSession, target: Page | Frame, screen: EffectScreen, holds: Holds) -> None:
        self._cdp = cdp
        self._target = target
        self._screen = screen
        self._holds = holds
        self._top = isinstance(target, Page)
        self._main = ""
        self._tasks: set[asyncio.Task[None]] = set()

    @classmethod
    async def attach(cls, target: Page | Frame, screen: EffectScreen, holds: Holds) -> TargetHold | None:
        """Hold what ``target`` sends from now on; None when it went away meanwhile (or, for a
        frame, when it is not in a process of its own: its tab's session covers it)."""
        page = target if isinstance(target, Page) else target.page
        try:
            async with asyncio.timeout(CDP_TIMEOUT_S):
                cdp = await page.context.new_cdp_session(target)
                hold = cls(cdp, target, screen, holds)
                tree = await cdp.send("Page.getFrameTree")
                hold._main = str(tree["frameTree"]["frame"]["id"])
                cdp.on("Fetch.requestPaused", hold._paused)
                await cdp.send("Fetch.enable", {"patterns": PATTERNS})
        except (PlaywrightError, TimeoutError) as exc:
            log.debug("could not hold the requests of %s: %s", _url(target)[:200], exc)
            return None
        return hold

    async def detach(self) -> None:
        try:
            async with asyncio.timeout(CDP_TIMEOUT_S):
                await self._cdp.detach()
        except (PlaywrightError, TimeoutError):
            pass

    def _paused(self, event: dict[str, Any]) -> None:
        task = asyncio.ensure_future(self._answer(event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, event: dict[str, Any]) -> None:
        request = event.get("request") or {}
        method = str(request.get("method") or "GET").upper()
        top_load = self._top and event.get("resourceType") == "Document" and event.get("frameId") == self._main
        if method in READS and not top_load:
            await self._send(event, True)  # a read: the common case, answered first
            return
        try:
            out = describe_request(
                method=method,
                url=str(request.get("url") or ""),
                headers=dict(request.get("headers") or {}),
                body=_body(request),
                navigation=top_load,
                frame_url=_url(self._target),  # the tab's (or frame's) document: a frame in it is not told apart
                top_level=self._top and event.get("frameId") == self._main,
            )
        except Exception:  # a request nobody can describe is not sent unjudged
            log.exception("could not describe a %s request to %s", method, str(request.get("url"))[:200])
            await self._send(event, False)
            return
        send = await screen_and_hold(self._screen, self._holds, out, request_shape(out.method, out.url))
        await self._send(event, send)

    async def _send(self, event: dict[str, Any], send: bool) -> None:
        method, params = (
            ("Fetch.continueRequest", {"requestId": event["requestId"]})
            if send
            else ("Fetch.failRequest", {"requestId": event["requestId"], "errorReason": BLOCKED})
        )
        try:
            async with asyncio.timeout(CDP_TIMEOUT_S):
                await self._cdp.send(method, params)
        except (PlaywrightError, TimeoutError) as exc:  # the tab went away meanwhile: nothing to send
            log.debug("could not answer a paused request: %s", exc)


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


def _body(request: dict[str, Any]) -> bytes | None:
    """The request's body as DevTools gives it (entries in base64; files are left out)."""
    entries = request.get("postDataEntries")
    if isinstance(entries, list):
        parts = []
        for entry in entries:
            try:
                parts.append(base64.b64decode(str(entry.get("bytes") or ""), validate=True))
            except (binascii.Error, ValueError, AttributeError):
                continue
        return b"".join(parts)
    data = request.get("postData")
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else None


def _url(target: Page | Frame) -> str:
    try:
        return target.url
    except PlaywrightError:
        return ""

"""Screening a redirect's next hop, which the context's route never sees.

Playwright routes a navigation's first request only and lets its redirects through. DevTools'
``Fetch`` domain does pause every hop, and two clients intercepting one tab are chained: this one
asks for documents only, and puts each *redirect* hop of a tab's top document to the screen (a
chain that starts on the task's site and ends on another is a step off the task's sites). Every
other paused document goes on at once. Attached to each tab as the session adopts it; a tab that a
page opens gets its first request screened by the route, and its redirects from when this attaches.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from playwright.async_api import CDPSession, Page
from playwright.async_api import Error as PlaywrightError

from homebody.protocols import EffectScreen
from homebody.sessions.browser.effects.describe import describe_request, request_shape
from homebody.sessions.browser.effects.holds import Holds
from homebody.sessions.browser.effects.network import screen_and_hold

log = logging.getLogger(__name__)

CDP_TIMEOUT_S = 10.0
PATTERNS = [{"urlPattern": "*", "resourceType": "Document", "requestStage": "Request"}]


class RedirectHold:
    """The redirect screen of one tab."""

    def __init__(self, cdp: CDPSession, main_frame: str, screen: EffectScreen, holds: Holds) -> None:
        self._cdp = cdp
        self._main = main_frame
        self._screen = screen
        self._holds = holds
        self._tasks: set[asyncio.Task[None]] = set()

    @classmethod
    async def attach(cls, page: Page, screen: EffectScreen, holds: Holds) -> RedirectHold | None:
        """Screen ``page``'s redirects from now on; None when the tab closed meanwhile."""
        try:
            async with asyncio.timeout(CDP_TIMEOUT_S):
                cdp = await page.context.new_cdp_session(page)
                tree = await cdp.send("Page.getFrameTree")
                hold = cls(cdp, tree["frameTree"]["frame"]["id"], screen, holds)
                cdp.on("Fetch.requestPaused", hold._paused)
                await cdp.send("Fetch.enable", {"patterns": PATTERNS})
        except (PlaywrightError, TimeoutError) as exc:
            log.info("could not screen the redirects of %s: %s", page.url[:200], exc)
            return None
        return hold

    def _paused(self, event: dict[str, Any]) -> None:
        task = asyncio.ensure_future(self._answer(event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, event: dict[str, Any]) -> None:
        send = True
        if event.get("redirectedRequestId") and event.get("frameId") == self._main:
            request = event["request"]
            try:
                out = describe_request(
                    method=str(request["method"]).upper(),
                    url=str(request["url"]),
                    headers=dict(request.get("headers") or {}),
                    body=None,
                    navigation=True,
                    frame_url="",
                    top_level=True,
                )
            except Exception:  # a hop nobody can describe is not sent unjudged
                log.exception("could not describe a redirect to %s", str(request.get("url"))[:200])
                send = False
            else:
                send = await screen_and_hold(self._screen, self._holds, out, request_shape(out.method, out.url))
        method, params = (
            ("Fetch.continueRequest", {"requestId": event["requestId"]})
            if send
            else ("Fetch.failRequest", {"requestId": event["requestId"], "errorReason": "BlockedByClient"})
        )
        try:
            async with asyncio.timeout(CDP_TIMEOUT_S):
                await self._cdp.send(method, params)
        except (PlaywrightError, TimeoutError) as exc:  # the tab went away: nothing to send
            log.debug("could not answer a paused document request: %s", exc)

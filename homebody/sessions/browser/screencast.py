"""The browser's live feed: Chromium's CDP screencast of the session's current page, to a ``FrameHub``.

Frames go through an optional ``transform`` hook before publishing (redaction plugs in there). The
hook fails closed: when it raises, the frame is dropped and logged, never published unmasked. A
``LiveRedaction`` as the transform watches the page from the screencast's own CDP session: a frame
goes out untouched, without a round trip, when the page is known to show nothing to redact around
its capture time; other frames are painted over one at a time, newest first (``live_redact.py``).
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, runtime_checkable

from playwright.async_api import CDPSession, Page
from playwright.async_api import Error as PlaywrightError

from homebody.config import DEFAULT_VIEWPORT
from homebody.errors import ComputerError
from homebody.sessions.closing import close_quietly
from homebody.sessions.live import FrameHub, jpeg_size
from homebody.types import Size

log = logging.getLogger(__name__)

AsyncTransform = Callable[[bytes], Awaitable[bytes]]


@runtime_checkable
class FrameTransform(Protocol):
    """What the frames go through before they are published (``live_redact.LiveRedaction``):
    ``attach`` to each page's screencast session before its first frame, ``untouched`` says at a
    frame's arrival whether it may go out as it is, ``redact`` makes one fit to show (or raises)."""

    async def attach(self, session: CDPSession) -> None: ...
    def detach(self) -> None: ...
    def untouched(self, ts: float) -> bool: ...
    async def redact(self, data: bytes, ts: float) -> bytes: ...


class EveryFrame:
    """A plain ``AsyncTransform`` as a ``FrameTransform``: every frame goes through it."""

    def __init__(self, call: AsyncTransform) -> None:
        self._call = call

    async def attach(self, session: CDPSession) -> None:
        return None

    def detach(self) -> None:
        return None

    def untouched(self, ts: float) -> bool:
        return False

    async def redact(self, data: bytes, ts: float) -> bytes:
        return await self._call(data)


#: How often the screencast looks for the session's current page (a link may have opened a tab).
PAGE_POLL_S = 0.25
CDP_TIMEOUT_S = 5.0


class BrowserScreencast:
    """Chromium's screencast of the session's current page, published to ``hub``.

    ``page_getter`` returns the page the session is on now (``lambda: computer.page``); when it
    changes the screencast moves to the new page. A page that does not change sends almost no
    frames; the hub's latest frame then stays the true picture.
    """

    def __init__(
        self,
        hub: FrameHub,
        page_getter: Callable[[], Page],
        *,
        quality: int = 60,
        max_size: Size = DEFAULT_VIEWPORT,
        transform: FrameTransform | AsyncTransform | None = None,
        poll_s: float = PAGE_POLL_S,
    ) -> None:
        self._hub = hub
        self._page_getter = page_getter
        self._params = {
            "format": "jpeg",
            "quality": quality,
            "maxWidth": max_size.width,
            "maxHeight": max_size.height,
        }
        self._transform = (
            transform if transform is None or isinstance(transform, FrameTransform) else EveryFrame(transform)
        )
        self._poll_s = poll_s
        self._page: Page | None = None
        self._session: CDPSession | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._pending: tuple[int, bytes, float] | None = None  # a frame waiting for the transform
        self._shown = 0  # the number (``received``) of the newest frame published
        self._pump: asyncio.Task[None] | None = None
        #: frames Chromium sent (all acknowledged)
        self.received = 0
        #: frames the transform refused (dropped, never published)
        self.rejected = 0
        #: pages the screencast was started on
        self.pages = 0

    @property
    def page(self) -> Page | None:
        return self._page

    async def start(self) -> None:
        """Start casting the current page and follow the session to new ones."""
        if self._watcher is not None:
            return
        self._hub.bind(asyncio.get_running_loop())
        await self._follow()
        self._watcher = asyncio.create_task(self._watch(), name="screencast-page-watch")

    async def stop(self) -> None:
        """Stop casting. Idempotent; never raises for a browser that is already gone."""
        tasks = [t for t in (self._watcher, self._pump) if t is not None]
        self._watcher = self._pump = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._detach()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self._poll_s)
            try:
                await self._follow()
            except Exception:  # the live view must outlive one odd page; the next poll retries
                log.exception("the screencast could not follow the session's page")

    def _current(self) -> Page | None:
        try:
            page = self._page_getter()
        except ComputerError:  # the session has no page (closed): nothing to cast
            return None
        return None if page.is_closed() else page

    async def _follow(self) -> None:
        page = self._current()
        if page is self._page:
            return
        await self._detach()
        if page is None:
            return
        try:
            async with asyncio.timeout(CDP_TIMEOUT_S):
                session = await page.context.new_cdp_session(page)
            session.on("Page.screencastFrame", lambda params: self._on_frame(session, params))
            self._session, self._page = session, page
            if self._transform is not None:
                await self._transform.attach(session)  # before the first frame: none is missed
            async with asyncio.timeout(CDP_TIMEOUT_S):
                await session.send("Page.startScreencast", self._params)
            self.pages += 1
            log.debug("screencast started on %s", page.url)
        except (PlaywrightError, TimeoutError) as exc:
            # Mostly a page closing under us; the next poll tries the session's page again.
            log.info("could not start the screencast: %s", exc)
            await self._detach()

    async def _detach(self) -> None:
        session, self._session, self._page = self._session, None, None
        if self._transform is not None:
            self._transform.detach()
        if session is None:
            return
        what = "screencast session ended with the page"
        if await close_quietly(session.send("Page.stopScreencast"), CDP_TIMEOUT_S, what, level=logging.DEBUG):
            await close_quietly(session.detach(), CDP_TIMEOUT_S, what, level=logging.DEBUG)

    def _on_frame(self, session: CDPSession, params: dict[str, Any]) -> None:
        # Acknowledge first: Chromium sends the next frame only after the ack, and the viewers'
        # speed (or the transform's) must never hold it back.
        self._spawn(session.send("Page.screencastFrameAck", {"sessionId": params["sessionId"]}))
        if session is not self._session:
            return  # a late frame of the page the session left
        self.received += 1
        ts = params.get("metadata", {}).get("timestamp") or time.time()
        data = base64.b64decode(params["data"])
        # Read now, as the frame arrives: the page's report of a change comes before the frame showing it.
        if self._transform is None or self._transform.untouched(ts):
            self._pending = None  # an older frame still waiting for the slow path is stale now
            self._publish(self.received, data, ts)
            return
        self._pending = (self.received, data, ts)  # the newest frame wins while the transform is busy
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._run_transform(), name="screencast-transform")

    async def _run_transform(self) -> None:
        assert self._transform is not None
        while self._pending is not None:
            number, data, ts = self._pending
            self._pending = None
            try:
                masked = await self._transform.redact(data, ts)
            except Exception as exc:  # fail closed: a frame that could not be redacted is never shown
                self.rejected += 1
                log.info("live frame dropped: its transform (redaction) failed: %s", exc)
                continue
            self._publish(number, masked, ts)

    def _publish(self, number: int, data: bytes, ts: float) -> None:
        if number < self._shown:
            return  # a newer frame went out while this one was being redacted
        self._shown = number
        size = jpeg_size(data)
        if size is None:
            log.warning("live frame dropped: not a JPEG image")
            return
        self._hub.publish(data, size.width, size.height, ts)

    def _spawn(self, call: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(_bounded(call))
        self._background.add(task)
        task.add_done_callback(_finish_quietly(self._background))


async def _bounded(call: Awaitable[Any]) -> None:
    async with asyncio.timeout(CDP_TIMEOUT_S):
        await call


def _finish_quietly(tasks: set[asyncio.Task[Any]]) -> Callable[[asyncio.Task[Any]], None]:
    def done(task: asyncio.Task[Any]) -> None:
        tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # An ack to a page that just closed fails; the screencast moves on with the session.
            log.debug("screencast ack failed: %s", task.exception())

    return done

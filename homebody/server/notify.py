"""Telling the user that a task halted and waits for them (or, for a schedule that asks for it,
that a run finished): a webhook and a desktop notification.

Both are optional and best effort: a notification that fails is logged and never touches the task.
The webhook is the one connection homebody itself opens to a place the user chose (``--notify-webhook``);
it carries the task id, the halt's category and reason, and the task page's address, nothing else.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

import httpx

from homebody.errors import BadInput

log = logging.getLogger(__name__)

TIMEOUT_S = 5.0
_MAX_TEXT = 300


@dataclass(frozen=True, slots=True)
class HaltNotice:
    """What a notification says about one halt, or one finished run (the webhook's JSON body):
    for ``event`` "finished", ``category`` is the outcome and ``reason`` the answer or the reason."""

    task_id: str
    step: int
    category: str
    reason: str
    url: str
    event: str = "halted"


def check_webhook_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"--notify-webhook must be an http(s) URL, got {url!r}")
    return url


class Notifier:
    """Sends each halt to the webhook (POST JSON) and to ``notify-send`` when it is installed."""

    def __init__(self, webhook: str | None = None, *, desktop: bool = True, timeout_s: float = TIMEOUT_S) -> None:
        self._webhook = check_webhook_url(webhook) if webhook else None
        self._notify_send = shutil.which("notify-send") if desktop else None
        self._timeout_s = timeout_s
        self._pending: set[asyncio.Task[None]] = set()
        #: notifications that could not be delivered (for tests and the log)
        self.failures = 0

    def halted(self, notice: HaltNotice) -> None:
        """Send in the background: the task never waits for a notification."""
        self.send(notice)

    def send(self, notice: HaltNotice) -> None:
        """Send ``notice`` (a halt or a finished run) in the background."""
        for send in (self._post, self._desktop):
            task = asyncio.create_task(send(notice))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)

    async def drain(self) -> None:
        """Wait for the notifications under way (at shutdown); each has its own timeout."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def _post(self, notice: HaltNotice) -> None:
        if self._webhook is None:
            return
        try:
            # trust_env=False: no proxy from the environment gets to see the notice.
            async with httpx.AsyncClient(timeout=self._timeout_s, trust_env=False) as client:
                response = await client.post(self._webhook, json=asdict(notice))
                response.raise_for_status()
        except httpx.HTTPError as exc:
            self.failures += 1
            log.warning("halt webhook %s failed: %s", self._webhook, exc)

    async def _desktop(self, notice: HaltNotice) -> None:
        if self._notify_send is None:
            return
        what = "a task waits for you" if notice.event == "halted" else "a scheduled task finished"
        title = f"homebody: {what} ({notice.category})"[:_MAX_TEXT]
        body = f"{notice.reason[:_MAX_TEXT]}\n{notice.url}"
        argv = [self._notify_send, "--app-name=homebody", "--urgency=normal", "--", title, body]
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
            )
        except OSError as exc:
            self.failures += 1
            log.warning("notify-send could not start: %s", exc)
            return
        try:
            async with asyncio.timeout(self._timeout_s):
                code = await proc.wait()
        except TimeoutError:
            proc.kill()
            await proc.wait()
            code = -1
        if code != 0:
            self.failures += 1
            log.info("notify-send exited with %s (no desktop session?)", code)

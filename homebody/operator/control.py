"""Control of a running task from outside the loop: cancel it, or pause it for a person's takeover.

The loop calls ``checkpoint()`` between phases, so a cancel never interrupts an action half-way
through dispatch. A takeover works the same way: ``request_takeover()`` asks, the loop parks at its
next checkpoint (``park()``; a brain still thinking is interrupted, its decision dropped), and only
then does ``wait_parked()`` return, so a person's input never races an action of the agent.
``release()`` hands the session back: the loop looks at the screen afresh before its next step.
"""

from __future__ import annotations

import asyncio

from homebody.errors import TaskCancelled


class TaskControl:
    def __init__(self) -> None:
        self._cancel_reason: str | None = None
        self._takeover_by: str | None = None
        self._summary = ""
        self._requested = asyncio.Event()
        self._parked = asyncio.Event()
        self._released = asyncio.Event()
        self.step = 0  # the loop's current step, for events recorded from outside it

    # ------------------------------------------------------------------ cancel

    def cancel(self, reason: str = "cancelled by the user") -> None:
        if self._cancel_reason is None:
            self._cancel_reason = reason
        self._requested.set()  # wakes a brain race and a parked loop, which then see the cancel
        self._released.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel_reason is not None

    def checkpoint(self) -> None:
        if self._cancel_reason is not None:
            raise TaskCancelled(self._cancel_reason)

    # ------------------------------------------------------------------ takeover

    def request_takeover(self, by: str = "user") -> None:
        """Ask the loop to stop acting at its next checkpoint and wait for ``release``."""
        if self._takeover_by is not None:
            return
        self._takeover_by = by
        self._summary = ""
        self._released.clear()
        self._requested.set()

    @property
    def takeover_by(self) -> str | None:
        """Who asked for the takeover now requested or under way; ``None`` when the agent drives."""
        return self._takeover_by

    @property
    def parked(self) -> bool:
        return self._parked.is_set()

    async def wait_requested(self) -> None:
        """Returns once a takeover or a cancel is asked for (the loop races a thinking brain with it)."""
        await self._requested.wait()

    async def wait_parked(self, timeout_s: float) -> bool:
        """Whether the loop parked within ``timeout_s`` (the agent has stopped touching the screen)."""
        try:
            async with asyncio.timeout(timeout_s):
                await self._parked.wait()
        except TimeoutError:
            return False
        return True

    async def park(self) -> str:
        """The loop's side: stay parked until released (returns the summary) or cancelled (raises)."""
        self.checkpoint()
        self._parked.set()
        try:
            await self._released.wait()
        finally:
            self._parked.clear()
        self.checkpoint()
        summary = self._summary
        self._takeover_by = None
        self._requested.clear()
        return summary

    def release(self, summary: str = "") -> None:
        """Hand the session back to the agent, with what the person did in a few words."""
        if self._takeover_by is None:
            return
        self._summary = summary
        self._released.set()

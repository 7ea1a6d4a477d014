"""The approver of a task run by the server: a halt waits here until the user answers over HTTP.

The desk opens when the ``halted`` event passes through the task's sinks, before the gate asks
``decide`` and before the store says "halted", so an answer that comes at once is never refused for
arriving early. A takeover or a cancel answers the open halt with a rejection (fail closed: nobody
said yes). Answers that come when nothing is open are refused, so a stale "approve" can never let
through a later, different action.
"""

from __future__ import annotations

import asyncio

from homebody.events import Halted
from homebody.types import ApprovalDecision


class HaltDesk:
    """Implements the ``Approver`` protocol for one task."""

    def __init__(self) -> None:
        self._future: asyncio.Future[ApprovalDecision] | None = None
        self.halted: Halted | None = None

    @property
    def waiting(self) -> bool:
        """Whether a halt waits for an answer now."""
        return self._future is not None and not self._future.done()

    def open(self, halted: Halted) -> None:
        """A new halt: from now on one answer is taken for it."""
        self.halted = halted
        self._future = asyncio.get_running_loop().create_future()

    def answer(self, decision: ApprovalDecision) -> bool:
        """Answer the open halt; False when none is open (already answered, or never halted)."""
        if not self.waiting:
            return False
        assert self._future is not None
        self._future.set_result(decision)
        return True

    async def decide(self, halted: Halted, crop: bytes | None) -> ApprovalDecision:
        if self._future is None:
            self.open(halted)  # the sinks did not see this halt (not expected; still ask)
        assert self._future is not None
        try:
            return await self._future
        finally:
            self._future = None
            self.halted = None

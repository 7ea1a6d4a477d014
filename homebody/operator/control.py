"""Control of a running task from outside the loop: cancel now, more (pause, takeover) later.

The loop polls ``checkpoint()`` between phases, so a cancel never interrupts an action half-way
through dispatch.
"""

from __future__ import annotations


class TaskCancelled(Exception):
    """Raised at a checkpoint after ``cancel()``; the loop turns it into outcome ``cancelled``."""


class TaskControl:
    def __init__(self) -> None:
        self._cancel_reason: str | None = None

    def cancel(self, reason: str = "cancelled by the user") -> None:
        if self._cancel_reason is None:
            self._cancel_reason = reason

    @property
    def cancelled(self) -> bool:
        return self._cancel_reason is not None

    def checkpoint(self) -> None:
        if self._cancel_reason is not None:
            raise TaskCancelled(self._cancel_reason)

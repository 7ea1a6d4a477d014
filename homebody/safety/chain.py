"""A chain of checkers: every checker sees the action, the strictest verdict wins.

Fails closed: a checker that raises or times out yields ``halt`` with the error as its reason,
never ``allow``; a chain with no checker halts every action that reaches it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from homebody.protocols import Checker
from homebody.types import Action, CheckResult, Frame, TargetInfo

log = logging.getLogger(__name__)

_RANK = {"allow": 0, "halt": 1, "block": 2}


class CheckerChain:
    """Runs each checker under ``timeout_s`` and returns the strictest result."""

    def __init__(self, checkers: Sequence[Checker], *, timeout_s: float = 10.0) -> None:
        self._checkers = tuple(checkers)
        self._timeout = timeout_s
        self.name = "+".join(c.name for c in self._checkers) or "none"

    async def check(self, action: Action, target: TargetInfo | None, frame: Frame) -> CheckResult:
        if not self._checkers:
            return CheckResult(
                verdict="halt", category="unknown", reason="no checker is configured: halting to be safe", target=target
            )
        results = [await self._run_one(c, action, target, frame) for c in self._checkers]
        return max(results, key=lambda r: _RANK[r.verdict])

    async def _run_one(self, checker: Checker, action: Action, target: TargetInfo | None, frame: Frame) -> CheckResult:
        try:
            async with asyncio.timeout(self._timeout):
                return await checker.check(action, target, frame)
        except Exception as exc:  # a broken checker must halt, never allow
            log.exception("checker %s failed", checker.name)
            return CheckResult(
                verdict="halt",
                category="checker-error",
                reason=f"the {checker.name} checker failed ({type(exc).__name__}: {exc}); halting to be safe",
                target=target,
            )

"""The gate between a checker's verdict and the computer: halts, approvals, grants, blocks.

Fails closed: with no approver the task stops at the halt; an approval runs exactly the proposed
action, and only if the pixels around its target still look like the frame that was checked.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from homebody.events import Approved, Event, Granted, Halted, Rejected, Skipped
from homebody.protocols import Approver, GrantStore, RegionTools
from homebody.types import (
    Action,
    ApprovalDecision,
    Box,
    CheckResult,
    Click,
    Frame,
    Grant,
    Scroll,
    Size,
    describe_action,
    site_of,
)

Emit = Callable[[Event, Frame | None], Awaitable[None]]
Capture = Callable[[], Awaitable[Frame]]


@dataclass(frozen=True, slots=True)
class GateResult:
    """What the loop does next: ``execute`` the action, ``skip`` it (with feedback), or ``stop``."""

    next: Literal["execute", "skip", "stop"]
    feedback: str = ""
    reason: str = ""
    stale: bool = False  # skipped because the screen changed, not because anyone said no


def target_box(action: Action, result: CheckResult, size: Size) -> Box:
    """The region a check was about: the target's box, else a patch around the action's point."""
    if result.target is not None and result.target.box is not None:
        x, y, w, h = result.target.box
        if w > 0 and h > 0:
            return Box(x, y, w, h)
    if isinstance(action, Click | Scroll):
        return Box(action.x - 80, action.y - 40, 160, 80)
    return Box(0, 0, size.width, size.height)


@dataclass
class Gate:
    task_id: str
    emit: Emit
    capture: Capture
    approver: Approver | None = None
    grants: GrantStore | None = None
    regions: RegionTools | None = None

    async def resolve(self, step: int, action: Action, result: CheckResult, frame: Frame) -> GateResult:
        if result.verdict == "allow":
            return GateResult("execute")
        if result.verdict == "block":
            reason = result.reason or f"{result.category} is blocked"
            await self.emit(Skipped(task_id=self.task_id, step=step, action=action, reason=reason), None)
            return GateResult("skip", feedback=f"{describe_action(action)} is not allowed: {reason}")
        box = target_box(action, result, frame.size)
        halted, crop = await self._halt(step, action, result, frame, box)
        if self.approver is None:
            return GateResult("stop", reason=f"{halted.category}: {halted.reason}")
        answer = await self.approver.decide(halted, crop)
        if not answer.approved:
            await self.emit(Rejected(task_id=self.task_id, step=step, by=answer.by, note=answer.note), None)
            note = f": {answer.note}" if answer.note else ""
            return GateResult("skip", feedback=f"the user rejected {describe_action(action)} ({halted.category}){note}")
        await self.emit(Approved(task_id=self.task_id, step=step, by=answer.by, note=answer.note), None)
        if answer.grant is not None and self.grants is not None:
            await self._grant(step, halted, frame, answer)
        return await self._still_same(step, action, frame, box)

    async def _halt(
        self, step: int, action: Action, result: CheckResult, frame: Frame, box: Box
    ) -> tuple[Halted, bytes | None]:
        crop = self.regions.crop(frame, box) if self.regions is not None else None
        halted = Halted(
            task_id=self.task_id,
            step=step,
            action=action,
            category=result.category or "unknown",
            reason=result.reason or "the checker halted this action",
            target=result.target,
            crop=f"frames/{step:04d}-halt.jpg" if crop is not None else None,
        )
        crop_frame = None if crop is None else Frame(crop, "jpeg", frame.size, time.time(), frame.url, frame.title)
        await self.emit(halted, crop_frame)
        return halted, crop

    async def _grant(self, step: int, halted: Halted, frame: Frame, answer: ApprovalDecision) -> None:
        assert self.grants is not None
        scope = answer.grant or "task"
        site = site_of((halted.target.url if halted.target else "") or frame.url)
        expires = time.time() + (answer.grant_seconds or 3600) if scope == "timed" else None
        grant = Grant(site=site, category=halted.category, scope=scope, task_id=self.task_id, expires_at=expires)
        self.grants.add(grant)
        await self.emit(
            Granted(
                task_id=self.task_id,
                step=step,
                site=site,
                category=halted.category,
                scope=scope,
                expires_at=expires,
                by=answer.by,
            ),
            None,
        )

    async def _still_same(self, step: int, action: Action, frame: Frame, box: Box) -> GateResult:
        if self.regions is None:
            return GateResult("execute")
        fresh = await self.capture()
        if not self.regions.region_changed(frame, fresh, box):
            return GateResult("execute")
        reason = "the screen around the target changed after it was checked, so the approved action was not run"
        await self.emit(Skipped(task_id=self.task_id, step=step, action=action, reason=reason), None)
        return GateResult("skip", feedback=reason + "; look again before acting", stale=True)

"""The gate between a checker's verdict and the computer: halts, approvals, grants, blocks.

Fails closed: with no approver the task stops at the halt; an approval runs exactly the proposed
action, and only if the pixels around its target still look like the frame that was checked (the
staleness rule of ``watch.py``, the same one the loop applies before the check).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from homebody.events import Approved, Event, Granted, Halted, Rejected, Skipped
from homebody.operator.effects import riskiest
from homebody.operator.watch import around_target
from homebody.protocols import Approver, GrantStore, RegionTools
from homebody.types import (
    Action,
    ApprovalDecision,
    Box,
    Category,
    CheckResult,
    Frame,
    Grant,
    HeldEffect,
    TargetInfo,
    describe_action,
    site_of,
)

Emit = Callable[[Event, Frame | None], Awaitable[None]]
#: The staleness rule: a fresh frame if the screen in the box changed since the frame, else None.
Changed = Callable[[Frame, Box], Awaitable[Frame | None]]


@dataclass(frozen=True, slots=True)
class GateResult:
    """What the loop does next: ``execute`` the action, ``skip`` it (with feedback), or ``stop``."""

    next: Literal["execute", "skip", "stop"]
    feedback: str = ""
    reason: str = ""
    stale: bool = False  # skipped because the screen changed, not because anyone said no
    fresh: Frame | None = None  # the capture that showed the change: the next step starts from it
    approved: bool = False  # runs because the user approved it (its own changes then go too)
    widen: tuple[str, ...] = ()  # held steps off the task's sites that the user allowed for the task


@dataclass(frozen=True, slots=True)
class Gate:
    """Built once per operator; the task a verdict belongs to comes with each call."""

    emit: Emit
    changed: Changed
    approver: Approver | None = None
    grants: GrantStore | None = None
    regions: RegionTools | None = None

    async def resolve(self, task_id: str, step: int, action: Action, result: CheckResult, frame: Frame) -> GateResult:
        """Let ``action`` run, skip it, or halt for the user. ``action`` is what events record and the
        user sees (a typed secret already masked); the gate never runs it, the loop does."""
        if result.verdict == "allow":
            return GateResult("execute")
        if result.verdict == "block":
            reason = result.reason or f"{result.category} is blocked"
            await self.emit(Skipped(task_id=task_id, step=step, action=action, reason=reason), None)
            return GateResult("skip", feedback=f"{describe_action(action)} is not allowed: {reason}")
        halted, crop = await self._halt(task_id, step, action, result, frame)
        if self.approver is None:
            return GateResult("stop", reason=f"{halted.category}: {halted.reason}")
        answer = await self.approver.decide(halted, crop)
        if not answer.approved:
            await self.emit(Rejected(task_id=task_id, step=step, by=answer.by, note=answer.note), None)
            note = f": {answer.note}" if answer.note else ""
            return GateResult("skip", feedback=f"the user rejected {describe_action(action)} ({halted.category}){note}")
        await self.emit(Approved(task_id=task_id, step=step, by=answer.by, note=answer.note), None)
        if answer.grant is not None and self.grants is not None:
            site = site_of((halted.target.url if halted.target else "") or frame.url)
            await self._grant(halted, site, halted.category, answer)
        return await self._still_same(halted, frame)

    async def resolve_held(
        self,
        task_id: str,
        step: int,
        action: Action,
        *,
        target: TargetInfo | None,
        frame: Frame,
        held: Sequence[HeldEffect],
    ) -> GateResult:
        """Ask the user about what ``action`` would send (``held``, paused in the browser): ``execute``
        means send them, ``skip`` fail them (``feedback`` tells the brain), ``stop`` fail them and end.
        A grant covers each held effect's own site and category."""
        category = riskiest(held)
        more = f" (and {len(held) - 1} more)" if len(held) > 1 else ""
        result = CheckResult(verdict="halt", category=category, reason=held[0].reason + more, target=target)
        halted, crop = await self._halt(task_id, step, action, result, frame, held=tuple(held))
        if self.approver is None:
            return GateResult("stop", reason=f"{halted.category}: {halted.reason}")
        answer = await self.approver.decide(halted, crop)
        sent = "; ".join(f"{h.outgoing.method} {h.outgoing.url}" for h in held)
        if not answer.approved:
            await self.emit(Rejected(task_id=task_id, step=step, by=answer.by, note=answer.note), None)
            note = f": {answer.note}" if answer.note else ""
            feedback = f"the user rejected what your last action would send ({category}: {sent}); it was not sent{note}"
            return GateResult("skip", feedback=feedback)
        await self.emit(Approved(task_id=task_id, step=step, by=answer.by, note=answer.note), None)
        if answer.grant is not None and self.grants is not None:
            for site, kind in dict.fromkeys((site_of(h.outgoing.url), h.category) for h in held):
                await self._grant(halted, site, kind, answer)
        leaving = tuple(h.outgoing.url for h in held if h.category == "leave_scope")
        return GateResult("execute", approved=True, widen=leaving if answer.grant == "task" else ())

    async def _halt(
        self,
        task_id: str,
        step: int,
        action: Action,
        result: CheckResult,
        frame: Frame,
        *,
        held: tuple[HeldEffect, ...] = (),
    ) -> tuple[Halted, bytes | None]:
        box = around_target(action, result.target, frame.size)
        crop = self.regions.crop(frame, box) if self.regions is not None else None
        halted = Halted(
            task_id=task_id,
            step=step,
            action=action,
            category=result.category or "unknown",
            reason=result.reason or "the checker halted this action",
            target=result.target,
            crop=f"frames/{step:04d}-halt.jpg" if crop is not None else None,
            held=held,
        )
        crop_frame = None if crop is None else Frame(crop, "jpeg", frame.size, time.time(), frame.url, frame.title)
        await self.emit(halted, crop_frame)
        return halted, crop

    async def _grant(self, halted: Halted, site: str, category: Category, answer: ApprovalDecision) -> None:
        assert self.grants is not None
        scope = answer.grant or "task"
        expires = time.time() + (answer.grant_seconds or 3600) if scope == "timed" else None
        grant = Grant(site=site, category=category, scope=scope, task_id=halted.task_id, expires_at=expires)
        self.grants.add(grant)
        await self.emit(
            Granted(
                task_id=halted.task_id,
                step=halted.step,
                site=site,
                category=category,
                scope=scope,
                expires_at=expires,
                by=answer.by,
            ),
            None,
        )

    async def _still_same(self, halted: Halted, frame: Frame) -> GateResult:
        """Run the approved action only if the screen around its target is what was checked."""
        fresh = await self.changed(frame, around_target(halted.action, halted.target, frame.size))
        if fresh is None:
            return GateResult("execute", approved=True)
        reason = "the screen around the target changed after it was checked, so the approved action was not run"
        await self.emit(Skipped(task_id=halted.task_id, step=halted.step, action=halted.action, reason=reason), None)
        return GateResult("skip", feedback=reason + "; look again before acting", stale=True, fresh=fresh)

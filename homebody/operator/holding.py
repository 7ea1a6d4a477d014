"""Deciding what the effect gate holds: the loop's side of the browser's holds.

While an action runs (dispatch, page load, verify), whatever the browser holds is put to the user
through the ``Gate`` and then released or failed as they say (``during``); what the page sent after
the step ended, within the watch's grace, is decided before the next step looks (``late``), as the
last action's. Fails closed: a hold nobody can answer is failed (``UnansweredHold``), and so is
whatever is still held when the task ends (``fail_all``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

from homebody.errors import UnansweredHold
from homebody.operator.effects import EffectWatch
from homebody.operator.gate import Gate
from homebody.operator.state import Carry, Ended, HeldContext, Run, StepEnd
from homebody.protocols import EffectHolder
from homebody.types import HeldEffect

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Holding:
    """The holds of one computer, the task's screen, and the gate that asks the user."""

    holder: EffectHolder
    watch: EffectWatch
    gate: Gate

    async def during(self, under: HeldContext, call: Awaitable[T]) -> T:
        """``call``'s answer; meanwhile, whatever the browser holds is decided. Raises
        ``UnansweredHold`` when nobody can answer (it is failed)."""
        running = asyncio.ensure_future(call)
        try:
            while True:
                waiting = asyncio.ensure_future(self.holder.next_held())
                try:
                    await asyncio.wait({running, waiting}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    waiting.cancel()
                held = self.holder.held()
                if held:
                    await self.decide(under, held)
                elif running.done():
                    return await running
        finally:
            if not running.done():
                running.cancel()
                await asyncio.gather(running, return_exceptions=True)

    async def late(self, run: Run) -> StepEnd:
        """What the last action's page sent after its step ended and the browser holds. The carry
        tells the brain what the user said; ``ended`` is set when nobody could answer."""
        if run.acted is None or not self.holder.held():
            return StepEnd()
        told = run.acted.told
        told.clear()
        try:
            await self.decide(run.acted, self.holder.held())
        except UnansweredHold as stop:
            return StepEnd(ended=Ended("halted", stop.reason))
        return StepEnd(Carry(feedback=tuple(told)))

    async def decide(self, under: HeldContext, held: tuple[HeldEffect, ...]) -> None:
        ids = [h.id for h in held]
        run = under.run
        try:
            verdict = await self.gate.resolve_held(
                run.spec.task_id, run.step, under.action, target=under.target, frame=under.before, held=held
            )
        except BaseException:
            self.holder.fail(ids)  # an unanswered hold is never sent later
            raise
        match verdict.next:
            case "execute":
                for url in verdict.widen:  # "for this task" on a step off its sites: the site joins them
                    self.watch.rules.widen(url)
                self.holder.release(ids)
            case "skip":
                self.holder.fail(ids)
                under.told.append(verdict.feedback)
            case "stop":
                self.holder.fail(ids)
                raise UnansweredHold(verdict.reason)

    def fail_all(self) -> None:
        """The task ended: whatever is still held is never sent."""
        self.holder.fail([h.id for h in self.holder.held()])

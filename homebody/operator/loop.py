"""The operator loop: observe → decide → check → approve → act → verify → record, one step at a time.

``Operator`` holds the wiring, built once (the gate, the watch, the target describer among it);
one task's state lives in a ``Run`` (``state.py``) and every step ends in one ``StepEnd``. The
phases that compute live in ``phases.py`` and emit nothing: this module records what they return,
so the events of a step and their order are written here (and in the gate, around an approval).

Errors inside a step become events the user and the brain can see. This module catches broadly
twice: at the loop edge in ``run`` (anything unexpected ends the task as failed, recorded) and in
``_finish`` (the result still reaches the caller when the sink broke). ``phases.decide`` drops
whatever a brain that was cancelled mid-thought raises while it unwinds. A crashing checker halts
inside the checker chain (``safety/chain.py``) before its verdict reaches the gate.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from homebody.config import Limits
from homebody.errors import HomebodyError, NeedsHelp, SessionClosed, TaskCancelled, UnansweredHold
from homebody.events import (
    Checked,
    Event,
    EventSink,
    Executed,
    Finished,
    Observed,
    Proposed,
    Skipped,
    TakeoverEnded,
    TakeoverStarted,
    TaskStarted,
)
from homebody.operator.control import TaskControl
from homebody.operator.effects import EffectWatch
from homebody.operator.gate import Gate
from homebody.operator.handover import what_changed
from homebody.operator.holding import Holding
from homebody.operator.phases import Proposal, Targets, act, check, decide, propose, within
from homebody.operator.state import Carry, Ended, HeldContext, Run, StepEnd
from homebody.operator.task import TaskResult, TaskSpec
from homebody.operator.watch import Watch, around_target
from homebody.protocols import (
    Approver,
    Brain,
    Checker,
    Computer,
    EffectHolder,
    GrantStore,
    PageReader,
    PageSignals,
    RegionTools,
    TextReader,
    Verifier,
)
from homebody.types import (
    TAKEOVER_FEEDBACK,
    Box,
    BrainInput,
    Click,
    Decision,
    Done,
    Frame,
    PageItem,
    Point,
    Scroll,
    StepRecord,
    TargetInfo,
    describe_action,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Operator:
    """Runs tasks on one computer with one brain; every event goes to ``sink``."""

    computer: Computer
    brain: Brain
    checker: Checker
    sink: EventSink
    limits: Limits
    control: TaskControl = field(default_factory=TaskControl)
    approver: Approver | None = None
    grants: GrantStore | None = None
    reader: TextReader | None = None
    regions: RegionTools | None = None
    verifier: Verifier | None = None
    effects: EffectWatch | None = None  # the effect gate's screen; used where the computer can hold
    watch: Watch = field(init=False, repr=False)
    holding: Holding | None = field(init=False, repr=False)
    gate: Gate = field(init=False, repr=False)
    targets: Targets = field(init=False, repr=False)

    def __post_init__(self) -> None:
        signals = self.computer if isinstance(self.computer, PageSignals) else None
        self.watch = Watch(self._capture, self.verifier, self.regions, signals)
        self.gate = Gate(self._emit, self.watch.changed, self.approver, self.grants, self.regions)
        self.targets = Targets(self.computer, self.reader, self.limits.check_timeout_s)
        computer, effects = self.computer, self.effects
        self.holding = (
            Holding(computer, effects, self.gate)
            if isinstance(computer, EffectHolder) and effects is not None
            else None
        )

    async def run(self, spec: TaskSpec) -> TaskResult:
        run = Run(spec)
        await self._emit(TaskStarted(**spec.model_dump()))  # the task record whole, every field of it
        try:
            ended = await self._steps(run)
        except TaskCancelled as exc:
            ended = Ended("cancelled", str(exc))
        except asyncio.CancelledError:
            ended = Ended("interrupted", "interrupted")
        except SessionClosed as exc:
            ended = Ended("failed", f"browser session lost: {exc}")
        except NeedsHelp as exc:
            ended = Ended("halted", f"the {self.brain.name} brain needs help: {exc}")
        except HomebodyError as exc:
            ended = Ended("failed", str(exc))
        except Exception as exc:  # the loop edge: anything unexpected ends the task as failed, recorded
            log.exception("task %s crashed", spec.task_id)
            ended = Ended("failed", f"internal error: {type(exc).__name__}: {exc}")
        return await self._finish(run, ended)

    async def _steps(self, run: Run) -> Ended:
        spec = run.spec
        if self.holding is not None:
            await within(
                self.holding.holder.hold_effects(self.holding.watch),
                self.limits.action_timeout_s,
                "install the effect gate",
            )
        if spec.start_url:
            opening = self.computer.navigate(spec.start_url)
            await within(opening, self.limits.navigation_timeout_s, "open the start page")
        learning = [asyncio.sleep(self.limits.effect_learn_s)] if self.holding is not None else []
        if self.verifier is not None:
            learning.append(within(self.watch.learn(), self.limits.capture_timeout_s, "watch the idle page"))
        await asyncio.gather(*learning)
        for step in range(1, spec.max_steps + 1):
            run.step = self.control.step = step
            end = await self._step(run)
            if end.ended is not None:
                return end.ended
            run.carry = end.carry  # the one place a step's carry (next frame, feedback) reaches the run
        return Ended("failed", f"step budget used up: {spec.max_steps} steps without finishing")

    async def _step(self, run: Run) -> StepEnd:
        """Observe and decide; then carry the decision out, unless a person takes over meanwhile."""
        carry = await self._hand_over_if_asked(run, run.carry)
        late = await self.holding.late(run) if self.holding is not None else StepEnd()
        if late.ended is not None:
            return late
        carry = replace(carry, feedback=(*carry.feedback, *late.carry.feedback))
        frame = carry.frame or await self._capture()
        run.seen = frame
        items = await self._page_items()  # read next to the frame, so that both show the same page
        await self._emit(
            Observed(
                task_id=run.spec.task_id,
                step=run.step,
                frame=f"frames/{run.step:04d}.jpg",
                url=frame.url,
                title=frame.title,
                width=frame.size.width,
                height=frame.size.height,
            ),
            frame,
        )
        inp = BrainInput(
            instruction=run.spec.instruction,
            frame=frame,
            step=run.step,
            history=tuple(run.history),
            feedback=carry.feedback,
            items=items,
        )
        decision = await decide(self.brain, self.control, inp, self.limits.decide_timeout_s)
        if decision is None or self.control.takeover_by is not None:
            # A person takes the wheel: the decision is dropped. Feedback that no decision has used
            # yet (the brain was interrupted) is still owed to the brain.
            unused = carry.feedback if decision is None else ()
            return StepEnd(await self._hand_over_if_asked(run, replace(carry, frame=None, feedback=unused)))
        return await self._carry_out(run, frame, decision, carry.misses)

    async def _carry_out(self, run: Run, frame: Frame, decision: Decision, misses: tuple[Point, ...]) -> StepEnd:
        """Propose, check, approve, act and verify one decision taken on ``frame``."""
        task_id, step, action = run.spec.task_id, run.step, decision.action
        proposal = await propose(self.targets, decision, frame)
        redacted = proposal.redacted
        await self._emit(
            Proposed(task_id=task_id, step=step, action=redacted.action, thought=redacted.thought, raw=redacted.raw)
        )
        if isinstance(action, Done):
            return StepEnd(ended=Ended("done", answer=action.answer))
        self.control.checkpoint()
        stale = await self._stale_before_check(run, proposal, frame, misses)
        if stale is not None:
            return stale
        judged = await check(self.checker, self.targets, action, frame, proposal.target)
        result = judged.result
        await self._emit(
            Checked(
                task_id=task_id,
                step=step,
                checker=self.checker.name,
                verdict=result.verdict,
                category=result.category,
                reason=result.reason,
                evidence=result.evidence,
                target=result.target,
                ms=judged.ms,
            )
        )
        # The gate records and shows the action: a typed secret goes to it masked (it never runs it).
        verdict = await self.gate.resolve(task_id, step, redacted.action, result, frame)
        match verdict.next:
            case "stop":
                return StepEnd(ended=Ended("halted", verdict.reason))
            case "skip":
                carry = Carry(verdict.fresh, (verdict.feedback,), misses)
                return self._not_run(run, redacted, carry, stale=verdict.stale)
            case "execute":
                focus = around_target(action, result.target, frame.size)
        if self.effects is not None:
            self.effects.arm(approved=verdict.approved, harmless=result.harmless)
        try:
            return await self._act(run, proposal, frame, focus, misses, target=result.target)
        except UnansweredHold as stop:
            return StepEnd(ended=Ended("halted", stop.reason))
        finally:
            if self.effects is not None:
                self.effects.disarm()

    async def _stale_before_check(
        self, run: Run, proposal: Proposal, frame: Frame, misses: tuple[Point, ...]
    ) -> StepEnd | None:
        """The stale-frame guard: if the screen around the target changed while the brain was
        deciding (a popup, a banner, a layout shift), do not act; look again from the fresh frame."""
        action = proposal.decision.action
        if not isinstance(action, Click | Scroll):
            return None
        fresh = await self.watch.changed(frame, around_target(action, None, frame.size))
        if fresh is None:
            return None
        reason = "the screen around the target changed between looking and acting; looking again"
        await self._emit(Skipped(task_id=run.spec.task_id, step=run.step, action=action, reason=reason))
        return self._not_run(run, proposal.redacted, Carry(fresh, (reason,), misses), stale=True)

    def _not_run(self, run: Run, redacted: Decision, carry: Carry, *, stale: bool) -> StepEnd:
        """A step whose action did not run: the brain's history says so, and ``carry`` tells it why."""
        outcome = "stale" if stale else "not run"
        run.history.append(StepRecord(step=run.step, action=redacted.action, thought=redacted.thought, outcome=outcome))
        return StepEnd(carry)

    async def _act(
        self,
        run: Run,
        proposal: Proposal,
        before: Frame,
        focus: Box,
        misses: tuple[Point, ...],
        *,
        target: TargetInfo | None,
    ) -> StepEnd:
        """Dispatch the decided action; events and history carry its redacted form. What it sends
        that the effect gate holds is decided while it runs (``_under_holds``)."""
        task_id, step, action, redacted = run.spec.task_id, run.step, proposal.decision.action, proposal.redacted
        told: list[str] = []  # what the user's answers to held effects tell the brain
        under = run.acted = HeldContext(run, redacted.action, target, before, told)
        acted = await self._under_holds(under, act(self.computer, action, self.limits.action_timeout_s))
        error = acted.error
        await self._emit(
            Executed(task_id=task_id, step=step, action=redacted.action, ok=not error, error=error, ms=acted.ms)
        )
        outcome = f"error: {error}" if error else "ok"
        # Recorded before the page is waited for: a step that ran counts even if verifying it fails.
        run.history.append(StepRecord(step=step, action=redacted.action, thought=redacted.thought, outcome=outcome))
        failed = (f"your last action ({describe_action(action)}) failed: {error}",) if error else ()
        settling = within(self.computer.settle(), self.limits.navigation_timeout_s + 1, "wait for the page to load")
        await self._under_holds(under, settling)
        verifying = within(
            self.watch.verify(task_id, step, action, before, focus=focus, misses=misses),
            self.limits.navigation_timeout_s,
            "verify the effect",
        )
        found = await self._under_holds(under, verifying)
        failed = (*told, *failed)
        if found is None:
            return StepEnd(Carry(None, failed, misses))
        await self._emit(found.event)
        carry = Carry(found.next_frame, failed + ((found.feedback,) if found.feedback else ()), found.misses)
        return StepEnd(carry, Ended("failed", found.stuck) if found.stuck else None)

    async def _under_holds(self, under: HeldContext, call: Awaitable[T]) -> T:
        """``call``'s answer, with what the browser holds meanwhile decided (``holding.py``)."""
        return await (self.holding.during(under, call) if self.holding is not None else call)

    async def _hand_over_if_asked(self, run: Run, carry: Carry) -> Carry:
        """If a person asked to take over, park until they hand back; then look afresh from what they left."""
        self.control.checkpoint()
        by = self.control.takeover_by
        if by is None:
            return carry
        task_id, step = run.spec.task_id, run.step
        await self._emit(TakeoverStarted(task_id=task_id, step=step, by=by))
        if self.effects is not None:
            self.effects.person = True  # what the page sends now is the person's doing, not the agent's
        try:
            summary = await self.control.park()
        finally:
            if self.effects is not None:
                self.effects.person = False
        after = await self._capture()
        changes = what_changed(run.seen, after, self.regions)
        summary = "; ".join(part for part in (summary, changes) if part)
        await self._emit(TakeoverEnded(task_id=task_id, step=step, by=by, summary=summary))
        if self.verifier is not None:  # what moves by itself may differ on the page the person left
            await within(self.watch.learn(), self.limits.capture_timeout_s, "watch the page")
        told = f"{by} {TAKEOVER_FEEDBACK} ({summary}); look at the screen again before acting"
        return replace(carry, frame=after, feedback=(*carry.feedback, told))

    async def _finish(self, run: Run, ended: Ended) -> TaskResult:
        spec = run.spec
        if self.holding is not None:
            self.holding.fail_all()
        result = TaskResult(spec.task_id, ended.outcome, ended.reason, ended.answer, steps=len(run.history))
        try:
            await self._emit(
                Finished(
                    task_id=spec.task_id,
                    step=run.step,
                    outcome=ended.outcome,
                    reason=ended.reason,
                    answer=ended.answer,
                    steps=result.steps,
                )
            )
        except Exception:  # recording the end is best effort: the result still reaches the caller
            log.exception("could not record the end of task %s", spec.task_id)
        return result

    async def _page_items(self) -> tuple[PageItem, ...] | None:
        """What the page shows, for a brain that reads it (``reads_page``) on a computer that can
        tell; None otherwise, or when the page does not answer (the brain then reads the pixels)."""
        computer = self.computer
        if not getattr(self.brain, "reads_page", False) or not isinstance(computer, PageReader):
            return None
        try:
            return await within(computer.page_items(), self.limits.capture_timeout_s, "read the page")
        except SessionClosed:
            raise
        except HomebodyError as exc:
            log.info("could not read the page's items (%s); the brain reads the screen instead", exc)
            return None

    async def _capture(self) -> Frame:
        return await within(self.computer.capture(), self.limits.capture_timeout_s, "capture the screen")

    async def _emit(self, event: Event, frame: Frame | None = None) -> None:
        await self.sink.emit(event, frame)

"""The operator loop: observe → decide → check → act → record, one step at a time.

Errors inside a step become events the user and the brain can see; the broad ``except`` lives here
at the loop edge and nowhere else. A checker verdict other than ``allow`` goes through the gate
(``gate.py``): the action reaches the computer only if the user approves it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TypeVar

from homebody.config import Limits
from homebody.errors import BrainError, ComputerError, HomebodyError, NeedsHelp, SessionClosed, TaskCancelled
from homebody.events import (
    Checked,
    Event,
    EventSink,
    Executed,
    Finished,
    Observed,
    Outcome,
    Proposed,
    Skipped,
    TakeoverEnded,
    TakeoverStarted,
    TaskStarted,
)
from homebody.operator.control import TaskControl
from homebody.operator.dispatch import dispatch
from homebody.operator.gate import Gate, target_box
from homebody.operator.handover import redact_typed_secret, what_changed
from homebody.operator.task import TaskResult, TaskSpec
from homebody.operator.watch import Watch
from homebody.protocols import (
    Approver,
    Brain,
    Checker,
    Computer,
    GrantStore,
    Prober,
    RegionTools,
    SecretFocus,
    TextReader,
    Verifier,
)
from homebody.types import (
    TAKEOVER_FEEDBACK,
    Action,
    Box,
    BrainInput,
    CheckResult,
    Click,
    Decision,
    Done,
    Frame,
    Scroll,
    StepRecord,
    TargetInfo,
    TypeText,
    Wait,
    describe_action,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Finish(HomebodyError):
    """Ends the task from inside a step with a given outcome."""

    def __init__(self, outcome: Outcome, reason: str = "", answer: str = "") -> None:
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason
        self.answer = answer


@dataclass
class Operator:
    """Runs one task on one computer with one brain; every event goes to ``sink``."""

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
    history: list[StepRecord] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    _spec: TaskSpec | None = None
    _step: int = 0
    _next_frame: Frame | None = None
    _watch: Watch | None = None
    _last_frame: Frame | None = None

    async def run(self, spec: TaskSpec) -> TaskResult:
        self._spec = spec
        await self._emit(
            TaskStarted(
                task_id=spec.task_id,
                instruction=spec.instruction,
                start_url=spec.start_url,
                brain=spec.brain,
                profile=spec.profile,
                max_steps=spec.max_steps,
            )
        )
        try:
            if spec.start_url:
                await self._timed(
                    self.computer.navigate(spec.start_url), self.limits.navigation_timeout_s, "open the start page"
                )
            if self.verifier is not None:
                await self._timed(
                    self.verifier.learn(self._capture), self.limits.capture_timeout_s, "watch the idle page"
                )
            for step in range(1, spec.max_steps + 1):
                self._step = step
                await self._one_step(step)
            raise _Finish("failed", f"step budget used up: {spec.max_steps} steps without finishing")
        except _Finish as end:
            return await self._finish(end.outcome, end.reason, end.answer)
        except TaskCancelled as exc:
            return await self._finish("cancelled", str(exc))
        except asyncio.CancelledError:
            return await self._finish("interrupted", "interrupted")
        except SessionClosed as exc:
            return await self._finish("failed", f"browser session lost: {exc}")
        except NeedsHelp as exc:
            return await self._finish("halted", f"the {self.brain.name} brain needs help: {exc}")
        except HomebodyError as exc:
            return await self._finish("failed", str(exc))
        except Exception as exc:  # the loop edge: anything unexpected ends the task, recorded
            log.exception("task %s crashed", spec.task_id)
            return await self._finish("failed", f"internal error: {type(exc).__name__}: {exc}")

    async def _one_step(self, step: int) -> None:
        self.control.step = step
        await self._hand_over_if_asked()
        frame, self._next_frame = self._next_frame or await self._capture(), None
        self._last_frame = frame
        await self._emit(
            Observed(
                task_id=self._task_id,
                step=step,
                frame=f"frames/{step:04d}.jpg",
                url=frame.url,
                title=frame.title,
                width=frame.size.width,
                height=frame.size.height,
            ),
            frame,
        )
        decision = await self._decide(step, frame)
        if decision is None or self.control.takeover_by is not None:
            await self._hand_over_if_asked()  # a person takes the wheel: this decision is dropped
            return
        action = decision.action
        target = await self._probe(action, frame) if isinstance(action, TypeText) else None
        shown = redact_typed_secret(decision) if await self._typing_secret(action, target) else decision
        await self._emit(
            Proposed(task_id=self._task_id, step=step, action=shown.action, thought=shown.thought, raw=shown.raw)
        )
        if isinstance(action, Done):
            raise _Finish("done", answer=action.answer)
        self.control.checkpoint()
        if await self._went_stale(step, decision, frame):
            return
        result = await self._check(step, action, frame, target)
        gate = Gate(self._task_id, self._emit, self._capture, self.approver, self.grants, self.regions)
        verdict = await gate.resolve(step, action, result, frame)
        match verdict.next:
            case "stop":
                raise _Finish("halted", verdict.reason)
            case "skip":
                self._not_run(step, shown, verdict.feedback, stale=verdict.stale)
                return
            case "execute":
                pass
        await self._act(step, decision, shown, frame, target_box(action, result, frame.size))

    async def _typing_secret(self, action: Action, target: TargetInfo | None) -> bool:
        """Whether ``action`` types into a secret field. Unknown counts as secret (only the record is masked)."""
        if not isinstance(action, TypeText):
            return False
        if target is not None and target.is_password:
            return True
        if not isinstance(self.computer, SecretFocus):
            return False
        try:
            return await self._timed(self.computer.focus_is_secret(), self.limits.check_timeout_s, "read the focus")
        except ComputerError:
            return True

    async def _hand_over_if_asked(self) -> None:
        """If a person asked to take over, park until they hand back; then look afresh."""
        self.control.checkpoint()
        by = self.control.takeover_by
        if by is None:
            return
        await self._emit(TakeoverStarted(task_id=self._task_id, step=self._step, by=by))
        summary = await self.control.park()
        after = await self._capture()
        changes = what_changed(self._last_frame, after, self.regions)
        summary = "; ".join(part for part in (summary, changes) if part)
        await self._emit(TakeoverEnded(task_id=self._task_id, step=self._step, by=by, summary=summary))
        self.feedback.append(f"{by} {TAKEOVER_FEEDBACK} ({summary}); look at the screen again before acting")
        self._next_frame = after
        if self.verifier is not None:  # what moves by itself may differ on the page the person left
            await self._timed(self.verifier.learn(self._capture), self.limits.capture_timeout_s, "watch the page")

    async def _went_stale(self, step: int, decision: Decision, frame: Frame) -> bool:
        """The stale-frame guard: if the screen around the target changed while the brain was
        deciding (a popup, a banner, a layout shift), do not act; look again and re-decide."""
        action = decision.action
        if not isinstance(action, Click | Scroll):
            return False
        fresh = await self.watch.stale(frame, Box(action.x - 60, action.y - 30, 120, 60))
        if fresh is None:
            return False
        reason = "the screen around the target changed between looking and acting; looking again"
        await self._emit(Skipped(task_id=self._task_id, step=step, action=action, reason=reason))
        self._next_frame = fresh
        self._not_run(step, decision, reason, stale=True)
        return True

    def _not_run(self, step: int, decision: Decision, feedback: str, *, stale: bool) -> None:
        self.feedback.append(feedback)
        outcome = "stale" if stale else "not run"
        self.history.append(StepRecord(step=step, action=decision.action, thought=decision.thought, outcome=outcome))

    @property
    def watch(self) -> Watch:
        if self._watch is None:
            self._watch = Watch(self._task_id, self._capture, self.verifier, self.regions)
        return self._watch

    async def _decide(self, step: int, frame: Frame) -> Decision | None:
        """The brain's next decision, or None when a person asks to take over while it thinks."""
        spec = self._require_spec()
        inp = BrainInput(
            instruction=spec.instruction,
            frame=frame,
            step=step,
            history=tuple(self.history),
            feedback=tuple(self.feedback),
        )
        thinking = asyncio.ensure_future(self._timed(self.brain.decide(inp), self.limits.decide_timeout_s, "decide"))
        asked = asyncio.ensure_future(self.control.wait_requested())
        try:
            await asyncio.wait({thinking, asked}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            asked.cancel()
            if not thinking.done():
                thinking.cancel()
                await asyncio.gather(thinking, return_exceptions=True)
        if thinking.cancelled():
            return None  # a takeover or a cancel came first
        try:
            decision = thinking.result()
        except ComputerError as exc:
            raise BrainError(f"the {self.brain.name} brain failed: {exc}") from exc
        self.feedback.clear()
        return decision

    async def _check(self, step: int, action: Action, frame: Frame, target: TargetInfo | None) -> CheckResult:
        started = time.perf_counter()
        if isinstance(action, Wait):
            result = CheckResult(verdict="allow", reason="waiting commits nothing")
        else:
            target = target or await self._probe(action, frame)
            result = await self.checker.check(action, target, frame)
        await self._emit(
            Checked(
                task_id=self._task_id,
                step=step,
                checker=self.checker.name,
                verdict=result.verdict,
                category=result.category,
                reason=result.reason,
                evidence=result.evidence,
                target=result.target,
                ms=(time.perf_counter() - started) * 1000,
            )
        )
        return result

    async def _probe(self, action: Action, frame: Frame) -> TargetInfo | None:
        """Describe the target from the DOM when the computer can; read it with OCR when not."""
        target = None
        if isinstance(self.computer, Prober):
            target = await self._timed(self.computer.probe(action), self.limits.check_timeout_s, "probe the target")
        if self.reader is None or not isinstance(action, Click) or (target is not None and target.has_text):
            return target
        if target is not None and target.source == "none":
            return target  # the probe failed: the checker halts on that, OCR does not paper over it
        if target is not None and target.is_text_field:
            return target  # OCR there would read what is typed in the field, or a neighbour's label
        text = await self._timed(
            asyncio.to_thread(self.reader.text_near, frame.data, action.point),
            self.limits.check_timeout_s,
            "read the target's text",
        )
        base = target or TargetInfo(source="none", url=frame.url, title=frame.title)
        return base.model_copy(update={"source": "ocr", "text": text}) if text else base

    async def _act(self, step: int, decision: Decision, shown: Decision, before: Frame, focus: Box) -> None:
        """Dispatch ``decision``'s action; events and history carry ``shown`` (secrets masked)."""
        action = decision.action
        started = time.perf_counter()
        error = ""
        try:
            await dispatch(self.computer, action, timeout_s=self.limits.action_timeout_s)
        except SessionClosed:
            raise
        except ComputerError as exc:
            error = str(exc)
            self.feedback.append(f"your last action ({describe_action(action)}) failed: {error}")
        await self._emit(
            Executed(
                task_id=self._task_id,
                step=step,
                action=shown.action,
                ok=not error,
                error=error,
                ms=(time.perf_counter() - started) * 1000,
            )
        )
        outcome = f"error: {error}" if error else "ok"
        self.history.append(StepRecord(step=step, action=shown.action, thought=shown.thought, outcome=outcome))
        await self._timed(self.computer.settle(), self.limits.navigation_timeout_s + 1, "wait for the page to load")
        seen = await self._timed(
            self.watch.after(step, action, before, focus), self.limits.navigation_timeout_s, "verify the effect"
        )
        if seen is None:
            return
        await self._emit(seen.event)
        self._next_frame = seen.next_frame
        if seen.feedback:
            self.feedback.append(seen.feedback)
        if seen.stuck:
            raise _Finish("failed", seen.stuck)

    async def _finish(self, outcome: Outcome, reason: str = "", answer: str = "") -> TaskResult:
        spec = self._require_spec()
        result = TaskResult(spec.task_id, outcome, reason, answer, steps=len(self.history))
        try:
            await self._emit(
                Finished(
                    task_id=spec.task_id,
                    step=self._step,
                    outcome=outcome,
                    reason=reason,
                    answer=answer,
                    steps=result.steps,
                )
            )
        except Exception:  # the result still reaches the caller if the sink broke
            log.exception("could not record the end of task %s", spec.task_id)
        return result

    async def _capture(self) -> Frame:
        return await self._timed(self.computer.capture(), self.limits.capture_timeout_s, "capture the screen")

    async def _emit(self, event: Event, frame: Frame | None = None) -> None:
        await self.sink.emit(event, frame)

    async def _timed(self, call: Awaitable[T], timeout_s: float, what: str) -> T:
        try:  # asyncio.timeout, not wait_for: on 3.11 wait_for drops a cancel that meets a finished call
            async with asyncio.timeout(timeout_s):
                return await call
        except TimeoutError as exc:
            raise ComputerError(f"could not {what}: no answer within {timeout_s:g} s") from exc

    def _require_spec(self) -> TaskSpec:
        if self._spec is None:
            raise RuntimeError("the operator has no task")
        return self._spec

    @property
    def _task_id(self) -> str:
        return self._require_spec().task_id

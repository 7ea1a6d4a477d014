"""The phases of one step that compute rather than record: decide, describe the target, check, act.

Each returns a typed value and emits nothing; the loop (``loop.py``) records what they return, so
the events of a step and their order are written in one place. Every call that leaves the process
runs under ``within`` (``asyncio.timeout``, never ``asyncio.wait_for``: on Python 3.11 ``wait_for``
can drop a cancel that arrives together with the call's answer).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

from homebody.errors import BrainError, ComputerError, SessionClosed
from homebody.operator.control import TaskControl
from homebody.operator.dispatch import dispatch
from homebody.operator.handover import redact_typed_secret
from homebody.protocols import Brain, Checker, Computer, Prober, SecretFocus, TextReader
from homebody.types import Action, BrainInput, CheckResult, Click, Decision, Frame, TargetInfo, TypeText, Wait

T = TypeVar("T")


async def within(call: Awaitable[T], timeout_s: float, what: str) -> T:
    """``call``'s answer, or a ``ComputerError`` saying what did not answer in time."""
    try:
        async with asyncio.timeout(timeout_s):
            return await call
    except TimeoutError as exc:
        raise ComputerError(f"could not {what}: no answer within {timeout_s:g} s") from exc


@dataclass(frozen=True, slots=True)
class Proposal:
    """A decision as it will run, and as events and history record it (a typed secret redacted)."""

    decision: Decision
    redacted: Decision
    target: TargetInfo | None  # already described (typing), else None: the check describes it


@dataclass(frozen=True, slots=True)
class Judged:
    """The checker's verdict on an action, and how long describing and judging it took."""

    result: CheckResult
    ms: float


@dataclass(frozen=True, slots=True)
class Acted:
    """How dispatching an action went: ``error`` is empty when it ran."""

    error: str
    ms: float


async def decide(brain: Brain, control: TaskControl, inp: BrainInput, timeout_s: float) -> Decision | None:
    """The brain's next decision, or None when a takeover or a cancel is asked for while it thinks."""
    thinking = asyncio.ensure_future(within(brain.decide(inp), timeout_s, "decide"))
    asked = asyncio.ensure_future(control.wait_requested())
    try:
        await asyncio.wait({thinking, asked}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        asked.cancel()
        if not thinking.done():
            thinking.cancel()
            # Whatever a cancelled brain raises while it unwinds is dropped with its decision.
            await asyncio.gather(thinking, return_exceptions=True)
    if thinking.cancelled():
        return None
    try:
        return thinking.result()
    except ComputerError as exc:
        raise BrainError(f"the {brain.name} brain failed: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Targets:
    """Describes what an action is aimed at: from the DOM when the computer can probe, by OCR when not."""

    computer: Computer
    reader: TextReader | None
    timeout_s: float

    async def describe(self, action: Action, frame: Frame) -> TargetInfo | None:
        target = None
        if isinstance(self.computer, Prober):
            target = await within(self.computer.probe(action), self.timeout_s, "probe the target")
        if self.reader is None or not isinstance(action, Click) or (target is not None and target.has_text):
            return target
        if target is not None and target.source == "none":
            return target  # the probe failed: the checker halts on that, OCR does not paper over it
        if target is not None and target.is_text_field:
            return target  # OCR there would read what is typed in the field, or a neighbour's label
        text = await within(
            asyncio.to_thread(self.reader.text_near, frame.data, action.point), self.timeout_s, "read the target's text"
        )
        base = target or TargetInfo(source="none", url=frame.url, title=frame.title)
        return base.model_copy(update={"source": "ocr", "text": text}) if text else base

    async def typing_secret(self, action: Action, target: TargetInfo | None) -> bool:
        """Whether ``action`` types into a secret field. Unknown counts as secret (only the record is masked)."""
        if not isinstance(action, TypeText):
            return False
        if target is not None and target.is_password:
            return True
        if not isinstance(self.computer, SecretFocus):
            return False
        try:
            return await within(self.computer.focus_is_secret(), self.timeout_s, "read the focus")
        except ComputerError:
            return True


async def propose(targets: Targets, decision: Decision, frame: Frame) -> Proposal:
    """The decision and its record: typing is described first, to know whether it types a secret."""
    action = decision.action
    target = await targets.describe(action, frame) if isinstance(action, TypeText) else None
    secret = await targets.typing_secret(action, target)
    return Proposal(decision, redact_typed_secret(decision) if secret else decision, target)


async def check(checker: Checker, targets: Targets, action: Action, frame: Frame, target: TargetInfo | None) -> Judged:
    """The checker's verdict on ``action`` (waiting commits nothing, so it is not asked)."""
    started = time.perf_counter()
    if isinstance(action, Wait):
        result = CheckResult(verdict="allow", reason="waiting commits nothing")
    else:
        result = await checker.check(action, target or await targets.describe(action, frame), frame)
    return Judged(result, (time.perf_counter() - started) * 1000)


async def act(computer: Computer, action: Action, timeout_s: float) -> Acted:
    """Dispatch ``action``. A failed action is an answer for the brain; a lost session ends the task."""
    started = time.perf_counter()
    error = ""
    try:
        await dispatch(computer, action, timeout_s=timeout_s)
    except SessionClosed:
        raise
    except ComputerError as exc:
        error = str(exc)
    return Acted(error, (time.perf_counter() - started) * 1000)

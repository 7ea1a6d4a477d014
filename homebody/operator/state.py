"""One task's state while an operator runs it, and how each step ends.

The wiring (computer, brain, checker, sinks, limits, …) lives in ``Operator`` and outlives a task;
what belongs to one task lives in ``Run``. Every step ends with a ``StepEnd``: either the task goes
on, and the step hands the next one a ``Carry`` (where to start looking, what to tell the brain),
or the task has ``Ended``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from homebody.events import Outcome
from homebody.operator.task import TaskSpec
from homebody.types import Action, Frame, Point, StepRecord, TargetInfo


@dataclass(frozen=True, slots=True)
class Carry:
    """What one step leaves for the next."""

    frame: Frame | None = None  # where the next step starts looking; None: capture afresh
    feedback: tuple[str, ...] = ()  # what to tell the brain with its next decision
    misses: tuple[Point, ...] = ()  # no-effect clicks in a row at about one place (stuck detection)


@dataclass(frozen=True, slots=True)
class Ended:
    """How a task ended: from a step (done, failed, halted) or from an error or a cancel."""

    outcome: Outcome
    reason: str = ""
    answer: str = ""


@dataclass(frozen=True, slots=True)
class StepEnd:
    """How a step ended: the task goes on from ``carry``, or it has ``ended``."""

    carry: Carry = Carry()
    ended: Ended | None = None


@dataclass
class Run:
    """The state of one task: changed only by the loop, between and at the edges of its phases."""

    spec: TaskSpec
    step: int = 0
    history: list[StepRecord] = field(default_factory=list)  # what the brain sees of its own past
    carry: Carry = Carry()
    seen: Frame | None = None  # what the latest step looked at: a takeover's changes are told against it
    acted: HeldContext | None = None  # the latest action that ran: what is held later is still its


@dataclass(frozen=True, slots=True)
class HeldContext:
    """What a held effect is asked about with: the step's action (as recorded), its target and the
    frame it was decided on; ``told`` collects what the user's answers tell the brain."""

    run: Run
    action: Action
    target: TargetInfo | None
    before: Frame
    told: list[str]

"""The operator of one task, with the concrete classes it runs with.

The rules checker behind a crash-proof chain, a per-task policy that also stores the user's grants,
the effect gate's screen on the task's scope, OCR for targets without a DOM, pixel tools, and the
visual verifier. Every task's operator is built
here (by the task runner), so a task behaves the same whichever way it was started.
"""

from __future__ import annotations

from homebody.config import OCR_THREADS, Settings
from homebody.events import EventSink
from homebody.operator.control import TaskControl
from homebody.operator.effects import EffectWatch
from homebody.operator.loop import Operator
from homebody.protocols import Approver, Brain, Computer
from homebody.safety.chain import CheckerChain
from homebody.safety.checker import RulesChecker
from homebody.safety.effect_rules import EffectRules
from homebody.safety.policy import Policy
from homebody.safety.scope import TaskScope
from homebody.types import TaskSpec
from homebody.vision.pixels.ocr import OcrReader
from homebody.vision.pixels.regions import RegionTools
from homebody.vision.pixels.verifier import PixelVerifier


def build_operator(
    settings: Settings,
    *,
    task_id: str,
    computer: Computer,
    brain: Brain,
    sink: EventSink,
    control: TaskControl | None = None,
    approver: Approver | None = None,
    reader: OcrReader | None = None,
    task: TaskSpec | None = None,
) -> Operator:
    """An operator for one task. With no approver a halt ends the task (fails closed). With the
    task's record (its start URL, sites and ask policy) the effect gate holds what it sends."""
    policy = Policy()
    effects = None
    if task is not None:
        scope = TaskScope(task.start_url, task.sites)
        effects = EffectWatch(EffectRules(policy, scope, task_id), ask=task.ask)
    return Operator(
        computer=computer,
        brain=brain,
        checker=CheckerChain([RulesChecker(policy, task_id)], timeout_s=settings.limits.check_timeout_s),
        sink=sink,
        limits=settings.limits,
        control=control or TaskControl(),
        approver=approver,
        grants=policy,
        reader=reader or OcrReader(threads=OCR_THREADS),
        regions=RegionTools(),
        verifier=PixelVerifier(),
        effects=effects,
    )

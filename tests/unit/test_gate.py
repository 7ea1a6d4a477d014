"""Halts through the gate: approve runs exactly the action, reject tells the brain, grants, guards."""

from __future__ import annotations

import asyncio

import cv2
import numpy as np

from homebody.config import Limits
from homebody.events import Approved, Executed, Granted, Halted, Rejected, Skipped
from homebody.operator.loop import Operator
from homebody.operator.sinks import MemorySink
from homebody.operator.task import TaskSpec
from homebody.safety.policy import Policy
from homebody.types import (
    Action,
    ApprovalDecision,
    BrainInput,
    CheckResult,
    Click,
    Decision,
    Frame,
    TargetInfo,
)
from homebody.vision.pixels.regions import RegionTools
from homebody.vision.scripted import ScriptBrain
from tests.fakes import FakeComputer, ScreenComputer


def jpeg(marker: int = 0) -> bytes:
    image = np.full((800, 1280, 3), 240, np.uint8)
    cv2.rectangle(image, (100, 100), (300, 160), (200, 80, 20), -1)
    if marker:
        cv2.rectangle(image, (120, 110), (280, 150), (0, 0, 255), -1)  # same brightness, other colour
    return cv2.imencode(".jpg", image)[1].tobytes()


class PolicyChecker:
    """Halts clicks as purchases unless the policy says otherwise (the real policy object)."""

    name = "policy"

    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    async def check(self, action: Action, target: TargetInfo | None, frame: Frame) -> CheckResult:
        if not isinstance(action, Click):
            return CheckResult(verdict="allow")
        verdict, why = self.policy.verdict("purchase", frame.url, "t1")
        target = TargetInfo(name="Pay now", url=frame.url, box=(100, 100, 200, 60))
        return CheckResult(verdict=verdict, category="purchase", reason=why or "pays", target=target)


class Answers:
    def __init__(self, *answers: ApprovalDecision) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[Halted, bytes | None]] = []

    async def decide(self, halted: Halted, crop: bytes | None) -> ApprovalDecision:
        self.asked.append((halted, crop))
        return self.answers.pop(0)


def run(computer: FakeComputer, actions: list, answers: Answers, policy: Policy | None = None, brain=None):
    policy = policy or Policy()
    sink = MemorySink()
    op = Operator(
        computer=computer,
        brain=brain or ScriptBrain(actions),
        checker=PolicyChecker(policy),
        sink=sink,
        limits=Limits(),
        approver=answers,
        grants=policy,
        regions=RegionTools(),
    )
    result = asyncio.run(op.run(TaskSpec("t1", "pay", "", "script", None, 10)))
    return result, sink.events


def clicks(computer: FakeComputer) -> list[object]:
    return [arg for name, arg in computer.calls if name == "click"]


def test_approval_runs_exactly_the_proposed_action_and_shows_a_crop() -> None:
    computer = ScreenComputer([jpeg()])
    answers = Answers(ApprovalDecision(approved=True))
    result, events = run(computer, [Click(x=200, y=130)], answers)
    assert result.outcome == "done"
    assert clicks(computer) == [(200, 130, "left", 1)]
    halted, crop = answers.asked[0]
    assert halted.category == "purchase" and halted.crop == "frames/0001-halt.jpg"
    assert crop is not None and cv2.imdecode(np.frombuffer(crop, np.uint8), cv2.IMREAD_COLOR).shape[:2] == (108, 248)
    kinds = [e.type for e in events]
    assert kinds.index("halted") < kinds.index("approved") < kinds.index("executed")


def test_rejection_is_fed_back_and_the_action_never_runs() -> None:
    seen: list[tuple[str, ...]] = []

    class Listening(ScriptBrain):
        async def decide(self, inp: BrainInput) -> Decision:
            seen.append(inp.feedback)
            return await super().decide(inp)

    computer = ScreenComputer([jpeg()])
    answers = Answers(ApprovalDecision(approved=False, note="too expensive"))
    result, events = run(computer, [], answers, brain=Listening([Click(x=200, y=130)]))
    assert result.outcome == "done"
    assert clicks(computer) == []
    assert any(isinstance(e, Rejected) and e.note == "too expensive" for e in events)
    assert "the user rejected" in seen[1][0] and "too expensive" in seen[1][0]
    assert not any(isinstance(e, Executed) for e in events)


def test_an_approved_action_is_not_run_if_the_screen_changed_around_the_target() -> None:
    # observe, the stale-frame guard before the check (unchanged), then the check after approval (changed)
    computer = ScreenComputer([jpeg(), jpeg(), jpeg(marker=1)])
    answers = Answers(ApprovalDecision(approved=True), ApprovalDecision(approved=False))
    _, events = run(computer, [Click(x=200, y=130)], answers)
    assert clicks(computer) == []
    skipped = [e for e in events if isinstance(e, Skipped)]
    assert len(skipped) == 1 and "changed after it was checked" in skipped[0].reason
    assert len(answers.asked) == 2  # the brain proposed it again on the new screen, and was asked again


def test_after_a_stale_approval_the_next_step_starts_from_the_capture_that_showed_the_change() -> None:
    captured: list[Frame] = []
    given: list[Frame] = []

    class Keeping(ScreenComputer):
        async def capture(self) -> Frame:
            captured.append(await super().capture())
            return captured[-1]

    class Looking(ScriptBrain):
        async def decide(self, inp: BrainInput) -> Decision:
            given.append(inp.frame)
            return await super().decide(inp)

    computer = Keeping([jpeg(), jpeg(), jpeg(marker=1)])
    answers = Answers(ApprovalDecision(approved=True), ApprovalDecision(approved=False))
    run(computer, [], answers, brain=Looking([Click(x=200, y=130)]))
    # observe, the guard, the gate's look after the approval (changed): the next step looks at that one
    assert given[1] is captured[2]


def test_a_task_grant_allows_the_same_category_on_the_same_site_for_this_task_only() -> None:
    policy = Policy()
    computer = ScreenComputer([jpeg()])
    answers = Answers(ApprovalDecision(approved=True, grant="task"))
    _, events = run(computer, [Click(x=200, y=130), Click(x=200, y=131)], answers, policy)
    assert len(answers.asked) == 1  # the second purchase click was allowed by the grant
    assert len(clicks(computer)) == 2
    granted = [e for e in events if isinstance(e, Granted)]
    assert granted[0].site == "shop.example" and granted[0].scope == "task"
    assert policy.verdict("purchase", "https://shop.example/x", "another-task")[0] == "halt"
    assert policy.verdict("purchase", "https://evil.example/x", "t1")[0] == "halt"
    assert sum(isinstance(e, Approved) for e in events) == 1


def test_timed_grants_expire() -> None:
    now = [1000.0]
    policy = Policy(clock=lambda: now[0])
    from homebody.types import Grant

    policy.add(Grant(site="bank.example", category="transfer", scope="timed", expires_at=1060))
    assert policy.verdict("transfer", "https://bank.example/t", None)[0] == "allow"
    now[0] = 1061
    assert policy.verdict("transfer", "https://bank.example/t", None)[0] == "halt"


def test_blocked_categories_are_skipped_without_asking() -> None:
    policy = Policy({"purchase": "block"})
    computer = ScreenComputer([jpeg()])
    answers = Answers()
    result, events = run(computer, [Click(x=200, y=130)], answers, policy)
    assert result.outcome == "done" and answers.asked == [] and clicks(computer) == []
    assert any(isinstance(e, Skipped) and "blocked" in e.reason for e in events)


def test_without_an_approver_the_task_stops_halted() -> None:
    computer = ScreenComputer([jpeg()])
    sink = MemorySink()
    op = Operator(computer, ScriptBrain([Click(x=200, y=130)]), PolicyChecker(Policy()), sink, Limits())
    result = asyncio.run(op.run(TaskSpec("t1", "pay", "", "script", None, 10)))
    assert result.outcome == "halted" and clicks(computer) == []

"""The operator loop on a fake computer: outcomes, budget, cancel, halts, errors as feedback."""

from __future__ import annotations

import asyncio

from homebody.config import Limits
from homebody.events import Checked, Executed, Finished, Halted, Observed, Proposed
from homebody.operator.control import TaskControl
from homebody.operator.loop import Operator
from homebody.operator.sinks import MemorySink
from homebody.operator.task import TaskSpec
from homebody.safety.chain import CheckerChain
from homebody.types import BrainInput, Click, Decision, Done, Frame, KeyCombo, TypeText, Wait
from homebody.vision.scripted import ScriptBrain
from tests.fakes import AllowAll, FakeComputer, VerdictChecker


def spec(max_steps: int = 10) -> TaskSpec:
    return TaskSpec("t1", "test", "http://start.example/", "script", None, max_steps)


def make(actions: list, computer: FakeComputer | None = None, checker: object = None, **kw: object):
    sink = MemorySink()
    op = Operator(
        computer=computer or FakeComputer(),
        brain=ScriptBrain(actions),
        checker=checker or CheckerChain([AllowAll()]),  # type: ignore[arg-type]
        sink=sink,
        limits=Limits(),
        **kw,  # type: ignore[arg-type]
    )
    return op, sink


def test_script_runs_in_order_and_ends_done() -> None:
    computer = FakeComputer()
    op, sink = make(
        [Click(x=10, y=20), TypeText(text="hi"), KeyCombo(keys=("Control", "Enter")), Done(answer="ok")], computer
    )
    result = asyncio.run(op.run(spec()))
    assert result.outcome == "done" and result.answer == "ok" and result.steps == 3
    assert computer.calls == [
        ("navigate", "http://start.example/"),
        ("click", (10, 20, "left", 1)),
        ("type", "hi"),
        ("press", ("Control", "Enter")),
    ]
    types = [e.type for e in sink.events]
    assert types[0] == "task_started" and types[-1] == "finished"
    observed = [e for e in sink.events if isinstance(e, Observed)]
    assert [o.frame for o in observed] == ["frames/0001.jpg", "frames/0002.jpg", "frames/0003.jpg", "frames/0004.jpg"]


def test_running_out_of_script_is_done() -> None:
    op, _ = make([Wait(seconds=0.01)])
    assert asyncio.run(op.run(spec())).outcome == "done"


def test_step_budget_fails_the_task() -> None:
    op, sink = make([Click(x=1, y=1)] * 5)
    result = asyncio.run(op.run(spec(max_steps=3)))
    assert result.outcome == "failed" and "step budget" in result.reason
    assert sum(isinstance(e, Executed) for e in sink.events) == 3


def test_halt_parks_the_task_before_the_action_is_dispatched() -> None:
    computer = FakeComputer()
    op, sink = make([TypeText(text="x"), Click(x=5, y=5), TypeText(text="after")], computer, VerdictChecker("halt"))
    result = asyncio.run(op.run(spec()))
    assert result.outcome == "halted"
    assert ("click", (5, 5, "left", 1)) not in computer.calls
    assert ("type", "after") not in computer.calls
    halted = [e for e in sink.events if isinstance(e, Halted)]
    assert len(halted) == 1 and halted[0].category == "purchase"
    assert isinstance(sink.events[-1], Finished) and sink.events[-1].outcome == "halted"


def test_a_crashing_checker_halts_instead_of_allowing() -> None:
    computer = FakeComputer()
    op, sink = make([Click(x=5, y=5)], computer, CheckerChain([VerdictChecker("allow", crash=True)]))
    result = asyncio.run(op.run(spec()))
    assert result.outcome == "halted"
    assert all(name != "click" for name, _ in computer.calls)
    checked = [e for e in sink.events if isinstance(e, Checked)]
    assert checked[0].verdict == "halt" and "checker exploded" in checked[0].reason


def test_an_action_error_is_fed_back_to_the_brain_and_the_task_goes_on() -> None:
    seen_feedback: list[tuple[str, ...]] = []

    class Listening(ScriptBrain):
        async def decide(self, inp: BrainInput) -> Decision:
            seen_feedback.append(inp.feedback)
            return await super().decide(inp)

    sink = MemorySink()
    op = Operator(
        FakeComputer(fail_on="type"),
        Listening([TypeText(text="x"), Click(x=1, y=1)]),
        CheckerChain([AllowAll()]),
        sink,
        Limits(),
    )
    result = asyncio.run(op.run(spec()))
    assert result.outcome == "done"
    failed = [e for e in sink.events if isinstance(e, Executed) and not e.ok]
    assert len(failed) == 1 and "broken on purpose" in failed[0].error
    assert any("failed" in f for f in seen_feedback[1])
    assert seen_feedback[2] == ()


def test_a_lost_browser_fails_the_task_with_the_reason() -> None:
    op, sink = make([Click(x=1, y=1)] * 5, FakeComputer(close_after=2))
    result = asyncio.run(op.run(spec()))
    assert result.outcome == "failed" and "closed unexpectedly" in result.reason
    assert isinstance(sink.events[-1], Finished)


def test_cancel_stops_at_the_next_checkpoint() -> None:
    control = TaskControl()
    computer = FakeComputer()

    class Cancelling(ScriptBrain):
        async def decide(self, inp: BrainInput) -> Decision:
            if inp.step == 2:
                control.cancel("user pressed cancel")
            return await super().decide(inp)

    op = Operator(
        computer, Cancelling([Click(x=1, y=1)] * 5), CheckerChain([AllowAll()]), MemorySink(), Limits(), control
    )
    result = asyncio.run(op.run(spec()))
    assert result.outcome == "cancelled" and result.reason == "user pressed cancel"
    assert len([c for c in computer.calls if c[0] == "click"]) == 1


def test_interrupt_is_recorded_as_interrupted() -> None:
    sink = MemorySink()
    op = Operator(FakeComputer(), ScriptBrain([Wait(seconds=30)]), CheckerChain([AllowAll()]), sink, Limits())

    async def main() -> str:
        task = asyncio.create_task(op.run(spec()))
        while not any(isinstance(e, Proposed) for e in sink.events):  # the 30 s wait has begun
            await asyncio.sleep(0.01)
        task.cancel()
        return (await task).outcome

    assert asyncio.run(main()) == "interrupted"
    assert isinstance(sink.events[-1], Finished) and sink.events[-1].outcome == "interrupted"


class CancelsWhileCapturing(FakeComputer):
    """Cancels the task running it from inside a capture that then completes at once: the cancel
    and the capture's answer arrive together, the moment a timeout wrapper can lose a cancel."""

    task: asyncio.Task[object] | None = None

    async def capture(self) -> Frame:
        if self.task is not None and any(name == "click" for name, _ in self.calls):
            self.task.cancel()
        return await super().capture()


def test_a_cancel_that_arrives_with_a_finished_capture_is_not_lost() -> None:
    computer = CancelsWhileCapturing()
    sink = MemorySink()
    op = Operator(
        computer, ScriptBrain([Click(x=1, y=1), Wait(seconds=30)]), CheckerChain([AllowAll()]), sink, Limits()
    )

    async def main() -> str:
        computer.task = asyncio.create_task(op.run(spec()))
        return (await asyncio.wait_for(computer.task, 10)).outcome

    assert asyncio.run(main()) == "interrupted"
    proposed = [e.action for e in sink.events if isinstance(e, Proposed)]
    assert proposed == [Click(x=1, y=1)], "the task went on to its next step after the cancel"


def test_one_operator_runs_tasks_one_after_another_each_from_a_clean_state() -> None:
    seen: list[tuple[int, int, tuple[str, ...]]] = []

    class Twice:
        """Types (which fails on this computer) at step 1, finishes at step 2; remembers what it was given."""

        name = "twice"

        async def decide(self, inp: BrainInput) -> Decision:
            seen.append((inp.step, len(inp.history), inp.feedback))
            return Decision(action=TypeText(text="x") if inp.step == 1 else Done(answer="ok"))

    sink = MemorySink()
    op = Operator(FakeComputer(fail_on="type"), Twice(), CheckerChain([AllowAll()]), sink, Limits())
    first, second = asyncio.run(op.run(spec())), asyncio.run(op.run(spec()))
    assert first.outcome == second.outcome == "done" and first.steps == second.steps == 1
    assert seen[0] == seen[2] == (1, 0, ())  # the second task starts with no history and no feedback
    assert seen[1][:2] == seen[3][:2] == (2, 1) and "failed" in seen[3][2][0]
    finished = [e for e in sink.events if isinstance(e, Finished)]
    assert [(f.step, f.steps) for f in finished] == [(2, 1), (2, 1)]

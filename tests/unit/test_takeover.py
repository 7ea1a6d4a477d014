"""Takeover and secret masking in the loop, on fake computers: pause, forward, record, resume."""

from __future__ import annotations

import asyncio

import pytest

from homebody.config import Limits
from homebody.errors import NoTakeover
from homebody.events import Finished, Halted, HumanInput, Observed, Proposed, Skipped, TakeoverEnded, TakeoverStarted
from homebody.operator.control import TaskControl
from homebody.operator.handover import redact_typed_secret
from homebody.operator.loop import Operator
from homebody.operator.sinks import MemorySink
from homebody.operator.takeover import Takeover
from homebody.operator.task import TaskSpec
from homebody.safety.chain import CheckerChain
from homebody.types import (
    SECRET_MASK,
    BrainInput,
    CheckResult,
    Decision,
    Done,
    InputEvent,
    StepRecord,
    TargetInfo,
    TypeText,
    Wait,
)
from homebody.vision.scripted import ScriptBrain
from tests.fakes import AllowAll, FakeComputer


class InputComputer(FakeComputer):
    """A fake computer that also takes a person's input, and says whether the focus is secret."""

    def __init__(self, secret_focus: bool = False) -> None:
        super().__init__()
        self.inputs: list[InputEvent] = []
        self.secret_focus = secret_focus

    async def human_input(self, ev: InputEvent) -> None:
        self.inputs.append(ev)

    async def focus_is_secret(self) -> bool:
        return self.secret_focus


class SlowBrain:
    """Thinks for a long time, then waits; remembers the feedback it was given."""

    name = "slow"

    def __init__(self) -> None:
        self.calls = 0
        self.feedback: list[tuple[str, ...]] = []

    async def decide(self, inp: BrainInput) -> Decision:
        self.calls += 1
        self.feedback.append(inp.feedback)
        if self.calls == 1:
            await asyncio.sleep(30)  # interrupted by the takeover long before this ends
        return Decision(action=Done(answer="finished"))


def spec() -> TaskSpec:
    return TaskSpec("t1", "test", "", "script", None, 10)


def operator(computer: FakeComputer, brain: object, control: TaskControl, sink: MemorySink) -> Operator:
    return Operator(
        computer=computer,
        brain=brain,  # type: ignore[arg-type]
        checker=CheckerChain([AllowAll()]),
        sink=sink,
        limits=Limits(),
        control=control,
    )


def test_a_takeover_interrupts_a_thinking_brain_records_the_input_and_resumes() -> None:
    computer, control, sink, brain = InputComputer(), TaskControl(), MemorySink(), SlowBrain()

    async def main() -> None:
        run = asyncio.create_task(operator(computer, brain, control, sink).run(spec()))
        await asyncio.sleep(0.05)
        takeover = Takeover("t1", computer, control, sink)
        assert await takeover.begin("alice", timeout_s=5)
        assert any(isinstance(e, TakeoverStarted) and e.by == "alice" for e in sink.events)
        await takeover.send(InputEvent(kind="click", x=10, y=20))
        await takeover.send(InputEvent(kind="text", text="hello"))
        await takeover.send(InputEvent(kind="key", key="Enter"))
        assert not run.done()  # the agent waits for the person
        summary = await takeover.end()
        result = await asyncio.wait_for(run, 5)
        assert result.outcome == "done" and result.answer == "finished"
        assert summary == "alice clicked 1 time, pressed Enter, typed 5 characters"

    asyncio.run(main())
    assert [e.kind for e in computer.inputs] == ["click", "text", "key"]
    human = [e for e in sink.events if isinstance(e, HumanInput)]
    assert [h.input.kind for h in human] == ["click", "text", "key"] and human[1].input.text == "hello"
    ended = [e for e in sink.events if isinstance(e, TakeoverEnded)]
    assert len(ended) == 1 and ended[0].summary.startswith("alice clicked 1 time")
    # The brain's first decision was dropped; its next one was told what happened.
    assert brain.calls == 2 and any("alice took over" in f for f in brain.feedback[1])
    # It looked at the screen afresh after the takeover.
    types = [e.type for e in sink.events]
    assert types.index("takeover_ended") < max(i for i, t in enumerate(types) if t == "observed")


def test_input_into_a_secret_field_is_recorded_masked_but_sent_as_typed() -> None:
    computer, control, sink = InputComputer(secret_focus=True), TaskControl(), MemorySink()

    async def main() -> None:
        run = asyncio.create_task(operator(computer, ScriptBrain([Wait(seconds=0.01)]), control, sink).run(spec()))
        takeover = Takeover("t1", computer, control, sink)
        assert await takeover.begin(timeout_s=5)
        await takeover.send(InputEvent(kind="text", text="hunter2"))
        await takeover.send(InputEvent(kind="key", key="x"))
        await takeover.end()
        assert (await asyncio.wait_for(run, 5)).outcome == "done"

    asyncio.run(main())
    assert computer.inputs[0].text == "hunter2" and computer.inputs[1].key == "x"
    recorded = [e.input for e in sink.events if isinstance(e, HumanInput)]
    assert recorded[0].text == SECRET_MASK and recorded[1].key == "•"
    assert "hunter2" not in "".join(e.model_dump_json() for e in sink.events)


def test_input_without_a_takeover_is_refused() -> None:
    computer, control, sink = InputComputer(), TaskControl(), MemorySink()
    with pytest.raises(NoTakeover):
        asyncio.run(Takeover("t1", computer, control, sink).send(InputEvent(kind="click", x=1, y=1)))
    assert computer.inputs == []


def test_cancel_while_parked_ends_the_task_cancelled() -> None:
    computer, control, sink = InputComputer(), TaskControl(), MemorySink()

    async def main() -> str:
        run = asyncio.create_task(operator(computer, ScriptBrain([Wait(seconds=0.05)] * 50), control, sink).run(spec()))
        assert await Takeover("t1", computer, control, sink).begin(timeout_s=5)
        control.cancel("stop it")
        return (await asyncio.wait_for(run, 5)).outcome

    assert asyncio.run(main()) == "cancelled"
    assert isinstance(sink.events[-1], Finished) and sink.events[-1].reason == "stop it"


def test_a_released_takeover_that_never_parked_is_harmless() -> None:
    control = TaskControl()
    control.request_takeover("bob")
    control.release("nothing")

    async def main() -> str:
        return await control.park()

    assert asyncio.run(main()) == "nothing" and control.takeover_by is None


def test_text_typed_into_a_secret_field_is_masked_in_what_is_shown() -> None:
    decision = Decision(action=TypeText(text="s3cret!"), thought="type s3cret! into it", raw='{"text":"s3cret!"}')
    shown = redact_typed_secret(decision)
    assert shown.action == TypeText(text=SECRET_MASK)
    assert "s3cret!" not in shown.thought + shown.raw
    done = Decision(action=Done())
    assert redact_typed_secret(done) is done


def test_the_loop_records_typed_secrets_masked_and_types_them_for_real() -> None:
    class SecretProbe(FakeComputer):
        async def probe(self, action: object) -> TargetInfo:
            return TargetInfo(tag="input", is_password=True)

    histories: list[tuple[StepRecord, ...]] = []

    class Remembering(ScriptBrain):
        async def decide(self, inp: BrainInput) -> Decision:
            histories.append(inp.history)
            return await super().decide(inp)

    computer, sink = SecretProbe(), MemorySink()
    op = operator(computer, Remembering([TypeText(text="hunter2")]), TaskControl(), sink)
    assert asyncio.run(op.run(spec())).outcome == "done"
    assert ("type", "hunter2") in computer.calls
    assert "hunter2" not in "".join(e.model_dump_json() for e in sink.events)
    proposed = [e for e in sink.events if isinstance(e, Proposed)]
    assert proposed[0].action == TypeText(text=SECRET_MASK)
    history = histories[-1]  # the run's whole history, as the brain was given it for its last decision
    assert len(history) == 1 and all(s.action == TypeText(text=SECRET_MASK) for s in history)
    assert any(isinstance(e, Observed) for e in sink.events)


def test_a_halted_or_blocked_typed_secret_is_recorded_masked() -> None:
    """A halt on typing into a secret field (a newline that submits) records and shows the mask."""

    class SecretProbe(FakeComputer):
        async def probe(self, action: object) -> TargetInfo:
            return TargetInfo(tag="input", is_password=True, form=None)

    class HaltsTyping:
        name = "halts-typing"

        def __init__(self, verdict: str) -> None:
            self._verdict = verdict

        async def check(self, action: object, target: object, frame: object) -> CheckResult:
            return CheckResult(verdict=self._verdict, category="send", reason="typing ends in Enter")  # type: ignore[arg-type]

    for verdict in ("halt", "block"):
        computer, sink = SecretProbe(), MemorySink()
        op = Operator(
            computer=computer,
            brain=ScriptBrain([TypeText(text="hunter2\n")]),
            checker=CheckerChain([HaltsTyping(verdict)]),
            sink=sink,
            limits=Limits(),
        )
        asyncio.run(op.run(spec()))
        assert ("type", "hunter2\n") not in computer.calls
        assert "hunter2" not in "".join(e.model_dump_json() for e in sink.events), verdict
        shown = [e for e in sink.events if isinstance(e, Halted | Skipped)]
        assert shown and all(e.action == TypeText(text=SECRET_MASK) for e in shown), verdict

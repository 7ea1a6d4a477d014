"""The halt desk (approvals over HTTP) and the event feed (streams) on their own."""

from __future__ import annotations

import asyncio

from homebody.events import Finished, Halted, TaskStarted
from homebody.server.desk import HaltDesk
from homebody.server.feed import EventFeed
from homebody.types import ApprovalDecision, Click


def halted(step: int = 1) -> Halted:
    return Halted(task_id="t", step=step, action=Click(x=1, y=1), category="purchase", reason="pays")


def test_an_answer_only_counts_for_an_open_halt_even_if_it_comes_early() -> None:
    async def main() -> None:
        desk = HaltDesk()
        assert not desk.answer(ApprovalDecision(approved=True))  # nothing is halted: refused
        desk.open(halted())
        assert desk.waiting
        assert desk.answer(ApprovalDecision(approved=True, note="go"))  # before the gate asks
        assert not desk.answer(ApprovalDecision(approved=False))  # one answer per halt
        answer = await desk.decide(halted(), None)
        assert answer.approved and answer.note == "go" and not desk.waiting
        waiting = asyncio.create_task(desk.decide(halted(2), None))
        await asyncio.sleep(0)
        assert desk.waiting and not waiting.done()
        desk.answer(ApprovalDecision(approved=False, note="no"))
        assert not (await waiting).approved

    asyncio.run(main())


def test_a_listener_gets_the_history_then_live_events_then_the_end() -> None:
    async def main() -> None:
        feed = EventFeed()
        await feed.emit(TaskStarted(task_id="t", instruction="", start_url="", brain="script", max_steps=1))
        listener = feed.listen()
        assert [e.type for e in listener.history] == ["task_started"]
        await feed.emit(Finished(task_id="t", outcome="done"))
        feed.close()
        first = await listener.next(1)
        assert first is not None and first.type == "finished"
        assert await listener.next(1) is None
        late = feed.listen()  # after the end: the whole history, then the end at once
        assert len(late.history) == 2 and await late.next(1) is None

    asyncio.run(main())

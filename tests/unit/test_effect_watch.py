"""The effect gate in the loop: attribution, harmless and approved actions, held effects decided.

``SendingComputer`` implements the computer protocols the gate needs (``EffectHolder`` with the
real ``Holds``): a click makes it "send" a request through the installed screen, the way the
browser's interception does, and what the screen holds reaches its ``server`` only when released.
The rules are the real ones (``EffectRules`` on the real policy and task scope).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from homebody.config import Limits
from homebody.events import Granted, Halted, Rejected
from homebody.operator.effects import EffectWatch, riskiest
from homebody.operator.loop import Operator
from homebody.operator.sinks import MemorySink
from homebody.operator.task import TaskSpec
from homebody.protocols import EffectScreen
from homebody.safety.effect_rules import EffectRules
from homebody.safety.policy import Policy
from homebody.safety.scope import TaskScope
from homebody.sessions.browser.effects.describe import request_shape
from homebody.sessions.browser.effects.holds import Holds
from homebody.sessions.browser.effects.network import screen_and_hold
from homebody.types import (
    ApprovalDecision,
    CheckResult,
    Click,
    HeldEffect,
    Navigate,
    Outgoing,
    Point,
    Wait,
)
from homebody.vision.scripted import ScriptBrain
from tests.fakes import AllowAll, FakeComputer

SHOP = "https://shop.example/"
ORDER = Outgoing(kind="request", method="POST", url="https://shop.example/api/orders", fields=("item",))
BEACON = Outgoing(kind="request", method="POST", url="https://shop.example/analytics", fields=("event",))


class SendingComputer(FakeComputer):
    """Each click sends ``sends`` through the screen; the server gets what passes."""

    def __init__(self, sends: Sequence[Outgoing]) -> None:
        super().__init__()
        self.sends = list(sends)
        self.server: list[str] = []
        self.holds = Holds()
        self.screen: EffectScreen | None = None
        self._flights: set[asyncio.Task[None]] = set()

    async def hold_effects(self, screen: EffectScreen) -> None:
        self.screen = screen

    async def click(self, point: Point, button: str = "left", count: int = 1) -> None:
        await super().click(point, button, count)
        for out in self.sends:
            self.send(out)

    async def navigate(self, url: str) -> None:
        await super().navigate(url)
        self.send(Outgoing(kind="navigation", method="GET", url=url))

    def send(self, out: Outgoing) -> None:
        """What the page sends: decided by the screen, as the browser's interception does."""

        async def flight() -> None:
            assert self.screen is not None
            if await screen_and_hold(self.screen, self.holds, out, request_shape(out.method, out.url)):
                self.server.append(f"{out.method} {out.url}")

        task = asyncio.ensure_future(flight())
        self._flights.add(task)
        task.add_done_callback(self._flights.discard)

    def held(self) -> tuple[HeldEffect, ...]:
        return self.holds.held()

    async def next_held(self) -> None:
        await self.holds.next_held()

    def release(self, ids: Sequence[str]) -> None:
        self.holds.release(ids)

    def fail(self, ids: Sequence[str]) -> None:
        self.holds.fail(ids)

    async def settle(self) -> None:
        await asyncio.sleep(0.01)  # the sends are on their way, as after a real click


class Harmless:
    """The checker positively knows every click as a harmless change."""

    name = "harmless"

    async def check(self, action, target, frame):  # type: ignore[no-untyped-def]
        return CheckResult(verdict="allow", reason="adds to the cart", harmless=True)


class Answers:
    def __init__(self, *answers: ApprovalDecision) -> None:
        self.answers = list(answers)
        self.asked: list[Halted] = []

    async def decide(self, halted: Halted, crop: bytes | None) -> ApprovalDecision:
        self.asked.append(halted)
        return self.answers.pop(0)


def operator(computer: SendingComputer, actions, *, checker=None, approver=None, ask="commits", sites=()):  # type: ignore[no-untyped-def]
    policy = Policy()
    watch = EffectWatch(EffectRules(policy, TaskScope(SHOP, sites), "t1"), ask=ask)
    sink = MemorySink()
    op = Operator(
        computer,
        ScriptBrain(actions),
        checker or AllowAll(),
        sink,
        Limits(effect_learn_s=0.0),
        approver=approver,
        grants=policy,
        effects=watch,
    )
    return op, sink, watch


def run(op: Operator, steps: int = 5):  # type: ignore[no-untyped-def]
    return asyncio.run(op.run(TaskSpec("t1", "buy", "", "script", None, steps)))


def test_a_change_the_click_sends_halts_and_never_reaches_the_server() -> None:
    computer = SendingComputer([ORDER])
    op, sink, _ = operator(computer, [Click(x=10, y=10)])
    result = run(op)
    assert result.outcome == "halted" and result.reason.startswith("purchase:")
    halts = [e for e in sink.events if isinstance(e, Halted)]
    assert len(halts) == 1 and [h.outgoing.url for h in halts[0].held] == [ORDER.url]
    assert computer.server == []  # failed when nobody could answer: never sent later


def test_approve_sends_exactly_once_and_reject_never_and_tells_the_brain() -> None:
    computer = SendingComputer([ORDER])
    answers = Answers(ApprovalDecision(approved=True), ApprovalDecision(approved=False, note="not today"))
    brain_saw: list[tuple[str, ...]] = []
    op, sink, _ = operator(computer, [Click(x=10, y=10), Click(x=10, y=10), Navigate(url=SHOP)], approver=answers)
    decide = op.brain.decide

    async def spy(inp):  # type: ignore[no-untyped-def]
        brain_saw.append(inp.feedback)
        return await decide(inp)

    op.brain.decide = spy  # type: ignore[method-assign]
    result = run(op)
    assert result.outcome == "done", result
    assert computer.server.count(f"POST {ORDER.url}") == 1
    assert any(isinstance(e, Rejected) for e in sink.events)
    assert any("rejected what your last action would send" in f and "not today" in f for f in brain_saw[2])


def test_a_harmless_target_lets_its_own_requests_through_unless_the_task_asks_every_change() -> None:
    computer = SendingComputer([ORDER])
    op, _, _ = operator(computer, [Click(x=10, y=10)], checker=Harmless())
    assert run(op).outcome == "done" and computer.server == [f"POST {ORDER.url}"]
    strict = SendingComputer([ORDER])
    op, _, _ = operator(strict, [Click(x=10, y=10)], checker=Harmless(), ask="every-change")
    assert run(op).outcome == "halted" and strict.server == []


def test_the_pages_own_sends_learned_between_actions_pass_during_one() -> None:
    computer = SendingComputer([BEACON, ORDER])
    op, _, watch = operator(computer, [Click(x=10, y=10)])
    watch.screen(BEACON, request_shape(BEACON.method, BEACON.url))  # the page beaconed before the click
    result = run(op)
    assert result.outcome == "halted"
    assert computer.server == [f"POST {BEACON.url}"]  # the beacon went, the order is held


def test_a_navigation_off_the_tasks_sites_halts_as_leave_scope_and_for_this_task_widens_it() -> None:
    computer = SendingComputer([])
    away = "https://collect.example/c?d=1"
    answers = Answers(ApprovalDecision(approved=True, grant="task"))
    op, sink, _ = operator(computer, [Navigate(url=away), Navigate(url="https://collect.example/2")], approver=answers)
    assert run(op).outcome == "done"
    assert [h.category for h in answers.asked] == ["leave_scope"]  # the second one is in scope now
    assert computer.server == [f"GET {away}", "GET https://collect.example/2"]
    assert any(isinstance(e, Granted) and e.category == "leave_scope" for e in sink.events)


def test_listed_sites_are_in_scope() -> None:
    computer = SendingComputer([])
    op, _, _ = operator(computer, [Navigate(url="https://www.partner.example/x")], sites=("partner.example",))
    assert run(op).outcome == "done" and computer.server == ["GET https://www.partner.example/x"]


def test_the_riskiest_category_names_a_group() -> None:
    def held(category: str) -> HeldEffect:
        return HeldEffect(id=category, outgoing=ORDER, category=category, reason="")  # type: ignore[arg-type]

    assert riskiest([held("change"), held("send"), held("purchase")]) == "purchase"
    assert riskiest([held("leave_scope"), held("change")]) == "leave_scope"


def test_a_form_the_page_once_saved_by_itself_still_halts_when_the_agent_submits_it() -> None:
    """An autosave posts the edit form by script between actions; the form's own Save button posts
    the same URL as a page load. The first must not teach the gate to let the second through."""
    form = Outgoing(kind="navigation", method="POST", url="https://shop.example/admin/pages/3/edit/", fields=("title",))
    autosave = form.model_copy(update={"kind": "request"})
    computer = SendingComputer([form])
    op, _, watch = operator(computer, [Click(x=10, y=10)])
    assert watch.screen(autosave, request_shape(autosave.method, autosave.url)).verdict == "allow"  # the page's
    assert run(op).outcome == "halted" and computer.server == []


def test_what_the_page_sends_a_moment_after_the_action_is_still_the_actions() -> None:
    """A debounced save that leaves after the step ended (within the grace) is held, and decided
    before the next step, as the action's."""

    class Later(SendingComputer):
        async def click(self, point: Point, button: str = "left", count: int = 1) -> None:
            await FakeComputer.click(self, point, button, count)
            asyncio.get_running_loop().call_later(0.2, self.send, ORDER)

    computer = Later([])
    answers = Answers(ApprovalDecision(approved=False))
    op, _, _ = operator(computer, [Click(x=10, y=10), Wait(seconds=0.5), Navigate(url=SHOP)], approver=answers)
    result = run(op)
    assert result.outcome == "done", result
    assert [h.held[0].outgoing.url for h in answers.asked] == [ORDER.url]
    assert computer.server == [f"GET {SHOP}"]


def test_while_a_person_has_taken_over_what_the_page_sends_is_theirs() -> None:
    _, _, watch = operator(SendingComputer([]), [])
    watch.arm(approved=False, harmless=False)
    shape = request_shape(ORDER.method, ORDER.url)
    assert watch.screen(ORDER, shape).verdict == "halt"
    watch.person = True
    assert watch.screen(ORDER, shape).verdict == "allow"

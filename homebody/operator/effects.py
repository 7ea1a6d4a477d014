"""Which of the browser's outgoing changes the agent's action caused: the effect gate's screen.

The browser puts every change it is about to send (and every top-level navigation) to ``screen``.
Attribution is by time and by shape:

- **armed**: from the moment an action is dispatched until ``GRACE_S`` after its effect is verified,
  whatever the agent's tabs send is the action's (the grace covers what a page sends a moment
  later: a debounced autosave of what the agent typed); outside that window it is the page's own.
- **background**: the page's own requests and WebSocket messages are learned by shape (method, host
  and path with ids masked; a message's type): one of a learned shape passes even inside the
  window, so analytics beacons, polling and heartbeats never halt. The loop lets the task's first
  page run for a moment before the first action (``Limits.effect_learn_s``) to learn them. A form
  submission (a top-level navigation that posts) is never the page's own: a page that saved a form
  by itself (an autosave posting the edit form) must not teach the gate to let the form's own
  submit button through.

While a person has taken over, whatever the page sends is theirs and goes. Inside the window a
change halts unless the rules say it only reads (or a grant covers it), or the
action was cleared: the user approved it, or (unless the task asks before every change) the
checker positively knew its target as a harmless change. A top-level navigation off the task's
sites halts whatever cleared the action. Fails closed: inside the window, anything unknown halts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from homebody.protocols import EffectRules
from homebody.types import Ask, Category, CheckResult, HeldEffect, Outgoing

READS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOW_OWN = CheckResult(verdict="allow", reason="the page sent this by itself, not the agent's action")
#: How long after an action's effect is verified what the page sends is still the action's.
GRACE_S = 2.0


@dataclass
class EffectWatch:
    """The screen of one task (see the module doc); the loop arms and clears it around each action."""

    rules: EffectRules
    ask: Ask = "commits"
    approved: bool = False  # the user approved the action: its own changes go
    harmless: bool = False  # the checker positively knew the target as a harmless change
    background: set[str] = field(default_factory=set)
    person: bool = False  # a person has taken over: what the page sends is theirs, and goes
    clock: Callable[[], float] = time.monotonic
    _running: bool = False
    _until: float = 0.0  # the end of the last action's grace

    @property
    def armed(self) -> bool:
        return self._running or self.clock() < self._until

    def arm(self, *, approved: bool, harmless: bool) -> None:
        """An action is about to run: what the tabs send from now on is its."""
        self._running, self.approved, self.harmless = True, approved, harmless

    def disarm(self) -> None:
        """The action's effect is verified: what the page sends after the grace is its own."""
        self._running = False
        self._until = self.clock() + GRACE_S

    def screen(self, out: Outgoing, shape: str) -> CheckResult:
        if self.person:
            return CheckResult(verdict="allow", reason="a person has taken over: this is their doing")
        if out.kind == "navigation" and out.method in READS:
            return self.rules.judge(out) if self.armed else ALLOW_OWN
        form = out.kind == "navigation"  # a form submission: never learned, never passed as the page's
        if not self.armed:
            if not form:
                self.background.add(shape)
            return ALLOW_OWN
        if shape in self.background and not form:
            return CheckResult(verdict="allow", reason="the page sends this by itself, again and again")
        return self._judged(out, cleared=self.approved or (self.harmless and self.ask == "commits"))

    def _judged(self, out: Outgoing, *, cleared: bool) -> CheckResult:
        result = self.rules.judge(out)
        if result.verdict != "halt" or result.category == "leave_scope":
            return result
        if cleared:
            why = "you approved the action" if self.approved else "the action's target is a harmless change"
            return CheckResult(verdict="allow", category=result.category, reason=f"{result.reason} ({why})")
        return result


#: Which held category the user is asked about first when one action sends several.
RISK_ORDER = (
    "transfer",
    "purchase",
    "delete",
    "security",
    "send",
    "publish",
    "signup",
    "install",
    "leave_scope",
    "change",
)


def riskiest(held: Sequence[HeldEffect]) -> Category:
    """The category that names a group of held effects: the riskiest of theirs."""
    rank = {category: i for i, category in enumerate(RISK_ORDER)}
    return min((h.category for h in held), key=lambda c: rank.get(c, -1))

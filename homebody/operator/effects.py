"""Which of the browser's outgoing changes the agent's action caused: the effect gate's screen.

The browser puts every change it is about to send (and every top-level navigation) to ``screen``.
Attribution is by time and by shape:

- **armed**: from the moment an action is dispatched until its effect is verified, whatever the
  agent's tabs send is the action's; outside that window it is the page's own.
- **background**: the page's own sends are learned by shape (method, host and path with ids
  masked; a WebSocket message's type): a send of a learned shape passes even inside the window,
  so analytics beacons, polling and heartbeats never halt. The loop lets the task's first page run
  for a moment before the first action (``Limits.effect_learn_s``) to learn them.

Inside the window a change halts unless the rules say it only reads (or a grant covers it), or the
action was cleared: the user approved it, or (unless the task asks before every change) the
checker positively knew its target as a harmless change. A top-level navigation off the task's
sites halts whatever cleared the action. Fails closed: inside the window, anything unknown halts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from homebody.protocols import EffectRules
from homebody.types import Ask, Category, CheckResult, HeldEffect, Outgoing

READS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOW_OWN = CheckResult(verdict="allow", reason="the page sent this by itself, not the agent's action")


@dataclass
class EffectWatch:
    """The screen of one task (see the module doc); the loop arms and clears it around each action."""

    rules: EffectRules
    ask: Ask = "commits"
    armed: bool = False
    approved: bool = False  # the user approved the action: its own changes go
    harmless: bool = False  # the checker positively knew the target as a harmless change
    background: set[str] = field(default_factory=set)
    passed: list[str] = field(default_factory=list)  # what the action sent unasked (for the record)

    def arm(self, *, approved: bool, harmless: bool) -> None:
        """An action is about to run: what the tabs send from now on is its."""
        self.armed, self.approved, self.harmless = True, approved, harmless

    def disarm(self) -> None:
        self.armed = self.approved = self.harmless = False

    def screen(self, out: Outgoing, shape: str) -> CheckResult:
        if out.kind == "navigation" and out.method in READS:
            return self.rules.judge(out) if self.armed else ALLOW_OWN
        if not self.armed:
            self.background.add(shape)
            return ALLOW_OWN
        if shape in self.background:
            return CheckResult(verdict="allow", reason="the page sends this by itself, again and again")
        result = self.rules.judge(out)
        if result.verdict != "halt" or result.category == "leave_scope":
            return result
        if self.approved or (self.harmless and self.ask == "commits"):
            self.passed.append(f"{out.method} {out.url[:200]}")
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

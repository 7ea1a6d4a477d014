"""The safety layer's side of the effect gate: what a held request would do, and the user's policy.

``judge`` names what a request or message would change (``effects.py``: a read, or a category from
its method, path, field names and operation), and a top-level navigation off the task's sites
(``scope.py``) as ``leave_scope``; the policy then applies the user's grants and blocks, exactly as
for a click. Which request the agent caused, and whether the element it clicked already cleared
it, is the operator's part (``homebody/operator/effects.py``).
"""

from __future__ import annotations

from homebody.safety.effects import judge_outgoing
from homebody.safety.policy import Policy
from homebody.safety.scope import TaskScope
from homebody.types import Category, CheckResult, Outgoing, site_of


class EffectRules:
    """Judges held effects for one task, on its scope and with the user's policy."""

    def __init__(self, policy: Policy, scope: TaskScope, task_id: str | None = None) -> None:
        self._policy = policy
        self._scope = scope
        self._task_id = task_id

    def judge(self, out: Outgoing) -> CheckResult:
        if out.kind == "navigation" and not self._scope.contains(out.url):
            return self._decide(
                "leave_scope",
                out,
                f"this would leave the task's sites for {site_of(out.url) or out.url[:80]}"
                f" ({out.method} {out.url[:200]})",
                (f"site:{site_of(out.url)}",),
            )
        if out.kind == "navigation" and out.method in ("GET", "HEAD"):
            return CheckResult(verdict="allow", reason="a page on the task's sites")
        found = judge_outgoing(out)
        if found.read:
            return CheckResult(verdict="allow", reason=found.reason, evidence=found.evidence)
        return self._decide(found.category, out, found.reason, found.evidence)

    def widen(self, url: str) -> None:
        """Let the task act on ``url``'s site too (the user said so, for this task)."""
        self._scope.add(url)

    def _decide(self, category: Category, out: Outgoing, reason: str, evidence: tuple[str, ...]) -> CheckResult:
        verdict, why = self._policy.verdict(category, out.url, self._task_id)
        return CheckResult(
            verdict=verdict,
            category=category,
            reason=f"{reason} ({why})" if why else reason,
            evidence=evidence,
        )

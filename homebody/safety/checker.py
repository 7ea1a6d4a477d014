"""The pre-commit checker: classify what an action would commit, then apply the user's policy.

Fails closed, whatever brain proposed the action:
- an action that could commit but whose target nobody could describe, or whose probe failed, halts;
- a target with no readable text on a page that looks sensitive (checkout, payment, transfer,
  account settings, a message composer) halts;
- a category the policy does not know halts;
- an exception here becomes a halt in ``CheckerChain``.
"""

from __future__ import annotations

from typing import assert_never

from homebody.safety.classify import Trigger, classify
from homebody.safety.lexicon import sensitive_page_words
from homebody.safety.policy import Policy
from homebody.types import (
    Action,
    CheckResult,
    Click,
    Done,
    Frame,
    KeyCombo,
    Navigate,
    Scroll,
    TargetInfo,
    TypeText,
    Wait,
)

ENTER_KEYS = frozenset({"Enter", "NumpadEnter"})
ACTIVATE_KEYS = frozenset({" ", "Space"})


def trigger_for(action: Action) -> Trigger | None:
    """How ``action`` could commit something, or None when it cannot."""
    match action:
        case Click():
            return "click"
        case KeyCombo(keys=keys):
            if ENTER_KEYS & set(keys):
                return "enter"
            return "key" if keys[-1] in ACTIVATE_KEYS else None
        case TypeText(text=text):
            return "type_newline" if "\n" in text or "\r" in text else None
        case Scroll() | Navigate() | Wait() | Done():
            return None
        case _:
            assert_never(action)


class RulesChecker:
    """Rules (multilingual lexicon + page context) and policy, for one task."""

    name = "rules"

    def __init__(self, policy: Policy, task_id: str | None = None) -> None:
        self._policy = policy
        self._task_id = task_id

    async def check(self, action: Action, target: TargetInfo | None, frame: Frame) -> CheckResult:
        trigger = trigger_for(action)
        if trigger is None:
            return CheckResult(verdict="allow", reason=f"a {action.kind} action commits nothing", target=target)
        if target is None:
            return CheckResult(
                verdict="halt",
                category="unknown",
                reason="nothing could describe what this action lands on",
                target=target,
            )
        if target.source == "none":
            return CheckResult(
                verdict="halt",
                category="unknown",
                reason=f"the target could not be examined: {target.problem or 'the probe failed or timed out'}",
                target=target,
            )
        if not target.has_text and not target.attributes and trigger == "click":
            words = sensitive_page_words(target.url or frame.url, target.title or frame.title)
            if words:
                return CheckResult(
                    verdict="halt",
                    category="unknown",
                    reason=f"the target has no readable label on a sensitive page ({', '.join(words)})",
                    evidence=tuple(f"page:{w}" for w in words),
                    target=target,
                )
        found = classify(target, trigger)
        if found.category is None:
            # harmless only where the page itself described the target and its label positively names a
            # harmless control: an unknown, unread or OCR-guessed target leaves what it sends to the effect gate
            harmless = found.harmless and target.source == "dom" and (target.has_text or bool(target.attributes))
            return CheckResult(
                verdict="allow", reason=found.reason, evidence=found.evidence, target=target, harmless=harmless
            )
        verdict, why = self._policy.verdict(found.category, target.url or frame.url, self._task_id)
        return CheckResult(
            verdict=verdict,
            category=found.category,
            reason=f"{found.reason} ({why})" if why else found.reason,
            evidence=found.evidence,
            target=target,
        )

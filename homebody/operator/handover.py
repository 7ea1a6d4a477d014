"""What the loop records around a person: masked secrets, and what changed during a takeover."""

from __future__ import annotations

from homebody.protocols import RegionTools
from homebody.types import SECRET_MASK, Box, Decision, Frame, TypeText


def redact_typed_secret(decision: Decision) -> Decision:
    """The decision as events and history show it when it types into a secret field: the text
    becomes •••, in the action and wherever the brain's thought or raw reply repeats it."""
    action = decision.action
    if not isinstance(action, TypeText):
        return decision
    secret = action.text
    return Decision(
        action=TypeText(text=SECRET_MASK),
        thought=decision.thought.replace(secret, SECRET_MASK),
        raw=decision.raw.replace(secret, SECRET_MASK),
    )


def what_changed(before: Frame | None, after: Frame, regions: RegionTools | None) -> str:
    """A few words on how the screen a person handed back differs from the one they took."""
    if before is None:
        return ""
    if after.url != before.url:
        return f"the page is now {after.title or after.url} ({after.url})" if after.url else "the page changed"
    if regions is None:
        return ""
    whole = Box(0, 0, after.size.width, after.size.height)
    return "the screen changed" if regions.region_changed(before, after, whole) else "the screen looks the same"

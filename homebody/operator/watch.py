"""Watching the screen around each action: the stale-frame guard, the verifier, stuck detection.

All from pixels, no model call. A ``none`` effect is fed back to the brain; three no-effect clicks
at about the same place end the task as ``stuck`` instead of clicking on forever.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from homebody.events import Verified
from homebody.protocols import Capture, RegionTools, Verifier
from homebody.types import Action, Box, Click, Frame, Point, Scroll, Verification

STUCK_AFTER = 3
SAME_PLACE_PX = 24.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the verifier found, as the loop uses it."""

    event: Verified
    next_frame: Frame | None
    feedback: str = ""
    stuck: str = ""


def _point(action: Action) -> Point | None:
    match action:
        case Click(x=x, y=y) | Scroll(x=x, y=y):
            return Point(x, y)
        case _:
            return None


@dataclass
class Watch:
    task_id: str
    capture: Capture
    verifier: Verifier | None = None
    regions: RegionTools | None = None
    _dead: list[Point] = field(default_factory=list)

    async def stale(self, frame: Frame, box: Box) -> Frame | None:
        """A fresh capture if the screen around ``box`` changed since ``frame`` (else None)."""
        if self.regions is None:
            return None
        fresh = await self.capture()
        return fresh if self.regions.region_changed(frame, fresh, box) else None

    async def after(self, step: int, action: Action, before: Frame, focus: Box | None) -> Outcome | None:
        if self.verifier is None:
            return None
        found = await self.verifier.verify(self.capture, before, action, focus)
        event = Verified(
            task_id=self.task_id,
            step=step,
            effect=found.effect,
            score=round(found.score, 4),
            boxes=tuple((int(b.x), int(b.y), int(b.width), int(b.height)) for b in found.boxes),
            note=("" if found.settled else "the screen did not settle; ") + f"waited {found.waited_ms:.0f} ms",
        )
        return Outcome(event, found.frame, found.note, self._stuck(action, found))

    def _stuck(self, action: Action, found: Verification) -> str:
        point = _point(action) if isinstance(action, Click) else None
        if point is None or found.effect != "none":
            self._dead.clear()
            return ""
        if self._dead and math.dist((point.x, point.y), (self._dead[-1].x, self._dead[-1].y)) > SAME_PLACE_PX:
            self._dead.clear()
        self._dead.append(point)
        if len(self._dead) < STUCK_AFTER:
            return ""
        return f"stuck: {STUCK_AFTER} clicks at about ({point.x:.0f}, {point.y:.0f}) had no visible effect"

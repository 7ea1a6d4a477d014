"""Watching the screen around each action: the staleness rule, the verifier, stuck detection.

All from pixels, no model call. One staleness rule serves the loop (before the check) and the gate
(after an approval): the region around the target (``around_target``) is compared by
``Watch.changed``. A ``none`` effect is fed back to the brain; three no-effect clicks at about the
same place end the task as ``stuck`` instead of clicking on forever.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from homebody.events import Verified
from homebody.protocols import Capture, PageSignals, RegionTools, Verifier
from homebody.types import Action, Box, Click, Frame, Point, Scroll, Size, TargetInfo

STUCK_AFTER = 3
SAME_PLACE_PX = 24.0
#: Half the width and half the height of the region watched around a point when the target has no box.
AROUND_POINT = (80.0, 40.0)


def around_target(action: Action, target: TargetInfo | None, size: Size) -> Box:
    """The region an action is about: the target's box, else a patch around the action's point,
    else the whole screen. What a halt shows cropped, what staleness compares, what verify watches."""
    if target is not None and target.box is not None:
        x, y, w, h = target.box
        if w > 0 and h > 0:
            return Box(x, y, w, h)
    point = _point(action)
    if point is not None:
        half_w, half_h = AROUND_POINT
        return Box(point.x - half_w, point.y - half_h, 2 * half_w, 2 * half_h)
    return Box(0, 0, size.width, size.height)


@dataclass(frozen=True, slots=True)
class Finding:
    """What the verifier found after an action, as the loop uses it."""

    event: Verified
    next_frame: Frame | None
    feedback: str
    misses: tuple[Point, ...]  # the no-effect clicks in a row at about one place, this one included
    stuck: str = ""


@dataclass(frozen=True, slots=True)
class Watch:
    """Built once per operator; what belongs to one task (its id, its misses) comes with each call."""

    capture: Capture
    verifier: Verifier | None = None
    regions: RegionTools | None = None
    signals: PageSignals | None = None  # the computer's page signals, where it has them (a browser)

    async def learn(self) -> None:
        """Let the verifier watch the idle screen (at the start, after a new page, after a takeover)."""
        if self.verifier is not None:
            await self.verifier.learn(self.capture, self.signals)

    async def changed(self, frame: Frame, box: Box) -> Frame | None:
        """The staleness rule: a fresh capture if the screen in ``box`` changed since ``frame``, else None."""
        if self.regions is None:
            return None
        fresh = await self.capture()
        return fresh if self.regions.region_changed(frame, fresh, box) else None

    async def verify(
        self, task_id: str, step: int, action: Action, before: Frame, *, focus: Box, misses: tuple[Point, ...]
    ) -> Finding | None:
        """What ``action`` did to the screen (None without a verifier)."""
        if self.verifier is None:
            return None
        found = await self.verifier.verify(self.capture, before, action, focus, self.signals)
        event = Verified(
            task_id=task_id,
            step=step,
            effect=found.effect,
            score=round(found.score, 4),
            boxes=tuple((int(b.x), int(b.y), int(b.width), int(b.height)) for b in found.boxes),
            note=("" if found.settled else "the screen did not settle; ") + f"waited {found.waited_ms:.0f} ms",
        )
        misses, stuck = count_misses(misses, action, found.effect)
        return Finding(event, found.frame, found.note, misses, stuck)


def count_misses(misses: tuple[Point, ...], action: Action, effect: str) -> tuple[tuple[Point, ...], str]:
    """The no-effect clicks in a row at about one place after ``action``, and why that is stuck (or "")."""
    point = _point(action) if isinstance(action, Click) else None
    if point is None or effect != "none":
        return (), ""
    if misses and math.dist((point.x, point.y), (misses[-1].x, misses[-1].y)) > SAME_PLACE_PX:
        misses = ()
    misses = (*misses, point)
    if len(misses) < STUCK_AFTER:
        return misses, ""
    return misses, f"stuck: {STUCK_AFTER} clicks at about ({point.x:.0f}, {point.y:.0f}) had no visible effect"


def _point(action: Action) -> Point | None:
    match action:
        case Click(x=x, y=y) | Scroll(x=x, y=y):
            return Point(x, y)
        case _:
            return None

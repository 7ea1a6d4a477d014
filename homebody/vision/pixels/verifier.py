"""The visual verifier: settle, then diff before/after, all from pixels (no model call).

Regions that change on their own (a caret blink, a spinner, a carousel) are learned while the
page is idle and masked, so they never count as an action's effect. A click or a key gets a grace
period to show a first change (an effect may start late, after a request or a timer); a wait does
not. A change that stays inside the clicked element itself (its pressed or focus style) is not yet
taken as the action's effect: the verifier keeps watching for the rest of the grace period.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

import numpy as np
import numpy.typing as npt

from homebody.types import Action, Box, Click, Frame, Verification
from homebody.vision.pixels.diff import DiffResult, diff_frames, effect_note
from homebody.vision.pixels.settle import Settler, grace_for

log = logging.getLogger(__name__)
Capture = Callable[[], Awaitable[Frame]]

#: How far outside the target a change must reach to count as "more than the target's own style".
OWN_STYLE_MARGIN = 6.0


def _inside(box: Box, outer: Box, margin: float) -> bool:
    return (
        box.x >= outer.x - margin
        and box.y >= outer.y - margin
        and box.x + box.width <= outer.x + outer.width + margin
        and box.y + box.height <= outer.y + outer.height + margin
    )


def only_the_target_changed(result: DiffResult, focus: Box | None) -> bool:
    return (
        focus is not None
        and result.effect == "local"
        and all(_inside(b, focus, OWN_STYLE_MARGIN) for b in result.boxes)
    )


class PixelVerifier:
    """Implements the operator's ``Verifier`` protocol with ``Settler`` and ``diff_frames``."""

    def __init__(self, settler: Settler | None = None, *, learn_ms: float = 1000) -> None:
        # A caret blinks every 500 ms and a spinner turns in about a second: watch for a second
        # to see them move at least once (this runs at the start and after each new page).
        self._settler = settler or Settler()
        self._learn_ms = learn_ms
        self._mask: npt.NDArray[np.bool_] | None = None

    async def learn(self, capture: Capture) -> None:
        """Watch the idle screen briefly; what moves by itself is masked from now on."""
        self._mask = await self._settler.learn_idle(capture, duration_ms=self._learn_ms)

    async def verify(self, capture: Capture, before: Frame, action: Action, focus: Box | None) -> Verification:
        started = time.monotonic()
        grace = grace_for(action)
        settled = await self._settler.wait(capture, mask=self._mask, before=before, grace_ms=grace)
        result = diff_frames(before, settled.frame, focus=focus, mask=self._mask)
        spent = (time.monotonic() - started) * 1000
        if isinstance(action, Click) and only_the_target_changed(result, focus) and spent < grace:
            # Maybe only the button's pressed style so far: give the real effect the rest of the grace.
            later = await self._settler.wait(capture, mask=self._mask, before=settled.frame, grace_ms=grace - spent)
            if later.changed:
                settled = later
                result = diff_frames(before, later.frame, focus=focus, mask=self._mask)
        if result.effect == "global":
            # A new page: the old page's blinking regions mean nothing here; learn this one's.
            await self.learn(capture)
        return Verification(
            frame=settled.frame,
            effect=result.effect,
            score=result.score,
            boxes=result.boxes,
            near=result.near,
            settled=settled.settled,
            waited_ms=(time.monotonic() - started) * 1000,
            note=effect_note(action, result),
        )

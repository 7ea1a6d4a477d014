"""The visual verifier: settle, then diff before/after, all from pixels (no model call).

Regions that change on their own (a caret blink, a spinner, a carousel) are learned while the
page is idle and masked, so they never count as an action's effect. A click or a key gets a grace
period to show a first change (an effect may start late, after a request or a timer); a wait does
not. A change that stays inside the clicked element itself (its pressed or focus style) is not yet
taken as the action's effect: the verifier keeps watching for the rest of the grace period.

Where the computer has page signals (a browser: ``PageSignals``), the grace is not needed: the page
says when nothing more is coming (``signals.py``), so a dead click is known in about 150 ms and an
effect that shows at once in about one screenshot, while an effect that a request or a timer brings
later is still waited for. The signals are used on a page only when its DOM does not keep changing
by itself (learned with the mask); otherwise, and on desktops, the pixel method above.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

import numpy as np
import numpy.typing as npt

from homebody.protocols import PageSignals
from homebody.types import Action, Box, Click, Frame, PageActivity, Verification
from homebody.vision.pixels.diff import DiffResult, diff_frames, effect_note
from homebody.vision.pixels.settle import Settler, grace_for
from homebody.vision.pixels.signals import wait_for_quiet

log = logging.getLogger(__name__)
Capture = Callable[[], Awaitable[Frame]]

#: How far outside the target a change must reach to count as "more than the target's own style".
OWN_STYLE_MARGIN = 6.0
#: How long a page is watched through its signals to see that nothing on it moves by itself.
STILL_MS = 150.0
#: A page whose DOM changes more often than this by itself (changes per second) is judged by pixels.
SELF_CHANGES_PER_S = 5.0
READING_TRIES = 5


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
        self._trust_signals = False  # whether this page's signals can end a wait (``learn``)

    async def learn(self, capture: Capture, signals: PageSignals | None = None) -> None:
        """Watch the idle screen briefly; what moves by itself is masked from now on. A page whose
        signals say nothing on it moves (no animation, video or canvas, no DOM change) is learned in
        ``STILL_MS`` without pixels; one that changes by itself too often is judged by pixels."""
        first = await _reading(signals) if signals is not None else None
        if signals is not None and first is not None and first.still and not first.busy:
            await asyncio.sleep(STILL_MS / 1000)
            second = await signals.activity()
            if second is not None and second.still and second.changes == first.changes:
                self._mask, self._trust_signals = None, True
                return
        started = time.monotonic()
        self._mask = await self._settler.learn_idle(capture, duration_ms=self._learn_ms)
        last = await signals.activity() if signals is not None else None
        self._trust_signals = _calm(first, last, time.monotonic() - started)
        log.debug("learned the page by pixels; its signals %s", "can end a wait" if self._trust_signals else "cannot")

    async def verify(
        self, capture: Capture, before: Frame, action: Action, focus: Box | None, signals: PageSignals | None = None
    ) -> Verification:
        started = time.monotonic()
        quiet = None
        if signals is not None and self._trust_signals:
            quiet = await wait_for_quiet(capture, signals, action, timeout_ms=self._settler.timeout_ms)
        if quiet is not None:
            log.debug(
                "the page %s after %.0f ms (waited for %s)",
                "was quiet" if quiet.settled else "was still busy",
                quiet.waited_ms,
                quiet.waited_for or "nothing",
            )
            frame, settled = quiet.frame, quiet.settled
            result = diff_frames(before, frame, focus=focus, mask=self._mask)
        else:
            log.debug("verifying by pixels (page signals: %s)", "not trusted here" if signals else "none")
            frame, settled, result = await self._by_pixels(capture, before, action, focus, started)
        if result.effect == "global":
            # A new page: the old page's blinking regions mean nothing here; learn this one's.
            await self.learn(capture, signals)
        return Verification(
            frame=frame,
            effect=result.effect,
            score=result.score,
            boxes=result.boxes,
            near=result.near,
            settled=settled,
            waited_ms=(time.monotonic() - started) * 1000,
            note=effect_note(action, result),
        )

    async def _by_pixels(
        self, capture: Capture, before: Frame, action: Action, focus: Box | None, started: float
    ) -> tuple[Frame, bool, DiffResult]:
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
        return settled.frame, settled.settled, result


async def _reading(signals: PageSignals) -> PageActivity | None:
    """A reading of the page's signals, asked a few times: a document shown before its script was
    installed answers only after the first asking (which installs it)."""
    for _ in range(READING_TRIES):
        reading = await signals.activity()
        if reading is not None:
            return reading
        await asyncio.sleep(0.02)
    return None


def _calm(first: PageActivity | None, last: PageActivity | None, seconds: float) -> bool:
    """Whether a page's DOM changed by itself rarely enough, over ``seconds``, for its signals to end a wait."""
    if first is None or last is None or seconds <= 0:
        return False
    return (last.changes - first.changes) / seconds <= SELF_CHANGES_PER_S

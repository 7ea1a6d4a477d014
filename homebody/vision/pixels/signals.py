"""Waiting on a page's own signals instead of a fixed grace: the screen is final when nothing more is coming.

Pixels alone cannot tell a dead click from a click whose effect comes in 600 ms, so the pixel
settle (``settle.py``) keeps watching for a grace period after every click. A browser can say
more (``PageSignals``, ``activity.js``): whether the action started a request, a timer or an
animation that has not finished, whether a page is loading, and how long the DOM has been still.
``wait_for_quiet`` polls that reading and takes the screen once:

* while anything the action started is pending or running, it waits (up to the timeout: a request
  held by the effect gate, a spinner that never stops);
* after the last change (a DOM mutation, an input or scroll event, an image loaded) the page must
  stay quiet for ``QUIET_MS``; after an input that changed nothing at all, for ``DEAD_QUIET_MS``,
  room for what the page's scripts do without a timer or request (a worker's answer, a storage read);
* the capture starts as soon as the page has been quiet for ``CAPTURE_AFTER_MS`` and is kept only if
  no change came while it was taken, so the quiet window and the screenshot overlap.

It gives up (returns None, and the caller falls back on pixels) when the page cannot answer, or when
an input action's input never reached the page (a document shown without the script). A document
that began during the action and saw no input is the page the action led to: judged as a navigation.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from homebody.protocols import Capture, PageSignals
from homebody.types import Action, Click, Done, Frame, KeyCombo, Navigate, PageActivity, Scroll, TypeText, Wait

#: After the last change, how long the page must stay quiet before the screen counts as final.
QUIET_MS = 50.0
#: After an input that changed nothing, how long the page must stay quiet before that is final.
DEAD_QUIET_MS = 150.0
#: The capture starts once the page has been quiet this long.
CAPTURE_AFTER_MS = 5.0
POLL_MS = 10.0
#: An input action whose input the page has not seen within this long after the wait began: no signals.
INPUT_SEEN_MS = 1000.0
#: A document this much younger than the wait that never saw the input is the page the action led to.
NEW_PAGE_MS = 5000.0
#: Readings in a row the page may fail to answer (a navigation commits) before the signals are given up.
MISSED_READINGS = 20


@dataclass(frozen=True, slots=True)
class Quiet:
    """The outcome of ``wait_for_quiet``: the screen taken, and whether the page was quiet then."""

    frame: Frame
    settled: bool
    waited_ms: float
    captures: int
    waited_for: str  # what held the wait longest ("" when nothing did): for the logs and the bench


def is_input(action: Action) -> bool:
    """Whether the page sees ``action`` as an input (its effect counts from that input)."""
    match action:
        case Click() | KeyCombo() | TypeText() | Scroll():
            return True
        case Navigate() | Wait() | Done():
            return False


async def wait_for_quiet(capture: Capture, signals: PageSignals, action: Action, *, timeout_ms: float) -> Quiet | None:
    """Capture once the page says nothing more is coming (module docstring); None: use pixels."""
    started = time.monotonic()

    def elapsed_ms() -> float:
        return (time.monotonic() - started) * 1000

    frame: Frame | None = None
    shot_at = 0.0
    captures = missed = 0
    held: dict[str, float] = {}
    needs_input = is_input(action)
    while elapsed_ms() < timeout_ms:
        asked = time.monotonic()
        reading = await signals.activity()
        if reading is None:
            missed += 1
            if missed >= MISSED_READINGS:
                return None
            frame = None
            await asyncio.sleep(POLL_MS / 1000)
            continue
        missed = 0
        if needs_input and reading.since_input_ms > elapsed_ms() + INPUT_SEEN_MS:
            if reading.age_ms > elapsed_ms() + NEW_PAGE_MS:
                return None  # the page never saw the input: its signals say nothing about this action
            needs_input = False  # the action led to a new page: it is judged like a navigation
        if reading.busy:
            frame = None
            reason = _busy_with(reading)
            held[reason] = held.get(reason, 0.0) + POLL_MS
            await asyncio.sleep(POLL_MS / 1000)
            continue
        needed = QUIET_MS if reading.changed or not needs_input else DEAD_QUIET_MS
        since_shot_ms = (asked - shot_at) * 1000
        if frame is not None and reading.quiet_ms < since_shot_ms:
            frame = None  # something changed while (or after) it was taken
        if frame is not None and reading.quiet_ms >= needed:
            return Quiet(frame, True, elapsed_ms(), captures, _longest(held))
        if frame is None and reading.quiet_ms >= min(CAPTURE_AFTER_MS, needed):
            shot_at = time.monotonic()
            frame = await capture()
            captures += 1
            continue
        await asyncio.sleep(min(POLL_MS, max(1.0, needed - reading.quiet_ms)) / 1000)
    last = await capture()
    return Quiet(last, False, elapsed_ms(), captures + 1, _longest(held))


def _busy_with(reading: PageActivity) -> str:
    if reading.loading:
        return "a page loading"
    if reading.requests:
        return "a request"
    return "a timer" if reading.timers else "an animation"


def _longest(held: dict[str, float]) -> str:
    return max(held, key=lambda k: held[k]) if held else ""

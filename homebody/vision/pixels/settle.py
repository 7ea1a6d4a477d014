"""Waiting for the screen to settle after an action, and learning what moves on its own.

``Settler.wait`` captures until the screen is quiet, so the verifier diffs the final screen and
not a half-drawn one. Three ways to know the screen is quiet, cheapest first:

* the capture still equals the pre-action ``before`` frame: nothing moved, so nothing is half
  drawn (one capture, ≈ one screenshot on a static page);
* ``activity`` (the browser's screencast or a DOM-mutation stamp) has been silent for
  ``quiet_ms``: one capture is enough, because a static page sends no screencast frames. This
  saves captures (CPU in the browser) more than time. The signal covers the whole page, so it is
  not used when a mask says something on the page moves by itself;
* otherwise consecutive captures stay equal (outside the mask, within noise) for ``quiet_ms``.

**Grace: the static-page budget against the delayed effect.** A click whose effect comes late (a
request, then a render 600 ms later) first looks exactly like a dead click. So when a ``before``
frame is given and nothing has changed yet, ``wait`` keeps watching up to ``grace_ms`` before it
calls the screen settled-unchanged. The grace is paid only when *nothing* changed: a step with a
visible effect settles after ``quiet_ms``; a static page with grace 0 costs one capture. A dead
click costs the whole grace (800 ms by default), which is small next to the model call that the
false "no effect" would waste, or the duplicate click (a second item in the cart) it could cause.
``grace_for`` gives the per-action value: clicks, keys and typing get the grace; a scroll a short
one (Playwright's wheel returns before the page has scrolled); navigate, wait and done none
(navigation already waited for the load; the others expect no change).

``learn_idle`` watches the screen with no action to find what changes by itself (caret blink,
spinner, carousel, video) and returns a mask the diff and ``wait`` ignore. A caret blinks every
≈500 ms, so a learning window shorter than that may miss it; ``wait`` still settles between blinks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from homebody.types import Action, Click, Done, Frame, KeyCombo, Navigate, Scroll, TypeText, Wait
from homebody.vision.pixels.diff import CELL, Cells, cells_to_mask, changed_cells, load_image, mask_cells
from homebody.vision.pixels.regions import Image

log = logging.getLogger(__name__)

Capture = Callable[[], Awaitable[Frame]]
Mask = npt.NDArray[np.bool_]

DEFAULT_GRACE_MS = 800.0
#: Playwright's ``mouse.wheel`` does not wait for the scroll to be drawn.
SCROLL_GRACE_MS = 250.0
#: The learned mask is grown by this many pixels: a spinner's anti-aliased rim moves too.
MASK_GROW_PX = 8
#: How often the activity signal is polled; reading it costs nothing.
SIGNAL_POLL_MS = 10.0
#: A screenshot's own screencast frame arrives within this many ms after it returns (measured: 3-8).
ECHO_MS = 50.0


@dataclass(frozen=True, slots=True)
class SettleResult:
    """The outcome of one ``Settler.wait``.

    ``frame`` is the last capture (the settled screen, or the last one at the timeout); ``mask``
    is the mask the wait used (pass it on to ``diff_frames``); ``changed`` says whether the
    screen differed from the ``before`` frame (None when none was given).
    """

    frame: Frame
    settled: bool
    waited_ms: float
    captures: int
    mask: Mask | None
    changed: bool | None = None


def grace_for(action: Action, *, grace_ms: float = DEFAULT_GRACE_MS) -> float:
    """How long ``Settler.wait`` should watch for a first change after ``action`` (module docstring)."""
    match action:
        case Click() | KeyCombo() | TypeText():
            return grace_ms
        case Scroll():
            return min(grace_ms, SCROLL_GRACE_MS)
        case Navigate() | Wait() | Done():
            return 0.0


class _Clock:
    def __init__(self) -> None:
        self._start = time.monotonic()

    def ms(self) -> float:
        return (time.monotonic() - self._start) * 1000


class _Screens:
    """Compares captures with each other and with ``before``, ignoring the mask; decodes lazily."""

    def __init__(self, mask: Mask | None, before: Frame | None) -> None:
        self._mask = mask
        self._ignored: dict[tuple[int, int], Cells | None] = {}
        self._before = before
        # Keyed by id, holding the frame itself so its id cannot be reused while it is cached.
        self._images: dict[int, tuple[Frame, Image]] = {}

    @property
    def has_before(self) -> bool:
        return self._before is not None

    @property
    def mask(self) -> Mask | None:
        return self._mask

    def differs(self, a: Frame, b: Frame) -> bool:
        if a.data == b.data:
            return False
        ia, ib = self._image(a), self._image(b)
        if ia.shape != ib.shape:
            return True
        cells = changed_cells(ia, ib)
        ignored = self._ignored_cells(ia.shape[0], ia.shape[1])
        if ignored is not None:
            cells &= ~ignored
        return bool(cells.any())

    def differs_from_before(self, frame: Frame) -> bool:
        return self._before is not None and self.differs(self._before, frame)

    def keep_only(self, *frames: Frame | None) -> None:
        """Forget decoded images of frames no longer compared (a wait can take many captures)."""
        keep = {id(f) for f in (*frames, self._before) if f is not None}
        self._images = {k: v for k, v in self._images.items() if k in keep}

    def _image(self, frame: Frame) -> Image:
        cached = self._images.get(id(frame))
        if cached is None or cached[0] is not frame:
            cached = self._images[id(frame)] = (frame, load_image(frame))
        return cached[1]

    def _ignored_cells(self, height: int, width: int) -> Cells | None:
        if self._mask is None:
            return None
        if (height, width) not in self._ignored:
            fits = self._mask.shape == (height, width)
            if not fits:  # the viewport changed size since the mask was learned: it no longer applies
                log.info("ignoring a %s settle mask on %dx%d frames", self._mask.shape, width, height)
            self._ignored[height, width] = mask_cells(self._mask, height, width) if fits else None
        return self._ignored[height, width]


class Settler:
    """Waits for the screen to settle after an action (see the module docstring for the rules).

    ``cv_threads`` sets OpenCV's thread count when the settler is built (None leaves it alone):
    each diff is about a millisecond of work, and a thread pool on a busy two-core machine cost
    more than it saved when measured.
    """

    def __init__(
        self,
        *,
        quiet_ms: float = 120,
        interval_ms: float = 40,
        timeout_ms: float = 3000,
        max_mask_share: float = 0.25,
        grace_ms: float = DEFAULT_GRACE_MS,
        cv_threads: int | None = 1,
    ) -> None:
        if quiet_ms < 0 or interval_ms < 0 or timeout_ms <= 0 or grace_ms < 0:
            raise ValueError("settle times must be non-negative (and the timeout positive)")
        if not 0 <= max_mask_share <= 1:
            raise ValueError(f"max_mask_share must be within 0..1, got {max_mask_share}")
        self.quiet_ms = quiet_ms
        self.interval_ms = interval_ms
        self.timeout_ms = timeout_ms
        self.max_mask_share = max_mask_share
        self.grace_ms = grace_ms
        if cv_threads is not None:
            cv2.setNumThreads(cv_threads)

    # ------------------------------------------------------------------ learning the idle screen

    async def learn_idle(self, capture: Capture, *, duration_ms: float = 400) -> Mask | None:
        """Capture for ``duration_ms`` with no action; return a mask of what moved, or None.

        The mask is grown by ``MASK_GROW_PX``. If more than ``max_mask_share`` of the screen moved
        (a video), only the biggest moving regions that fit in that share are kept, and a warning
        says so: masking more would blind the verifier.
        """
        clock = _Clock()
        busy: Cells | None = None
        previous: Image | None = None
        captures = 0
        while True:
            started = clock.ms()
            image = load_image(await capture())
            captures += 1
            if previous is not None and previous.shape == image.shape:
                moved = changed_cells(previous, image)
                busy = moved if busy is None else busy | moved
            elif previous is not None:
                log.info("the screen changed size while learning what moves by itself; starting over")
                busy = None
            previous = image
            if captures >= 2 and clock.ms() >= duration_ms:
                break
            await asyncio.sleep(max(0.0, started + self.interval_ms - clock.ms()) / 1000)
        if busy is None or previous is None or not busy.any():
            return None
        grow = 2 * (MASK_GROW_PX // CELL) + 1
        busy = np.asarray(cv2.dilate(busy.astype(np.uint8), np.ones((grow, grow), np.uint8)) > 0)
        return cells_to_mask(self._cap(busy), previous.shape[0], previous.shape[1])

    def _cap(self, busy: Cells) -> Cells:
        """Keep the biggest moving regions whose total stays within ``max_mask_share``."""
        share = float(np.count_nonzero(busy)) / busy.size
        if share <= self.max_mask_share:
            return busy
        count, labels, stats, _ = cv2.connectedComponentsWithStats(busy.astype(np.uint8), connectivity=8)
        budget = self.max_mask_share * busy.size
        kept = np.zeros(count, dtype=np.bool_)
        used = 0
        for label in sorted(range(1, count), key=lambda i: int(stats[i, cv2.CC_STAT_AREA]), reverse=True):
            area = int(stats[label, cv2.CC_STAT_AREA])
            if used + area <= budget:
                kept[label] = True
                used += area
        log.warning(
            "%.0f%% of the screen kept changing with no action (a video or animation?); masking only "
            "%.0f%% of it, so the rest will keep the screen from settling",
            share * 100,
            used / busy.size * 100,
        )
        return np.asarray(kept[labels])

    # ------------------------------------------------------------------ waiting after an action

    async def wait(
        self,
        capture: Capture,
        *,
        mask: Mask | None = None,
        min_wait_ms: float = 0,
        before: Frame | None = None,
        grace_ms: float | None = None,
        activity: Callable[[], float] | None = None,
    ) -> SettleResult:
        """Capture until the screen is quiet, or ``timeout_ms``; return the last capture.

        ``before``: the frame from before the action; while captures still equal it, the wait
        goes on until ``grace_ms`` (default: the settler's) has passed, to catch a late effect.
        ``min_wait_ms``: never call the screen settled earlier than this.
        ``activity``: returns the ``time.monotonic()`` of the last screencast frame or DOM
        mutation; when given (and no mask), the screen counts as quiet once it has been silent
        for ``quiet_ms``, and the grace is spent watching it instead of capturing.
        ``capture`` must carry its own timeout: a hung capture holds the wait past ``timeout_ms``.
        """
        run = _Run(
            capture,
            _Screens(mask, before),
            grace=min(self.grace_ms if grace_ms is None else grace_ms, self.timeout_ms),
            min_wait=min(min_wait_ms, self.timeout_ms),
        )
        if activity is not None and mask is None:
            return await self._wait_signal(run, activity)
        # With a mask something on the page moves by itself, and the page-wide signal never goes quiet.
        return await self._wait_frames(run)

    async def _wait_frames(self, run: _Run) -> SettleResult:
        changed = False
        run_start = 0.0  # when the current streak of equal captures began
        previous: Frame | None = None
        while True:
            started = run.clock.ms()
            frame = await run.take()
            now = run.clock.ms()
            stamp = (started + now) / 2  # the image was taken somewhere inside the call
            changed = changed or run.screens.differs_from_before(frame)
            if previous is None or run.screens.differs(previous, frame):
                run_start = stamp
            run.screens.keep_only(previous, frame)
            previous = frame
            if run.screens.has_before and not changed:
                # Still the pre-action screen: quiet by definition; only the grace holds the wait.
                done = now >= max(run.min_wait, run.grace)
            else:
                done = stamp - run_start >= self.quiet_ms and now >= run.min_wait
            if done or now >= self.timeout_ms:
                return run.result(frame, settled=done, changed=changed)
            await asyncio.sleep(max(0.0, min(started + self.interval_ms, self.timeout_ms) - now) / 1000)

    async def _wait_signal(self, run: _Run, activity: Callable[[], float]) -> SettleResult:
        clock = run.clock
        frame: Frame | None = None
        taken = (0.0, 0.0)  # monotonic start and end of the last capture
        after_quiet = False
        if run.screens.has_before:
            # Capture at once: a screen that still equals the before-frame is not half drawn.
            frame, taken = await run.take_marked()
        while clock.ms() < self.timeout_ms:
            if frame is not None:
                changed = run.screens.differs_from_before(frame)
                if run.screens.has_before and not changed:
                    if await self._signal_stays_idle(run, activity, taken):
                        return run.result(frame, settled=True, changed=False)
                elif after_quiet:
                    return run.result(frame, settled=True, changed=changed)
            if not await self._signal_quiet(run, activity):
                break
            frame, taken = await run.take_marked()
            after_quiet = True
        frame = await run.take()  # the signal never went quiet: hand back the screen as it is now
        return run.result(frame, settled=False, changed=run.screens.differs_from_before(frame))

    async def _signal_quiet(self, run: _Run, activity: Callable[[], float]) -> bool:
        """Sleep until the signal has been silent for ``quiet_ms`` (and ``min_wait`` passed); False at the timeout."""
        while run.clock.ms() < self.timeout_ms:
            silent_ms = (time.monotonic() - activity()) * 1000
            if silent_ms >= self.quiet_ms and run.clock.ms() >= run.min_wait:
                return True
            await asyncio.sleep(min(SIGNAL_POLL_MS, max(1.0, self.quiet_ms - silent_ms)) / 1000)
        return False

    async def _signal_stays_idle(self, run: _Run, activity: Callable[[], float], taken: tuple[float, float]) -> bool:
        """Watch the signal while an unchanged screen is held (grace, min_wait); True if nothing moved.

        A screenshot makes the screencast send one frame a few ms after it returns (its *echo*),
        so a stamp within ``ECHO_MS`` of the capture is ambiguous: it ends the hold early only when
        newer than that, and at the end of the hold any stamp since the capture asks for another one.
        """
        until = min(max(run.grace, run.min_wait), self.timeout_ms)
        if run.clock.ms() >= until:
            return True  # nothing to hold for: like the frame path, the unchanged capture stands
        started, ended = taken
        while run.clock.ms() < until:
            if activity() > ended + ECHO_MS / 1000:
                return False
            await asyncio.sleep(SIGNAL_POLL_MS / 1000)
        return activity() <= started


class _Run:
    """One wait in progress: its clock, its captures, and the comparisons."""

    def __init__(self, capture: Capture, screens: _Screens, *, grace: float, min_wait: float) -> None:
        self.clock = _Clock()
        self.screens = screens
        self.grace = grace
        self.min_wait = min_wait
        self.captures = 0
        self._capture = capture

    async def take(self) -> Frame:
        frame = await self._capture()
        self.captures += 1
        return frame

    async def take_marked(self) -> tuple[Frame, tuple[float, float]]:
        """A capture with the monotonic times it started and ended (to tell its screencast echo)."""
        started = time.monotonic()
        frame = await self.take()
        return frame, (started, time.monotonic())

    def result(self, frame: Frame, *, settled: bool, changed: bool) -> SettleResult:
        waited = self.clock.ms()
        if not settled:
            log.info("the screen did not settle within %.0f ms (%d captures)", waited, self.captures)
        return SettleResult(
            frame=frame,
            settled=settled,
            waited_ms=waited,
            captures=self.captures,
            mask=self.screens.mask,
            changed=changed if self.screens.has_before else None,
        )

"""``wait_for_quiet``'s rules against a page whose signals follow a script in time (a ``PageSignals``)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from homebody.types import Click, Frame, Navigate, PageActivity, Size
from homebody.vision.pixels.signals import DEAD_QUIET_MS, MISSED_READINGS, QUIET_MS, wait_for_quiet


@dataclass
class ScriptedPage:
    """Changes at the given ms after it starts; busy (a request) between ``busy``; ``None`` answers
    for the first ``silent`` readings; ``input_ms``: when the page saw the input (None: never)."""

    changes: tuple[float, ...] = ()
    busy: tuple[float, float] = (0.0, 0.0)
    silent: int = 0
    input_ms: float | None = 0.0
    shot_ms: float = 30.0  # how long a capture takes
    age_ms: float = 60_000.0  # how old the document is at the start
    start: float = field(default_factory=time.monotonic)
    shots: list[float] = field(default_factory=list)  # when each capture started (ms)

    def now(self) -> float:
        return (time.monotonic() - self.start) * 1000

    async def activity(self) -> PageActivity | None:
        if self.silent:
            self.silent -= 1
            return None
        t = self.now()
        last = max([c for c in self.changes if c <= t], default=-1000.0)
        seen = self.input_ms is not None and self.input_ms <= t
        marks = [last, self.input_ms if seen else -1e9]
        return PageActivity(
            requests=int(self.busy[0] <= t < self.busy[1]),
            timers=0,
            animations=0,
            loading=False,
            quiet_ms=t - max(m for m in marks if m is not None),
            changed=seen and last > (self.input_ms or 0.0),
            since_input_ms=t - self.input_ms if seen and self.input_ms is not None else float("inf"),
            age_ms=self.age_ms + t,
        )

    async def capture(self) -> Frame:
        self.shots.append(self.now())
        await asyncio.sleep(self.shot_ms / 1000)
        return Frame(b"%d" % len(self.shots), "jpeg", Size(10, 10), time.time())


CLICK = Click(x=1, y=1)


def wait(page: ScriptedPage, action: object = CLICK, timeout_ms: float = 2000):  # type: ignore[no-untyped-def]
    return asyncio.run(wait_for_quiet(page.capture, page, action, timeout_ms=timeout_ms))  # type: ignore[arg-type]


def test_an_input_that_changed_nothing_waits_the_dead_quiet_window_then_takes_one_screen() -> None:
    page = ScriptedPage()
    quiet = wait(page)
    assert quiet is not None and quiet.settled and quiet.captures == 1
    assert quiet.waited_ms >= DEAD_QUIET_MS - 5


def test_a_change_at_once_needs_only_the_short_quiet_window() -> None:
    page = ScriptedPage(changes=(2.0,))
    quiet = wait(page)
    assert quiet is not None and quiet.settled
    assert QUIET_MS - 5 <= quiet.waited_ms < DEAD_QUIET_MS


def test_a_request_in_flight_holds_the_screen_until_it_ends_and_the_page_is_quiet_after() -> None:
    page = ScriptedPage(busy=(0.0, 400.0), changes=(405.0,))
    quiet = wait(page)
    assert quiet is not None and quiet.settled and quiet.waited_for == "a request"
    assert page.shots and min(page.shots) >= 400  # no screen was taken while the answer was pending
    assert quiet.waited_ms >= 405 + QUIET_MS - 5


def test_a_change_while_the_screen_is_taken_makes_it_take_another() -> None:
    page = ScriptedPage(changes=(0.0, 20.0), shot_ms=40.0)  # the second change lands inside the first capture
    quiet = wait(page)
    assert quiet is not None and quiet.settled
    assert quiet.captures == 2 and page.shots[-1] >= 20


def test_a_page_that_cannot_answer_leaves_it_to_pixels_but_a_few_missed_readings_do_not() -> None:
    assert wait(ScriptedPage(silent=MISSED_READINGS)) is None
    quiet = wait(ScriptedPage(silent=3))  # a navigation committing: no answer for a moment
    assert quiet is not None and quiet.settled


def test_a_page_that_never_saw_the_input_leaves_it_to_pixels() -> None:
    assert wait(ScriptedPage(input_ms=None)) is None


def test_an_input_that_led_to_a_new_page_is_judged_like_a_navigation() -> None:
    page = ScriptedPage(input_ms=None, changes=(0.0,), age_ms=0.0)  # a document as young as the wait
    quiet = wait(page)
    assert quiet is not None and quiet.settled and quiet.waited_ms < DEAD_QUIET_MS


def test_a_navigation_needs_no_input_only_quiet() -> None:
    page = ScriptedPage(input_ms=None, changes=(0.0,))
    quiet = wait(page, Navigate(url="http://127.0.0.1/"))
    assert quiet is not None and quiet.settled and quiet.waited_ms < DEAD_QUIET_MS


def test_a_page_busy_past_the_timeout_hands_back_the_screen_as_it_is_unsettled() -> None:
    page = ScriptedPage(busy=(0.0, 10_000.0))
    quiet = wait(page, timeout_ms=300)
    assert quiet is not None and not quiet.settled and quiet.captures == 1

"""Settle detection against fake screens that change on a real (short) schedule."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

import cv2
import numpy as np
import pytest

from homebody.types import Click, Done, Frame, KeyCombo, Navigate, Scroll, TypeText, Wait
from homebody.vision.pixels.settle import DEFAULT_GRACE_MS, Settler, SettleResult, grace_for
from tests.unit.test_diff import BUTTON, CARET, H, W, jpeg, screen, with_caret

SPINNER = (900, 600, 32, 32)


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    cv2.setNumThreads(1)


class TimedScreen:
    """Shows ``frames[i]`` from ``at_ms[i]`` after it was made; each capture takes ``latency_ms``."""

    def __init__(self, schedule: Sequence[tuple[float, Frame]], latency_ms: float = 5) -> None:
        self._schedule = sorted(schedule, key=lambda item: item[0])
        self._latency = latency_ms / 1000
        self._start = time.monotonic()
        self.calls = 0

    def _shown(self) -> tuple[float, Frame]:
        now_ms = (time.monotonic() - self._start) * 1000
        return [item for item in self._schedule if item[0] <= now_ms][-1]

    async def capture(self) -> Frame:
        await asyncio.sleep(self._latency)
        self.calls += 1
        return self._shown()[1]

    def activity(self) -> float:
        """When the frame now shown appeared (a screencast's last frame); the first one long ago."""
        at_ms = self._shown()[0]
        return self._start + at_ms / 1000 if at_ms > 0 else self._start - 10


class CyclingScreen:
    """Each capture shows the next of ``frames``, round and round (an animation)."""

    def __init__(self, frames: Sequence[Frame]) -> None:
        self._frames = frames
        self.calls = 0

    async def capture(self) -> Frame:
        await asyncio.sleep(0.002)
        frame = self._frames[self.calls % len(self._frames)]
        self.calls += 1
        return frame


def idle(i: int, *, video: bool = False) -> np.ndarray:
    """Frame ``i`` of an idle page: the caret blinks, the spinner's bar turns, maybe a video plays."""
    img = with_caret(screen()) if i % 2 == 0 else screen()
    x, y, w, h = SPINNER
    img[y : y + h, x : x + w] = 255
    angle = np.deg2rad(22.5 * i)
    cx, cy, r = x + w / 2, y + h / 2, 14
    p0 = (round(cx - r * np.cos(angle)), round(cy - r * np.sin(angle)))
    p1 = (round(cx + r * np.cos(angle)), round(cy + r * np.sin(angle)))
    cv2.line(img, p0, p1, (60, 60, 60), 5, cv2.LINE_AA)
    if video:
        rng = np.random.default_rng(i)
        img[290:790, 210:850] = cv2.resize(rng.integers(0, 255, (25, 32, 3), dtype=np.uint8), (640, 500))
    return img


@pytest.fixture(scope="module")
def frames() -> dict[str, Frame]:
    before = screen()
    after = before.copy()
    x, y, w, h = BUTTON
    cv2.rectangle(after, (x, y), (x + w, y + h), (40, 160, 40), -1)
    moving = before.copy()
    cv2.rectangle(moving, (x, y), (x + w // 2, y + h), (40, 160, 40), -1)
    return {
        "before": jpeg(before),
        "after": jpeg(after),
        "half": jpeg(moving),
        "caret": jpeg(with_caret(before)),
        "other": jpeg(cv2.flip(before, 0)),
    }


# --------------------------------------------------------------------------- learn_idle


def test_learn_idle_masks_the_blinking_caret_and_the_spinner_and_nothing_else() -> None:
    shots = [jpeg(idle(i)) for i in range(8)]
    mask = asyncio.run(Settler(interval_ms=2).learn_idle(CyclingScreen(shots).capture, duration_ms=120))
    assert mask is not None and mask.shape == (H, W) and mask.dtype == np.bool_
    x, y, w, h = CARET
    assert mask[y : y + h, x : x + w].all()
    x, y, w, h = SPINNER
    assert mask[y : y + h, x : x + w].all()
    assert mask.mean() < 0.01
    assert not mask[100:180].any() and not mask[:, 1000:].any() and not mask[300:580].any()


def test_learn_idle_on_a_still_screen_is_none(frames: dict[str, Frame]) -> None:
    still = CyclingScreen([frames["before"]])
    assert asyncio.run(Settler(interval_ms=2).learn_idle(still.capture, duration_ms=20)) is None
    assert still.calls >= 2


def test_learn_idle_caps_a_video_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    shots = [jpeg(idle(i, video=True)) for i in range(8)]
    settler = Settler(interval_ms=2, max_mask_share=0.25)
    with caplog.at_level(logging.WARNING, logger="homebody.vision.pixels.settle"):
        mask = asyncio.run(settler.learn_idle(CyclingScreen(shots).capture, duration_ms=120))
    assert mask is not None
    assert mask.mean() <= 0.25
    x, y, w, h = SPINNER
    assert mask[y : y + h, x : x + w].all()  # the small movers still fit
    x, y, w, h = CARET
    assert mask[y : y + h, x : x + w].all()
    assert not mask[400:700, 300:700].any()  # the video is too big to hide
    assert "kept changing" in caplog.text


# --------------------------------------------------------------------------- wait


def test_a_change_arriving_after_600_ms_is_caught_within_the_grace(frames: dict[str, Frame]) -> None:
    async def go() -> SettleResult:
        fake = TimedScreen([(0, frames["before"]), (600, frames["after"])])
        return await Settler(quiet_ms=120, interval_ms=40).wait(fake.capture, before=frames["before"])

    result = asyncio.run(go())
    assert result.settled and result.changed
    assert result.frame.data == frames["after"].data
    assert 600 <= result.waited_ms < 600 + 120 + 2 * 40 + 250


def test_with_no_grace_the_late_change_is_missed_quickly(frames: dict[str, Frame]) -> None:
    async def go() -> SettleResult:
        fake = TimedScreen([(0, frames["before"]), (600, frames["after"])])
        return await Settler().wait(fake.capture, before=frames["before"], grace_ms=0)

    result = asyncio.run(go())
    assert result.settled and result.changed is False
    assert result.captures == 1 and result.waited_ms < 100


def test_a_static_screen_settles_in_about_quiet_ms_plus_an_interval(frames: dict[str, Frame]) -> None:
    async def go() -> SettleResult:
        fake = TimedScreen([(0, frames["before"])])
        return await Settler(quiet_ms=120, interval_ms=40).wait(fake.capture, grace_ms=0)

    result = asyncio.run(go())
    assert result.settled and result.changed is None
    assert 120 <= result.waited_ms < 120 + 40 + 60
    assert result.frame.data == frames["before"].data


def test_a_change_in_steps_settles_on_the_last_step(frames: dict[str, Frame]) -> None:
    async def go() -> SettleResult:
        fake = TimedScreen([(0, frames["half"]), (100, frames["after"])])
        return await Settler(quiet_ms=120, interval_ms=20).wait(fake.capture, before=frames["before"])

    result = asyncio.run(go())
    assert result.settled and result.changed
    assert result.frame.data == frames["after"].data
    assert result.waited_ms >= 100 + 120 - 20


def test_min_wait_holds_even_an_unchanged_screen(frames: dict[str, Frame]) -> None:
    async def go() -> SettleResult:
        fake = TimedScreen([(0, frames["before"])])
        return await Settler().wait(fake.capture, before=frames["before"], grace_ms=0, min_wait_ms=150)

    result = asyncio.run(go())
    assert result.settled and result.waited_ms >= 150


def test_a_screen_that_never_settles_times_out(frames: dict[str, Frame]) -> None:
    flicker = CyclingScreen([frames["before"], frames["other"]])
    result = asyncio.run(Settler(timeout_ms=200, interval_ms=20).wait(flicker.capture, before=frames["before"]))
    assert not result.settled
    assert 200 <= result.waited_ms < 200 + 150
    assert result.captures == flicker.calls


def test_the_mask_lets_a_blinking_caret_settle(frames: dict[str, Frame]) -> None:
    blink = [frames["before"], frames["caret"]]
    settler = Settler(quiet_ms=60, interval_ms=10, timeout_ms=150)
    assert not asyncio.run(settler.wait(CyclingScreen(blink).capture)).settled
    mask = np.zeros((H, W), bool)
    x, y, w, h = CARET
    mask[y - 8 : y + h + 8, x - 8 : x + w + 8] = True
    result = asyncio.run(settler.wait(CyclingScreen(blink).capture, mask=mask))
    assert result.settled and result.mask is mask and result.waited_ms < 150


def test_a_quiet_activity_signal_needs_one_capture(frames: dict[str, Frame]) -> None:
    async def go() -> SettleResult:
        fake = TimedScreen([(0, frames["before"])])
        return await Settler().wait(fake.capture, before=frames["before"], grace_ms=0, activity=fake.activity)

    result = asyncio.run(go())
    assert result.settled and result.captures == 1 and result.waited_ms < 60


def test_the_activity_signal_wakes_a_grace_wait_for_a_late_change(frames: dict[str, Frame]) -> None:
    async def go() -> SettleResult:
        fake = TimedScreen([(0, frames["before"]), (200, frames["after"])])
        return await Settler(quiet_ms=120).wait(fake.capture, before=frames["before"], activity=fake.activity)

    result = asyncio.run(go())
    assert result.settled and result.changed
    assert result.frame.data == frames["after"].data
    assert result.captures == 2  # one before the change, one once the signal was quiet again
    assert 200 + 120 <= result.waited_ms < 200 + 120 + 150


def test_a_change_hidden_in_the_screenshot_echo_is_still_caught(frames: dict[str, Frame]) -> None:
    # The screen changes 20 ms in, right after the first capture: its screencast stamp looks like
    # that capture's own echo, so it cannot end the grace early, but it is checked at the end.
    async def go() -> SettleResult:
        fake = TimedScreen([(0, frames["before"]), (20, frames["after"])])
        return await Settler().wait(fake.capture, before=frames["before"], grace_ms=150, activity=fake.activity)

    result = asyncio.run(go())
    assert result.settled and result.changed and result.frame.data == frames["after"].data
    assert result.waited_ms >= 150


def test_an_echo_alone_costs_one_more_capture_at_the_end_of_the_grace(frames: dict[str, Frame]) -> None:
    async def go() -> SettleResult:
        fake = TimedScreen([(0, frames["before"])])
        echo = time.monotonic() + 0.01  # just after the first capture returns, as Chromium sends it
        return await Settler().wait(fake.capture, before=frames["before"], grace_ms=150, activity=lambda: echo)

    result = asyncio.run(go())
    assert result.settled and result.changed is False
    assert result.captures == 2 and result.waited_ms >= 150


def test_with_a_mask_the_page_wide_signal_is_not_trusted(frames: dict[str, Frame]) -> None:
    mask = np.zeros((H, W), bool)
    still = CyclingScreen([frames["before"]])
    result = asyncio.run(Settler(timeout_ms=500).wait(still.capture, mask=mask, activity=time.monotonic))
    assert result.settled and result.captures >= 2


def test_an_activity_signal_that_never_quiets_times_out(frames: dict[str, Frame]) -> None:
    fake = CyclingScreen([frames["before"]])
    result = asyncio.run(Settler(timeout_ms=120).wait(fake.capture, activity=time.monotonic))
    assert not result.settled and result.captures == 1 and result.waited_ms >= 120


# --------------------------------------------------------------------------- configuration


def test_grace_per_action() -> None:
    assert grace_for(Click(x=1, y=1)) == DEFAULT_GRACE_MS
    assert grace_for(KeyCombo(keys=("Enter",))) == DEFAULT_GRACE_MS
    assert grace_for(TypeText(text="a"), grace_ms=500) == 500
    assert 0 < grace_for(Scroll(x=1, y=1, dy=100)) < DEFAULT_GRACE_MS
    assert grace_for(Navigate(url="http://x")) == grace_for(Wait(seconds=1)) == grace_for(Done()) == 0


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        Settler(timeout_ms=0)
    with pytest.raises(ValueError):
        Settler(max_mask_share=2)

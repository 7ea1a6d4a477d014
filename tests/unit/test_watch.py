"""The one staleness rule (region and comparison) shared by the loop and the gate, and stuck detection."""

from __future__ import annotations

import asyncio

import cv2
import numpy as np

from homebody.config import Limits
from homebody.events import Skipped
from homebody.operator.loop import Operator
from homebody.operator.sinks import MemorySink
from homebody.operator.task import TaskSpec
from homebody.operator.watch import STUCK_AFTER, around_target, count_misses
from homebody.safety.chain import CheckerChain
from homebody.types import Box, Click, KeyCombo, Point, Scroll, Size, TargetInfo
from homebody.vision.pixels.regions import RegionTools
from homebody.vision.scripted import ScriptBrain
from tests.fakes import AllowAll, ScreenComputer

SIZE = Size(1280, 800)


def test_the_region_is_the_targets_box_else_a_patch_around_the_point_else_the_screen() -> None:
    boxed = TargetInfo(name="Pay", box=(100, 100, 200, 60))
    assert around_target(Click(x=200, y=130), boxed, SIZE) == Box(100, 100, 200, 60)
    flat = TargetInfo(name="Pay", box=(100, 100, 0, 60))
    assert around_target(Click(x=200, y=130), flat, SIZE) == Box(120, 90, 160, 80)
    assert around_target(Scroll(x=200, y=130, dy=300), None, SIZE) == Box(120, 90, 160, 80)
    assert around_target(KeyCombo(keys=("Enter",)), None, SIZE) == Box(0, 0, 1280, 800)


def test_three_no_effect_clicks_at_about_one_place_are_stuck() -> None:
    misses: tuple[Point, ...] = ()
    for i in range(STUCK_AFTER - 1):
        misses, stuck = count_misses(misses, Click(x=100 + i, y=100), "none")
        assert stuck == ""
    assert len(misses) == STUCK_AFTER - 1
    assert count_misses(misses, Click(x=100, y=102), "none")[1].startswith("stuck: 3 clicks")
    assert count_misses(misses, Click(x=400, y=100), "none") == ((Point(400, 100),), "")
    assert count_misses(misses, Click(x=100, y=100), "local") == ((), "")
    assert count_misses(misses, Scroll(x=100, y=100, dy=300), "none") == ((), "")


def screen(strip_at: int | None = None) -> bytes:
    image = np.full((800, 1280, 3), 240, np.uint8)
    if strip_at is not None:  # a narrow strip appears beside the button
        cv2.rectangle(image, (strip_at, 100), (strip_at + 8, 160), (0, 0, 255), -1)
    return cv2.imencode(".jpg", image)[1].tobytes()


def test_the_guard_before_the_check_watches_the_same_region_as_the_gate() -> None:
    # 70 px right of the click: outside a ±60 px patch, inside the ±80 px one the gate also uses
    computer = ScreenComputer([screen(), screen(strip_at=270)])
    sink = MemorySink()
    op = Operator(
        computer, ScriptBrain([Click(x=200, y=130)]), CheckerChain([AllowAll()]), sink, Limits(), regions=RegionTools()
    )
    assert asyncio.run(op.run(TaskSpec("t1", "click", "", "script", None, 5))).outcome == "done"
    skipped = [e for e in sink.events if isinstance(e, Skipped)]
    assert len(skipped) == 1 and "between looking and acting" in skipped[0].reason
    assert [name for name, _ in computer.calls] == ["click"]  # proposed again on the fresh screen, then run

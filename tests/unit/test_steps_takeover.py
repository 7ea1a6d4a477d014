"""The steps brain after a halt: a rejection stops it; a person taking over at that step lets it go on."""

from __future__ import annotations

import asyncio
import time

import cv2
import numpy as np
import pytest

from homebody.errors import StepsNeedHelp
from homebody.types import TAKEOVER_FEEDBACK, Box, BrainInput, Click, Done, Frame, Size, StepRecord
from homebody.vision.pixels.ocr import TextBox
from homebody.vision.steps.brain import StepsBrain

FRAME = Frame(
    data=cv2.imencode(".jpg", np.full((800, 1280, 3), 255, np.uint8))[1].tobytes(),
    format="jpeg",
    size=Size(1280, 800),
    ts=time.time(),
)


class OneButton:
    """Reads "Place order" at one spot of any image."""

    def read(self, image: object, region: Box | None = None) -> list[TextBox]:
        return [TextBox("Place order", Box(600, 500, 120, 30), 0.99)]


def after_a_halt(feedback: tuple[str, ...]) -> object:
    brain = StepsBrain("click Place order; done: ordered", reader=OneButton())
    first = asyncio.run(brain.decide(BrainInput("t", FRAME, 1, (), ())))
    assert isinstance(first.action, Click)
    record = StepRecord(step=1, action=first.action, thought=first.thought, outcome="not run")
    return asyncio.run(brain.decide(BrainInput("t", FRAME, 2, (record,), feedback)))


def test_a_rejected_step_stops_the_steps_brain() -> None:
    with pytest.raises(StepsNeedHelp, match="was not run"):
        after_a_halt(("the user rejected click at (660, 515) (purchase)",))


def test_after_a_takeover_at_that_step_the_steps_go_on() -> None:
    feedback = (
        "the user rejected click at (660, 515) (purchase): the user took over",
        f"user {TAKEOVER_FEEDBACK} (user clicked 1 time); look at the screen again before acting",
    )
    decision = after_a_halt(feedback)
    assert decision.action == Done(answer="ordered")  # type: ignore[attr-defined]

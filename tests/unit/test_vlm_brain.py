"""VlmBrain over a scripted backend: one re-ask on a parse error, then BrainError with the raw output."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence

import cv2
import numpy as np
import pytest

from homebody.errors import BadInput, BrainError, ModelGaveUp
from homebody.types import BrainInput, Click, Done, Frame, Size
from homebody.vision.vlm.brain import VlmBrain
from homebody.vision.vlm.families import QWEN3_VL, UI_TARS
from homebody.vision.vlm.prompts import ChatMessage


class ScriptedBackend:
    """Answers with queued replies and keeps every request it got."""

    name = "scripted"

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.requests: list[list[ChatMessage]] = []
        self.timeouts: list[float | None] = []

    async def complete(self, messages: Sequence[ChatMessage], *, timeout_s: float | None = None) -> str:
        self.requests.append(list(messages))
        self.timeouts.append(timeout_s)
        return self.replies.pop(0)


def screenshot() -> Frame:
    ok, data = cv2.imencode(".png", np.full((800, 1280, 3), 255, np.uint8))
    assert ok
    return Frame(data=data.tobytes(), format="png", size=Size(1280, 800), ts=0.0)


def inp(step: int = 1) -> BrainInput:
    return BrainInput(instruction="click the button", frame=screenshot(), step=step)


def click(x: int, y: int) -> str:
    args = {"action": "left_click", "coordinate": [x, y]}
    return "Thought: there.\n<tool_call>" + json.dumps({"name": "computer_use", "arguments": args}) + "</tool_call>"


def image_count(messages: list[ChatMessage]) -> int:
    return sum(1 for m in messages if isinstance(m["content"], list) for p in m["content"] if p["type"] == "image_url")


def test_a_good_reply_is_one_request_and_one_action() -> None:
    backend = ScriptedBackend(click(500, 500))
    brain = VlmBrain(backend, QWEN3_VL, timeout_s=7)
    decision = asyncio.run(brain.decide(inp()))
    assert decision.action == Click(x=640, y=400)
    assert len(backend.requests) == 1 and backend.timeouts == [7]
    assert brain.parse_failures == 0 and brain.name == "scripted:qwen3-vl"


def test_an_unparseable_reply_is_re_asked_once_with_the_error() -> None:
    backend = ScriptedBackend("I think I should click it.", click(250, 250))
    brain = VlmBrain(backend, QWEN3_VL)
    decision = asyncio.run(brain.decide(inp()))
    assert decision.action == Click(x=320, y=200)
    assert len(backend.requests) == 2
    second = backend.requests[1]
    assert second[-2] == {"role": "assistant", "content": "I think I should click it."}
    assert "no tool call found" in str(second[-1]["content"])
    assert brain.parse_failures == 1
    assert decision.thought.startswith("[after 1 unparseable reply: no tool call found")
    assert "I think I should click it." in decision.raw and "asked again" in decision.raw


def test_two_bad_replies_fail_with_the_raw_output() -> None:
    backend = ScriptedBackend("nonsense one", "nonsense two")
    brain = VlmBrain(backend, UI_TARS)
    with pytest.raises(BrainError, match="after 2 attempts: no 'Action:' line found") as info:
        asyncio.run(brain.decide(inp()))
    assert "nonsense two" in str(info.value)
    assert brain.parse_failures == 2 and len(backend.requests) == 2


def test_retries_zero_means_no_re_ask() -> None:
    backend = ScriptedBackend("nonsense")
    with pytest.raises(BrainError):
        asyncio.run(VlmBrain(backend, QWEN3_VL, retries=0).decide(inp()))
    assert len(backend.requests) == 1


def test_a_model_that_gives_up_is_not_re_asked() -> None:
    reply = '<tool_call>{"name": "computer_use", "arguments": {"action": "terminate", "status": "failure"}}</tool_call>'
    backend = ScriptedBackend(reply)
    with pytest.raises(ModelGaveUp):
        asyncio.run(VlmBrain(backend, QWEN3_VL).decide(inp()))
    assert len(backend.requests) == 1


def test_history_images_keeps_that_many_screenshots_per_request() -> None:
    done = '<tool_call>{"name": "computer_use", "arguments": {"action": "terminate", "status": "success"}}</tool_call>'
    backend = ScriptedBackend(click(1, 1), click(2, 2), click(3, 3), done)
    brain = VlmBrain(backend, QWEN3_VL, history_images=2, max_pixels=256 * 32 * 32)
    for step in (1, 2, 3, 4):
        decision = asyncio.run(brain.decide(inp(step)))
    assert decision.action == Done()
    assert [image_count(r) for r in backend.requests] == [1, 2, 2, 2]
    assert "Screenshot before step 3:" in json.dumps(backend.requests[3])


def test_bad_settings_are_bad_input() -> None:
    with pytest.raises(BadInput, match="--max-pixels"):
        VlmBrain(ScriptedBackend(), QWEN3_VL, max_pixels=1000)
    with pytest.raises(BadInput, match="--history-images"):
        VlmBrain(ScriptedBackend(), QWEN3_VL, history_images=0)


def test_an_undecodable_screenshot_is_a_brain_error() -> None:
    bad = BrainInput(instruction="x", frame=Frame(data=b"junk", format="png", size=Size(1280, 800), ts=0.0), step=1)
    with pytest.raises(BrainError, match="cannot prepare the screenshot"):
        asyncio.run(VlmBrain(ScriptedBackend(), QWEN3_VL).decide(bad))

"""The step prompt: client-side resize to the family's size, message layout, history and feedback."""

from __future__ import annotations

import base64

import cv2
import numpy as np
import pytest

from homebody.types import BrainInput, Click, Frame, Size, StepRecord
from homebody.vision.vlm.families import QWEN3_VL, QWEN25_VL, UI_TARS, Family
from homebody.vision.vlm.prompts import ChatMessage, ImagePart, TextPart, build_prompt, prepare_image, reask_messages


def frame(width: int = 1280, height: int = 800, fmt: str = "png") -> Frame:
    pixels = np.zeros((height, width, 3), dtype=np.uint8)
    cv2.rectangle(pixels, (width // 4, height // 4), (width // 2, height // 2), (0, 200, 255), -1)
    ok, data = cv2.imencode(f".{'jpg' if fmt == 'jpeg' else 'png'}", pixels)
    assert ok
    return Frame(
        data=data.tobytes(),
        format=fmt,
        size=Size(width, height),
        ts=0.0,
        url="http://shop.test/",
        title="Shop",  # type: ignore[arg-type]
    )


def decoded_size(data_url: str) -> tuple[int, int]:
    prefix = "data:image/jpeg;base64,"
    assert data_url.startswith(prefix)
    raw = base64.b64decode(data_url[len(prefix) :])
    assert raw[:2] == b"\xff\xd8", "not a JPEG"
    image = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    return image.shape[1], image.shape[0]


@pytest.mark.parametrize(
    ("family", "max_pixels", "view", "expected"),
    [
        (QWEN25_VL, None, Size(1280, 800), Size(1288, 812)),
        (QWEN25_VL, 1280 * 28 * 28, Size(1280, 800), Size(1260, 784)),
        (UI_TARS, 256 * 28 * 28, Size(1280, 800), Size(560, 336)),
        (QWEN3_VL, None, Size(1280, 800), Size(1280, 800)),
        (QWEN3_VL, None, Size(1920, 1080), Size(1920, 1088)),
        (QWEN3_VL, 256 * 32 * 32, Size(1280, 800), Size(640, 384)),
    ],
)
def test_the_image_is_resized_on_the_client_to_the_smart_resize_size(
    family: Family, max_pixels: int | None, view: Size, expected: Size
) -> None:
    image = prepare_image(
        frame(view.width, view.height), family, max_pixels=max_pixels or family.default_max_pixels, step=3
    )
    assert image.size == expected
    assert decoded_size(image.data_url) == (expected.width, expected.height)
    assert image.mapping.viewport == view and image.mapping.convention == family.convention


def test_a_jpeg_already_at_the_right_size_is_sent_as_is() -> None:
    shot = frame(fmt="jpeg")
    image = prepare_image(shot, QWEN3_VL, max_pixels=QWEN3_VL.default_max_pixels)
    assert base64.b64decode(image.data_url.split(",", 1)[1]) == shot.data


def test_an_undecodable_frame_is_a_value_error() -> None:
    bad = Frame(data=b"not an image", format="png", size=Size(1280, 800), ts=0.0)
    with pytest.raises(ValueError, match="cannot be decoded"):
        prepare_image(bad, QWEN3_VL, max_pixels=QWEN3_VL.default_max_pixels)


def texts(message: ChatMessage) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return "\n".join(part["text"] for part in content if part["type"] == "text")


def images(message: ChatMessage) -> list[str]:
    content = message["content"]
    assert isinstance(content, list)
    return [part["image_url"]["url"] for part in content if part["type"] == "image_url"]


def test_a_qwen_prompt_is_system_then_user_with_task_history_feedback_and_the_image_last() -> None:
    history = tuple(StepRecord(step=i, action=Click(x=640, y=400), outcome="ok", thought=f"t{i}") for i in range(1, 13))
    inp = BrainInput(
        instruction="Buy the red shoes",
        frame=frame(),
        step=13,
        history=history,
        feedback=("your last click changed nothing", "the user rejected sending"),
    )
    image = prepare_image(inp.frame, QWEN3_VL, max_pixels=QWEN3_VL.default_max_pixels, step=13)
    prompt = build_prompt(inp, QWEN3_VL, image, history_steps=5)
    system, user = prompt.messages
    assert system["role"] == "system" and "computer_use" in texts(system)
    text = texts(user)
    assert "The user query:\nBuy the red shoes" in text
    assert "Current page: Shop — http://shop.test/" in text
    assert "(7 earlier steps not shown)" in text
    assert "Step 8:" in text and "Step 12:" in text and "Step 7:" not in text
    assert '"coordinate": [500, 500]' in text and "t12" in text
    assert "- your last click changed nothing" in text and "- the user rejected sending" in text
    assert images(user) == [image.data_url]
    content = user["content"]
    assert isinstance(content, list) and content[-1]["type"] == "image_url"
    assert prompt.mapping == image.mapping


def test_ui_tars_gets_its_prompt_in_the_user_turn_and_past_screenshots_before_the_current_one() -> None:
    inp = BrainInput(instruction="Send the mail", frame=frame(), step=3)
    past = [prepare_image(frame(), UI_TARS, max_pixels=256 * 28 * 28, step=s) for s in (1, 2)]
    image = prepare_image(inp.frame, UI_TARS, max_pixels=256 * 28 * 28, step=3)
    prompt = build_prompt(inp, UI_TARS, image, past_images=past)
    (user,) = prompt.messages
    text = texts(user)
    assert text.startswith("You are a GUI agent.")
    assert "## User Instruction\nSend the mail" in text
    assert "Screenshot before step 1:" in text and "Current screenshot (step 3):" in text
    assert images(user) == [past[0].data_url, past[1].data_url, image.data_url]


def test_the_reask_shows_the_reply_and_the_error() -> None:
    assistant, user = reask_messages("I'd click it", "no tool call found")
    assert assistant == {"role": "assistant", "content": "I'd click it"}
    assert "no tool call found" in texts(user)


def test_parts_are_openai_shaped() -> None:
    part: TextPart = {"type": "text", "text": "x"}
    image: ImagePart = {"type": "image_url", "image_url": {"url": "data:,"}}
    assert part["type"] == "text" and image["image_url"]["url"] == "data:,"

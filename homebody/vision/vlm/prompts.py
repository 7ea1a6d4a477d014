"""The messages for one step: system prompt, task, recent history, feedback and screenshots.

The screenshot is resized here, on the client, to the family's ``smart_resize`` size under a
``max_pixels`` budget, so the server's processor has nothing left to resize and the image the model
saw, and therefore its coordinate space, is known exactly (``ScreenMapping``). Messages are
OpenAI-style chat messages with base64 JPEG data URLs, the shape every OpenAI-compatible server
(vLLM, SGLang, llama.cpp, Ollama) accepts.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypedDict

import cv2

from homebody.types import BrainInput, Frame, Size
from homebody.vision.pixels.regions import decode
from homebody.vision.vlm.coords import ScreenMapping, smart_resize
from homebody.vision.vlm.families import Family


class ImageUrl(TypedDict):
    url: str


class TextPart(TypedDict):
    type: Literal["text"]
    text: str


class ImagePart(TypedDict):
    type: Literal["image_url"]
    image_url: ImageUrl


ContentPart = TextPart | ImagePart


class ChatMessage(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str | list[ContentPart]


@dataclass(frozen=True, slots=True)
class PreparedImage:
    """A screenshot as the model will see it: a JPEG data URL of exactly ``mapping.image`` pixels."""

    data_url: str
    mapping: ScreenMapping
    step: int = 0

    @property
    def size(self) -> Size:
        return self.mapping.image


@dataclass(frozen=True, slots=True)
class Prompt:
    messages: list[ChatMessage]
    mapping: ScreenMapping


def prepare_image(
    frame: Frame, family: Family, *, max_pixels: int, jpeg_quality: int = 85, step: int = 0
) -> PreparedImage:
    """Resize ``frame`` to the family's smart-resize size under ``max_pixels`` and encode it as JPEG.

    CPU work (decode, resize, encode: tens of milliseconds): call it in a thread from async code.
    """
    try:
        pixels = decode(frame.data)
    except ValueError as exc:
        raise ValueError(f"the screenshot cannot be decoded: {exc}") from None
    height, width = pixels.shape[:2]
    target_h, target_w = smart_resize(height, width, family.factor, family.min_pixels, max_pixels)
    if (target_h, target_w) == (height, width) and frame.format == "jpeg":
        data = frame.data  # already what the model needs: no second lossy encode
    else:
        shrinking = target_h * target_w < height * width
        resized = cv2.resize(
            pixels, (target_w, target_h), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC
        )
        ok, buffer = cv2.imencode(".jpg", resized, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
        if not ok:
            raise ValueError("the screenshot could not be encoded as JPEG")
        data = buffer.tobytes()
    mapping = ScreenMapping(viewport=frame.size, image=Size(target_w, target_h), convention=family.convention)
    return PreparedImage(f"data:image/jpeg;base64,{base64.b64encode(data).decode('ascii')}", mapping, step)


def build_prompt(
    inp: BrainInput,
    family: Family,
    image: PreparedImage,
    *,
    past_images: Sequence[PreparedImage] = (),
    history_steps: int = 10,
) -> Prompt:
    """The chat messages for one decision: at most ``history_steps`` past steps as text, the
    ``past_images`` (oldest first) and the current screenshot last."""
    mapping = image.mapping
    system = family.system_prompt(mapping)
    text = _task_text(inp, family, mapping, history_steps)
    if family.system_in_user:
        text = f"{system}\n\n{text}"
    content: list[ContentPart] = [_text(text)]
    for past in past_images:
        content += [_text(f"Screenshot before step {past.step}:"), _image(past.data_url)]
    content += [_text(f"Current screenshot (step {inp.step}):"), _image(image.data_url)]
    messages: list[ChatMessage] = []
    if not family.system_in_user:
        messages.append({"role": "system", "content": system})
    messages.append({"role": "user", "content": content})
    return Prompt(messages, mapping)


def reask_messages(raw: str, error: str) -> list[ChatMessage]:
    """The model's unusable reply and the parse error, to append before asking again."""
    return [
        {"role": "assistant", "content": raw},
        {
            "role": "user",
            "content": f"Your last reply could not be used: {error}. "
            "Reply again in the required format, with exactly one action.",
        },
    ]


def _task_text(inp: BrainInput, family: Family, mapping: ScreenMapping, history_steps: int) -> str:
    parts = [f"{family.task_heading}\n{inp.instruction}"]
    page = " — ".join(p for p in (inp.frame.title, inp.frame.url) if p)
    if page:
        parts.append(f"Current page: {page}")
    shown = inp.history[-history_steps:] if history_steps > 0 else ()
    if shown:
        omitted = len(inp.history) - len(shown)
        heading = "Previous steps" + (f" ({omitted} earlier steps not shown)" if omitted else "") + ":"
        parts.append(f"{heading}\n{family.render_history(shown, mapping)}")
    if inp.feedback:
        parts.append("Notes about what happened since your last action:\n" + "\n".join(f"- {f}" for f in inp.feedback))
    return "\n\n".join(parts)


def _text(text: str) -> TextPart:
    return {"type": "text", "text": text}


def _image(url: str) -> ImagePart:
    return {"type": "image_url", "image_url": {"url": url}}

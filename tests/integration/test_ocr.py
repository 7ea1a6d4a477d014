"""OCR on a real Chromium screenshot of canvas-drawn buttons (no DOM text to fall back on).

Reads crops only, to stay within a few seconds on two cores.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from homebody.sessions.browser.launch import find_browser
from homebody.types import Box, Point
from homebody.vision.pixels.ocr import OcrError, OcrReader, TextBox, find_text, match_score
from tests.conftest import CHROMIUM_FLAGS

PAGE = Path(__file__).resolve().parent.parent / "fixtures" / "probe" / "ocr.html"
ROW = Box(60, 200, 700, 90)  # the row of buttons on ocr.html


@dataclass
class Shot:
    jpeg: bytes
    png: bytes
    buttons: dict[str, Point]  # label → centre, as drawn on the canvas


@pytest.fixture(scope="module")
def shot() -> Shot:
    async def main() -> Shot:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=find_browser(None), args=CHROMIUM_FLAGS)
            try:
                page = await browser.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
                await page.set_content(PAGE.read_text(encoding="utf-8"))
                buttons = await page.evaluate("() => window.buttons")
                jpeg = await page.screenshot(type="jpeg", quality=80)
                png = await page.screenshot(type="png")
            finally:
                await browser.close()
        return Shot(jpeg, png, {b["label"]: Point(b["x"], b["y"]) for b in buttons})

    return asyncio.run(main())


@pytest.fixture(scope="module")
def reader() -> OcrReader:
    return OcrReader(threads=2)


# "Cancel order" is light text on a dark button, "Checkout" white on green, "Pay now" dark on yellow.
@pytest.mark.parametrize("label", ["Pay now", "Cancel order", "Checkout"])
def test_text_near_reads_the_button_at_a_point(shot: Shot, reader: OcrReader, label: str) -> None:
    assert reader.text_near(shot.jpeg, shot.buttons[label]) == label


def test_text_near_an_empty_area_is_empty(shot: Shot, reader: OcrReader) -> None:
    assert reader.text_near(shot.jpeg, Point(900, 600)) == ""


def test_read_of_a_region_gives_full_image_coordinates(shot: Shot, reader: OcrReader) -> None:
    boxes = reader.read(shot.png, region=Box(60, 200, 200, 90))
    assert [b.text for b in boxes] == ["Pay now"]
    box = boxes[0].box
    assert 80 <= box.x and box.x + box.width <= 240 and 220 <= box.y and box.y + box.height <= 268
    assert box.contains(shot.buttons["Pay now"]) and boxes[0].score > 0.9


def test_read_takes_a_bgr_array_too(shot: Shot, reader: OcrReader) -> None:
    import cv2
    import numpy as np

    array = cv2.imdecode(np.frombuffer(shot.png, dtype=np.uint8), cv2.IMREAD_COLOR)
    from_bytes = reader.read(shot.png, region=ROW)
    from_array = reader.read(array, region=ROW)
    assert [b.text for b in from_array] == [b.text for b in from_bytes] == ["Pay now", "Cancel order", "Checkout"]


def test_find_text_matches_fuzzily_on_a_real_read(shot: Shot, reader: OcrReader) -> None:
    boxes = reader.read(shot.jpeg, region=ROW)
    exact = find_text(boxes, "pay now")
    typo = find_text(boxes, "Pay nw")
    assert exact[0][0].text == "Pay now" and exact[0][1] == 1.0
    assert typo[0][0].text == "Pay now" and typo[0][1] > 0.8
    assert all(box.text != "Pay now" for box, _ in find_text(boxes, "cancel")[:1])
    assert find_text(boxes, "transfer money") == []


def test_match_score_prefers_whole_matches_and_keeps_order() -> None:
    def box(text: str) -> TextBox:
        return TextBox(text, Box(0, 0, 10, 10), 1.0)

    boxes = [box("Pay now $24.00"), box("Pay now"), box("Play on"), box("Now pay later")]
    ranked = find_text(boxes, "PAY NOW")
    assert [b.text for b, _ in ranked][:2] == ["Pay now", "Pay now $24.00"]
    assert match_score("Pay now", "Now pay later") >= 0.6  # the words are there, out of order
    assert match_score("", "anything") == 0.0 and find_text([], "pay") == []


def test_undecodable_image_is_an_ocr_error(reader: OcrReader) -> None:
    with pytest.raises(OcrError):
        reader.read(b"not an image")


def test_importing_ocr_loads_no_engine() -> None:
    code = (
        "import sys, homebody.vision.pixels.ocr as o; o.OcrReader();"
        " print(any(m in sys.modules for m in ('rapidocr', 'cv2')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"

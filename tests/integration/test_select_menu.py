"""<select> dropdowns in headless Chromium: the in-page menu makes the options clickable by coordinates.

Without it, headless Chromium draws the native popup in screenshots but ignores clicks on its
options. These tests drive real Chromium through ``BrowserComputer`` (the clicks an agent makes)
on a small local page with a dropdown, one inside an iframe, and a listbox.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from homebody.config import Settings
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.browser.select_menu import install_select_menus
from homebody.types import Frame, Point

FRAME_DOC = (
    "<select id='inner' style='font-size:14px'><option value='a'>Alpha</option>"
    "<option value='b'>Bravo</option><option value='c'>Charlie</option></select>"
    "<script>window.events = []; inner.addEventListener('change', () => events.push('change:' + inner.value));</script>"
)
PAGE = f"""<!doctype html><html><head><title>Selects</title></head>
<body style="margin:0;font:14px sans-serif">
<select id="fruit" style="position:absolute;left:40px;top:40px;width:160px;font-size:14px">
  <option value="apple">Apple</option><option value="banana">Banana</option>
  <option value="cherry">Cherry</option><option value="grape" disabled>Grape</option>
  <option value="kiwi">Kiwi</option>
</select>
<select id="many" multiple size="4" style="position:absolute;left:300px;top:40px;width:120px">
  <option>One</option><option>Two</option><option>Three</option><option>Four</option>
</select>
<iframe id="frame" style="position:absolute;left:40px;top:300px;width:300px;height:200px;border:0"
  srcdoc="{FRAME_DOC}"></iframe>
<script>
window.events = [];
for (const type of ["input", "change"]) fruit.addEventListener(type, () => events.push(type + ":" + fruit.value));
document.body.addEventListener("click", (e) => events.push("body-click"));
</script></body></html>"""

Run = Callable[[Callable[[BrowserComputer], Coroutine[Any, Any, None]]], None]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run a test body against a fresh browser that has the select menus and the test page open."""
    page = tmp_path / "selects.html"
    page.write_text(PAGE, encoding="utf-8")

    def runner(body: Callable[[BrowserComputer], Coroutine[Any, Any, None]]) -> None:
        async def main() -> None:
            async with _Browser(tmp_path) as computer:
                await computer.navigate(page.as_uri())
                await computer.page.wait_for_function("document.getElementById('frame').contentWindow.events")
                await body(computer)

        asyncio.run(main())

    return runner


class _Browser:
    def __init__(self, tmp_path: Path) -> None:
        self._settings = Settings(data_dir=tmp_path / "data")
        self._computer: BrowserComputer | None = None

    async def __aenter__(self) -> BrowserComputer:
        self._computer = await BrowserComputer.open(self._settings, ephemeral=True)
        await install_select_menus(self._computer.context)
        return self._computer

    async def __aexit__(self, *exc: object) -> None:
        assert self._computer is not None
        await self._computer.close()


def _pixels(frame: Frame) -> np.ndarray[Any, Any]:
    image = cv2.imdecode(np.frombuffer(frame.data, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert image is not None
    return image


def _changed(before: Frame, after: Frame, box: tuple[float, float, float, float]) -> bool:
    x, y, w, h = (round(v) for v in box)
    diff = cv2.absdiff(_pixels(before)[y : y + h, x : x + w], _pixels(after)[y : y + h, x : x + w])
    return bool((diff > 40).sum() > 50)


async def _row(computer: BrowserComputer, text: str, frame_offset: tuple[float, float] = (0, 0)) -> Point:
    """Where the open menu draws the option ``text`` (viewport pixels)."""
    scope = computer.page.frame_locator("#frame") if frame_offset != (0, 0) else computer.page
    box = await scope.locator("[data-homebody-select-menu]").locator(f"[role=option]:text-is('{text}')").bounding_box()
    assert box is not None, f"no option {text!r} in the menu"
    return Point(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


async def _events(computer: BrowserComputer, frame: bool = False) -> list[str]:
    scope = computer.page.frame_locator("#frame").locator("body") if frame else computer.page.locator("body")
    return list(await scope.evaluate("() => window.events"))


async def _menu_count(computer: BrowserComputer) -> int:
    return int(await computer.page.locator("[data-homebody-select-menu]").count())


def test_a_click_on_an_option_seen_in_the_screenshot_chooses_it(run: Run) -> None:
    async def body(computer: BrowserComputer) -> None:
        before = await computer.capture()
        await computer.click(Point(120, 50))  # the dropdown
        opened = await computer.capture()
        # The options are drawn in the page under the dropdown: the screenshot shows them.
        assert _changed(before, opened, (40, 62, 160, 80))
        await computer.page.evaluate("window.events = []")  # the press on the dropdown itself is a click too
        cherry = await _row(computer, "Cherry")
        assert 62 < cherry.y < 160 and 40 <= cherry.x <= 200
        await computer.click(cherry)
        assert await computer.page.eval_on_selector("#fruit", "s => s.value") == "cherry"
        assert await _events(computer) == ["input:cherry", "change:cherry"]  # the page saw no stray click
        assert await _menu_count(computer) == 0
        assert await computer.page.evaluate("document.activeElement.id") == "fruit"
        closed = await computer.capture()
        assert not _changed(before, closed, (40, 80, 160, 60))  # the menu is gone from the screen

    run(body)


def test_the_same_or_a_disabled_option_fires_nothing(run: Run) -> None:
    async def body(computer: BrowserComputer) -> None:
        await computer.click(Point(120, 50))
        await computer.page.evaluate("window.events = []")
        await computer.click(await _row(computer, "Grape"))  # disabled: nothing happens, the menu stays
        assert await computer.page.eval_on_selector("#fruit", "s => s.value") == "apple"
        assert await _menu_count(computer) == 1
        await computer.click(await _row(computer, "Apple"))  # already chosen: closes without events
        assert await _menu_count(computer) == 0
        assert await _events(computer) == []

    run(body)


def test_escape_and_a_click_elsewhere_close_the_menu_and_keys_still_work(run: Run) -> None:
    async def body(computer: BrowserComputer) -> None:
        await computer.click(Point(120, 50))
        assert await _menu_count(computer) == 1
        await computer.press(["Escape"])
        assert await _menu_count(computer) == 0
        await computer.click(Point(120, 50))
        await computer.page.evaluate("window.events = []")
        await computer.click(Point(700, 600))  # away from it
        assert await _menu_count(computer) == 0
        assert await computer.page.eval_on_selector("#fruit", "s => s.value") == "apple"
        assert await _events(computer) == []
        # Keys go to the browser's own handling: focus it, then the arrow picks the next option.
        await computer.click(Point(120, 50))
        await computer.press(["Escape"])
        await computer.press(["ArrowDown"])
        assert await computer.page.eval_on_selector("#fruit", "s => s.value") == "banana"
        assert (await _events(computer))[-1] == "change:banana"

    run(body)


def test_a_dropdown_inside_an_iframe_gets_the_menu_too(run: Run) -> None:
    async def body(computer: BrowserComputer) -> None:
        inner = computer.page.frame_locator("#frame").locator("#inner")
        box = await inner.bounding_box()
        assert box is not None
        await computer.click(Point(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
        charlie = await _row(computer, "Charlie", frame_offset=(40, 300))
        assert charlie.y > box["y"] + box["height"] - 1  # under the dropdown, in viewport pixels
        await computer.click(charlie)
        assert await inner.evaluate("s => s.value") == "c"
        assert await _events(computer, frame=True) == ["change:c"]

    run(body)


def test_a_listbox_keeps_its_native_clicks(run: Run) -> None:
    async def body(computer: BrowserComputer) -> None:
        option = await computer.page.locator("#many option", has_text="Three").bounding_box()
        assert option is not None
        await computer.click(Point(option["x"] + 10, option["y"] + option["height"] / 2))
        assert await computer.page.eval_on_selector("#many", "s => s.value") == "Three"
        assert await _menu_count(computer) == 0

    run(body)

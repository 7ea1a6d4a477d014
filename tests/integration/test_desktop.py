"""The desktop computer on a real X server (Xvfb), acting on a real window: a headful Chromium.

The page's own state (a textarea's value, the scroll position) proves what the X input did. Each
test runs Playwright's async API inside its own ``asyncio.run``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import cv2
import numpy as np
import pytest
from playwright.async_api import Page, async_playwright

from homebody.config import Limits
from homebody.errors import ComputerError, NavigationError
from homebody.events import Finished, TakeoverEnded, TakeoverStarted
from homebody.operator.control import TaskControl
from homebody.operator.loop import Operator
from homebody.operator.sinks import MemorySink
from homebody.operator.task import TaskSpec, new_task_id
from homebody.safety.chain import CheckerChain
from homebody.safety.checker import RulesChecker
from homebody.safety.policy import Policy
from homebody.sessions.browser.launch import find_browser, launch_flags
from homebody.sessions.desktop.computer import DesktopComputer
from homebody.types import Frame, InputEvent, Point, Wait
from homebody.vision.scripted import ScriptBrain
from tests.conftest import XDisplay

T = TypeVar("T")
LIMITS = Limits(action_timeout_s=10)
MARKER_BGR = (255, 0, 255)  # a pure magenta square at the page's top-left: where the page is on screen
PAGE = """<!doctype html><html><body style="margin:0;background:#fff;height:4000px">
<div style="position:absolute;left:0;top:0;width:40px;height:40px;background:#f0f"></div>
<textarea id="t" style="position:absolute;left:200px;top:120px;width:500px;height:200px;font-size:24px"></textarea>
<h1 style="position:absolute;left:200px;top:360px;font:bold 64px sans-serif;color:#000">DESKTOP</h1>
</body></html>"""

pytestmark = pytest.mark.skipif(
    shutil.which("xdotool") is None, reason="xdotool is not installed (run scripts/ensure-desktop.sh)"
)


@dataclass
class Scene:
    page: Page
    computer: DesktopComputer
    origin: Point  # where the page's (0, 0) is on the screen

    async def centre(self, selector: str) -> Point:
        box = await self.page.locator(selector).bounding_box()
        assert box is not None, selector
        return Point(self.origin.x + box["x"] + box["width"] / 2, self.origin.y + box["y"] + box["height"] / 2)


def decode(frame: Frame) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(frame.data, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    return image


def find_marker(image: np.ndarray) -> Point | None:
    close = np.all(np.abs(image.astype(int) - np.array(MARKER_BGR)) < 60, axis=2)
    ys, xs = np.nonzero(close)
    return Point(float(xs.min()), float(ys.min())) if len(xs) > 200 else None


@asynccontextmanager
async def headful_page(xvfb: XDisplay) -> AsyncIterator[Scene]:
    """A visible Chromium window filling the Xvfb screen, showing PAGE, and a desktop computer on it."""
    flags = [*launch_flags(headless=False, running_as_root=os.geteuid() == 0), "--window-position=0,0"]
    flags.append(f"--window-size={xvfb.width},{xvfb.height}")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=find_browser(None),
            headless=False,
            args=flags,
            env={**os.environ, "DISPLAY": xvfb.name},
        )
        computer = await DesktopComputer.open(xvfb.name, LIMITS)
        try:
            context = await browser.new_context(no_viewport=True)
            page = await context.new_page()
            await page.set_content(PAGE)
            origin = await wait_for_marker(computer)
            yield Scene(page, computer, origin)
        finally:
            await computer.close()
            await browser.close()


async def wait_for_marker(computer: DesktopComputer) -> Point:
    """The window appears a moment after the page loads: capture until the marker shows."""
    for _ in range(200):
        found = find_marker(decode(await computer.capture()))
        if found is not None:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError("the page never appeared on the X screen")


class SceneThread(threading.Thread):
    """One browser window for the module's tests, on an event loop of its own: each test runs its
    body there (a fresh copy of the page), and its own ``asyncio.run`` stays free for other work."""

    def __init__(self, xvfb: XDisplay) -> None:
        super().__init__(daemon=True)
        self.loop = asyncio.new_event_loop()
        self._xvfb = xvfb
        self._stack = AsyncExitStack()
        self._scene: Scene | None = None

    def run(self) -> None:
        self.loop.run_forever()

    def _submit(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=90)

    def open(self) -> None:
        self._scene = self._submit(self._stack.enter_async_context(headful_page(self._xvfb)))

    def close(self) -> None:
        self._submit(self._stack.aclose())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.join(30)

    def run_body(self, body: Callable[[Scene], Awaitable[T]]) -> T:
        scene = self._scene
        assert scene is not None

        async def fresh() -> T:
            await scene.page.set_content(PAGE)
            return await body(scene)

        return self._submit(fresh())


@pytest.fixture(scope="module")
def scenes(xvfb: XDisplay) -> Iterator[SceneThread]:
    thread = SceneThread(xvfb)
    thread.start()
    try:
        thread.open()
        yield thread
    finally:
        thread.close()


async def poll(check: Callable[[], Awaitable[bool]] | Callable[[], bool], what: str, tries: int = 100) -> None:
    for _ in range(tries):
        result = check()
        if result if isinstance(result, bool) else await result:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def move_from_outside(xvfb: XDisplay, x: int, y: int) -> None:
    """Someone else's hand: another X client moves the pointer."""
    subprocess.run(
        ["xdotool", "mousemove", str(x), str(y)], env={**os.environ, "DISPLAY": xvfb.name}, check=True, timeout=10
    )


# --------------------------------------------------------------------------- capture and input


def test_capture_has_the_screen_size_and_shows_the_screen(scenes: SceneThread, xvfb: XDisplay) -> None:
    async def body(scene: Scene) -> None:
        await scene.page.wait_for_timeout(200)  # the fresh copy of the page is drawn
        frame = await scene.computer.capture()
        assert frame.format == "jpeg"
        assert (frame.size.width, frame.size.height) == (xvfb.width, xvfb.height)
        image = decode(frame)
        assert image.shape[:2] == (xvfb.height, xvfb.width)
        # The page's heading, drawn black on white, is in the captured pixels where the page put it.
        box = await scene.page.locator("h1").bounding_box()
        assert box is not None
        x, y = int(scene.origin.x + box["x"]), int(scene.origin.y + box["y"])
        heading = image[y : y + int(box["height"]), x : x + int(box["width"])]
        assert (heading < 80).all(axis=2).sum() > 500
        # Left of the textarea the page is empty: white there.
        left, top = int(scene.origin.x + 60), int(scene.origin.y + 150)
        assert (image[top : top + 150, left : left + 100] > 200).all()

    scenes.run_body(body)


def test_types_unicode_text_into_a_real_window(scenes: SceneThread) -> None:
    text = "héllo wörld ✓ ünïcødé"

    async def body(scene: Scene) -> str:
        await scene.computer.click(await scene.centre("#t"))
        await poll(lambda: scene.page.evaluate("document.activeElement.id === 't'"), "the textarea has focus")
        await scene.computer.type_text(text)
        return await value_becomes(scene.page, text)

    assert scenes.run_body(body) == text


def test_key_combo_selects_all_and_delete_clears(scenes: SceneThread) -> None:
    async def body(scene: Scene) -> tuple[str, str]:
        await scene.computer.click(await scene.centre("#t"))
        await scene.computer.type_text("some text, Line 1")
        await scene.computer.press(["Enter"])
        await scene.computer.press(["Shift", "a"])
        typed = await value_becomes(scene.page, "some text, Line 1\nA")
        await scene.computer.press(["Control", "a"])
        await scene.computer.press(["Delete"])
        return typed, await value_becomes(scene.page, "")

    typed, after = scenes.run_body(body)
    assert typed == "some text, Line 1\nA"
    assert after == ""


def test_unknown_key_is_refused_by_name(xvfb: XDisplay) -> None:
    async def main() -> None:
        async with await DesktopComputer.open(xvfb.name, LIMITS) as computer:
            with pytest.raises(ComputerError, match="'Hyperdrive'"):
                await computer.press(["Control", "Hyperdrive"])
            with pytest.raises(NavigationError, match="address bar"):
                await computer.navigate("http://example.test/")

    asyncio.run(main())


def test_scroll_turns_the_wheel_over_the_page(scenes: SceneThread) -> None:
    async def body(scene: Scene) -> tuple[float, float]:
        over_page = Point(scene.origin.x + 900, scene.origin.y + 500)
        await scene.computer.scroll(over_page, 0, 360)
        down = await scroll_comes_to_rest(scene.page)
        await scene.computer.scroll(over_page, 0, -240)
        return down, await scroll_comes_to_rest(scene.page)

    down, up = scenes.run_body(body)
    assert down > 200  # three wheel notches (Chromium smooth-scrolls them)
    assert 0 <= up < down


async def value_becomes(page: Page, expected: str) -> str:
    """The textarea's value once it is ``expected``, or the last value seen: X input reaches the
    browser asynchronously, so the page gets a moment to handle every key."""
    value = ""
    for _ in range(100):
        value = await page.input_value("#t")
        if value == expected:
            break
        await asyncio.sleep(0.05)
    return value


async def scroll_comes_to_rest(page: Page) -> float:
    """The page's scroll position once smooth scrolling has stopped moving it."""
    last = -1.0
    for _ in range(100):
        await asyncio.sleep(0.1)
        now = float(await page.evaluate("window.scrollY"))
        if now == last and now > 0:
            return now
        last = now
    raise AssertionError("the page never came to rest")


def test_forwarded_takeover_input_reaches_the_window(scenes: SceneThread) -> None:
    async def body(scene: Scene) -> str:
        where = await scene.centre("#t")
        await scene.computer.human_input(InputEvent(kind="click", x=where.x, y=where.y))
        await scene.computer.human_input(InputEvent(kind="text", text="ça marche"))
        await scene.computer.human_input(InputEvent(kind="key", key="Shift+Home"))
        await scene.computer.human_input(InputEvent(kind="key", key="Backspace"))
        await scene.computer.human_input(InputEvent(kind="text", text="ok"))
        return await value_becomes(scene.page, "ok")

    assert scenes.run_body(body) == "ok"


# --------------------------------------------------------------------------- someone else's hand


def test_only_a_foreign_pointer_move_is_reported(xvfb: XDisplay) -> None:
    async def main() -> list[Point]:
        seen: list[Point] = []
        async with await DesktopComputer.open(xvfb.name, LIMITS) as computer:
            computer.watch_pointer(seen.append)
            await computer.click(Point(300, 300))
            await computer.scroll(Point(310, 320), 0, 100)
            await computer.human_input(InputEvent(kind="move", x=400, y=420))  # a takeover's forwarded move
            await asyncio.sleep(0.4)  # several polls: none may report the agent's or the takeover's moves
            assert seen == []
            await asyncio.to_thread(move_from_outside, xvfb, 640, 500)
            await poll(lambda: bool(seen), "the foreign move was reported")
            await asyncio.to_thread(move_from_outside, xvfb, 650, 510)  # the same excursion goes on
            await asyncio.sleep(0.3)
            await computer.click(Point(100, 100))  # the agent takes the pointer back: the excursion ends
            await asyncio.to_thread(move_from_outside, xvfb, 700, 600)
            await poll(lambda: len(seen) == 2, "a second excursion was reported")
        return seen

    seen = asyncio.run(main())
    assert seen == [Point(640, 500), Point(700, 600)]


def test_pointer_pushed_into_a_corner_stops_agent_actions(xvfb: XDisplay) -> None:
    async def main() -> None:
        async with await DesktopComputer.open(xvfb.name, LIMITS) as computer:
            await computer.click(Point(200, 200))
            await asyncio.to_thread(move_from_outside, xvfb, 0, 0)
            with pytest.raises(ComputerError, match="fail-safe"):
                await computer.click(Point(300, 300))
            with pytest.raises(ComputerError, match="fail-safe"):
                await computer.type_text("nothing")
            # A person's own input still goes through: they are the one in control now.
            await computer.human_input(InputEvent(kind="move", x=500, y=500))
            await computer.click(Point(300, 300))

    asyncio.run(main())


def test_moving_the_pointer_from_outside_pauses_the_agent(xvfb: XDisplay) -> None:
    """The acceptance item: a person's hand on the mouse parks the task until they hand it back."""

    async def main() -> tuple[MemorySink, str]:
        sink = MemorySink()
        control = TaskControl()
        task_id = new_task_id()
        spec = TaskSpec(task_id, "wait a little", "", "script", None, max_steps=50)
        async with await DesktopComputer.open(xvfb.name, LIMITS) as computer:
            await computer.human_input(InputEvent(kind="move", x=100, y=100))  # away from where the hand goes
            computer.watch_pointer(lambda _where: control.request_takeover(by="someone at this machine"))
            operator = Operator(
                computer=computer,
                brain=ScriptBrain([Wait(seconds=0.1)] * 20),  # ≈2 s of work for the hand to interrupt
                checker=CheckerChain([RulesChecker(Policy(), task_id)], timeout_s=LIMITS.check_timeout_s),
                sink=sink,
                limits=LIMITS,
                control=control,
            )
            run = asyncio.create_task(operator.run(spec))
            await poll(lambda: any(e.type == "executed" for e in sink.events), "the agent is acting")
            await asyncio.to_thread(move_from_outside, xvfb, 640, 400)
            await poll(lambda: any(isinstance(e, TakeoverStarted) for e in sink.events), "takeover started")
            assert await control.wait_parked(30)  # the loop stopped acting and waits for the person
            assert not run.done()
            control.release("back to you")
            result = await asyncio.wait_for(run, 30)
        return sink, result.outcome

    sink, outcome = asyncio.run(main())
    assert outcome == "done"
    started = next(e for e in sink.events if isinstance(e, TakeoverStarted))
    assert started.by == "someone at this machine"
    types = [e.type for e in sink.events]
    assert types.index("takeover_started") < types.index("takeover_ended") < types.index("finished")
    assert any(isinstance(e, TakeoverEnded) for e in sink.events)
    finished = sink.events[-1]
    assert isinstance(finished, Finished) and finished.outcome == "done"

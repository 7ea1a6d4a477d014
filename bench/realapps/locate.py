"""Turn a case into a homebody script file: a separate Playwright pass over the live app.

The pass opens the app in the same viewport homebody uses (1280x800, scale 1), walks the case's steps
with the mouse and keyboard at the points it records (so the points are checked as it goes), and
writes each step as a script action at the centre of the element's box. It does every step but the
last: the last is the click under test, recorded and never made here (the bench puts the app back in
its known state before homebody runs anyway). An element below the fold gets a scroll action first,
made here the same way (mouse wheel) so the recorded point is where the element is after it.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable
from typing import Any

from playwright.async_api import Locator, Page, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

from bench.realapps.cases import Case, Click, Fill, Goto, Press, Step, Wait
from homebody.sessions.browser.launch import find_browser, launch_flags

VIEWPORT = {"width": 1280, "height": 800}
FIND_TIMEOUT_MS = 15_000
NAVIGATION_WAIT_MS = 3_000


class LocateError(RuntimeError):
    """The pass could not find or reach an element: the case's steps no longer fit the app."""


async def script_for(case: Case, base_url: str) -> tuple[str, list[dict[str, Any]]]:
    """The start URL and the script actions for ``case`` (its first step must be a ``Goto``)."""
    first, rest = case.steps[0], case.steps[1:]
    if not isinstance(first, Goto):
        raise LocateError(f"{case.name}: the first step must open a page")
    start = base_url + first.path
    flags = launch_flags(headless=True, running_as_root=os.geteuid() == 0)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=find_browser(os.environ.get("HOMEBODY_BROWSER")), args=flags, headless=True
        )
        try:
            page = await browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
            await page.goto(start)
            actions: list[dict[str, Any]] = []
            for i, step in enumerate(rest):
                actions += await _step(page, base_url, step, last=i == len(rest) - 1)
            return start, actions
        finally:
            await browser.close()


async def _step(page: Page, base_url: str, step: Step, *, last: bool) -> list[dict[str, Any]]:
    match step:
        case Goto(path=path):
            await page.goto(base_url + path)
            return [{"kind": "navigate", "url": base_url + path}]
        case Press(keys=keys):
            if not last:
                await _settle(page, page.keyboard.press("+".join(keys)))
            return [{"kind": "key", "keys": list(keys)}]
        case Wait(seconds=seconds):
            if not last:
                await page.wait_for_timeout(seconds * 1000)
            return [{"kind": "wait", "seconds": seconds}]
        case Click(selector=sel):
            actions, (x, y) = await _point(page, sel)
            if not last:
                await _settle(page, page.mouse.click(x, y))
            return [*actions, {"kind": "click", "x": x, "y": y}]
        case Fill(selector=sel, text=text):
            actions, (x, y) = await _point(page, sel)
            typed = [
                {"kind": "click", "x": x, "y": y},
                {"kind": "key", "keys": ["Control", "a"]},
                {"kind": "type", "text": text},
            ]
            if not last:
                await page.mouse.click(x, y)
                await page.keyboard.press("Control+a")
                await page.keyboard.type(text)
            return [*actions, *typed]


async def _point(page: Page, selector: str) -> tuple[list[dict[str, Any]], tuple[int, int]]:
    """Scroll actions needed to bring the element into view (made here too), and its box centre."""
    loc = page.locator(selector).first
    try:
        await loc.wait_for(state="visible", timeout=FIND_TIMEOUT_MS)
    except Exception as exc:  # Playwright's TimeoutError and "not attached" alike mean: not there
        raise LocateError(f"no visible element for {selector!r} on {page.url}: {exc}") from exc
    actions: list[dict[str, Any]] = []
    for _ in range(4):
        x, y = await _centre(loc, selector)
        if 0 < y < VIEWPORT["height"]:
            return actions, (x, y)
        dy = int(y - VIEWPORT["height"] / 2)
        actions.append({"kind": "scroll", "x": 640, "y": 400, "dx": 0, "dy": dy})
        await page.mouse.move(640, 400)
        await page.mouse.wheel(0, dy)
        await page.wait_for_timeout(400)
    raise LocateError(f"could not scroll {selector!r} into view on {page.url}")


async def _centre(loc: Locator, selector: str) -> tuple[int, int]:
    box = await loc.bounding_box()
    if box is None:
        raise LocateError(f"{selector!r} has no box")
    return round(box["x"] + box["width"] / 2), round(box["y"] + box["height"] / 2)


async def _settle(page: Page, act: Awaitable[None]) -> None:
    """Run ``act`` and let the navigation it starts (if any) finish before the next step is located."""
    try:
        async with page.expect_navigation(wait_until="load", timeout=NAVIGATION_WAIT_MS):
            await act
    except PlaywrightTimeout:  # no navigation: an in-page change
        pass
    try:
        await page.wait_for_load_state("load", timeout=15_000)
        await page.wait_for_load_state("networkidle", timeout=3_000)
    except Exception:  # a page that keeps polling never goes idle; "load" is what we need
        pass

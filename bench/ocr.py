"""OCR latency (full frame and a crop around a button) and how many button labels it reads.

    .venv/bin/python bench/ocr.py [--threads 2] [--runs 10]

Screenshots every page in tests/fixtures/probe/ and six pages of the bundled demo site in headless
Chromium at 1280x800 as JPEG quality 80
(what the browser computer captures), times ``OcrReader.read`` on the whole frame and on a 160x160
crop around a button (median of ``--runs`` after one warm-up), then asks ``text_near`` for the label
at the centre of every button with text and counts exact reads (case and spacing ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import os
import statistics
import threading
import time
from pathlib import Path
from typing import Any

from playwright.async_api import Page, async_playwright

from homebody.demo import start_demo_site
from homebody.sessions.browser.launch import find_browser, launch_flags
from homebody.types import Box, Point
from homebody.vision.pixels.ocr import OcrReader

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "probe"
FLAGS = launch_flags(headless=True, running_as_root=os.geteuid() == 0)

# page → [(label, where)]: a selector, (iframe selector, selector inside), "closed", or "canvas:N".
BUTTONS: dict[str, list[tuple[str, Any]]] = {
    "controls.html": [
        ("Place order", "#place"),
        ("Buy now", "#buy"),
        ("Send", "#send"),
        ("Pay with saved card", "#outside"),
        ("Subscribe", "#subscribe"),
        ("Sign in", "#login-btn"),
    ],
    "shadow.html": [("Confirm transfer", "#confirm-open"), ("Confirm transfer", "closed")],
    "frames.html": [("Post", ("#same", "#post")), ("Post", ("#cross", "#post"))],
    "dialog.html": [("Cancel", "#cancel"), ("Delete", "#delete")],
    "ocr.html": [("Pay now", "canvas:0"), ("Cancel order", "canvas:1"), ("Checkout", "canvas:2")],
}


# The bundled demo site (what `homebody demo` and the steps brain read): path → [(label, selector)].
DEMO_BUTTONS: dict[str, list[tuple[str, Any]]] = {
    "/shop": [("Search", "form[role=search] button, .search button"), ("View", "a.btn[href='/shop/product/2']")],
    "/shop/product/2": [("Add to cart", "form[action='/shop/cart/add'] button"), ("Buy now", "#buy-now")],
    "/shop/checkout": [("Place order", "input[type=submit]")],
    "/mail": [("Compose", "[role=button][data-href='/mail/compose']")],
    "/mail/compose": [("Send", "#send")],
    "/bank": [("Review transfer", "#review-transfer")],
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


async def _centre(page: Page, where: Any) -> Point:
    if isinstance(where, str) and where.startswith("canvas:"):
        button = (await page.evaluate("() => window.buttons"))[int(where.split(":")[1])]
        return Point(button["x"], button["y"])
    if where == "closed":  # laid out like its open twin, one host lower
        twin, host = await page.locator("#open-host").bounding_box(), await page.locator("#closed-host").bounding_box()
        button = await page.locator("#confirm-open").bounding_box()
        assert twin and host and button
        return Point(button["x"] + button["width"] / 2, button["y"] - twin["y"] + host["y"] + button["height"] / 2)
    if isinstance(where, tuple):
        frame_sel, sel = where
        await page.frame_locator(frame_sel).locator(sel).wait_for()
        origin = await page.locator(frame_sel).evaluate(
            "f => { const r = f.getBoundingClientRect(), s = getComputedStyle(f);"
            " return [r.left + f.clientLeft + parseFloat(s.paddingLeft),"
            " r.top + f.clientTop + parseFloat(s.paddingTop)]; }"
        )
        inner = (
            await page.frame_locator(frame_sel)
            .locator(sel)
            .evaluate(
                "e => { const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }"
            )
        )
        return Point(origin[0] + inner[0], origin[1] + inner[1])
    box = await page.locator(where).bounding_box()
    assert box is not None, where
    return Point(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


async def _shots() -> list[tuple[str, bytes, list[tuple[str, Point]]]]:
    handler = functools.partial(_Quiet, directory=str(FIXTURES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    shots = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_browser(None), args=FLAGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
        for path, buttons in BUTTONS.items():
            await page.goto(base + path, wait_until="load")
            centres = [(label, await _centre(page, where)) for label, where in buttons]
            shots.append((path, await page.screenshot(type="jpeg", quality=80), centres))
        with start_demo_site() as site:
            for path, buttons in DEMO_BUTTONS.items():
                await page.goto(site.url + path, wait_until="load")
                centres = [(label, await _centre(page, where)) for label, where in buttons]
                shots.append(("demo " + path, await page.screenshot(type="jpeg", quality=80), centres))
        await browser.close()
    server.shutdown()
    return shots


def _median_ms(work: Any, runs: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    shots = asyncio.run(_shots())
    reader = OcrReader(threads=args.threads)
    t0 = time.perf_counter()
    reader.load()
    print(f"engine load: {(time.perf_counter() - t0) * 1000:.0f} ms (threads={args.threads})")

    _, controls, controls_buttons = shots[0]
    place = controls_buttons[0][1]
    crop = Box(place.x - 80, place.y - 80, 160, 160)
    full_ms = _median_ms(lambda: reader.read(controls), args.runs)
    crop_ms = _median_ms(lambda: reader.read(controls, region=crop), args.runs)
    near_ms = _median_ms(lambda: reader.text_near(controls, place), args.runs)
    print(f"read, full 1280x800 frame: median {full_ms:.0f} ms")
    print(f"read, 160x160 crop:        median {crop_ms:.0f} ms")
    print(f"text_near (320x160 crop):  median {near_ms:.0f} ms")

    hits = total = 0
    print(f"\n{'page':<15} {'label':<22} {'read':<24} ok")
    for path, jpeg, buttons in shots:
        for label, centre in buttons:
            got = reader.text_near(jpeg, centre)
            ok = _same(got, label)
            hits += ok
            total += 1
            print(f"{path:<15} {label:<22} {got!r:<24} {'yes' if ok else 'NO'}")
    print(f"\nhit rate: {hits}/{total} button labels read exactly by text_near")


if __name__ == "__main__":
    main()

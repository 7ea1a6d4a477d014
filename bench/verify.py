"""Cost of the visual-diff verifier: the diff per frame pair, and the settle wait per step.

(a) ``diff_frames`` on screenshot-like 1280×800 pairs (JPEG q80, decoded beforehand) next to the
    floor of a bare ``cv2.absdiff`` on the same grey frames; the decode is reported on its own.
(b) ``Settler.wait`` after a click that changes nothing on a static page in real headless
    Chromium, capturing with ``page.screenshot(type="jpeg", quality=80)``, next to the floor of
    one screenshot; then what the grace costs on a dead click, and that a late effect is caught.
(c) The verifier as the loop runs it (``PixelVerifier.verify``), by pixels alone (desktops, and
    every browser step before page signals) and with the page's own signals (``activity.js``): a
    dead click, an effect at once, an effect 600 ms late by a timer and by a slow request.

    .venv/bin/python bench/verify.py            # all three parts
    .venv/bin/python bench/verify.py --only-verifier --verify-steps 9
    .venv/bin/python bench/verify.py --no-browser --runs 200
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

import cv2
import numpy as np
from playwright.async_api import async_playwright

from homebody.sessions.browser.activity import PageActivityReader
from homebody.sessions.browser.launch import find_browser, launch_flags
from homebody.types import Click, Frame, PageActivity, Size, Verification
from homebody.vision.pixels.diff import diff_frames
from homebody.vision.pixels.regions import decode
from homebody.vision.pixels.settle import Settler, SettleResult
from homebody.vision.pixels.verifier import PixelVerifier

W, H = 1280, 800
FLAGS = launch_flags(headless=True, running_as_root=os.geteuid() == 0)
# Styled buttons: no native hover or focus look, so a click that does nothing draws nothing.
BUTTON_CSS = (
    "position:absolute;width:180px;height:48px;border:1px solid #557;background:#dde;outline:none;font:16px serif"
)
HTML = (
    "<title>verify</title><body style='margin:0;font:15px sans-serif;background:#fff'>"
    "<h1 style='margin:20px 40px'>A static page</h1>"
    + "".join(f"<p style='margin:4px 40px'>Line {i}: nothing on this page moves by itself.</p>" for i in range(12))
    + f"<button id=dead style='left:100px;top:520px;{BUTTON_CSS}'>does nothing</button>"
    f"<button id=late style='left:320px;top:520px;{BUTTON_CSS}' "
    "onclick='setTimeout(()=>{this.textContent=++window.n},600)'>late</button>"
    f"<button id=now style='left:540px;top:520px;{BUTTON_CSS}' onclick='this.textContent=++window.n'>now</button>"
    f"<button id=fetch style='left:760px;top:520px;{BUTTON_CSS}' "
    "onclick='fetch(\"/slow\").then(r=>r.text()).then(t=>{this.textContent=t+(++window.n)})'>request</button>"
    "<script>window.n=0</script>"
)
PAGE = "data:text/html," + quote(HTML)  # quoted: a bare '#' would end the document
SITE = "http://127.0.0.1:9/"  # part (c): the page served by a route (a real origin, so it can fetch)
DEAD, LATE, NOW, FETCH = (190, 544), (410, 544), (630, 544), (850, 544)
SLOW_S = 0.6  # the request button's answer comes this late


# --------------------------------------------------------------------------- (a) the diff


def page_image(seed: int, *, shift: int = 0) -> np.ndarray:
    """A screenshot-like page: header, sidebar, text, a field, a button, a photo; ``shift`` scrolls it."""
    rng = np.random.default_rng(seed)
    tall = np.full((H + 400, W, 3), 255, np.uint8)
    for i in range(44):
        words = " ".join(f"word{int(v)}" for v in rng.integers(0, 1000, 8))
        cv2.putText(tall, words, (240, 90 + 26 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (30, 30, 30), 1, cv2.LINE_AA)
    yy, xx = np.mgrid[0:220, 0:300]
    photo = np.stack([(xx * 0.6 + yy * 0.3) % 255, (yy * 0.9) % 255, (xx * 0.2 + 90) % 255], -1)
    tall[120:340, 920:1220] = np.clip(photo + rng.normal(0, 8, photo.shape), 0, 255).astype(np.uint8)
    img = tall[shift : shift + H].copy()
    cv2.rectangle(img, (0, 0), (W, 56), (60, 40, 30), -1)
    cv2.putText(img, "Shop", (20, 38), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (255, 255, 255), 2, cv2.LINE_AA)
    cv2.rectangle(img, (0, 56), (200, H), (245, 245, 245), -1)
    for i in range(14):
        cv2.putText(img, f"Menu {i}", (20, 100 + 40 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (40, 40, 40), 1, cv2.LINE_AA)
    cv2.rectangle(img, (920, 600), (1100, 644), (200, 120, 30), -1)
    cv2.rectangle(img, (920, 420), (1220, 456), (150, 150, 150), 1)
    return img


def article_image() -> np.ndarray:
    """Another site's page: a different header, a hero image, two columns of text."""
    img = np.full((H, W, 3), 250, np.uint8)
    cv2.rectangle(img, (0, 0), (W, 80), (30, 90, 160), -1)
    cv2.putText(img, "News", (40, 55), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (255, 255, 255), 2, cv2.LINE_AA)
    cv2.rectangle(img, (40, 110), (W - 40, 330), (90, 140, 90), -1)
    for i in range(16):
        for x in (40, 680):
            text = "the quick brown fox jumps over"
            cv2.putText(img, text, (x, 370 + 26 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (20, 20, 20), 1, cv2.LINE_AA)
    return img


def jpeg(img: np.ndarray) -> bytes:
    return cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()


def pairs() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    base = page_image(0)
    button = base.copy()
    cv2.rectangle(button, (920, 600), (1100, 644), (40, 160, 40), -1)
    typed = base.copy()
    cv2.putText(typed, "hello world", (930, 444), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 0, 0), 1, cv2.LINE_AA)
    rerender = cv2.imencode(".jpg", decode(jpeg(base)), [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()
    raw = {
        "button repaint (local)": button,
        "typing in a field (local)": typed,
        "scroll by 120 px (global)": page_image(0, shift=120),
        "new content, same layout": page_image(1),
        "navigation to another layout (global)": article_image(),
    }
    before = decode(jpeg(base))
    out = {name: (before, decode(jpeg(img))) for name, img in raw.items()}
    out["JPEG re-encode (none)"] = (before, decode(rerender))
    return out


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def row(label: str, values: list[float], extra: str = "") -> None:
    print(f"  {label:<50}{statistics.median(values):>8.2f}{p95(values):>8.2f}  {extra}")


def bench_diff(runs: int) -> None:
    print(f"(a) diff per frame pair, {W}x{H} JPEG q80 decoded beforehand, {runs} runs each, 1 OpenCV thread")
    print(f"  {'pair':<50}{'median':>8}{'p95':>8}  ms")
    everything: list[float] = []
    for name, (a, b) in pairs().items():
        effect = diff_frames(a, b).effect
        values = timed(lambda a=a, b=b: diff_frames(a, b), runs)  # type: ignore[misc]
        everything += values
        row(name, values, f"-> {effect}")
    row("all pairs together", everything, "target <= 5 ms median")
    a, b = pairs()["navigation to another layout (global)"]
    ga, gb = cv2.cvtColor(a, cv2.COLOR_BGR2GRAY), cv2.cvtColor(b, cv2.COLOR_BGR2GRAY)
    row("floor: bare cv2.absdiff on the grey frames", timed(lambda: cv2.absdiff(ga, gb), runs))
    data = jpeg(page_image(1))
    row("decode one JPEG frame (regions.decode)", timed(lambda: decode(data), runs), "paid per new frame")
    before = Frame(jpeg(page_image(0)), "jpeg", Size(W, H), 0.0)
    after = Frame(data, "jpeg", Size(W, H), 0.0)
    row("Frame pair -> DiffResult (2 decodes + diff)", timed(lambda: diff_frames(before, after), runs))
    row("identical Frames (bytes fast path)", timed(lambda: diff_frames(before, before), runs))


# --------------------------------------------------------------------------- (b) the settle wait


class Screencast:
    """The browser's screencast as a change signal: the monotonic time of its last frame."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self.last = time.monotonic() - 10
        self.frames = 0
        self._acks: set[asyncio.Task[Any]] = set()

    def on_frame(self, params: dict[str, Any]) -> None:
        self.last = time.monotonic()
        self.frames += 1
        task = asyncio.ensure_future(self._session.send("Page.screencastFrameAck", {"sessionId": params["sessionId"]}))
        self._acks.add(task)
        task.add_done_callback(self._acks.discard)

    def activity(self) -> float:
        return self.last


async def settle_steps(
    page: Any,
    capture: Callable[[], Awaitable[Frame]],
    point: tuple[int, int],
    steps: int,
    *,
    use_before: bool = True,
    **wait: Any,
) -> list[SettleResult]:
    """``steps`` times: capture the before-frame (as the loop's observe does), click, time the wait."""
    settler = Settler()
    out = []
    for _ in range(steps):
        before = await capture()
        await page.mouse.click(*point)
        out.append(await settler.wait(capture, before=before if use_before else None, **wait))
        await asyncio.sleep(0.05)
    return out


def settle_row(label: str, results: list[SettleResult], extra: str = "") -> None:
    waited = [r.waited_ms for r in results]
    captures = statistics.median(r.captures for r in results)
    row(label, waited, f"{captures:g} captures; {extra}")


async def bench_settle(steps: int) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_browser(None), args=FLAGS)
        page = await browser.new_page(viewport={"width": W, "height": H}, device_scale_factor=1)
        await page.goto(PAGE)

        async def capture() -> Frame:
            data = await page.screenshot(type="jpeg", quality=80)
            return Frame(data, "jpeg", Size(W, H), time.time())

        await page.mouse.move(*DEAD)
        for _ in range(5):  # warm-up
            await capture()
        shots = []
        for _ in range(steps):
            t0 = time.perf_counter()
            await capture()
            shots.append((time.perf_counter() - t0) * 1000)
        await report_settle(page, capture, steps, shots)
        await browser.close()


async def report_settle(page: Any, capture: Callable[[], Awaitable[Frame]], steps: int, shots: list[float]) -> None:
    print(f"\n(b) settle wait per step after a click, headless Chromium {W}x{H}, screenshot JPEG q80, {steps} steps")
    print(f"  {'variant':<50}{'median':>8}{'p95':>8}  ms")
    row("floor: one page.screenshot", shots)
    dead = await settle_steps(page, capture, DEAD, steps, grace_ms=0)
    settle_row("static page, before-frame, grace 0", dead, "target <= 150 ms median")
    bare = await settle_steps(page, capture, DEAD, steps, grace_ms=0, use_before=False)
    settle_row("static page, no before-frame (quiet_ms=120)", bare)
    few = max(3, steps // 6)
    graced = await settle_steps(page, capture, DEAD, few, grace_ms=800)
    settle_row("dead click, grace 800 (what a dead click costs)", graced, changed(graced))
    now = await settle_steps(page, capture, NOW, few, grace_ms=800)
    settle_row("button repaints at once, grace 800", now, changed(now))
    late = await settle_steps(page, capture, LATE, few, grace_ms=800)
    settle_row("button repaints after 600 ms, grace 800", late, changed(late))
    await report_signal(page, capture, steps, few)


class Signals:
    """The browser computer's ``activity()`` on a bare Playwright page (``PageSignals``)."""

    def __init__(self, page: Any) -> None:
        self._page = page
        self._reader = PageActivityReader(1.0)

    async def cover(self) -> None:
        await self._reader.cover(self._page)

    async def activity(self) -> PageActivity | None:
        return await self._reader.read(self._page)


async def verify_steps(
    page: Any, capture: Callable[[], Awaitable[Frame]], point: tuple[int, int], steps: int, signals: Signals | None
) -> list[Verification]:
    """``steps`` times: a before-frame, a click at ``point``, ``verify`` (the loop's settle and guard left out)."""
    verifier = PixelVerifier()
    await verifier.learn(capture, signals)
    out = []
    for _ in range(steps):
        before = await capture()
        await page.mouse.click(*point)
        out.append(await verifier.verify(capture, before, Click(x=point[0], y=point[1]), None, signals))
        await asyncio.sleep(0.05)
    return out


def verify_row(label: str, results: list[Verification], extra: str = "") -> None:
    seen = sum(r.effect != "none" for r in results)
    row(label, [r.waited_ms for r in results], f"effect seen {seen}/{len(results)}; {extra}")


async def bench_verifier(steps: int) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_browser(None), args=FLAGS)
        page = await browser.new_page(viewport={"width": W, "height": H}, device_scale_factor=1)

        async def serve(route: Any) -> None:
            if route.request.url.endswith("/slow"):
                await asyncio.sleep(SLOW_S)
                await route.fulfill(body="answer ", content_type="text/plain")
            else:
                await route.fulfill(body=HTML, content_type="text/html")

        await page.route(SITE + "**", serve)
        signals = Signals(page)
        await signals.cover()
        await page.goto(SITE)

        async def capture() -> Frame:
            data = await page.screenshot(type="jpeg", quality=80, caret="hide")
            return Frame(data, "jpeg", Size(W, H), time.time())

        await page.mouse.move(*DEAD)
        print(f"\n(c) the verifier after a click (verify only), headless Chromium {W}x{H}, {steps} steps each")
        print(f"  {'variant':<50}{'median':>8}{'p95':>8}  ms")
        cases = [
            ("dead click", DEAD, "target <= 250 ms"),
            ("button repaints at once", NOW, "target <= 100 ms"),
            ("button repaints 600 ms later (timer)", LATE, "target: seen 5/5"),
            (f"button repaints after a {SLOW_S * 1000:.0f} ms request", FETCH, ""),
        ]
        for label, point, target in cases:
            for how, sig in (("pixels", None), ("signals", signals)):
                results = await verify_steps(page, capture, point, steps, sig)
                verify_row(f"{label}, {how}", results, target if sig else "")
        await browser.close()


async def report_signal(page: Any, capture: Callable[[], Awaitable[Frame]], steps: int, few: int) -> None:
    """The same with the browser's screencast as the change signal."""
    session = await page.context.new_cdp_session(page)
    cast = Screencast(session)
    session.on("Page.screencastFrame", cast.on_frame)
    await session.send("Page.startScreencast", {"format": "jpeg", "quality": 60})
    await asyncio.sleep(0.3)
    signal = cast.activity
    dead = await settle_steps(page, capture, DEAD, steps, grace_ms=0, activity=signal)
    settle_row("static page, screencast signal, grace 0", dead)
    graced = await settle_steps(page, capture, DEAD, few, grace_ms=800, activity=signal)
    settle_row("dead click, screencast signal, grace 800", graced, changed(graced))
    now = await settle_steps(page, capture, NOW, few, grace_ms=800, activity=signal)
    settle_row("button repaints at once, screencast signal", now, changed(now))
    late = await settle_steps(page, capture, LATE, few, grace_ms=800, activity=signal)
    settle_row("button repaints after 600 ms, screencast signal", late, changed(late))
    await session.send("Page.stopScreencast")


def changed(results: list[SettleResult]) -> str:
    return f"changed {sum(bool(r.changed) for r in results)}/{len(results)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200, help="diff runs per pair")
    parser.add_argument("--steps", type=int, default=30, help="settle steps per variant")
    parser.add_argument("--verify-steps", type=int, default=5, help="clicks per variant in part (c)")
    parser.add_argument("--no-browser", action="store_true", help="skip parts (b) and (c)")
    parser.add_argument("--only-verifier", action="store_true", help="part (c) only")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    if not args.only_verifier:
        bench_diff(args.runs)
    if not args.no_browser:
        if not args.only_verifier:
            asyncio.run(bench_settle(args.steps))
        asyncio.run(bench_verifier(args.verify_steps))


if __name__ == "__main__":
    main()

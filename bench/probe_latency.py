"""Probe + check latency (what the loop pays before a click) next to the floor of one bare DevTools hit test.

    .venv/bin/python bench/probe_latency.py [--probes 200]

Probes points over every kind of button in tests/fixtures/probe/ (submit input, clickable div, role
button, icon-only button, open and closed shadow roots, same-origin, same-site and cross-site frames,
a dialog, a listener-only div) plus plain text and a canvas, and scrolled pages (a commit button below
the fold with its neighbours, an inner scroll container, ::before/::after icons, scrolled iframes on a
scrolled page), in headless Chromium at 1280x800. Each page gets one untimed warm-up round (its
isolated worlds and frame sessions are made then). The floor is ``DOM.getNodeForLocation`` alone, on
the same points (moved into document coordinates, as the probe does), in the same run.
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

from homebody.safety.checker import RulesChecker
from homebody.safety.policy import Policy
from homebody.sessions.browser.launch import find_browser, launch_flags
from homebody.sessions.browser.probe import Prober
from homebody.types import Click, Frame, Size

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "probe"
FLAGS = launch_flags(headless=True, running_as_root=os.geteuid() == 0)

# page → (label, how to find the point): a selector on the page, or (iframe selector, selector inside).
POINTS: dict[str, list[tuple[str, Any]]] = {
    "controls.html": [
        ("submit input", "#place"),
        ("div + cursor", "#buy-label b"),
        ("div + listener", "#subscribe-label"),
        ("role=button", "#send"),
        ("icon button svg", "#send-path"),
        ("form= button", "#outside"),
        ("plain text", "#para-em"),
        ("canvas", "#canvas"),
    ],
    "shadow.html": [("open shadow", "#confirm-open"), ("closed shadow", "closed")],
    "frames.html?other={other}": [
        ("same-origin frame", ("#same", "#post")),
        ("same-site frame", ("#sibling", "#post")),
        ("cross-site frame", ("#cross", "#post")),
    ],
    "dialog.html": [("dialog button", "#delete")],
    # Scrolled pages: the query string only keys the set-up below (the file server ignores it).
    "scrolled.html?page": [
        ("scrolled: above", "#above"),
        ("scrolled: commit", "#place"),
        ("scrolled: below", "#below"),
    ],
    "scrolled.html?inner": [("inner container", "#close-account")],
    "scrolled.html?icons": [("::before icon", ("icon", "#compose")), ("::after link", ("icon", "#trash"))],
    "scrolled-frames.html?same": [("scrolled same frame", ("#same", "#post"))],
    "scrolled-frames.html?cross": [("scrolled cross frame", ("#cross", "#post"))],
}
# What to scroll once a page is open: the page (script), and a frame's own document (selector, script).
SCROLLS: dict[str, tuple[str, tuple[str, str] | None]] = {
    "scrolled.html?page": ("scrollTo(0, 1000)", None),
    "scrolled.html?inner": ("scrollTo(0, 120); document.getElementById('box').scrollTop = 760", None),
    "scrolled.html?icons": ("scrollTo(0, 1300)", None),
    "scrolled-frames.html?same": ("scrollTo(0, 900)", ("#same", "scrollTo(0, 700)")),
    "scrolled-frames.html?cross": ("scrollTo(0, 1300)", ("#cross", "scrollTo(0, 700)")),
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve() -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(FIXTURES)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


async def _point(page: Page, where: Any) -> tuple[float, float]:
    if where == "closed":  # laid out like its open twin, one host lower
        twin, host = await page.locator("#open-host").bounding_box(), await page.locator("#closed-host").bounding_box()
        button = await page.locator("#confirm-open").bounding_box()
        assert twin and host and button
        return button["x"] + 10, button["y"] - twin["y"] + host["y"] + button["height"] / 2
    if isinstance(where, tuple) and where[0] == "icon":  # on the ::before / ::after box, not the text
        box = await page.locator(where[1]).bounding_box()
        assert box is not None, where
        x = box["x"] + 32 if where[1] == "#compose" else box["x"] + box["width"] - 32
        return x, box["y"] + box["height"] / 2
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
        return origin[0] + inner[0], origin[1] + inner[1]
    box = await page.locator(where).bounding_box()
    assert box is not None, where
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


async def _scroll(page: Page, path: str) -> tuple[float, float]:
    """Scroll as ``SCROLLS`` says for ``path``; the page's scroll offset (what the hit test adds)."""
    page_js, frame = SCROLLS.get(path, ("", None))
    if page_js:
        await page.evaluate(f"() => {{ {page_js}; }}")
    if frame is not None:
        await page.frame_locator(frame[0]).locator("body").evaluate(f"() => {{ {frame[1]}; }}")
    x, y = await page.evaluate("[scrollX, scrollY]")
    return float(x), float(y)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(probes: int) -> None:
    main, other = _serve(), _serve()
    base = f"http://127.0.0.1:{main.server_address[1]}/"
    total_points = sum(len(v) for v in POINTS.values())
    rounds = max(1, round(probes / total_points))
    timings: dict[str, list[float]] = {}
    floor: list[float] = []
    names: dict[str, str] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_browser(None), args=FLAGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
        prober = Prober(lambda: page)
        checker = RulesChecker(Policy(), task_id="bench")
        frame = Frame(data=b"", format="jpeg", size=Size(1280, 800), ts=0.0)
        cdp = await page.context.new_cdp_session(page)
        for path, points in POINTS.items():
            await page.goto(base + path.format(other=other.server_address[1]), wait_until="load")
            scroll = await _scroll(page, path)
            located = [(label, await _point(page, where)) for label, where in points]
            for label, (x, y) in located:  # warm-up: worlds, frame sessions
                names[label] = (await prober.at_point(x, y)).name
            for _ in range(rounds):
                for label, (x, y) in located:
                    t0 = time.perf_counter()
                    target = await prober.at_point(x, y)
                    await checker.check(Click(x=x, y=y), target, frame)  # classify + policy, as the loop does
                    timings.setdefault(label, []).append((time.perf_counter() - t0) * 1000)
                    t0 = time.perf_counter()
                    point = {"x": int(x + scroll[0]), "y": int(y + scroll[1]), "ignorePointerEventsNone": True}
                    await cdp.send("DOM.getNodeForLocation", point)
                    floor.append((time.perf_counter() - t0) * 1000)
        await browser.close()
    for server in (main, other):
        server.shutdown()
    every = [t for values in timings.values() for t in values]
    print(f"{'target':<20} {'name':<22} {'median ms':>9} {'p95 ms':>7}")
    for label, values in timings.items():
        print(f"{label:<20} {names[label]!r:<22} {statistics.median(values):9.2f} {_pct(values, 0.95):7.2f}")
    med, p95 = statistics.median(every), _pct(every, 0.95)
    f_med, f_p95 = statistics.median(floor), _pct(floor, 0.95)
    print(f"\nprobe+check ({len(every)} checks): median {med:.2f} ms, p95 {p95:.2f} ms (target p95 <= 25 ms)")
    print(f"floor  (bare DOM.getNodeForLocation, {len(floor)} calls): median {f_med:.2f} ms, p95 {f_p95:.2f} ms")
    print(f"ratio  probe+check/floor: median {med / f_med:.1f}x, p95 {p95 / f_p95:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probes", type=int, default=200)
    asyncio.run(run(parser.parse_args().probes))


if __name__ == "__main__":
    main()

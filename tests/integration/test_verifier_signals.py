"""The verifier on a browser's own signals: it stops waiting when nothing more is coming, and only then.

Real Chromium, a real loopback HTTP server (its ``/slow`` answers after ``SLOW_S``, longer than the
pixel method's grace), the real page script (``activity.js``). Each case is verified twice where the
contrast matters: with the page's signals (the browser) and by pixels alone (as on a desktop).
"""

from __future__ import annotations

import asyncio
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from homebody.config import Settings
from homebody.sessions.browser.computer import BrowserComputer
from homebody.types import Click, Point, Verification
from homebody.vision.pixels.diff import diff_frames
from homebody.vision.pixels.settle import DEFAULT_GRACE_MS
from homebody.vision.pixels.verifier import PixelVerifier

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "verify"
SLOW_S = 1.2
DEAD, SLOW, MOVE, WORKER = Point(130, 124), Point(350, 124), Point(570, 124), Point(790, 124)


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if self.path == "/slow":
            time.sleep(SLOW_S)
            body, kind = b"the answer came", "text/plain"
        elif self.path in ("/", "/ticking.html"):
            body, kind = (PAGES / (self.path.strip("/") or "signals.html")).read_bytes(), "text/html"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (_Handler,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


async def _click_and_verify(
    tmp_path: Path, url: str, point: Point, *, signals: bool, clicks: int = 1
) -> tuple[list[Verification], bool]:
    """Open ``url``, learn it, click ``point`` ``clicks`` times, each verified; also whether the
    screen stayed as the last verification left it (nothing came after it)."""
    computer = await BrowserComputer.open(Settings(data_dir=tmp_path), ephemeral=True)
    try:
        await computer.navigate(url)
        verifier = PixelVerifier()
        source = computer if signals else None
        await verifier.learn(computer.capture, source)
        found = []
        for _ in range(clicks):
            before = await computer.capture()
            await computer.click(point)
            await computer.settle()
            found.append(await verifier.verify(computer.capture, before, Click(x=point.x, y=point.y), None, source))
        await asyncio.sleep(0.3)
        stayed = diff_frames(found[-1].frame, await computer.capture()).effect == "none"
    finally:
        await computer.close()
    return found, stayed


def check(tmp_path: Path, url: str, point: Point, *, signals: bool, clicks: int = 1) -> tuple[list[Verification], bool]:
    return asyncio.run(_click_and_verify(tmp_path, url, point, signals=signals, clicks=clicks))


def test_a_click_that_starts_a_slow_request_is_waited_for_not_declared_dead(
    tmp_path: Path, site: tuple[str, list[str]]
) -> None:
    base, hits = site
    hits.clear()
    (by_signals,), stayed = check(tmp_path, base + "/", SLOW, signals=True)
    assert hits.count("/slow") == 1
    assert by_signals.effect == "local" and by_signals.settled and stayed
    assert any(b.y >= 190 for b in by_signals.boxes), by_signals.boxes
    assert by_signals.waited_ms >= SLOW_S * 1000 * 0.9  # it waited for the answer, not a fixed grace
    # By pixels alone the grace runs out first: the same click looks dead (as on a desktop).
    (by_pixels,), _ = check(tmp_path, base + "/", SLOW, signals=False)
    assert by_pixels.effect == "none"


def test_a_dead_click_is_known_before_the_pixel_grace_ends(tmp_path: Path, site: tuple[str, list[str]]) -> None:
    found, stayed = check(tmp_path, site[0] + "/", DEAD, signals=True, clicks=3)
    assert [v.effect for v in found] == ["none"] * 3 and stayed
    assert sorted(v.waited_ms for v in found)[1] < DEFAULT_GRACE_MS


def test_an_animation_the_click_starts_is_waited_for_to_its_end(tmp_path: Path, site: tuple[str, list[str]]) -> None:
    (moved,), stayed = check(tmp_path, site[0] + "/", MOVE, signals=True)
    assert moved.effect != "none" and moved.settled
    assert stayed, "the verified screen is the one the transition ends on"
    assert any(b.x + b.width >= 600 for b in moved.boxes), moved.boxes


def test_a_workers_late_answer_is_waited_for(tmp_path: Path, site: tuple[str, list[str]]) -> None:
    (answered,), stayed = check(tmp_path, site[0] + "/", WORKER, signals=True)
    assert answered.effect == "local" and stayed


def test_a_page_that_keeps_changing_by_itself_is_judged_by_pixels(tmp_path: Path, site: tuple[str, list[str]]) -> None:
    # Its DOM changes every 40 ms: the page never says "quiet", so the pixel grace decides, as before.
    (dead,), _ = check(tmp_path, site[0] + "/ticking.html", Point(130, 124), signals=True)
    assert dead.effect == "none"
    assert dead.waited_ms >= DEFAULT_GRACE_MS * 0.9

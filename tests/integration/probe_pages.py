"""The probe fixture pages (tests/fixtures/probe/) on local servers, and helpers to probe them.

Each server answers GET with the fixture files and records every POST it receives, so a test can
assert that a page never sent a commit. Tests drive Playwright's async API inside their own
``asyncio.run``: the session already holds a sync Playwright on the main thread (the ``measure``
fixture), and the two must not share a loop.
"""

from __future__ import annotations

import asyncio
import functools
import http.server
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from playwright.async_api import Frame, Page, async_playwright

from homebody.sessions.browser.launch import find_browser
from homebody.sessions.browser.probe import Prober
from homebody.types import TargetInfo
from tests.conftest import CHROMIUM_FLAGS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "probe"
T = TypeVar("T")


class _Handler(http.server.SimpleHTTPRequestHandler):
    posts: list[tuple[str, bytes]]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.posts.append((self.path, self.rfile.read(length)))  # type: ignore[attr-defined]
        body = b"<!doctype html><title>Done</title><p>Received.</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """A fixture server on ``host`` (any free port) that logs POSTs in ``server.posts``."""
    server = http.server.ThreadingHTTPServer((host, 0), functools.partial(_Handler, directory=str(FIXTURES)))
    server.posts = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class Site:
    url: str  # http://127.0.0.1:PORT
    other_port: int  # a second server on 127.0.0.1: same site, other origin
    servers: list[http.server.ThreadingHTTPServer] = field(default_factory=list)

    @property
    def posts(self) -> list[tuple[str, bytes]]:
        """Every POST the fixture servers received, in order."""
        return [post for server in self.servers for post in server.posts]  # type: ignore[attr-defined]

    @property
    def cross_url(self) -> str:
        """The same server under another host name: another site to the browser."""
        return self.url.replace("127.0.0.1", "localhost")


def start_site() -> Site:
    main, other = serve(), serve()
    return Site(f"http://127.0.0.1:{main.server_address[1]}", int(other.server_address[1]), [main, other])


def site_fixture() -> Iterator[Site]:
    site = start_site()
    yield site
    for server in site.servers:
        server.shutdown()
        server.server_close()


def on_page(url: str, body: Callable[[Page, Prober], Awaitable[T]], *, viewport: tuple[int, int] = (1280, 800)) -> T:
    """Open ``url`` in a fresh headless Chromium and run ``body`` with a probe on it."""

    async def main() -> T:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=find_browser(None), args=CHROMIUM_FLAGS)
            try:
                size = {"width": viewport[0], "height": viewport[1]}
                page = await browser.new_page(viewport=size, device_scale_factor=1)  # type: ignore[arg-type]
                await page.goto(url, wait_until="load")
                prober = Prober(lambda: page)
                return await body(page, prober)
            finally:
                await browser.close()

    return asyncio.run(main())


async def centre(scope: Page | Frame, selector: str) -> tuple[float, float]:
    box = await scope.locator(selector).bounding_box()
    assert box is not None, selector
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


async def probe_at(page: Page, prober: Prober, selector: str) -> TargetInfo:
    return await prober.at_point(*await centre(page, selector))


def assert_box(target: TargetInfo, box: dict[str, float] | None) -> None:
    assert target.box is not None and box is not None
    for got, want in zip(target.box, (box["x"], box["y"], box["width"], box["height"]), strict=True):
        assert abs(got - want) < 1.5, (target.box, box)


async def box_in_frame(page: Page, frame_selector: str, selector: str) -> dict[str, float]:
    """An element's box inside an iframe in viewport px, from the frames' own geometry.

    Not ``bounding_box()``: for an out-of-process frame Playwright leaves out the iframe's padding
    (checked against the clientX of a real mouse event inside the frame).
    """
    origin = await page.locator(frame_selector).evaluate(
        "f => { const r = f.getBoundingClientRect(), s = getComputedStyle(f);"
        " return [r.left + f.clientLeft + parseFloat(s.paddingLeft), r.top + f.clientTop + parseFloat(s.paddingTop)]; }"
    )
    inner = (
        await page.frame_locator(frame_selector)
        .locator(selector)
        .evaluate("e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }")
    )
    return {"x": origin[0] + inner[0], "y": origin[1] + inner[1], "width": inner[2], "height": inner[3]}

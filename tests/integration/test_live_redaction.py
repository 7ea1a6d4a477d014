"""The live view's redaction fast path, in a real Chromium: frames of a page without secret fields go
out untouched, and a secret field that appears (in the page, in a shadow root attached later, on the
next page) or moves is masked in every frame that shows it, the first one included.

Every frame the hub publishes is checked (not only those a viewer happens to take). The field has a
magenta background that nothing else on the page has: a magenta pixel in a frame is a leak.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import cv2
import numpy as np

from homebody.config import build_settings
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.browser.live_redact import LiveRedaction
from homebody.sessions.browser.screencast import BrowserScreencast
from homebody.sessions.live import FrameHub, LiveFrame

FIELD = "position:absolute;width:300px;height:80px;border:0;background:#f0f;color:#f0f"
PAGE = f"""<!doctype html><title>animated</title><body style="margin:0;background:#fff">
<canvas id=c width=320 height=240></canvas><div id=spot></div>
<script>
const g = document.getElementById('c').getContext('2d'); let n = 0;
function draw() {{ n++; const v = n % 256; g.fillStyle = `rgb(${{v}},${{v}},${{v}})`; g.fillRect(0, 0, 320, 240);
  requestAnimationFrame(draw); }}
draw();
const field = (x, y) => `<input type=password value=secret style="{FIELD};left:${{x}}px;top:${{y}}px">`;
window.showField = (x, y) => {{ document.getElementById('spot').innerHTML = field(x, y); }};
window.moveField = (x, y) => {{
  const el = document.querySelector('input'); el.style.left = x + 'px'; el.style.top = y + 'px'; }};
window.showSliding = () => {{
  const to = 'transform: translate(700px, 400px)';
  document.head.insertAdjacentHTML('beforeend', `<style>@keyframes slide {{ to {{ ${{to}} }} }}</style>`);
  document.getElementById('spot').innerHTML = field(100, 250);
  document.querySelector('input').style.animation = 'slide 0.6s linear infinite alternate'; }};
window.showInShadow = (x, y) => {{
  document.getElementById('spot').attachShadow({{ mode: 'open' }}).innerHTML = field(x, y); }};
</script>"""
NEXT_FIELD = f'<input type=password value=secret style="{FIELD};left:500px;top:300px">'
WITH_FIELD = PAGE.replace("<div id=spot></div>", f"<div id=spot>{NEXT_FIELD}</div>")


class RecordingHub(FrameHub):
    """A hub that keeps every frame published, so that none escapes the check."""

    def __init__(self) -> None:
        super().__init__()
        self.all: list[LiveFrame] = []

    def publish(self, data: bytes, width: int, height: int, ts: float | None = None) -> LiveFrame:
        frame = super().publish(data, width, height, ts)
        self.all.append(frame)
        return frame


def magenta_pixels(frame: LiveFrame) -> int:
    image = cv2.imdecode(np.frombuffer(frame.data, np.uint8), cv2.IMREAD_COLOR).astype(int)
    b, g, r = image[..., 0], image[..., 1], image[..., 2]
    return int(((r > 180) & (b > 180) & (g < 90)).sum())


Scene = Callable[[BrowserComputer], Awaitable[None]]


def cast_through(tmp_path: Path, scene: Scene) -> tuple[list[LiveFrame], int, LiveRedaction]:
    """Cast ``PAGE`` through the product's redaction; once frames flow on the fast path, run ``scene``
    and keep casting for a second. Returns every published frame, how many came before the scene,
    and the redaction."""
    (tmp_path / "page.html").write_text(PAGE)
    (tmp_path / "field.html").write_text(WITH_FIELD)

    async def main() -> tuple[list[LiveFrame], int, LiveRedaction]:
        settings = build_settings({}, data_dir=tmp_path / "data")
        async with await BrowserComputer.open(settings, ephemeral=True) as computer:
            await computer.navigate((tmp_path / "page.html").as_uri())
            hub = RecordingHub()
            redaction = computer.live_redaction()
            cast = BrowserScreencast(hub, lambda: computer.page, transform=redaction)
            await cast.start()
            try:
                while not (redaction.untouched(time.time()) and len(hub.all) >= 5):
                    await asyncio.sleep(0.05)
                before = len(hub.all)
                await scene(computer)
                await asyncio.sleep(1.0)
            finally:
                await cast.stop()
            return hub.all, before, redaction

    return asyncio.run(asyncio.wait_for(main(), 60))


def assert_never_shown(frames: list[LiveFrame], before: int, redaction: LiveRedaction) -> None:
    assert redaction.reports > 0 and before >= 5
    leaks = [f.seq for f in frames if magenta_pixels(f) > 20]
    assert not leaks, f"the secret field shows unmasked in frames {leaks}"
    assert len(frames) - before >= 5, "the page kept animating: frames must keep coming after the field showed"
    assert redaction.painted > 0  # painted over where the page's watcher said the field was


def test_a_page_without_secret_fields_is_cast_without_a_query_per_frame(tmp_path: Path) -> None:
    async def nothing(computer: BrowserComputer) -> None:
        pass

    frames, before, redaction = cast_through(tmp_path, nothing)
    assert len(frames) >= before + 5 and redaction.reports > 0
    assert redaction.queried == redaction.painted == 0  # every frame went out as it came


def test_a_page_cast_again_is_watched_again(tmp_path: Path) -> None:
    """A tab switched back to still runs the last session's watcher: the new session's takes over."""

    async def again(computer: BrowserComputer) -> None:
        redaction = computer.live_redaction()
        cast = BrowserScreencast(FrameHub(), lambda: computer.page, transform=redaction)
        for _ in range(2):
            await cast.start()
            while not redaction.untouched(time.time()):
                await asyncio.sleep(0.05)
            await cast.stop()

    asyncio.run(asyncio.wait_for(_scene_only(tmp_path, again), 30))


async def _scene_only(tmp_path: Path, scene: Scene) -> None:
    (tmp_path / "page.html").write_text(PAGE)
    settings = build_settings({}, data_dir=tmp_path / "data")
    async with await BrowserComputer.open(settings, ephemeral=True) as computer:
        await computer.navigate((tmp_path / "page.html").as_uri())
        await scene(computer)


def test_a_field_that_appears_and_moves_is_masked_from_its_first_frame(tmp_path: Path) -> None:
    async def appear_and_move(computer: BrowserComputer) -> None:
        # Shown inside an animation frame: the same paint as a canvas redraw.
        await computer.page.evaluate("requestAnimationFrame(() => showField(400, 300))")
        for x, y in ((700, 100), (100, 500), (900, 650), (450, 320)):
            await asyncio.sleep(0.08)
            await computer.page.evaluate(f"moveField({x}, {y})")

    assert_never_shown(*cast_through(tmp_path, appear_and_move))


def test_a_field_that_a_css_animation_moves_is_masked_in_every_frame(tmp_path: Path) -> None:
    async def slide(computer: BrowserComputer) -> None:
        await computer.page.evaluate("showSliding()")  # moves on, no DOM change, until the end

    assert_never_shown(*cast_through(tmp_path, slide))


def test_a_field_in_a_shadow_root_attached_later_is_masked_from_its_first_frame(tmp_path: Path) -> None:
    async def in_shadow(computer: BrowserComputer) -> None:
        await computer.page.evaluate("requestAnimationFrame(() => showInShadow(600, 200))")

    assert_never_shown(*cast_through(tmp_path, in_shadow))


def test_the_next_page_s_field_is_masked_from_its_first_frame(tmp_path: Path) -> None:
    async def navigate(computer: BrowserComputer) -> None:
        await computer.navigate((tmp_path / "field.html").as_uri())

    assert_never_shown(*cast_through(tmp_path, navigate))

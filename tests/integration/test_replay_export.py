"""Replays of real recordings: ``homebody run`` on the demo site, exported, opened offline in Chromium.

The exported page must render its frames from ``file://`` with networking off and no request for
anything, move between steps with the scrubber, buttons and keys, and never run recorded text.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from homebody.recordings.export import export_html
from homebody.recordings.timeline import read_timeline
from homebody.recordings.video import export_video
from homebody.sessions.browser.launch import find_browser
from tests.conftest import CHROMIUM_FLAGS, cli_env, click, write_script
from tests.unit.test_replay import HOSTILE, record, record_held


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_browser(None), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def recording(demo_site, measure, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real task for the module (as the ``hb`` fixture runs it): search, then a one-click
    "Buy now" that the checker halts (exit 3, with a crop)."""
    demo_site.reset()
    tmp = tmp_path_factory.mktemp("replay")
    actions = [
        click(measure("/shop", "input[name=q]")),
        {"kind": "type", "text": "espresso"},
        {"kind": "key", "keys": ["Enter"]},
        {"kind": "scroll", "x": 640, "y": 400, "dx": 0, "dy": 200},
        {"kind": "navigate", "url": demo_site.url + "/shop/product/2"},
        click(measure("/shop/product/2", "#buy-now")),
    ]
    script = write_script(tmp / "s.json", actions)
    args = ["run", "Buy the espresso maker", "--start-url", demo_site.url + "/shop", "--script", str(script)]
    proc = subprocess.run(
        [sys.executable, "-m", "homebody", *args, "--json", "--ephemeral"],
        capture_output=True,
        text=True,
        timeout=90,
        env=cli_env(tmp / "data"),
    )
    assert proc.returncode == 3, proc.stdout[-2000:] + proc.stderr
    return Path(proc.stderr.split("recording: ")[1].strip())


def open_offline(browser: Browser, html: Path) -> tuple[Page, list[str]]:
    """Load ``html`` from file:// with the network off; every other request is recorded and refused."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_offline(True)
    asked: list[str] = []

    def refuse(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    context.route("**/*", refuse)
    page = context.new_page()
    page.on("dialog", lambda dialog: (asked.append("dialog: " + dialog.message), dialog.dismiss()))
    page.goto(html.as_uri())
    page.wait_for_function("Array.from(document.images).every(i => i.complete)")
    return page, asked


def current(page: Page) -> int:
    return int(page.get_attribute("body", "data-current") or "-1")


def test_a_real_recording_exports_to_one_file_that_plays_offline(
    recording: Path, browser: Browser, tmp_path: Path
) -> None:
    timeline = read_timeline(recording)
    assert [s.number for s in timeline.steps] == [1, 2, 3, 4, 5, 6]
    html = export_html(recording, tmp_path / "replay.html")
    page, asked = open_offline(browser, html)
    try:
        widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
        assert len(widths) == 7 and all(w > 0 for w in widths), widths  # six frames and the halt crop
        assert page.locator("section.entry.current").count() == 1 and current(page) == 0
        assert page.locator("section.current svg.overlay circle").count() >= 1  # the first click's marker
        page.keyboard.press("ArrowRight")
        assert current(page) == 1 and "type “espresso”" in page.inner_text("section.current")
        page.click("#next")
        assert current(page) == 2 and page.is_disabled("#prev") is False
        page.focus("#scrub")
        page.keyboard.press("End")  # the range input's own keys move the timeline too
        assert current(page) == 5 and page.input_value("#scrub") == "5"
        assert page.is_visible("section.current .halt img.crop") and page.is_disabled("#next")
        assert "HALTED before acting [purchase]" in page.inner_text("section.current")
        page.fill("#scrub", "3")  # dragging the scrubber fires input events like this
        assert current(page) == 3 and "scroll" in page.inner_text("#position")
        shot = tmp_path / "replay.png"
        page.keyboard.press("End")
        page.screenshot(path=str(shot), full_page=True)
        print(f"replay screenshot: {shot}")
        assert shot.stat().st_size > 10_000
        assert asked == []
    finally:
        page.context.close()


def test_recorded_text_never_runs_as_script_in_the_page(browser: Browser, tmp_path: Path) -> None:
    html = export_html(record(tmp_path / "t", hostile=HOSTILE), tmp_path / "hostile.html")
    page, asked = open_offline(browser, html)
    try:
        assert page.evaluate("window.__pwned") is None
        assert page.locator("img[src='x']").count() == 0 and page.locator("img:not([src^='data:'])").count() == 0
        assert page.locator("script").count() == 2
        assert HOSTILE in page.inner_text("section.current") and HOSTILE in page.inner_text("#position")
        page.click("#next")  # the takeover and the missing frame render too
        page.keyboard.press("End")
        assert "frame missing" in page.inner_text("section.current")
        assert asked == []
    finally:
        page.context.close()


def test_homebody_replay_prints_the_timeline_and_exports_html(hb, recording: Path, tmp_path: Path) -> None:
    data_dir = str(recording.parent.parent)
    shown = hb("replay", "latest", "--data-dir", data_dir)
    assert shown.code == 0, shown.stderr
    assert f"task {recording.name}" in shown.stdout and "HALTED [purchase]" in shown.stdout
    out = tmp_path / "out.html"
    res = hb("replay", recording.name, "--export", str(out), HOMEBODY_DATA_DIR=data_dir)
    assert res.code == 0, res.stderr
    assert out.read_text(encoding="utf-8").count("data:image/jpeg;base64,") == 7
    bad = hb("replay", "../../etc")
    assert bad.code == 2 and "'../../etc' is not a task id" in bad.stderr and "Traceback" not in bad.stderr
    missing = hb("replay", "20261124-033000-1f2e3d4c")
    assert missing.code == 2 and "20261124-033000-1f2e3d4c" in missing.stderr


@pytest.mark.skipif(shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None, reason="ffmpeg is not installed")
def test_a_video_export_is_a_playable_file(tmp_path: Path) -> None:
    out = export_video(record(tmp_path / "t"), tmp_path / "replay.mp4", fps=2)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-show_streams", "-of", "json", str(out)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    (stream,) = json.loads(probe.stdout)["streams"]
    assert stream["codec_name"] == "h264" and (stream["width"], stream["height"]) == (640, 464)
    assert int(stream["nb_read_frames"]) == 7  # five entries, the halt and the takeover held twice


def test_a_held_request_shows_in_homebody_replay_and_in_the_offline_export(
    hb, browser: Browser, tmp_path: Path
) -> None:
    task_id = "20261124-040000-0a0b0c0d"
    data_dir = tmp_path / "data"
    record_held(data_dir / "tasks" / task_id, hostile=HOSTILE)
    shown = hb("replay", "latest", "--data-dir", str(data_dir))
    assert shown.code == 0, shown.stderr
    assert "HALTED [purchase]: the click sends an order" in shown.stdout
    assert "held 1: POST https://shop.test/api/graphql?session=••• · fields: cardNumber, qty" in shown.stdout
    assert "operation: mutation PlaceOrder" in shown.stdout and "[leave_scope]" in shown.stdout
    out = tmp_path / "held.html"
    assert hb("replay", task_id, "--export", str(out), "--data-dir", str(data_dir)).code == 0
    page, asked = open_offline(browser, out)
    try:
        items = page.locator("section.current ol.held > li.held-item")
        assert items.count() == 2
        assert items.nth(0).locator(".held-method").inner_text() == "POST"
        assert items.nth(0).locator(".held-operation").inner_text() == "Operation mutation PlaceOrder"
        assert items.nth(1).locator(".held-url").inner_text() == f"https://elsewhere.test/{HOSTILE}"
        assert "held: POST https://shop.test/api/graphql" in page.inner_text("#position")
        assert page.evaluate("window.__pwned") is None and asked == []
    finally:
        page.context.close()

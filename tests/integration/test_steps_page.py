"""The steps brain finds targets among what the page shows (its controls and text) before OCR.

Real Chromium on small local pages: the same target found by the page and by OCR; a click goes to
the control, not to a heading with the same words; fields found by placeholder or accessible name
(a password field, masked in every frame, has only a placeholder); an icon-only button found by its
aria-label; two equally good controls or an absent target still stop the task; a target drawn only
on a canvas is still found by OCR.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest

from homebody.config import Limits, Settings
from homebody.events import Event, Executed, Proposed
from homebody.operator.loop import Operator
from homebody.operator.sinks import MemorySink
from homebody.operator.task import TaskResult, TaskSpec
from homebody.safety.chain import CheckerChain
from homebody.sessions.browser.computer import BrowserComputer
from homebody.types import Box, BrainInput, Click, PageItem
from homebody.vision.pixels.ocr import OcrReader, TextBox
from homebody.vision.pixels.regions import decode
from homebody.vision.steps.brain import StepsBrain
from homebody.vision.steps.reread import LastRead, read_changes
from tests.fakes import AllowAll

HEAD = '<!doctype html><html><head><title>t</title></head><body style="margin:0;font:18px sans-serif">'
RECORD = """<script>
window.clicks = [];
document.addEventListener("click", (e) => {
  const el = e.target.closest("[id]");
  window.clicks.push(el ? el.id : e.target.localName);
}, true);
</script>"""

LOGIN = f"""{HEAD}
<h1 id="title" style="position:absolute;left:100px;top:40px;margin:0;font-size:32px">Log In</h1>
<input id="user" placeholder="Username" style="position:absolute;left:100px;top:140px;width:300px;height:36px">
<input id="pw" type="password" placeholder="Password"
  style="position:absolute;left:100px;top:210px;width:300px;height:36px">
<button id="login" type="button" style="position:absolute;left:100px;top:280px;width:120px;height:40px">Log In</button>
<button id="more" aria-label="More actions" style="position:absolute;left:900px;top:40px;width:40px;height:40px">
  <svg width="20" height="20" viewBox="0 0 20 20"><circle cx="10" cy="4" r="2"/><circle cx="10" cy="10" r="2"/>
  <circle cx="10" cy="16" r="2"/></svg></button>
{RECORD}</body></html>"""

SEARCH = f"""{HEAD}
<h2 style="position:absolute;left:100px;top:20px;margin:0">Find a product</h2>
<input id="q" placeholder="Search" style="position:absolute;left:100px;top:100px;width:300px;height:36px">
<button id="go" style="position:absolute;left:420px;top:100px;width:100px;height:40px">Search</button>
{RECORD}</body></html>"""

TWO_SEARCHES = f"""{HEAD}
<button id="a" style="position:absolute;left:100px;top:100px;width:100px;height:40px">Search</button>
<button id="b" style="position:absolute;left:600px;top:400px;width:100px;height:40px">Search</button>
{RECORD}</body></html>"""

PLAIN = f"""{HEAD}
<p style="position:absolute;left:100px;top:40px;margin:0">Your order is ready to send.</p>
<button id="continue" style="position:absolute;left:500px;top:300px;width:160px;height:48px">Continue</button>
{RECORD}</body></html>"""

CANVAS = f"""{HEAD}
<h2 style="position:absolute;left:100px;top:20px;margin:0">Rocket</h2>
<canvas id="c" width="500" height="200" style="position:absolute;left:100px;top:200px"></canvas>
<script>
const ctx = document.getElementById("c").getContext("2d");
ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, 500, 200);
ctx.fillStyle = "#000"; ctx.font = "36px sans-serif"; ctx.fillText("Launch", 200, 110);
window.spots = [];
document.getElementById("c").addEventListener("click", (e) => window.spots.push([e.offsetX, e.offsetY]));
</script></body></html>"""


@dataclass
class Run:
    result: TaskResult
    events: list[Event]
    page: object  # what ``js`` returned at the end

    def clicks(self) -> list[Click]:
        return [e.action for e in self.events if isinstance(e, Executed) and isinstance(e.action, Click)]


async def _run(tmp_path: Path, tasks: list[tuple[StepsBrain, str, str]]) -> list[Run]:
    """Each (brain, page, js) runs as its own task on its page, in one browser (one launch)."""
    settings = Settings(data_dir=tmp_path / "data", limits=Limits(max_steps=10))
    computer = await BrowserComputer.open(settings, ephemeral=True)
    runs = []
    try:
        for n, (brain, html, js) in enumerate(tasks):
            page = tmp_path / f"page{n}.html"
            page.write_text(html, encoding="utf-8")
            sink = MemorySink()
            op = Operator(
                computer=computer, brain=brain, checker=CheckerChain([AllowAll()]), sink=sink, limits=settings.limits
            )
            result = await op.run(TaskSpec("t", "steps", page.as_uri(), brain.name, None, 10))
            runs.append(Run(result, sink.events, await computer.page.evaluate(js) if js else None))
    finally:
        await computer.close()
    return runs


def run(tmp_path: Path, *tasks: tuple[StepsBrain, str, str]) -> list[Run]:
    return asyncio.run(_run(tmp_path, list(tasks)))


def test_the_page_and_ocr_find_the_same_target(tmp_path: Path, reader: OcrReader) -> None:
    async def both() -> tuple[Click, Click, StepsBrain, StepsBrain]:
        page = tmp_path / "plain.html"
        page.write_text(PLAIN, encoding="utf-8")
        computer = await BrowserComputer.open(Settings(data_dir=tmp_path / "data"), ephemeral=True)
        try:
            await computer.navigate(page.as_uri())
            frame = await computer.capture()
            items = await computer.page_items()
        finally:
            await computer.close()
        by_page, by_ocr = StepsBrain("click Continue", reader), StepsBrain("click Continue", reader)
        one = await by_page.decide(BrainInput("click Continue", frame, 1, items=items))
        two = await by_ocr.decide(BrainInput("click Continue", frame, 1))
        assert isinstance(one.action, Click) and isinstance(two.action, Click)
        return one.action, two.action, by_page, by_ocr

    on_page, on_pixels, by_page, by_ocr = asyncio.run(both())
    for click in (on_page, on_pixels):  # the button spans (500, 300) to (660, 348)
        assert 500 < click.x < 660 and 300 < click.y < 348, click
    assert abs(on_page.x - on_pixels.x) < 20 and abs(on_page.y - on_pixels.y) < 10
    assert (by_page.ocr_reads, by_page.reads) == (0, 1)  # found without reading the pixels
    assert (by_ocr.ocr_reads, by_ocr.reads) == (1, 1)


def test_clicks_go_to_controls_and_fields_are_found_by_placeholder_or_name(tmp_path: Path, reader: OcrReader) -> None:
    steps = 'type "bob" into Username; type "hunter2" into Password; click Log In; click More actions'
    login = StepsBrain(steps, reader)
    search = StepsBrain('type "lamp" into Search; click Search; done', reader)
    signed, searched = run(
        tmp_path,
        (login, LOGIN, "[document.querySelector('#user').value, document.querySelector('#pw').value, window.clicks]"),
        (search, SEARCH, "[document.querySelector('#q').value, window.clicks]"),
    )
    assert signed.result.outcome == "done", signed.result.reason
    assert signed.page == ["bob", "hunter2", ["user", "pw", "login", "more"]]  # never the heading "Log In"
    assert searched.result.outcome == "done", searched.result.reason
    assert searched.page == ["lamp", ["q", "go"]]  # typed into the field "Search", clicked the button
    assert login.ocr_reads == 0 and search.ocr_reads == 0
    thoughts = [e.thought for e in signed.events if isinstance(e, Proposed)]
    assert any("found 'More actions' on the page" in t for t in thoughts)


def test_two_equally_good_controls_or_an_absent_target_still_stop_the_task(tmp_path: Path, reader: OcrReader) -> None:
    ambiguous, missing = run(
        tmp_path,
        (StepsBrain("click Search; done", reader), TWO_SEARCHES, "window.clicks"),
        (StepsBrain("click Frobnicate; done", reader), TWO_SEARCHES, "window.clicks"),
    )
    assert ambiguous.result.outcome == "halted"
    assert "step 1 ('click Search'): 'Search' appears 2 times" in ambiguous.result.reason
    assert "which one?" in ambiguous.result.reason
    assert missing.result.outcome == "halted"
    assert "step 1 ('click Frobnicate'): 'Frobnicate' is not on screen" in missing.result.reason
    for stopped in (ambiguous, missing):
        assert not [e for e in stopped.events if isinstance(e, Executed)]
        assert stopped.page == []


def test_a_target_drawn_on_a_canvas_is_found_by_ocr(tmp_path: Path, reader: OcrReader) -> None:
    brain = StepsBrain("click Launch; done", reader)
    (drawn,) = run(tmp_path, (brain, CANVAS, "window.spots"))
    assert drawn.result.outcome == "done", drawn.result.reason
    assert brain.ocr_reads == 1
    (spot,) = drawn.page  # type: ignore[misc]
    assert 195 <= spot[0] <= 330 and 75 <= spot[1] <= 120, spot  # on the word "Launch"


PRIVATE = f"""{HEAD}
<label for="name" style="position:absolute;left:100px;top:40px">Full name</label>
<input id="name" value="Alex Private" style="position:absolute;left:220px;top:36px;width:300px;height:30px">
<input id="pw" type="password" value="hunter2-secret" placeholder="Password"
  style="position:absolute;left:220px;top:90px;width:300px;height:30px">
<textarea id="note" style="position:absolute;left:220px;top:140px;width:300px;height:60px">a note to self</textarea>
<div contenteditable="true" style="position:absolute;left:220px;top:220px;width:300px">draft in progress</div>
<div data-homebody-sensitive style="position:absolute;left:220px;top:280px">Account 4111 2222</div>
<p style="position:absolute;left:100px;top:340px;margin:0;display:none">Hidden words</p>
<label style="position:absolute;left:100px;top:380px"><input type="checkbox" value="tok-123"> Remember me</label>
<iframe srcdoc="<button style='margin:0;width:120px;height:40px'>Inside</button>"
  style="position:absolute;left:600px;top:400px;width:300px;height:100px;border:0"></iframe>
</body></html>"""


def test_page_items_carry_names_and_boxes_but_never_what_fields_hold(tmp_path: Path) -> None:
    async def items() -> list[PageItem]:
        page = tmp_path / "private.html"
        page.write_text(PRIVATE, encoding="utf-8")
        computer = await BrowserComputer.open(Settings(data_dir=tmp_path / "data"), ephemeral=True)
        try:
            await computer.navigate(page.as_uri())
            await asyncio.sleep(0.2)  # the frame's document
            return list(await computer.page_items())
        finally:
            await computer.close()

    found = asyncio.run(items())
    text = " | ".join(i.text for i in found)
    for private in ("Alex Private", "hunter2", "a note to self", "draft in progress", "4111", "Hidden words", "tok-"):
        assert private not in text
    fields = {i.text: i for i in found if i.editable}
    assert fields["Full name"].filled and not fields["Full name"].secret
    assert fields["Password"].filled and fields["Password"].secret
    assert [i.role for i in found if i.text == "Remember me" and i.actionable] == ["checkbox"]
    (inside,) = [i for i in found if i.text == "Inside" and i.actionable]  # a same-origin frame, moved into place
    assert 600 <= inside.box.x < 610 and 400 <= inside.box.y < 410 and inside.box.width == pytest.approx(120, abs=1)


STATUS = f"""{HEAD}
<canvas id="c" width="1280" height="800" style="position:absolute;left:0;top:0"></canvas>
<script>
const ctx = document.getElementById("c").getContext("2d");
ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, 1280, 800);
ctx.fillStyle = "#000"; ctx.font = "32px sans-serif";
ctx.fillText("Launch control", 100, 100); ctx.fillText("Fuel level", 100, 300);
window.setStatus = (word) => {{
  ctx.fillStyle = "#fff"; ctx.fillRect(700, 500, 400, 60);
  ctx.fillStyle = "#000"; ctx.fillText("Status: " + word, 700, 540);
}};
window.setStatus("idle");
</script></body></html>"""


class Spy:
    """The real OCR reader, remembering which regions it was asked to read."""

    def __init__(self, reader: OcrReader) -> None:
        self.reader = reader
        self.regions: list[Box | None] = []

    def read(self, image: object, region: Box | None = None) -> list[TextBox]:
        self.regions.append(region)
        return self.reader.read(image, region)  # type: ignore[arg-type]


def test_ocr_reads_again_only_where_the_screen_changed(tmp_path: Path, reader: OcrReader) -> None:
    async def frames() -> tuple[bytes, bytes]:
        page = tmp_path / "status.html"
        page.write_text(STATUS, encoding="utf-8")
        computer = await BrowserComputer.open(Settings(data_dir=tmp_path / "data"), ephemeral=True)
        try:
            await computer.navigate(page.as_uri())
            first = await computer.capture()
            await computer.page.evaluate("window.setStatus('ready')")
            second = await computer.capture()
        finally:
            await computer.close()
        return first.data, second.data

    first, second = (decode(f) for f in asyncio.run(frames()))
    spy = Spy(reader)
    lines, whole = read_changes(spy, first, None)
    assert whole and spy.regions == [None]
    again, whole = read_changes(spy, second, LastRead(first, lines))
    assert not whole
    (region,) = spy.regions[1:]  # one region around the status line, a small part of the screen
    assert region is not None and region.width * region.height < 0.05 * 1280 * 800
    assert sorted(b.text for b in again) == sorted(b.text for b in reader.read(second))
    assert "Status: ready" in [b.text for b in again] and "Launch control" in [b.text for b in again]

"""Replays: a recording written by the real Recorder read back as a timeline, exported as HTML, shown as text."""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest

from homebody.cli.replay import find_recording, format_timeline
from homebody.errors import BadInput
from homebody.events import (
    Approved,
    Checked,
    Event,
    Executed,
    Finished,
    Halted,
    HumanInput,
    Observed,
    Proposed,
    Rejected,
    TakeoverEnded,
    TakeoverStarted,
    TaskStarted,
    Verified,
)
from homebody.recordings.export import export_html, render_html
from homebody.recordings.page import script_json
from homebody.recordings.recorder import Recorder
from homebody.recordings.timeline import Step, Takeover, read_timeline
from homebody.recordings.video import export_video
from homebody.types import Click, Done, Frame, HeldEffect, InputEvent, Outgoing, Size, TypeText

HOSTILE = '</script><img src=x onerror="window.__pwned=1;alert(1)">'
TASK = "20261124-033000-1f2e3d4c"
W, H = 640, 400


def jpeg(shade: int) -> bytes:
    image = np.full((H, W, 3), shade, dtype=np.uint8)
    cv2.rectangle(image, (100, 100), (300, 160), (40, 40, 200), -1)
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return data.tobytes()


def frame(shade: int = 230) -> Frame:
    return Frame(data=jpeg(shade), format="jpeg", size=Size(W, H), ts=time.time(), url="http://shop.test/")


def observed(step: int, title: str = "Shop") -> Observed:
    return Observed(
        task_id=TASK,
        step=step,
        frame=f"frames/{step:04d}.jpg",
        url="http://shop.test/pay",
        title=title,
        width=W,
        height=H,
    )


def synthetic_events(hostile: str = "") -> list[tuple[Event, Frame | None]]:
    """Four steps: a click (verified), typing (no effect), a halted payment taken over and rejected, done
    (its frame never reached the disk)."""
    pay = Click(x=200, y=130)
    start = TaskStarted(
        task_id=TASK, instruction="Pay the bill", start_url="http://shop.test/", brain="script", max_steps=9
    )
    change = Verified(task_id=TASK, step=1, effect="local", score=0.1, boxes=((90, 60, 60, 40),), note="waited 120 ms")
    halt = Halted(
        task_id=TASK, step=3, action=pay, category="purchase", reason="Pay button", crop="frames/0003-halt.jpg"
    )
    enter = InputEvent(kind="key", key="Enter")
    typed = InputEvent(kind="text", text="secret").redacted()
    return [
        (start, None),
        (observed(1, hostile or "Shop"), frame()),
        (Proposed(task_id=TASK, step=1, action=Click(x=120, y=80), thought=hostile or "open the bill"), None),
        (Checked(task_id=TASK, step=1, checker="chain", verdict="allow"), None),
        (Executed(task_id=TASK, step=1, action=Click(x=120, y=80)), None),
        (change, None),
        (observed(2), frame(220)),
        (Proposed(task_id=TASK, step=2, action=TypeText(text="hello")), None),
        (Checked(task_id=TASK, step=2, checker="chain", verdict="allow"), None),
        (Executed(task_id=TASK, step=2, action=TypeText(text="hello")), None),
        (Verified(task_id=TASK, step=2, effect="none", note="nothing changed"), None),
        (observed(3), frame(210)),
        (Proposed(task_id=TASK, step=3, action=pay, thought="press Pay"), None),
        (
            Checked(task_id=TASK, step=3, checker="chain", verdict="halt", category="purchase", reason="Pay button"),
            None,
        ),
        (halt, frame(100)),
        (TakeoverStarted(task_id=TASK, step=3), None),
        (HumanInput(task_id=TASK, step=3, input=InputEvent(kind="move", x=300, y=200)), None),
        (HumanInput(task_id=TASK, step=3, input=InputEvent(kind="click", x=310, y=210)), None),
        (HumanInput(task_id=TASK, step=3, input=typed), None),
        (HumanInput(task_id=TASK, step=3, input=enter, ok=False, error="page closed"), None),
        (TakeoverEnded(task_id=TASK, step=3, summary="the amount field changed"), None),
        (Rejected(task_id=TASK, step=3, note="not this month"), None),
        (observed(4), None),  # a crash between event and frame: the frame is missing
        (Proposed(task_id=TASK, step=4, action=Done(answer="left unpaid")), None),
        (Finished(task_id=TASK, step=4, outcome="done", answer="left unpaid", steps=3), None),
    ]  # fmt: skip


def record(task_dir: Path, hostile: str = "") -> Path:
    rec = Recorder(task_dir)

    async def go() -> None:
        for event, image in synthetic_events(hostile):
            await rec.emit(event, image)

    try:
        # a thread of its own: callers may already run an event loop (sync Playwright does)
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, go()).result(timeout=30)
    finally:
        rec.close()
    return task_dir


def held_effects(hostile: str = "") -> tuple[HeldEffect, ...]:
    """What a click on "Pay" would send, held by the effect gate: a GraphQL order, and a step off the task's sites."""
    order = Outgoing(
        kind="request",
        method="POST",
        url="https://shop.test/api/graphql?session=•••",
        fields=("cardNumber", "qty", *((hostile,) if hostile else ())),
        operation="mutation PlaceOrder",
        size=180,
    )
    away = Outgoing(kind="navigation", method="GET", url="https://elsewhere.test/" + hostile)
    return (
        HeldEffect(id="h1", outgoing=order, category="purchase", reason="the request places an order"),
        HeldEffect(
            id="h2", outgoing=away, category="leave_scope", reason="elsewhere.test is not one of the task's sites"
        ),
    )


def held_halt(task_id: str = TASK, step: int = 1, hostile: str = "") -> Halted:
    """A halt after the action ran: what it would send is held (as the effect gate records it)."""
    return Halted(
        task_id=task_id,
        step=step,
        action=Click(x=200, y=130),
        category="purchase",
        reason="the click sends an order" + hostile,
        held=held_effects(hostile),
    )


def record_held(task_dir: Path, hostile: str = "") -> Path:
    """A task whose one click was run, its requests held, and the user said no."""
    task_id = task_dir.name
    pay = Click(x=200, y=130)
    start = TaskStarted(
        task_id=task_id,
        instruction="Pay the bill",
        start_url="http://shop.test/",
        brain="script",
        max_steps=9,
        sites=("pay.test",),
        ask="every-change",
    )
    events: list[tuple[Event, Frame | None]] = [
        (start, None),
        (observed(1), frame()),
        (Proposed(task_id=task_id, step=1, action=pay), None),
        (Checked(task_id=task_id, step=1, checker="chain", verdict="allow"), None),
        (Executed(task_id=task_id, step=1, action=pay), None),
        (held_halt(task_id, hostile=hostile), None),
        (Rejected(task_id=task_id, step=1, note="not this one"), None),
        (Finished(task_id=task_id, step=1, outcome="done", answer="left unpaid", steps=1), None),
    ]
    rec = Recorder(task_dir)

    async def go() -> None:
        for event, image in events:
            await rec.emit(event, image)

    try:
        with ThreadPoolExecutor(1) as pool:  # a thread of its own: callers may already run an event loop
            pool.submit(asyncio.run, go()).result(timeout=30)
    finally:
        rec.close()
    return task_dir


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    return record(tmp_path / "tasks" / TASK)


def test_the_timeline_has_steps_and_the_takeover_in_time_order(recording: Path) -> None:
    timeline = read_timeline(recording)
    kinds = [f"step {e.number}" if isinstance(e, Step) else "takeover" for e in timeline.entries]
    assert kinds == ["step 1", "step 2", "step 3", "takeover", "step 4"]
    assert timeline.task is not None and timeline.task.instruction == "Pay the bill"
    assert timeline.ending is not None and (timeline.ending.outcome, timeline.ending.answer) == ("done", "left unpaid")
    first, _, halted, takeover, last = timeline.entries
    assert isinstance(first, Step) and isinstance(halted, Step) and isinstance(takeover, Takeover)
    assert first.verified is not None and first.verified.boxes == ((90, 60, 60, 40),)
    assert first.verified.note == "waited 120 ms" and first.executed is not None and first.executed.ok
    assert halted.check is not None and halted.check.verdict == "halt" and halted.halt is not None
    assert halted.halt.crop is not None and not halted.halt.crop.missing and halted.rejected
    assert halted.executed is None, "a rejected action never ran"
    assert [h.input.kind for h in takeover.inputs] == ["move", "click", "text", "key"]
    assert takeover.inputs[2].input.text == "•••" and not takeover.inputs[3].ok
    assert takeover.summary == "the amount field changed" and takeover.frame == halted.frame
    assert isinstance(last, Step) and last.frame is not None and last.frame.missing


def test_a_torn_last_line_and_a_frame_outside_the_folder_do_not_break_the_replay(tmp_path: Path) -> None:
    task_dir = tmp_path / "tasks" / TASK
    (tmp_path / "tasks" / "secret.jpg").parent.mkdir(parents=True)
    (tmp_path / "tasks" / "secret.jpg").write_bytes(jpeg(7))
    rec = Recorder(task_dir)
    escape = Observed(task_id=TASK, step=1, frame="../secret.jpg", width=W, height=H)
    asyncio.run(rec.emit(escape, None))  # the recorder writes no file for it, and the replay must not read one
    rec.close()
    with (task_dir / "events.jsonl").open("a") as fh:
        fh.write('{"task_id":"x","step":2,"type":"observ')
    timeline = read_timeline(task_dir)
    (step,) = timeline.steps
    assert step.frame is not None and step.frame.missing and timeline.ending is None
    page = render_html(timeline)
    assert "frame missing" in page and "data:image" not in page
    assert "unfinished" in format_timeline(timeline)


def test_the_html_is_one_offline_file_with_every_frame_inline(recording: Path, tmp_path: Path) -> None:
    out = export_html(recording, tmp_path / "replay.html")
    page = out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    sources = re.findall(r"""\b(?:src|href|action|srcset)\s*=\s*["']?([^"' >]*)""", page)
    assert sources and all(s.startswith("data:image/jpeg;base64,") for s in sources), sources
    assert page.count("data:image/jpeg;base64,") == 5  # three step frames, the takeover's, the halt crop
    assert page.count('<section class="entry') == 5 and 'type="range"' in page
    assert "entry-takeover" in page and "entry-halt" in page and "HALTED before acting [purchase]" in page
    assert "frame missing (frames/0004.jpg)" in page
    assert "#0284c7" in page and "#e11d48" in page, "human and agent markers have their own colours"
    assert "secret" not in page and "•••" in page
    # the file is about the frames' size, not decoded pixels
    frames = sum(p.stat().st_size for p in (recording / "frames").iterdir())
    assert len(page.encode()) < frames * 4 / 3 + 60_000


def test_hostile_recorded_text_is_escaped_everywhere(tmp_path: Path) -> None:
    page = render_html(read_timeline(record(tmp_path / TASK, hostile=HOSTILE)))
    assert "<img src=x" not in page and page.count("<script") == 2
    assert "&lt;/script&gt;&lt;img src=x onerror=" in page
    data = page.split('id="timeline-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data and "&" not in data
    assert json.loads(data)["entries"][0]["label"].endswith(HOSTILE)


def test_script_json_escapes_what_could_end_or_break_a_script_element() -> None:
    text = script_json({"a": "</script><!-- & \u2028\u2029"})
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029"}


def test_the_text_timeline_reads_like_a_log_and_shows_no_escape_sequences(tmp_path: Path) -> None:
    timeline = read_timeline(record(tmp_path / TASK, hostile="\x1b[2J\x1b]0;owned\x07 wiped\u202e"))
    text = format_timeline(timeline)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\\u001b[2J" in text
    for expected in (
        "step 1:",
        "checker: halt [purchase]: Pay button",
        "HALTED [purchase]: Pay button",
        "rejected by user: not this month",
        "takeover by user after step 3:",
        "type “•••”",
        "press Enter  (failed: page closed)",
        "handed back: the amount field changed",
        "[frame missing]",
        "done after 3 steps: left unpaid",
    ):
        assert expected in text, expected


def test_task_ids_are_checked_before_touching_the_disk_and_latest_finds_the_newest(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks"
    older, newer = "20261124-033000-1f2e3d4c", "20261125-010000-00aa00aa"
    for task_id in (older, newer):
        record(tasks / task_id)
    (tasks / "zzz-not-a-task").mkdir()
    assert find_recording(tasks, older) == tasks / older
    assert find_recording(tasks, "latest") == tasks / newer
    for bad in ("../tasks/" + older, older + "/..", "/etc", "", "20261124-033000-1F2E3D4C"):
        with pytest.raises(BadInput, match="not a task id"):
            find_recording(tasks, bad)
    with pytest.raises(BadInput, match="20261124-000000-deadbeef"):
        find_recording(tasks, "20261124-000000-deadbeef")
    with pytest.raises(BadInput, match="no recorded tasks"):
        find_recording(tmp_path / "empty", "latest")


def test_a_video_without_ffmpeg_says_what_is_missing(
    recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    with pytest.raises(BadInput, match="ffmpeg"):
        export_video(recording, tmp_path / "out.mp4")
    assert not (tmp_path / "out.mp4").exists()
    assert os.listdir(tmp_path) == [x for x in os.listdir(tmp_path) if not x.startswith(".replay-")]


def test_a_damaged_or_absent_recording_is_bad_input_naming_the_folder(recording: Path, tmp_path: Path) -> None:
    lines = (recording / "events.jsonl").read_text().splitlines()
    lines.insert(2, '{"type": "observed", "oops": 1}')
    (recording / "events.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(BadInput, match=f"{recording}.*line 3"):
        export_html(recording, tmp_path / "out.html")
    with pytest.raises(BadInput, match="no recording"):
        read_timeline(tmp_path / "nothing")
    assert not (tmp_path / "out.html").exists()


def test_a_held_request_is_read_back_and_shown_in_the_text_timeline(tmp_path: Path) -> None:
    timeline = read_timeline(record_held(tmp_path / TASK, hostile="\x1b[2J"))
    assert timeline.task is not None and timeline.task.sites == ("pay.test",) and timeline.task.ask == "every-change"
    (step,) = timeline.steps
    assert step.halt is not None and [h.outgoing.method for h in step.halt.held] == ["POST", "GET"]
    text = format_timeline(timeline)
    assert "\x1b" not in text and "\\u001b[2J" in text
    for expected in (
        "HALTED [purchase]: the click sends an order",
        "the action ran; what it would send was held:",
        "held 1: POST https://shop.test/api/graphql?session=••• · fields: cardNumber, qty, \\u001b[2J"
        " · operation: mutation PlaceOrder",
        "[purchase] the request places an order",
        "held 2: GET https://elsewhere.test/\\u001b[2J · a navigation",
        "[leave_scope] elsewhere.test is not one of the task's sites",
        "rejected by user: not this one",
    ):
        assert expected in text, expected


def test_a_held_request_is_listed_in_the_html_replay_and_escaped(tmp_path: Path) -> None:
    page = render_html(read_timeline(record_held(tmp_path / TASK, hostile=HOSTILE)))
    assert "<img src=x" not in page and page.count("<script") == 2
    assert "HALTED holding what the action would send (2 requests) [purchase]" in page
    assert page.count('<li class="held-item') == 2
    assert (
        '<code class="held-method">POST</code> <span class="held-url">https://shop.test/api/graphql?session=•••</span>'
        in page
    )
    assert '<span class="held-operation"><b>Operation</b> mutation PlaceOrder</span>' in page
    assert "<b>Fields</b> cardNumber, qty, &lt;/script&gt;&lt;img src=x" in page
    assert '<span class="held-category">leave_scope</span>' in page and "<b>As</b> a navigation" in page
    label = json.loads(page.split('id="timeline-data">', 1)[1].split("</script>", 1)[0])["entries"][0]["label"]
    assert (
        label.startswith("step 1: click at (200, 130) · held: POST https://shop.test/api/graphql") and "1 more" in label
    )
    # drawn on the frame too, beside the click
    assert "held: POST https://shop.test/api/graphql" in page.split('<svg class="overlay"', 1)[1].split("</svg>", 1)[0]


def test_a_step_that_waited_twice_shows_both_halts(tmp_path: Path) -> None:
    task_dir = tmp_path / TASK
    rec = Recorder(task_dir)
    before = Halted(task_id=TASK, step=1, action=Click(x=200, y=130), category="purchase", reason="Pay button")

    async def go() -> None:
        for event in (observed(1), before, Approved(task_id=TASK, step=1), held_halt()):
            await rec.emit(event, frame() if isinstance(event, Observed) else None)

    asyncio.run(go())
    rec.close()
    timeline = read_timeline(task_dir)
    (step,) = timeline.steps
    assert [bool(h.held) for h in step.halts] == [False, True] and step.halt is step.halts[-1]
    assert format_timeline(timeline).count("HALTED [purchase]") == 2
    page = render_html(timeline)
    assert "HALTED before acting [purchase]" in page and "HALTED holding what the action would send" in page

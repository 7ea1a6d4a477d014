"""Secrets in a real Chromium: masked in every stored frame and event; a person's takeover drives
the page, is recorded (secrets masked), and hands back to the agent.

The page (tests/fixtures/redact/login.html) shows the lengths of its fields' values in its title,
so the page itself proves what was typed without anything reading a secret.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import cv2
import numpy as np

from homebody.compose import build_operator
from homebody.config import build_settings
from homebody.events import HumanInput, Observed, TakeoverEnded, TakeoverStarted
from homebody.operator.control import TaskControl
from homebody.operator.sinks import FanoutSink, MemorySink
from homebody.operator.takeover import Takeover
from homebody.operator.task import TaskSpec
from homebody.recordings.recorder import Recorder, read_events
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.browser.redact import MASK_BGR
from homebody.sessions.browser.screencast import BrowserScreencast
from homebody.sessions.live import FrameHub
from homebody.types import SECRET_MASK, Action, Click, InputEvent, Point, TypeText, Wait
from homebody.vision.scripted import ScriptBrain

PAGE = (Path(__file__).resolve().parents[1] / "fixtures" / "redact" / "login.html").as_uri()
SECRET = "pw-Zq9-unique-4711"
CARD = "4111111111111111"

Box = tuple[float, float, float, float]


async def boxes(computer: BrowserComputer) -> dict[str, Box]:
    page = computer.page
    found: dict[str, Box] = {}
    for name, locator in {
        "user": page.locator("#user"),
        "pw": page.locator("#pw"),
        "card": page.locator("#card"),
        "shadowpw": page.locator("#shadowpw"),
        "note": page.locator("#note"),
        "inner": page.frame_locator("#frame").locator("#inner"),
    }.items():
        bb = await locator.bounding_box()
        assert bb is not None, name
        found[name] = (bb["x"], bb["y"], bb["width"], bb["height"])
    return found


def centre(box: Box) -> tuple[float, float]:
    return box[0] + box[2] / 2, box[1] + box[3] / 2


def masked(image: np.ndarray, box: Box) -> bool:
    x, y, w, h = (int(v) for v in box)
    region = image[y + 2 : y + h - 2, x + 2 : x + w - 2].astype(int)
    return bool(np.abs(region - np.array(MASK_BGR)).max() < 24)


def test_no_stored_frame_or_event_holds_a_secret(tmp_path: Path) -> None:
    spot: dict[str, Box] = {}
    actions: list[Action] = []

    async def main() -> tuple[Path, str]:
        settings = build_settings({}, data_dir=tmp_path / "data")
        rec = tmp_path / "rec"
        recorder = Recorder(rec)
        computer = await BrowserComputer.open(settings, ephemeral=True)
        async with computer:
            await computer.navigate(PAGE)
            spot.update(await boxes(computer))
            for name, text in (
                ("user", "alice"),
                ("pw", SECRET),
                ("card", CARD),
                ("shadowpw", SECRET),
                ("inner", SECRET),
                ("note", SECRET),
            ):
                x, y = centre(spot[name])
                actions.extend([Click(x=x, y=y), TypeText(text=text)])
            op = build_operator(
                settings, task_id="t-redact", computer=computer, brain=ScriptBrain(actions), sink=recorder
            )
            result = await op.run(TaskSpec("t-redact", "sign in", "", "script", None, 40))
            assert result.outcome == "done", result.reason
            recorder.close()
            return rec, await computer.page.title()

    rec, title = asyncio.run(main())
    n = len(SECRET)
    assert title == f"5,{n},{len(CARD)},{n},{n},{n}"  # every field really got its text
    for path in rec.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data and CARD.encode() not in data, path
    events = read_events(rec)
    typed = [e.action.text for e in events if e.type == "proposed" and isinstance(e.action, TypeText)]
    assert typed == ["alice", SECRET_MASK, SECRET_MASK, SECRET_MASK, SECRET_MASK, SECRET_MASK]
    frames = [rec / e.frame for e in events if isinstance(e, Observed)]
    assert len(frames) >= 12
    for frame in frames:
        image = cv2.imread(str(frame))
        for name in ("pw", "card", "shadowpw", "inner", "note"):
            assert masked(image, spot[name]), f"{name} is visible in {frame.name}"
        assert not masked(image, spot["user"]), f"the user name field should stay visible in {frame.name}"


def test_a_takeover_drives_the_page_and_is_recorded_with_secrets_masked(tmp_path: Path) -> None:
    settings = build_settings({}, data_dir=tmp_path / "data")

    async def main() -> tuple[str, list[object]]:
        sink = MemorySink()
        rec = Recorder(tmp_path / "rec")
        control = TaskControl()
        computer = await BrowserComputer.open(settings, ephemeral=True)
        async with computer:
            await computer.navigate(PAGE)
            spot = await boxes(computer)
            brain = ScriptBrain([Wait(seconds=0.2)] * 8)
            op = build_operator(
                settings,
                task_id="t-take",
                computer=computer,
                brain=brain,
                sink=FanoutSink([rec, sink]),
                control=control,
            )
            run = asyncio.create_task(op.run(TaskSpec("t-take", "wait", "", "script", None, 40)))
            await asyncio.sleep(0.5)
            takeover = Takeover("t-take", computer, control, FanoutSink([rec, sink]))
            assert await takeover.begin("alice", timeout_s=20)
            steps_before = sum(isinstance(e, Observed) for e in sink.events)
            for name, text in (("user", "bob"), ("pw", SECRET)):
                x, y = centre(spot[name])
                await takeover.send(InputEvent(kind="click", x=x, y=y))
                await takeover.send(InputEvent(kind="text", text=text))
            await takeover.send(InputEvent(kind="key", key="Tab"))
            await asyncio.sleep(0.5)
            assert sum(isinstance(e, Observed) for e in sink.events) == steps_before  # the agent waited
            assert await computer.page.title() == f"3,{len(SECRET)},0,0,0,0"
            await takeover.end()
            result = await asyncio.wait_for(run, 30)
            assert result.outcome == "done", result.reason
            rec.close()
            return await computer.page.title(), sink.events

    title, events = asyncio.run(main())
    assert title.startswith("3,")
    kinds = [e.type for e in events]  # type: ignore[attr-defined]
    started, ended = kinds.index("takeover_started"), kinds.index("takeover_ended")
    assert started < ended and "observed" in kinds[ended:]
    human = [e for e in events if isinstance(e, HumanInput)]
    assert [h.input.kind for h in human] == ["click", "text", "click", "text", "key"]
    assert human[1].input.text == "bob" and human[3].input.text == SECRET_MASK
    assert any(isinstance(e, TakeoverStarted) and e.by == "alice" for e in events)
    summary = next(e for e in events if isinstance(e, TakeoverEnded)).summary
    assert "alice clicked 2 times" in summary and "typed" in summary
    recorded = (tmp_path / "rec" / "events.jsonl").read_text()
    assert SECRET not in recorded and '"human_input"' in recorded


def test_live_frames_are_masked_before_any_viewer_gets_them(tmp_path: Path) -> None:
    settings = build_settings({}, data_dir=tmp_path / "data")

    async def main() -> tuple[list[bytes], dict[str, Box]]:
        computer = await BrowserComputer.open(settings, ephemeral=True)
        async with computer:
            await computer.navigate(PAGE)
            spot = await boxes(computer)
            await computer.click(Point(*centre(spot["pw"])))
            await computer.type_text(SECRET)
            hub = FrameHub()
            cast = BrowserScreencast(
                hub,
                lambda: computer.page,
                max_size=settings.viewport,
                transform=computer.live_redaction(),  # as the server wires it
            )
            frames: list[bytes] = []
            async with hub.subscribe() as sub:
                await cast.start()
                try:
                    for n in range(3):  # typing into the user field makes the page send new frames
                        await computer.click(Point(*centre(spot["user"])))
                        await computer.type_text(f"u{n}")
                        frame = await sub.next(wait_s=10)
                        assert frame is not None
                        frames.append(frame.data)
                finally:
                    await cast.stop()
            return frames, spot

    frames, spot = asyncio.run(main())
    for data in frames:
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        assert image.shape[:2] == (800, 1280)
        for name in ("pw", "card", "shadowpw", "inner", "note"):
            assert masked(image, spot[name]), f"{name} is visible in a live frame"
        assert not masked(image, spot["user"])

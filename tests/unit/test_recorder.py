"""Recordings: events and frames on disk, private modes, a torn last line survives reading."""

from __future__ import annotations

import asyncio
import stat
import time
from pathlib import Path

from homebody.events import Executed, Finished, Observed, TaskStarted
from homebody.recordings.recorder import Recorder, read_events
from homebody.types import Click, Frame, Size
from tests.fakes import TINY_JPEG


def frame() -> Frame:
    return Frame(data=TINY_JPEG, format="jpeg", size=Size(1, 1), ts=time.time())


def record(task_dir: Path) -> None:
    rec = Recorder(task_dir)

    async def go() -> None:
        await rec.emit(TaskStarted(task_id="t", instruction="i", start_url="u", brain="script", max_steps=3))
        await rec.emit(Observed(task_id="t", step=1, frame="frames/0001.jpg", width=1, height=1), frame())
        await rec.emit(Executed(task_id="t", step=1, action=Click(x=1, y=1)))
        await rec.emit(Finished(task_id="t", step=1, outcome="done", steps=1))

    asyncio.run(go())
    rec.close()


def test_events_and_frames_are_written_and_read_back(tmp_path: Path) -> None:
    task_dir = tmp_path / "tasks" / "t"
    record(task_dir)
    events = read_events(task_dir)
    assert [e.type for e in events] == ["task_started", "observed", "executed", "finished"]
    assert (task_dir / "frames" / "0001.jpg").read_bytes() == TINY_JPEG
    for path in (task_dir, task_dir / "frames"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert stat.S_IMODE((task_dir / "events.jsonl").stat().st_mode) == 0o600


def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    task_dir = tmp_path / "t"
    record(task_dir)
    with (task_dir / "events.jsonl").open("a") as fh:
        fh.write('{"task_id":"t","step":2,"type":"obser')
    assert [e.type for e in read_events(task_dir)][-1] == "finished"


def test_a_frame_name_cannot_escape_the_task_folder(tmp_path: Path) -> None:
    rec = Recorder(tmp_path / "t")
    event = Observed(task_id="t", step=1, frame="../../evil.jpg", width=1, height=1)
    try:
        asyncio.run(rec.emit(event, frame()))
    except ValueError as exc:
        assert "escapes" in str(exc)
    else:
        raise AssertionError("a frame path outside the task folder was accepted")
    finally:
        rec.close()
    assert not (tmp_path / "evil.jpg").exists()

"""``homebody demo``: the plain-English shopping task runs to "Place order", halts there, records it."""

from __future__ import annotations

from pathlib import Path

from homebody.recordings.recorder import read_events


def test_demo_halts_before_placing_the_order_and_prints_the_recording_path(hb) -> None:
    res = hb("demo", timeout=300)
    assert res.code == 0, res.stdout + res.stderr
    assert "orders placed on the demo site: 0" in res.stdout
    assert "HALTED before acting [purchase]" in res.stdout
    recording = Path(res.stdout.split("recording: ")[1].split()[0])
    events = read_events(recording)
    assert events[-1].type == "finished" and events[-1].outcome == "halted"  # type: ignore[union-attr]
    halted = next(e for e in events if e.type == "halted")
    assert halted.target is not None and "Place order" in halted.target.name  # type: ignore[union-attr]
    assert len(list((recording / "frames").glob("0*.jpg"))) >= sum(e.type == "observed" for e in events)

"""``homebody demo``: the scripted shopping task runs end to end and says where the recording is."""

from __future__ import annotations

from pathlib import Path

from homebody.sessions.recorder import read_events


def test_demo_places_the_order_and_prints_the_recording_path(hb) -> None:
    res = hb("demo", timeout=120)
    assert res.code == 0, res.stdout + res.stderr
    assert "orders placed on the demo site: 1" in res.stdout
    recording = Path(res.stdout.split("recording: ")[1].split()[0])
    events = read_events(recording)
    assert events[-1].type == "finished" and events[-1].outcome == "done"  # type: ignore[union-attr]
    assert len(list((recording / "frames").glob("*.jpg"))) == sum(e.type == "observed" for e in events)

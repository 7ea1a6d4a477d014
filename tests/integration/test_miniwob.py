"""MiniWoB++ task pages (third-party, served on loopback) played through the real operator loop.

The oracle brain reads the page to choose its targets but acts only through the loop's actions
(coordinate clicks, typing), so these episodes exercise the harness: screenshots, the stale-frame
guard, the safety checker, the verifier and the recorder. choose-list needs a <select> option
chosen by a click on what the screenshot shows, which headless Chromium only allows with the
in-page select menu.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

from bench.miniwob.episode import EpisodeResult
from bench.miniwob.runner import parse_args, run


def play(tmp_path: Path, tasks: str) -> list[EpisodeResult]:
    args = parse_args(["--tasks", tasks, "--seeds", "0", "--max-steps", "12"])
    with contextlib.ExitStack() as stack:
        return asyncio.run(run(args, tmp_path, stack))


def events(tmp_path: Path) -> list[list[dict[str, Any]]]:
    """Each recorded episode's events, in the order the episodes ran."""
    dirs = sorted((tmp_path / "tasks").iterdir())
    return [[json.loads(line) for line in (d / "events.jsonl").read_text().splitlines()] for d in dirs]


def test_the_oracle_scores_on_click_enter_and_choose_tasks_through_the_loop(tmp_path: Path) -> None:
    results = play(tmp_path, "click-button,enter-text,choose-list")
    assert [r.task for r in results] == ["click-button", "enter-text", "choose-list"]
    for result in results:
        assert result.success and result.reward > 0, f"{result.task}: {result.cause} ({result.utterance})"
        assert result.finished and result.outcome == "done"
    recorded = events(tmp_path)
    assert len(recorded) == 3
    for episode in recorded:
        kinds = [e["type"] for e in episode]
        # Every executed action went through the checker first and the verifier after.
        assert kinds.count("executed") == kinds.count("verified") >= 1
        assert kinds.count("checked") >= kinds.count("executed")
        assert kinds[-1] == "finished"
    typed = [e["action"] for e in recorded[1] if e["type"] == "executed"]
    assert {"kind": "type", "text": results[1].utterance.split('"')[1]} in typed
    # choose-list: open the list, click an option of the in-page menu, then Submit; all by coordinates.
    clicks = [e["action"] for e in recorded[2] if e["type"] == "executed"]
    assert [c["kind"] for c in clicks] == ["click", "click", "click"]
    assert clicks[1]["y"] > clicks[0]["y"]  # the option is drawn under the list
    # The forms' Submit buttons halt the rules checker ("send"); the bench approves and counts them.
    assert results[1].halts >= 1

"""``homebody schedule`` on the command line: add, list, pause, resume, run-now, remove, and bad
input refused with exit 2 naming the flag, nothing written."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import cli_env, run_in_process

BAD = [
    (["--every", "0.5s"], "--every: '0.5s' is shorter than one second"),
    (["--every", "soon"], "--every: 'soon' is not a duration"),
    (["--at", "2020-01-01T08:00"], "is in the past"),
    (["--at", "next tuesday"], "--at: 'next tuesday' is not an ISO 8601"),
    (["--cron", "61 * * * *"], "--cron: '61 * * * *' is not a cron expression"),
    (["--cron", "0 8 * *"], "--cron: '0 8 * *' needs five fields"),
    (["--cron", "0 8 * * *", "--tz", "Mars/Base"], "'Mars/Base' is not a known time zone"),
    (["--every", "1h", "--cron", "0 8 * * *"], "not allowed with argument"),
    ([], "one of the arguments --every --at --cron is required"),
    (["--every", "1h", "--grace", "2h"], "--grace: only a one-shot --at"),
]


def homebody(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_in_process([*args, "--data-dir", str(data)], cli_env(data))


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "steps.json"
    path.write_text(json.dumps([{"kind": "done", "answer": "checked"}]))
    return path


def test_bad_input_exits_2_naming_the_flag_and_writes_nothing(tmp_path: Path, script: Path) -> None:
    data = tmp_path / "data"
    for flags, message in BAD:
        res = homebody(
            data, "schedule", "add", "check", "--start-url", "http://127.0.0.1:9/", "--script", str(script), *flags
        )
        assert res.returncode == 2 and message in res.stderr, (flags, res.stderr)
        assert "Traceback" not in res.stderr
    listed = homebody(data, "schedule", "list", "--json")
    assert listed.returncode == 0 and listed.stdout == "", listed


def test_add_list_pause_resume_run_now_remove(tmp_path: Path, script: Path) -> None:
    data = tmp_path / "data"
    added = homebody(
        data, "schedule", "add", "check", "--start-url", "http://127.0.0.1:9/", "--script", str(script),
        "--ephemeral", "--cron", "0 8 * * 1-5", "--tz", "Europe/Riga", "--notify", "finish", "--json",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    schedule = json.loads(added.stdout)
    assert schedule["trigger"] == {"kind": "cron", "expr": "0 8 * * 1-5", "tz": "Europe/Riga"}
    assert schedule["notify"] == "finish" and schedule["task"]["brain"]["steps"] == [
        {"kind": "done", "answer": "checked"}
    ]
    for verb, state in (("pause", "paused"), ("resume", "active"), ("run-now", "active")):
        res = homebody(data, "schedule", verb, schedule["id"])
        assert res.returncode == 0, res.stderr
        [row] = [json.loads(line) for line in homebody(data, "schedule", "list", "--json").stdout.splitlines()]
        assert row["state"] == state
    text = homebody(data, "schedule", "list").stdout
    assert schedule["id"] in text and "cron '0 8 * * 1-5' (Europe/Riga)" in text
    assert homebody(data, "schedule", "remove", schedule["id"]).returncode == 0
    gone = homebody(data, "schedule", "pause", schedule["id"])
    assert gone.returncode == 2 and f"no schedule '{schedule['id']}'" in gone.stderr

"""The script brain file contract: valid files replay in order, bad ones name file, index, field."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from homebody.errors import ScriptError
from homebody.types import BrainInput, Click, Done, Frame, Size, StepRecord, TypeText
from homebody.vision.scripted import ScriptBrain, load_script


def write(tmp_path: Path, content: object | str) -> Path:
    path = tmp_path / "s.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_a_valid_script_loads_every_action_kind(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            {"kind": "click", "x": 640, "y": 400, "button": "middle", "count": 2},
            {"kind": "type", "text": "héllo 世界"},
            {"kind": "key", "keys": ["Control", "Enter"]},
            {"kind": "scroll", "x": 640, "y": 400, "dx": 0, "dy": 300},
            {"kind": "navigate", "url": "http://127.0.0.1:1/"},
            {"kind": "wait", "seconds": 1.5},
            {"kind": "done", "answer": "ok"},
        ],
    )
    actions = load_script(path)
    assert [a.kind for a in actions] == ["click", "type", "key", "scroll", "navigate", "wait", "done"]
    assert actions[1] == TypeText(text="héllo 世界")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[{", "not valid JSON"),
        ({"kind": "click"}, "expected a JSON array"),
        (
            [{"kind": "click", "x": 1, "y": 2}, {"kind": "click", "x": 1}],
            'action 1 ("click"): field "y": Field required',
        ),
        ([{"kind": "type", "text": 5}], 'action 0 ("type"): field "text"'),
        ([{"kind": "fly", "x": 1}], "field \"kind\": unknown action kind 'fly'"),
        ([{"x": 1}], 'action 0: field "kind" is missing'),
        ([{"kind": "key", "keys": "Enter"}], 'action 0 ("key"): field "keys"'),
        ([{"kind": "click", "x": "left", "y": 2}], 'action 0 ("click"): field "x"'),
    ],
)
def test_malformed_scripts_name_the_file_index_and_field(tmp_path: Path, content: object, expected: str) -> None:
    path = write(tmp_path, content)
    with pytest.raises(ScriptError) as info:
        load_script(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="does not exist"):
        load_script(tmp_path / "nope.json")


def test_the_brain_follows_the_history_and_repeats_what_was_not_run_because_the_screen_changed() -> None:
    brain = ScriptBrain([Click(x=1, y=2), TypeText(text="a")])
    frame = Frame(data=b"", format="jpeg", size=Size(10, 10), ts=time.time())

    def next_kind(*outcomes: str) -> str:
        history = tuple(StepRecord(step=i + 1, action=Click(x=1, y=2), outcome=o) for i, o in enumerate(outcomes))
        return asyncio.run(brain.decide(BrainInput("t", frame, len(outcomes) + 1, history))).action.kind

    assert next_kind() == "click"
    assert next_kind("ok") == "type"
    assert next_kind("stale") == "click"  # the screen changed under it: propose it again
    assert next_kind("not run") == "type"  # the user rejected it: move on
    assert next_kind("ok", "ok") == "done"
    assert isinstance(asyncio.run(ScriptBrain([]).decide(BrainInput("t", frame, 1))).action, Done)

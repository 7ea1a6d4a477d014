"""The script brain: replays a JSON list of actions (the script file contract in DESIGN.md).

When the list runs out the task is done. Validation happens on load, so a malformed file is
reported before any browser starts, naming the file, the action's index and the field.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from homebody.errors import ScriptError
from homebody.types import ACTION_LIST_ADAPTER, Action, BrainInput, Decision, Done, describe_action


def parse_script(data: Any, source: str) -> list[Action]:
    """Validate already-decoded JSON as a list of actions; ``source`` names it in errors."""
    if not isinstance(data, list):
        raise ScriptError(f"{source}: expected a JSON array of actions, got {type(data).__name__}")
    try:
        return ACTION_LIST_ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise ScriptError(_describe_errors(exc, data, source)) from None


def load_script(path: Path) -> list[Action]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScriptError(f"script file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(f"script file {path} cannot be read: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScriptError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    return parse_script(data, str(path))


def _describe_errors(exc: ValidationError, data: list[Any], source: str) -> str:
    lines = []
    for err in exc.errors()[:5]:
        loc = list(err["loc"])
        index = loc.pop(0) if loc and isinstance(loc[0], int) else "?"
        item = data[index] if isinstance(index, int) and index < len(data) else None
        kind = item.get("kind") if isinstance(item, dict) else None
        if loc and loc[0] == kind:
            loc.pop(0)  # the union's tag, already named
        where = f"action {index}" + (f' ("{kind}")' if kind else "")
        if err["type"] == "union_tag_invalid":
            lines.append(f'{source}: {where}: field "kind": unknown action kind {kind!r}')
        elif err["type"] == "union_tag_not_found":
            lines.append(f'{source}: {where}: field "kind" is missing')
        elif loc:
            field = ".".join(str(p) for p in loc)
            lines.append(f'{source}: {where}: field "{field}": {err["msg"]}')
        else:
            lines.append(f"{source}: {where}: {err['msg']}")
    return "\n".join(lines)


class ScriptBrain:
    """Returns the script's actions in order, then ``done``.

    The position in the script is the number of steps taken so far, except those the loop did not
    run because the screen changed under them ("stale"): those actions are proposed again.
    """

    name = "script"

    def __init__(self, actions: Sequence[Action]) -> None:
        self._actions = list(actions)

    async def decide(self, inp: BrainInput) -> Decision:
        index = sum(1 for record in inp.history if record.outcome != "stale")
        if index >= len(self._actions):
            return Decision(action=Done(), thought="the script has no more actions")
        action = self._actions[index]
        return Decision(action=action, thought=f"script step {index + 1}: {describe_action(action)}")

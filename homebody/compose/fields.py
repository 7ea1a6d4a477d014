"""Where in a task's options a validation error is, as a path a person reads (``brain.steps[3].x``),
and the error itself as ``(field, problem)``: the API says ``field: problem``, ``homebody run``
puts its flag where the field is, and the problem reads the same in both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_NAMES_FIELD = re.compile(r"^[a-z_][a-z0-9_.\[\]]*: ")


def field_path(loc: Sequence[int | str], body: Any) -> str:
    """``("body", "brain", "script", "steps", 3, "click", "x")`` → ``brain.steps[3].x``.

    Walks the submitted body beside the location so that the tags of tagged unions are dropped
    (a segment that is not a key of the object there, but the object's ``kind``, is a tag)."""
    where = str(loc[0]) if loc else ""
    parts = list(loc[1:]) if where in ("body", "query", "path", "header", "cookie") else list(loc)
    out = "" if where == "body" else (f"{where}." if where in ("query", "path", "header", "cookie") else "")
    node: Any = body if where == "body" else None
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            continue
        if isinstance(node, dict) and part not in node and node.get("kind") == part:
            continue  # the union's tag: the object itself already says which member it is
        out += f".{part}" if out and not out.endswith(".") else part
        node = node.get(part) if isinstance(node, dict) else None
    return out


def describe_error(err: Mapping[str, Any], body: Any) -> tuple[str, str]:
    """One pydantic error (its ``loc`` starting with ``"body"``) as the field it is about and what is wrong."""
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    if err.get("type") == "missing":
        msg = "required, and not given"  # pydantic's "Field required" names no field in a CLI's terms
    if _NAMES_FIELD.match(msg):  # a check across fields names the one it is about itself
        field, _, problem = msg.partition(": ")
        return field, problem
    path = field_path(tuple(err.get("loc", ())), body)
    if err.get("type") == "json_invalid":
        path = "body"
    elif err.get("type") in ("union_tag_invalid", "union_tag_not_found"):
        tag = str(err.get("ctx", {}).get("discriminator", "kind")).strip("'")
        path = f"{path}.{tag}" if path else tag
    return path or "body", msg

"""Where in a request body a validation error is, as a path a person reads: ``brain.steps[3].x``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


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

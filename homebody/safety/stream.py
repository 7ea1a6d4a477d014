"""``homebody safety classify``: JSON lines in, one verdict line out per input line, in order.

Input lines are ``{"text", "tag", "url"}`` (optional ``"title"``; other keys are ignored). Output lines
are ``{"verdict": "allow"|"halt"|"block", "category": str|null, "reason": str}``. Blank lines are
skipped. Fails closed: a line that is not a JSON object with string ``text``, ``tag`` and ``url``
gets ``{"verdict": "halt", "category": "unreadable", ...}`` naming the line and the problem, plus a
message on ``err``; so does a line the classifier crashes on (category ``error``). Processing goes on
either way, and the exit code is 2 if any line was not classified, else 0.

Output is buffered for throughput, but flushed whenever the next read would wait for input (a
terminal, or a program that writes one line and waits for its verdict), so it never deadlocks.
"""

from __future__ import annotations

import json
import logging
import os
import select
from typing import Any, TextIO

from homebody.safety.classify import Classification, classify
from homebody.safety.tagparse import target_from_row
from homebody.types import Verdict

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNREADABLE = 2
_REQUIRED = ("text", "tag", "url")
_BATCH = 512  # verdict lines held back at most, when nobody is waiting for them


def verdict_for(c: Classification) -> Verdict:
    """The verdict for a classification: halt on any commit category. A policy layer may swap this."""
    return "halt" if c.category is not None else "allow"


def _parse(line: str) -> tuple[dict[str, str] | None, str]:
    """The row's fields, or None and what is wrong with the line."""
    try:
        obj: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(obj, dict):
        return None, f"expected a JSON object, got {type(obj).__name__}"
    row: dict[str, str] = {}
    for key in _REQUIRED:
        if key not in obj:
            return None, f'missing "{key}"'
        if not isinstance(obj[key], str):
            return None, f'"{key}" must be a string, got {type(obj[key]).__name__}'
        row[key] = obj[key]
    title = obj.get("title", "")
    row["title"] = title if isinstance(title, str) else ""
    return row, ""


def _answer(row: dict[str, str]) -> dict[str, Any]:
    c = classify(target_from_row(row["text"], row["tag"], row["url"], row["title"]))
    return {"verdict": verdict_for(c), "category": c.category, "reason": c.reason}


def _would_block(inp: TextIO) -> bool:
    """True when reading on may wait for a person or another program (so our answers must go out first)."""
    try:
        fd = inp.fileno()
    except (AttributeError, OSError, ValueError):
        return False  # an in-memory stream never waits
    try:
        if os.isatty(fd):
            return True
        ready, _, _ = select.select([fd], [], [], 0)
    except (OSError, ValueError):
        return False
    return not ready


def _line_answer(line: str, number: int) -> tuple[dict[str, Any], str]:
    """The verdict object for one input line, and what was wrong with it ("" when nothing was)."""
    row, problem = _parse(line)
    if row is None:
        return {"verdict": "halt", "category": "unreadable", "reason": f"line {number}: {problem}"}, problem
    try:
        return _answer(row), ""
    except Exception as exc:  # fail closed: a crash on one row halts that row, never allows it
        log.exception("classifier failed on line %d", number)
        problem = f"the classifier failed ({type(exc).__name__}: {exc}); halting to be safe"
        return {"verdict": "halt", "category": "error", "reason": f"line {number}: {problem}"}, problem


def classify_stream(inp: TextIO, out: TextIO, err: TextIO) -> int:
    """Classify every JSON line of ``inp`` onto ``out``; problems also go to ``err``. Returns the exit code."""
    failed = False
    pending: list[str] = []  # our own buffer, so throughput does not depend on how ``out`` buffers
    number = 0
    while True:
        if pending and (len(pending) >= _BATCH or _would_block(inp)):
            out.write("".join(pending))
            pending.clear()
            out.flush()
        line = inp.readline()
        if not line:
            break
        number += 1
        if not line.strip():
            continue
        answer, problem = _line_answer(line, number)
        if problem:
            failed = True
            err.write(f"homebody safety classify: line {number}: {problem}\n")
            err.flush()
        pending.append(json.dumps(answer) + "\n")
    out.write("".join(pending))
    out.flush()
    return EXIT_UNREADABLE if failed else EXIT_OK

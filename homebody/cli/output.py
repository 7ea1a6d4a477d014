"""What ``homebody run`` shows on the terminal: JSON event lines, or short human lines.

Text that came from a page or a model (titles, URLs, field names, thoughts) goes through ``clean``
before it reaches a terminal, so that an escape sequence in it is shown, never obeyed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TextIO

from homebody.events import Event, Executed, Finished, Halted, Proposed, TaskStarted, event_json
from homebody.recordings.wording import halt_heading, outgoing_line
from homebody.types import Frame, HeldEffect, describe_action


def clean(text: str, limit: int = 300) -> str:
    """Recorded text made safe for a terminal: control characters (escape sequences) shown, not sent."""
    shown = "".join(f"\\u{ord(ch):04x}" if _unsafe(ch) else ch for ch in text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _unsafe(ch: str) -> bool:
    # control and format characters (ESC, bidi overrides) and line breaks would restyle or reorder the terminal
    category = unicodedata.category(ch)
    return category.startswith("C") or category in ("Zl", "Zp")


def held_lines(held: Sequence[HeldEffect], indent: str) -> list[str]:
    """Each held request as the terminal shows it: what it would send, then its category and reason
    (the same facts the web page's banner and the replays show, made safe for a terminal)."""
    lines: list[str] = []
    for n, item in enumerate(held, start=1):
        lines.append(f"{indent}held {n}: {clean(outgoing_line(item.outgoing), 600)}")
        lines.append(f"{indent}  [{clean(item.category)}] {clean(item.reason)}")
    return lines


class JsonLinesSink:
    """One JSON object per event per line (the ``--json`` contract)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    async def emit(self, event: Event, frame: Frame | None = None) -> None:
        self._out.write(event_json(event) + "\n")
        self._out.flush()


class ConsoleSink:
    """A line per step for people watching a terminal."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    async def emit(self, event: Event, frame: Frame | None = None) -> None:
        line = _line(event)
        if line:
            self._out.write(line + "\n")
            self._out.flush()


def _line(event: Event) -> str:
    match event:
        case TaskStarted(task_id=task_id, start_url=url, brain=brain):
            return f"task {task_id}: {brain} brain, starting at {url}"
        case Proposed(step=step, action=action, thought=thought):
            why = f"  ({thought})" if thought and thought != describe_action(action) else ""
            return f"  step {step}: {describe_action(action)}{why}"
        case Executed(ok=False, error=error):
            return f"    failed: {error}"
        case Halted(category=category, reason=reason, held=held):
            head = f"  {halt_heading(held)} [{clean(category)}]: {clean(reason)}"
            return "\n".join([head, *held_lines(held, "    ")])
        case Finished(outcome=outcome, reason=reason, answer=answer, steps=steps):
            detail = answer or reason
            return f"{outcome} after {steps} steps" + (f": {detail}" if detail else "")
        case _:
            return ""

"""What ``homebody run`` shows on the terminal: JSON event lines, or short human lines."""

from __future__ import annotations

from typing import TextIO

from homebody.events import Event, Executed, Finished, Halted, Proposed, TaskStarted, event_json
from homebody.types import Frame, describe_action


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
        case Halted(category=category, reason=reason):
            return f"  HALTED before acting [{category}]: {reason}"
        case Finished(outcome=outcome, reason=reason, answer=answer, steps=steps):
            detail = answer or reason
            return f"{outcome} after {steps} steps" + (f": {detail}" if detail else "")
        case _:
            return ""

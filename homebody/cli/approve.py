"""Asking the person at the terminal about a halt (``homebody run --on-halt ask``): an action the
checker stopped before it ran, or what an action would send, held in the browser by the effect gate."""

from __future__ import annotations

import asyncio
from typing import TextIO

from homebody.cli.output import clean, held_lines
from homebody.events import Halted
from homebody.types import ApprovalDecision, describe_action

PROMPT = "Allow it? [y] once, [t] this kind of action on this site for the rest of the task, [N] no: "
HELD_PROMPT = "Send it? [y] exactly this once, [t] this kind on this site for the rest of the task, [N] no, never: "


def halt_lines(halted: Halted) -> list[str]:
    """The halt as the terminal shows it: what waits, its category and reason, its target, and for a
    held request each item's method, URL, fields, operation, category and reason."""
    action = describe_action(halted.action)
    first = (
        f"homebody holds what this action would send: {action} (it ran; nothing it sends leaves until you answer)"
        if halted.held
        else f"homebody halted before: {action}"
    )
    lines = ["", first, f"  category: {clean(halted.category)}", f"  why:      {clean(halted.reason)}"]
    target = halted.target
    if target is not None:
        what = clean(target.role or target.tag)
        lines.append(f"  target:   {what} {clean(target.name or target.text)!r} on {clean(target.url)}")
    if halted.crop:
        lines.append(f"  picture:  {clean(halted.crop)} in the recording")
    return lines + held_lines(halted.held, "  ")


class TerminalApprover:
    """Reads one line per halt. End of input, or anything but y/t, is a no (fail closed)."""

    def __init__(self, answers: TextIO, out: TextIO) -> None:
        self._in = answers
        self._out = out

    async def decide(self, halted: Halted, crop: bytes | None) -> ApprovalDecision:
        self._out.write("\n".join(halt_lines(halted)) + "\n" + (HELD_PROMPT if halted.held else PROMPT))
        self._out.flush()
        answer = (await asyncio.to_thread(self._in.readline)).strip().lower()
        match answer:
            case "y" | "yes":
                return ApprovalDecision(approved=True, by="terminal")
            case "t" | "task":
                return ApprovalDecision(approved=True, by="terminal", grant="task")
            case _:
                return ApprovalDecision(approved=False, by="terminal", note="declined at the terminal")

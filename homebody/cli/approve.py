"""Asking the person at the terminal about a halted action (``homebody run --on-halt ask``)."""

from __future__ import annotations

import asyncio
from typing import TextIO

from homebody.events import Halted
from homebody.types import ApprovalDecision, describe_action

PROMPT = "Allow it? [y] once, [t] this kind of action on this site for the rest of the task, [N] no: "


class TerminalApprover:
    """Reads one line per halt. End of input, or anything but y/t, is a no (fail closed)."""

    def __init__(self, answers: TextIO, out: TextIO) -> None:
        self._in = answers
        self._out = out

    async def decide(self, halted: Halted, crop: bytes | None) -> ApprovalDecision:
        target = halted.target
        lines = [
            "",
            f"homebody halted before: {describe_action(halted.action)}",
            f"  category: {halted.category}",
            f"  why:      {halted.reason}",
        ]
        if target is not None:
            lines.append(f"  target:   {target.role or target.tag} {target.name or target.text!r} on {target.url}")
        if halted.crop:
            lines.append(f"  picture:  {halted.crop} in the recording")
        self._out.write("\n".join(lines) + "\n" + PROMPT)
        self._out.flush()
        answer = (await asyncio.to_thread(self._in.readline)).strip().lower()
        match answer:
            case "y" | "yes":
                return ApprovalDecision(approved=True, by="terminal")
            case "t" | "task":
                return ApprovalDecision(approved=True, by="terminal", grant="task")
            case _:
                return ApprovalDecision(approved=False, by="terminal", note="declined at the terminal")

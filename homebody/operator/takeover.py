"""Takeover: a person drives the session by hand while the agent waits, and every input is recorded.

``begin`` asks the task to pause and returns once the agent has stopped touching the screen (it
parks at its next checkpoint; a brain still thinking is interrupted). ``send`` forwards one input to
the computer and records it as a ``human_input`` event, so the replay shows what the person did;
text that goes into a secret field is recorded as ``•••``. ``end`` hands the session back with a
short summary; the agent then looks at the screen afresh before its next step.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Protocol

from homebody.errors import ComputerError, NoTakeover
from homebody.events import EventSink, HumanInput
from homebody.protocols import InputTarget, SecretFocus
from homebody.types import InputEvent

log = logging.getLogger(__name__)


class Pausable(Protocol):
    """The task's control, as seen from here (``homebody.operator.control.TaskControl``)."""

    step: int

    @property
    def takeover_by(self) -> str | None: ...
    @property
    def parked(self) -> bool: ...
    def request_takeover(self, by: str = "user") -> None: ...
    async def wait_parked(self, timeout_s: float) -> bool: ...
    def release(self, summary: str = "") -> None: ...


class Takeover:
    """One task's takeovers: begin, forward inputs, end (as often as the person wants)."""

    def __init__(self, task_id: str, computer: InputTarget, control: Pausable, sink: EventSink) -> None:
        self._task_id = task_id
        self._computer = computer
        self._control = control
        self._sink = sink
        self._by = "user"
        self._done: Counter[str] = Counter()
        self._keys: list[str] = []
        self._typed = 0

    @property
    def active(self) -> bool:
        """Whether a person has the session now (the agent is parked and waiting for them)."""
        return self._control.takeover_by is not None and self._control.parked

    async def begin(self, by: str = "user", *, timeout_s: float = 30.0) -> bool:
        """Ask the agent to stop; True once it has (False: it is still finishing an action)."""
        self._by = by
        self._done.clear()
        self._keys.clear()
        self._typed = 0
        self._control.request_takeover(by)
        return await self._control.wait_parked(timeout_s)

    async def send(self, ev: InputEvent) -> None:
        """Forward one input and record it. Raises ``NoTakeover`` unless a takeover is under way."""
        if not self.active:
            raise NoTakeover("nobody has taken over this session: start a takeover first")
        secret = ev.kind in ("text", "key") and await self._focus_is_secret()
        stored = ev.redacted() if secret else ev
        error = ""
        try:
            await self._computer.human_input(ev)
        except ComputerError as exc:
            error = str(exc)
            raise
        finally:
            if ev.kind != "move" or error:  # moves alone change nothing: a replay shows presses and clicks
                await self._sink.emit(
                    HumanInput(
                        task_id=self._task_id,
                        step=self._control.step,
                        input=stored,
                        by=self._by,
                        ok=not error,
                        error=error,
                    )
                )
        self._count(ev)

    async def end(self) -> str:
        """Hand the session back; returns the summary the agent is given."""
        summary = self.summary()
        self._control.release(summary)
        return summary

    def summary(self) -> str:
        """``user clicked 2 times, pressed Enter, typed 12 characters``: what the agent is told."""
        parts = [f"{verb} {n} time{'s' if n > 1 else ''}" for verb, n in self._done.items()]
        if self._keys:
            parts.append("pressed " + ", ".join(self._keys[:10]) + (" …" if len(self._keys) > 10 else ""))
        if self._typed:
            parts.append(f"typed {self._typed} characters")
        return f"{self._by} " + (", ".join(parts) if parts else "did nothing")

    def _count(self, ev: InputEvent) -> None:
        match ev.kind:
            case "click":
                self._done["clicked"] += 1
            case "down":
                self._done["pressed a mouse button"] += 1
            case "wheel":
                self._done["scrolled"] += 1
            case "key":
                self._keys.append(ev.key if len(ev.key) > 1 else "a key")
            case "text":
                self._typed += len(ev.text)
            case "move" | "up":
                pass

    async def _focus_is_secret(self) -> bool:
        if not isinstance(self._computer, SecretFocus):
            return False
        try:
            return await self._computer.focus_is_secret()
        except ComputerError:
            return True  # unknown counts as secret: the input is still sent, only its record is masked

"""What is held: each paused request or message waits here for the user's answer.

The interception (``network.py``, ``websocket.py``) parks every effect the screen
halts with ``wait``, which returns True (send it, once) or False (fail it). ``release`` and ``fail``
answer by id; ``fail_all`` answers every one still waiting when the session ends, so an effect
nobody answered is never sent later.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Sequence

from homebody.types import CheckResult, HeldEffect, Outgoing

log = logging.getLogger(__name__)


class Holds:
    """The effects paused in one browser session. Lives on the session's event loop."""

    def __init__(self) -> None:
        self._waiting: dict[str, tuple[HeldEffect, asyncio.Future[bool]]] = {}
        self._changed = asyncio.Event()
        self._ids = itertools.count(1)
        self._closed = False

    async def wait(self, out: Outgoing, result: CheckResult) -> bool:
        """Hold ``out`` until someone answers: True to send it, False to fail it."""
        if self._closed:
            return False
        held = HeldEffect(
            id=f"h{next(self._ids)}",
            outgoing=out,
            category=result.category or "change",
            reason=result.reason or f"{out.method} {out.url} would change something",
        )
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting[held.id] = (held, answer)
        self._changed.set()
        log.info("held %s %s (%s)", out.method, out.url, held.category)
        try:
            return await answer
        finally:
            self._waiting.pop(held.id, None)

    def held(self) -> tuple[HeldEffect, ...]:
        return tuple(held for held, answer in self._waiting.values() if not answer.done())

    async def next_held(self) -> None:
        """Return once something is held (at once when something already is)."""
        while not self.held():
            self._changed.clear()
            await self._changed.wait()

    def release(self, ids: Sequence[str]) -> None:
        self._answer(ids, True)

    def fail(self, ids: Sequence[str]) -> None:
        self._answer(ids, False)

    def fail_all(self) -> None:
        """Fail everything held, and everything held from now on: the session is ending."""
        self._closed = True
        self._answer(list(self._waiting), False)

    def _answer(self, ids: Sequence[str], send: bool) -> None:
        for held_id in ids:
            entry = self._waiting.get(held_id)
            if entry is not None and not entry[1].done():
                entry[1].set_result(send)

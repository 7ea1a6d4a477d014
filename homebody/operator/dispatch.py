"""The one place an action reaches a computer: an exhaustive ``match`` over the Action union.

No name that came from a model is ever looked up with ``getattr``; a new action kind that is not
handled here fails the type check (``assert_never``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, assert_never

from homebody.errors import ComputerError
from homebody.protocols import Computer
from homebody.types import Action, Click, Done, KeyCombo, Navigate, Point, Scroll, TypeText, Wait


async def dispatch(computer: Computer, action: Action, *, timeout_s: float) -> None:
    """Perform ``action``. ``Wait`` sleeps here; ``Done`` does nothing (the loop ends the task)."""
    call: Coroutine[Any, Any, None]
    match action:
        case Click(x=x, y=y, button=button, count=count):
            call = computer.click(Point(x, y), button, count)
        case TypeText(text=text):
            call = computer.type_text(text)
        case KeyCombo(keys=keys):
            call = computer.press(keys)
        case Scroll(x=x, y=y, dx=dx, dy=dy):
            call = computer.scroll(Point(x, y), dx, dy)
        case Navigate(url=url):
            call = computer.navigate(url)
        case Wait(seconds=seconds):
            await asyncio.sleep(seconds)
            return
        case Done():
            return
        case _:
            assert_never(action)
    try:
        async with asyncio.timeout(timeout_s):
            await call
    except TimeoutError as exc:
        raise ComputerError(f"the action did not complete within {timeout_s:g} s") from exc

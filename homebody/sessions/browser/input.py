"""A person's input during a takeover, forwarded to a browser page as it came."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, assert_never

from playwright.async_api import Page

from homebody.errors import BadInput
from homebody.types import InputEvent

Guard = Callable[[Awaitable[Any], str], Awaitable[Any]]


async def forward_to_page(page: Page, ev: InputEvent, guard: Guard) -> None:
    """Replay one input on ``page`` (viewport CSS pixels), each call under ``guard``'s timeout."""
    mouse, keyboard = page.mouse, page.keyboard
    match ev.kind:
        case "move":
            await guard(mouse.move(ev.x, ev.y), "move the mouse")
        case "down":
            await guard(mouse.move(ev.x, ev.y), "move the mouse")
            await guard(mouse.down(button=ev.button), "press the mouse button")
        case "up":
            await guard(mouse.move(ev.x, ev.y), "move the mouse")
            await guard(mouse.up(button=ev.button), "release the mouse button")
        case "click":
            await guard(mouse.click(ev.x, ev.y, button=ev.button, click_count=ev.count), "click")
        case "wheel":
            await guard(mouse.move(ev.x, ev.y), "move the mouse")
            await guard(mouse.wheel(ev.dx, ev.dy), "scroll")
        case "key":
            if not ev.key:
                raise BadInput("a key input needs 'key' (a key name such as Enter or Control+a)")
            await guard(keyboard.press(ev.key), f"press {ev.key!r}")
        case "text":
            if not ev.text:
                raise BadInput("a text input needs 'text'")
            await guard(keyboard.type(ev.text), "type")
        case _:
            assert_never(ev.kind)

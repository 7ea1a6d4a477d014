"""A desktop session's X11 connection, its pointer (XTEST moves, clicks, wheel), and a watch for other hands.

Why python-xlib and not pyautogui: pyautogui opens ``$DISPLAY`` once, at import, for the whole
process (so one process cannot drive a chosen display, and importing it without a display fails),
sleeps after every call unless told not to, and raises from a corner of the screen. One Xlib
connection per computer, with its XTEST extension, does the same pointer work with none of that,
and the same connection answers "where is the pointer now?" for the watch below (the keyboard in
``keys.py`` shares it). Xlib connections
are not thread-safe: every request goes through one lock, which also makes "move the pointer and
remember where it went" one step that the watch never sees half done.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from homebody.errors import ComputerError, FailSafeTriggered, SessionClosed
from homebody.types import Point, Size

log = logging.getLogger(__name__)

#: How often the watch asks where the pointer is (a person's hand is noticed within this).
POLL_INTERVAL_S = 0.1
#: Distance (screen pixels) from a corner that counts as "in the corner" for the fail-safe.
CORNER_MARGIN = 1


class XConnection:
    """One python-xlib connection with its XTEST extension, and the lock every request takes."""

    def __init__(self, conn: Any, name: str) -> None:
        self.conn = conn
        self.name = name
        screen = conn.screen()
        self.size = Size(int(screen.width_in_pixels), int(screen.height_in_pixels))
        self.lock = threading.Lock()

    @classmethod
    def open(cls, display: str | None) -> XConnection:
        """Open ``display`` (``None``: the X library's default, ``$DISPLAY``); needs XTEST."""
        from Xlib import display as xdisplay  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415
        from Xlib import error as xerror  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

        try:
            conn = xdisplay.Display(display)
        except (xerror.DisplayError, OSError) as exc:
            raise ComputerError(f"cannot open the X display {display or '(default)'}: {exc}") from exc
        if not conn.has_extension("XTEST"):
            conn.close()
            raise ComputerError(f"the X display {display} has no XTEST extension: synthetic input is impossible")
        return cls(conn, str(conn.get_display_name()))

    def close(self) -> None:
        with self.lock, contextlib.suppress(Exception):  # a display that is already gone is closed
            self.conn.close()

    def call(self, request: Callable[[], Any]) -> Any:
        """Run one Xlib request (the caller holds ``lock``), mapping its errors to ours."""
        from Xlib import error as xerror  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

        try:
            return request()
        except (xerror.ConnectionClosedError, BrokenPipeError, ConnectionError) as exc:
            raise SessionClosed(f"the X display {self.name} went away: {exc}") from exc
        except xerror.XError as exc:
            raise ComputerError(f"the X server refused a request: {exc}") from exc

    def fake(self, event: str, detail: int, **where: int) -> None:
        """One synthetic input event (``KeyPress``, ``ButtonRelease``, ``MotionNotify``…), lock held."""
        from Xlib import X  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415
        from Xlib.ext import xtest  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

        self.call(lambda: xtest.fake_input(self.conn, getattr(X, event), detail, **where))

    def sync(self) -> None:
        """Wait until the server has processed every request sent so far (lock held)."""
        self.call(self.conn.sync)


class XPointer:
    """Synthetic pointer input on an ``XConnection``, remembering where it last put the pointer."""

    def __init__(self, x: XConnection) -> None:
        self._x = x
        self.size = x.size
        with x.lock:
            self._placed = self._query()  # where the pointer already is belongs to nobody in particular
        self._placements = 0  # counts the moves made here: each one ends an excursion of someone else's

    # ------------------------------------------------------------------ input (each call holds the lock)

    def move(self, point: Point) -> None:
        with self._x.lock:
            self._move(point)

    def click(self, point: Point, button: int, count: int) -> None:
        with self._x.lock:
            self._move(point)
            for _ in range(count):
                self._fake("ButtonPress", button)
                self._fake("ButtonRelease", button)
            self._sync()

    def button(self, point: Point, button: int, *, down: bool) -> None:
        with self._x.lock:
            self._move(point)
            self._fake("ButtonPress" if down else "ButtonRelease", button)
            self._sync()

    def wheel(self, point: Point, moves: list[tuple[int, int]]) -> None:
        with self._x.lock:
            self._move(point)
            for button, clicks in moves:
                for _ in range(clicks):
                    self._fake("ButtonPress", button)
                    self._fake("ButtonRelease", button)
            self._sync()

    # ------------------------------------------------------------------ queries

    def position(self) -> Point:
        with self._x.lock:
            return self._query()

    def foreign_position(self) -> tuple[Point | None, int]:
        """Where the pointer is if that is not where it was last put here, and how many moves were
        made here so far (a watch that missed the pointer at rest still sees the agent took it back)."""
        with self._x.lock:
            now = self._query()
            return (None if _same(now, self._placed) else now), self._placements

    def check_failsafe(self) -> None:
        """Raise ``FailSafeTriggered`` when someone pushed the pointer into a screen corner."""
        with self._x.lock:
            now = self._query()
            if _same(now, self._placed) or not self._in_corner(now):
                return
        raise FailSafeTriggered(
            f"the pointer is in a corner of the screen at ({now.x:.0f}, {now.y:.0f}): someone at this "
            "machine used the fail-safe to stop the agent; the action was not performed"
        )

    # ------------------------------------------------------------------ internals (lock held)

    def _move(self, point: Point) -> None:
        width, height = self.size.width, self.size.height
        if not (0 <= point.x < width and 0 <= point.y < height):
            raise ComputerError(
                f"({point.x:g}, {point.y:g}) is outside the screen ({self.size.width}×{self.size.height} pixels)"
            )
        x, y = min(round(point.x), width - 1), min(round(point.y), height - 1)
        self._fake("MotionNotify", 0, x=x, y=y)
        self._sync()
        # What the server reports, not what was asked: the watch compares like with like.
        self._placed = self._query()
        self._placements += 1

    def _fake(self, event: str, detail: int, **where: int) -> None:
        self._x.fake(event, detail, **where)

    def _sync(self) -> None:
        self._x.sync()

    def _query(self) -> Point:
        reply = self._x.call(self._x.conn.screen().root.query_pointer)
        return Point(float(reply.root_x), float(reply.root_y))

    def _in_corner(self, p: Point) -> bool:
        right, bottom = self.size.width - 1, self.size.height - 1
        near_x = p.x <= CORNER_MARGIN or p.x >= right - CORNER_MARGIN
        near_y = p.y <= CORNER_MARGIN or p.y >= bottom - CORNER_MARGIN
        return near_x and near_y


def _same(a: Point, b: Point) -> bool:
    return abs(a.x - b.x) < 1 and abs(a.y - b.y) < 1


class PointerWatch:
    """Polls the real pointer; calls ``on_foreign`` once each time it leaves where it was put.

    An excursion ends when the pointer is again where the agent (or forwarded takeover input) last
    put it, usually because one of them moved it; the next foreign move is then a new excursion.
    The callback runs on the event loop's thread, so it may touch asyncio objects.
    """

    def __init__(
        self, pointer: XPointer, on_foreign: Callable[[Point], None], *, interval_s: float, timeout_s: float
    ) -> None:
        self._pointer = pointer
        self._on_foreign = on_foreign
        self._interval = interval_s
        self._timeout = timeout_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start polling on the running event loop (call from a coroutine or loop callback)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="homebody-pointer-watch")

    def cancel(self) -> None:
        """Stop polling without waiting for the poll in flight to finish."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        away, placements = False, -1
        while True:
            try:
                async with asyncio.timeout(self._timeout):
                    where, moved = await asyncio.to_thread(self._pointer.foreign_position)
            except SessionClosed as exc:
                log.warning("pointer watch stopped: %s", exc)
                return
            except (ComputerError, TimeoutError) as exc:
                log.info("pointer watch could not read the pointer: %s", exc)
            else:
                if moved != placements:  # the agent (or forwarded input) put the pointer somewhere since
                    away, placements = False, moved
                if where is not None and not away:
                    self._notify(where)
                away = where is not None
            await asyncio.sleep(self._interval)

    def _notify(self, where: Point) -> None:
        try:
            self._on_foreign(where)
        except Exception:  # a broken callback must not silence the watch for the rest of the task
            log.exception("the foreign-input callback failed")

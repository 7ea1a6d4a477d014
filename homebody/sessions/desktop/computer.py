"""The desktop computer: the Computer protocol over an X11 screen (a real desktop or Xvfb).

Capture is mss (one shared-memory grab, ≈1 ms) encoded to JPEG with OpenCV. Input is XTEST over one
python-xlib connection per computer: the pointer in ``pointer.py`` (which says why not
pyautogui) and keys and text in ``keys.py`` (which says why not ``xdotool type``: it drops
non-ASCII characters under load). Text is sent as keysyms, never through a shell or a subprocess,
so model text cannot run anything. Coordinates are screen pixels of the X root window; every
blocking call runs in a thread under the action timeout.

Someone at the machine moving the pointer is noticed by ``watch_pointer`` (the composition root
wires it to a takeover request); pushing it into a screen corner is the fail-safe: agent actions
are refused with ``FailSafeTriggered`` while it stays there.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from homebody.config import Limits
from homebody.errors import ComputerError, FailSafeTriggered, NavigationError, SessionClosed
from homebody.sessions.desktop.keys import BUTTONS, XKeyboard, keysyms, split_combo, wheel_clicks
from homebody.sessions.desktop.pointer import POLL_INTERVAL_S, PointerWatch, XConnection, XPointer
from homebody.types import Frame, InputEvent, MouseButton, Point, Size

if TYPE_CHECKING:
    from mss.base import MSS

__all__ = ["DesktopComputer", "FailSafeTriggered"]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: How long ``settle`` waits: desktop apps redraw within a frame or two; the verifier then watches pixels.
SETTLE_S = 0.05


class DesktopComputer:
    """Drives one X11 screen. Create with ``DesktopComputer.open(display, limits)``; ``close()`` after."""

    kind = "desktop"

    def __init__(self, x: XConnection, grabber: MSS, *, limits: Limits, jpeg_quality: int) -> None:
        self._x = x
        self._pointer = XPointer(x)
        self._keyboard = XKeyboard(x)
        self._grabber = grabber
        self._limits = limits
        self._quality = jpeg_quality
        self._watch: PointerWatch | None = None
        self._closed = False

    @property
    def display(self) -> str:
        return self._x.name

    @property
    def size(self) -> Size:
        return self._x.size

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    async def open(cls, display: str | None, limits: Limits, jpeg_quality: int = 80) -> DesktopComputer:
        """Connect to ``display`` (``":0"``; ``None`` is the X library's default, ``$DISPLAY``)."""
        if not 1 <= jpeg_quality <= 100:
            raise ComputerError(f"jpeg_quality must be between 1 and 100, got {jpeg_quality}")
        x = await _in_thread(lambda: XConnection.open(display), limits.action_timeout_s, "open the display")
        try:
            grabber = await _in_thread(lambda: _open_grabber(x.name), limits.action_timeout_s, "start mss")
            return cls(x, grabber, limits=limits, jpeg_quality=jpeg_quality)
        except BaseException:
            x.close()
            raise

    async def close(self) -> None:
        """Stop the pointer watch and release the X connections. Never raises."""
        if self._closed:
            return
        self._closed = True
        if self._watch is not None:
            await self._watch.stop()
        try:
            self._grabber.close()
            await _in_thread(self._keyboard.close, self._limits.action_timeout_s, "restore the keyboard map")
        except Exception as exc:  # closing a dead display must not hide the task's result
            log.warning("the desktop session did not close cleanly: %s", exc)
        finally:
            self._x.close()

    async def __aenter__(self) -> DesktopComputer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ observing

    async def capture(self) -> Frame:
        self._require_open()
        size = self.size
        data = await self._run(lambda: _grab_jpeg(self._grabber, size, self._quality), "capture the screen")
        return Frame(data=data, format="jpeg", size=size, ts=time.time())

    def watch_pointer(self, callback: Callable[[Point], None]) -> None:
        """Call ``callback(where)`` once each time the pointer moves where neither the agent nor a
        forwarded takeover input put it (someone at this machine). Needs a running event loop;
        replaces an earlier callback; stops on ``close()``."""
        self._require_open()
        old = self._watch
        self._watch = PointerWatch(
            self._pointer, callback, interval_s=POLL_INTERVAL_S, timeout_s=self._limits.action_timeout_s
        )
        self._watch.start()
        if old is not None:
            old.cancel()

    # ------------------------------------------------------------------ acting (the agent)

    async def click(self, point: Point, button: MouseButton = "left", count: int = 1) -> None:
        number = BUTTONS[button]

        def act() -> None:
            self._pointer.check_failsafe()
            self._pointer.click(point, number, count)

        await self._run(act, "click")

    async def type_text(self, text: str) -> None:
        def act() -> None:
            self._pointer.check_failsafe()
            self._keyboard.type(text, self._deadline())

        await self._run(act, "type")

    async def press(self, keys: Sequence[str]) -> None:
        """Press ``keys`` together (Playwright names; held in order, released in reverse)."""
        names = keysyms(list(keys))

        def act() -> None:
            self._pointer.check_failsafe()
            self._keyboard.press(names, self._deadline())

        await self._run(act, f"press {'+'.join(keys)}")

    async def scroll(self, point: Point, dx: float, dy: float) -> None:
        moves = wheel_clicks(dx, dy)

        def act() -> None:
            self._pointer.check_failsafe()
            if moves:
                self._pointer.wheel(point, moves)
            else:
                self._pointer.move(point)

        await self._run(act, "scroll")

    async def navigate(self, url: str) -> None:
        raise NavigationError(
            url,
            "a desktop session cannot navigate by itself: click the browser's address bar, type the address "
            "and press Enter",
        )

    async def settle(self) -> None:
        await asyncio.sleep(SETTLE_S)

    # ------------------------------------------------------------------ a person's input (takeover)

    async def focus_is_secret(self) -> bool:
        """A desktop has no DOM to say whether the focus is a password field, so every text typed on
        it counts as secret: typed text is sent as it is but recorded as ``•••`` (fails closed)."""
        return True

    async def human_input(self, ev: InputEvent) -> None:
        """Forward one input of a person who took over; it moves the remembered pointer position too,
        so forwarded moves never look like someone at the machine. No fail-safe: a person acts here."""
        pointer, keyboard, point = self._pointer, self._keyboard, ev.point
        match ev.kind:
            case "move":
                await self._run(lambda: pointer.move(point), "move the pointer")
            case "down" | "up":
                down = ev.kind == "down"
                await self._run(lambda: pointer.button(point, BUTTONS[ev.button], down=down), f"{ev.kind} the button")
            case "click":
                await self._run(lambda: pointer.click(point, BUTTONS[ev.button], ev.count), "click")
            case "wheel":
                moves = wheel_clicks(ev.dx, ev.dy)
                await self._run(lambda: pointer.wheel(point, moves), "scroll")
            case "key":
                names = keysyms(split_combo(ev.key))
                await self._run(lambda: keyboard.press(names, self._deadline()), f"press {ev.key}")
            case "text":
                await self._run(lambda: keyboard.type(ev.text, self._deadline()), "type")

    # ------------------------------------------------------------------ internals

    async def _run(self, call: Callable[[], T], what: str) -> T:
        self._require_open()
        return await _in_thread(call, self._limits.action_timeout_s, what)

    def _deadline(self) -> float:
        """When typing in a worker thread must stop by itself: a little before the caller gives up."""
        return time.monotonic() + self._limits.action_timeout_s * 0.9

    def _require_open(self) -> None:
        if self._closed:
            raise SessionClosed("the desktop session is closed")


async def _in_thread(call: Callable[[], T], timeout_s: float, what: str) -> T:
    try:
        async with asyncio.timeout(timeout_s):
            return await asyncio.to_thread(call)
    except TimeoutError as exc:
        raise ComputerError(f"could not {what}: no answer within {timeout_s:g} s") from exc


def _open_grabber(display: str) -> MSS:
    import mss  # noqa: PLC0415  (optional dependency: homebody[desktop])

    try:
        return mss.MSS(display=display)
    except mss.ScreenShotError as exc:
        raise ComputerError(f"mss cannot capture the X display {display}: {exc}") from exc


def _grab_jpeg(grabber: MSS, size: Size, quality: int) -> bytes:
    import cv2  # noqa: PLC0415  (slow to import)
    import mss  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    region = {"left": 0, "top": 0, "width": size.width, "height": size.height}
    try:
        shot = grabber.grab(region)
    except mss.ScreenShotError as exc:
        raise ComputerError(f"could not capture the screen: {exc}") from exc
    bgr = np.ascontiguousarray(np.asarray(shot)[:, :, :3])  # mss gives BGRA; JPEG has no alpha
    ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ComputerError("could not encode the screen capture as JPEG")
    return bytes(encoded.tobytes())

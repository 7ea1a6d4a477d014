"""The desktop's live feed: an X11 screen captured with mss in a thread, to a ``FrameHub``.

Frames go through an optional ``transform`` hook before publishing. The hook fails closed: when it
raises, the frame is dropped and logged, never published unmasked.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from homebody.errors import BadInput
from homebody.sessions.live import FrameHub

log = logging.getLogger(__name__)

SyncTransform = Callable[[bytes], bytes]


class DesktopCapture:
    """An X11 screen captured with mss in a thread, published to ``hub`` when it changes.

    Identical consecutive screens are skipped (a byte compare of the raw BGRA, well under a
    millisecond), so an idle desktop costs one grab per tick and sends nothing.
    """

    def __init__(
        self,
        hub: FrameHub,
        *,
        display: str | None,
        fps: float = 30,
        quality: int = 70,
        transform: SyncTransform | None = None,
    ) -> None:
        if fps <= 0:
            raise BadInput(f"the desktop capture rate must be positive, got {fps:g} fps")
        self._hub = hub
        self._display = display
        self._period = 1.0 / fps
        self._quality = quality
        self._transform = transform
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: screens grabbed, and those that differed from the one before (and were published)
        self.grabbed = 0
        self.changed = 0
        #: frames the transform refused (dropped, never published)
        self.rejected = 0
        #: why the capture loop stopped on its own (the X server went away), if it did
        self.error: str | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the capture thread. Call it on the hub's event loop."""
        if self.running:
            return
        self._hub.bind(asyncio.get_running_loop())
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="desktop-capture", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the capture thread and wait up to ``timeout`` seconds for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("desktop capture did not stop within %g s", timeout)
            self._thread = None

    def _run(self) -> None:
        import mss  # noqa: PLC0415  (optional dependency homebody[desktop]; loads X11 libraries)

        try:
            with mss.MSS(display=self._display) as sct:
                self._loop(sct, sct.monitors[0])
        except Exception as exc:  # the X server went away (or never answered): say why, stop
            self.error = f"desktop capture stopped: {exc}"
            log.warning("%s", self.error)

    def _loop(self, sct: Any, monitor: dict[str, int]) -> None:
        previous = b""
        while not self._stop.is_set():
            started = time.monotonic()
            shot = sct.grab(monitor)
            ts = time.time()
            self.grabbed += 1
            raw = shot.raw
            if raw != previous:
                previous = raw
                self.changed += 1
                self._emit(shot, ts)
            self._stop.wait(max(0.0, self._period - (time.monotonic() - started)))

    def _emit(self, shot: Any, ts: float) -> None:
        import cv2  # noqa: PLC0415  (slow to import; only desktop sessions need it here)
        import numpy as np  # noqa: PLC0415

        bgr = cv2.cvtColor(np.asarray(shot), cv2.COLOR_BGRA2BGR)
        ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, self._quality])
        if not ok:
            log.warning("live frame dropped: JPEG encoding failed")
            return
        data = encoded.tobytes()
        if self._transform is not None:
            try:
                data = self._transform(data)
            except Exception as exc:  # fail closed: a frame that could not be redacted is never shown
                self.rejected += 1
                log.info("live frame dropped: its transform (redaction) failed: %s", exc)
                return
        self._hub.publish_threadsafe(data, shot.width, shot.height, ts)

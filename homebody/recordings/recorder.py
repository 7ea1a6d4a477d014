"""Crash-safe task recordings: ``tasks/ID/events.jsonl`` plus the JPEG frames the events name.

Each frame is written and fsynced before the event that names it; each event is one JSON line,
flushed and fsynced before ``emit`` returns. A process killed at any instant therefore leaves a
recording whose every complete line is a completed event with its frame on disk; at most the last
line is torn, and ``read_events`` skips it.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from homebody.events import Event, event_json, parse_event
from homebody.types import Frame

log = logging.getLogger(__name__)

EVENTS_FILE = "events.jsonl"
FRAMES_DIR = "frames"


class Recorder:
    """An ``EventSink`` that writes one task's recording."""

    def __init__(self, task_dir: Path) -> None:
        self.task_dir = task_dir
        (task_dir / FRAMES_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(task_dir, 0o700)
        self._events_fd = os.open(task_dir / EVENTS_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._lock = asyncio.Lock()

    async def emit(self, event: Event, frame: Frame | None = None) -> None:
        async with self._lock:
            await asyncio.to_thread(self._write, event, frame)

    def _write(self, event: Event, frame: Frame | None) -> None:
        name = getattr(event, "frame", None) or getattr(event, "crop", None)
        if frame is not None and name:
            self._write_file(self._inside(name), frame.data)
        line = (event_json(event) + "\n").encode()
        os.write(self._events_fd, line)
        os.fsync(self._events_fd)

    def write_blob(self, name: str, data: bytes) -> None:
        """Store an extra file (a crop, an export) inside the recording."""
        self._write_file(self._inside(name), data)

    def _inside(self, name: str) -> Path:
        path = (self.task_dir / name).resolve()
        if not path.is_relative_to(self.task_dir.resolve()):
            raise ValueError(f"recording file {name!r} escapes the task folder")
        return path

    @staticmethod
    def _write_file(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)

    def close(self) -> None:
        if self._events_fd >= 0:
            os.close(self._events_fd)
            self._events_fd = -1


def read_events(task_dir: Path) -> list[Event]:
    """Every complete event of a recording, in order; a torn last line is skipped."""
    path = task_dir / EVENTS_FILE
    events: list[Event] = []
    with path.open("rb") as fh:
        lines = fh.read().split(b"\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            events.append(parse_event(line))
        except ValueError as exc:
            if number >= len(lines) - 1:
                log.warning("skipping a torn last line in %s", path)
                break
            raise ValueError(f"{path}: line {number} is not a valid event: {exc}") from exc
    return events

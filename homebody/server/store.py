"""The task store: one SQLite database (WAL) in the data dir, ``tasks.db``.

Every call runs on ONE worker thread that owns the connection, so the event loop never waits on
the disk, and writes land in the order they were asked for (a status written after another is
never overtaken by it). Rows are whole ``TaskRecord`` documents (JSON) beside the columns that are
queried; they are validated back into typed records on the way out.
"""

from __future__ import annotations

import asyncio
import fcntl
import functools
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from homebody.errors import BadInput
from homebody.server import inbox
from homebody.server.inbox import INBOX_SCHEMA
from homebody.server.models import TaskRecord
from homebody.server.schedules.store import ensure_schema as ensure_schedules

log = logging.getLogger(__name__)
T = TypeVar("T")

DB_NAME = "tasks.db"
LOCK_NAME = "server.lock"
SCHEMA_VERSION = 1
_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS tasks (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_status ON tasks (status);
"""
    + INBOX_SCHEMA
)
INTERRUPTED_REASON = (
    "the server stopped while this task was running; it is not run again by itself, because an action it "
    "had already taken (an order, a message) must never be repeated"
)


class TaskStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="homebody-store")
        self._conn: sqlite3.Connection | None = None

    async def _call(self, fn: Callable[..., T], *args: object) -> T:
        # run_in_executor queues the call at once (before this coroutine yields): with one worker,
        # calls run in the order they were made.
        return await asyncio.get_running_loop().run_in_executor(self._pool, functools.partial(fn, *args))

    # ------------------------------------------------------------------ lifecycle

    async def open(self) -> None:
        await self._call(self._open)

    def _open(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # created private, never world-readable
        os.close(fd)
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(_SCHEMA)
        ensure_schedules(conn)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self._conn = conn

    async def close(self) -> None:
        try:
            await self._call(self._close)
        finally:
            self._pool.shutdown(wait=True)

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    async def call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` with the store's connection on its worker thread (the schedules' queries)."""
        return await self._call(lambda: fn(self._db))

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise sqlite3.ProgrammingError("the task store is not open")
        return self._conn

    # ------------------------------------------------------------------ the results inbox

    async def inbox(self, limit: int, unread_only: bool = False) -> list[tuple[TaskRecord, bool]]:
        """Finished tasks, the latest to end first, each with whether the user has read it."""
        return await self._call(lambda: inbox.newest(self._db, limit, unread_only))

    async def unread_count(self) -> int:
        return await self._call(lambda: inbox.unread_count(self._db))

    async def mark_read(self, task_ids: list[str]) -> None:
        """NotFound for an unknown id, Conflict for a task not over yet; then nothing is marked."""
        await self._call(lambda: inbox.mark_read(self._db, task_ids, time.time()))

    async def mark_all_read(self) -> int:
        return await self._call(lambda: inbox.mark_all_read(self._db, time.time()))

    # ------------------------------------------------------------------ writes

    async def insert(self, record: TaskRecord) -> None:
        await self._call(self._insert, record)

    def _insert(self, record: TaskRecord) -> None:
        self._db.execute(
            "INSERT INTO tasks (id, status, record) VALUES (?, ?, ?)",
            (record.id, record.status, record.model_dump_json()),
        )

    async def save(self, record: TaskRecord) -> None:
        await self._call(self._save, record)

    def _save(self, record: TaskRecord) -> None:
        self._db.execute(
            "UPDATE tasks SET status = ?, record = ? WHERE id = ?", (record.status, record.model_dump_json(), record.id)
        )

    async def interrupt_unfinished(self) -> list[str]:
        """Mark every task a previous server left running, halted or in a takeover as
        ``interrupted`` (never re-run). Returns their ids."""
        return await self._call(self._interrupt_unfinished, time.time())

    def _interrupt_unfinished(self, now: float) -> list[str]:
        rows = self._db.execute(
            "SELECT record FROM tasks WHERE status IN ('running', 'halted', 'takeover') ORDER BY n"
        ).fetchall()
        ids = []
        for (text,) in rows:
            record = TaskRecord.model_validate_json(text)
            done = record.model_copy(
                update={
                    "status": "interrupted",
                    "ended_at": now,
                    "reason": INTERRUPTED_REASON,
                    "halt": None,
                    "takeover_by": None,
                }
            )
            self._save(done)
            ids.append(record.id)
        if ids:
            log.warning("%d task(s) were running when the server last stopped: marked interrupted", len(ids))
        return ids

    # ------------------------------------------------------------------ reads

    async def get(self, task_id: str) -> TaskRecord | None:
        return await self._call(self._get, task_id)

    def _get(self, task_id: str) -> TaskRecord | None:
        row = self._db.execute("SELECT record FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return None if row is None else TaskRecord.model_validate_json(row[0])

    async def newest(self, limit: int) -> list[TaskRecord]:
        return await self._call(self._newest, limit)

    def _newest(self, limit: int) -> list[TaskRecord]:
        rows = self._db.execute("SELECT record FROM tasks ORDER BY n DESC LIMIT ?", (limit,)).fetchall()
        return [TaskRecord.model_validate_json(text) for (text,) in rows]

    async def queued(self) -> list[TaskRecord]:
        """Tasks waiting to run, oldest first (the order they run in)."""
        return await self._call(self._queued)

    def _queued(self) -> list[TaskRecord]:
        rows = self._db.execute("SELECT record FROM tasks WHERE status = 'queued' ORDER BY n").fetchall()
        return [TaskRecord.model_validate_json(text) for (text,) in rows]


class ServerLock:
    """One server per data dir: a second would mark the first one's running tasks ``interrupted``
    and run its queue twice. An advisory ``flock``, dropped by the kernel if the process dies."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self._data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BadInput(
                f"another homebody server uses the data directory {self._data_dir}: stop it, or pass another --data-dir"
            ) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

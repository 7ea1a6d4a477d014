"""The results inbox in ``tasks.db``: every finished task, newest end first, and whether it was read.

Plain functions over a ``sqlite3.Connection``: the task store runs them on its worker thread, and
``homebody inbox`` runs them on a connection of its own (read-only for a listing), so both see the
same rows while a server runs. A task is unread until a row of ``inbox_read`` names it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from homebody.errors import Conflict, NotFound
from homebody.server.models import FINAL, TaskRecord

# Every statement here is a constant, so FINAL's statuses are spelled out in each (a test checks them).

#: Part of the store's schema. The partial index holds finished tasks only, in the inbox's order, so a
#: page of the inbox reads a page of the index however many tasks the store has.
INBOX_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox_read (
    task_id TEXT PRIMARY KEY,
    read_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_finished ON tasks (json_extract(record, '$.ended_at') DESC, n DESC)
    WHERE status IN ('cancelled', 'done', 'failed', 'interrupted');
"""

# Named, because without statistics SQLite would rather read the status index and sort. A store that
# a server older than the inbox made has no such index until a server opens it again.
_NEWEST = """
SELECT record, inbox_read.task_id IS NOT NULL
FROM tasks INDEXED BY tasks_finished LEFT JOIN inbox_read ON inbox_read.task_id = tasks.id
WHERE status IN ('cancelled', 'done', 'failed', 'interrupted') AND (? = 0 OR inbox_read.task_id IS NULL)
ORDER BY json_extract(record, '$.ended_at') DESC, n DESC
LIMIT ?
"""
_HAS_INDEX = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'tasks_finished'"
_UNREAD = """
SELECT count(*) FROM tasks LEFT JOIN inbox_read ON inbox_read.task_id = tasks.id
WHERE status IN ('cancelled', 'done', 'failed', 'interrupted') AND inbox_read.task_id IS NULL
"""
_STATUSES = "SELECT id, status FROM tasks WHERE id IN (SELECT value FROM json_each(?))"
_MARK = "INSERT OR IGNORE INTO inbox_read (task_id, read_at) VALUES (?, ?)"
_MARK_ALL = """
INSERT OR IGNORE INTO inbox_read (task_id, read_at)
SELECT id, ? FROM tasks WHERE status IN ('cancelled', 'done', 'failed', 'interrupted')
"""


def newest(conn: sqlite3.Connection, limit: int, unread_only: bool = False) -> list[tuple[TaskRecord, bool]]:
    """Finished tasks, the latest to end first, each with whether it was read."""
    sql = _NEWEST if conn.execute(_HAS_INDEX).fetchone() else _NEWEST.replace("INDEXED BY tasks_finished", "")
    rows = conn.execute(sql, (int(unread_only), limit)).fetchall()
    return [(TaskRecord.model_validate_json(text), bool(read)) for text, read in rows]


def unread_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute(_UNREAD).fetchone()[0])


def mark_read(conn: sqlite3.Connection, task_ids: Sequence[str], now: float) -> None:
    """Mark these finished tasks read (one already read keeps its first time). All or nothing: an
    unknown id is NotFound, a task that is not over yet is a Conflict, and nothing is marked."""
    wanted = list(dict.fromkeys(task_ids))
    with _writing(conn):
        found = dict(conn.execute(_STATUSES, (json.dumps(wanted),)).fetchall())
        for task_id in wanted:
            if task_id not in found:
                raise NotFound(f"ids: no task {task_id!r}")
            if found[task_id] not in FINAL:
                raise Conflict(f"ids: task {task_id!r} is {found[task_id]}; only finished tasks are in the inbox")
        conn.executemany(_MARK, [(task_id, now) for task_id in wanted])


def mark_all_read(conn: sqlite3.Connection, now: float) -> int:
    """Mark every finished task read; returns how many were unread."""
    with _writing(conn):
        cursor = conn.execute(_MARK_ALL, (now,))
    return cursor.rowcount


@contextmanager
def _writing(conn: sqlite3.Connection) -> Iterator[None]:
    # One write transaction, taken at once: the check and the marks see the same tasks, and a
    # server writing beside ``homebody inbox --mark-read`` waits its turn (the busy timeout) instead
    # of failing half-way.
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")

"""Schedules and their runs in the server's SQLite store (``tasks.db``).

Plain functions of a connection, so the server runs them on its store's worker thread and the CLI
on a connection of its own: ``homebody schedule add`` works whether or not a server runs on that
data dir (SQLite's WAL lets both in; the server's scheduler reads the store again each tick).
Rows are whole ``ScheduleRecord`` documents (JSON) beside the columns that are queried.
"""

from __future__ import annotations

import secrets
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from homebody.errors import BadInput, NotFound
from homebody.server.schedules.models import ScheduleIn, ScheduleOut, ScheduleRecord, ScheduleRunOut
from homebody.server.schedules.timing import At, Cron, check_at, check_cron, first_due

SCHEMA = """
CREATE TABLE IF NOT EXISTS schedules (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    due REAL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS schedules_due ON schedules (due);
CREATE TABLE IF NOT EXISTS schedule_runs (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    schedule_id TEXT NOT NULL,
    at REAL NOT NULL,
    outcome TEXT NOT NULL,
    task_id TEXT,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS schedule_runs_by ON schedule_runs (schedule_id, n);
"""
MAX_RUNS_KEPT = 1000  # per schedule: an every-30s schedule would otherwise grow without end


def new_schedule_id() -> str:
    return "s-" + secrets.token_hex(5)


def new_record(body: ScheduleIn, now: float) -> ScheduleRecord:
    """A schedule from ``body``, its trigger checked (a past ``at``, a bad cron: ``BadInput``)."""
    created = datetime.fromtimestamp(now, UTC)
    match body.trigger:
        case At():
            check_at(body.trigger, created, "trigger.at")
        case Cron():
            check_cron(body.trigger, "trigger.expr")
        case _:
            pass
    due = first_due(body.trigger, created)
    return ScheduleRecord(
        id=new_schedule_id(),
        task=body.task,
        trigger=body.trigger,
        notify=body.notify,
        grace_s=body.grace_s,
        state="active",
        created_at=now,
        next_run=due.timestamp() if due is not None else None,
    )


def connect(db: Path) -> sqlite3.Connection:
    """A connection of the CLI's own (the server uses its store's)."""
    conn = sqlite3.connect(db, timeout=10, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=10000")
    ensure_schema(conn)
    return conn


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def _due(record: ScheduleRecord) -> float | None:
    """The column the scheduler queries: when the schedule wants to run (now, for run-now)."""
    if record.state != "active" and not record.run_now:
        return None
    if record.run_now:
        return 0.0
    return record.next_run


def insert(conn: sqlite3.Connection, record: ScheduleRecord) -> None:
    conn.execute(
        "INSERT INTO schedules (id, due, record) VALUES (?, ?, ?)", (record.id, _due(record), record.model_dump_json())
    )


def save(conn: sqlite3.Connection, record: ScheduleRecord) -> None:
    conn.execute(
        "UPDATE schedules SET due = ?, record = ? WHERE id = ?", (_due(record), record.model_dump_json(), record.id)
    )


def get(conn: sqlite3.Connection, schedule_id: str) -> ScheduleRecord | None:
    row = conn.execute("SELECT record FROM schedules WHERE id = ?", (schedule_id,)).fetchone()
    return ScheduleRecord.model_validate_json(row[0]) if row else None


def require(conn: sqlite3.Connection, schedule_id: str) -> ScheduleRecord:
    record = get(conn, schedule_id)
    if record is None:
        raise NotFound(f"no schedule {schedule_id!r}")
    return record


def all_schedules(conn: sqlite3.Connection) -> list[ScheduleRecord]:
    rows = conn.execute("SELECT record FROM schedules ORDER BY n").fetchall()
    return [ScheduleRecord.model_validate_json(row[0]) for row in rows]


def due(conn: sqlite3.Connection, now: float) -> list[ScheduleRecord]:
    """The schedules due at ``now`` (an index range: cheap with thousands of schedules)."""
    rows = conn.execute("SELECT record FROM schedules WHERE due <= ? ORDER BY due", (now,)).fetchall()
    return [ScheduleRecord.model_validate_json(row[0]) for row in rows]


def soonest(conn: sqlite3.Connection) -> float | None:
    """When the next schedule is due, or None when none is."""
    row = conn.execute("SELECT MIN(due) FROM schedules").fetchone()
    return float(row[0]) if row and row[0] is not None else None


def remove(conn: sqlite3.Connection, schedule_id: str) -> None:
    with conn:
        if conn.execute("DELETE FROM schedules WHERE id = ?", (schedule_id,)).rowcount == 0:
            raise NotFound(f"no schedule {schedule_id!r}")
        conn.execute("DELETE FROM schedule_runs WHERE schedule_id = ?", (schedule_id,))


def add_run(conn: sqlite3.Connection, schedule_id: str, run: ScheduleRunOut) -> None:
    conn.execute(
        "INSERT INTO schedule_runs (schedule_id, at, outcome, task_id, reason) VALUES (?, ?, ?, ?, ?)",
        (schedule_id, run.at, run.outcome, run.task_id, run.reason),
    )
    conn.execute(
        "DELETE FROM schedule_runs WHERE schedule_id = ? AND n <= "
        "(SELECT n FROM schedule_runs WHERE schedule_id = ? ORDER BY n DESC LIMIT 1 OFFSET ?)",
        (schedule_id, schedule_id, MAX_RUNS_KEPT),
    )


def runs(conn: sqlite3.Connection, schedule_id: str, limit: int = 50) -> list[ScheduleRunOut]:
    rows = conn.execute(
        "SELECT at, outcome, task_id, reason FROM schedule_runs WHERE schedule_id = ? ORDER BY n DESC LIMIT ?",
        (schedule_id, limit),
    ).fetchall()
    return [
        ScheduleRunOut(at=at, outcome=outcome, task_id=task_id, reason=reason) for at, outcome, task_id, reason in rows
    ]


def public(record: ScheduleRecord) -> ScheduleOut:
    return ScheduleOut.model_validate(record.model_dump(exclude={"run_now"}))


def set_paused(conn: sqlite3.Connection, schedule_id: str, paused: bool) -> ScheduleRecord:
    record = require(conn, schedule_id)
    if record.state in ("done", "missed"):
        raise BadInput(
            f"schedule {schedule_id} is {record.state}: there is nothing left to {'pause' if paused else 'resume'}"
        )
    record = record.model_copy(update={"state": "paused" if paused else "active"})
    save(conn, record)
    return record


def ask_run_now(conn: sqlite3.Connection, schedule_id: str) -> ScheduleRecord:
    record = require(conn, schedule_id).model_copy(update={"run_now": True})
    save(conn, record)
    return record


def opened(db: Path) -> closing[sqlite3.Connection]:
    """``with opened(path) as conn:``, closed after."""
    return closing(connect(db))

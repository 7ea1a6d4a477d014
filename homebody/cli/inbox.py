"""``homebody inbox [--json] [--unread] [--limit N] [--mark-read]``: what finished while you were away.

It reads ``tasks.db`` itself, so it works whether or not ``homebody serve`` runs on the data dir: a
listing opens the database read-only, and waits out a server's write (the busy timeout) rather than
failing; only ``--mark-read`` writes. A data dir without a store has an empty inbox.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from homebody.cli.output import clean
from homebody.config import build_settings
from homebody.errors import HomebodyError
from homebody.server import inbox
from homebody.server.models import TaskRecord
from homebody.server.store import DB_NAME

BUSY_TIMEOUT_S = 10.0
DEFAULT_LIMIT = 50


def add_inbox_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "inbox",
        help="finished tasks, newest first: outcome, answer, and the replay",
        description="Every finished task's outcome and answer, newest first; ● marks the unread ones.",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per task per line")
    p.add_argument("--unread", action="store_true", help="only the tasks not read yet")
    p.add_argument("--limit", type=_positive, default=DEFAULT_LIMIT, help=f"at most N tasks (default {DEFAULT_LIMIT})")
    p.add_argument("--mark-read", action="store_true", help="mark the tasks shown as read")
    p.add_argument(
        "--data-dir",
        help="where profiles, recordings and the task store live "
        "(default: $HOMEBODY_DATA_DIR, else ~/.local/share/homebody)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return value


def cmd_inbox(args: argparse.Namespace) -> int:
    db = build_settings(os.environ, data_dir=args.data_dir).data_dir / DB_NAME
    try:
        return _show(db, args)
    except sqlite3.Error as exc:
        raise HomebodyError(f"the task store {db} cannot be read: {exc}") from exc


def _show(db: Path, args: argparse.Namespace) -> int:
    items = read_inbox(db, args.limit, unread_only=args.unread)
    for record, read in items:
        print(json.dumps(item_json(record, read), ensure_ascii=False) if args.json else item_line(record, read))
    if not items and not args.json:
        print("the inbox is empty" if not args.unread else "nothing unread in the inbox")
    if args.mark_read and items:
        with _connect(db, write=True) as conn:
            conn.executescript(inbox.INBOX_SCHEMA)  # a store from a server older than the inbox
            inbox.mark_read(conn, [record.id for record, _ in items], time.time())
        if not args.json:
            print(f"marked {sum(not read for _, read in items)} as read")
    return 0


def read_inbox(db: Path, limit: int, unread_only: bool = False) -> list[tuple[TaskRecord, bool]]:
    if not db.exists():
        return []
    with _connect(db, write=False) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "tasks" not in tables:
            return []
        if "inbox_read" not in tables:  # a server older than the inbox: everything is unread
            conn.execute("CREATE TEMP TABLE inbox_read (task_id TEXT PRIMARY KEY, read_at REAL NOT NULL)")
        return inbox.newest(conn, limit, unread_only)


@contextmanager
def _connect(db: Path, *, write: bool) -> Iterator[sqlite3.Connection]:
    uri = db.resolve().as_uri() + ("" if write else "?mode=ro")
    with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as conn:
        yield conn


def item_json(record: TaskRecord, read: bool) -> dict[str, object]:
    return {
        "id": record.id,
        "status": record.status,
        "instruction": record.instruction,
        "answer": record.answer,
        "reason": record.reason,
        "ended_at": record.ended_at,
        "read": read,
        "replay": replay_command(record.id),
    }


def item_line(record: TaskRecord, read: bool) -> str:
    """``● 2026-12-05 08:00  done         buy a lamp  → bought it  [homebody replay ID]``"""
    ended = time.strftime("%Y-%m-%d %H:%M", time.localtime(record.ended_at)) if record.ended_at else "?"
    outcome = record.answer or record.reason or "(no answer)"
    instruction = clean(record.instruction or "(no instruction)", 60)
    mark = " " if read else "●"
    return f"{mark} {ended}  {record.status:<11}  {instruction}  → {clean(outcome, 100)}  [{replay_command(record.id)}]"


def replay_command(task_id: str) -> str:
    return f"homebody replay {task_id}"

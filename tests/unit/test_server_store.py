"""The task store: typed rows that survive a restart, in order, and the restart rule."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from pathlib import Path

from homebody.compose.options import ScriptBrainIn
from homebody.server.models import TaskRecord
from homebody.server.store import INTERRUPTED_REASON, TaskStore
from homebody.types import Click


def record(task_id: str, status: str = "queued", **extra: object) -> TaskRecord:
    return TaskRecord(
        id=task_id,
        status=status,  # type: ignore[arg-type]
        instruction="buy a lamp",
        start_url="http://127.0.0.1:1/",
        profile="default",
        ephemeral=False,
        brain_kind="script",
        max_steps=5,
        created_at=1.0,
        brain=ScriptBrainIn(kind="script", steps=[Click(x=1, y=2)]),
        **extra,  # type: ignore[arg-type]
    )


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_rows_come_back_typed_newest_first_and_queued_oldest_first(tmp_path: Path) -> None:
    async def main() -> None:
        store = TaskStore(tmp_path / "tasks.db")
        await store.open()
        for task_id, status in (("a", "done"), ("b", "queued"), ("c", "queued")):
            await store.insert(record(task_id, status))
        assert [r.id for r in await store.newest(10)] == ["c", "b", "a"]
        assert [r.id for r in await store.queued()] == ["b", "c"]
        got = await store.get("a")
        assert got is not None and got.brain == ScriptBrainIn(kind="script", steps=[Click(x=1, y=2)])
        assert await store.get("zzz") is None
        await store.close()

    run(main())
    assert stat.S_IMODE(os.stat(tmp_path / "tasks.db").st_mode) == 0o600
    with sqlite3.connect(tmp_path / "tasks.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_writes_land_in_the_order_they_were_made(tmp_path: Path) -> None:
    async def main() -> str:
        store = TaskStore(tmp_path / "tasks.db")
        await store.open()
        await store.insert(record("a"))
        saves = [store.save(record("a", status)) for status in ("running", "halted", "running", "done")]
        await asyncio.gather(*saves)
        final = await store.get("a")
        await store.close()
        assert final is not None
        return final.status

    assert run(main()) == "done"


def test_a_restart_interrupts_what_was_running_and_leaves_the_rest(tmp_path: Path) -> None:
    async def first() -> None:
        store = TaskStore(tmp_path / "tasks.db")
        await store.open()
        for task_id, status in (("run", "running"), ("halt", "halted"), ("take", "takeover"), ("q", "queued")):
            await store.insert(record(task_id, status, takeover_by="user" if status == "takeover" else None))
        await store.insert(record("old", "done"))
        await store.close()

    async def second() -> tuple[list[str], dict[str, TaskRecord]]:
        store = TaskStore(tmp_path / "tasks.db")
        await store.open()
        ids = await store.interrupt_unfinished()
        rows = {r.id: r for r in await store.newest(10)}
        await store.close()
        return ids, rows

    run(first())
    ids, rows = run(second())
    assert ids == ["run", "halt", "take"]
    for task_id in ids:
        assert rows[task_id].status == "interrupted" and rows[task_id].reason == INTERRUPTED_REASON
        assert rows[task_id].ended_at is not None and rows[task_id].takeover_by is None
    assert rows["q"].status == "queued" and rows["old"].status == "done"

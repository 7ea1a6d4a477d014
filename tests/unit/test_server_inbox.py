"""The results inbox in the task store, and ``homebody inbox`` reading the same database."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from homebody.cli import main
from homebody.errors import Conflict, NotFound
from homebody.server import inbox
from homebody.server.models import FINAL
from homebody.server.store import TaskStore
from tests.unit.test_server_store import record

IDS = {name: f"20261205-0800{n:02d}-0000000{n}" for n, name in enumerate(("lamp", "mail", "bank", "queued"))}


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


async def filled(path: Path) -> TaskStore:
    """Three finished tasks (ended out of creation order) and one still queued."""
    store = TaskStore(path)
    await store.open()
    await store.insert(record(IDS["lamp"], "done", ended_at=300.0, answer="the lamp costs 12 €"))
    await store.insert(record(IDS["mail"], "failed", ended_at=100.0, reason="the page did not load"))
    await store.insert(record(IDS["bank"], "cancelled", ended_at=200.0, reason="cancelled by the user"))
    await store.insert(record(IDS["queued"], "queued"))
    return store


def test_finished_tasks_come_newest_end_first_unread_until_marked(tmp_path: Path) -> None:
    async def main_() -> None:
        store = await filled(tmp_path / "tasks.db")
        items = await store.inbox(10)
        assert [(r.id, read) for r, read in items] == [(IDS["lamp"], False), (IDS["bank"], False), (IDS["mail"], False)]
        assert items[0][0].answer == "the lamp costs 12 €"
        assert await store.unread_count() == 3
        assert [r.id for r, _ in await store.inbox(1)] == [IDS["lamp"]]

        await store.mark_read([IDS["lamp"], IDS["lamp"]])
        assert await store.unread_count() == 2
        assert [(r.id, read) for r, read in await store.inbox(10)][0] == (IDS["lamp"], True)
        assert [r.id for r, _ in await store.inbox(10, unread_only=True)] == [IDS["bank"], IDS["mail"]]

        # A task that finishes later comes in unread, at the top.
        await store.save(record(IDS["queued"], "done", ended_at=400.0, answer="sent"))
        assert [(r.id, read) for r, read in await store.inbox(2)] == [(IDS["queued"], False), (IDS["lamp"], True)]
        assert await store.mark_all_read() == 3
        assert await store.unread_count() == 0
        assert all(read for _, read in await store.inbox(10))
        await store.close()

    run(main_())


def test_marking_is_all_or_nothing(tmp_path: Path) -> None:
    async def main_() -> None:
        store = await filled(tmp_path / "tasks.db")
        with pytest.raises(NotFound, match="ids: no task '20990101-000000-deadbeef'"):
            await store.mark_read([IDS["lamp"], "20990101-000000-deadbeef"])
        with pytest.raises(Conflict, match="is queued"):
            await store.mark_read([IDS["mail"], IDS["queued"]])
        assert await store.unread_count() == 3  # neither call marked anything
        await store.close()

    run(main_())


def test_the_listing_reads_the_finished_tasks_index(tmp_path: Path) -> None:
    run(_open_close(tmp_path / "tasks.db"))
    with sqlite3.connect(tmp_path / "tasks.db") as conn:
        plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + inbox._NEWEST, (0, 5)))
    assert "USING INDEX tasks_finished" in plan and "TEMP B-TREE" not in plan


async def _open_close(path: Path) -> None:
    store = TaskStore(path)
    await store.open()
    await store.close()


def test_the_statements_spell_out_every_final_status() -> None:
    spelled = "status IN (" + ", ".join(f"'{status}'" for status in sorted(FINAL)) + ")"
    for sql in (inbox.INBOX_SCHEMA, inbox._NEWEST, inbox._UNREAD, inbox._MARK_ALL):
        assert spelled in sql


# --------------------------------------------------------------------------- homebody inbox


def cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *flags: str) -> tuple[int, str]:
    code = main(["inbox", "--data-dir", str(data_dir), *flags])
    return code, capsys.readouterr().out


def test_cli_lists_json_lines_and_marks_read_while_the_store_is_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def scenario() -> None:
        store = await filled(tmp_path / "tasks.db")  # as a running server holds it
        try:
            code, out = cli(capsys, tmp_path, "--json")
            lines = [json.loads(line) for line in out.splitlines()]
            assert code == 0 and [line["id"] for line in lines] == [IDS["lamp"], IDS["bank"], IDS["mail"]]
            assert lines[0] == {
                "id": IDS["lamp"],
                "status": "done",
                "instruction": "buy a lamp",
                "answer": "the lamp costs 12 €",
                "reason": "",
                "ended_at": 300.0,
                "read": False,
                "replay": f"homebody replay {IDS['lamp']}",
            }
            code, out = cli(capsys, tmp_path, "--limit", "1", "--mark-read")
            assert code == 0 and out.startswith("● ") and "done" in out and "→ the lamp costs 12 €" in out
            assert f"homebody replay {IDS['lamp']}" in out and "marked 1 as read" in out
            assert await store.unread_count() == 2  # the server sees the mark at once
            code, out = cli(capsys, tmp_path, "--json", "--unread")
            assert [json.loads(line)["id"] for line in out.splitlines()] == [IDS["bank"], IDS["mail"]]
            code, out = cli(capsys, tmp_path)
            assert out.splitlines()[0].startswith("  ") and out.splitlines()[1].startswith("● ")
        finally:
            await store.close()

    run(scenario())
    code, out = cli(capsys, tmp_path, "--json")  # and with no server at all
    assert code == 0 and [json.loads(line)["read"] for line in out.splitlines()] == [True, False, False]


def test_cli_without_a_store_shows_an_empty_inbox(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, tmp_path / "fresh", "--json") == (0, "")
    assert cli(capsys, tmp_path / "fresh", "--mark-read") == (0, "the inbox is empty\n")
    assert not (tmp_path / "fresh" / "tasks.db").exists()


def test_cli_reads_a_store_made_before_the_inbox(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(tmp_path / "tasks.db") as conn:
        conn.execute("CREATE TABLE tasks (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT, status TEXT, record TEXT)")
        done = record(IDS["lamp"], "done", ended_at=300.0, answer="12 €")
        row = (done.id, done.status, done.model_dump_json())
        conn.execute("INSERT INTO tasks (id, status, record) VALUES (?, ?, ?)", row)
    code, out = cli(capsys, tmp_path, "--json")
    assert code == 0 and json.loads(out)["read"] is False
    assert cli(capsys, tmp_path, "--mark-read")[0] == 0
    assert json.loads(cli(capsys, tmp_path, "--json")[1])["read"] is True

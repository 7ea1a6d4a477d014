"""The scheduler over the real SQLite store, with the clock passed in and tasks taken by a fake:
skips while the previous run is active, catch-up once, missed one-shots, run-now, pause."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from homebody.server.models import TaskIn, TaskOut
from homebody.server.schedules import store as db
from homebody.server.schedules.models import Notify, ScheduleIn
from homebody.server.schedules.scheduler import Scheduler
from homebody.server.schedules.timing import At, Every
from homebody.server.store import TaskStore

T0 = 1_800_000_000.0
TASK = TaskIn.model_validate(
    {"start_url": "http://127.0.0.1:9/", "ephemeral": True, "brain": {"kind": "script", "steps": []}}
)


@dataclass
class Runs:
    """Takes tasks like the task manager does; ``status`` says which are still active."""

    started: list[str] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)

    async def submit(self, body: TaskIn, *, schedule_id: str | None = None, notify: Notify = "halt") -> TaskOut:
        assert schedule_id is not None and notify == "halt"
        task_id = f"20261205-000000-{len(self.started):08x}"
        self.started.append(task_id)
        self.status[task_id] = "queued"
        return TaskOut(
            id=task_id, status="queued", instruction="", start_url=body.start_url, profile=None, ephemeral=True,
            brain_kind="script", max_steps=50, created_at=0.0,
        )  # fmt: skip

    def status_of(self, task_id: str) -> str | None:
        return self.status.get(task_id)


@dataclass
class Clock:
    now: float = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[asyncio.AbstractEventLoop, TaskStore]]:
    loop = asyncio.new_event_loop()
    store = TaskStore(tmp_path / "tasks.db")
    loop.run_until_complete(store.open())
    yield loop, store
    loop.run_until_complete(store.close())
    loop.close()


def add(loop: asyncio.AbstractEventLoop, store: TaskStore, body: ScheduleIn, now: float = T0) -> str:
    record = db.new_record(body, now)
    loop.run_until_complete(store.call(lambda conn: db.insert(conn, record)))
    return record.id


def runs_of(loop: asyncio.AbstractEventLoop, store: TaskStore, schedule_id: str) -> list[tuple[str, str | None]]:
    got = loop.run_until_complete(store.call(lambda conn: db.runs(conn, schedule_id)))
    return [(r.outcome, r.task_id) for r in reversed(got)]


def test_runs_at_each_slot_and_skips_while_the_previous_run_is_active(world) -> None:  # type: ignore[no-untyped-def]
    loop, store = world
    clock, runs = Clock(), Runs()
    scheduler = Scheduler(store, runs, clock=clock)
    sid = add(loop, store, ScheduleIn(task=TASK, trigger=Every(seconds=2)))
    for step in range(1, 6):
        clock.now = T0 + 2 * step
        loop.run_until_complete(scheduler.tick())
        if step == 1:
            assert runs.started == [runs.started[0]]  # slot 1 ran; the run stays queued through slots 2-3
        if step >= 3:  # the first run ends during slot 3; later ones end before the next slot
            runs.status = dict.fromkeys(runs.status, "done")
    outcomes = [o for o, _ in runs_of(loop, store, sid)]
    assert outcomes == ["started", "skipped", "skipped", "started", "started"]
    assert len(runs.started) == 3
    record = loop.run_until_complete(store.call(lambda conn: db.require(conn, sid)))
    assert record.runs == 3 and record.last_task_id == runs.started[-1] and record.next_run == T0 + 12


def test_after_the_server_was_down_for_many_slots_it_runs_once(world) -> None:  # type: ignore[no-untyped-def]
    loop, store = world
    clock, runs = Clock(T0 + 3600 + 1), Runs()  # an hour of 2 s slots passed
    sid = add(loop, store, ScheduleIn(task=TASK, trigger=Every(seconds=2)))
    scheduler = Scheduler(store, runs, clock=clock)
    loop.run_until_complete(scheduler.tick())
    loop.run_until_complete(scheduler.tick())
    assert len(runs.started) == 1 and [o for o, _ in runs_of(loop, store, sid)] == ["started"]
    record = loop.run_until_complete(store.call(lambda conn: db.require(conn, sid)))
    assert record.next_run == T0 + 3602


def test_a_one_shot_missed_past_its_grace_is_marked_missed_and_never_runs(world) -> None:  # type: ignore[no-untyped-def]
    loop, store = world
    at = At(at=datetime.fromtimestamp(T0 + 60, UTC))
    sid = add(loop, store, ScheduleIn(task=TASK, trigger=at, grace_s=3600))
    clock, runs = Clock(T0 + 60 + 7200), Runs()
    loop.run_until_complete(Scheduler(store, runs, clock=clock).tick())
    assert runs.started == [] and [o for o, _ in runs_of(loop, store, sid)] == ["missed"]
    record = loop.run_until_complete(store.call(lambda conn: db.require(conn, sid)))
    assert record.state == "missed" and record.next_run is None


def test_a_one_shot_on_time_runs_once_and_is_done(world) -> None:  # type: ignore[no-untyped-def]
    loop, store = world
    at = At(at=datetime.fromtimestamp(T0 + 60, UTC))
    sid = add(loop, store, ScheduleIn(task=TASK, trigger=at))
    clock, runs = Clock(T0 + 61), Runs()
    scheduler = Scheduler(store, runs, clock=clock)
    loop.run_until_complete(scheduler.tick())
    clock.now += 3600
    loop.run_until_complete(scheduler.tick())
    assert len(runs.started) == 1
    assert loop.run_until_complete(store.call(lambda conn: db.require(conn, sid))).state == "done"


def test_paused_schedules_do_not_run_and_run_now_runs_once_keeping_the_next_slot(world) -> None:  # type: ignore[no-untyped-def]
    loop, store = world
    sid = add(loop, store, ScheduleIn(task=TASK, trigger=Every(seconds=3600)))
    clock, runs = Clock(T0 + 10), Runs()
    scheduler = Scheduler(store, runs, clock=clock)
    loop.run_until_complete(store.call(lambda conn: db.set_paused(conn, sid, True)))
    clock.now = T0 + 7300
    loop.run_until_complete(scheduler.tick())
    assert runs.started == []
    loop.run_until_complete(store.call(lambda conn: db.ask_run_now(conn, sid)))
    loop.run_until_complete(scheduler.tick())
    loop.run_until_complete(scheduler.tick())
    assert len(runs.started) == 1  # paused still, but asked for by hand: once
    record = loop.run_until_complete(store.call(lambda conn: db.require(conn, sid)))
    assert record.state == "paused" and record.next_run == T0 + 3600 and not record.run_now


def test_a_thousand_schedules_only_the_due_ones_are_read(world) -> None:  # type: ignore[no-untyped-def]
    loop, store = world
    for i in range(1000):
        add(loop, store, ScheduleIn(task=TASK, trigger=Every(seconds=60 + i)))
    due = loop.run_until_complete(store.call(lambda conn: db.due(conn, T0 + 65)))
    assert len(due) == 6  # intervals 60..65 s
    assert loop.run_until_complete(store.call(db.soonest)) == T0 + 60


def test_a_wall_clock_set_back_is_noticed_and_the_next_run_comes_within_one_interval(world) -> None:  # type: ignore[no-untyped-def]
    loop, store = world
    sid = add(loop, store, ScheduleIn(task=TASK, trigger=Every(seconds=60)), now=T0 + 7200)  # made before the jump
    clock, runs = Clock(T0 + 7200), Runs()
    scheduler = Scheduler(store, runs, clock=clock)
    loop.run_until_complete(scheduler.tick())
    clock.now = T0  # the clock was set back two hours (the monotonic clock did not move)
    loop.run_until_complete(scheduler.tick())
    record = loop.run_until_complete(store.call(lambda conn: db.require(conn, sid)))
    assert record.next_run is not None and T0 < record.next_run <= T0 + 60
    clock.now = record.next_run
    loop.run_until_complete(scheduler.tick())
    assert len(runs.started) == 1

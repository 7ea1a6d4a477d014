"""Starting the scheduled runs that are due, while ``homebody serve`` runs.

One loop: read from the store when the next schedule is due, sleep until then (at most
``POLL_S``, so schedules the CLI adds behind the server's back are seen within a second; the query
is an index lookup, so an idle server with a thousand schedules does next to nothing), start what
is due, and so on. Each run is an ordinary task (``TaskManager.submit``): queued per profile,
recorded, replayable, and a halt waits for the user as any task's does.

A schedule never has two runs at once: a run due while its previous one is still queued, running,
halted or taken over is skipped, and the skip is recorded. The wall clock is read through
``clock`` (tests inject one); a jump of it (the machine slept, or the time was set) is noticed by
comparing it with the monotonic clock: forward, the slots that passed run once; back, the next run
is put back within one interval.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from homebody.errors import HomebodyError
from homebody.server.models import FINAL, TaskIn, TaskOut
from homebody.server.schedules import store as db
from homebody.server.schedules.models import Notify, RunOutcome, ScheduleRecord, ScheduleRunOut
from homebody.server.schedules.timing import At, rebase, tick
from homebody.server.store import TaskStore

log = logging.getLogger(__name__)

POLL_S = 1.0
JUMP_S = 30.0  # a wall clock that moves this much more (or less) than the monotonic one jumped


class Runs(Protocol):
    """What the scheduler needs of the task manager."""

    async def submit(self, body: TaskIn, *, schedule_id: str | None = None, notify: Notify = "halt") -> TaskOut: ...

    def status_of(self, task_id: str) -> str | None: ...


class Scheduler:
    def __init__(self, store: TaskStore, runs: Runs, *, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._runs = runs
        self._clock = clock
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last: tuple[float, float] | None = None  # (wall, monotonic) at the last tick

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="homebody-scheduler")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def wake(self) -> None:
        """Look again now (a schedule was added or changed through the API)."""
        self._wake.set()

    async def _loop(self) -> None:
        while True:
            try:
                await self.tick()
                soonest = await self._store.call(db.soonest)
            except Exception:  # a broken row or a full disk: log it, keep the server's schedules going
                log.exception("the scheduler's tick failed")
                soonest = None
            wait = POLL_S if soonest is None else min(POLL_S, max(0.0, soonest - self._clock()))
            self._wake.clear()
            try:
                async with asyncio.timeout(wait):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def tick(self) -> None:
        """Start (or skip, or mark missed) every schedule due now."""
        now = self._clock()
        if self._jumped_back(now):
            await self._rebase(now)
        for record in await self._store.call(lambda conn: db.due(conn, now)):
            await self._fire(record, now)

    def _jumped_back(self, now: float) -> bool:
        mono = time.monotonic()
        last, self._last = self._last, (now, mono)
        if last is None:
            return False
        drift = (now - last[0]) - (mono - last[1])
        if abs(drift) > JUMP_S:
            log.warning("the wall clock jumped by %+.0f s: schedules are worked out again", drift)
        return drift < -JUMP_S

    async def _rebase(self, now: float) -> None:
        at = _dt(now)

        def rebase_all(conn: sqlite3.Connection) -> None:
            for record in db.all_schedules(conn):
                if record.state == "active" and record.next_run is not None:
                    moved = rebase(record.trigger, _dt(record.next_run), at)
                    db.save(conn, record.model_copy(update={"next_run": _ts(moved)}))

        await self._store.call(rebase_all)

    async def _fire(self, record: ScheduleRecord, now: float) -> None:
        outcome: RunOutcome
        task_id: str | None
        if record.run_now:
            outcome, task_id, reason = await self._start(record)
            update: dict[str, object] = {"run_now": False}
        else:
            plan = tick(record.trigger, _dt(record.next_run), _dt(now), _dt(record.created_at), record.grace_s)
            update = {"next_run": _ts(plan.next_due)}
            if plan.missed:
                outcome, task_id, reason = "missed", None, f"the server was not running at {_dt(record.next_run)}"
                update["state"] = "missed"
            elif plan.run:
                outcome, task_id, reason = await self._start(record)
                if isinstance(record.trigger, At):
                    update["state"] = "done"
            else:
                return
        if task_id is not None:
            update |= {"last_task_id": task_id, "last_run_at": now, "runs": record.runs + 1}
        changed = record.model_copy(update=update)

        def write(conn: sqlite3.Connection) -> None:
            db.save(conn, changed)
            db.add_run(conn, record.id, ScheduleRunOut(at=now, outcome=outcome, task_id=task_id, reason=reason))

        await self._store.call(write)
        log.info("schedule %s: %s %s", record.id, outcome, task_id or reason)

    async def _start(self, record: ScheduleRecord) -> tuple[RunOutcome, str | None, str]:
        previous = record.last_task_id
        status = self._runs.status_of(previous) if previous else None
        if status is not None and status not in FINAL:
            return "skipped", None, f"the previous run {previous} is still {status}"
        try:
            task = await self._runs.submit(record.task, schedule_id=record.id, notify=record.notify)
        except HomebodyError as exc:
            return "failed", None, str(exc)
        return "started", task.id, ""


def _dt(ts: float | None) -> datetime:
    return datetime.fromtimestamp(ts or 0.0, UTC)


def _ts(when: datetime | None) -> float | None:
    return when.timestamp() if when is not None else None

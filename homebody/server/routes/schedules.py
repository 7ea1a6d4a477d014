"""``/api/schedules``: tasks that run by themselves (every so often, at a moment, on a cron line)."""

from __future__ import annotations

import sqlite3
import time
from typing import Annotated

from fastapi import APIRouter, Path, Query

from homebody.server.models import OkOut
from homebody.server.problems import ERROR_RESPONSES
from homebody.server.routes.tasks import Manager
from homebody.server.schedules import store as db
from homebody.server.schedules.models import (
    SCHEDULE_ID_PATTERN,
    ScheduleIn,
    ScheduleListOut,
    ScheduleOut,
    ScheduleRunsOut,
)

ScheduleId = Annotated[str, Path(pattern=SCHEDULE_ID_PATTERN, description="a schedule id, e.g. s-1f2e3d4c5b")]

router = APIRouter(prefix="/api", tags=["schedules"], responses=ERROR_RESPONSES)


@router.post("/schedules", status_code=201, summary="Create a schedule (runs while the server runs)")
async def create_schedule(body: ScheduleIn, manager: Manager) -> ScheduleOut:
    await manager.check(body.task)
    record = db.new_record(body, time.time())
    await manager.store.call(lambda conn: db.insert(conn, record))
    manager.scheduler.wake()
    return db.public(record)


@router.get("/schedules", summary="Every schedule, oldest first")
async def list_schedules(manager: Manager) -> ScheduleListOut:
    records = await manager.store.call(db.all_schedules)
    return ScheduleListOut(schedules=[db.public(r) for r in records])


@router.get("/schedules/{schedule_id}", summary="One schedule")
async def get_schedule(schedule_id: ScheduleId, manager: Manager) -> ScheduleOut:
    return db.public(await manager.store.call(lambda conn: db.require(conn, schedule_id)))


@router.get("/schedules/{schedule_id}/runs", summary="A schedule's runs, newest first (started, skipped, missed)")
async def schedule_runs(
    schedule_id: ScheduleId, manager: Manager, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> ScheduleRunsOut:
    def read(conn: sqlite3.Connection) -> ScheduleRunsOut:
        db.require(conn, schedule_id)
        return ScheduleRunsOut(runs=db.runs(conn, schedule_id, limit))

    return await manager.store.call(read)


@router.post("/schedules/{schedule_id}/pause", summary="Pause a schedule (no runs until resumed)")
async def pause_schedule(schedule_id: ScheduleId, manager: Manager) -> ScheduleOut:
    return db.public(await manager.store.call(lambda conn: db.set_paused(conn, schedule_id, True)))


@router.post("/schedules/{schedule_id}/resume", summary="Resume a paused schedule")
async def resume_schedule(schedule_id: ScheduleId, manager: Manager) -> ScheduleOut:
    record = await manager.store.call(lambda conn: db.set_paused(conn, schedule_id, False))
    manager.scheduler.wake()
    return db.public(record)


@router.post("/schedules/{schedule_id}/run-now", summary="Run a schedule's task now (its next run stays)")
async def run_schedule_now(schedule_id: ScheduleId, manager: Manager) -> ScheduleOut:
    record = await manager.store.call(lambda conn: db.ask_run_now(conn, schedule_id))
    manager.scheduler.wake()
    return db.public(record)


@router.delete("/schedules/{schedule_id}", summary="Remove a schedule and its run history (its tasks stay)")
async def remove_schedule(schedule_id: ScheduleId, manager: Manager) -> OkOut:
    await manager.store.call(lambda conn: db.remove(conn, schedule_id))
    return OkOut()

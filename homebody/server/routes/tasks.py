"""``/api/tasks``: create, list and read tasks; cancel, approve, reject, take over, input, release."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query
from starlette.requests import HTTPConnection

from homebody.server.manager import TaskManager
from homebody.server.models import (
    TASK_ID_PATTERN,
    ApproveIn,
    InputIn,
    OkOut,
    RejectIn,
    TaskIn,
    TaskListOut,
    TaskOut,
)
from homebody.server.problems import ERROR_RESPONSES


def manager_of(conn: HTTPConnection) -> TaskManager:
    manager: TaskManager = conn.app.state.manager
    return manager


Manager = Annotated[TaskManager, Depends(manager_of)]
TaskId = Annotated[str, Path(pattern=TASK_ID_PATTERN, description="a task id, e.g. 20261124-033000-1f2e3d4c")]

router = APIRouter(prefix="/api", tags=["tasks"], responses=ERROR_RESPONSES)


@router.post("/tasks", status_code=201, summary="Create a task (it queues, then runs)")
async def create_task(body: TaskIn, manager: Manager) -> TaskOut:
    return await manager.submit(body)


@router.get("/tasks", summary="Tasks, newest first")
async def list_tasks(manager: Manager, limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> TaskListOut:
    return TaskListOut(tasks=await manager.list(limit))


@router.get("/tasks/{task_id}", summary="One task")
async def get_task(task_id: TaskId, manager: Manager) -> TaskOut:
    return await manager.get(task_id)


@router.post("/tasks/{task_id}/cancel", summary="Cancel a queued or running task")
async def cancel_task(task_id: TaskId, manager: Manager) -> TaskOut:
    return await manager.cancel(task_id)


@router.post("/tasks/{task_id}/approve", summary="Let a halted action through (409 unless halted)")
async def approve_task(task_id: TaskId, manager: Manager, body: Annotated[ApproveIn | None, Body()] = None) -> TaskOut:
    return await manager.approve(task_id, body or ApproveIn())


@router.post("/tasks/{task_id}/reject", summary="Refuse a halted action; the brain is told (409 unless halted)")
async def reject_task(task_id: TaskId, manager: Manager, body: Annotated[RejectIn | None, Body()] = None) -> TaskOut:
    return await manager.reject(task_id, body or RejectIn())


@router.post(
    "/tasks/{task_id}/takeover",
    summary="Take the session over by hand (running or halted; a halt is answered 'rejected')",
)
async def takeover_task(task_id: TaskId, manager: Manager) -> TaskOut:
    return await manager.takeover(task_id)


@router.post("/tasks/{task_id}/input", summary="One mouse or keyboard input during a takeover (409 otherwise)")
async def input_task(task_id: TaskId, event: InputIn, manager: Manager) -> OkOut:
    await manager.send_input(task_id, event)
    return OkOut()


@router.post("/tasks/{task_id}/release", summary="End the takeover: the agent looks again and goes on")
async def release_task(task_id: TaskId, manager: Manager) -> TaskOut:
    return await manager.release(task_id)

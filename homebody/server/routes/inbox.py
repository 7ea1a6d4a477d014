"""``/api/inbox``: every finished task's outcome and answer, newest first, read or not."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from homebody.server.models import InboxItemOut, InboxOut, InboxReadIn, InboxReadOut
from homebody.server.problems import ERROR_RESPONSES
from homebody.server.routes.tasks import Manager
from homebody.server.store import TaskStore

router = APIRouter(prefix="/api", tags=["inbox"], responses=ERROR_RESPONSES)


def replay_path(task_id: str) -> str:
    return f"/tasks/{task_id}/replay"


@router.get("/inbox", summary="Finished tasks, the latest to end first, with whether each was read")
async def list_inbox(
    manager: Manager,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    unread: Annotated[bool, Query(description="only the unread ones")] = False,
) -> InboxOut:
    store: TaskStore = manager.store
    rows = await store.inbox(limit, unread_only=unread)
    items = [InboxItemOut(task=record.public(), read=read, replay=replay_path(record.id)) for record, read in rows]
    return InboxOut(items=items, unread=await store.unread_count())


@router.post(
    "/inbox/read",
    summary="Mark finished tasks read (404 for an unknown id, 409 for one not over yet; then none is marked)",
)
async def mark_read(body: InboxReadIn, manager: Manager) -> InboxReadOut:
    store: TaskStore = manager.store
    if body.all:
        await store.mark_all_read()
    else:
        await store.mark_read(body.ids)
    return InboxReadOut(unread=await store.unread_count())

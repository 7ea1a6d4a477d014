"""A task as it happens and as it was: the event stream (SSE), the live view (WebSocket), the recording."""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, Path, Query, WebSocket
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.websockets import WebSocketDisconnect, WebSocketState

from homebody.errors import Conflict, NotFound
from homebody.events import Event, event_json
from homebody.recordings.export import export_html
from homebody.recordings.recorder import EVENTS_FILE, FRAMES_DIR, read_events
from homebody.recordings.wording import event_with_words
from homebody.server.manager import TaskManager
from homebody.server.models import FINAL, FRAME_NAME_PATTERN, RecordingOut
from homebody.server.problems import ERROR_RESPONSES
from homebody.server.routes.tasks import Manager, TaskId, manager_of
from homebody.server.runner import task_dir
from homebody.sessions.live import Subscription

log = logging.getLogger(__name__)

KEEPALIVE_S = 15.0
END = "event: end\ndata: {}\n\n"
FrameName = Annotated[str, Path(pattern=FRAME_NAME_PATTERN, description="e.g. 0003.jpg or 0003-halt.jpg")]
Describe = Annotated[
    bool,
    Query(
        description="events with an action or a person's input also carry `description`, the words homebody "
        "uses for it everywhere (the web page shows these); such events no longer match the strict event schema"
    ),
]

router = APIRouter(prefix="/api", tags=["watch"], responses=ERROR_RESPONSES)


def _sse(event: Event, describe: bool) -> str:
    return f"data: {event_with_words(event) if describe else event_json(event)}\n\n"


async def _recorded(manager: TaskManager, task_id: str) -> list[Event]:
    folder = task_dir(manager.settings, task_id)
    if not (folder / EVENTS_FILE).is_file():
        return []
    try:
        return await asyncio.to_thread(read_events, folder)
    except ValueError as exc:
        raise Conflict(f"the recording of task {task_id} is damaged: {exc}") from None


async def _stream(manager: TaskManager, task_id: str, describe: bool) -> AsyncIterator[str]:
    live = manager.live(task_id)
    if live is None:  # over (or never ran here): the recording is the whole story
        for event in await _recorded(manager, task_id):
            yield _sse(event, describe)
        yield END
        return
    listener = live.feed.listen()
    try:
        for event in listener.history:
            yield _sse(event, describe)
        while True:
            try:
                latest = await listener.next(KEEPALIVE_S)
            except TimeoutError:
                yield ": keep-alive\n\n"  # also how a closed connection is noticed
                continue
            if latest is None:
                break
            yield _sse(latest, describe)
        yield END
    finally:
        listener.close()


@router.get(
    "/tasks/{task_id}/events",
    summary="The task's events as Server-Sent Events: recorded first, then live; `event: end` after the last",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
async def task_events(task_id: TaskId, manager: Manager, describe: Describe = False) -> StreamingResponse:
    await manager.record(task_id)  # 404 before the stream starts
    headers = {"X-Accel-Buffering": "no"}
    return StreamingResponse(_stream(manager, task_id, describe), media_type="text/event-stream", headers=headers)


@router.websocket("/tasks/{task_id}/live")
async def task_live(websocket: WebSocket, task_id: str) -> None:
    """Per frame: a text message ``{"seq","ts","width","height"}``, then the JPEG as a binary message.
    The latest frame comes first; the socket closes when the task ends."""
    manager = manager_of(websocket)
    live = manager.live(task_id)
    if live is None:
        try:
            record = await manager.record(task_id)
        except NotFound as exc:
            await _deny(websocket, 404, str(exc))
            return
        await websocket.accept()
        await websocket.close(code=1000, reason=f"the task is {record.status}" if record.status in FINAL else "")
        return
    await websocket.accept()
    subscription = live.hub.subscribe()
    watcher = asyncio.create_task(_until_gone(websocket, subscription))
    try:
        async for frame in subscription:
            meta = {"seq": frame.seq, "ts": frame.ts, "width": frame.width, "height": frame.height}
            await websocket.send_text(json.dumps(meta))
            await websocket.send_bytes(frame.data)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass  # the viewer left mid-frame
    finally:
        subscription.close()
        watcher.cancel()
    if websocket.client_state == WebSocketState.CONNECTED:
        try:
            await websocket.close(code=1000, reason="the task ended")
        except (RuntimeError, OSError):
            pass


async def _deny(websocket: WebSocket, status: int, detail: str) -> None:
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(JSONResponse({"detail": detail}, status_code=status))
    else:
        await websocket.close(code=4000 + status, reason=detail[:100])


async def _until_gone(websocket: WebSocket, subscription: Subscription) -> None:
    """Read (and ignore) what the viewer sends, so that a viewer who leaves ends its subscription."""
    try:
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    subscription.close()


@router.get("/tasks/{task_id}/recording", summary="Every recorded event of the task")
async def task_recording(task_id: TaskId, manager: Manager) -> RecordingOut:
    await manager.record(task_id)
    return RecordingOut(events=await _recorded(manager, task_id))


@router.get(
    "/tasks/{task_id}/recording/frames/{name}",
    summary="One recorded frame (JPEG)",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def task_frame(task_id: TaskId, name: FrameName, manager: Manager) -> Response:
    await manager.record(task_id)
    path = task_dir(manager.settings, task_id) / FRAMES_DIR / name  # the pattern allows no separators
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except FileNotFoundError:
        raise NotFound(f"name: task {task_id} has no frame {name!r}") from None
    return Response(data, media_type="image/jpeg")


@router.get(
    "/tasks/{task_id}/recording/export",
    summary="The recording as one self-contained HTML file (download)",
    response_class=Response,
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}},
)
async def task_export(task_id: TaskId, manager: Manager) -> Response:
    await manager.record(task_id)
    folder = task_dir(manager.settings, task_id)
    if not (folder / EVENTS_FILE).is_file():
        raise NotFound(f"task_id: task {task_id} has no recording yet")
    data = await asyncio.to_thread(_export, folder)
    disposition = f'attachment; filename="homebody-{task_id}.html"'
    return Response(data, media_type="text/html; charset=utf-8", headers={"Content-Disposition": disposition})


def _export(folder: FsPath) -> bytes:
    with tempfile.TemporaryDirectory(prefix="homebody-export-") as tmp:
        out = FsPath(tmp) / "replay.html"
        export_html(folder, out)
        return out.read_bytes()

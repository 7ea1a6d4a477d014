"""The web page: ``/``, ``/static/*``, and a task's replay at ``/tasks/{id}/replay``; all from the package.

Only plain file names with known types are served, from the package's ``static`` folder (and, under
``/static/replay/``, the replay's own files from ``homebody.recordings``); the type comes from the
extension, never from the content (with ``nosniff`` the browser believes it).

The replay is the very page that ``homebody replay --export`` writes (``homebody.recordings.page``),
with its style and script linked and its frames by URL instead of inline, so the page and the export
can never drift apart. It is a page of its own, not a view of the single-page app, because its markup
is made on the server: the app never puts HTML from the server into its own document.
"""

from __future__ import annotations

import asyncio
from pathlib import Path as FsPath
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

from homebody.errors import BadInput, NotFound
from homebody.recordings import page as replay_page
from homebody.recordings.recorder import EVENTS_FILE
from homebody.recordings.timeline import FrameRef, read_timeline
from homebody.server.routes.tasks import Manager, TaskId
from homebody.server.runner import task_dir

STATIC_DIR = FsPath(__file__).resolve().parent.parent / "static"
REPLAY_STATIC = "/static/replay/"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}
MISSING_PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>homebody</title></head><body>"
    "<h1>homebody</h1><p>The web page is not installed with this copy of homebody; the API under "
    "<code>/api</code> works.</p></body></html>"
)
StaticName = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]

router = APIRouter(include_in_schema=False)


@router.get("/")
async def index() -> Response:
    path = STATIC_DIR / "index.html"
    if not path.is_file():
        return HTMLResponse(MISSING_PAGE)
    return HTMLResponse(await asyncio.to_thread(path.read_bytes))


@router.get("/static/{name}")
async def static_file(name: StaticName) -> Response:
    return await _file(STATIC_DIR, name)


@router.get("/static/replay/{name}")
async def replay_file(name: StaticName) -> Response:
    return await _file(replay_page.STATIC_DIR, name)


async def _file(folder: FsPath, name: str) -> Response:
    kind = TYPES.get(FsPath(name).suffix.lower())
    path = folder / name
    if kind is None or not path.is_file():
        raise NotFound(f"name: no page file {name!r}")
    return Response(await asyncio.to_thread(path.read_bytes), media_type=kind)


@router.get("/tasks/{task_id}/replay")
async def replay(task_id: TaskId, manager: Manager) -> HTMLResponse:
    await manager.record(task_id)  # 404 for a task this server never had
    folder = task_dir(manager.settings, task_id)
    assets = replay_assets(task_id)
    if not (folder / EVENTS_FILE).is_file():
        notice = replay_page.render_notice(
            "Nothing to replay yet", f"Task {task_id} has not recorded anything.", assets
        )
        return HTMLResponse(notice, status_code=404)
    try:
        timeline = await asyncio.to_thread(read_timeline, folder)
    except BadInput as exc:
        notice = replay_page.render_notice("This recording cannot be replayed", str(exc), assets)
        return HTMLResponse(notice, status_code=409)
    return HTMLResponse(await asyncio.to_thread(replay_page.render_page, timeline, assets))


def replay_assets(task_id: str) -> replay_page.Assets:
    """The replay page as this server shows it: its files from /static/replay/, frames from the API."""
    task = quote(task_id, safe="")
    links = (
        replay_page.Link("← All tasks", "/#/"),
        replay_page.Link("Task page", f"/#/tasks/{task}"),
        replay_page.Link("Download HTML replay", f"/api/tasks/{task}/recording/export", download=True),
    )

    def frame_url(frame: FrameRef) -> str:
        # the API serves pictures of the recording's frames/ folder only, and only pictures
        name = frame.name.removeprefix("frames/")
        if name == frame.name or not frame.mime:
            return ""
        return f"/api/tasks/{task}/recording/frames/{quote(name, safe='')}"

    return replay_page.Assets(image=frame_url, static_url=REPLAY_STATIC, links=links)

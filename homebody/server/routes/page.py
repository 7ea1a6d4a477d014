"""The web page: ``/`` and ``/static/*``, served from the package (nothing from any other place).

Only plain file names with known types are served, from the package's ``static`` folder; the type
comes from the extension, never from the content (with ``nosniff`` the browser believes it).
"""

from __future__ import annotations

import asyncio
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

from homebody.errors import NotFound

STATIC_DIR = FsPath(__file__).resolve().parent.parent / "static"
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
    kind = TYPES.get(FsPath(name).suffix.lower())
    path = STATIC_DIR / name
    if kind is None or not path.is_file():
        raise NotFound(f"name: no page file {name!r}")
    return Response(await asyncio.to_thread(path.read_bytes), media_type=kind)

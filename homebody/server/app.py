"""The FastAPI app of ``homebody serve``: routes, error handling, the guard, and the task manager.

``create_app`` is the composition root of the server: it makes the data dir private (0700), reads
or creates the token (0600), and picks the concrete parts (OCR reader shared by every task, the
notifier). The task store opens, and tasks left running by a previous server are marked
``interrupted``, when the app starts serving (its lifespan); they close when it stops.

There is no documentation UI (it would load scripts from a CDN); ``/openapi.json`` is served, and
like every other path it needs the token.
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from homebody import __version__
from homebody.config import OCR_THREADS, Settings, ensure_private_dir
from homebody.server.guard import Guard, ensure_token
from homebody.server.manager import TaskManager
from homebody.server.notify import Notifier
from homebody.server.problems import install_handlers
from homebody.server.routes import inbox as routes_inbox
from homebody.server.routes import live as routes_live
from homebody.server.routes import page as routes_page
from homebody.server.routes import profiles as routes_profiles
from homebody.server.routes import schedules as routes_schedules
from homebody.server.routes import tasks as routes_tasks
from homebody.vision.pixels.ocr import OcrReader

DESCRIPTION = """\
The local HTTP API of homebody: hand it tasks, watch them, approve or take over when they halt.

Every path needs the token: `Authorization: Bearer <token>` (the token is in the file `token` in the
data dir), or the `homebody_token` cookie that `GET /?token=<token>` sets. Requests must be addressed
to a loopback Host; state-changing requests and WebSocket upgrades from a foreign `Origin` are refused.

Not listed below (OpenAPI has no WebSockets): `WS /api/tasks/{task_id}/live`, the live view. Per frame
one text message `{"seq", "ts", "width", "height"}`, then the JPEG as one binary message; the latest
frame is sent on connect; the socket closes when the task ends.
"""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    manager: TaskManager = app.state.manager
    await manager.start()
    try:
        yield
    finally:
        await manager.close()


def build_api() -> FastAPI:
    """The routes and error handling alone (no data dir, no token): what the OpenAPI document shows."""
    app = FastAPI(
        title="homebody",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        openapi_url="/openapi.json",
        lifespan=_lifespan,
    )
    install_handlers(app)
    for module in (routes_tasks, routes_schedules, routes_live, routes_inbox, routes_profiles, routes_page):
        # The routes themselves rather than ``include_router`` (which adds one lazy entry per router):
        # ``app.routes`` then lists every route, and the security tests check each one of them.
        app.router.routes.extend(module.router.routes)
    return app


def openapi_schema() -> dict[str, Any]:
    """The API's OpenAPI document, without starting anything (for the schema fuzzer and docs)."""
    return build_api().openapi()


def base_url(host: str, port: int) -> str:
    """The address to open: an "any interface" bind is reached through 127.0.0.1."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}"
    if address.is_unspecified:
        return f"http://127.0.0.1:{port}"
    return f"http://[{host}]:{port}" if address.version == 6 else f"http://{host}:{port}"


def create_app(
    settings: Settings,
    *,
    notify_webhook: str | None = None,
    desktop_notify: bool = True,
    allow_remote: bool = False,
    extra_hosts: Iterable[str] = (),
    max_running: int = 2,
    model_api_key: str | None = None,
    reader: OcrReader | None = None,
    ask_on_halt: bool = True,
) -> FastAPI:
    """The app for ``settings`` (its data dir, and ``host``/``port`` for the addresses it hands out).

    ``max_running`` caps the tasks running at once (0 queues every task and runs none: for tests of
    the API alone). With ``ask_on_halt=False`` a halt ends its task instead of waiting for an answer.
    """
    ensure_private_dir(settings.data_dir)
    token = ensure_token(settings.token_path)
    base = base_url(settings.host, settings.port)
    app = build_api()
    app.state.settings = settings
    app.state.token = token
    app.state.base_url = base
    app.state.manager = TaskManager(
        settings,
        reader=reader or OcrReader(threads=OCR_THREADS),
        notifier=Notifier(notify_webhook, desktop=desktop_notify),
        page_url=lambda task_id: f"{base}/#/tasks/{task_id}",
        max_running=max_running,
        model_api_key=model_api_key,
        ask_on_halt=ask_on_halt,
    )
    app.add_middleware(Guard, token=token, allow_remote=allow_remote, extra_hosts=tuple(extra_hosts))
    return app

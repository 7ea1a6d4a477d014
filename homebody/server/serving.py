"""Running the app with uvicorn: in the foreground (``homebody serve``) or in a thread (``homebody
demo``, tests, benches), on a socket bound first so that a busy port is a clear error and port 0
picks a free one.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import uvicorn

from homebody.config import Settings
from homebody.errors import BadInput
from homebody.server.app import base_url, create_app

START_TIMEOUT_S = 60.0


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (``BadInput`` naming the address when it is taken)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise BadInput(f"--host {host!r}: cannot resolve it: {exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise BadInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.set_inheritable(True)
    return sock


def uvicorn_config(app: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_level="warning",
        lifespan="on",
        proxy_headers=False,  # nothing sits in front of this server: never trust X-Forwarded-*
        server_header=False,
        ws_max_size=64 * 1024,  # viewers send nothing worth more
        ws_per_message_deflate=False,  # the live view sends JPEGs: compressing them again only costs CPU
        timeout_graceful_shutdown=3,  # event streams and live views do not end by themselves
    )


@dataclass
class RunningServer:
    """An app served by uvicorn in a background thread; ``stop()`` shuts it down (tasks interrupted)."""

    url: str
    token: str
    settings: Settings
    app: Any
    _server: uvicorn.Server
    _thread: threading.Thread

    @property
    def page_url(self) -> str:
        """The address that signs a browser in (the token is exchanged for a cookie)."""
        return f"{self.url}/?token={self.token}"

    def wait(self) -> None:
        """Block until the server stops (short joins, so that Ctrl-C gets through)."""
        while self._thread.is_alive():
            self._thread.join(0.5)

    def stop(self, timeout_s: float = 60.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout_s)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_in_thread(settings: Settings, **app_options: Any) -> RunningServer:
    """Serve ``create_app(settings, **app_options)`` on ``settings.host`` and ``settings.port``
    (0: a free port) in a daemon thread; returns once it answers."""
    sock = bind_socket(settings.host, settings.port)
    settings = dataclasses.replace(settings, port=sock.getsockname()[1])
    app = create_app(settings, **app_options)
    server = uvicorn.Server(uvicorn_config(app))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="homebody-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError("the homebody server did not start (see the log)")
        time.sleep(0.02)
    return RunningServer(base_url(settings.host, settings.port), app.state.token, settings, app, server, thread)

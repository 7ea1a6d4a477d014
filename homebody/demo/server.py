"""The demo site's HTTP server: standard library only, one in-memory state, routing by regex.

``start_demo_site`` serves in a daemon thread (for tests and scripted demos) and returns a
``DemoSite`` handle; ``serve_forever`` blocks (for the ``homebody demo-site`` command).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import threading
from dataclasses import replace
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

from homebody.demo.layout import not_found
from homebody.demo.pages import account, bank, checkout, express, intl, mail, pay, reviews, shop, social
from homebody.demo.state import DemoState
from homebody.demo.web import PageHandler, Request, Response, Route, json_response
from homebody.errors import HomebodyError

logger = logging.getLogger(__name__)

MAX_BODY = 256 * 1024
STATIC_DIR = Path(__file__).resolve().parent / "static"
_JS = "text/javascript; charset=utf-8"
STATIC_TYPES = {
    "site.css": "text/css; charset=utf-8",
    "areas.css": "text/css; charset=utf-8",
    "site.js": _JS,
    "bank.js": _JS,
    "social.js": _JS,
    "pay.js": _JS,
    "express.js": _JS,
    "intl.js": _JS,
}


def _state_json(req: Request, state: DemoState) -> Response:
    return json_response(state.snapshot())


def _reset(req: Request, state: DemoState) -> Response:
    state.reset()
    return json_response({"ok": True})


def _static(req: Request, state: DemoState) -> Response:
    name = req.args[0]
    content_type = STATIC_TYPES.get(name)
    if content_type is None:
        return Response(404, b"not found", "text/plain; charset=utf-8")
    return Response(200, (STATIC_DIR / name).read_bytes(), content_type)


_OWN_ROUTES: tuple[Route, ...] = (
    ("GET", r"/_state", _state_json),
    ("POST", r"/_reset", _reset),
    ("GET", r"/static/([a-z]+\.[a-z]+)", _static),
)
_ROUTES: tuple[tuple[str, re.Pattern[str], PageHandler], ...] = tuple(
    (method, re.compile(pattern), handler)
    for method, pattern, handler in (
        *_OWN_ROUTES,
        *shop.ROUTES,
        *checkout.ROUTES,
        *mail.ROUTES,
        *express.ROUTES,
        *bank.ROUTES,
        *social.ROUTES,
        *pay.ROUTES,
        *intl.ROUTES,
        *account.ROUTES,
        *reviews.ROUTES,
    )
)


def dispatch(req: Request, state: DemoState) -> Response:
    """Find the route for ``req`` and run it: 404 for an unknown path, 405 for a wrong method."""
    allowed: list[str] = []
    for method, pattern, handler in _ROUTES:
        match = pattern.fullmatch(req.path)
        if match is None:
            continue
        if method == req.method:
            return handler(replace(req, args=match.groups()), state)
        allowed.append(method)
    if allowed:
        return Response(405, b"method not allowed", "text/plain; charset=utf-8", (("Allow", ", ".join(allowed)),))
    return not_found(req, state)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: DemoState) -> None:
        super().__init__(address, _Handler)
        self.state = state


class _BadRequest(HomebodyError):
    pass


class _Handler(BaseHTTPRequestHandler):
    server_version = "HomebodyDemo/1.0"

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def _handle(self, method: str) -> None:
        state = cast(_Server, self.server).state
        try:
            req = self._parse(method)
        except _BadRequest as exc:
            self._write(Response(400, str(exc).encode(), "text/plain; charset=utf-8"))
            return
        try:
            resp = dispatch(req, state)
        except Exception:
            logger.exception("demo site: error handling %s %s", method, req.path)
            resp = Response(500, b"internal error", "text/plain; charset=utf-8")
        self._write(resp)

    def _parse(self, method: str) -> Request:
        parts = urlsplit(self.path)
        form: dict[str, str] = {}
        data: dict[str, object] = {}
        if method == "POST":
            form, data = self._read_body()
        return Request(
            method=method,
            path=parts.path or "/",
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            form=form,
            data=data,
            cookies=self._cookies(),
            referer=self.headers.get("Referer", ""),
            port=cast(_Server, self.server).server_port,
        )

    def _read_body(self) -> tuple[dict[str, str], dict[str, object]]:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError as exc:
            raise _BadRequest("bad Content-Length") from exc
        if not 0 <= length <= MAX_BODY:
            raise _BadRequest("body too large")
        text = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        kind = self.headers.get_content_type()
        if kind == "application/json":
            try:
                parsed = json.loads(text or "{}")
            except json.JSONDecodeError as exc:
                raise _BadRequest("bad JSON") from exc
            return {}, (parsed if isinstance(parsed, dict) else {})
        if kind == "application/x-www-form-urlencoded":
            return dict(parse_qsl(text, keep_blank_values=True)), {}
        return {}, {}

    def _cookies(self) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(self.headers.get("Cookie", ""))
        except CookieError:
            return {}
        return {key: morsel.value for key, morsel in jar.items()}

    def _write(self, resp: Response) -> None:
        try:
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(resp.body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in resp.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(resp.body)
        except (BrokenPipeError, ConnectionResetError):
            logger.debug("demo site: client went away")


def _url(host: str, port: int) -> str:
    """The address to browse to: an "any interface" bind is reached through 127.0.0.1."""
    try:
        unspecified = not host or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        unspecified = False
    return f"http://{'127.0.0.1' if unspecified else host}:{port}"


class DemoSite:
    """A running demo site: its address, its state, and a way to stop it."""

    def __init__(self, server: _Server, thread: threading.Thread, host: str) -> None:
        self._server = server
        self._thread = thread
        self._stopped = False
        self.port: int = server.server_port
        self.url: str = _url(host, self.port)

    def state(self) -> dict[str, object]:
        """A JSON-able snapshot, the same as ``GET /_state``."""
        return self._server.state.snapshot()

    def reset(self) -> None:
        self._server.state.reset()

    def stop(self) -> None:
        """Shut the server down and join its thread. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> DemoSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_demo_site(host: str = "127.0.0.1", port: int = 0) -> DemoSite:
    """Serve the demo site in a daemon thread; ``port=0`` picks a free port."""
    server = _Server((host, port), DemoState())
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.1},
        name="homebody-demo-site",
        daemon=True,
    )
    thread.start()
    site = DemoSite(server, thread, host)
    logger.info("demo site serving at %s", site.url)
    return site


def serve_forever(host: str, port: int) -> None:
    """Serve the demo site until interrupted (Ctrl+C stops it cleanly)."""
    server = _Server((host, port), DemoState())
    logger.info("demo site serving at %s (Ctrl+C to stop)", _url(host, server.server_port))
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        logger.info("demo site stopped")
    finally:
        server.server_close()

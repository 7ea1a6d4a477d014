"""Plain request and response values for the demo site, independent of ``http.server``.

Page functions take a parsed ``Request`` and the ``DemoState`` and return a ``Response``; the
server module does the socket work. This keeps the pages easy to read and to test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from homebody.demo.state import DemoState

SESSION_COOKIE = "hb_session"
SESSION_MAX_AGE = 30 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    form: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, object] = field(default_factory=dict)
    cookies: Mapping[str, str] = field(default_factory=dict)
    referer: str = ""
    args: tuple[str, ...] = ()
    port: int = 0
    """The port this server listens on (for building links to the same server by another name)."""

    @property
    def session_token(self) -> str | None:
        return self.cookies.get(SESSION_COOKIE)


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


PageHandler = Callable[[Request, "DemoState"], Response]
Route = tuple[str, str, PageHandler]
"""(method, path regex matched in full, handler); regex groups become ``Request.args``."""


def redirect(location: str, status: int = 303, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response(status, b"", "text/plain; charset=utf-8", (("Location", location), *headers))


def json_response(payload: object, status: int = 200) -> Response:
    body = json.dumps(payload).encode("utf-8")
    return Response(status, body, "application/json")


def json_error(message: str, status: int = 400) -> Response:
    return json_response({"ok": False, "error": message}, status)


def int_value(data: Mapping[str, object] | Mapping[str, str], key: str) -> int | None:
    """An integer from a form or JSON body, or ``None`` if missing or not a whole number."""
    raw = data.get(key)
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


def str_value(data: Mapping[str, object] | Mapping[str, str], key: str) -> str:
    raw = data.get(key)
    return raw if isinstance(raw, str) else ""


def local_path(url: str, fallback: str) -> str:
    """The path and query of ``url`` if it is a local absolute path, else ``fallback``.

    Used for redirecting back to the Referer without ever leaving the site.
    """
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return fallback
    return parts.path + (f"?{parts.query}" if parts.query else "")

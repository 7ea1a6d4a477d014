"""Who may talk to the server: the token, the Host and Origin checks, size limits, security headers.

The server drives the user's logged-in browser sessions, so it fails closed on every request
(page, static file, API, WebSocket) before any route runs:

1. Host must be a loopback name or address (``127.0.0.1``, ``localhost``, ``[::1]``, any port):
   a page on another site that re-points its own name at 127.0.0.1 (DNS rebinding) sends its own
   name as Host and is refused with 421. With ``allow_remote`` (an explicit flag) IP literals are
   accepted too: rebinding always arrives under a name, never under an address.
2. The token: ``Authorization: Bearer <token>`` or the ``homebody_token`` cookie, compared in
   constant time. ``GET /?token=…`` exchanges a valid token for that cookie (HttpOnly,
   SameSite=Strict) and redirects to ``/`` so the token leaves the address bar. Otherwise 401.
3. State-changing requests and WebSocket upgrades whose ``Origin`` is not this server's own are
   refused with 403 (cross-site request forgery, cross-site WebSocket hijacking). No CORS headers
   are ever sent.
4. Bodies over 1 MiB are refused with 413, by Content-Length or while streaming.

Every HTTP response gets the security headers (CSP, nosniff, no referrer, no framing, no caching).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from homebody.errors import BadInput

log = logging.getLogger(__name__)

TOKEN_COOKIE = "homebody_token"  # noqa: S105 (the cookie's name, not a secret)
COOKIE_MAX_AGE_S = 30 * 86400
MAX_BODY = 1 << 20
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = frozenset({"localhost"})
CSP = (
    "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
SIGN_IN_PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>homebody: sign in</title></head>"
    "<body><h1>homebody</h1><p>This page needs the address that <code>homebody serve</code> printed when it "
    "started (it ends with <code>?token=…</code>). Open that address in this browser once.</p>"
    "<p>The token is also in the file <code>token</code> in homebody's data directory.</p></body></html>"
)


# --------------------------------------------------------------------------- the token file


def ensure_token(path: Path) -> str:
    """The API token in ``path``, created at first start (0600, ``secrets.token_urlsafe(32)``)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_token(path)
    except OSError as exc:
        raise BadInput(f"cannot create the token file {path}: {exc.strerror or exc}") from exc
    token = secrets.token_urlsafe(32)
    try:
        os.write(fd, (token + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    log.info("created a new API token in %s", path)
    return token


def _read_token(path: Path) -> str:
    try:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)  # readable by others: a copied file; make it private again
        token = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise BadInput(f"cannot read the token file {path}: {exc.strerror or exc}") from exc
    if len(token) < 16:
        raise BadInput(f"the token file {path} holds no usable token: delete it to make a new one")
    return token


def token_matches(given: str | None, token: str) -> bool:
    """Constant-time comparison (a timing side channel must not reveal the token byte by byte)."""
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


# --------------------------------------------------------------------------- host and origin


def split_host(value: str) -> tuple[str, int | None] | None:
    """``"[::1]:8765"`` → ``("::1", 8765)``; None when it is not a host[:port] at all."""
    try:
        parts = urlsplit(f"//{value}")
        return (parts.hostname or "", parts.port) if parts.hostname else None
    except ValueError:
        return None


def is_loopback(hostname: str) -> bool:
    if hostname.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def is_ip_literal(hostname: str) -> bool:
    try:
        ipaddress.ip_address(hostname)
    except ValueError:
        return False
    return True


def host_allowed(host_header: str, *, allow_remote: bool = False, extra: Iterable[str] = ()) -> bool:
    """Whether a request for ``host_header`` may be this server (see the module docstring)."""
    found = split_host(host_header)
    if found is None:
        return False
    name = found[0].lower()
    if is_loopback(name) or name in {e.lower() for e in extra}:
        return True
    return allow_remote and is_ip_literal(name)


def origin_allowed(origin: str, host_header: str) -> bool:
    """Whether ``origin`` is this server's own: ``http://`` plus the Host the request was sent to."""
    own = split_host(host_header)
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return False
    if own is None or parts.scheme != "http" or not parts.hostname or parts.path not in ("", "/"):
        return False
    return parts.hostname.lower() == own[0].lower() and (port or 80) == (own[1] or 80)


# --------------------------------------------------------------------------- the middleware


class Guard:
    """Pure ASGI middleware (it also sees WebSocket upgrades, which HTTP middleware cannot)."""

    def __init__(self, app: ASGIApp, *, token: str, allow_remote: bool = False, extra_hosts: Iterable[str] = ()):
        self.app = app
        self._token = token
        self._allow_remote = allow_remote
        self._extra = tuple(extra_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not host_allowed(host, allow_remote=self._allow_remote, extra=self._extra):
            log.warning("refused a request for Host %r (not a loopback address)", host[:100])
            await _refuse(scope, receive, send, 421, f"refused: Host {host[:100]!r} is not a loopback address")
            return
        if _is_token_exchange(scope):
            await self._exchange(scope, receive, send)
            return
        if not self._authorized(headers):
            await _refuse(scope, receive, send, 401, "missing or wrong token: open the URL `homebody serve` printed")
            return
        origin = headers.get("origin")
        changes = scope["type"] == "websocket" or scope["method"] not in SAFE_METHODS
        if changes and origin is not None and not origin_allowed(origin, host):
            log.warning("refused a %s from the foreign origin %r", scope["type"], origin[:100])
            await _refuse(scope, receive, send, 403, f"refused: Origin {origin[:100]!r} is not this server")
            return
        if scope["type"] == "http":
            await self._http(scope, receive, send, headers)
        else:
            await self.app(scope, receive, send)

    def _authorized(self, headers: Headers) -> bool:
        auth = headers.get("authorization", "")
        if auth[:7].lower() == "bearer ":
            return token_matches(auth[7:].strip(), self._token)
        cookie = cookie_parser(headers.get("cookie", "")).get(TOKEN_COOKIE)
        return token_matches(cookie, self._token)

    async def _exchange(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
        if not token_matches(given, self._token):
            await _refuse(scope, receive, send, 401, "wrong token")
            return
        cookie = f"{TOKEN_COOKIE}={self._token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={COOKIE_MAX_AGE_S}"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", b"/"),
                    (b"set-cookie", cookie.encode()),
                    (b"content-length", b"0"),
                    *SECURITY_HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def _http(self, scope: Scope, receive: Receive, send: Send, headers: Headers) -> None:
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            status = 413 if length.isdigit() else 400
            await _refuse(scope, receive, send, status, f"body: at most {MAX_BODY} bytes")
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > MAX_BODY:
                    raise HTTPException(413, f"body: at most {MAX_BODY} bytes")
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)


def _is_token_exchange(scope: Scope) -> bool:
    return (
        scope["type"] == "http"
        and scope["path"] == "/"
        and scope["method"] in ("GET", "HEAD")
        and b"token=" in scope.get("query_string", b"")
    )


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    """Answer ``status`` without running the app: JSON, or for the page itself a short HTML page."""
    wants_page = status == 401 and scope["type"] == "http" and scope["path"] == "/"
    body = SIGN_IN_PAGE.encode() if wants_page else json.dumps({"detail": detail}).encode()
    kind = b"text/html; charset=utf-8" if wants_page else b"application/json"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="homebody"'))
    if scope["type"] == "websocket":
        await receive()  # the websocket.connect message comes first
        if "websocket.http.response" not in scope.get("extensions", {}):
            await send({"type": "websocket.close", "code": 1008})  # the server then answers 403
            return
        await send({"type": "websocket.http.response.start", "status": status, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": body})
        return
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

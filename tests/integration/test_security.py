"""Nobody but the token holder, from this machine's own pages, gets in: every route, every way.

The routes come from the app's own route table, so a route added later is covered without
editing this file. The server runs no task here (``max_running=0``: tasks queue), no browser.
"""

from __future__ import annotations

import os
import re
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.routing import Route, WebSocketRoute
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.integration.test_api_support import Api, api_server

SAMPLES = {"task_id": "20200101-000000-00000000", "name": "0001.jpg"}
CSP = (
    "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with api_server(tmp_path_factory.mktemp("secure") / "data", max_running=0) as api:
        yield api


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLES.get(m.group(1), "x"), path)


def http_routes(api: Api) -> list[tuple[str, str]]:
    found = []
    for route in api.server.app.routes:
        if isinstance(route, APIRoute | Route) and not isinstance(route, WebSocketRoute):
            found += [(method, concrete(route.path)) for method in sorted(route.methods or ())]
    return found


def ws_routes(api: Api) -> list[str]:
    return [concrete(r.path) for r in api.server.app.routes if isinstance(r, WebSocketRoute | APIWebSocketRoute)]


def ws_url(api: Api, path: str) -> str:
    return api.url.replace("http://", "ws://") + path


def refused_ws(api: Api, path: str, **headers: str) -> int:
    with pytest.raises(InvalidStatus) as refused:
        with connect(ws_url(api, path), additional_headers=headers, open_timeout=10):
            pass
    return refused.value.response.status_code


def raw_upgrade(api: Api, host: str) -> bytes:
    """A WebSocket upgrade with its own Host header (clients always send the address's own)."""
    request = (
        f"GET /api/tasks/20200101-000000-00000000/live HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {api.server.token}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", api.server.settings.port), timeout=10) as sock:
        sock.sendall(request.encode())
        return sock.recv(200)


def test_every_route_needs_the_token(api: Api) -> None:
    routes = http_routes(api)
    assert ("POST", "/api/tasks") in routes and ("GET", "/openapi.json") in routes and len(routes) >= 15
    plain = httpx.Client(base_url=api.url, timeout=10, trust_env=False)
    for method, path in routes:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Cookie": "homebody_token=wrong"}):
            res = plain.request(method, path, headers=headers, json={} if method in ("POST", "PUT") else None)
            assert res.status_code == 401, f"{method} {path} with {headers}: {res.status_code}"
            if path != "/" and method != "HEAD":
                assert "token" in res.json()["detail"]
    sockets = ws_routes(api)
    assert sockets == ["/api/tasks/20200101-000000-00000000/live"]
    for path in sockets:
        assert refused_ws(api, path) == 401
        assert refused_ws(api, path, Authorization="Bearer wrong") == 401


def test_the_page_trades_the_token_for_a_strict_httponly_cookie(api: Api) -> None:
    plain = httpx.Client(base_url=api.url, timeout=10, trust_env=False)
    signin = plain.get("/")
    assert (
        signin.status_code == 401
        and "homebody serve" in signin.text
        and signin.headers["content-type"].startswith("text/html")
    )
    assert plain.get("/?token=wrong").status_code == 401
    res = plain.get(f"/?token={api.server.token}")
    assert res.status_code == 303 and res.headers["location"] == "/"  # the token leaves the address bar
    cookie = res.headers["set-cookie"]
    assert cookie.startswith(f"homebody_token={api.server.token};")
    assert all(flag in cookie for flag in ("HttpOnly", "SameSite=Strict", "Path=/"))
    page = plain.get("/", headers={"Cookie": f"homebody_token={api.server.token}"})
    assert page.status_code == 200 and page.headers["content-security-policy"] == CSP
    for name, value in (
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
    ):
        assert page.headers[name] == value
    assert not any(h.startswith("access-control-") for h in page.headers)


def test_a_foreign_host_is_refused_even_with_the_token(api: Api) -> None:
    for host in ("evil.example", "evil.example:80", "127.0.0.1.evil.example", "localhost.evil.example"):
        res = api.client.get("/api/tasks", headers={"Host": host})
        assert res.status_code == 421, host
    for host in ("localhost", f"127.0.0.1:{api.server.settings.port}", f"[::1]:{api.server.settings.port}"):
        assert api.client.get("/api/tasks", headers={"Host": host}).status_code == 200, host
    assert raw_upgrade(api, "evil.example").startswith(b"HTTP/1.1 421 ")
    assert raw_upgrade(api, f"127.0.0.1:{api.server.settings.port}").startswith(b"HTTP/1.1 404 ")  # past the guard


def test_a_foreign_origin_cannot_change_anything_or_open_a_socket(api: Api, site) -> None:  # type: ignore[no-untyped-def]
    evil = {"Origin": "http://evil.example"}
    for origin in (
        "http://evil.example",
        "null",
        f"http://127.0.0.1:{api.server.settings.port + 1}",
        "https://127.0.0.1",
    ):
        res = api.client.post("/api/profiles", json={"name": "x1"}, headers={"Origin": origin})
        assert res.status_code == 403, origin
    assert api.client.get("/api/tasks", headers=evil).status_code == 200  # reading is not a change; no CORS either
    own = {"Origin": api.url}
    assert api.client.post("/api/profiles", json={"name": "mine"}, headers=own).status_code == 201
    task = api.create(site.url + "/shop", [{"kind": "done"}])  # stays queued: this server runs nothing
    live = f"/api/tasks/{task['id']}/live"
    assert refused_ws(api, live, **api.auth, **evil) == 403
    with connect(ws_url(api, live), additional_headers={**api.auth, **own}, open_timeout=10):
        pass  # the page's own origin may watch


def test_bodies_over_one_mebibyte_are_refused(api: Api) -> None:
    big = b'{"name": "' + b"a" * (1 << 20) + b'"}'
    res = api.client.post("/api/profiles", content=big, headers={"Content-Type": "application/json"})
    assert res.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"instruction": "'
        for _ in range(40):
            yield b"a" * 32768
        yield b'"}'

    res = api.client.post("/api/tasks", content=chunks(), headers={"Content-Type": "application/json"})
    assert res.status_code == 413


def test_the_schema_needs_the_token_and_no_docs_page_loads_anything(api: Api) -> None:
    assert httpx.get(api.url + "/openapi.json", trust_env=False).status_code == 401
    schema = api.client.get("/openapi.json").json()
    assert "/api/tasks" in schema["paths"]
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert api.client.get(path).status_code == 404


def test_the_token_file_is_0600_and_the_data_dir_0700(api: Api) -> None:
    settings = api.server.settings
    assert stat.S_IMODE(os.stat(settings.data_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(settings.token_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(settings.data_dir / "tasks.db").st_mode) == 0o600
    assert len(settings.token_path.read_text().strip()) >= 40  # token_urlsafe(32): 43 characters


def test_bad_input_is_a_4xx_naming_the_field(api: Api, tmp_path: Path) -> None:
    def detail(body: object, status: int = 422) -> str:
        res = api.client.post("/api/tasks", json=body)
        assert res.status_code == status, res.text
        text: str = res.json()["detail"]
        assert isinstance(text, str)
        return text

    ok = {"start_url": "http://127.0.0.1:1/", "ephemeral": True}
    bad_step = {"kind": "script", "steps": [{"kind": "wait", "seconds": 1}, {"kind": "click", "x": -5, "y": 1}]}
    assert detail({**ok, "brain": bad_step}).startswith("brain.steps[1].x:")
    assert "brain.steps[0].kind" in detail({**ok, "brain": {"kind": "script", "steps": [{"kind": "fly"}]}})
    assert detail({**ok, "start_url": "javascript:alert(1)"}).startswith("start_url:")
    assert detail({**ok, "profile": "x"}).startswith("profile:")
    assert detail({**ok, "max_steps": 0}).startswith("max_steps:")
    assert detail({**ok, "brain": {"kind": "steps"}}).startswith("instruction:")
    assert detail({**ok, "brain": {"kind": "openai", "model": "m", "base_url": "http://127.0.0.1:1/v1"}}).startswith(
        "brain.model_family:"
    )
    assert detail({**ok, "brain": {"kind": "transformers", "model": str(tmp_path / "none")}}).startswith("brain.model:")
    assert detail({**ok, "surprise": 1}).startswith("surprise:")
    res = api.client.post("/api/tasks", content=b"{not json", headers={"Content-Type": "application/json"})
    assert res.status_code == 422 and res.json()["detail"].startswith("body:")
    assert api.client.get("/api/tasks/not-an-id").status_code == 422
    assert api.client.post("/api/profiles", json={"name": "../etc"}).json()["detail"].startswith("name:")
    assert api.client.get("/api/tasks/20200101-000000-00000000/recording/frames/..%2Ftoken").status_code in (404, 422)
    assert api.client.get("/static/..%2F..%2Ftoken").status_code in (404, 422)

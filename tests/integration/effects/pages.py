"""The effect gate's fixture pages (tests/fixtures/effects/) on two loopback sites and a WebSocket server.

Site A is ``http://127.0.0.1:PORT`` (where each task starts), site B ``http://127.0.0.2:PORT``: two
sites to the browser and to the task's scope. Both servers log every request they get (host,
method, path, body: reads too), so a test can assert that nothing at all reached a site; the
WebSocket server logs every message. Pages are templates: ``{{A}}`` and ``{{B}}`` become the two
origins, ``{{WS}}`` the WebSocket URL. Besides the fixture files the servers answer
``/redirect?to=URL`` (302), ``/collect`` (a page), ``/asset.png`` and ``/asset.js``, and any POST
(JSON; ``/graphql`` answers a product list).

Coordinates: the fixture pages put every control at a fixed absolute position (body margin 0), so
tests click fixed points; they are listed next to each page's controls.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.sync.server import ServerConnection, serve

from tests.conftest import CliResult, cli_env, write_script

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "effects"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
Actions = list[dict[str, Any]]
HOMEBODY_RUN = (sys.executable, "-m", "homebody", "run")


@dataclass(frozen=True)
class Hit:
    """One request a fixture server received."""

    host: str  # 127.0.0.1 or 127.0.0.2
    method: str
    path: str  # with the query
    body: bytes
    at: float


@dataclass
class Sites:
    a: str  # http://127.0.0.1:PORT
    b: str  # http://127.0.0.2:PORT
    ws: str  # ws://127.0.0.1:PORT
    hits: list[Hit] = field(default_factory=list)
    messages: list[tuple[float, str]] = field(default_factory=list)  # what the WebSocket server got
    stops: list[Callable[[], None]] = field(default_factory=list)

    def reset(self) -> None:
        self.hits.clear()
        self.messages.clear()

    def posts(self, path: str = "", host: str = "") -> list[Hit]:
        return [h for h in self.hits if h.method == "POST" and h.path.startswith(path) and h.host.startswith(host)]

    def on_b(self, path: str = "") -> list[Hit]:
        """Every request site B got (any method) whose path starts with ``path``."""
        return [h for h in self.hits if h.host == "127.0.0.2" and h.path.startswith(path)]

    def sent(self, kind: str) -> list[tuple[float, dict[str, Any]]]:
        """The WebSocket messages of ``kind`` (their JSON ``type``), with when they arrived."""
        out = []
        for at, text in list(self.messages):
            try:
                data = json.loads(text)
            except ValueError:
                continue
            if isinstance(data, dict) and data.get("type") == kind:
                out.append((at, data))
        return out


def _handler(sites: Sites, host: str) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _log(self, body: bytes = b"") -> None:
            sites.hits.append(Hit(host, self.command, self.path, body, time.monotonic()))

        def _send(self, code: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._log()
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            if url.path == "/redirect":
                self._send(302, b"", "text/plain", {"Location": query.get("to", ["/"])[0]})
            elif url.path == "/collect":
                self._send(200, b"<!doctype html><title>Collected</title><p>Thanks.</p>", "text/html; charset=utf-8")
            elif url.path == "/asset.png":
                self._send(200, PNG, "image/png")
            elif url.path == "/asset.js":
                self._send(200, b"window.assetLoaded = true;", "text/javascript")
            elif url.path == "/favicon.ico":
                self._send(404, b"", "text/plain")
            else:
                file = FIXTURES / url.path.lstrip("/")
                if url.path == "/" or not file.is_file() or FIXTURES not in file.resolve().parents:
                    self._send(404, b"not found", "text/plain")
                    return
                text = file.read_text(encoding="utf-8")
                for key, value in (("{{A}}", sites.a), ("{{B}}", sites.b), ("{{WS}}", sites.ws)):
                    text = text.replace(key, value)
                self._send(200, text.encode(), "text/html; charset=utf-8")

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._log(body)
            if self.path.startswith("/graphql"):
                answer = {"data": {"products": [{"name": "Lamp"}, {"name": "Kettle"}, {"name": "Chair"}]}}
                self._send(200, json.dumps(answer).encode(), "application/json")
            elif "application/x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
                self._send(200, b"<!doctype html><title>Received</title><p>Received.</p>", "text/html; charset=utf-8")
            else:
                self._send(200, b'{"ok": true}', "application/json")

    return Handler


def _http(sites: Sites, host: str) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer((host, 0), _handler(sites, host))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sites.stops.append(server.shutdown)
    sites.stops.append(server.server_close)
    return server


def start_sites() -> Sites:
    sites = Sites("", "", "")

    def on_socket(conn: ServerConnection) -> None:
        for message in conn:
            sites.messages.append((time.monotonic(), message if isinstance(message, str) else message.hex()))

    ws = serve(on_socket, "127.0.0.1", 0)
    threading.Thread(target=ws.serve_forever, daemon=True).start()
    sites.stops.append(ws.shutdown)
    a, b = _http(sites, "127.0.0.1"), _http(sites, "127.0.0.2")
    sites.a = f"http://127.0.0.1:{a.server_address[1]}"
    sites.b = f"http://127.0.0.2:{b.server_address[1]}"
    sites.ws = f"ws://127.0.0.1:{ws.socket.getsockname()[1]}"
    return sites


def sites_fixture() -> Iterator[Sites]:
    sites = start_sites()
    yield sites
    for stop in sites.stops:
        stop()


# --------------------------------------------------------------------------- running homebody


def run(hb: Any, tmp_path: Path, url: str, actions: Actions, *extra: str, stdin: str = "") -> CliResult:
    """``homebody run`` (the ``hb`` fixture) from ``url`` with a script brain doing ``actions``."""
    script = write_script(tmp_path / "s.json", actions)
    result: CliResult = hb(
        "run", "--start-url", url, "--script", str(script), "--ephemeral", "--json", *extra, stdin=stdin
    )
    return result


def click(x: float, y: float) -> dict[str, Any]:
    return {"kind": "click", "x": x, "y": y}


def halts(res: CliResult) -> list[dict[str, Any]]:
    return [e for e in res.events() if e["type"] == "halted"]


def held_halt(res: CliResult, method: str, url_part: str) -> dict[str, Any]:
    """The one ``halted`` event of a stopped run: the effect gate's, holding ``method`` to ``url_part``."""
    assert res.code == 3, res.stdout[-3000:] + res.stderr[-3000:]
    found = halts(res)
    assert len(found) == 1, found
    held = found[0].get("held") or []
    assert any(h["outgoing"]["method"] == method and url_part in h["outgoing"]["url"] for h in held), found[0]
    assert res.events()[-1]["type"] == "finished" and res.events()[-1]["outcome"] == "halted"
    return found[0]


def not_halted(res: CliResult) -> None:
    assert res.code == 0 and not halts(res), (halts(res), res.stdout[-3000:], res.stderr[-3000:])


def settle(seconds: float = 0.6) -> None:
    """Let anything in flight reach the servers before asserting it did not."""
    time.sleep(seconds)


def wait_for(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


class LiveRun:
    """``homebody run --on-halt ask`` as a child process the test answers while it runs."""

    def __init__(self, tmp_path: Path, url: str, actions: Actions) -> None:
        script = write_script(tmp_path / "s.json", actions)
        self.proc = subprocess.Popen(
            [*HOMEBODY_RUN, "--start-url", url, "--script", str(script), "--ephemeral", "--json", "--on-halt", "ask"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(tmp_path / "data", **{k: v for k, v in os.environ.items() if k.startswith("OMP")}),
        )
        self.events: list[dict[str, Any]] = []

    def until(self, kind: str, timeout: float = 60) -> dict[str, Any]:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            event: dict[str, Any] = json.loads(line)
            self.events.append(event)
            if event["type"] == kind:
                return event
        raise AssertionError(f"no {kind} event: {self.events[-5:]}")

    def answer(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def finish(self, timeout: float = 60) -> CliResult:
        out, err = self.proc.communicate(timeout=timeout)
        self.events += [json.loads(line) for line in out.splitlines() if line.strip()]
        return CliResult(self.proc.returncode, "\n".join(json.dumps(e) for e in self.events), err)

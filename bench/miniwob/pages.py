"""The MiniWoB++ task pages (shipped in the ``miniwob`` package) served on loopback, and task lookup.

The pages are read from the installed distribution's files, never imported (importing ``miniwob``
registers its gymnasium environments: a quarter of a second, and nothing the bench uses). Flight
tasks need http (not file://), so all pages go through one small threaded HTTP server bound to
127.0.0.1 on a free port.
"""

from __future__ import annotations

import fnmatch
import functools
import http.server
import importlib.metadata
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from homebody.errors import BadInput

#: The task families the benchmark reports, in the order of BENCHMARKS.md.
FAMILIES = ("click-", "enter-", "focus-", "login-", "choose-", "navigate-", "use-", "email-inbox", "book-flight")
#: A few simple tasks for ``--quick`` (one family each, all solvable in a few steps).
QUICK_TASKS = (
    "click-button", "click-link", "click-checkboxes", "enter-text", "focus-text", "login-user", "choose-list",
)  # fmt: skip


@functools.cache
def html_dir() -> Path:
    """``site-packages/miniwob/html`` of the installed ``miniwob`` distribution."""
    try:
        dist = importlib.metadata.distribution("miniwob")
    except importlib.metadata.PackageNotFoundError:
        raise BadInput("the MiniWoB++ pages are missing: pip install miniwob==1.1.0") from None
    path = Path(str(dist.locate_file("miniwob/html")))
    if not (path / "miniwob").is_dir():
        raise BadInput(f"the miniwob package has no task pages at {path / 'miniwob'}")
    return path


@functools.cache
def all_tasks() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in (html_dir() / "miniwob").glob("*.html")))


def family_of(task: str) -> str:
    for family in FAMILIES:
        if task.startswith(family):
            return family.rstrip("-")
    return "other"


def resolve_tasks(spec: str) -> list[str]:
    """``click-button,enter-*`` → task names, in the order given (globs sorted), without repeats.

    ``families`` stands for every task of the nine reported families. An unknown name, or a glob
    that matches nothing, is a ``BadInput`` naming it.
    """
    known = all_tasks()
    chosen: list[str] = []
    for raw in (part.strip() for part in spec.split(",")):
        if not raw:
            continue
        if raw == "families":
            matches = [t for t in known if family_of(t) != "other"]
        elif any(ch in raw for ch in "*?["):
            matches = fnmatch.filter(known, raw)
        else:
            matches = [raw] if raw in known else []
        if not matches:
            raise BadInput(f"--tasks: no MiniWoB++ task matches {raw!r} (e.g. click-button, 'click-*', families)")
        chosen.extend(t for t in matches if t not in chosen)
    if not chosen:
        raise BadInput("--tasks is empty")
    return chosen


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class MiniwobSite:
    """Serves ``html_dir()`` on 127.0.0.1 while the ``with`` block runs."""

    def __init__(self) -> None:
        handler = functools.partial(_QuietHandler, directory=str(html_dir()))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="miniwob-site", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def task_url(self, task: str) -> str:
        return f"{self.base_url}/miniwob/{task}.html"

    def __enter__(self) -> MiniwobSite:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

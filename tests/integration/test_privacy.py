"""Nothing leaves the machine: a whole task run through the server opens only loopback connections,
and its browser runs with Chromium's background networking switched off.

A Python audit hook sees every ``socket.connect`` of this process (server, task runner, OCR, the
test's own client); the browser is another process, so its command line is read from ``/proc``.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from homebody.sessions.browser.launch import launch_flags
from tests.conftest import click
from tests.integration.test_api_support import api_server


class ConnectLog:
    """Installed once per process (audit hooks cannot be removed); records only while ``on``."""

    def __init__(self) -> None:
        self.on = False
        self.seen: list[tuple[int, Any]] = []
        self._lock = threading.Lock()
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "socket.connect" and self.on:
            sock, address = args
            with self._lock:
                self.seen.append((sock.family, address))


_LOGS: list[ConnectLog] = []  # at most one per process


@pytest.fixture
def connects() -> Iterator[ConnectLog]:
    if not _LOGS:
        _LOGS.append(ConnectLog())
    log = _LOGS[0]
    log.seen.clear()
    log.on = True
    try:
        yield log
    finally:
        log.on = False


def is_loopback(family: int, address: Any) -> bool:
    if family == socket.AF_UNIX:
        return True  # a local socket file never leaves the machine
    host = address[0] if isinstance(address, tuple) else address
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def browser_command_lines() -> list[list[str]]:
    """The command lines of this process's Chromium browsers (not their renderer/GPU helpers)."""
    lines = []
    for pid in descendants(os.getpid()):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "chrom" in Path(argv[0]).name and not any(a.startswith("--type=") for a in argv):
            if any("homebody-ephemeral-" in a for a in argv):  # a task's browser, not a test helper's
                lines.append(argv)
    return lines


def test_a_task_through_the_server_opens_only_loopback_connections(tmp_path: Path, site, measure, connects) -> None:  # type: ignore[no-untyped-def]
    with api_server(tmp_path / "data") as api:
        steps = [click(measure("/shop/product/2", "#buy-now")), {"kind": "done", "answer": "ok"}]
        task = api.create(site.url + "/shop/product/2", steps)
        api.wait(task["id"], "halted")
        browsers = browser_command_lines()
        assert len(browsers) == 1, browsers
        expected = launch_flags(headless=True, running_as_root=os.geteuid() == 0)
        assert "--disable-background-networking" in expected
        assert set(expected) <= set(browsers[0]), sorted(set(expected) - set(browsers[0]))
        api.post(task["id"], "approve")
        api.wait(task["id"], "done")
        assert len(api.events(task["id"])) > 5
    assert connects.seen, "the audit hook saw no connection at all"
    outside = [(family, address) for family, address in connects.seen if not is_loopback(family, address)]
    assert outside == []

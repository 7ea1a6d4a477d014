"""``homebody run --cdp-url`` and the API's ``cdp_url``: a scripted task in a new tab of a Chromium
started elsewhere, which stays running (with the user's own tab) after the task."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from homebody.cli import main
from homebody.sessions.browser.launch import find_browser, launch_flags
from tests.conftest import click, write_script
from tests.integration.test_api_support import api_server


@pytest.fixture
def remote_chromium(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A headless Chromium with a DevTools port on loopback, as a user would start one elsewhere."""
    profile = tmp_path / "remote-profile"
    proc = subprocess.Popen(
        [
            find_browser(os.environ.get("HOMEBODY_BROWSER")),
            "--headless=new",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            *launch_flags(headless=True, running_as_root=os.geteuid() == 0),
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.is_file() or not port_file.read_text().strip():
            assert proc.poll() is None, "Chromium exited before opening its DevTools port"
            assert time.monotonic() < deadline, "Chromium did not write DevToolsActivePort"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port_file.read_text().splitlines()[0]}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _tabs(endpoint: str) -> list[str]:
    with urllib.request.urlopen(f"{endpoint}/json/list", timeout=10) as resp:
        return [t["url"] for t in json.loads(resp.read()) if t["type"] == "page"]


def test_a_scripted_task_runs_in_a_new_tab_of_the_remote_browser(
    hb, site, measure, remote_chromium, tmp_path: Path
) -> None:
    endpoint, proc = remote_chromium
    assert _tabs(endpoint) == ["about:blank"]  # the user's own tab
    script = write_script(
        tmp_path / "s.json",
        [
            click(measure("/shop", "a.btn[href='/shop/product/2']")),
            click(measure("/shop/product/2", "form[action='/shop/cart/add'] button")),
            {"kind": "done", "answer": "added"},
        ],
    )
    res = hb("run", "--start-url", f"{site.url}/shop", "--script", str(script), "--cdp-url", endpoint, "--json")
    assert res.code == 0, res.stderr
    events = res.events()
    assert events[0]["profile"] is None and events[-1]["outcome"] == "done"
    recording = Path(res.stderr.split("recording: ")[1].strip())
    with Image.open(recording / "frames" / "0001.jpg") as frame:
        assert frame.size == (1280, 800)  # our tab got the viewport the script's coordinates assume
    assert site.state()["cart"] == [{"id": 2, "qty": 1}]
    # The remote browser is still running, with the user's tab as it was and ours closed.
    assert proc.poll() is None
    assert _tabs(endpoint) == ["about:blank"]


def test_a_task_created_through_the_api_runs_in_a_new_tab_of_the_remote_browser(
    site, measure, remote_chromium, tmp_path: Path
) -> None:
    endpoint, proc = remote_chromium
    steps = [
        click(measure("/shop", "a.btn[href='/shop/product/2']")),
        click(measure("/shop/product/2", "form[action='/shop/cart/add'] button")),
        {"kind": "done", "answer": "added"},
    ]
    with api_server(tmp_path / "serve") as api:
        task = api.create(f"{site.url}/shop", steps, cdp_url=endpoint, ephemeral=False)
        assert (task["cdp_url"], task["profile"], task["ephemeral"]) == (endpoint, None, False)
        assert api.wait(task["id"], "done")["answer"] == "added"
        events = api.events(task["id"])
    assert events[0]["type"] == "task_started" and events[0]["profile"] is None
    assert site.state()["cart"] == [{"id": 2, "qty": 1}]
    assert proc.poll() is None
    assert _tabs(endpoint) == ["about:blank"]


@pytest.mark.parametrize("url", ["ftp://127.0.0.1:9222", "127.0.0.1:9222", "http://", "http://host:99999", ""])
def test_a_bad_cdp_url_is_bad_input_naming_the_flag(url: str, tmp_path: Path, capsys) -> None:
    script = write_script(tmp_path / "s.json", [{"kind": "done"}])
    args = ["run", "--start-url", "http://127.0.0.1:9/", "--script", str(script), "--data-dir", str(tmp_path)]
    assert main([*args, "--cdp-url", url]) == 2
    assert "--cdp-url" in capsys.readouterr().err


def test_cdp_url_and_profile_cannot_be_combined(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run", "--start-url", "http://127.0.0.1:9/", "--cdp-url", "http://127.0.0.1:9222", "--profile", "p"])
    assert exited.value.code == 2 and "not allowed with argument" in capsys.readouterr().err


def test_an_unreachable_endpoint_fails_with_a_clear_message(hb, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{s.getsockname()[1]}"  # bound, never listening: refused
        script = write_script(tmp_path / "s.json", [{"kind": "done"}])
        res = hb("run", "--start-url", "http://127.0.0.1:9/", "--script", str(script), "--cdp-url", endpoint)
    assert res.code == 4
    assert f"could not attach to the browser at {endpoint} (--cdp-url)" in res.stderr
    assert "--remote-debugging-port" in res.stderr and "Traceback" not in res.stderr

"""Profiles keep a sign-in across tasks; the signed-in check tells signed-in from signed-out; a
person signs in through ``homebody profile login`` in a real window (under Xvfb)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from homebody.config import build_settings
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.profiles import ProfileStore
from tests.conftest import XDisplay, cli_env, click, write_script


def test_a_profile_keeps_a_signed_in_cookie_across_tasks(hb, site, measure, tmp_path: Path) -> None:
    sign_in = write_script(
        tmp_path / "signin.json",
        [
            click(measure("/account/login", "#login-user")),
            {"kind": "type", "text": "alex"},
            click(measure("/account/login", "#login-password")),
            {"kind": "type", "text": "correct horse"},
            click(measure("/account/login", "#login-form button[type=submit]")),
        ],
    )
    first = hb("run", "--start-url", f"{site.url}/account", "--script", str(sign_in), "--profile", "shop", "--json")
    assert first.code == 0, first.stderr
    assert [e["url"] for e in first.events() if e["type"] == "observed"][0].startswith(f"{site.url}/account/login")
    assert site.state()["signed_in"] is True

    # The next task in the same profile: its browser starts with the cookie the first one got.
    check = hb("profile", "check", "shop", f"{site.url}/account")
    assert check.code == 0, check.stdout + check.stderr
    assert check.stdout.startswith("signed in:") and f"{site.url}/account" in check.stdout

    ProfileStore(tmp_path / "data" / "profiles").create("other")
    other = hb("profile", "check", "other", f"{site.url}/account")
    assert other.code == 1, other.stdout + other.stderr
    assert other.stdout.startswith("signed out:") and "/account/login" in other.stdout


def test_the_check_sees_a_password_field_and_leaves_the_task_page_alone(site, tmp_path: Path) -> None:
    async def scenario() -> None:
        settings = build_settings({}, data_dir=tmp_path / "data")
        async with await BrowserComputer.open(settings, ephemeral=True) as computer:
            await computer.navigate(f"{site.url}/shop")
            # A login form at an address that does not say so: only the password field gives it away.
            form = "data:text/html,<form><input name=u><input type=password name=p></form>"
            status = await computer.signed_in(form)
            assert not status.signed_in and "password field" in status.reason
            hidden = "data:text/html,<p>Welcome back</p><input type=password style=display:none>"
            assert (await computer.signed_in(hidden)).signed_in
            public = await computer.signed_in(f"{site.url}/shop")
            assert public.signed_in and public.final_url == f"{site.url}/shop"
            assert computer.url == f"{site.url}/shop"
            assert [p.url for p in computer.context.pages] == [f"{site.url}/shop"]

    asyncio.run(scenario())


def test_profile_login_opens_a_window_and_saves_the_sign_in_when_it_closes(
    xvfb: XDisplay, site, tmp_path: Path
) -> None:
    xdotool = shutil.which("xdotool")
    if xdotool is None:
        pytest.skip("xdotool is not installed (scripts/ensure-desktop.sh installs it)")
    env = cli_env(tmp_path / "data", DISPLAY=xvfb.name)
    env.pop("WAYLAND_DISPLAY", None)
    url = f"{site.url}/account/login?next=/account"
    login = subprocess.Popen(
        [sys.executable, "-m", "homebody", "profile", "login", "home", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert login.stdout is not None
        assert login.stdout.readline().startswith("created profile 'home'")
        assert login.stdout.readline().startswith(f"opened {url}")  # the page has loaded in the window

        def xdo(*args: str) -> None:
            subprocess.run([xdotool, *args], env=env, check=True, timeout=10)

        # What a person does: type into the focused user field, tab to the password, press Enter,
        # then close the window's only tab with Ctrl+W (keys go to the window under the pointer).
        xdo("mousemove", "200", "200")
        xdo("type", "--delay", "5", "robin")
        xdo("key", "Tab")
        xdo("type", "--delay", "5", "hunter2")
        xdo("key", "Return")
        deadline = time.monotonic() + 15
        while not site.state()["signed_in"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert site.state()["signed_in"] is True
        xdo("key", "ctrl+w")
        out, err = login.communicate(timeout=30)
    finally:
        if login.poll() is None:
            login.kill()
            login.wait(10)
    assert login.returncode == 0, err
    assert "saved profile 'home'" in out and "closed after" not in out

    check = subprocess.run(
        [sys.executable, "-m", "homebody", "profile", "check", "home", f"{site.url}/account"],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in env.items() if k != "DISPLAY"},
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert os.stat(tmp_path / "data" / "profiles" / "home").st_mode & 0o077 == 0

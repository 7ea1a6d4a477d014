"""Data dir resolution, profile names, the profile lock, and finding a browser."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from homebody.config import build_settings, default_data_dir
from homebody.errors import BadInput, BrowserNotFound, ProfileInUse
from homebody.sessions.browser.launch import find_browser, install_hint
from homebody.sessions.profiles import ProfileLock, ProfileStore, validate_profile_name


def test_data_dir_order_flag_then_env_then_xdg(tmp_path: Path) -> None:
    env = {"HOMEBODY_DATA_DIR": str(tmp_path / "env"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert default_data_dir(env) == tmp_path / "env"
    assert default_data_dir({"XDG_DATA_HOME": str(tmp_path / "xdg")}) == tmp_path / "xdg" / "homebody"
    assert default_data_dir({}) == Path.home() / ".local" / "share" / "homebody"
    settings = build_settings(env, data_dir=tmp_path / "flag")
    assert settings.data_dir == tmp_path / "flag"
    assert stat.S_IMODE((tmp_path / "flag").stat().st_mode) == 0o700


def test_bad_step_budget_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="max-steps"):
        build_settings({}, data_dir=tmp_path, max_steps=0)


@pytest.mark.parametrize("name", ["", "../x", "a/b", ".hidden", "x" * 65, "sp ace"])
def test_unsafe_profile_names_are_refused(name: str) -> None:
    with pytest.raises(BadInput, match="invalid profile name"):
        validate_profile_name(name)


def test_profiles_are_private_and_listed(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles")
    profile = store.get("work")
    assert stat.S_IMODE(profile.path.stat().st_mode) == 0o700
    assert store.names() == ["work"]
    store.delete("work")
    assert store.names() == []


def test_a_locked_profile_refuses_a_second_user(tmp_path: Path) -> None:
    profile = ProfileStore(tmp_path).get("p")
    (profile.user_data_dir / "Cookies").write_text("precious")
    with ProfileLock(profile), pytest.raises(ProfileInUse, match="in use by another task"):
        ProfileLock(profile).acquire()
    assert (profile.user_data_dir / "Cookies").read_text() == "precious"
    with ProfileLock(profile):  # released, so it can be taken again
        pass


def test_a_killed_holder_does_not_leave_the_profile_locked(tmp_path: Path) -> None:
    profile = ProfileStore(tmp_path).get("p")
    code = (
        "import sys, time; from pathlib import Path; "
        "from homebody.sessions.profiles import ProfileLock, Profile; "
        f"ProfileLock(Profile('p', Path({str(profile.path)!r}))).acquire(); print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ProfileInUse, match=f"process {holder.pid}"):
            ProfileLock(profile).acquire()
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
    deadline = time.monotonic() + 5
    while True:
        try:
            with ProfileLock(profile):
                break
        except ProfileInUse:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_no_browser_anywhere_says_how_to_install_one() -> None:
    with pytest.raises(BrowserNotFound) as info:
        find_browser(None, search_path="", extra_candidates=(), bundled=None)
    assert "install" in str(info.value)
    with pytest.raises(BrowserNotFound, match="HOMEBODY_BROWSER"):
        find_browser("/nonexistent/chromium")


def test_install_hints_name_the_command_for_each_os() -> None:
    assert "apt-get install chromium" in install_hint("Linux", {"ID": "debian"})
    assert "apt-get install chromium" in install_hint("Linux", {"ID": "pop", "ID_LIKE": "ubuntu debian"})
    assert "dnf install chromium" in install_hint("Linux", {"ID": "fedora"})
    assert "playwright install chromium" in install_hint("Darwin", {})
    assert "playwright install chromium" in install_hint("Linux", {"ID": "gentoo"})


def test_a_browser_on_the_path_is_found(tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert find_browser(None, search_path=str(tmp_path), extra_candidates=()) == str(fake)

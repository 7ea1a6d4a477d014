"""The guard's rules on their own: loopback Hosts, own Origins, the token file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from homebody.errors import BadInput
from homebody.server.guard import ensure_token, host_allowed, origin_allowed, token_matches


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.0.0.1:8765", "localhost", "LOCALHOST:80", "[::1]", "[::1]:8765", "127.8.9.10:1"]
)
def test_loopback_hosts_are_this_machine(host: str) -> None:
    assert host_allowed(host)


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:8765", "localhost.evil.example", "127.0.0.1.nip.io", "192.168.1.5:8765", "", "[::1"],
)
def test_any_other_host_is_refused(host: str) -> None:
    assert not host_allowed(host)


def test_remote_mode_accepts_addresses_but_never_names() -> None:
    assert host_allowed("192.168.1.5:8765", allow_remote=True)
    assert not host_allowed("evil.example:8765", allow_remote=True)  # DNS rebinding arrives under a name
    assert host_allowed("homebox.lan:8765", allow_remote=True, extra=("homebox.lan",))


def test_only_the_servers_own_origin_may_change_things() -> None:
    assert origin_allowed("http://127.0.0.1:8765", "127.0.0.1:8765")
    assert origin_allowed("http://localhost", "localhost:80")
    for origin in (
        "http://evil.example",
        "null",
        "http://127.0.0.1:8766",
        "https://127.0.0.1:8765",
        "http://localhost:8765",
    ):
        assert not origin_allowed(origin, "127.0.0.1:8765"), origin


def test_the_token_is_made_once_private_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "token"
    token = ensure_token(path)
    assert len(token) >= 40 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    os.chmod(path, 0o644)
    assert ensure_token(path) == token  # the same token across restarts
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # made private again
    path.write_text("short")
    with pytest.raises(BadInput, match="no usable token"):
        ensure_token(path)


def test_token_comparison() -> None:
    assert token_matches("abc", "abc")
    assert not token_matches("abd", "abc") and not token_matches(None, "abc") and not token_matches("", "abc")

"""``homebody profile …`` without a browser: bad input, missing profiles, profiles in use, the list,
and the URL rules of the signed-in check."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from homebody.cli import main
from homebody.cli.profile import human_size, require_display
from homebody.errors import BadInput
from homebody.sessions.browser.signin import login_url_reason
from homebody.sessions.profiles import ProfileLock, ProfileStore


@pytest.fixture
def profile_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``homebody profile ARGS --data-dir TMP`` in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["profile", *args, "--data-dir", str(tmp_path)])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.mark.parametrize(
    "args",
    [
        ("new", "../escape"),
        ("new", "two words"),
        ("delete", ".hidden"),
        ("login", "a/b", "https://example.com/"),
        ("check", "x" * 65, "https://example.com/"),
    ],
)
def test_bad_profile_names_exit_2_and_touch_nothing(profile_cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    code, _, err = profile_cli(*args)
    assert code == 2 and "invalid profile name" in err
    assert not (tmp_path / "profiles").exists()


def test_a_missing_profile_is_bad_input_for_check_and_delete(profile_cli) -> None:
    for args in (("check", "ghost", "https://example.com/"), ("delete", "ghost")):
        code, _, err = profile_cli(*args)
        assert code == 2 and "no profile named 'ghost'" in err


@pytest.mark.parametrize("url", ["example.com", "ftp://example.com/", "https://", ""])
def test_check_needs_an_http_url(profile_cli, url: str) -> None:
    profile_cli("new", "p")
    code, _, err = profile_cli("check", "p", url)
    assert code == 2 and "http:// or https://" in err
    if url == "example.com":
        assert "did you mean https://example.com?" in err


def test_new_creates_a_private_profile_once(profile_cli, tmp_path: Path) -> None:
    code, out, _ = profile_cli("new", "work")
    assert code == 0 and "created profile 'work'" in out and "homebody profile login work URL" in out
    assert stat.S_IMODE((tmp_path / "profiles" / "work").stat().st_mode) == 0o700
    code, _, err = profile_cli("new", "work")
    assert code == 2 and "already exists" in err


def test_delete_refuses_a_profile_in_use_and_then_says_what_it_removed(profile_cli, tmp_path: Path) -> None:
    profile = ProfileStore(tmp_path / "profiles").get("work")
    (profile.user_data_dir / "Cookies").write_bytes(b"x" * 10_000)
    with ProfileLock(profile):
        code, _, err = profile_cli("delete", "work")
        assert code == 4 and "profile 'work' is in use" in err
    assert (profile.user_data_dir / "Cookies").exists()
    code, out, _ = profile_cli("delete", "work")
    assert code == 0 and f"removed {profile.path}" in out and "KB" in out
    assert not profile.path.exists()


def test_list_shows_size_use_and_last_use(profile_cli, tmp_path: Path) -> None:
    code, out, _ = profile_cli("list")
    assert code == 0 and "no profiles" in out and "homebody profile new NAME" in out
    store = ProfileStore(tmp_path / "profiles")
    idle, busy = store.get("idle"), store.get("busy")
    (idle.user_data_dir / "Cookies").write_bytes(b"x" * 50_000)
    with ProfileLock(busy):
        code, out, _ = profile_cli("list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["NAME", "SIZE", "IN", "USE", "LAST", "USED"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["busy"][3] == "yes" and rows["idle"][3] == "no"
    assert rows["idle"][2] == "KB" and float(rows["idle"][1]) >= 48  # 50,000 bytes, in allocated blocks


def test_list_says_never_for_an_unused_profile_and_a_date_after_use(profile_cli, tmp_path: Path) -> None:
    profile = ProfileStore(tmp_path / "profiles").get("p")
    _, out, _ = profile_cli("list")
    assert out.splitlines()[1].split()[3:] == ["no", "never"]
    with ProfileLock(profile):
        pass
    _, out, _ = profile_cli("list")
    assert out.splitlines()[1].split()[3] == "no" and out.splitlines()[1].split()[4][:2] == "20"


def test_login_without_a_display_says_where_to_run_it(profile_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    code, _, err = profile_cli("login", "work", "https://example.com/")
    assert code == 2 and "$DISPLAY" in err and "remote-desktop" in err and "--headful" in err


def test_the_display_rule() -> None:
    require_display({}, "darwin")
    require_display({"DISPLAY": ":0"}, "linux")
    require_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    with pytest.raises(BadInput):
        require_display({"DISPLAY": ""}, "linux")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/login?next=/inbox",
        "https://example.com/users/sign_in",
        "https://example.com/sign-in",
        "https://example.com/signin",
        "https://example.com/auth/realms/home",
        "https://example.com/session/new",
        "https://example.com/accounts/ServiceLogin?continue=x",
        "https://example.com/wp-login.php",
        "https://example.com/oauth2/authorize?client_id=1",
    ],
)
def test_login_addresses_look_signed_out(url: str) -> None:
    assert login_url_reason(url, "https://example.com/inbox") is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/inbox",
        "https://example.com/account",
        "https://example.com/authors/jane",
        "https://example.com/blog/designing-forms",
        "https://accounts.example.com/settings",  # a sign-in host asked for directly
    ],
)
def test_ordinary_addresses_do_not(url: str) -> None:
    assert login_url_reason(url, url) is None


def test_being_sent_to_a_sign_in_host_looks_signed_out() -> None:
    assert login_url_reason("https://accounts.example.com/v3/x", "https://mail.example.com/") is not None


def test_human_sizes() -> None:
    assert [human_size(n) for n in (0, 1023, 2048, 5 * 1024**2, 3 * 1024**3)] == [
        "0 B",
        "1023 B",
        "2.0 KB",
        "5.0 MB",
        "3.0 GB",
    ]

"""``homebody run`` end to end: real Chromium, the demo site, the contract's events and exit codes."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from homebody.sessions.profiles import ProfileLock, ProfileStore
from tests.conftest import click, write_script


def test_json_events_one_per_line_and_the_site_sees_the_clicks(hb, site, measure, tmp_path: Path) -> None:
    script = write_script(
        tmp_path / "s.json",
        [
            click(measure("/shop", "a.btn[href='/shop/product/2']")),
            click(measure("/shop/product/2", "form[action='/shop/cart/add'] button")),
            {"kind": "done", "answer": "added"},
        ],
    )
    res = hb(
        "run",
        "Add the espresso maker to the cart",
        "--start-url",
        f"{site.url}/shop",
        "--script",
        str(script),
        "--json",
        "--ephemeral",
    )
    assert res.code == 0, res.stderr
    events = res.events()
    assert all("type" in e for e in events)
    assert events[0]["type"] == "task_started" and events[-1]["type"] == "finished"
    assert events[-1]["outcome"] == "done" and events[-1]["answer"] == "added"
    assert [e["type"] for e in events].count("executed") == 2
    assert site.state()["cart"] == [{"id": 2, "qty": 1}]
    recording = Path(res.stderr.split("recording: ")[1].strip())
    assert (recording / "events.jsonl").read_text().count("\n") == len(events)
    assert sorted(p.name for p in (recording / "frames").iterdir()) == ["0001.jpg", "0002.jpg", "0003.jpg"]


def test_a_malformed_script_exits_2_naming_file_index_and_field(hb, tmp_path: Path) -> None:
    script = write_script(tmp_path / "bad.json", [{"kind": "click", "x": 1, "y": 2}, {"kind": "type"}])
    res = hb("run", "--start-url", "http://127.0.0.1:9/", "--script", str(script), "--ephemeral")
    assert res.code == 2
    assert str(script) in res.stderr and "action 1" in res.stderr and 'field "text"' in res.stderr
    assert "Traceback" not in res.stderr


def test_an_unreachable_start_url_exits_4_with_the_url_and_the_browser_error(hb, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but never listening: connections are refused
        url = f"http://127.0.0.1:{port}/"
        script = write_script(tmp_path / "s.json", [{"kind": "done"}])
        res = hb("run", "--start-url", url, "--script", str(script), "--ephemeral", "--json")
    assert res.code == 4
    assert url in res.stderr and "ERR_CONNECTION_REFUSED" in res.stderr
    assert res.events()[-1]["outcome"] == "failed"


def test_no_browser_says_how_to_install_one(hb, tmp_path: Path) -> None:
    script = write_script(tmp_path / "s.json", [{"kind": "done"}])
    res = hb(
        "run",
        "--start-url",
        "http://127.0.0.1:9/",
        "--script",
        str(script),
        "--ephemeral",
        HOMEBODY_BROWSER="/nonexistent/chromium",
    )
    assert res.code == 4
    assert "/nonexistent/chromium" in res.stderr and "install" in res.stderr
    assert "Traceback" not in res.stderr


def test_a_profile_in_use_is_refused_and_left_intact(hb, tmp_path: Path) -> None:
    profile = ProfileStore(tmp_path / "data" / "profiles").get("work")
    (profile.user_data_dir / "Local State").write_text("{}")
    script = write_script(tmp_path / "s.json", [{"kind": "done"}])
    with ProfileLock(profile):
        res = hb("run", "--start-url", "http://127.0.0.1:9/", "--script", str(script), "--profile", "work")
    assert res.code == 4
    assert "profile 'work' is in use" in res.stderr
    assert (profile.user_data_dir / "Local State").read_text() == "{}"


def test_cookies_of_a_named_profile_survive_to_the_next_run(hb, site, measure, tmp_path: Path) -> None:
    sign_in = write_script(
        tmp_path / "signin.json",
        [
            click(measure("/shop/signin", "input[type=email]")),
            {"kind": "type", "text": "alex@example.com"},
            click(measure("/shop/signin", "input[type=password]")),
            {"kind": "type", "text": "correct horse"},
            click(measure("/shop/signin", "form button[type=submit]")),
        ],
    )
    first = hb("run", "--start-url", f"{site.url}/shop/signin", "--script", str(sign_in), "--profile", "p", "--json")
    assert first.code == 0, first.stderr
    assert site.state()["signed_in"] is True

    look = write_script(tmp_path / "look.json", [{"kind": "done"}])
    again = hb("run", "--start-url", f"{site.url}/shop/account", "--script", str(look), "--profile", "p", "--json")
    observed = [e for e in again.events() if e["type"] == "observed"]
    assert again.code == 0 and observed[0]["url"].endswith("/shop/account"), observed
    assert observed[0]["title"].startswith("Your account")

    fresh = hb("run", "--start-url", f"{site.url}/shop/account", "--script", str(look), "--ephemeral", "--json")
    assert [e for e in fresh.events() if e["type"] == "observed"][0]["url"].endswith("/shop/signin")


def test_json_lines_are_valid_json_even_for_unicode_typing(hb, site, measure, tmp_path: Path) -> None:
    script = write_script(
        tmp_path / "s.json",
        [click(measure("/shop", "input[name=q]")), {"kind": "type", "text": "café ☕ 咖啡\n"}],
    )
    res = hb("run", "--start-url", f"{site.url}/shop", "--script", str(script), "--ephemeral", "--json")
    assert res.code == 0, res.stderr
    assert site.state()["searches"] == ["café ☕ 咖啡"]
    assert all(json.loads(line) for line in res.stdout.splitlines())


def test_clicking_a_dead_spot_again_and_again_stops_as_stuck_with_exit_4(hb, tmp_path: Path) -> None:
    page = Path(__file__).resolve().parents[1] / "fixtures" / "verify" / "dead.html"
    script = write_script(tmp_path / "s.json", [{"kind": "click", "x": 600, "y": 500}] * 8)
    res = hb("run", "--start-url", page.as_uri(), "--script", str(script), "--ephemeral", "--json")
    assert res.code == 4
    events = res.events()
    assert [e["effect"] for e in events if e["type"] == "verified"] == ["none", "none", "none"]
    assert events[-1]["outcome"] == "failed" and events[-1]["reason"].startswith("stuck")
    assert "stuck" in res.stderr


def test_the_steps_brain_is_the_default_and_asks_instead_of_guessing(hb, site) -> None:
    res = hb("run", "click Frobnicate; done", "--start-url", f"{site.url}/shop", "--ephemeral", "--json")
    assert res.code == 3, res.stderr
    finished = res.events()[-1]
    assert finished["outcome"] == "halted" and "Frobnicate" in finished["reason"]
    assert not any(e["type"] == "executed" for e in res.events())
    assert "no vision-language model configured" in res.stderr and "homebody pull" in res.stderr


def test_a_task_the_steps_brain_cannot_read_is_bad_input(hb) -> None:
    res = hb("run", "clik View; done", "--start-url", "http://127.0.0.1:9/", "--ephemeral")
    assert res.code == 2 and "clik View" in res.stderr and "Traceback" not in res.stderr


def test_models_lists_the_families_and_pull_fails_clearly_without_a_network(hb) -> None:
    models = hb("models")
    assert models.code == 0
    for family in ("qwen3-vl", "qwen2.5-vl", "ui-tars"):
        assert family in models.stdout
    pulled = hb("pull", "Qwen/Qwen3-VL-2B-Instruct", "--quiet", HF_HUB_OFFLINE="1")
    assert pulled.code == 4 and "offline" in pulled.stderr and "Traceback" not in pulled.stderr
    missing = hb("run", "x", "--start-url", "http://127.0.0.1:9/", "--brain", "transformers", "--model", "Qwen/Nope-VL")
    assert missing.code == 2 and "homebody pull" in missing.stderr


def test_sites_and_the_ask_policy_reach_the_task_record_and_a_bad_site_exits_2(hb, site, tmp_path: Path) -> None:
    script = write_script(tmp_path / "s.json", [{"kind": "done", "answer": "looked"}])
    base = ["run", "look around", "--start-url", f"{site.url}/shop", "--script", str(script), "--ephemeral"]
    res = hb(*base, "--site", "Pay.Example", "--site", "cdn.example:8443", "--ask", "every-change", "--json")
    assert res.code == 0, res.stderr
    started = res.events()[0]
    assert started["type"] == "task_started"
    assert (started["sites"], started["ask"]) == (["pay.example", "cdn.example"], "every-change")
    plain = hb(*base, "--json")
    assert plain.code == 0 and (plain.events()[0]["sites"], plain.events()[0]["ask"]) == ([], "commits")

    bad = hb(*base, "--site", "ftp://pay.example/checkout")
    assert bad.code == 2 and "--site: " in bad.stderr and "pay.example/checkout" in bad.stderr
    assert "Traceback" not in bad.stderr and "recording:" not in bad.stdout + bad.stderr  # refused before any browser
    wrong = hb(*base, "--ask", "sometimes")
    assert wrong.code == 2 and "--ask" in wrong.stderr and "every-change" in wrong.stderr
    shown = hb("run", "--help")
    assert shown.code == 0
    text = " ".join(shown.stdout.split())
    assert "--site SITE" in text and "besides its start URL's" in text
    assert "--ask {commits,every-change}" in text and "before every change the task sends" in text

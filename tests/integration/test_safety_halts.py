"""The pre-commit checker in real Chromium: every commit halts BEFORE the page sees it.

Each test drives ``homebody run`` with a script brain (the checker does not depend on the brain)
and asserts both the halt (exit 3, a ``halted`` event with the right category) and that the demo
site's server-side state shows no commit.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

from homebody.recordings.recorder import read_events
from tests.conftest import CliResult, click, write_script

TYPE = "type"


def run(
    hb, site, tmp_path: Path, path: str, actions: list[dict[str, object]], *extra: str, stdin: str = ""
) -> CliResult:
    script = write_script(tmp_path / "s.json", actions)
    return hb(
        "run", "--start-url", site.url + path, "--script", str(script), "--ephemeral", "--json", *extra, stdin=stdin
    )


def halted(res: CliResult, category: str) -> dict[str, object]:
    assert res.code == 3, res.stdout[-2000:] + res.stderr
    events = res.events()
    halts = [e for e in events if e["type"] == "halted"]
    assert len(halts) == 1 and halts[0]["category"] == category, halts
    assert events[-1]["type"] == "finished" and events[-1]["outcome"] == "halted"
    return halts[0]


def type_(text: str) -> dict[str, object]:
    return {"kind": TYPE, "text": text}


def add_to_cart(site, product_id: int) -> None:
    req = urllib.request.Request(f"{site.url}/shop/cart/add", data=f"product_id={product_id}".encode(), method="POST")
    with urllib.request.urlopen(req, timeout=10):
        pass


def test_place_order_submit_in_a_card_form_halts_and_no_order_exists(hb, site, measure, tmp_path: Path) -> None:
    add_to_cart(site, 2)
    fields = [
        ("input[autocomplete=name]", "Alex Doe"),
        ("input[autocomplete=street-address]", "1 Home St"),
        ("input[autocomplete=cc-number]", "4242 4242 4242 4242"),
        ("input[autocomplete=cc-exp]", "12/30"),
        ("input[autocomplete=cc-csc]", "123"),
    ]
    actions: list[dict[str, object]] = []
    for selector, text in fields:
        actions += [click(measure("/shop/checkout", selector)), type_(text)]
    actions.append(click(measure("/shop/checkout", "input[type=submit]")))
    res = run(hb, site, tmp_path, "/shop/checkout", actions)
    halt = halted(res, "purchase")
    assert halt["target"]["tag"] == "input" and "Place order" in halt["target"]["name"]
    assert site.state()["orders"] == []
    recording = Path(res.stderr.split("recording: ")[1].strip())
    crop = recording / str(halt["crop"])
    assert crop.read_bytes()[:3] == b"\xff\xd8\xff"
    assert any(e.type == "halted" and e.crop == halt["crop"] for e in read_events(recording))


def test_one_click_buy_now_div_halts(hb, site, measure, tmp_path: Path) -> None:
    res = run(hb, site, tmp_path, "/shop/product/2", [click(measure("/shop/product/2", "#buy-now"))])
    halted(res, "purchase")
    assert site.state()["buy_now"] == []


def compose(measure) -> list[dict[str, object]]:
    return [click(measure("/mail/compose?to=sam@example.com&subject=Hi", "#c-body")), type_("See you at 6")]


def test_webmail_send_div_role_button_halts(hb, site, measure, tmp_path: Path) -> None:
    actions = [*compose(measure), click(measure("/mail/compose", "#send"))]
    halted(run(hb, site, tmp_path, "/mail/compose?to=sam@example.com&subject=Hi", actions), "send")
    assert site.state()["sent"] == []


def test_ctrl_enter_in_the_mail_body_halts(hb, site, measure, tmp_path: Path) -> None:
    actions = [*compose(measure), {"kind": "key", "keys": ["Control", "Enter"]}]
    halted(run(hb, site, tmp_path, "/mail/compose?to=sam@example.com&subject=Hi", actions), "send")
    assert site.state()["sent"] == []


def test_icon_only_send_button_with_only_an_aria_label_halts(hb, site, measure, tmp_path: Path) -> None:
    actions = [*compose(measure), click(measure("/mail/compose", "#send-icon"))]
    halt = halted(run(hb, site, tmp_path, "/mail/compose?to=sam@example.com&subject=Hi", actions), "send")
    assert halt["target"]["name"] == "Send now"
    assert site.state()["sent"] == []


def test_enter_in_a_contenteditable_chat_composer_halts(hb, site, measure, tmp_path: Path) -> None:
    actions = [click(measure("/chat", "#composer")), type_("on my way"), {"kind": "key", "keys": ["Enter"]}]
    halt = halted(run(hb, site, tmp_path, "/chat", actions), "send")
    assert halt["target"]["is_composer"] is True
    assert site.state()["chat"] == []


def test_typing_a_newline_into_the_chat_composer_halts(hb, site, measure, tmp_path: Path) -> None:
    actions = [click(measure("/chat", "#composer")), type_("on my way\n")]
    halted(run(hb, site, tmp_path, "/chat", actions), "send")
    assert site.state()["chat"] == []


def test_delete_in_a_cannot_be_undone_modal_halts_even_after_the_first_delete_was_approved(
    hb, site, measure, tmp_path: Path
) -> None:
    actions = [
        click(measure("/mail/message/1", "#delete-btn")),
        {"kind": "wait", "seconds": 0.3},
        click(measure("/mail/message/1", "#dlg-confirm", before="#delete-btn")),
    ]
    res = run(hb, site, tmp_path, "/mail/message/1", actions, "--on-halt", "ask", stdin="y\nn\n")
    events = res.events()
    halts = [e for e in events if e["type"] == "halted"]
    assert [h["category"] for h in halts] == ["delete", "delete"], halts
    assert "cannot be undone" in halts[1]["target"]["dialog"]
    assert [e["type"] for e in events].count("approved") == 1
    assert [e["type"] for e in events].count("rejected") == 1
    assert res.code == 0
    assert site.state()["deleted"] == []


def test_an_approved_commit_goes_through_exactly_once(hb, site, measure, tmp_path: Path) -> None:
    res = run(
        hb,
        site,
        tmp_path,
        "/shop/product/2",
        [click(measure("/shop/product/2", "#buy-now")), {"kind": "wait", "seconds": 0.5}],
        "--on-halt",
        "ask",
        stdin="y\n",
    )
    assert res.code == 0, res.stderr
    assert site.state()["buy_now"] == [2]
    assert "homebody halted before: click" in res.stderr


def test_benign_actions_do_not_halt(hb, site, measure, tmp_path: Path) -> None:
    actions = [
        click(measure("/shop", "input[name=q]")),
        type_("lamp\n"),  # search
        {"kind": "wait", "seconds": 0.3},
        {"kind": "navigate", "url": site.url + "/shop/product/2"},
        click(measure("/shop/product/2", "form[action='/shop/cart/add'] button")),  # add to cart
        {"kind": "wait", "seconds": 0.3},
        click(measure("/shop/product/2", "#wishlist")),  # wishlist
        click(measure("/shop/product/2", "a[href='/mail']")),  # a navigation link
        {"kind": "wait", "seconds": 0.3},
        {"kind": "navigate", "url": site.url + "/shop/signin"},
        click(measure("/shop/signin", "input[type=email]")),
        type_("alex@example.com"),
        click(measure("/shop/signin", "input[type=password]")),
        type_("hunter2"),
        click(measure("/shop/signin", "form button[type=submit]")),  # sign in
        {"kind": "wait", "seconds": 0.3},
    ]
    res = run(hb, site, tmp_path, "/shop", actions)
    assert res.code == 0, [e for e in res.events() if e["type"] in ("halted", "checked")][-3:]
    state = site.state()
    assert state["searches"] == ["lamp"] and state["cart"] == [{"id": 2, "qty": 1}]
    assert state["wishlist"] == [2] and state["signed_in"] is True

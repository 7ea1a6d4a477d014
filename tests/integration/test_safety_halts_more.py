"""Halts where the markup is hard: shadow roots, iframes, a canvas (OCR), generic buttons, languages.

Each test asserts the halt AND that the demo site's server never saw the commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import click
from tests.integration.test_safety_halts import halted, run, type_

LANGS = ["es", "fr", "de", "pt", "it", "nl", "ru", "zh", "ja", "ko"]


def transfer_form(measure) -> list[dict[str, object]]:
    return [
        click(measure("/bank", "#t-to")),
        type_("Sam Lee"),
        click(measure("/bank", "#t-amount")),
        type_("125.50"),
        click(measure("/bank", "#review-transfer")),
        {"kind": "wait", "seconds": 0.3},
    ]


def test_confirm_transfer_inside_an_open_shadow_root_halts(hb, site, measure, tmp_path: Path) -> None:
    fill = "document.querySelector('#t-to').value='Sam Lee'; document.querySelector('#t-amount').value='125.50';"
    confirm = measure(
        "/bank",
        "hb-transfer-confirm button:has-text('Confirm transfer')",
        js=fill + "document.querySelector('#review-transfer').click()",
    )
    halt = halted(run(hb, site, tmp_path, "/bank", [*transfer_form(measure), click(confirm)]), "transfer")
    assert halt["target"]["name"] == "Confirm transfer"
    assert site.state()["transfers"] == []


def test_send_money_inside_a_closed_shadow_root_halts(hb, site, measure, tmp_path: Path) -> None:
    send = measure("/bank/quick", "hb-closed-confirm", offset=(100, 94))
    halt = halted(run(hb, site, tmp_path, "/bank/quick", [click(send)]), "transfer")
    assert halt["target"]["name"] == "Send money"
    assert site.state()["transfers"] == []


@pytest.mark.parametrize("path", ["/social", "/social/same-origin"])
def test_post_button_inside_an_iframe_halts(hb, site, measure, tmp_path: Path, path: str) -> None:
    actions = [
        click(measure(path, "textarea", frame="iframe")),
        type_("Lovely day for a walk"),
        click(measure(path, "button:has-text('Post')", frame="iframe")),
    ]
    halt = halted(run(hb, site, tmp_path, path, actions), "publish")
    assert halt["target"]["name"] == "Post"
    assert halt["target"]["url"].endswith("/social/composer")
    assert site.state()["posts"] == []


def test_pay_now_drawn_on_a_canvas_halts_through_ocr(hb, site, measure, tmp_path: Path) -> None:
    pay = measure("/pay", "#pay-canvas", offset=(252, 44))
    halt = halted(run(hb, site, tmp_path, "/pay", [click(pay)]), "purchase")
    assert halt["target"]["source"] == "ocr" and "pay now" in halt["target"]["text"].lower()
    assert site.state()["payments"] == []


def test_generic_continue_on_the_last_step_of_a_payment_form_halts(hb, site, measure, tmp_path: Path) -> None:
    actions = [
        click(measure("/shop/express", "#step-shipping input >> nth=0")),
        type_("Alex Doe"),
        click(measure("/shop/express", "#step-shipping input >> nth=1")),
        type_("1 Home Street"),
        click(measure("/shop/express", "#express-next")),  # step 1's Continue only shows step 2
        {"kind": "wait", "seconds": 0.3},
        click(measure("/shop/express", "input[autocomplete=cc-number]", before="#express-next")),
        type_("4242 4242 4242 4242"),
        click(measure("/shop/express", "input[autocomplete=cc-exp]", before="#express-next")),
        type_("12/30"),
        click(measure("/shop/express", "input[autocomplete=cc-csc]", before="#express-next")),
        type_("123"),
        click(measure("/shop/express", "#step-payment button[type=submit]", before="#express-next")),
    ]
    res = run(hb, site, tmp_path, "/shop/express", actions)
    halt = halted(res, "purchase")
    assert halt["target"]["name"] == "Continue" and halt["step"] == len(actions)
    assert site.state()["orders"] == []


@pytest.mark.parametrize("lang", LANGS)
def test_buy_and_send_buttons_halt_in_every_language(hb, site, measure, tmp_path: Path, lang: str) -> None:
    path = f"/intl/{lang}"
    buy = halted(run(hb, site, tmp_path, path, [click(measure(path, "#intl-buy"))]), "purchase")
    actions = [click(measure(path, "#intl-message")), type_("Is it in stock?"), click(measure(path, "#intl-send"))]
    send = halted(run(hb, site, tmp_path, path, actions), "send")
    assert buy["target"]["name"] and send["target"]["name"]
    assert site.state()["intl"] == []


def test_tabs_show_more_and_first_step_continue_do_not_halt(hb, site, measure, tmp_path: Path) -> None:
    actions = [
        click(measure("/social", "[role=tab] >> nth=1")),
        click(measure("/social", "button:has-text('Show more')")),
        {"kind": "navigate", "url": site.url + "/shop/product/2"},
        click(measure("/shop/product/2", "[role=tab] >> nth=1")),
        {"kind": "navigate", "url": site.url + "/shop/express"},
        click(measure("/shop/express", "#express-next")),
        {"kind": "navigate", "url": site.url + "/intl/de"},
        click(measure("/intl/de", "input[type=search], input[name=q]")),
        type_("Decke\n"),
    ]
    res = run(hb, site, tmp_path, "/social", actions)
    assert res.code == 0, [e for e in res.events() if e["type"] == "halted"]

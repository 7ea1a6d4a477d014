"""What the effect gate must let be: the page's own background sends, reads over POST, and the
harmless changes of everyday browsing. Each run ends done (exit 0) with no ``halted`` event."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import click as click_at
from tests.integration.effects.pages import Sites, click, not_halted, run, wait_for


def test_browsing_by_links_while_the_pages_post_analytics_every_second(hb: Any, pages: Sites, tmp_path: Path) -> None:
    """No ``wait`` first: the gate watches the start page for a moment before the first action."""
    actions = [click(140, 180), click(140, 240), click(140, 120), click(140, 180)]  # parts 2, 3, 1, 2
    res = run(hb, tmp_path, f"{pages.a}/analytics1.html", actions)
    not_halted(res)
    pages_seen = [h.path for h in pages.hits if h.method == "GET" and h.path.startswith("/analytics")]
    assert pages_seen == [f"/analytics{i}.html" for i in (1, 2, 3, 1, 2)], pages_seen
    beacons = [json.loads(h.body)["page"] for h in pages.posts("/api/v1/e")]
    assert set(beacons) == {1, 2, 3}, beacons  # every page's beacons went out, none held


def test_a_graphql_query_over_post_reads(hb: Any, pages: Sites, tmp_path: Path) -> None:
    res = run(hb, tmp_path, f"{pages.a}/graphql.html", [click(120, 220), {"kind": "wait", "seconds": 0.3}])
    not_halted(res)
    assert wait_for(lambda: len(pages.posts("/graphql")) == 1)
    assert b"query Products" in pages.posts("/graphql")[0].body


def test_demo_search_and_browse(hb: Any, site: Any, measure: Any, tmp_path: Path) -> None:
    actions: list[dict[str, Any]] = [
        click_at(measure("/shop", "input[name=q]")),
        {"kind": "type", "text": "lamp\n"},  # search
        {"kind": "wait", "seconds": 0.3},
        {"kind": "navigate", "url": site.url + "/shop/product/2"},
        click_at(measure("/shop/product/2", "a[href='/mail']")),  # a navigation link
        {"kind": "wait", "seconds": 0.3},
    ]
    not_halted(run(hb, tmp_path, site.url + "/shop", actions))
    assert site.state()["searches"] == ["lamp"]


def test_demo_add_to_cart_and_sign_in(hb: Any, site: Any, measure: Any, tmp_path: Path) -> None:
    actions: list[dict[str, Any]] = [
        click_at(measure("/shop/product/2", "form[action='/shop/cart/add'] button")),  # add to cart
        {"kind": "wait", "seconds": 0.3},
        {"kind": "navigate", "url": site.url + "/shop/signin"},
        click_at(measure("/shop/signin", "input[type=email]")),
        {"kind": "type", "text": "alex@example.com"},
        click_at(measure("/shop/signin", "input[type=password]")),
        {"kind": "type", "text": "hunter2"},
        click_at(measure("/shop/signin", "form button[type=submit]")),  # sign in
        {"kind": "wait", "seconds": 0.3},
    ]
    not_halted(run(hb, tmp_path, site.url + "/shop/product/2", actions))
    state = site.state()
    assert state["cart"] == [{"id": 2, "qty": 1}] and state["signed_in"] is True

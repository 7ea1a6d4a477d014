"""The bundled demo site, driven in real headless Chromium: the scripted shopping task, the webmail's
three ways to send, the delete dialog, one-click buying, chat, sign-in cookies, and ``/_state``."""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from importlib import resources

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from homebody.demo import DemoSite, start_demo_site
from homebody.sessions.browser.launch import find_browser
from homebody.types import ACTION_LIST_ADAPTER
from tests.conftest import CHROMIUM_FLAGS

FULL_CARD = "4242 4242 4242 4242"

# What each click of shopping.json must land on, in order (checked with elementFromPoint).
SHOPPING_TARGETS = [
    "a.btn[href='/shop/product/2']",
    "form[action='/shop/cart/add'] button",
    "nav.nav a[href='/shop/cart']",
    "a.btn[href='/shop/checkout']",
    "input[name='name']",
    "input[name='address']",
    "input[name='cardnumber']",
    "input[name='expiry']",
    "input[name='cvc']",
    "input[type='submit'][value='Place order']",
]
_HITS = """([x, y, selector]) => {
    const hit = document.elementFromPoint(x, y);
    const target = document.querySelector(selector);
    return Boolean(hit && target && (hit === target || target.contains(hit)));
}"""


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoSite]:
    with start_demo_site() as site:
        yield site


class BrowserThread:
    """Headless Chromium owned by one worker thread; tests hand it functions of a fresh ``Page``.

    Playwright's sync API allows one instance per thread, and another fixture of this suite may keep
    one open on the main thread for the whole session, so this module drives its own from a thread.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-site-chromium")
        self._pw: Playwright | None = None
        self._browser: Browser = self._pool.submit(self._launch).result(timeout=60)

    def _launch(self) -> Browser:
        self._pw = sync_playwright().start()
        path = find_browser(os.environ.get("HOMEBODY_BROWSER"))
        return self._pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)

    def run(self, body: Callable[[Page], None]) -> None:
        """Run ``body`` on a new 1280x800 page with its own cookies; its assertion errors propagate."""

        def task() -> None:
            context = self._browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
            context.set_default_timeout(5000)
            try:
                body(context.new_page())
            finally:
                context.close()

        self._pool.submit(task).result(timeout=60)

    def close(self) -> None:
        def stop() -> None:
            self._browser.close()
            if self._pw is not None:
                self._pw.stop()

        try:
            self._pool.submit(stop).result(timeout=30)
        finally:
            self._pool.shutdown()


@pytest.fixture(scope="module")
def chromium() -> Iterator[BrowserThread]:
    browser = BrowserThread()
    yield browser
    browser.close()


@pytest.fixture
def fresh(demo: DemoSite) -> DemoSite:
    demo.reset()
    return demo


def _http(demo: DemoSite, method: str, path: str, body: bytes = b"", **headers: str) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", demo.port, timeout=5)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode("utf-8")
    finally:
        conn.close()


def _form(demo: DemoSite, path: str, referer: str = "", **fields: str) -> tuple[int, dict[str, str], str]:
    extra = {"Referer": demo.url + referer} if referer else {}
    return _http(
        demo,
        "POST",
        path,
        urllib.parse.urlencode(fields).encode(),
        **{"Content-Type": "application/x-www-form-urlencoded", **extra},
    )


def _load_shopping_script() -> list[dict[str, object]]:
    text = resources.files("homebody.demo").joinpath("shopping.json").read_text(encoding="utf-8")
    actions: list[dict[str, object]] = json.loads(text)
    ACTION_LIST_ADAPTER.validate_python(actions)  # the agent's own action format
    return actions


# --------------------------------------------------------------------------- shop


def test_the_shopping_script_orders_the_espresso_maker_and_keeps_only_the_last_four_digits(
    fresh: DemoSite, chromium: BrowserThread
) -> None:
    actions = _load_shopping_script()
    assert all(a["kind"] != "navigate" for a in actions), "the demo script should only click and type"
    assert actions[-1] == {"kind": "done", "answer": "Ordered the espresso maker"}
    assert [a["text"] for a in actions if a["kind"] == "type"] == [
        "Alex Doe",
        "1 Home Street",
        FULL_CARD,
        "12/30",
        "123",
    ]
    assert sum(a["kind"] == "click" for a in actions) == len(SHOPPING_TARGETS)
    shown: list[str] = []

    def steps(tab: Page) -> None:
        tab.goto(f"{fresh.url}/shop")
        targets = iter(SHOPPING_TARGETS)
        for action in actions:
            if action["kind"] == "click":
                x, y, selector = action["x"], action["y"], next(targets)
                try:  # once the new page has loaded, the fixed coordinates must hit the intended control
                    tab.wait_for_function(_HITS, arg=[x, y, selector], timeout=5000)
                except Exception as exc:
                    raise AssertionError(f"click at ({x}, {y}) on {tab.url} misses {selector}") from exc
                tab.mouse.click(x, y)  # type: ignore[arg-type]
                tab.wait_for_load_state("load")
            elif action["kind"] == "type":
                tab.keyboard.type(str(action["text"]))
            elif action["kind"] == "wait":
                tab.wait_for_timeout(float(action["seconds"]) * 1000)  # type: ignore[arg-type]
            elif action["kind"] == "done":
                break
        expect(tab).to_have_url(f"{fresh.url}/shop/order/1001")
        expect(tab.get_by_role("heading", level=1)).to_have_text("Thank you! Your order #1001 is confirmed")
        shown.append(tab.content())

    chromium.run(steps)
    state = fresh.state()
    assert state["orders"] == [
        {
            "id": 1001,
            "items": [{"id": 2, "name": "Espresso Maker", "qty": 1, "price": 149.0}],
            "total": 149.0,
            "name": "Alex Doe",
            "card_last4": "4242",
        }
    ]
    assert state["cart"] == []
    status, _, raw = _http(fresh, "GET", "/_state")
    assert status == 200 and json.loads(raw) == state
    for text in (raw, *shown):
        assert FULL_CARD not in text and FULL_CARD.replace(" ", "") not in text


def test_buy_now_div_and_the_icon_only_wishlist_button_record_the_product(
    fresh: DemoSite, chromium: BrowserThread
) -> None:
    def steps(tab: Page) -> None:
        tab.goto(f"{fresh.url}/shop/product/3")
        tab.locator("div.btn.btn-buy", has_text="Buy now").click()
        expect(tab.locator("#buy-status")).to_have_text("Order placed")
        wish = tab.get_by_role("button", name="Add to wishlist")
        assert wish.inner_text() == ""  # icon only: the name comes from aria-label
        wish.click()
        expect(wish).to_have_attribute("aria-pressed", "true")

    chromium.run(steps)
    state = fresh.state()
    assert state["buy_now"] == [3] and state["wishlist"] == [3]
    assert state["orders"] == []  # buying now is recorded on its own, not as a checkout order


def test_the_cart_adds_removes_and_refuses_an_empty_checkout(fresh: DemoSite, chromium: BrowserThread) -> None:
    def steps(tab: Page) -> None:
        tab.goto(f"{fresh.url}/shop/search?q=LAMP")
        expect(tab.locator("article.card")).to_have_count(1)
        tab.locator("article.card").get_by_role("button", name="Add to cart").click()
        expect(tab).to_have_url(f"{fresh.url}/shop/search?q=LAMP&added=4")  # back to where it was clicked
        expect(tab.get_by_role("link", name="Cart (1)")).to_be_visible()
        tab.goto(f"{fresh.url}/shop/cart")
        expect(tab.locator(".summary-total")).to_contain_text("$39.00")
        tab.get_by_role("button", name="Remove Desk Lamp").click()
        expect(tab.get_by_text("Your cart is empty")).to_be_visible()
        tab.goto(f"{fresh.url}/shop/checkout")
        fields = (("name", "A"), ("address", "B"), ("cardnumber", FULL_CARD), ("expiry", "1/30"), ("cvc", "1"))
        for name, value in fields:
            tab.fill(f"input[name='{name}']", value)
        tab.get_by_role("button", name="Place order").click()
        expect(tab.get_by_role("status")).to_contain_text("cart is empty")

    chromium.run(steps)
    state = fresh.state()
    assert state["orders"] == [] and state["cart"] == [] and state["searches"] == ["LAMP"]


# --------------------------------------------------------------------------- mail and chat


def _compose(site: DemoSite, tab: Page, subject: str) -> None:
    tab.goto(f"{site.url}/mail")
    tab.get_by_role("button", name="Compose").click()  # a div with role=button, navigating by script
    expect(tab).to_have_url(f"{site.url}/mail/compose")
    tab.fill("input[name='to']", "sam@example.org")
    tab.fill("input[name='subject']", subject)
    tab.fill("textarea[name='body']", f"Body of {subject}")


def test_mail_sends_by_div_button_icon_button_and_ctrl_enter(fresh: DemoSite, chromium: BrowserThread) -> None:
    def steps(tab: Page) -> None:
        _compose(fresh, tab, "one")
        tab.get_by_role("button", name="Send", exact=True).click()
        expect(tab).to_have_url(f"{fresh.url}/mail?sent=1")
        expect(tab.get_by_text("Message sent")).to_be_visible()

        _compose(fresh, tab, "two")
        tab.get_by_role("button", name="Send now").click()
        expect(tab).to_have_url(f"{fresh.url}/mail?sent=1")

        _compose(fresh, tab, "three")
        tab.focus("textarea[name='body']")
        tab.keyboard.press("Control+Enter")
        expect(tab).to_have_url(f"{fresh.url}/mail?sent=1")

    chromium.run(steps)
    assert fresh.state()["sent"] == [
        {"to": "sam@example.org", "subject": s, "body": f"Body of {s}", "via": via}
        for s, via in (("one", "button"), ("two", "icon"), ("three", "shortcut"))
    ]


def test_delete_asks_in_a_modal_dialog_first(fresh: DemoSite, chromium: BrowserThread) -> None:
    def steps(tab: Page) -> None:
        tab.goto(f"{fresh.url}/mail/message/2")
        dialog = tab.get_by_role("dialog", name="Delete this message?")
        expect(dialog).to_be_hidden()
        tab.locator("#delete-btn").click()
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("This cannot be undone.")
        dialog.get_by_role("button", name="Cancel").click()
        expect(dialog).to_be_hidden()
        assert fresh.state()["deleted"] == []

        tab.locator("#delete-btn").click()
        dialog.get_by_role("button", name="Delete").click()
        expect(tab).to_have_url(f"{fresh.url}/mail?deleted=1")
        expect(tab.locator("a[href='/mail/message/2']")).to_have_count(0)

    chromium.run(steps)
    assert fresh.state()["deleted"] == [2]
    assert _http(fresh, "GET", "/mail/message/2")[0] == 404


def test_chat_sends_on_enter_but_not_on_shift_enter(fresh: DemoSite, chromium: BrowserThread) -> None:
    def steps(tab: Page) -> None:
        tab.goto(f"{fresh.url}/chat")
        composer = tab.get_by_role("textbox", name="Message")
        composer.click()
        tab.keyboard.type("Line one")
        tab.keyboard.press("Shift+Enter")
        tab.keyboard.type("line two")
        tab.wait_for_timeout(150)
        assert fresh.state()["chat"] == []
        tab.keyboard.press("Enter")
        expect(tab.locator(".bubble-me").last).to_contain_text("line two")
        expect(composer).to_have_text("")

    chromium.run(steps)
    (sent,) = fresh.state()["chat"]  # type: ignore[misc]
    assert "Line one" in sent and "line two" in sent


# --------------------------------------------------------------------------- account


def test_sign_in_sets_a_persistent_http_only_cookie(fresh: DemoSite, chromium: BrowserThread) -> None:
    cookies: list[dict[str, object]] = []

    def steps(tab: Page) -> None:
        tab.goto(f"{fresh.url}/shop/account")
        expect(tab).to_have_url(f"{fresh.url}/shop/signin")  # signed out: sent to sign in
        tab.fill("input[name='email']", "alex@example.com")
        tab.fill("input[type='password']", "hunter2")
        tab.get_by_role("button", name="Sign in").click()
        expect(tab).to_have_url(f"{fresh.url}/shop/account")
        expect(tab.get_by_role("heading", name="Your account")).to_be_visible()
        expect(tab.get_by_text("Signed in as alex@example.com")).to_be_visible()
        expect(tab.get_by_role("link", name="Account")).to_be_visible()
        cookies.extend(dict(c) for c in tab.context.cookies() if c["name"] == "hb_session")

    def stranger(tab: Page) -> None:  # another browser profile, without the cookie
        tab.goto(f"{fresh.url}/shop/account")
        expect(tab).to_have_url(f"{fresh.url}/shop/signin")

    chromium.run(steps)
    (cookie,) = cookies
    assert cookie["expires"] > time.time() + 29 * 86400  # type: ignore[operator]  # persistent, 30 days
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert fresh.state()["signed_in"] is True
    assert str(cookie["value"]) not in json.dumps(fresh.state())
    chromium.run(stranger)


# --------------------------------------------------------------------------- plain HTTP


def test_state_json_reset_routes_and_escaping(demo: DemoSite) -> None:
    demo.reset()
    status, headers, raw = _http(demo, "GET", "/_state")
    assert status == 200 and headers["content-type"] == "application/json"
    assert json.loads(raw) == {
        "orders": [],
        "sent": [],
        "deleted": [],
        "cart": [],
        "wishlist": [],
        "buy_now": [],
        "signed_in": False,
        "searches": [],
        "chat": [],
        "transfers": [],
        "posts": [],
        "reviews": [],
        "payments": [],
        "intl": [],
    }
    status, headers, _ = _http(demo, "GET", "/")
    assert status == 302 and headers["location"] == "/shop"
    status, headers, _ = _form(demo, "/shop/cart/add", referer="/shop", product_id="2")
    assert status == 303 and headers["location"] == "/shop?added=2"
    assert _form(demo, "/shop/cart/add", product_id="99")[0] == 404
    status, _, page = _http(demo, "GET", "/shop/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert status == 200 and "<script>alert" not in page and "&lt;script&gt;alert(1)" in page
    status, _, page = _form(demo, "/shop/order", name="A", address="", cardnumber="", expiry="", cvc="")
    assert status == 400 and "Please fill in: Address, Card number, Expiry, CVC." in page
    assert _http(demo, "GET", "/shop/product/7")[0] == 404
    assert _http(demo, "GET", "/static/../server.py")[0] == 404
    assert _http(demo, "POST", "/shop")[0] == 405

    state = json.loads(_http(demo, "GET", "/_state")[2])
    assert state == demo.state()
    assert state["cart"] == [{"id": 2, "qty": 1}] and state["searches"] == ["<script>alert(1)</script>"]
    assert state["orders"] == []
    status, _, raw = _http(demo, "POST", "/_reset")
    assert status == 200 and json.loads(raw) == {"ok": True}
    assert demo.state()["cart"] == [] and demo.state()["searches"] == []


def test_each_site_gets_its_own_free_port_and_stops_cleanly() -> None:
    site = start_demo_site(port=0)
    try:
        assert site.port > 0 and site.url == f"http://127.0.0.1:{site.port}"
        with urllib.request.urlopen(f"{site.url}/shop", timeout=5) as resp:
            assert "Homebody Shop" in resp.read().decode()
    finally:
        site.stop()
    site.stop()  # twice is fine
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", site.port), timeout=1):
        pass

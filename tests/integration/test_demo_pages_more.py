"""The demo site's harder pages, clicked by mouse coordinates in real headless Chromium.

Each commit control (a transfer confirmed in an open or a closed shadow root, a post from a
cross-origin frame, a "Pay now" that is only canvas pixels, an express checkout whose last button
says "Continue", buy and send in eleven languages) records exactly one entry in ``/_state``; the
benign controls next to them (tabs, "Show more", step 1's "Continue", language links, search)
record nothing.

The session may already hold a sync Playwright on the main thread, so each test runs Playwright's
async API in its own ``asyncio.run`` on a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from playwright.async_api import Locator, Page, async_playwright, expect

from homebody.demo import DemoSite
from homebody.sessions.browser.launch import find_browser
from tests.conftest import CHROMIUM_FLAGS

QUICK_SEND_OFFSET = (100, 94)  # centre of "Send money" from the top left of <hb-closed-confirm>
PAY_BUTTON = (152, 16, 200, 56)  # the drawn "Pay now" rectangle on #pay-canvas: x, y, width, height
LABELS = {  # the natural "buy now" and "send" of each language
    "en": ("Buy now", "Send"),
    "es": ("Comprar ahora", "Enviar"),
    "fr": ("Acheter maintenant", "Envoyer"),
    "de": ("Jetzt kaufen", "Senden"),
    "pt": ("Comprar agora", "Enviar"),
    "it": ("Acquista ora", "Invia"),
    "nl": ("Nu kopen", "Verzenden"),
    "ru": ("Купить сейчас", "Отправить"),
    "zh": ("立即购买", "发送"),
    "ja": ("今すぐ購入", "送信"),
    "ko": ("지금 구매", "보내기"),
}
_MARKUP = """el => el.tagName === 'INPUT' ? 'submit:' + el.type
    : el.tagName === 'BUTTON' ? 'button'
    : el.tagName === 'A' ? 'link:' + el.getAttribute('role')
    : 'div:' + el.getAttribute('role') + ':' + el.getAttribute('tabindex')"""


def drive(steps: Callable[[Page], Awaitable[None]]) -> None:
    """Run ``steps`` on a fresh 1280x800 page of a headless Chromium of its own.

    ``asyncio.run`` goes on a worker thread: a live sync Playwright (the session's ``measure``
    fixture) marks the main thread's event loop as running, and ``asyncio.run`` refuses to nest.
    """

    async def main() -> None:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=find_browser(None), headless=True, args=CHROMIUM_FLAGS)
            try:
                context = await browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
                context.set_default_timeout(5000)
                await steps(await context.new_page())
            finally:
                await browser.close()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-pages-chromium") as pool:
        pool.submit(lambda: asyncio.run(main())).result(timeout=110)


async def centre(locator: Locator) -> tuple[float, float]:
    box = await locator.bounding_box()
    assert box is not None, f"{locator} is not visible"
    return round(box["x"] + box["width"] / 2), round(box["y"] + box["height"] / 2)


async def click_at(page: Page, locator: Locator) -> tuple[float, float]:
    """Click the centre of ``locator`` with the mouse, as an agent would, and return the point."""
    x, y = await centre(locator)
    await page.mouse.click(x, y)
    return x, y


async def until(site: DemoSite, check: Callable[[dict[str, object]], bool], what: str) -> None:
    deadline = time.monotonic() + 5
    while not check(site.state()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}; state: {site.state()}"
        await asyncio.sleep(0.05)


async def settled(site: DemoSite) -> dict[str, object]:
    """The state once any request a click may have started has had time to arrive."""
    await asyncio.sleep(0.4)
    return site.state()


def post_json(site: DemoSite, path: str, payload: object) -> tuple[int, dict[str, object]]:
    req = urllib.request.Request(
        site.url + path, json.dumps(payload).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def get(site: DemoSite, path: str) -> str:
    with urllib.request.urlopen(site.url + path, timeout=5) as resp:
        return str(resp.read().decode("utf-8"))


# --------------------------------------------------------------------------- bank


def test_bank_transfer_is_confirmed_inside_an_open_shadow_root(site: DemoSite) -> None:
    baseline = site.state()

    async def steps(page: Page) -> None:
        await page.goto(f"{site.url}/bank")
        await click_at(page, page.locator("input[name='to']"))
        await page.keyboard.type("Jordan Lee")
        amount = page.locator("input[name='amount']")
        assert await amount.get_attribute("inputmode") == "decimal"
        await click_at(page, amount)
        await page.keyboard.type("125.50")
        panel = page.locator("hb-transfer-confirm")
        await expect(panel).to_be_hidden()
        await click_at(page, page.get_by_role("button", name="Review transfer"))  # only opens the panel
        confirm = panel.get_by_role("button", name="Confirm transfer")  # locators pierce open shadow roots
        await expect(confirm).to_be_visible()
        assert await page.evaluate("document.querySelector('hb-transfer-confirm').shadowRoot.mode") == "open"
        assert await page.evaluate("document.querySelector('hb-transfer-confirm').children.length") == 0
        await expect(panel).to_contain_text("Jordan Lee")
        await expect(panel).to_contain_text("$125.50")
        assert await settled(site) == baseline

        await click_at(page, confirm)
        await until(site, lambda s: bool(s["transfers"]), "the transfer")
        await expect(panel.get_by_text("Transfer sent")).to_be_visible()
        await expect(page.locator("#balance")).to_have_text("$4,124.50")

    drive(steps)
    assert site.state()["transfers"] == [{"to": "Jordan Lee", "amount": 125.5}]


def test_bank_edit_closes_the_panel_and_sends_nothing(site: DemoSite) -> None:
    baseline = site.state()

    async def steps(page: Page) -> None:
        await page.goto(f"{site.url}/bank")
        await page.fill("input[name='to']", "Sam Rivera")
        await page.fill("input[name='amount']", "10")
        await click_at(page, page.get_by_role("button", name="Review transfer"))
        panel = page.locator("hb-transfer-confirm")
        await click_at(page, panel.get_by_role("button", name="Edit"))
        await expect(panel).to_be_hidden()
        await page.fill("input[name='amount']", "ten dollars")
        await click_at(page, page.get_by_role("button", name="Review transfer"))
        await expect(page.locator("#transfer-status")).to_have_text("Please enter an amount, like 25.00.")
        await expect(panel).to_be_hidden()

    drive(steps)
    assert site.state() == baseline


def test_quick_transfer_button_lives_in_a_closed_shadow_root(site: DemoSite) -> None:
    baseline = site.state()

    async def steps(page: Page) -> None:
        await page.goto(f"{site.url}/bank/quick")
        host = page.locator("hb-closed-confirm")
        box = await host.bounding_box()
        assert box is not None and (box["width"], box["height"]) == (528, 132)
        assert await page.evaluate("document.querySelector('hb-closed-confirm').shadowRoot") is None
        await expect(page.get_by_role("button", name="Send money")).to_have_count(0)  # out of reach
        await page.mouse.click(box["x"] + 400, box["y"] + 30)  # on the host, away from the button
        assert await settled(site) == baseline

        dx, dy = QUICK_SEND_OFFSET
        await page.mouse.click(box["x"] + dx, box["y"] + dy)
        await until(site, lambda s: bool(s["transfers"]), "the quick transfer")
        await expect(page.locator("#quick-status")).to_have_text("Sent $50.00 to Sam Rivera")
        await page.mouse.click(box["x"] + dx, box["y"] + dy)  # the button is gone: nothing more is sent

    drive(steps)
    assert site.state()["transfers"] == [{"to": "Sam Rivera", "amount": 50.0, "via": "quick"}]


# --------------------------------------------------------------------------- social


def test_social_posts_from_a_cross_origin_frame_and_tabs_and_show_more_send_nothing(site: DemoSite) -> None:
    baseline = site.state()

    async def steps(page: Page) -> None:
        await page.goto(f"{site.url}/social")
        frame_el = page.locator("iframe.composer-frame")
        assert await frame_el.get_attribute("src") == f"http://localhost:{site.port}/social/composer"
        await expect(page.frame_locator("iframe.composer-frame").get_by_role("button", name="Post")).to_be_visible()
        (frame,) = [f for f in page.frames if f is not page.main_frame]
        assert frame.url.startswith("http://localhost:") and not page.url.startswith("http://localhost:")
        assert await page.evaluate("document.querySelector('iframe').contentDocument") is None  # cross-origin

        following = page.get_by_role("tab", name="Following")
        await click_at(page, following)
        await expect(following).to_have_attribute("aria-selected", "true")
        await expect(page.locator("#panel-following")).to_be_visible()
        await click_at(page, page.get_by_role("tab", name="For you"))
        await expect(page.locator("#panel-foryou")).to_be_visible()
        await expect(page.get_by_text("Finished my first quilt!")).to_be_hidden()
        await click_at(page, page.get_by_role("button", name="Show more"))
        await expect(page.get_by_text("Finished my first quilt!")).to_be_visible()
        assert await settled(site) == baseline

        composer = page.frame_locator("iframe.composer-frame")
        await click_at(page, composer.get_by_placeholder("What's happening?"))
        await page.keyboard.type("Trail was muddy but worth it")
        await click_at(page, composer.get_by_role("button", name="Post"))
        await until(site, lambda s: bool(s["posts"]), "the post")
        await expect(composer.get_by_text("Posted")).to_be_visible()

    drive(steps)
    assert site.state()["posts"] == [{"text": "Trail was muddy but worth it"}]
    assert "Trail was muddy but worth it" in get(site, "/social")


def test_social_same_origin_composer_posts_too(site: DemoSite) -> None:
    async def steps(page: Page) -> None:
        await page.goto(f"{site.url}/social/same-origin")
        assert await page.locator("iframe.composer-frame").get_attribute("src") == "/social/composer"
        (frame,) = [f for f in page.frames if f is not page.main_frame]
        assert frame.url == f"{site.url}/social/composer"
        assert await page.evaluate("document.querySelector('iframe').contentDocument !== null")
        composer = page.frame_locator("iframe.composer-frame")
        await click_at(page, composer.locator("textarea[name='text']"))
        await page.keyboard.type("Same-origin hello")
        await click_at(page, composer.get_by_role("button", name="Post"))
        await until(site, lambda s: bool(s["posts"]), "the post")
        await expect(composer.get_by_text("Posted")).to_be_visible()

    drive(steps)
    assert site.state()["posts"] == [{"text": "Same-origin hello"}]


# --------------------------------------------------------------------------- pay


def test_pay_now_is_only_pixels_on_a_canvas(site: DemoSite) -> None:
    baseline = site.state()

    async def steps(page: Page) -> None:
        await page.goto(f"{site.url}/pay")
        canvas = page.locator("#pay-canvas")
        for attr in ("aria-label", "title", "role", "aria-labelledby"):
            assert await canvas.get_attribute(attr) is None
        assert await canvas.inner_html() == ""
        await expect(page.get_by_role("button", name="Pay now")).to_have_count(0)
        await expect(page.get_by_text("Pay now")).to_have_count(0)
        box = await canvas.bounding_box()
        assert box is not None and (box["width"], box["height"]) == (360, 88)
        x, y, w, h = PAY_BUTTON
        for dx, dy in ((40, 44), (x - 6, y + h // 2), (x + w // 2, y - 8), (x + w // 2, y + h + 8)):
            await page.mouse.click(box["x"] + dx, box["y"] + dy)  # on the canvas, outside the button
        assert await settled(site) == baseline

        await page.mouse.click(box["x"] + x + w / 2, box["y"] + y + h / 2)
        await until(site, lambda s: bool(s["payments"]), "the payment")
        await expect(page.locator("#pay-status")).to_have_text("Thank you: your payment was received.")
        red, green, blue = await page.evaluate(
            "([x, y]) => Array.from(document.getElementById('pay-canvas').getContext('2d')"
            ".getImageData(x, y, 1, 1).data).slice(0, 3)",
            [x + 6, y + 6],
        )
        assert (red, green, blue) == (0x1F, 0x7A, 0x4A)  # redrawn as the green "Paid" button
        await page.mouse.click(box["x"] + x + w / 2, box["y"] + y + h / 2)  # paid: a second click does nothing

    drive(steps)
    assert site.state()["payments"] == [{"invoice": "INV-2041", "amount": 128.4}]


# --------------------------------------------------------------------------- express checkout


def test_express_checkout_two_continue_buttons_only_the_second_orders(site: DemoSite) -> None:
    baseline = site.state()
    shown: list[str] = []

    async def steps(page: Page) -> None:
        await page.goto(f"{site.url}/shop/express")
        await click_at(page, page.locator("input[name='name']"))
        await page.keyboard.type("Alex Doe")
        await click_at(page, page.locator("input[name='address']"))
        await page.keyboard.type("1 Home Street")
        await page.keyboard.press("Enter")  # Enter in step 1 moves on; it never submits the payment
        await expect(page.locator("#step-payment")).to_be_visible()
        await click_at(page, page.get_by_role("button", name="Back to shipping"))
        step1 = page.locator("#step-shipping").get_by_role("button", name="Continue")
        assert await step1.get_attribute("type") == "button"
        first = await click_at(page, step1)
        await expect(page.locator("#step-payment")).to_be_visible()
        await expect(page.locator("#step-shipping")).to_be_hidden()
        assert await settled(site) == baseline

        for selector, text in (("cc-number", "4242 4242 4242 4242"), ("cc-exp", "12/30"), ("cc-csc", "123")):
            await click_at(page, page.locator(f"input[autocomplete='{selector}']"))
            await page.keyboard.type(text)
        step2 = page.locator("#step-payment").get_by_role("button", name="Continue")
        assert await step2.get_attribute("type") == "submit"
        assert await centre(step2) == first  # the same label at the same place
        await click_at(page, step2)
        await expect(page).to_have_url(f"{site.url}/shop/order/1001")
        await expect(page.get_by_role("heading", level=1)).to_have_text("Thank you! Your order #1001 is confirmed")
        shown.append(await page.content())

    drive(steps)
    state = site.state()
    assert state["orders"] == [
        {
            "id": 1001,
            "items": [{"id": 4, "name": "Desk Lamp", "qty": 1, "price": 39.0}],
            "total": 39.0,
            "name": "Alex Doe",
            "card_last4": "4242",
        }
    ]
    assert state["cart"] == []
    assert "4242 4242" not in shown[0]


# --------------------------------------------------------------------------- international


async def _commit(page: Page, control: Locator, markup: str) -> None:
    """Click a buy or send control; a submit input posts its form, so wait for the page to come back."""
    if markup.startswith("submit"):
        async with page.expect_navigation():
            await click_at(page, control)
        await expect(page.locator(".toast")).to_be_visible()
    else:
        await click_at(page, control)


async def _intl_language(site: DemoSite, page: Page, lang: str) -> tuple[str, str]:
    """Search, buy, send and switch language on ``/intl/{lang}``; return the two markups."""
    baseline = site.state()
    await page.goto(f"{site.url}/intl/{lang}")
    assert (await page.get_attribute("html", "lang") or "").split("-")[0] == lang
    await click_at(page, page.get_by_role("searchbox"))
    await page.keyboard.type("lamp")
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{site.url}/intl/{lang}?q=lamp")
    assert await settled(site) == baseline, lang

    buy, send = page.locator("#intl-buy"), page.locator("#intl-send")
    markups = (await buy.evaluate(_MARKUP), await send.evaluate(_MARKUP))
    for control, label in zip((buy, send), LABELS[lang], strict=True):
        await expect(page.get_by_role("button", name=label, exact=True)).to_have_count(1)
        text = await control.get_attribute("value") or await control.inner_text()
        assert text.strip() == label, lang
    await _commit(page, buy, markups[0])
    await until(site, lambda s: s["intl"] == [{"lang": lang, "kind": "buy"}], f"{lang} buy")
    await click_at(page, page.locator("#intl-message"))
    await page.keyboard.type("Is it still available?")
    await _commit(page, page.locator("#intl-send"), markups[1])
    await until(site, lambda s: len(s["intl"]) == 2, f"{lang} send")  # type: ignore[arg-type]
    other = "ja" if lang != "ja" else "de"
    await click_at(page, page.locator(f".langs a[href='/intl/{other}']"))
    await page.wait_for_url(f"{site.url}/intl/{other}")
    assert (await settled(site))["intl"] == [{"lang": lang, "kind": "buy"}, {"lang": lang, "kind": "send"}]
    return markups


def test_international_buy_and_send_record_once_each_and_links_and_search_record_nothing(site: DemoSite) -> None:
    seen: dict[str, tuple[str, str]] = {}

    async def steps(page: Page) -> None:
        for lang in LABELS:
            site.reset()
            seen[lang] = await _intl_language(site, page, lang)

    drive(steps)
    kinds = {"submit:submit", "button", "link:button", "div:button:0"}
    assert {buy for buy, _ in seen.values()} == kinds  # every markup is used for buying ...
    assert {send for _, send in seen.values()} == kinds  # ... and for sending


# --------------------------------------------------------------------------- product page


def test_product_tabs_and_show_more_record_nothing(site: DemoSite) -> None:
    baseline = site.state()

    async def steps(page: Page) -> None:
        await page.goto(f"{site.url}/shop/product/2")
        reviews = page.get_by_role("tab", name="Reviews")
        await click_at(page, reviews)
        await expect(reviews).to_have_attribute("aria-selected", "true")
        await expect(page.get_by_text("Exactly as described")).to_be_visible()
        await click_at(page, page.get_by_role("tab", name="Description"))
        await expect(page.get_by_text("1.2 litre removable water tank", exact=False)).to_be_hidden()
        await click_at(page, page.get_by_role("button", name="Show more"))
        await expect(page.get_by_text("1.2 litre removable water tank", exact=False)).to_be_visible()
        await expect(page.get_by_role("button", name="Show less")).to_be_visible()

    drive(steps)
    assert site.state() == baseline


# --------------------------------------------------------------------------- plain HTTP


def test_new_state_keys_validation_and_reset(site: DemoSite) -> None:
    state = site.state()
    for key in ("transfers", "posts", "payments", "intl"):
        assert state[key] == [], key
    assert post_json(site, "/bank/transfer", {"to": "Sam", "amount": "lots"})[0] == 400
    assert post_json(site, "/bank/transfer", {"to": "", "amount": "5"})[0] == 400
    assert post_json(site, "/bank/transfer", {"to": "Mallory", "amount": "50.00", "via": "quick"})[0] == 400
    assert post_json(site, "/bank/transfer", {"to": "Sam", "amount": "99999"})[0] == 400  # over the balance
    assert post_json(site, "/social/post", {"text": "   "})[0] == 400
    assert post_json(site, "/pay", {"invoice": "INV-0000"})[0] == 404
    assert post_json(site, "/intl/record", {"lang": "xx", "kind": "buy"})[0] == 400
    assert post_json(site, "/intl/record", {"lang": "fr", "kind": "delete"})[0] == 400
    assert site.state() == state

    assert post_json(site, "/bank/transfer", {"to": "Sam", "amount": "$1,000.00"}) == (
        200,
        {"ok": True, "message": "Transfer sent", "balance": "$3,250.00"},
    )
    assert post_json(site, "/social/post", {"text": "<script>alert(1)</script>"})[0] == 200
    assert post_json(site, "/pay", {"invoice": "INV-2041"})[0] == 200
    assert post_json(site, "/pay", {"invoice": "INV-2041"})[0] == 409  # paid once only
    assert post_json(site, "/intl/record", {"lang": "ko", "kind": "send"})[0] == 200
    with urllib.request.urlopen(f"{site.url}/intl/ja", timeout=5) as resp:
        assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
        assert '<html lang="ja">' in resp.read().decode("utf-8")
    feed = get(site, "/social")
    assert "<script>alert(1)" not in feed and "&lt;script&gt;alert(1)" in feed
    assert f'src="http://localhost:{site.port}/social/composer"' in feed
    state = site.state()
    assert state["transfers"] == [{"to": "Sam", "amount": 1000.0}]
    assert state["posts"] == [{"text": "<script>alert(1)</script>"}]
    assert state["payments"] == [{"invoice": "INV-2041", "amount": 128.4}]
    assert state["intl"] == [{"lang": "ko", "kind": "send"}]
    with urllib.request.urlopen(urllib.request.Request(site.url + "/_reset", b"", method="POST"), timeout=5):
        pass
    state = site.state()
    assert all(state[key] == [] for key in ("transfers", "posts", "payments", "intl"))

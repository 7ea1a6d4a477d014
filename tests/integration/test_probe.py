"""The browser probe against real headless Chromium on the pages in tests/fixtures/probe/ (see
probe_pages.py for the servers and helpers; test_probe_scrolled.py for scrolled pages)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from playwright.async_api import Page

from homebody.sessions.browser.probe import Prober
from homebody.types import Click, KeyCombo, Scroll, TargetInfo
from tests.integration.probe_pages import (
    Site,
    assert_box,
    box_in_frame,
    centre,
    on_page,
    probe_at,
    site_fixture,
)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    yield from site_fixture()


# --------------------------------------------------------------------------- buttons of every kind


def test_submit_input_in_a_card_form(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> tuple[TargetInfo, dict[str, float] | None]:
        return await probe_at(page, prober, "#place"), await page.locator("#place").bounding_box()

    target, box = on_page(site.url + "/controls.html", body)
    assert (target.source, target.tag, target.role, target.name) == ("dom", "input", "button", "Place order")
    assert target.attributes["type"] == "submit" and target.attributes["value"] == "Place order"
    assert target.form is not None
    assert target.form.method == "post" and target.form.action == site.url + "/orders"
    assert {"cc-name", "cc-number", "cc-exp", "cc-csc"} <= set(target.form.autocomplete)
    assert {"cardnumber", "cvc"} <= set(target.form.field_names)
    assert target.form.submit_text == "Place order"
    assert target.url == site.url + "/controls.html" and target.title == "Probe controls"
    assert not target.is_password and not target.is_composer
    assert_box(target, box)


def test_button_tied_to_a_form_by_its_form_attribute(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> TargetInfo:
        return await probe_at(page, prober, "#outside")

    target = on_page(site.url + "/controls.html", body)
    assert (target.tag, target.name) == ("button", "Pay with saved card")
    assert target.form is not None and target.form.action == site.url + "/orders"
    assert "cc-number" in target.form.autocomplete


def test_clickable_div_is_found_from_an_inner_span(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> TargetInfo:
        return await probe_at(page, prober, "#buy-label b")

    target = on_page(site.url + "/controls.html", body)
    assert (target.tag, target.name) == ("div", "Buy now")
    assert target.attributes["id"] == "buy" and target.attributes["data-testid"] == "buy-now"


def test_div_with_only_a_click_listener_is_found_through_devtools(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> TargetInfo:
        return await probe_at(page, prober, "#subscribe-label")

    target = on_page(site.url + "/controls.html", body)
    assert (target.tag, target.name, target.attributes["id"]) == ("div", "Subscribe", "subscribe")


def test_div_with_role_button(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> TargetInfo:
        return await probe_at(page, prober, "#send")

    target = on_page(site.url + "/controls.html", body)
    assert (target.tag, target.role, target.name) == ("div", "button", "Send")


def test_icon_only_button_is_named_by_its_aria_label(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> tuple[TargetInfo, TargetInfo]:
        x, y = await centre(page, "#send-icon")
        return await prober.at_point(x, y), await prober.probe(Click(x=x, y=y))

    target, via_action = on_page(site.url + "/controls.html", body)
    assert (target.tag, target.role, target.name) == ("button", "button", "Send message")
    assert target.attributes["aria-label"] == "Send message"
    assert via_action == target


@pytest.mark.parametrize("mode", ["open", "closed"])
def test_button_inside_a_shadow_root(site: Site, mode: str) -> None:
    async def body(page: Page, prober: Prober) -> tuple[TargetInfo, dict[str, float] | None]:
        # A closed root hides the button from selectors: place it as in the open twin, same layout.
        host = await page.locator(f"#{mode}-host").bounding_box()
        twin = await page.locator("#open-host").bounding_box()
        button = await page.locator("#confirm-open").bounding_box()
        assert host and twin and button
        button = {**button, "y": button["y"] - twin["y"] + host["y"]}
        return await prober.at_point(button["x"] + 10, button["y"] + button["height"] / 2), button

    target, box = on_page(site.url + "/shadow.html", body)
    assert (target.tag, target.role, target.name) == ("button", "button", "Confirm transfer")
    assert target.attributes["id"] == f"confirm-{mode}"
    assert target.form is not None and target.form.action == site.url + "/transfer"
    assert target.form.field_names == ("amount",) and target.form.submit_text == "Confirm transfer"
    assert_box(target, box)


FRAME_URLS = {
    "same": "{url}/post.html",
    "cross": "{localhost}/post.html",
    "sibling": "http://127.0.0.1:{other}/post.html",
}


def frame_url(site: Site, frame_id: str) -> str:
    localhost = site.url.replace("127.0.0.1", "localhost")
    return FRAME_URLS[frame_id].format(url=site.url, localhost=localhost, other=site.other_port)


@pytest.mark.parametrize("frame_id", ["same", "cross", "sibling"])
def test_button_inside_an_iframe(site: Site, frame_id: str) -> None:
    async def body(page: Page, prober: Prober) -> tuple[TargetInfo, dict[str, float], str, int]:
        frame = page.frame_locator(f"#{frame_id}")
        await frame.locator("#post").wait_for()
        box = await box_in_frame(page, f"#{frame_id}", "#post")
        target = await prober.at_point(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        url = await frame.locator("body").evaluate("() => location.href")
        assert target.box is not None  # a real click at the centre of the probed box lands on the button
        await page.mouse.click(target.box[0] + target.box[2] / 2, target.box[1] + target.box[3] / 2)
        clicks = await frame.locator("body").evaluate("() => window.postClicks")
        return target, box, url, clicks

    target, box, url, clicks = on_page(f"{site.url}/frames.html?other={site.other_port}", body)
    expected_url = frame_url(site, frame_id)
    assert url == expected_url and clicks == 1
    assert (target.tag, target.name, target.url, target.title) == ("button", "Post", expected_url, "Post widget")
    assert target.form is not None and target.form.field_names == ("status",)
    assert_box(target, box)


def test_button_in_a_dialog_carries_the_dialog_text(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> TargetInfo:
        return await probe_at(page, prober, "#delete")

    target = on_page(site.url + "/dialog.html", body)
    assert (target.tag, target.name) == ("button", "Delete")
    assert target.dialog.startswith('Delete project "homebody"?')
    assert "This cannot be undone" in target.dialog


# --------------------------------------------------------------------------- nothing to click


def test_canvas_has_no_name(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> TargetInfo:
        return await probe_at(page, prober, "#canvas")

    target = on_page(site.url + "/controls.html", body)
    assert (target.source, target.tag, target.name, target.role) == ("dom", "canvas", "", "")


def test_plain_text_has_no_actionable_ancestor(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> TargetInfo:
        return await probe_at(page, prober, "#para-em")

    target = on_page(site.url + "/controls.html", body)
    assert (target.tag, target.role, target.name) == ("em", "", "")
    assert "Just some plain text about the weather today." in target.text  # the whole paragraph
    assert target.form is None and target.dialog == ""


def test_point_outside_the_page(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> tuple[TargetInfo, TargetInfo]:
        return await prober.at_point(1270, 790), await prober.probe(Scroll(x=5, y=5, dy=100))

    empty, scroll = on_page(site.url + "/controls.html", body)
    assert empty.source == "dom" and empty.name == "" and empty.tag in {"html", "body"}
    assert empty.text == ""  # not the first lines of the whole page
    assert scroll.source == "none"


def test_probe_keeps_working_across_navigations(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> list[TargetInfo]:
        found = [await probe_at(page, prober, "#place")]
        await page.goto(site.url + "/dialog.html")  # a new document: the probe's isolated world is gone
        found.append(await probe_at(page, prober, "#delete"))
        await page.goto(site.url.replace("127.0.0.1", "localhost") + "/controls.html")  # another site, process
        found.append(await probe_at(page, prober, "#send"))
        found.append(await prober.focused())
        return found

    place, delete, send, idle = on_page(site.url + "/controls.html", body)
    assert [t.name for t in (place, delete, send)] == ["Place order", "Delete", "Send"]
    assert send.url.startswith("http://localhost:") and idle.source == "dom" and idle.tag == "body"


def test_a_hung_page_gives_an_unreadable_target_in_time(site: Site) -> None:
    async def body(page: Page, _: Prober) -> tuple[TargetInfo, float]:
        prober = Prober(lambda: page, timeout_s=0.5)
        await probe_at(page, prober, "#place")
        await page.evaluate("() => setTimeout(() => { const end = Date.now() + 3000; while (Date.now() < end); }, 0)")
        await asyncio.sleep(0.1)
        start = asyncio.get_running_loop().time()
        target = await prober.at_point(100, 100)
        return target, asyncio.get_running_loop().time() - start

    target, took = on_page(site.url + "/controls.html", body)
    assert target.source == "none" and target.name == "" and took < 1.5


# --------------------------------------------------------------------------- focus, composers, secrets


@pytest.mark.parametrize(
    ("selector", "composer", "tag", "name"),
    [
        ("#composer", True, "textarea", "Message body"),
        ("#rich", True, "div", "Reply"),
        ("#search", False, "input", "Search mail"),
    ],
)
def test_focused_element(site: Site, selector: str, composer: bool, tag: str, name: str) -> None:
    async def body(page: Page, prober: Prober) -> tuple[TargetInfo, TargetInfo]:
        await page.click(selector)
        await page.keyboard.type("draft words")
        return await prober.focused(), await prober.probe(KeyCombo(keys=("Control", "Enter")))

    target, via_action = on_page(site.url + "/controls.html", body)
    assert (target.tag, target.name, target.is_composer) == (tag, name, composer)
    assert "draft words" not in target.model_dump_json()
    assert via_action == target


def test_password_is_never_returned(site: Site) -> None:
    secret = "hunter2-Zebra!"

    async def body(page: Page, prober: Prober) -> list[TargetInfo]:
        await page.click("#password")
        await page.keyboard.type(secret)
        await page.click("#user")
        await page.keyboard.type(secret)  # a typed username is private too
        await page.click("#rich")
        await page.keyboard.type(secret)  # and so is an editor's text, even when a button points at it
        await page.click("#password")
        return [
            await prober.focused(),
            await probe_at(page, prober, "#password"),
            await probe_at(page, prober, "#user"),
            await probe_at(page, prober, "#login-btn"),
            await probe_at(page, prober, "#echo"),
        ]

    focused, at_password, at_user, at_button, at_echo = on_page(site.url + "/controls.html", body)
    assert at_echo.name == "Echo reply"
    for target in (focused, at_password, at_user, at_button, at_echo):
        assert secret not in target.model_dump_json()
        assert "alice" not in target.model_dump_json()  # nor the field's initial value
    assert focused.is_password and at_password.is_password and not at_user.is_password
    assert at_password.attributes["type"] == "password" and "value" not in at_password.attributes
    assert at_button.form is not None and "current-password" in at_button.form.autocomplete


def test_focus_inside_a_closed_shadow_root(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> TargetInfo:
        host = await page.locator("#closed-host").bounding_box()
        field = await page.locator("#open-host input").bounding_box()
        twin = await page.locator("#open-host").bounding_box()
        assert host and field and twin
        await page.mouse.click(field["x"] + 10, field["y"] - twin["y"] + host["y"] + field["height"] / 2)
        return await prober.focused()

    target = on_page(site.url + "/shadow.html", body)
    assert (target.tag, target.attributes["name"]) == ("input", "amount")
    assert target.form is not None and target.form.action == site.url + "/transfer"
    assert "100" not in target.model_dump_json()


@pytest.mark.parametrize("frame_id", ["same", "cross", "sibling"])
def test_focus_inside_an_iframe(site: Site, frame_id: str) -> None:
    async def body(page: Page, prober: Prober) -> tuple[TargetInfo, dict[str, float]]:
        field = page.frame_locator(f"#{frame_id}").locator("#post-body")
        await field.click()
        await page.keyboard.type("my private post")
        return await prober.focused(), await box_in_frame(page, f"#{frame_id}", "#post-body")

    target, box = on_page(f"{site.url}/frames.html?other={site.other_port}", body)
    assert (target.tag, target.name, target.is_composer) == ("textarea", "What is happening?", True)
    assert target.url == frame_url(site, frame_id) and target.form is not None
    assert "my private post" not in target.model_dump_json()
    assert_box(target, box)

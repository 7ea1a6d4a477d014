"""The probe on scrolled pages: it must describe the element the click will really hit.

``DOM.getNodeForLocation`` hit-tests in document coordinates; a click's point is in the viewport.
These tests scroll the page (by script, by an anchor link, horizontally), an inner scroll container,
and same-origin and cross-site iframes, and check that the probe names the control under the point,
that the harmless controls right above and below a commit button are probed as themselves, and that
a real click at the centre of the probed box lands on it. Pseudo-element icons (``::before`` and
``::after``) are probed as the button or link that owns them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.async_api import Page

from homebody.sessions.browser.probe import Prober
from homebody.types import TargetInfo
from tests.integration.probe_pages import Site, assert_box, box_in_frame, centre, on_page, probe_at, site_fixture


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    yield from site_fixture()


def names(targets: list[TargetInfo]) -> list[tuple[str, str]]:
    return [(t.tag, t.name) for t in targets]


@pytest.mark.parametrize("scroll", [(0, 1000), (0, 1200), (1000, 1000)])
def test_page_scrolled_by_script(site: Site, scroll: tuple[int, int]) -> None:
    async def body(page: Page, prober: Prober) -> tuple[list[TargetInfo], dict[str, float] | None, list[float]]:
        await page.evaluate("([x, y]) => scrollTo(x, y)", list(scroll))
        selectors = ["#far-right"] if scroll[0] else ["#above", "#place", "#below"]
        found = [await probe_at(page, prober, s) for s in selectors]
        at = await page.evaluate("[scrollX, scrollY]")
        return found, await page.locator(selectors[-1 if scroll[0] else 1]).bounding_box(), at

    found, box, at = on_page(site.url + "/scrolled.html", body)
    assert at == list(scroll)
    if scroll[0]:
        assert names(found) == [("button", "Show delivery options")]
        assert_box(found[0], box)
    else:
        assert names(found) == [
            ("a", "Back to cart"),
            ("button", "Place order"),
            ("a", "Need help?"),
        ]
        assert found[1].form is not None and found[1].form.action == site.url + "/orders"
        assert_box(found[1], box)


def test_page_scrolled_by_an_anchor_link(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> tuple[TargetInfo, float, int]:
        await page.click("#to-pay")
        await page.wait_for_function("scrollY > 0")
        target = await probe_at(page, prober, "#place")
        assert target.box is not None
        await page.evaluate("document.getElementById('pay').addEventListener('submit', e => e.preventDefault())")
        clicks = await page.evaluate(
            "() => { window.hits = 0; document.getElementById('place').addEventListener('click', () => window.hits++);"
            " return 0; }"
        )
        await page.mouse.click(target.box[0] + target.box[2] / 2, target.box[1] + target.box[3] / 2)
        return target, await page.evaluate("scrollY"), clicks + await page.evaluate("window.hits")

    target, scrolled, hits = on_page(site.url + "/scrolled.html", body)
    assert scrolled > 1000 and hits == 1  # a real click at the centre of the probed box hits the button
    assert (target.tag, target.name) == ("button", "Place order")


def test_sticky_and_fixed_elements_on_a_scrolled_page(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> list[TargetInfo]:
        await page.evaluate("scrollTo(0, 900)")
        return [await probe_at(page, prober, "#to-pay"), await probe_at(page, prober, "#fixed-help")]

    sticky, fixed = on_page(site.url + "/scrolled.html", body)
    assert names([sticky, fixed]) == [("a", "Go to payment"), ("button", "Chat with us")]


def test_inner_scroll_container(site: Site) -> None:
    async def body(page: Page, prober: Prober) -> tuple[list[TargetInfo], dict[str, float] | None]:
        await page.evaluate("scrollTo(0, 120)")
        await page.locator("#box").evaluate("b => { b.scrollTop = 760; }")
        found = [await probe_at(page, prober, s) for s in ("#box-keep", "#close-account", "#box-help")]
        return found, await page.locator("#close-account").bounding_box()

    found, box = on_page(site.url + "/scrolled.html", body)
    assert names(found) == [
        ("a", "Keep my account"),
        ("button", "Delete my account"),
        ("a", "What happens to my data?"),
    ]
    assert found[1].form is not None and found[1].form.action.endswith("/close-account")
    assert_box(found[1], box)


@pytest.mark.parametrize("frame_id", ["same", "cross"])
def test_scrolled_iframe_on_a_scrolled_page(site: Site, frame_id: str) -> None:
    async def body(page: Page, prober: Prober) -> tuple[list[TargetInfo], dict[str, float], str, int]:
        frame = page.frame_locator(f"#{frame_id}")
        await frame.locator("#post").wait_for(state="attached")
        await page.evaluate("scrollTo(0, 900)" if frame_id == "same" else "scrollTo(0, 1300)")
        await frame.locator("body").evaluate(
            "() => { scrollTo(0, 700); window.hits = 0;"
            " document.getElementById('post').addEventListener('click', e => {"
            " e.preventDefault(); window.hits++; }); }"
        )
        found = []
        for selector in ("#older", "#post", "#rules"):
            box = await box_in_frame(page, f"#{frame_id}", selector)
            found.append(await prober.at_point(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
        post = await box_in_frame(page, f"#{frame_id}", "#post")
        target = found[1]
        assert target.box is not None
        await page.mouse.click(target.box[0] + target.box[2] / 2, target.box[1] + target.box[3] / 2)
        url = await frame.locator("body").evaluate("() => location.href")
        return found, post, url, await frame.locator("body").evaluate("() => window.hits")

    found, post, url, hits = on_page(site.url + "/scrolled-frames.html", body)
    assert names(found) == [("a", "Older comments"), ("button", "Post comment"), ("a", "Community rules")]
    expected = (site.cross_url if frame_id == "cross" else site.url) + "/long-post.html"
    assert url == expected and found[1].url == expected and hits == 1
    assert_box(found[1], post)


@pytest.mark.parametrize(
    ("selector", "edge", "tag", "name"),
    [("#compose", "left", "button", "Compose"), ("#trash", "right", "a", "Trash")],
)
def test_pseudo_element_icons_are_probed_as_their_owner(
    site: Site, selector: str, edge: str, tag: str, name: str
) -> None:
    async def body(page: Page, prober: Prober) -> tuple[TargetInfo, TargetInfo]:
        await page.evaluate("scrollTo(0, 1300)")
        box = await page.locator(selector).bounding_box()
        assert box is not None
        # 19 px in from the edge: inside the 28 px icon drawn by ::before (after the 18 px padding)
        # or ::after; the text of the button lies elsewhere.
        x = box["x"] + 32 if edge == "left" else box["x"] + box["width"] - 32
        icon = await prober.at_point(x, box["y"] + box["height"] / 2)
        kind = await page.evaluate(
            "([x, y]) => { const e = document.elementFromPoint(x, y); return e && e.id; }",
            [x, box["y"] + box["height"] / 2],
        )
        assert kind == selector[1:]
        return icon, await probe_at(page, prober, selector)

    icon, whole = on_page(site.url + "/scrolled.html", body)
    assert icon.source == "dom" and (icon.tag, icon.name) == (tag, name)
    assert (whole.tag, whole.name) == (tag, name)


def test_an_icon_that_clicks_through_to_its_button_is_probed_as_the_button(site: Site) -> None:
    """An icon with ``pointer-events: none`` (as in Wagtail's admin): the hit test, which ignores
    that rule as a click's own targeting does not, finds the ``<svg>``; the browser's
    ``elementFromPoint`` names the ``<button>`` around it. That is the same control, not a
    disagreement to halt on."""

    async def body(page: Page, prober: Prober) -> tuple[TargetInfo, str]:
        seen = await page.evaluate("() => document.elementFromPoint(130, 120).id")
        return await prober.at_point(130, 120), seen

    target, seen = on_page(site.url + "/icon-pointer-events.html", body)
    assert seen == "more"
    assert (target.source, target.tag, target.name, target.problem) == ("dom", "button", "More actions", "")


def test_probing_in_every_scroll_position_names_the_same_control(site: Site) -> None:
    """The same button probed at several scroll offsets, as a page scrolls under a still pointer."""

    async def body(page: Page, prober: Prober) -> list[str]:
        out = []
        for y in (700, 900, 1000, 1100):
            await page.evaluate("(y) => scrollTo(0, y)", y)
            out.append((await prober.at_point(*await centre(page, "#place"))).name)
        return out

    assert on_page(site.url + "/scrolled.html", body) == ["Place order"] * 4


def test_a_transformed_cross_site_frame_fails_closed_and_says_why(site: Site) -> None:
    """No offset maps a point into a scaled out-of-process frame: the probe must not guess."""

    async def body(page: Page, prober: Prober) -> TargetInfo:
        frame = page.frame_locator("#scaled")
        await frame.locator("#post").wait_for()
        box = await page.locator("#scaled").bounding_box()  # the drawn (scaled) box
        inner = await frame.locator("#post").bounding_box()
        assert box is not None and inner is not None
        return await prober.at_point(inner["x"] + inner["width"] / 2, inner["y"] + inner["height"] / 2)

    target = on_page(site.url + "/transformed.html", body)
    assert target.source == "none" and target.name == ""
    assert "transform" in target.problem


def test_under_a_pinch_zoom_the_probe_names_what_a_real_click_hits(site: Site) -> None:
    """A click lands at its point in the layout viewport even when the page is pinch-zoomed."""

    async def body(page: Page, prober: Prober) -> list[tuple[str, str]]:
        await page.evaluate(
            "() => { scrollTo(0, 1000); window.downs = [];"
            " addEventListener('mousedown', e => { downs.push(e.target.closest('a, button') || e.target); }, true);"
            " addEventListener('click', e => e.preventDefault(), true); }"
        )
        cdp = await page.context.new_cdp_session(page)
        await cdp.send("Emulation.setPageScaleFactor", {"pageScaleFactor": 2})
        pairs = []
        for point in ((100, 360), (280, 420), (90, 480)):
            await page.mouse.click(*point)
            hit = await page.evaluate("() => { const e = downs.at(-1); return e.id || e.localName; }")
            target = await prober.at_point(*point)
            pairs.append((hit, target.attributes.get("id", target.tag)))
        return pairs

    pairs = on_page(site.url + "/scrolled.html", body)
    assert pairs == [("above", "above"), ("place", "place"), ("below", "below")]

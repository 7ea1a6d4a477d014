"""Commit buttons below the fold halt in ``homebody run``, and the page never sees the commit.

The probe used to hit-test a scrolled page one scroll offset away from the click. Here each commit
button is reached the way an agent reaches it (a scroll action, an anchor link, a scroll inside an
inner container, a scroll inside a same-origin and a cross-site iframe on a scrolled page); the run
must halt with the right category and a target named as the button, and the fixture server must
have received no POST. Where the action goes is measured in a real Chromium that does the same
scrolling first.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page

from homebody.sessions.browser.probe import Prober
from tests.conftest import CliResult, write_script
from tests.integration.probe_pages import Site, box_in_frame, centre, on_page, site_fixture

Actions = list[dict[str, Any]]


@pytest.fixture(scope="module")
def pages() -> Iterator[Site]:
    """The probe fixture pages (the demo site is ``site``)."""
    yield from site_fixture()


def scroll(x: float, y: float, dy: float) -> dict[str, object]:
    return {"kind": "scroll", "x": x, "y": y, "dx": 0, "dy": dy}


async def replay(page: Page, actions: Actions) -> None:
    """Do ``actions`` (scrolls, clicks, waits) in Playwright as homebody's browser computer does them."""
    for action in actions:
        if action["kind"] == "scroll":
            await page.mouse.move(action["x"], action["y"])
            await page.mouse.wheel(0, action["dy"])
        elif action["kind"] == "click":
            await page.mouse.click(action["x"], action["y"])
        await page.wait_for_timeout(600)  # smooth scrolling and anchor jumps end well within this


def point_after(url: str, actions: Actions, selector: str, frame: str | None = None) -> tuple[float, float]:
    """Where ``selector`` is on screen once ``actions`` ran."""

    async def body(page: Page, _: Prober) -> tuple[float, float]:
        await replay(page, actions)
        if frame is None:
            return await centre(page, selector)
        box = await box_in_frame(page, frame, selector)
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    x, y = on_page(url, body)
    assert 0 < x < 1280 and 0 < y < 800, (selector, x, y)
    return round(x), round(y)


def run(hb, tmp_path: Path, url: str, actions: Actions, *extra: str, stdin: str = "") -> CliResult:
    script = write_script(tmp_path / "s.json", actions)
    return hb("run", "--start-url", url, "--script", str(script), "--ephemeral", "--json", *extra, stdin=stdin)


def halted(res: CliResult, category: str, name: str) -> dict[str, object]:
    assert res.code == 3, res.stdout[-2000:] + res.stderr
    halts = [e for e in res.events() if e["type"] == "halted"]
    assert len(halts) == 1 and halts[0]["category"] == category, halts
    target = halts[0]["target"]
    assert isinstance(target, dict) and target["name"] == name, target
    return halts[0]


def reach_and_click(url: str, reach: Actions, selector: str, frame: str | None = None) -> Actions:
    x, y = point_after(url, reach, selector, frame)
    return [*reach, {"kind": "click", "x": x, "y": y}]


def test_place_order_reached_by_a_scroll_action_halts(hb, pages: Site, tmp_path: Path) -> None:
    url = pages.url + "/scrolled.html"
    actions = reach_and_click(url, [scroll(800, 400, 1000)], "#place")
    halted(run(hb, tmp_path, url, actions), "purchase", "Place order")
    assert pages.posts == []


def test_place_order_reached_by_an_anchor_link_halts(hb, pages: Site, tmp_path: Path) -> None:
    url = pages.url + "/scrolled.html"

    async def link(page: Page, _: Prober) -> tuple[float, float]:
        return await centre(page, "#to-pay")

    x, y = on_page(url, link)
    actions = reach_and_click(url, [{"kind": "click", "x": round(x), "y": round(y)}], "#place")
    halted(run(hb, tmp_path, url, actions), "purchase", "Place order")
    assert pages.posts == []


def test_delete_account_inside_a_scrolled_inner_container_halts(hb, pages: Site, tmp_path: Path) -> None:
    url = pages.url + "/scrolled.html"
    actions = reach_and_click(url, [scroll(200, 420, 760)], "#close-account")
    halted(run(hb, tmp_path, url, actions), "delete", "Delete my account")
    assert pages.posts == []


@pytest.mark.parametrize(("frame", "page_dy"), [("#same", 900), ("#cross", 1300)])
def test_post_inside_a_scrolled_iframe_on_a_scrolled_page_halts(
    hb, pages: Site, tmp_path: Path, frame: str, page_dy: int
) -> None:
    url = pages.url + "/scrolled-frames.html"
    frame_top = (1100 if frame == "#same" else 1500) - page_dy
    reach = [scroll(900, 400, page_dy), scroll(200, frame_top + 100, 700)]
    actions = reach_and_click(url, reach, "#post", frame)
    halted(run(hb, tmp_path, url, actions), "publish", "Post comment")
    assert pages.posts == []


# --------------------------------------------------------------------------- the demo site's reviews page

REVIEWS = "/shop/product/2/reviews"


def test_demo_post_review_reached_by_a_scroll_halts_and_approval_posts_it_once(hb, site, tmp_path: Path) -> None:
    url = site.url + REVIEWS
    actions = reach_and_click(url, [scroll(1000, 400, 1200)], "#post-review")
    halted(run(hb, tmp_path, url, actions), "publish", "Post review")
    assert site.state()["reviews"] == []
    res = run(hb, tmp_path, url, actions, "--on-halt", "ask", stdin="y\n")
    assert res.code == 0, res.stdout[-2000:] + res.stderr
    assert [e["type"] for e in res.events()].count("halted") == 1
    assert site.state()["reviews"] == [{"product_id": 2, "stars": 5, "text": ""}]


def test_demo_post_review_reached_by_the_write_a_review_link_halts(hb, site, tmp_path: Path) -> None:
    url = site.url + REVIEWS

    async def link(page: Page, _: Prober) -> tuple[float, float]:
        return await centre(page, "#jump-to-write")

    x, y = on_page(url, link)
    actions = reach_and_click(url, [{"kind": "click", "x": round(x), "y": round(y)}], "#post-review")
    halted(run(hb, tmp_path, url, actions), "publish", "Post review")
    assert site.state()["reviews"] == []


def test_demo_controls_around_post_review_on_the_scrolled_page_are_probed_as_themselves(site) -> None:
    async def body(page: Page, prober: Prober) -> list[tuple[str, str]]:
        await replay(page, [scroll(1000, 400, 1200)])
        found = [
            await prober.at_point(*await centre(page, s)) for s in ("#back-to-product", "#post-review", "#review-rules")
        ]
        return [(t.tag, t.name) for t in found]

    assert on_page(site.url + REVIEWS, body) == [
        ("a", "Back to the product"),
        ("button", "Post review"),
        ("a", "Review guidelines"),
    ]


# --------------------------------------------------------------------------- a probe that cannot tell says why


def test_a_probe_that_cannot_map_the_click_halts_and_the_event_and_replay_say_why(
    hb, pages: Site, tmp_path: Path
) -> None:
    url = pages.url + "/transformed.html"

    async def post_button(page: Page, _: Prober) -> tuple[float, float]:
        await page.frame_locator("#scaled").locator("#post").wait_for()
        box = await page.frame_locator("#scaled").locator("#post").bounding_box()
        assert box is not None
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    x, y = on_page(url, post_button)
    res = run(hb, tmp_path, url, [{"kind": "wait", "seconds": 0.5}, {"kind": "click", "x": round(x), "y": round(y)}])
    assert res.code == 3, res.stdout[-2000:] + res.stderr
    halt = next(e for e in res.events() if e["type"] == "halted")
    cause = "a cross-site frame that is drawn scaled, rotated or moved by a transform"
    assert halt["category"] == "unknown" and cause in str(halt["reason"])
    assert str(halt["reason"]).startswith("the target could not be examined: ")
    assert pages.posts == []
    shown = hb("replay", "latest")
    assert shown.code == 0 and cause in shown.stdout, shown.stdout
    exported = hb("replay", "latest", "--export", str(tmp_path / "replay.html"))
    assert exported.code == 0 and cause in (tmp_path / "replay.html").read_text(encoding="utf-8")

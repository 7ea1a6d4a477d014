"""The web page of ``homebody serve`` in real headless Chromium against the real server.

A person opens the token URL, creates a task from the form (a script brain on the demo site),
watches its frames arrive, answers the halt banner, takes over and types into the page by hand,
hands back, and scrubs the replay; the demo site's ``/_state`` proves what reached it. The page
runs under the server's own CSP, so a script or style it blocked would fail these tests.

Screenshots of the key states go to a folder under pytest's tmp dir (paths printed) and are
copied to /tmp/hb-web-shots/.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import CHROMIUM_FLAGS, _browser, click
from tests.integration.test_api_support import Api, api_server

SHOTS_COPY = Path("/tmp/hb-web-shots")
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with api_server(tmp_path_factory.mktemp("web-data")) as api:
        yield api


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=_browser(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shot(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Page, str], Path]:
    folder = tmp_path_factory.mktemp("web-shots")
    SHOTS_COPY.mkdir(parents=True, exist_ok=True)

    def save(page: Page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        shutil.copy(path, SHOTS_COPY / path.name)
        print(f"screenshot: {path} (copy: {SHOTS_COPY / path.name})")
        return path

    return save


@pytest.fixture
def page(browser: Browser, server: Api) -> Iterator[Page]:
    """A signed-in page (the token URL was opened once); fails the test on a script error or a CSP block."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on(
        "console",
        lambda msg: problems.append(f"console: {msg.text}") if "Content Security Policy" in msg.text else None,
    )
    pg.goto(server.server.page_url)
    # The token was swapped for the HttpOnly cookie and left the address bar.
    assert "token" not in pg.url
    expect(pg.get_by_role("heading", name="Tasks", exact=True)).to_be_visible()
    yield pg
    context.close()
    assert problems == []


def wait_for(what: str, check: Callable[[], object], timeout_s: float = 20) -> object:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def screen_point(page: Page, xy: tuple[float, float]) -> tuple[float, float]:
    """Where a point of the remote page (frame pixels) is on the displayed live view."""
    img = page.locator(".live-img")
    box = img.bounding_box()
    assert box is not None
    width, height = img.evaluate("el => [el.naturalWidth, el.naturalHeight]")
    return box["x"] + xy[0] * box["width"] / width, box["y"] + xy[1] * box["height"] / height


def status_badge(page: Page):  # type: ignore[no-untyped-def]
    return page.locator(".task-head .badge")


def test_a_task_from_the_form_streams_frames_halts_and_is_approved_then_replays(
    page: Page, server: Api, site, measure, shot
) -> None:
    steps = [click(measure("/shop/product/2", "#buy-now")), {"kind": "wait", "seconds": 0.5}]
    page.get_by_label("Instruction").fill("Buy the espresso maker")
    page.get_by_label("Start URL").fill(site.url + "/shop/product/2")
    page.get_by_label("Ephemeral").check()
    page.get_by_label("Brain").select_option("script")
    page.get_by_label("Script steps (JSON)").fill(json.dumps(steps))
    page.get_by_label("Max steps").fill("10")
    shot(page, "01-new-task-form")
    page.get_by_role("button", name="Create task").click()

    page.wait_for_url(re.compile(r"#/tasks/[^/]+$"))
    task_id = page.url.rsplit("/", 1)[1]
    # Frames arrive over the WebSocket and are shown at the frame's own size.
    expect(page.locator(".live")).to_have_attribute("data-seq", re.compile(r"^\d+$"), timeout=WAIT_MS)
    expect(page.locator(".live-stats")).to_contain_text(re.compile(r"frame #\d+ · [\d.]+ fps · 1280×800"))
    assert page.locator(".live-img").evaluate("el => [el.naturalWidth, el.naturalHeight]") == [1280, 800]

    banner = page.locator("section.halt")
    expect(banner).to_be_visible(timeout=WAIT_MS)
    expect(status_badge(page)).to_have_text("halted")
    expect(banner.locator(".halt-category-value")).to_have_text("purchase")
    expect(banner.locator(".halt-reason")).not_to_be_empty()
    crop = banner.locator(".halt-crop img")
    expect(crop).to_have_attribute(
        "src", re.compile(rf"/api/tasks/{task_id}/recording/frames/[0-9]{{4}}-[a-z0-9]+\.jpg$")
    )
    wait_for("the crop image", lambda: crop.evaluate("el => el.complete && el.naturalWidth") > 0)
    log = page.locator(".events")
    expect(log.locator(".ev-proposed").first).to_contain_text("click at")
    expect(log.locator(".ev-halted")).to_have_count(1)
    expect(log.locator(".ev-checked").first).to_be_attached()
    assert site.state()["buy_now"] == []
    shot(page, "02-halted")

    banner.get_by_label("Note for the agent (optional)").fill("yes, buy it")
    banner.get_by_role("button", name="Approve").click()
    expect(status_badge(page)).to_have_text("done", timeout=WAIT_MS)
    expect(page.locator("section.halt")).to_have_count(0)
    expect(log.locator(".ev-approved")).to_contain_text("yes, buy it")
    expect(log.locator(".ev-finished")).to_contain_text("done")
    assert site.state()["buy_now"] == [2]
    shot(page, "03-done")

    # The replay is the page the HTML export is made of, served with its frames by URL.
    page.get_by_role("link", name="Replay", exact=True).click()
    page.wait_for_url(f"**/tasks/{task_id}/replay**")
    scrubber = page.get_by_label("Timeline")
    expect(scrubber).to_be_visible()
    frames = int(scrubber.get_attribute("max") or 0) + 1
    assert frames >= 2
    frame = page.locator("section.current img.frame")
    first_src = frame.get_attribute("src")
    assert re.search(rf"/api/tasks/{task_id}/recording/frames/[0-9]{{4}}\.jpg$", first_src or "")
    page.locator("section.current figure.stage").click()
    page.keyboard.press("End")
    expect(scrubber).to_have_value(str(frames - 1))
    assert frame.get_attribute("src") != first_src
    page.keyboard.press("Home")
    expect(scrubber).to_have_value("0")
    scrubber.focus()
    page.keyboard.press("ArrowRight")
    expect(scrubber).to_have_value("1")
    expect(page.locator("#position")).to_contain_text(f"2 / {frames}")
    wait_for("the replay frame", lambda: frame.evaluate("el => el.complete && el.naturalWidth") > 0)
    # The first frame is the halted step: what the agent wanted to do there is beside it.
    page.keyboard.press("Home")
    expect(scrubber).to_have_value("0")
    expect(page.locator("section.current .info .action")).to_contain_text("click at")
    expect(page.locator("section.current .halt")).to_have_count(1)
    export = page.get_by_role("link", name="Download HTML replay")
    assert export.get_attribute("href") == f"/api/tasks/{task_id}/recording/export"
    res = page.request.get(server.url + (export.get_attribute("href") or ""))  # with the page's cookie
    assert res.status == 200 and "text/html" in res.headers["content-type"]
    shot(page, "04-replay")
    page.goto(f"{server.url}/#/tasks/{task_id}/replay")  # the address the app's replay view once had
    page.wait_for_url(f"{server.url}/tasks/{task_id}/replay#e0")
    expect(page.get_by_label("Timeline")).to_have_value("0")


def test_take_over_type_into_the_page_by_hand_and_hand_back(page: Page, server: Api, site, measure, shot) -> None:
    compose = "/mail/compose?to=sam@example.com&subject=Hi"
    body_xy = measure(compose, "#c-body")
    send_xy = measure(compose, "#send")
    steps = [click(body_xy), {"kind": "type", "text": "See you at 6"}, click(send_xy)]
    task_id = server.create(site.url + compose, steps, instruction="Tell Sam about dinner")["id"]
    page.goto(f"{server.url}/#/tasks/{task_id}")
    banner = page.locator("section.halt")
    expect(banner).to_be_visible(timeout=WAIT_MS)
    expect(banner.locator(".halt-category-value")).to_have_text("send")

    banner.get_by_role("button", name="Take over").click()
    expect(page.get_by_role("heading", name="You are driving")).to_be_visible(timeout=WAIT_MS)
    expect(status_badge(page)).to_have_text("takeover")
    live = page.locator(".live")
    expect(live).to_be_focused()
    expect(live).to_have_class(re.compile(r"\bis-driving\b"))
    shot(page, "05-driving")

    page.mouse.click(*screen_point(page, body_xy))
    page.keyboard.press("End")
    page.keyboard.type(" or 7, typed by hand")
    page.mouse.click(*screen_point(page, send_xy))
    sent = wait_for("the mail the person sent", lambda: site.state()["sent"])
    assert sent == [
        {"to": "sam@example.com", "subject": "Hi", "body": "See you at 6 or 7, typed by hand", "via": "button"}
    ]
    expect(page.locator(".events .ev-human_input").first).to_be_attached()
    expect(page.locator(".events .ev-human_input", has_text="type “")).not_to_have_count(0)
    shot(page, "06-typed-by-hand")

    # Keyboard only: Esc twice leaves the live view for the Hand back button (the first Esc went to the page).
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    hand_back = page.get_by_role("button", name="Hand back")
    expect(hand_back).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="You are driving")).to_be_hidden()
    expect(status_badge(page)).to_have_text("done", timeout=WAIT_MS)
    expect(page.locator(".events .ev-takeover_ended")).to_have_count(1)
    expect(page.locator(".log-state")).to_have_text("task ended")  # the stream's `event: end`
    assert len(site.state()["sent"]) == 1
    shot(page, "07-handed-back")

    page.get_by_role("link", name="All tasks").click()
    row = page.locator(f"table.tasks tr[data-id='{task_id}']")
    expect(row.locator(".badge")).to_have_text("done")
    expect(row.get_by_role("link")).to_have_text("Tell Sam about dinner")
    shot(page, "08-task-list")


def test_the_form_shows_the_servers_message_next_to_the_field_it_names(page: Page, server: Api) -> None:
    before = server.client.get("/api/tasks").json()
    url = page.get_by_label("Start URL")
    url.fill("ftp://example.com/file")
    page.get_by_role("button", name="Create task").click()
    expect(url).to_have_attribute("aria-invalid", "true")
    expect(url).to_be_focused()
    error = page.locator(f"#{url.get_attribute('id')}-error")
    expect(error).to_contain_text("start_url")
    assert error.get_attribute("id") in (url.get_attribute("aria-describedby") or "")

    url.fill("http://127.0.0.1:9/")
    page.get_by_label("Brain").select_option("script")
    steps = page.get_by_label("Script steps (JSON)")
    steps.fill('[{"kind": "click", "x": "left"}]')
    page.get_by_role("button", name="Create task").click()
    expect(steps).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{steps.get_attribute('id')}-error")).to_contain_text("brain.steps[0]")
    expect(url).not_to_have_attribute("aria-invalid", "true")
    after = server.client.get("/api/tasks").json()
    assert len(after["tasks"]) == len(before["tasks"])


def test_profiles_page_creates_and_deletes_a_profile(page: Page, shot) -> None:
    page.get_by_role("link", name="Profiles").click()
    expect(page.get_by_role("heading", name="Profiles", exact=True).first).to_be_visible()
    name = page.get_by_label("Name")
    name.fill("bad name!")
    page.get_by_role("button", name="Create profile").click()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#profile-name-error")).not_to_be_empty()
    name.fill("web-test")
    page.get_by_role("button", name="Create profile").click()
    row = page.locator("table.profiles tr[data-name='web-test']")
    expect(row).to_be_visible()
    shot(page, "09-profiles")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Delete web-test").click()
    expect(row).to_have_count(0)


def test_the_halt_banner_says_why_the_target_could_not_be_examined(page: Page, server: Api, shot) -> None:
    """A probe that cannot map a click (a scaled cross-site frame) halts, and the banner names the cause."""
    from tests.integration.probe_pages import site_fixture

    pages = site_fixture()
    fixtures = next(pages)
    try:
        # A point inside the frame, which is drawn at 0.8 of its size: no offset maps it inside.
        steps = [{"kind": "wait", "seconds": 0.5}, {"kind": "click", "x": 70, "y": 120}]
        page.get_by_label("Instruction").fill("Post the status")
        page.get_by_label("Start URL").fill(fixtures.url + "/transformed.html")
        page.get_by_label("Ephemeral").check()
        page.get_by_label("Brain").select_option("script")
        page.get_by_label("Script steps (JSON)").fill(json.dumps(steps))
        page.get_by_role("button", name="Create task").click()
        banner = page.locator("section.halt")
        expect(banner).to_be_visible(timeout=WAIT_MS)
        expect(banner.locator(".halt-category-value")).to_have_text("unknown")
        expect(banner.locator(".halt-reason")).to_contain_text(
            "the target could not be examined: the click lands in a cross-site frame that is drawn scaled"
        )
        shot(page, "05-halt-probe-cause")
        page.get_by_role("button", name="Reject").click()
        expect(status_badge(page)).not_to_have_text("halted", timeout=WAIT_MS)
        assert fixtures.posts == []
    finally:
        next(pages, None)


def test_scope_from_the_form_and_a_held_request_in_the_halt_banner(page: Page, server: Api, site, shot) -> None:
    """The form sends the task's sites and asking policy; a halt whose requests are held shows each of
    them (method, URL, fields, operation, category) as text, and the answer reaches the task.

    The halt is the effect gate's: built here, sent through the running task's own sinks (recorder,
    status, stream) and then put to the task's approver, as the gate does: the page cannot tell the
    difference, and the answer it gives is the one the gate would get."""
    from homebody.recordings.recorder import EVENTS_FILE
    from homebody.types import ApprovalDecision
    from tests.unit.test_replay import HOSTILE, held_halt

    page.get_by_label("Instruction").fill("Wait for a while")
    page.get_by_label("Start URL").fill(site.url + "/shop")
    page.get_by_label("Ephemeral").check()
    page.get_by_label("Brain").select_option("script")
    page.get_by_label("Script steps (JSON)").fill(json.dumps([{"kind": "wait", "seconds": 0.3}] * 300))
    sites = page.get_by_label("Sites this task may also act on")
    sites.fill("Pay.Example, ftp://cdn.example")
    page.get_by_label("Ask before every change").check()
    page.get_by_role("button", name="Create task").click()
    expect(sites).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{sites.get_attribute('id')}-error")).to_contain_text("sites: 'ftp://cdn.example'")
    sites.fill("Pay.Example, cdn.example:8443\nshop.example")
    page.get_by_role("button", name="Create task").click()
    page.wait_for_url(re.compile(r"#/tasks/[^/]+$"))
    task_id = page.url.rsplit("/", 1)[1]
    created = server.task(task_id)
    assert (created["sites"], created["ask"]) == (["pay.example", "cdn.example", "shop.example"], "every-change")
    meta = page.locator("dl.meta")
    expect(meta).to_contain_text("pay.example, cdn.example, shop.example")
    expect(meta).to_contain_text("every change it sends")

    manager = server.server.app.state.manager
    live = wait_for("the task's browser", lambda: (lv := manager.live(task_id)) and lv.takeover and lv)
    step = server.wait(task_id, "running", steps=1)["steps"]
    halted = held_halt(task_id, step=step, hostile=HOSTILE)
    sink = live.takeover._sink  # the task's sinks: recorder, status tracker, event stream

    async def gate() -> ApprovalDecision:
        await sink.emit(halted)
        return await live.desk.decide(halted, None)

    answer = asyncio.run_coroutine_threadsafe(gate(), live.runner.get_loop())

    banner = page.locator("section.halt")
    expect(banner).to_be_visible(timeout=WAIT_MS)
    expect(banner.get_by_role("heading")).to_contain_text("holding what the agent’s action would send (purchase)")
    items = banner.locator("ol.held > li.held-item")
    expect(items).to_have_count(2)
    first, second = items.nth(0), items.nth(1)
    expect(first.locator(".held-method")).to_have_text("POST")
    expect(first.locator(".held-url")).to_have_text("https://shop.test/api/graphql?session=•••")
    expect(first.locator(".held-fields")).to_have_text(f"Fields cardNumber, qty, {HOSTILE}")
    expect(first.locator(".held-operation")).to_have_text("Operation mutation PlaceOrder")
    expect(first.locator(".held-category")).to_have_text("purchase")
    expect(first.locator(".held-reason")).to_have_text("the request places an order")
    expect(second.locator(".held-method")).to_have_text("GET")
    expect(second.locator(".held-url")).to_have_text(f"https://elsewhere.test/{HOSTILE}")
    expect(second.locator(".held-kind")).to_have_text("As a navigation")
    expect(second.locator(".held-category")).to_have_text("leave_scope")
    expect(banner.locator(".halt-reason")).to_have_text(f"the click sends an order{HOSTILE}")
    log = page.locator(".events .ev-halted")
    expect(log).to_contain_text("holding: POST https://shop.test/api/graphql?session=•••")
    assert page.locator("img[src='x']").count() == 0 and page.evaluate("window.__pwned") is None
    assert server.task(task_id)["halt"]["held"][1]["outgoing"]["url"] == f"https://elsewhere.test/{HOSTILE}"
    shot(page, "10-held-requests")

    banner.get_by_label("Note for the agent (optional)").fill("do not send it")
    banner.get_by_role("button", name="Reject").click()
    expect(page.locator("section.halt")).to_have_count(0, timeout=WAIT_MS)
    decision = answer.result(10)
    assert (decision.approved, decision.note, decision.by) == (False, "do not send it", "user")
    assert server.post(task_id, "cancel")["status"] in ("running", "cancelled")
    server.wait(task_id, "cancelled")
    recorded = (server.server.settings.tasks_dir / task_id / EVENTS_FILE).read_text(encoding="utf-8")
    assert '"held":[{"id":"h1"' in recorded


def test_a_finished_task_waits_unread_in_the_inbox_and_opening_it_shows_its_replay(
    page: Page, server: Api, site, shot
) -> None:  # type: ignore[no-untyped-def]
    task_id = server.create(
        site.url + "/shop/product/2", [{"kind": "done", "answer": "the lamp costs 12 €"}], instruction="Price the lamp"
    )["id"]
    server.wait(task_id, "done")
    count = page.locator("#inbox-count")
    expect(count).to_be_visible(timeout=WAIT_MS)  # the nav link counts it (the count may include other tests')
    page.locator("a[data-nav='inbox']").click()
    expect(page.get_by_role("heading", name="Inbox", exact=True)).to_be_visible()
    entry = page.locator(f".inbox-item[data-id='{task_id}']")
    expect(entry).to_have_attribute("data-read", "false")
    expect(entry).to_contain_text("Unread")
    expect(entry).to_contain_text("the lamp costs 12 €")
    expect(entry.locator(".badge")).to_have_text("done")
    assert page.locator(".inbox-item").first.get_attribute("data-id") == task_id  # newest first
    shot(page, "12-inbox")
    entry.get_by_role("link", name="Price the lamp").click()
    page.wait_for_url(re.compile(rf"/tasks/{task_id}/replay$"))
    read = server.client.get("/api/inbox").json()["items"]
    assert next(item for item in read if item["task"]["id"] == task_id)["read"] is True
    page.goto(server.url + "/#/inbox")
    expect(page.locator(f".inbox-item[data-id='{task_id}']")).to_have_attribute("data-read", "true")


def test_a_schedule_from_the_form_runs_now_lands_in_the_inbox_and_is_removed(
    page: Page, server: Api, site, shot
) -> None:  # type: ignore[no-untyped-def]
    """The Schedules view: the form (its 422s next to the fields they name, task's and trigger's alike),
    the list (when, next run in local time, state), Run now, the run with its task's link, the task's
    answer unread in the inbox, and Remove."""
    page.locator("a[data-nav='schedules']").click()
    expect(page.get_by_role("heading", name="Schedules", exact=True)).to_be_visible()
    page.get_by_label("Instruction").fill("Check the shop")
    url = page.get_by_label("Start URL")
    url.fill("ftp://example.com/shop")
    page.get_by_label("Ephemeral").check()
    page.get_by_label("Brain").select_option("script")
    page.get_by_label("Script steps (JSON)").fill(json.dumps([{"kind": "done", "answer": "checked"}]))
    interval = page.get_by_label("Interval")
    interval.fill("0")
    page.get_by_role("button", name="Create schedule").click()
    # One 422 names both: each part lands next to its own field, the first one in the form takes focus.
    expect(url).to_have_attribute("aria-invalid", "true")
    expect(url).to_be_focused()
    expect(page.locator(f"#{url.get_attribute('id')}-error")).to_contain_text("task.start_url")
    expect(interval).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{interval.get_attribute('id')}-error")).to_contain_text("trigger.seconds")
    assert server.client.get("/api/schedules").json()["schedules"] == []

    url.fill(site.url + "/shop")
    page.get_by_label("On a cron schedule").check()
    expect(interval).to_be_hidden()
    page.get_by_label("Cron expression").fill("0 8 * * *")
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value(page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone"))
    zone.fill("Mars/Olympus")
    page.get_by_role("button", name="Create schedule").click()
    expect(zone).to_have_attribute("aria-invalid", "true")
    zone_error = page.locator(f"#{zone.get_attribute('id')}-error")
    expect(zone_error).to_contain_text("'Mars/Olympus' is not a known time zone")
    expect(url).not_to_have_attribute("aria-invalid", "true")
    page.get_by_label("Every", exact=True).check()
    interval.fill("1")
    page.get_by_label("Unit").select_option("h")
    page.get_by_role("button", name="Create schedule").click()
    item = page.locator("li.schedule")
    expect(item).to_have_count(1)
    (made,) = server.client.get("/api/schedules").json()["schedules"]
    assert (made["trigger"], made["task"]["brain"]["kind"]) == ({"kind": "every", "seconds": 3600.0}, "script")
    expect(url).not_to_have_attribute("aria-invalid", "true")
    expect(item).to_have_attribute("data-id", made["id"])
    expect(item.locator(".schedule-what")).to_have_text("Check the shop")
    expect(item.locator(".schedule-when")).to_have_text("every 1 h")
    expect(item.locator(".badge")).to_have_text("active")
    local = page.evaluate("t => new Date(t * 1000).toLocaleString()", made["next_run"])
    expect(item.locator(".next-run")).to_have_text(local)
    expect(item.locator(".runs-count")).to_have_text("0")

    item.get_by_role("button", name="Run now").click()
    path = f"/api/schedules/{made['id']}"
    task_id = str(wait_for("the schedule's run", lambda: server.client.get(path).json()["last_task_id"]))
    assert server.wait(task_id, "done")["answer"] == "checked"
    expect(item.locator(".runs-count")).to_have_text("1", timeout=WAIT_MS)
    expect(item.locator("a.last-task")).to_have_attribute("href", f"#/tasks/{task_id}")
    expect(item.locator(".next-run")).to_have_text(local)  # a run now leaves the next one where it was
    item.locator("summary", has_text="Recent runs").click()
    run = item.locator("ol.runs > li.run")
    expect(run).to_have_count(1)
    expect(run).to_have_attribute("data-outcome", "started")
    expect(run.get_by_role("link")).to_have_attribute("href", f"#/tasks/{task_id}")
    shot(page, "13-schedules")

    page.locator("a[data-nav='inbox']").click()
    entry = page.locator(f".inbox-item[data-id='{task_id}']")
    expect(entry).to_have_attribute("data-read", "false", timeout=WAIT_MS)
    expect(entry).to_contain_text("checked")

    page.locator("a[data-nav='schedules']").click()
    item = page.locator(f"li.schedule[data-id='{made['id']}']")
    item.get_by_role("button", name="Pause").click()
    expect(item.locator(".badge").first).to_have_text("paused")
    expect(item.locator(".next-run")).to_have_text("— (paused)")
    assert server.client.get(f"/api/schedules/{made['id']}").json()["state"] == "paused"
    item.get_by_role("button", name="Resume").click()
    expect(item.locator(".badge").first).to_have_text("active")
    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("button", name="Remove").click()
    expect(item).to_have_count(0)
    expect(page.get_by_text("No schedules yet.")).to_be_visible()
    assert server.client.get("/api/schedules").json()["schedules"] == []
    assert server.task(task_id)["status"] == "done"  # its tasks stay

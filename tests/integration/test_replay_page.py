"""The server's replay page is the exported replay: the same markup from the same code, with its
style and script served from the same two files the export writes into itself, and the frames by URL.

The server runs no task here (``max_running=0``: tasks queue), so a recording written into a queued
task's folder stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from homebody.recordings.export import render_html
from homebody.recordings.page import SCRIPT, STATIC_DIR, STYLE
from homebody.recordings.timeline import read_timeline
from tests.integration.test_api_support import Api, api_server
from tests.unit.test_replay import HOSTILE, record


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with api_server(tmp_path_factory.mktemp("replay-page") / "data", max_running=0) as api:
        yield api


def recorded_task(api: Api, hostile: str = "") -> tuple[str, Path]:
    task_id = api.create("http://127.0.0.1:9/", [{"kind": "done"}])["id"]
    return task_id, record(api.server.settings.tasks_dir / task_id, hostile=hostile)


def main_part(page: str) -> str:
    """The entries of a replay page, with every picture's source made the same."""
    main = page.split('<main id="entries">', 1)[1].split("</main>", 1)[0]
    return re.sub(r' src="[^"]*"', ' src="…"', main)


def test_the_replay_page_is_the_export_with_its_frames_and_files_linked(api: Api) -> None:
    task_id, folder = recorded_task(api, hostile=HOSTILE)
    res = api.client.get(f"/tasks/{task_id}/replay")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    page, export = res.text, render_html(read_timeline(folder))
    assert main_part(page) == main_part(export)
    assert "<img src=x" not in page and "&lt;/script&gt;&lt;img src=x onerror=" in page
    # one script element that runs, from this server; no inline code, no policy of its own (the server sends it)
    assert re.findall(r"<script[^>]*>", page) == [
        '<script type="application/json" id="timeline-data">',
        f'<script type="module" src="/static/replay/{SCRIPT}">',
    ]
    assert f'<link rel="stylesheet" href="/static/replay/{STYLE}">' in page and "<style" not in page
    assert " style=" not in page and "Content-Security-Policy" not in page
    sources = re.findall(r' src="([^"]*)"', page)
    frames = [s for s in sources if "/recording/frames/" in s]
    assert len(frames) == 5  # three step frames, the takeover's (the halted step's again), the halt crop
    for src in frames:
        picture = api.client.get(src)
        assert picture.status_code == 200 and picture.content[:3] == b"\xff\xd8\xff", src
    assert f'href="/api/tasks/{task_id}/recording/export" download' in page


def test_the_page_and_the_export_use_the_same_style_and_script_files(api: Api) -> None:
    _, folder = recorded_task(api)
    export = render_html(read_timeline(folder))
    for name in (STYLE, SCRIPT):
        source = (STATIC_DIR / name).read_text(encoding="utf-8")
        served = api.client.get(f"/static/replay/{name}")
        assert served.status_code == 200 and served.text == source
        assert source in export
    assert api.client.get("/static/replay/app.js").status_code == 404  # the web app's files stay apart
    assert api.client.get("/static/replay/..%2Fpage.py").status_code in (404, 422)


def test_a_task_without_a_recording_or_with_a_damaged_one_says_so(api: Api) -> None:
    queued = api.create("http://127.0.0.1:9/", [{"kind": "done"}])["id"]
    res = api.client.get(f"/tasks/{queued}/replay")
    assert res.status_code == 404 and "Nothing to replay yet" in res.text
    assert "/static/replay/replay.css" in res.text and 'href="/#/"' in res.text
    task_id, folder = recorded_task(api)
    lines = (folder / "events.jsonl").read_text().splitlines()
    (folder / "events.jsonl").write_text("\n".join([lines[0], '{"type": "observed", "oops": 1}', *lines[1:]]) + "\n")
    damaged = api.client.get(f"/tasks/{task_id}/replay")
    assert damaged.status_code == 409 and "line 2" in damaged.text
    assert api.client.get("/tasks/20200101-000000-00000000/replay").status_code == 404

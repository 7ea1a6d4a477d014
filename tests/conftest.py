"""Shared fixtures: thread limits, the demo site, a CLI runner, element coordinates."""

from __future__ import annotations

import contextlib
import io
import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from homebody.sessions.browser.launch import launch_flags
from homebody.vision.pixels.ocr import OcrReader

# Two cores oversubscribed are many times slower: one thread per library in tests.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_THREAD_LIMIT"):
    os.environ.setdefault(_var, "1")

# The same flags homebody itself launches Chromium with (privacy flags, no sandbox as root).
CHROMIUM_FLAGS = launch_flags(headless=True, running_as_root=os.geteuid() == 0)


@pytest.fixture(scope="session")
def demo_site() -> Iterator[object]:
    from homebody.demo import start_demo_site

    with start_demo_site() as site:
        yield site


@pytest.fixture
def site(demo_site: object) -> object:
    demo_site.reset()  # type: ignore[attr-defined]
    return demo_site


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def events(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["HOMEBODY_DATA_DIR"] = str(data_dir)
    env.pop("HOMEBODY_BROWSER", None)
    env.update(extra)
    return env


@pytest.fixture
def hb(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run the real ``homebody`` command in a subprocess with a private data dir."""

    def run(*args: str, timeout: float = 90, stdin: str = "", **env: str) -> CliResult:
        proc = subprocess.run(
            [sys.executable, "-m", "homebody", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=cli_env(tmp_path / "data", **env),
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run


@dataclass(frozen=True)
class Spot:
    """Where to measure: ``selector`` on ``path``, optionally inside the iframe ``frame``, after
    clicking ``before`` and running ``js``; the centre of its box, or its top-left corner plus ``offset``."""

    path: str
    selector: str
    before: str | None = None
    frame: str | None = None
    offset: tuple[float, float] | None = None
    js: str | None = None


class _Measurer(threading.Thread):
    """A sync Playwright in its own thread: tests on the main thread stay free to run asyncio."""

    def __init__(self, base_url: str) -> None:
        super().__init__(daemon=True)
        self._base = base_url
        self._requests: queue.Queue[Spot | None] = queue.Queue()
        self._answers: queue.Queue[tuple[float, float] | BaseException] = queue.Queue()

    def run(self) -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=_browser(), args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
            page.set_default_timeout(5000)
            while (spot := self._requests.get()) is not None:
                try:
                    page.goto(self._base + spot.path)
                    if spot.before:
                        page.click(spot.before)
                    if spot.js:
                        page.evaluate(spot.js)
                    scope = page.frame_locator(spot.frame) if spot.frame else page
                    box = scope.locator(spot.selector).first.bounding_box()
                    assert box is not None, f"{spot.selector} is not visible on {spot.path}"
                    if spot.offset:
                        self._answers.put((round(box["x"] + spot.offset[0]), round(box["y"] + spot.offset[1])))
                    else:
                        self._answers.put((round(box["x"] + box["width"] / 2), round(box["y"] + box["height"] / 2)))
                except BaseException as exc:  # handed to the test that asked
                    self._answers.put(exc)
            browser.close()

    def centre(self, spot: Spot) -> tuple[float, float]:
        self._requests.put(spot)
        answer = self._answers.get(timeout=60)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def stop(self) -> None:
        self._requests.put(None)
        self.join(30)


@pytest.fixture(scope="session")
def measure(demo_site: object):  # type: ignore[no-untyped-def]
    """Centre of an element on a demo page, in viewport CSS pixels, measured in real Chromium.

    ``measure(path, selector, before=None, frame=None, offset=None)``: see ``Spot``.
    """
    cache: dict[Spot, tuple[float, float]] = {}
    measurer = _Measurer(demo_site.url)  # type: ignore[attr-defined]
    measurer.start()

    def centre(path: str, selector: str, **options: object) -> tuple[float, float]:
        spot = Spot(path, selector, **options)  # type: ignore[arg-type]
        if spot not in cache:
            cache[spot] = measurer.centre(spot)
        return cache[spot]

    yield centre
    measurer.stop()


def _browser() -> str:
    from homebody.sessions.browser.launch import find_browser

    return find_browser(os.environ.get("HOMEBODY_BROWSER"))


def write_script(path: Path, actions: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps(actions), encoding="utf-8")
    return path


def click(xy: tuple[float, float]) -> dict[str, object]:
    return {"kind": "click", "x": xy[0], "y": xy[1]}


@dataclass(frozen=True)
class XDisplay:
    """A private X server for desktop tests: ``name`` is the DISPLAY value (``:NN``)."""

    name: str
    width: int
    height: int


@pytest.fixture(scope="session")
def xvfb() -> Iterator[XDisplay]:
    """Start Xvfb on a free display number for the test session (``scripts/ensure-desktop.sh``
    installs it); tests that need it skip with the reason when it cannot start."""
    import shutil
    import time

    exe = shutil.which("Xvfb")
    if exe is None:
        pytest.skip("Xvfb is not installed (scripts/ensure-desktop.sh installs it)")
    for number in range(90, 120):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        proc = subprocess.Popen(
            [exe, f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.05)
        if proc.poll() is None:
            try:
                yield XDisplay(f":{number}", 1280, 800)
            finally:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            return
    pytest.skip("no free X display number for Xvfb")


def run_in_process(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``homebody ARGV`` through the CLI's own entry point in this process (the same code a
    subprocess would run, without a second interpreter's start-up): its exit code and output."""
    from homebody.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), Path.cwd()
    os.environ.clear()
    os.environ.update(env)
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["homebody", *argv], code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def reader() -> OcrReader:
    """One loaded OCR reader for the tests that drive the steps brain (the models load once)."""
    ocr = OcrReader(threads=2)
    ocr.load()
    return ocr

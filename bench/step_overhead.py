"""Per-step overhead of the operator loop, split by phase, next to the raw Playwright floor.

Runs a scripted task (clicks on a counter button) through the real loop, browser and recorder,
timing each phase; then, on the same page in the same run, times a bare Playwright JPEG
screenshot + click (the floor no agent can beat). Prints medians and the ratio.

    .venv/bin/python bench/step_overhead.py --steps 30
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from homebody.config import Limits, Settings
from homebody.events import Event
from homebody.operator.loop import Operator
from homebody.operator.task import TaskSpec
from homebody.recordings.recorder import Recorder
from homebody.safety.chain import CheckerChain
from homebody.sessions.browser.computer import BrowserComputer
from homebody.types import Action, Box, BrainInput, CheckResult, Click, Decision, Frame, TargetInfo
from homebody.vision.pixels.regions import RegionTools
from homebody.vision.pixels.verifier import PixelVerifier
from homebody.vision.scripted import ScriptBrain

PAGE = (
    "data:text/html,<title>bench</title><body style='margin:0;font:16px sans-serif'>"
    "<button id=b style='position:absolute;left:100px;top:100px;width:200px;height:60px' "
    "onclick='document.getElementById(\"c\").textContent=++window.n'>Count</button>"
    "<p id=c style='position:absolute;left:100px;top:200px;font-size:32px'>0</p><script>window.n=0</script>"
)
TIMES: dict[str, list[float]] = defaultdict(list)


def timed(phase: str):  # type: ignore[no-untyped-def]
    def wrap(fn):  # type: ignore[no-untyped-def]
        async def inner(*args, **kwargs):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                TIMES[phase].append((time.perf_counter() - t0) * 1000)

        return inner

    return wrap


class TimedComputer:
    kind = "browser"

    def __init__(self, inner: BrowserComputer) -> None:
        self.inner = inner
        self.capture = timed("capture")(inner.capture)
        self.click = timed("act")(inner.click)
        self.settle = timed("settle")(inner.settle)
        self.type_text, self.press, self.scroll, self.navigate = (
            inner.type_text,
            inner.press,
            inner.scroll,
            inner.navigate,
        )
        # The page's own signals, as the loop gives them to the verifier (their readings count under verify).
        self.activity = inner.activity


class TimedBrain:
    name = "script"

    def __init__(self, actions: Sequence[Action]) -> None:
        self._inner = ScriptBrain(actions)

    @timed("decide")
    async def decide(self, inp: BrainInput) -> Decision:
        return await self._inner.decide(inp)


class AllowClicks:
    """Allows every action: the bench times the loop, not the rules (an empty chain halts)."""

    name = "allow"

    async def check(self, action: Action, target: TargetInfo | None, frame: Frame) -> CheckResult:
        return CheckResult(verdict="allow", reason="the bench allows every action", target=target)


class TimedChecker:
    def __init__(self) -> None:
        self._inner = CheckerChain([AllowClicks()])
        self.name = self._inner.name

    @timed("check")
    async def check(self, action: Action, target: TargetInfo | None, frame: Frame) -> CheckResult:
        return await self._inner.check(action, target, frame)


class TimedSink:
    """Times the recorder, summed per step (a step writes several events and a frame)."""

    def __init__(self, inner: Recorder) -> None:
        self._inner = inner
        self.per_step: dict[int, float] = defaultdict(float)

    async def emit(self, event: Event, frame: Frame | None = None) -> None:
        t0 = time.perf_counter()
        await self._inner.emit(event, frame)
        if event.step > 0 and event.type in {"observed", "proposed", "checked", "executed"}:
            self.per_step[event.step] += (time.perf_counter() - t0) * 1000


class TimedVerifier(PixelVerifier):
    @timed("verify")
    async def verify(self, capture, before, action, focus, signals=None):  # type: ignore[no-untyped-def]
        return await super().verify(capture, before, action, focus, signals)


class TimedRegions(RegionTools):
    def region_changed(self, before: Frame, after: Frame, box: Box) -> bool:
        t0 = time.perf_counter()
        try:
            return super().region_changed(before, after, box)
        finally:
            TIMES["guard"].append((time.perf_counter() - t0) * 1000)


async def floor(computer: BrowserComputer, steps: int) -> list[float]:
    page = computer.page
    out = []
    for _ in range(steps):
        t0 = time.perf_counter()
        await page.screenshot(type="jpeg", quality=80)
        await page.mouse.click(200, 130)
        out.append((time.perf_counter() - t0) * 1000)
    return out


async def main(steps: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), limits=Limits(max_steps=steps + 1))
        computer = await BrowserComputer.open(settings, ephemeral=True)
        recorder = Recorder(Path(tmp) / "tasks" / "bench")
        try:
            brain = TimedBrain([Click(x=200, y=130)] * steps)
            sink = TimedSink(recorder)
            op = Operator(
                TimedComputer(computer),  # type: ignore[arg-type]
                brain,
                TimedChecker(),
                sink,
                settings.limits,
                regions=TimedRegions(),
                verifier=TimedVerifier(),
            )
            await computer.navigate(PAGE)
            result = await op.run(TaskSpec("bench", "click", "", "script", None, steps + 1))
            assert result.outcome == "done", result
            await computer.navigate(PAGE)
            raw = await floor(computer, steps)
        finally:
            recorder.close()
            await computer.close()
    report(steps, raw, list(sink.per_step.values()))


def report(steps: int, raw: list[float], record: list[float]) -> None:
    TIMES["record"] = record
    print(f"{steps} steps; milliseconds per step (record = the step's events and frame, fsynced)")
    print(f"{'phase':<10}{'median':>9}{'p95':>9}")
    for phase in ("capture", "decide", "check", "act", "record", "settle", "guard", "verify"):
        values = sorted(TIMES[phase])
        print(f"{phase:<10}{statistics.median(values):>9.2f}{_p95(values):>9.2f}")
    loop = sum(statistics.median(TIMES[p]) for p in ("capture", "decide", "check", "act", "record"))
    floor_med = statistics.median(raw)
    print(f"loop (capture..record): {loop:.1f} ms; floor (bare Playwright JPEG screenshot + click): {floor_med:.1f} ms")
    print(f"ratio loop/floor: {loop / floor_med:.2f}x")
    print(
        f"page-load wait {statistics.median(TIMES['settle']):.1f} ms; stale-frame guard pixel work "
        f"{statistics.median(TIMES['guard']):.1f} ms (its capture is counted under capture); "
        f"verify (settle + diff) {statistics.median(TIMES['verify']):.1f} ms"
    )


def _p95(values: list[float]) -> float:
    return values[min(len(values) - 1, int(len(values) * 0.95))]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=30)
    asyncio.run(main(parser.parse_args().steps))

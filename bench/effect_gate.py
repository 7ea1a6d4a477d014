"""What the effect gate costs: page loads with the hold on vs off, per-step time, false holds.

1. Page loads: the demo site's pages and MiniWoB pages, each loaded alternately in a browser with
   the gate installed (per-tab request interception, new-tab and WebSocket holds; every load
   screened as an agent's navigation), in one without, and in one with a bare Playwright route
   that only continues every request (the interception an earlier design used: it turns the HTTP
   cache off). Median load time per group and the ratio to no gate.
2. Per step: a scripted task clicking a counter on a page that POSTs analytics every 250 ms,
   through the real loop with the rules checker, once with the gate and once without. Median
   step time (one ``executed`` event to the next) and the difference.
3. False holds: every ``halted`` event and every held effect in those runs (target 0): the
   analytics POSTs are the page's own, the counter's clicks send nothing.
4. The new-tab hold's limit: a page that opens an empty window and sends it to a URL itself after
   a delay; for each delay, how many of the loads the gate screened (the rest left before the new
   tab was held).

    OMP_NUM_THREADS=1 .venv/bin/python bench/effect_gate.py --loads 15 --steps 25
"""

from __future__ import annotations

import argparse
import asyncio
import http.server
import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from playwright.async_api import Route

from bench.miniwob.pages import MiniwobSite
from homebody.compose.build import build_operator
from homebody.config import Limits, Settings
from homebody.demo.server import start_demo_site
from homebody.events import Event
from homebody.operator.effects import EffectWatch
from homebody.operator.task import TaskSpec
from homebody.safety.effect_rules import EffectRules
from homebody.safety.policy import Policy
from homebody.safety.scope import TaskScope
from homebody.sessions.browser.computer import BrowserComputer
from homebody.types import CheckResult, Click, Frame, Outgoing
from homebody.vision.scripted import ScriptBrain

DEMO_PATHS = ("/", "/shop", "/shop/product/1", "/shop/search?q=lamp", "/mail", "/bank", "/social")
MINIWOB_TASKS = ("click-button", "enter-text", "choose-list", "click-checkboxes", "login-user")
COUNTER = (
    b"<!doctype html><title>bench</title><body style='margin:0;font:16px sans-serif'>"
    b"<button id=b style='position:absolute;left:100px;top:100px;width:200px;height:60px' "
    b"onclick='document.getElementById(\"c\").textContent=++window.n'>Count</button>"
    b"<p id=c style='position:absolute;left:100px;top:200px;font-size:32px'>0</p><script>window.n=0;"
    b"setInterval(()=>fetch('/analytics',{method:'POST',body:JSON.stringify({event:'tick',t:Date.now()})}),250)"
    b"</script>"
)


OPENER = (
    b"<!doctype html><title>bench</title><body style='margin:0'>"
    b"<button style='position:absolute;left:0;top:0;width:300px;height:100px' onclick=\"const w = window.open();"
    b" const d = Number(new URLSearchParams(location.search).get('d'));"
    b" setTimeout(() => { w.location = '/opened?d=' + d + '&r=' + Math.random(); }, d)\">Open</button>"
)
RACE_DELAYS_MS = (0, 10, 20, 40, 80, 160)


class _Counter(http.server.BaseHTTPRequestHandler):
    posts = 0

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._send(OPENER if self.path.startswith("/opener") else COUNTER, "text/html")

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).posts += 1
        self._send(b"{}", "application/json")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Events:
    """Collects a task's events: step times and halts."""

    def __init__(self) -> None:
        self.executed: list[float] = []
        self.halts: list[Event] = []

    async def emit(self, event: Event, frame: Frame | None = None) -> None:
        if event.type == "executed":
            self.executed.append(event.ts)
        elif event.type == "halted":
            self.halts.append(event)


def watch_for(url: str) -> EffectWatch:
    return EffectWatch(EffectRules(Policy(), TaskScope(url), "bench"))


async def _continue(route: Route) -> None:
    await route.continue_()


async def page_loads(settings: Settings, urls: Sequence[str], loads: int) -> tuple[dict[str, list[float]], int]:
    """Load times (ms) without the gate, with a bare Playwright route (an earlier design's
    interception, which also turns the HTTP cache off) and with the gate, alternating; and how many
    effects the gate held."""
    browsers = {name: await BrowserComputer.open(settings, ephemeral=True) for name in ("off", "route", "on")}
    watch = watch_for(urls[0])
    try:
        await browsers["route"].context.route("**/*", _continue)
        await browsers["on"].hold_effects(watch)
        times: dict[str, list[float]] = {name: [] for name in browsers}
        for url in urls:  # warm all: the first load of a page fills caches and starts processes
            for computer in browsers.values():
                await computer.navigate(url)
        for _ in range(loads):
            for url in urls:
                for name, computer in browsers.items():
                    watch.arm(approved=False, harmless=False)  # screened as the agent's navigation
                    started = time.perf_counter()
                    await computer.navigate(url)
                    times[name].append((time.perf_counter() - started) * 1000)
                    watch.disarm()
        return times, len(browsers["on"].held())
    finally:
        for computer in browsers.values():
            await computer.close()


class _Seen:
    """A screen that notes the empty windows' loads it was asked about."""

    def __init__(self, inner: EffectWatch) -> None:
        self.inner = inner
        self.urls: list[str] = []

    def screen(self, out: Outgoing, shape: str) -> CheckResult:
        if "/opened" in out.url:
            self.urls.append(out.url)
        return self.inner.screen(out, shape)


async def empty_window_race(settings: Settings, url: str, trials: int) -> dict[int, int]:
    """For each delay: in how many of ``trials`` the gate screened the empty window's load."""
    computer = await BrowserComputer.open(settings, ephemeral=True)
    seen = _Seen(watch_for(url))
    opener = computer.page
    try:
        await computer.hold_effects(seen)
        screened: dict[int, int] = {}
        for delay in RACE_DELAYS_MS:
            screened[delay] = 0
            for _ in range(trials):
                seen.urls.clear()
                await opener.goto(f"{url}opener?d={delay}")
                await opener.mouse.click(150, 50)
                await asyncio.sleep(0.4 + delay / 1000)
                screened[delay] += bool(seen.urls)
                for page in opener.context.pages:
                    if page is not opener:
                        await page.close()
        return screened
    finally:
        await computer.close()


async def steps_on_counter(settings: Settings, url: str, steps: int, gated: bool) -> Events:
    computer = await BrowserComputer.open(settings, ephemeral=True)
    events = Events()
    spec = TaskSpec(f"bench-{'on' if gated else 'off'}", "count", url, "script", None, steps + 1)
    try:
        operator = build_operator(
            settings,
            task_id=spec.task_id,
            computer=computer,
            brain=ScriptBrain([Click(x=200, y=130)] * steps),
            sink=events,
            task=spec if gated else None,
        )
        result = await operator.run(spec)
        assert result.outcome == "done", result
    finally:
        await computer.close()
    return events


def step_times(events: Events) -> list[float]:
    return [(b - a) * 1000 for a, b in zip(events.executed, events.executed[1:], strict=False)]


def ratio_line(name: str, off: list[float], on: list[float]) -> str:
    m_off, m_on = statistics.median(off), statistics.median(on)
    return f"{name:<22}{m_off:>10.1f}{m_on:>10.1f}{m_on / m_off:>9.2f}x"


async def main(loads: int, steps: int) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    counter_url = f"http://127.0.0.1:{server.server_address[1]}/"
    with tempfile.TemporaryDirectory() as tmp, start_demo_site() as demo_site, MiniwobSite() as miniwob:
        settings = Settings(data_dir=Path(tmp), limits=Limits(max_steps=steps + 2))
        demo, demo_held = await page_loads(settings, [demo_site.url + p for p in DEMO_PATHS], loads)
        mw_urls = [miniwob.task_url(t) for t in MINIWOB_TASKS]
        mw, mw_held = await page_loads(settings, mw_urls, loads)
        plain = await steps_on_counter(settings, counter_url, steps, gated=False)
        gated = await steps_on_counter(settings, counter_url, steps, gated=True)
        race = await empty_window_race(settings, counter_url, trials=5)
    server.shutdown()
    print(f"page loads: {loads} rounds; per step: {steps} clicks; median milliseconds")
    print(f"{'':<22}{'gate off':>10}{'gate on':>10}{'ratio':>10}   (Playwright route: ms, ratio to off)")
    for name, group in ((f"demo site ({len(DEMO_PATHS)} pages)", demo), (f"MiniWoB ({len(MINIWOB_TASKS)} pages)", mw)):
        route = statistics.median(group["route"])
        bare = route / statistics.median(group["off"])
        print(f"{ratio_line(name, group['off'], group['on'])}   ({route:.1f}, {bare:.2f}x)")
    off_steps, on_steps = step_times(plain), step_times(gated)
    print(ratio_line("step (counter page)", off_steps, on_steps))
    added = statistics.median(on_steps) - statistics.median(off_steps)
    print(f"per-step time added by the gate: {added:+.1f} ms (median on - median off)")
    print(
        f"false holds: {demo_held + mw_held} effects held during page loads, {len(gated.halts)} halts in "
        f"{steps} steps on a page that POSTed analytics {_Counter.posts} times"
    )
    print("an empty window the page sends somewhere after a delay: loads screened (of 5)")
    print("  " + ", ".join(f"{delay} ms: {n}" for delay, n in race.items()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=15)
    parser.add_argument("--steps", type=int, default=25)
    args = parser.parse_args()
    asyncio.run(main(args.loads, args.steps))

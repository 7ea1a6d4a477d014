"""Live view: frames per second delivered, capture→viewer latency, and CPU per viewer.

Headless Chromium (1280x800, opened by homebody's ``BrowserComputer``) shows an animating page (a
320x240 canvas redrawn on every animation frame, text around it, and a password field that some
configurations show); ``BrowserScreencast`` feeds a ``FrameHub`` through the secret-field redaction
wired as the server wires it; N viewers each take every frame they can (what a WebSocket handler does
before it sends). Per configuration, over ``--seconds``:

- frames/s published by the hub, and delivered per viewer (median over viewers);
- latency: viewer receive time minus the frame's capture time from the CDP metadata (median, p95);
- CPU: this process (hub, redaction, viewers, Playwright client) and the browser side (Playwright's
  driver and Chromium's processes), as % of one core, and as a ratio to the floor = the screencast
  alone (no redaction, 0 viewers).

Configurations run interleaved for ``--rounds`` rounds; the table shows medians over rounds (latency
over all rounds' frames). A second table times the hub alone (no browser): CPU per published frame
with 0-20 viewers, load-independent.

    .venv/bin/python bench/live.py                       # 5 s windows, 3 rounds, 3 viewers
    .venv/bin/python bench/live.py --quick               # 2 s windows, 1 round
    .venv/bin/python bench/live.py --viewers 5           # the many-viewer rows with 5
    .venv/bin/python bench/live.py --max-size 640x400    # a half-size cast
    .venv/bin/python bench/live.py --busy 2              # two processes keep both cores busy meanwhile
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from homebody.config import build_settings
from homebody.sessions.browser.computer import BrowserComputer
from homebody.sessions.browser.screencast import AsyncTransform, BrowserScreencast
from homebody.sessions.live import FrameHub, Subscription, jpeg_size
from homebody.types import Size

W, H = 1280, 800
HTML = (
    "<title>live</title><body style='margin:0;font:15px sans-serif'>"
    "<h1 style='margin:20px 40px'>An animating page</h1><canvas id=c width=320 height=240 style='margin:0 40px'>"
    "</canvas>"
    + "<p id=login style='margin:4px 40px'></p>"
    + "".join(f"<p style='margin:4px 40px'>Line {i}: the canvas above is redrawn every frame.</p>" for i in range(12))
    + "<script>const g=document.getElementById('c').getContext('2d');let n=0;"
    "function draw(){n++;g.fillStyle=`hsl(${n%360},80%,50%)`;g.fillRect(0,0,320,240);"
    "g.fillStyle='#000';g.font='60px sans-serif';g.fillText(String(n),20,140);requestAnimationFrame(draw)}"
    "draw()</script>"
)
PAGE = "data:text/html," + quote(HTML)
SLOW_PAUSE_S = 0.5


@dataclass(frozen=True)
class Config:
    label: str
    viewers: int = 0
    slow: int = 0
    cast: bool = True
    redact: bool = True
    secret_shown: bool = False


def configs(many: int) -> tuple[Config, ...]:
    return (
        Config("page animating, no screencast", cast=False, redact=False),
        Config("floor: screencast alone, 0 viewers", redact=False),
        Config("redacted, 0 viewers"),
        Config("redacted, 1 viewer", 1),
        Config(f"redacted, {many} viewers", many),
        Config(f"redacted, {many} viewers, a password field shown", many, secret_shown=True),
        Config(f"redacted, {many - 1} viewers + 1 slow (0.5 s/frame)", many - 1, slow=1),
    )


@dataclass
class Sample:
    published_fps: float
    viewer_fps: list[float]
    latencies_ms: list[float] = field(repr=False)
    transform_ms: list[float] = field(repr=False)
    own_cpu: float  # % of one core
    browser_cpu: float


# --------------------------------------------------------------------------- CPU of the browser side


TICKS = os.sysconf("SC_CLK_TCK")


def descendants_cpu_s(root: int, skip: frozenset[int] = frozenset()) -> float:
    """User+system CPU seconds of every live descendant of ``root`` but ``skip`` (Linux /proc)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        children = [p for p, parent in parents.items() if parent == pid and p not in skip]
        total += sum(cpu[c] for c in children)
        todo += children
    return total


# --------------------------------------------------------------------------- one window


async def viewer(sub: Subscription, latencies: list[float], pause: float, after: int) -> None:
    async for frame in sub:
        if frame.seq > after:  # the frame waiting at subscription time is old news
            latencies.append((time.time() - frame.ts) * 1000)
        if pause:
            await asyncio.sleep(pause)


async def window(
    computer: BrowserComputer, casts: dict[bool, tuple[FrameHub, BrowserScreencast]], config: Config, seconds: float
) -> Sample:
    field = "<input type=password value=hunter2>" if config.secret_shown else ""
    await computer.page.evaluate(f"document.getElementById('login').innerHTML = '{field}'")
    for redact, (_, cast) in casts.items():
        if config.cast and redact == config.redact:
            await cast.start()
        else:
            await cast.stop()
    hub = casts[config.redact][0]
    await asyncio.sleep(0.5)  # the cast (re)starts and settles outside the measured window
    subs = [hub.subscribe() for _ in range(config.viewers + config.slow)]
    after = hub.latest.seq if hub.latest else 0
    fast_lat: list[list[float]] = [[] for _ in range(config.viewers)]
    tasks = [asyncio.create_task(viewer(s, lat, 0, after)) for s, lat in zip(subs, fast_lat, strict=False)]
    tasks += [asyncio.create_task(viewer(s, [], SLOW_PAUSE_S, after)) for s in subs[config.viewers :]]
    published = hub.published
    TRANSFORM_MS.clear()
    own0, browser0, t0 = time.process_time(), descendants_cpu_s(os.getpid(), BURNERS), time.monotonic()
    await asyncio.sleep(seconds)
    elapsed = time.monotonic() - t0
    own, browser = time.process_time() - own0, descendants_cpu_s(os.getpid(), BURNERS) - browser0
    published = hub.published - published
    delivered = [s.delivered for s in subs[: config.viewers]]
    for sub in subs:
        sub.close()
    await asyncio.gather(*tasks)
    return Sample(
        published_fps=published / elapsed,
        viewer_fps=[d / elapsed for d in delivered],
        latencies_ms=[x for lat in fast_lat for x in lat],
        transform_ms=list(TRANSFORM_MS),
        own_cpu=100 * own / elapsed,
        browser_cpu=100 * browser / elapsed,
    )


BURNERS: frozenset[int] = frozenset()  # the --busy processes: their CPU is not the browser's
TRANSFORM_MS: list[float] = []  # how long each frame's redaction took, for the window that runs


def timed(transform: Callable[..., Awaitable[bytes]]) -> Callable[..., Awaitable[bytes]]:
    async def run(*args: object) -> bytes:
        t0 = time.perf_counter()
        try:
            return await transform(*args)
        finally:
            TRANSFORM_MS.append((time.perf_counter() - t0) * 1000)

    return run


def live_transform(computer: BrowserComputer) -> AsyncTransform:
    """The redaction as the server wires it into the screencast (``homebody.server.runner``)."""
    wired = getattr(computer, "live_redaction", None)
    if wired is not None:
        redaction = wired()
        redaction.redact = timed(redaction.redact)  # frames with nothing to paint skip it: they cost nothing
        return redaction  # type: ignore[no-any-return]

    async def redact(data: bytes) -> bytes:  # the wiring of the commits before live_redaction
        width = (jpeg_size(data) or computer.viewport).width
        return await computer.redact_frame(data, width)

    return timed(redact)


async def run(args: argparse.Namespace, configs: tuple[Config, ...]) -> dict[Config, list[Sample]]:
    out: dict[Config, list[Sample]] = {c: [] for c in configs}
    with tempfile.TemporaryDirectory(prefix="homebody-bench-live-") as tmp:
        settings = build_settings({}, data_dir=tmp)
        async with await BrowserComputer.open(settings, ephemeral=True) as computer:
            await computer.page.goto(PAGE)
            casts = {}
            for redact in (False, True):
                hub = FrameHub()
                transform = live_transform(computer) if redact else None
                cast = BrowserScreencast(
                    hub, lambda: computer.page, quality=args.quality, max_size=args.max_size, transform=transform
                )
                casts[redact] = (hub, cast)
            await casts[False][1].start()
            await asyncio.sleep(1.0)  # warm-up
            for _ in range(args.rounds):
                for config in configs:
                    out[config].append(await window(computer, casts, config, args.seconds))
            for _, cast in casts.values():
                await cast.stop()
    return out


# --------------------------------------------------------------------------- the hub alone


async def hub_alone(viewers: int, frames: int) -> tuple[float, float]:
    """CPU µs per frame and per-frame delivery ratio for ``frames`` 45 KB frames published back to
    back (the loop turns once between frames, as between screencast events) to ``viewers``."""
    hub = FrameHub()
    subs = [hub.subscribe() for _ in range(viewers)]
    tasks = [asyncio.create_task(viewer(s, [], 0, 0)) for s in subs]
    data = os.urandom(45_000)
    t0 = time.process_time()
    for _ in range(frames):
        hub.publish(data, W, H)
        await asyncio.sleep(0)
    await asyncio.sleep(0)
    cpu_us = (time.process_time() - t0) / frames * 1e6
    delivered = min((s.delivered for s in subs), default=frames)
    hub.close()
    await asyncio.gather(*tasks)
    return cpu_us, delivered / frames


def report_hub(frames: int) -> None:
    print(f"\nThe hub alone: {frames} frames of 45 KB published back to back, CPU per frame (this process)\n")
    print("| viewers | CPU µs per frame | × floor (0 viewers) | µs per viewer per frame | delivered per viewer |")
    print("|---:|---:|---:|---:|---:|")
    results = {n: [asyncio.run(hub_alone(n, frames)) for _ in range(3)] for n in (0, 1, 2, 5, 20)}
    floor = med([cpu for cpu, _ in results[0]])
    for n, runs in results.items():
        cpu = med([c for c, _ in runs])
        each = cell((cpu - floor) / n if n else float("nan"), ".1f")
        print(f"| {n} | {cpu:.1f} | {cpu / floor:.1f} | {each} | {100 * min(r for _, r in runs):.0f} % |")


# --------------------------------------------------------------------------- report


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def per_frame_ms(samples: list[Sample], cpu: Callable[[Sample], float]) -> float:
    """CPU milliseconds per published frame: the frame rate varies with the load, this does not."""
    return med([10 * cpu(s) / s.published_fps for s in samples if s.published_fps > 0])


def report(results: dict[Config, list[Sample]], args: argparse.Namespace, load: tuple[str, str]) -> None:
    floor = next(samples for config, samples in results.items() if config.cast and not config.redact)
    floor_own = per_frame_ms(floor, lambda s: s.own_cpu)
    floor_browser = med([s.browser_cpu for s in floor])
    print(
        f"Live view, headless Chromium {W}x{H}, cast {args.max_size.width}x{args.max_size.height} JPEG "
        f"q{args.quality}, {args.seconds:g} s windows, {args.rounds} round(s), medians over rounds; "
        f"{os.cpu_count()} cores, {args.busy} busy process(es) alongside, load average {load[0]} -> {load[1]}\n"
    )
    print(
        "| configuration | published fps | fps per viewer | latency median ms | latency p95 ms "
        "| redaction median ms | redaction p95 ms "
        "| homebody CPU % | homebody CPU ms/frame | × floor | browser CPU % | × floor |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for config, samples in results.items():
        own = med([s.own_cpu for s in samples])
        own_frame = per_frame_ms(samples, lambda s: s.own_cpu)
        browser = med([s.browser_cpu for s in samples])
        viewer_fps = med([med(s.viewer_fps) for s in samples]) if config.viewers else float("nan")
        lat = [x for s in samples for x in s.latencies_ms]
        red = [x for s in samples for x in s.transform_ms]
        print(
            f"| {config.label} | {med([s.published_fps for s in samples]):.1f} | {cell(viewer_fps, '.1f')} "
            f"| {cell(med(lat), '.0f')} | {cell(p95(lat) if lat else float('nan'), '.0f')} "
            f"| {cell(med(red), '.1f')} | {cell(p95(red) if red else float('nan'), '.1f')} "
            f"| {own:.1f} | {cell(own_frame, '.2f')} | {cell(own_frame / floor_own, '.2f')} "
            f"| {browser:.0f} | {browser / floor_browser:.2f} |"
        )


def cell(value: float, spec: str) -> str:
    return "–" if value != value else format(value, spec)  # NaN: not measured in this row


def size(text: str) -> Size:
    width, _, height = text.partition("x")
    return Size(int(width), int(height))


def spin(stop_at: float, parent: int) -> None:
    while time.monotonic() < stop_at and os.getppid() == parent:  # ends with the bench, however it ends
        pass


def busy(n: int) -> list[multiprocessing.Process]:
    """``n`` processes that keep a core busy each (the other work of a busy machine), for an hour at
    most; the caller terminates them (and they stop when it dies)."""
    procs = [
        multiprocessing.Process(target=spin, args=(time.monotonic() + 3600, os.getpid()), daemon=True) for _ in range(n)
    ]
    for proc in procs:
        proc.start()
    return procs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="measured window per configuration")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over all configurations")
    parser.add_argument("--quick", action="store_true", help="2 s windows, 1 round")
    parser.add_argument("--quality", type=int, default=60, help="screencast JPEG quality")
    parser.add_argument("--max-size", type=size, default=Size(W, H), help="screencast frame size cap, WxH")
    parser.add_argument("--viewers", type=int, default=3, help="viewers in the many-viewer rows (2 or more)")
    parser.add_argument("--busy", type=int, default=0, help="processes spinning a core each meanwhile (a busy box)")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.rounds = 2.0, 1
    before = Path("/proc/loadavg").read_text().split()[0]
    global BURNERS  # noqa: PLW0603 - set once, before the measurement starts
    burners = busy(args.busy)
    BURNERS = frozenset(p.pid for p in burners if p.pid is not None)
    try:
        results = asyncio.run(run(args, configs(max(2, args.viewers))))
    finally:
        for proc in burners:
            proc.terminate()
    report(results, args, (before, Path("/proc/loadavg").read_text().split()[0]))
    report_hub(2000 if args.quick else 20000)


if __name__ == "__main__":
    main()

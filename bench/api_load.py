"""``homebody serve`` under load: 20 clients polling a task's status and 5 live viewers of that task.

A real ``homebody serve`` process (loopback, its own temporary data dir) runs one task: a script of
waits on an animating page (a canvas redrawn on every animation frame), so the live view has frames
to send the whole time, each one redacted before it leaves. This process is the load: N clients poll
``GET /api/tasks/{id}`` (each waits ``--interval`` between answers) and M viewers hold
``WS /api/tasks/{id}/live`` open, for ``--seconds``. Reported: request latency (p50, p99, max),
frames delivered per viewer and their age on arrival (receive time minus capture time), errors.

    .venv/bin/python bench/api_load.py                 # 30 s, 20 clients, 5 viewers
    .venv/bin/python bench/api_load.py --quick         # 5 s
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

ANIMATED = """<!doctype html><title>animated</title><body style="margin:0;background:#fff">
<canvas id=c width=320 height=240></canvas><p style="font:24px sans-serif">homebody api_load bench</p>
<script>
const g = document.getElementById('c').getContext('2d'); let n = 0;
function draw() { n++; g.fillStyle = `hsl(${n % 360},80%,50%)`; g.fillRect(0, 0, 320, 240);
  g.fillStyle = '#000'; g.font = '60px sans-serif'; g.fillText(String(n), 20, 140);
  requestAnimationFrame(draw); }
draw();
</script>"""


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)
    frame_bytes: int = 0
    ages_ms: list[float] = field(default_factory=list)


def start_server(data_dir: Path) -> tuple[subprocess.Popen[str], str, str]:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "homebody", "serve", "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().split()[-1]
    proc.stdout.readline()
    return proc, url, (data_dir / "token").read_text().strip()


async def poll(client: httpx.AsyncClient, task_id: str, until: float, interval: float, tally: Tally) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            res = await client.get(f"/api/tasks/{task_id}")
            if res.status_code != 200:
                tally.errors.append(f"status {res.status_code}")
        except httpx.HTTPError as exc:
            tally.errors.append(type(exc).__name__)
        tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(interval)


async def view(url: str, token: str, task_id: str, until: float, tally: Tally) -> None:
    frames = 0
    ws_url = url.replace("http://", "ws://") + f"/api/tasks/{task_id}/live"
    try:
        async with connect(ws_url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
            while (left := until - time.monotonic()) > 0:
                try:
                    meta = json.loads(await asyncio.wait_for(ws.recv(), left))
                    data = await asyncio.wait_for(ws.recv(), 10)
                except TimeoutError:
                    break
                tally.ages_ms.append((time.time() - meta["ts"]) * 1000)
                tally.frame_bytes += len(data)
                frames += 1
    except Exception as exc:  # a bench reports errors rather than stopping on them
        tally.errors.append(f"viewer: {type(exc).__name__}: {exc}")
    tally.frames.append(frames)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def load(url: str, token: str, page: Path, args: argparse.Namespace) -> tuple[Tally, dict[str, object]]:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=args.clients + 5)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30, limits=limits, trust_env=False) as c:
        steps = [{"kind": "wait", "seconds": 1.0}] * (int(args.seconds) + 60)
        body = {"instruction": "bench", "start_url": page.as_uri(), "ephemeral": True, "max_steps": 500}
        res = await c.post("/api/tasks", json={**body, "brain": {"kind": "script", "steps": steps[:490]}})
        res.raise_for_status()
        task_id = res.json()["id"]
        while (await c.get(f"/api/tasks/{task_id}")).json()["steps"] < 1:  # noqa: ASYNC110 (polling a server)
            await asyncio.sleep(0.2)
        tally = Tally()
        until = time.monotonic() + args.seconds
        clients = [poll(c, task_id, until, args.interval, tally) for _ in range(args.clients)]
        viewers = [view(url, token, task_id, until, tally) for _ in range(args.viewers)]
        await asyncio.gather(*clients, *viewers)
        task = (await c.post(f"/api/tasks/{task_id}/cancel")).json()
    return tally, task


def report(tally: Tally, task: dict[str, object], args: argparse.Namespace, wall: float) -> str:
    lat = tally.latencies_ms
    fps = [n / args.seconds for n in tally.frames]
    cpu = f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}"
    lines = [
        "## API under load (`bench/api_load.py`)",
        "",
        f"`homebody serve` on loopback, one running task (script of waits on an animating page, live view "
        f"redacted per frame); {args.clients} clients polling `GET /api/tasks/{{id}}` every {args.interval:g} s "
        f"and {args.viewers} live viewers (`WS /api/tasks/{{id}}/live`) for {args.seconds:g} s. Machine: {cpu}, "
        "shared with other work; Chromium headless 1280x800.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| status requests | {len(lat)} ({len(lat) / args.seconds:.0f}/s) |",
        f"| request latency p50 / p99 / max | {pct(lat, 50):.1f} / {pct(lat, 99):.1f} / {max(lat, default=0):.1f} ms |",
        f"| frames delivered per viewer (min / median / max) | {min(tally.frames, default=0)} / "
        f"{statistics.median(tally.frames) if tally.frames else 0:g} / {max(tally.frames, default=0)} |",
        f"| frames/s per viewer (median) | {statistics.median(fps) if fps else 0:.1f} |",
        f"| frame age on arrival p50 / p99 | {pct(tally.ages_ms, 50):.0f} / {pct(tally.ages_ms, 99):.0f} ms |",
        f"| live data to all viewers | {tally.frame_bytes / 1e6 / args.seconds:.2f} MB/s |",
        f"| errors | {len(tally.errors)} |",
        f"| task steps during the run / status after cancel | {task.get('steps')} / {task.get('status')} |",
        "",
        f"Reproduce: `.venv/bin/python bench/api_load.py --seconds {args.seconds:g}` (run took {wall:.0f} s).",
    ]
    if tally.errors:
        lines += ["", "First errors: " + "; ".join(sorted(set(tally.errors))[:5])]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--viewers", type=int, default=5)
    parser.add_argument("--interval", type=float, default=0.25, help="each client's pause between answers (s)")
    parser.add_argument("--quick", action="store_true", help="5 s instead of --seconds")
    args = parser.parse_args()
    if args.quick:
        args.seconds = 5.0
    with tempfile.TemporaryDirectory(prefix="homebody-api-load-") as tmp:
        page = Path(tmp) / "animated.html"
        page.write_text(ANIMATED, encoding="utf-8")
        proc, url, token = start_server(Path(tmp) / "data")
        started = time.monotonic()
        try:
            tally, task = asyncio.run(load(url, token, page, args))
        finally:
            proc.terminate()
            proc.wait(60)
    print(report(tally, task, args, time.monotonic() - started))


if __name__ == "__main__":
    main()

"""``homebody demo``: the whole experience on the bundled demo shop, nothing to set up.

It starts the demo site and a homebody server (its own data dir, ``<data dir>/demo``, a free
loopback port), prints the page's address with the token (and opens it when there is a screen), and
hands the server a shopping task for the embedded steps brain (no model: it reads the page, and
the pixels by OCR where the page cannot tell). The brain searches the shop, fills the basket and
the checkout form and clicks "Place order": the pre-commit checker halts it there, and the task
waits for you on the page: approve, reject, or take over by hand. Ctrl-C stops everything.

Without a terminal (or with ``--no-wait``) nobody is there to answer: the task stops at the halt,
which is the point of the demo, so that counts as success (exit 0).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import platform
import sys
import webbrowser
from typing import TYPE_CHECKING, Any

from homebody.cli.output import ConsoleSink
from homebody.cli.run import EXIT_CODES, EXIT_DONE, EXIT_INTERRUPTED
from homebody.config import OCR_THREADS, Settings, build_settings, ensure_private_dir
from homebody.demo import start_demo_site
from homebody.events import Finished, Halted, parse_event
from homebody.vision.pixels.ocr import OcrReader

if TYPE_CHECKING:
    from homebody.server.serving import RunningServer

DEMO_TASK = (
    'type "espresso" into Search products; press Enter; click View; click Add to cart; click Cart; '
    'click Proceed to checkout; fill Full name with "Alex Doe"; fill Address with "1 Home Street"; '
    'fill Card number with "4242 4242 4242 4242"; fill Expiry with "12/30"; fill CVC with "123"; '
    "click Place order; done: ordered the espresso maker"
)


def add_demo_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser("demo", help="the demo shop, the web page, and a shopping task that halts for you")
    demo.add_argument("--port", type=int, default=0, help="the web page's port (default: any free one)")
    demo.add_argument(
        "--no-wait",
        action="store_true",
        help="stop the task at the halt instead of waiting for you on the page (the default without a terminal)",
    )
    demo.add_argument("--no-open", action="store_true", help="print the page's address, do not open a browser")
    demo.add_argument("--data-dir", help="homebody's data dir (the demo keeps its tasks in DATA_DIR/demo)")
    demo.add_argument("--headful", action="store_true", help="show the agent's browser window too")
    demo.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")


def cmd_demo(args: argparse.Namespace) -> int:
    settings = build_settings(os.environ, data_dir=args.data_dir, headless=not args.headful)
    return run_demo(settings, wait=False if args.no_wait else None, port=args.port, open_page=not args.no_open)


def _can_open_a_browser() -> bool:
    if os.environ.get("CI"):
        return False
    return platform.system() in ("Darwin", "Windows") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def run_demo(settings: Settings, *, wait: bool | None = None, port: int = 0, open_page: bool = True) -> int:
    """Run the demo; ``wait`` None: wait for the user when stdin is a terminal."""
    from homebody.server.serving import serve_in_thread  # noqa: PLC0415 - the server's stack, only for the demo

    waiting = sys.stdin.isatty() if wait is None else wait
    demo_dir = ensure_private_dir(settings.data_dir / "demo")  # its own tasks, token and queue
    settings = dataclasses.replace(settings, data_dir=demo_dir, host="127.0.0.1", port=port)
    reader = OcrReader(threads=OCR_THREADS)
    with start_demo_site() as site, serve_in_thread(settings, reader=reader, ask_on_halt=waiting) as server:
        try:
            finished = _show(server, site.url, waiting, open_page)
            orders = site.state().get("orders") or []
            print(f"orders placed on the demo site: {len(orders) if isinstance(orders, list) else 0}", flush=True)
            print(f"recording: {settings.tasks_dir / finished.task_id}", flush=True)
            if waiting:
                _linger(server)
        except KeyboardInterrupt:
            print("\nhomebody: stopped", flush=True)
            return EXIT_INTERRUPTED
    if finished.outcome == "halted":
        print("the checker stopped the task before the order was placed; run `homebody demo` at a terminal to approve")
        return EXIT_DONE
    return EXIT_CODES[finished.outcome]


def _show(server: RunningServer, site_url: str, waiting: bool, open_page: bool) -> Finished:
    print(f"demo site: {site_url}/shop", flush=True)
    print(f"homebody's page: {server.page_url}", flush=True)
    if waiting and open_page and _can_open_a_browser():
        webbrowser.open(server.page_url)
    print(f"task: {DEMO_TASK}", flush=True)
    return asyncio.run(_follow(server, f"{site_url}/shop", waiting))


async def _follow(server: RunningServer, start_url: str, waiting: bool) -> Finished:
    """Create the task through the API and print its events until it finishes."""
    import httpx  # noqa: PLC0415 - only the demo talks to its server over HTTP

    console = ConsoleSink(sys.stdout)
    headers = {"Authorization": f"Bearer {server.token}"}
    body: dict[str, Any] = {"instruction": DEMO_TASK, "start_url": start_url, "ephemeral": True}
    body["brain"] = {"kind": "steps"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=30, trust_env=False) as client:
        res = await client.post("/api/tasks", json=body)
        res.raise_for_status()
        task_id = res.json()["id"]
        async with client.stream("GET", f"/api/tasks/{task_id}/events", timeout=None) as stream:
            async for line in stream.aiter_lines():
                if not line.startswith('data: {"'):
                    continue
                event = parse_event(line[6:])
                await console.emit(event)
                if isinstance(event, Halted) and waiting:
                    print(
                        f"  waiting for you: {server.url}/#/tasks/{task_id} (approve, reject or take over)", flush=True
                    )
                if isinstance(event, Finished):
                    return event
    raise RuntimeError(f"the event stream of task {task_id} ended without the task finishing")


def _linger(server: RunningServer) -> None:
    """Keep the page up for the replay; Ctrl-C here is the normal way out, not an interruption."""
    print(f"the page stays up for the replay: {server.url}/  (Ctrl-C to stop)", flush=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        print("", flush=True)

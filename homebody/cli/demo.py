"""``homebody demo``: the bundled shop, and a shopping task in plain English run through it, headless.

The embedded steps brain (OCR on the screenshots, no model needed) searches the shop, fills the
basket and the checkout form, then clicks "Place order": the pre-commit checker halts it there. At
a terminal you are asked whether to let it through; without one the demo stops at the halt, which
is the point of the demo, so that also counts as success.
"""

from __future__ import annotations

import sys

from homebody.cli.run import EXIT_DONE, RunRequest, report, run_interruptibly
from homebody.config import OCR_THREADS, Settings
from homebody.demo import start_demo_site
from homebody.vision.ocr import OcrReader
from homebody.vision.steps import StepsBrain

DEMO_TASK = (
    'type "espresso" into Search products; press Enter; click View; click Add to cart; click Cart; '
    'click Proceed to checkout; fill Full name with "Alex Doe"; fill Address with "1 Home Street"; '
    'fill Card number with "4242 4242 4242 4242"; fill Expiry with "12/30"; fill CVC with "123"; '
    "click Place order; done: ordered the espresso maker"
)


def run_demo(settings: Settings) -> int:
    reader = OcrReader(threads=OCR_THREADS)
    brain = StepsBrain(DEMO_TASK, reader)
    with start_demo_site() as site:
        print(f"demo site: {site.url}/shop", flush=True)
        print(f"task: {DEMO_TASK}", flush=True)
        req = RunRequest(
            instruction=DEMO_TASK,
            start_url=f"{site.url}/shop",
            brain=brain,
            profile=None,
            ephemeral=True,
            json_events=False,
            on_halt="ask" if sys.stdin.isatty() else "stop",
            reader=reader,
        )
        result, task_dir = run_interruptibly(settings, req, sys.stdout)
        orders = site.state().get("orders") or []
        print(f"orders placed on the demo site: {len(orders) if isinstance(orders, list) else 0}")
    code = report(result, task_dir, json_events=False)
    if result.outcome == "halted":
        print("the checker stopped the task before the order was placed; run `homebody demo` at a terminal to approve")
        return EXIT_DONE
    return code

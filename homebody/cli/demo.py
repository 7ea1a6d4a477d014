"""``homebody demo``: the bundled shop, and a scripted shopping task run through it, headless.

The task fills the basket and the checkout form, then clicks "Place order": the pre-commit checker
halts it there. At a terminal you are asked whether to let it through; without one the demo stops
at the halt, which is the point of the demo, so that also counts as success.
"""

from __future__ import annotations

import json
import sys
from importlib import resources

from homebody.cli.run import EXIT_DONE, RunRequest, report, run_interruptibly
from homebody.config import Settings
from homebody.demo import start_demo_site
from homebody.vision.scripted import ScriptBrain, parse_script


def run_demo(settings: Settings) -> int:
    script = resources.files("homebody.demo").joinpath("shopping.json").read_text(encoding="utf-8")
    brain = ScriptBrain(parse_script(json.loads(script), "homebody/demo/shopping.json"))
    with start_demo_site() as site:
        print(f"demo site: {site.url}/shop", flush=True)
        req = RunRequest(
            instruction="Buy the espresso maker",
            start_url=f"{site.url}/shop",
            brain=brain,
            profile=None,
            ephemeral=True,
            json_events=False,
            on_halt="ask" if sys.stdin.isatty() else "stop",
        )
        result, task_dir = run_interruptibly(settings, req, sys.stdout)
        orders = site.state().get("orders") or []
        print(f"orders placed on the demo site: {len(orders) if isinstance(orders, list) else 0}")
    code = report(result, task_dir, json_events=False)
    if result.outcome == "halted":
        print("the checker stopped the task before the order was placed; run `homebody demo` at a terminal to approve")
        return EXIT_DONE
    return code

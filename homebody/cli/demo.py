"""``homebody demo``: the bundled shop, and a scripted shopping task run through it, headless."""

from __future__ import annotations

import json
import sys
from importlib import resources

from homebody.cli.run import RunRequest, report, run_interruptibly
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
        )
        result, task_dir = run_interruptibly(settings, req, sys.stdout)
        orders = site.state().get("orders") or []
        print(f"orders placed on the demo site: {len(orders) if isinstance(orders, list) else 0}")
    return report(result, task_dir, json_events=False)

"""The steps brain in real Chromium on the demo shop: plain-English steps, targets found by OCR.

It finishes a search → product → cart → checkout task, and it stops, naming the step and the
target, instead of guessing when a target is missing or ambiguous (and nothing is clicked).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homebody.config import Limits, Settings
from homebody.events import Event, Executed, Observed, Skipped
from homebody.operator.loop import Operator
from homebody.operator.sinks import MemorySink
from homebody.operator.task import TaskResult, TaskSpec
from homebody.safety.chain import CheckerChain
from homebody.safety.checker import RulesChecker
from homebody.safety.policy import Policy
from homebody.sessions.browser.computer import BrowserComputer
from homebody.vision.pixels.ocr import OcrReader
from homebody.vision.pixels.regions import RegionTools
from homebody.vision.pixels.verifier import PixelVerifier
from homebody.vision.steps.brain import StepsBrain


@dataclass
class Run:
    result: TaskResult
    events: list[Event]
    page: object  # what ``js`` returned at the end
    state: dict[str, object]  # the demo site's state at the end


async def _run(tmp_path: Path, site: Any, tasks: list[tuple[StepsBrain, str]]) -> list[Run]:
    """Each (brain, js) runs as its own task from the shop page, in one browser (one launch)."""
    settings = Settings(data_dir=tmp_path, limits=Limits(max_steps=15))
    computer = await BrowserComputer.open(settings, ephemeral=True)
    runs = []
    try:
        for brain, js in tasks:
            site.reset()
            sink = MemorySink()
            op = Operator(
                computer=computer,
                brain=brain,
                checker=CheckerChain([RulesChecker(Policy(), "t")]),
                sink=sink,
                limits=settings.limits,
                regions=RegionTools(),
                verifier=PixelVerifier(),
            )
            result = await op.run(TaskSpec("t", "steps", site.url + "/shop", brain.name, None, 15))
            page = await computer.page.evaluate(js) if js else None
            runs.append(Run(result, sink.events, page, site.state()))
    finally:
        await computer.close()
    return runs


def run(tmp_path: Path, site: Any, *tasks: tuple[StepsBrain, str]) -> list[Run]:
    return asyncio.run(_run(tmp_path, site, list(tasks)))


def test_plain_english_steps_search_open_add_to_cart_and_reach_checkout(
    tmp_path: Path, site: Any, reader: OcrReader
) -> None:
    task = (
        'type "espresso" into Search products; press Enter; click View; click Add to cart; click Cart; '
        "click Proceed to checkout; fill Full name with 'Alex Doe'; done: at checkout"
    )
    brain = StepsBrain(task, reader)
    (done,) = run(tmp_path, site, (brain, "document.querySelector('#f-name')?.value"))
    assert done.result.outcome == "done", done.result.reason
    assert done.result.answer == "at checkout"
    assert done.state["cart"] == [{"id": 2, "qty": 1}]
    assert done.state["searches"] == ["espresso"]
    observed = [e for e in done.events if isinstance(e, Observed)]
    assert observed[-1].url.endswith("/shop/checkout")
    assert done.page == "Alex Doe"  # typed into the field under its label
    skipped = [e for e in done.events if isinstance(e, Skipped)]  # a stale frame is looked at afresh
    assert brain.reads == 6 + len(skipped)  # one read per step that finds a target, none twice


def test_a_missing_or_ambiguous_target_stops_the_task_and_nothing_is_clicked(
    tmp_path: Path, site: Any, reader: OcrReader
) -> None:
    missing, ambiguous = run(
        tmp_path, site, (StepsBrain("click Frobnicate; done", reader), ""), (StepsBrain("click View; done", reader), "")
    )
    assert "step 1 ('click Frobnicate'): 'Frobnicate' is not on screen" in missing.result.reason
    assert ambiguous.result.reason.split("needs help: ")[-1].startswith(
        "step 1 ('click View'): 'View' appears 4 times (near 'Trail Running Shoes', 'Espresso Maker', "
    )
    assert "which one? say e.g. 'click View under Trail Running Shoes' or 'click the second View'" in (
        ambiguous.result.reason
    )
    for stopped in (missing, ambiguous):
        assert stopped.result.outcome == "halted"
        assert not [e for e in stopped.events if isinstance(e, Executed)]
        assert stopped.state["cart"] == [] and stopped.state["searches"] == []
        assert [e.url for e in stopped.events if isinstance(e, Observed)] == [site.url + "/shop"]

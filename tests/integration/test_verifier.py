"""The visual verifier in real Chromium: effects, delayed effects, noise, stuck, the stale-frame guard."""

from __future__ import annotations

import asyncio
from pathlib import Path

from homebody.config import Limits, Settings
from homebody.events import Event, Skipped, Verified
from homebody.operator.loop import Operator
from homebody.operator.sinks import MemorySink
from homebody.operator.task import TaskResult, TaskSpec
from homebody.safety.chain import CheckerChain
from homebody.safety.checker import RulesChecker
from homebody.safety.policy import Policy
from homebody.sessions.browser.computer import BrowserComputer
from homebody.types import BrainInput, Click, Decision, Done, TypeText, Wait
from homebody.vision.pixels.regions import RegionTools
from homebody.vision.pixels.verifier import PixelVerifier
from homebody.vision.scripted import ScriptBrain

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "verify"


def url(name: str) -> str:
    return (PAGES / name).as_uri()


async def _run(tmp_path: Path, page: str, brain: object, js: str = "") -> tuple[TaskResult, list[Event], object]:
    settings = Settings(data_dir=tmp_path, limits=Limits(max_steps=10))
    computer = await BrowserComputer.open(settings, ephemeral=True)
    sink = MemorySink()
    try:
        op = Operator(
            computer=computer,
            brain=brain,  # type: ignore[arg-type]
            checker=CheckerChain([RulesChecker(Policy(), "t")]),
            sink=sink,
            limits=settings.limits,
            regions=RegionTools(),
            verifier=PixelVerifier(),
        )
        result = await op.run(TaskSpec("t", "test", url(page), "script", None, 10))
        state = await computer.page.evaluate(js) if js else None
    finally:
        await computer.close()
    return result, sink.events, state


def run(tmp_path: Path, page: str, brain: object, js: str = "") -> tuple[TaskResult, list[Event], object]:
    return asyncio.run(_run(tmp_path, page, brain, js))


def effects(events: list[Event]) -> list[Verified]:
    return [e for e in events if isinstance(e, Verified)]


def test_a_dead_zone_click_has_no_effect_and_three_of_them_are_stuck(tmp_path: Path) -> None:
    result, events, _ = run(tmp_path, "dead.html", ScriptBrain([Click(x=600, y=500)] * 6))
    assert [v.effect for v in effects(events)] == ["none", "none", "none"]
    assert result.outcome == "failed" and result.reason.startswith("stuck")


def test_a_button_whose_effect_comes_after_600_ms_is_waited_for(tmp_path: Path) -> None:
    result, events, _ = run(tmp_path, "delayed.html", ScriptBrain([Click(x=200, y=130)]))
    (verified,) = effects(events)
    assert result.outcome == "done"
    assert verified.effect == "local" and any(y >= 190 for _, y, _, _ in verified.boxes)


def test_a_link_to_another_page_is_a_global_effect(tmp_path: Path) -> None:
    _, events, _ = run(tmp_path, "link.html", ScriptBrain([Click(x=150, y=112)]))
    assert [v.effect for v in effects(events)] == ["global"]


def test_typing_into_a_field_is_local_at_the_field_while_a_spinner_turns(tmp_path: Path) -> None:
    _, events, _ = run(tmp_path, "field.html", ScriptBrain([Click(x=250, y=116), TypeText(text="Alex")]))
    typed = effects(events)[-1]
    assert typed.effect == "local"
    assert all(x < 500 and y < 200 for x, y, _, _ in typed.boxes), typed.boxes  # nothing at the spinner


def test_a_spinner_and_a_blinking_caret_are_not_effects(tmp_path: Path) -> None:
    result, events, _ = run(tmp_path, "field.html", ScriptBrain([Click(x=900, y=650)] * 4))
    assert [v.effect for v in effects(events)] == ["none", "none", "none"]
    assert result.reason.startswith("stuck")


class SlowBrain:
    """Looks at the page for 2 s before its first click (a popup appears meanwhile), then re-decides."""

    name = "slow"

    async def decide(self, inp: BrainInput) -> Decision:
        if inp.step == 1:
            await asyncio.sleep(2.0)
            return Decision(action=Click(x=200, y=130), thought="click the button")
        if any("changed" in f for f in inp.feedback):
            return Decision(action=Click(x=132, y=200), thought="a popup covers the button: close it")
        if inp.step <= 3:
            return Decision(action=Click(x=200, y=130), thought="now click the button")
        return Decision(action=Done())


def test_a_popup_between_observe_and_act_is_caught_and_the_click_does_not_land_on_it(tmp_path: Path) -> None:
    _, events, state = run(
        tmp_path, "popup.html", SlowBrain(), js="({button: window.buttonClicks, popup: window.popupClicks})"
    )
    skipped = [e for e in events if isinstance(e, Skipped)]
    assert len(skipped) == 1 and skipped[0].step == 1 and "changed" in skipped[0].reason
    assert state == {"button": 1, "popup": 0}


def test_a_wait_is_not_held_to_an_effect(tmp_path: Path) -> None:
    result, events, _ = run(tmp_path, "dead.html", ScriptBrain([Wait(seconds=0.1)] * 4))
    assert result.outcome == "done"
    assert all(v.effect == "none" for v in effects(events))

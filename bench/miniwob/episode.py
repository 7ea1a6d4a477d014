"""One MiniWoB++ episode through the real operator loop, composed as ``homebody run`` composes it.

Protocol (ENVIRONMENT.md): open the task page, wait for ``#sync-task-cover``, seed
``Math.seedrandom``, ``core.setDataMode('train')``, ``core.startEpisodeReal()``, wait for
``WOB_TASK_READY``, read the utterance; then the operator runs on the page as it is
(``start_url=""``) with the utterance as the task, until the brain says done, the episode ends
(``WOB_DONE_GLOBAL``, checked before every decision by ``EpisodeBrain``) or the step budget is spent.
The reward is ``WOB_REWARD_GLOBAL`` (time-discounted) and ``WOB_RAW_REWARD_GLOBAL``; an episode
still running when the operator stops scores -1, what the page's own timer would give it.

Halts are approved by ``BenchApprover`` (the pages commit nothing real) and counted.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from homebody.config import Limits
from homebody.errors import BadInput, ComputerError
from homebody.events import Event, Halted
from homebody.operator.control import TaskControl
from homebody.operator.effects import EffectWatch
from homebody.operator.loop import Operator
from homebody.operator.sinks import FanoutSink
from homebody.operator.task import TaskSpec, new_task_id
from homebody.protocols import Brain
from homebody.recordings.recorder import Recorder
from homebody.safety.chain import CheckerChain
from homebody.safety.checker import RulesChecker
from homebody.safety.effect_rules import EffectRules
from homebody.safety.policy import Policy
from homebody.safety.scope import TaskScope
from homebody.sessions.browser.computer import BrowserComputer
from homebody.types import ApprovalDecision, BrainInput, Decision, Done, Frame
from homebody.vision.pixels.ocr import OcrReader
from homebody.vision.pixels.regions import RegionTools
from homebody.vision.pixels.verifier import PixelVerifier

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 10.0
#: After the operator stops, how long an episode may take to hand out its reward (some tasks end on a timer).
SETTLE_S = 1.0
STATE_JS = (
    "() => ({done: !!WOB_DONE_GLOBAL, reward: +WOB_REWARD_GLOBAL, raw: +WOB_RAW_REWARD_GLOBAL,"
    " reason: WOB_REWARD_REASON == null ? '' : String(WOB_REWARD_REASON)})"
)
START_JS = "(seed) => { Math.seedrandom(seed); core.setDataMode('train'); core.startEpisodeReal(); }"
UTTERANCE_JS = "() => { const u = core.getUtterance(); return typeof u === 'string' ? u : u.utterance; }"


@dataclass(frozen=True, slots=True)
class EpisodeState:
    done: bool
    reward: float
    raw: float
    reason: str


@dataclass(frozen=True, slots=True)
class Episode:
    """What a brain factory is told about the episode it makes a brain for."""

    task: str
    seed: int
    utterance: str
    page: Callable[[], Page]


BrainFactory = Callable[[Episode], Brain]


@dataclass(frozen=True, slots=True)
class EpisodeResult:
    task: str
    seed: int
    utterance: str
    reward: float
    raw_reward: float
    finished: bool  # the page ended the episode (else: the operator stopped first)
    outcome: str  # the operator's: done, failed, halted, ...
    cause: str  # why it failed ("" when it succeeded)
    steps: int
    seconds: float
    halts: int
    held: int = 0  # of those halts, the effect gate's (what an action would send): 0 on these pages

    @property
    def success(self) -> bool:
        return self.raw_reward > 0


async def read_state(page: Page) -> EpisodeState:
    got: dict[str, Any] = await asyncio.wait_for(page.evaluate(STATE_JS), timeout=5)
    return EpisodeState(bool(got["done"]), float(got["reward"]), float(got["raw"]), str(got["reason"]))


class EpisodeBrain:
    """Wraps a brain: answers ``done`` as soon as the page says the episode is over."""

    def __init__(self, inner: Brain, page: Callable[[], Page]) -> None:
        self.name = inner.name
        self._inner = inner
        self._page = page

    async def decide(self, inp: BrainInput) -> Decision:
        try:
            state = await read_state(self._page())
        except (PlaywrightError, TimeoutError) as exc:
            raise ComputerError(f"could not read the episode state: {exc}") from exc
        if state.done:
            return Decision(action=Done(answer=f"reward {state.reward:.2f}"), thought="the episode is over")
        return await self._inner.decide(inp)


@dataclass
class BenchApprover:
    """Approves every halt (MiniWoB++ pages commit nothing real) and counts them by category."""

    halts: list[str] = field(default_factory=list)
    held: int = 0

    async def decide(self, halted: Halted, crop: bytes | None) -> ApprovalDecision:
        self.halts.append(halted.category)
        self.held += bool(halted.held)
        return ApprovalDecision(approved=True, by="bench", note="MiniWoB++ task page")


class _Counter:
    """Counts the steps the loop executed (an event sink)."""

    def __init__(self) -> None:
        self.executed = 0

    async def emit(self, event: Event, frame: Frame | None = None) -> None:
        if event.type == "executed":
            self.executed += 1


async def start_episode(computer: BrowserComputer, url: str, seed: int) -> str:
    """Open the task page and start a seeded episode; returns the utterance."""
    await computer.navigate(url)
    page = computer.page
    timeout_ms = READY_TIMEOUT_S * 1000
    try:
        await page.wait_for_selector("#sync-task-cover", state="attached", timeout=timeout_ms)
        await page.evaluate(START_JS, seed)
        await page.wait_for_function("() => WOB_TASK_READY === true", timeout=timeout_ms)
        utterance = str(await page.evaluate(UTTERANCE_JS))
    except PlaywrightError as exc:
        raise ComputerError(f"the MiniWoB++ page {url} did not start an episode: {exc}") from exc
    return utterance


@dataclass(frozen=True, slots=True)
class Harness:
    """The parts every episode shares: the browser, OCR, limits and where recordings go."""

    computer: BrowserComputer
    reader: OcrReader
    limits: Limits
    tasks_dir: Path


async def run_episode(harness: Harness, make_brain: BrainFactory, task: str, url: str, seed: int) -> EpisodeResult:
    started = time.perf_counter()
    computer = harness.computer
    utterance = await start_episode(computer, url, seed)
    episode = Episode(task, seed, utterance, lambda: computer.page)
    try:
        brain = make_brain(episode)
    except BadInput as exc:  # the steps brain refuses a task it cannot parse, before acting
        return await _result(harness, episode, started, "refused", f"brain refused the task: {exc}", 0, 0)
    spec = TaskSpec(new_task_id(), utterance, "", brain.name, None, harness.limits.max_steps)
    recorder = Recorder(harness.tasks_dir / spec.task_id)
    approver, counter, policy = BenchApprover(), _Counter(), Policy()
    operator = Operator(
        computer=computer,
        brain=EpisodeBrain(brain, episode.page),
        checker=CheckerChain([RulesChecker(policy, spec.task_id)], timeout_s=harness.limits.check_timeout_s),
        sink=FanoutSink([recorder, counter]),
        limits=harness.limits,
        control=TaskControl(),
        approver=approver,
        grants=policy,
        reader=harness.reader,
        regions=RegionTools(),
        verifier=PixelVerifier(),
        effects=EffectWatch(EffectRules(policy, TaskScope(url), spec.task_id)),
    )
    try:
        result = await operator.run(spec)
    finally:
        recorder.close()
    return await _result(
        harness, episode, started, result.outcome, result.reason, counter.executed, len(approver.halts), approver.held
    )


async def _result(
    harness: Harness,
    episode: Episode,
    started: float,
    outcome: str,
    reason: str,
    steps: int,
    halts: int,
    held: int = 0,
) -> EpisodeResult:
    page = harness.computer.page
    state = await read_state(page)
    deadline = time.monotonic() + SETTLE_S
    while not state.done and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        state = await read_state(page)
    raw, reward = (state.raw, state.reward) if state.done else (-1.0, -1.0)
    return EpisodeResult(
        task=episode.task,
        seed=episode.seed,
        utterance=episode.utterance,
        reward=reward,
        raw_reward=raw,
        finished=state.done,
        outcome=outcome,
        cause="" if raw > 0 else _cause(state, outcome, reason),
        steps=steps,
        seconds=time.perf_counter() - started,
        halts=halts,
        held=held,
    )


def harness_failure(task: str, seed: int, cause: str, seconds: float) -> EpisodeResult:
    """An episode the harness could not play (the page did not start, the browser died)."""
    return EpisodeResult(task, seed, "", -1.0, -1.0, False, "error", cause, 0, seconds, 0)


def _cause(state: EpisodeState, outcome: str, reason: str) -> str:
    if state.done and state.reason == "timed out":
        return f"episode timed out (operator: {outcome}{': ' + reason if reason else ''})"
    if state.done:
        return f"wrong answer (raw reward {state.raw:g}{', ' + state.reason if state.reason else ''})"
    if outcome == "done":
        return "the brain said done before the episode ended"
    if outcome == "refused":
        return reason
    return f"operator {outcome}: {reason}"


_NUMBERS = re.compile(r"\d+(?:\.\d+)?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\([^)]*\)")
#: Where an episode-specific tail starts (what OCR saw on screen, the brain's rephrasing hints).
_DETAILS = re.compile(r"; on screen:|\s+\(if it is|; known names:|: write it as|; a step starts with|; raw output:")


def cause_group(cause: str) -> str:
    """A failure cause without its episode-specific details, to group by."""
    text = _DETAILS.split(cause, maxsplit=1)[0]
    text = _QUOTED.sub("…", text)
    text = _NUMBERS.sub("N", text)
    return text[:120]

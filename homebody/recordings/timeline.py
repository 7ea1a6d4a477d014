"""A task recording read back as a timeline: the task, its steps, and the human takeovers between them.

``read_timeline`` turns ``tasks/ID/events.jsonl`` plus its frames into frozen values that the HTML
export (``export.py``), the video export (``video.py``) and ``homebody replay`` share.
Everything in a recording is untrusted text (model output, page titles, URLs): nothing here
interprets it, and a frame name that points outside the task folder is treated as missing, never
opened. A torn recording (a crash mid-write) still reads: missing frames are marked, not fatal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from homebody.errors import BadInput
from homebody.events import (
    Approved,
    Checked,
    Event,
    Executed,
    Finished,
    Granted,
    Halted,
    HumanInput,
    Observed,
    Proposed,
    Rejected,
    Skipped,
    TakeoverEnded,
    TakeoverStarted,
    TaskStarted,
    Verified,
)
from homebody.recordings.recorder import EVENTS_FILE, read_events
from homebody.types import Action, HeldEffect, InputEvent

_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class FrameRef:
    """An image a recording names. ``file`` is None when it is missing, unreadable or escapes the folder."""

    name: str
    file: Path | None
    width: int = 0
    height: int = 0

    @property
    def missing(self) -> bool:
        return self.file is None

    @property
    def mime(self) -> str:
        """The image type from its first bytes (never from the name the recording gave it)."""
        if self.file is None:
            return ""
        with self.file.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(_JPEG_MAGIC):
            return "image/jpeg"
        return "image/png" if head.startswith(_PNG_MAGIC) else ""


#: The task a recording is of: its ``task_started`` event, which is the task record
#: (``homebody.types.TaskSpec``) plus when it started (``ts``).
TaskInfo = TaskStarted


@dataclass(frozen=True, slots=True)
class Ending:
    outcome: str
    reason: str
    answer: str
    steps: int
    ts: float


@dataclass(frozen=True, slots=True)
class CheckInfo:
    checker: str
    verdict: str
    category: str
    reason: str


@dataclass(frozen=True, slots=True)
class HaltInfo:
    """Why a step waited: its action before it ran, or (``held`` not empty) what it would send."""

    category: str
    reason: str
    target: str
    crop: FrameRef | None
    held: tuple[HeldEffect, ...] = ()


@dataclass(frozen=True, slots=True)
class UserAnswer:
    """What the user said to a halt (``approved`` / ``rejected``), or a grant they gave."""

    kind: Literal["approved", "rejected", "granted"]
    by: str
    note: str


@dataclass(frozen=True, slots=True)
class ExecInfo:
    ok: bool
    error: str
    ms: float


@dataclass(frozen=True, slots=True)
class VerifyInfo:
    effect: str
    score: float
    boxes: tuple[tuple[int, int, int, int], ...]
    note: str
    frame: FrameRef | None


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the agent, from what it saw to what the verifier found."""

    number: int
    ts: float
    frame: FrameRef | None = None
    url: str = ""
    title: str = ""
    action: Action | None = None
    thought: str = ""
    check: CheckInfo | None = None
    halts: tuple[HaltInfo, ...] = ()  # before the action ran, then what it sent: a step can wait twice
    answers: tuple[UserAnswer, ...] = ()
    skipped: str = ""
    executed: ExecInfo | None = None
    verified: VerifyInfo | None = None

    @property
    def halt(self) -> HaltInfo | None:
        """The step's last halt (None when it never waited for the user)."""
        return self.halts[-1] if self.halts else None

    @property
    def rejected(self) -> bool:
        return any(a.kind == "rejected" for a in self.answers)


@dataclass(frozen=True, slots=True)
class HumanAction:
    ts: float
    input: InputEvent
    by: str
    ok: bool
    error: str


@dataclass(frozen=True, slots=True)
class Takeover:
    """A person at the wheel: what they did, on the last frame the agent saw before they took over."""

    after_step: int
    started_at: float
    by: str
    frame: FrameRef | None
    inputs: tuple[HumanAction, ...] = ()
    ended_at: float | None = None
    summary: str = ""


Entry = Step | Takeover


@dataclass(frozen=True, slots=True)
class Timeline:
    task_dir: Path
    task: TaskInfo | None
    entries: tuple[Entry, ...]
    ending: Ending | None

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(e for e in self.entries if isinstance(e, Step))

    @property
    def takeovers(self) -> tuple[Takeover, ...]:
        return tuple(e for e in self.entries if isinstance(e, Takeover))


def frame_ref(task_dir: Path, name: str | None, width: int = 0, height: int = 0) -> FrameRef | None:
    """Resolve a recorded image name inside ``task_dir``; anything outside it or absent is missing."""
    if not name:
        return None
    root = task_dir.resolve()
    try:
        path = (root / name).resolve()
    except (OSError, RuntimeError, ValueError):
        return FrameRef(name, None, width, height)
    ok = path.is_relative_to(root) and path.is_file()
    return FrameRef(name, path if ok else None, width, height)


def read_timeline(task_dir: Path) -> Timeline:
    """The recording in ``task_dir`` as a timeline; BadInput when there is none or it is damaged
    (a torn last line is not damage: a crash leaves one, and it is skipped)."""
    if not (task_dir / EVENTS_FILE).is_file():
        raise BadInput(f"no recording in {task_dir} (it has no {EVENTS_FILE})")
    try:
        events = read_events(task_dir)
    except (OSError, ValueError) as exc:
        raise BadInput(f"the recording in {task_dir} cannot be read: {exc}") from exc
    return _Builder(task_dir).build(events)


class _Builder:
    """Folds events, in file order, into steps and takeovers (entries keep the order they began in)."""

    def __init__(self, task_dir: Path) -> None:
        self.task_dir = task_dir
        self.task: TaskInfo | None = None
        self.ending: Ending | None = None
        self.entries: list[Entry] = []
        self.step_at: dict[int, int] = {}
        self.open_takeover: int | None = None
        self.last_frame: FrameRef | None = None

    def build(self, events: list[Event]) -> Timeline:
        for event in events:
            self._add(event)
        return Timeline(self.task_dir, self.task, tuple(self.entries), self.ending)

    def _add(self, event: Event) -> None:
        match event:
            case TaskStarted():
                self.task = event
            case Observed():
                ref = frame_ref(self.task_dir, event.frame, event.width, event.height)
                self.last_frame = ref
                self._update(event.step, event.ts, frame=ref, url=event.url, title=event.title)
            case Proposed():
                self._update(event.step, event.ts, action=event.action, thought=event.thought)
            case Checked():
                check = CheckInfo(event.checker, event.verdict, event.category, event.reason)
                self._update(event.step, event.ts, check=check)
            case Halted():
                self._halted(event)
            case Approved() | Rejected():
                self._answer(event.step, event.ts, UserAnswer(event.type, event.by, event.note))
            case Granted():
                note = f"{event.category} on {event.site or 'this page'} ({event.scope})"
                self._answer(event.step, event.ts, UserAnswer("granted", event.by, note))
            case Skipped():
                self._update(event.step, event.ts, skipped=event.reason)
            case Executed():
                self._update(event.step, event.ts, executed=ExecInfo(event.ok, event.error, event.ms))
            case Verified():
                ref = frame_ref(self.task_dir, event.frame)
                info = VerifyInfo(event.effect, event.score, event.boxes, event.note, ref)
                self._update(event.step, event.ts, verified=info)
            case TakeoverStarted() | HumanInput() | TakeoverEnded():
                self._takeover(event)
            case Finished():
                self.ending = Ending(event.outcome, event.reason, event.answer, event.steps, event.ts)

    def _halted(self, event: Halted) -> None:
        target = (event.target.name or event.target.text) if event.target else ""
        halt = HaltInfo(event.category, event.reason, target, frame_ref(self.task_dir, event.crop), event.held)
        halts = (*self._step(self._step_index(event.step, event.ts)).halts, halt)
        self._update(event.step, event.ts, halts=halts, action=event.action)

    def _step_index(self, number: int, ts: float) -> int:
        if number not in self.step_at:
            self.step_at[number] = len(self.entries)
            self.entries.append(Step(number=number, ts=ts))
        return self.step_at[number]

    def _step(self, index: int) -> Step:
        step = self.entries[index]
        assert isinstance(step, Step)
        return step

    def _update(self, number: int, ts: float, **fields: object) -> None:
        index = self._step_index(number, ts)
        self.entries[index] = replace(self._step(index), **fields)  # type: ignore[arg-type]

    def _answer(self, number: int, ts: float, answer: UserAnswer) -> None:
        index = self._step_index(number, ts)
        step = self._step(index)
        self.entries[index] = replace(step, answers=(*step.answers, answer))

    def _takeover(self, event: TakeoverStarted | HumanInput | TakeoverEnded) -> None:
        if self.open_takeover is None or isinstance(event, TakeoverStarted):
            # an input or an end without a recorded start still belongs to a (begun-now) segment
            self.open_takeover = len(self.entries)
            self.entries.append(Takeover(event.step, event.ts, event.by, self.last_frame))
        current = self.entries[self.open_takeover]
        assert isinstance(current, Takeover)
        match event:
            case HumanInput():
                done = HumanAction(event.ts, event.input, event.by, event.ok, event.error)
                self.entries[self.open_takeover] = replace(current, inputs=(*current.inputs, done))
            case TakeoverEnded():
                self.entries[self.open_takeover] = replace(current, ended_at=event.ts, summary=event.summary)
                self.open_takeover = None
            case TakeoverStarted():
                pass

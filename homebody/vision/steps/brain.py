"""The steps brain: follows explicit plain-English steps, finding each named target on screen.

The default brain when no VLM is configured. The task is parsed up front (``grammar``), so a
step that is not understood is refused before a browser starts. Each step becomes one or a few
actions; the target of a click, or the field to type into, is looked up first among what the page
says it shows (its controls by accessible name and its text, ``onpage``; a browser gives them with
the frame), and otherwise found by reading the frame with OCR (``locate``): canvases, images,
desktops. Both follow the same rules. It never guesses: a target that is missing, ambiguous (four "View" buttons), or
that did nothing when clicked, even on a second try, raises ``StepsNeedHelp`` naming the step, the
target and what is on screen.

Progress follows the loop's history: each decision is recorded there exactly once, so the last
record says how the last action went ("stale": it was not run, so it is looked up and proposed again).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin

from homebody.errors import BrainError, StepsNeedHelp, Unresolved
from homebody.types import (
    TAKEOVER_FEEDBACK,
    Action,
    Box,
    BrainInput,
    Click,
    Decision,
    Done,
    Frame,
    KeyCombo,
    Navigate,
    Point,
    Scroll,
    TypeText,
    Wait,
    describe_action,
)
from homebody.vision.pixels.ocr import OcrReader, TextBox
from homebody.vision.steps.grammar import parse_steps
from homebody.vision.steps.locate import Field, Hit, Narrow, find_field, is_on_screen, pick
from homebody.vision.steps.onpage import PageText, Want
from homebody.vision.steps.ops import (
    ClickOn,
    Finish,
    GoTo,
    Pause,
    Press,
    ScrollBy,
    Step,
    Target,
    TypeInto,
    WaitFor,
)
from homebody.vision.steps.reread import LastRead, read_changes

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

WAIT_FOR_S = 10.0  # "wait for X" gives up after this long
POLL_S = 1.0
OCR_TIMEOUT_S = 60.0
CACHED_FRAMES = 8
SELECT_ALL = KeyCombo(keys=("Control", "a"))


class BoxReader(Protocol):
    """OCR of a whole image (``OcrReader`` is one): text lines with their boxes in image pixels."""

    def read(self, image: Any, region: Box | None = None) -> list[TextBox]: ...


@dataclass(frozen=True, slots=True)
class _Issued:
    """One decision, as the brain remembers it: which step, and what is left of that step."""

    index: int  # into the steps
    tried: tuple[Point, ...] = ()  # where this step has clicked a target (the last is this action's)
    queued: tuple[Action, ...] = ()  # the step's actions still to come after this one
    since: float = 0.0  # when a "wait for" started looking
    located: bool = False  # this action clicks a target found on screen


class StepsBrain:
    """Follows the steps of ``task`` in order; done when a ``done`` step or the last step is reached."""

    name = "steps"
    reads_page = True  # asks for the page's items with each frame (``BrainInput.items``), where there are any

    def __init__(
        self,
        task: str,
        reader: BoxReader | OcrReader | None = None,
        *,
        wait_for_s: float = WAIT_FOR_S,
        ocr_timeout_s: float = OCR_TIMEOUT_S,
    ) -> None:
        self.steps: list[Step] = parse_steps(task)  # BadInput here: refused before a browser starts
        self._reader: BoxReader = reader if reader is not None else OcrReader(threads=2)
        self._wait_for_s = wait_for_s
        self._ocr_timeout_s = ocr_timeout_s
        self._issued: list[_Issued] = []
        self._seen: OrderedDict[bytes, list[TextBox]] = OrderedDict()  # lines of a frame, CSS pixels
        self._looked: OrderedDict[bytes, None] = OrderedDict()
        self.reads = 0  # frames read (their page items, or by OCR): each frame at most once
        self.ocr_reads = 0  # frames read by OCR
        self._last: LastRead | None = None  # the last frame read by OCR: the next is read where it changed

    async def decide(self, inp: BrainInput) -> Decision:
        return await self._plan(self._resume(inp), inp)

    # ------------------------------------------------------------------ where we are

    def _resume(self, inp: BrainInput) -> _Issued:
        """Where to go on from, judged by how the last decision went (the last history record)."""
        if len(inp.history) < len(self._issued):  # a new task (or a shorter history): follow what it says
            self._issued = self._issued[: len(inp.history)]
        if not self._issued:
            return _Issued(0)
        last, record = self._issued[-1], inp.history[-1]
        step = self.steps[last.index]
        if record.outcome == "stale":  # not run: the screen changed, so look the target up again
            return _Issued(last.index, last.tried[:-1] if last.located else last.tried, since=last.since)
        if record.outcome.startswith("error"):
            raise StepsNeedHelp(
                f"{step.label()}: {describe_action(record.action)} failed: {record.outcome[6:].strip()}"
            )
        if record.outcome == "not run" and _taken_over(inp.feedback):
            log.info("%s: a person took over instead; going on with the next step", step.label())
            return _Issued(last.index + 1)
        if record.outcome == "not run":
            why = "; ".join(inp.feedback) or "it was not allowed"
            raise StepsNeedHelp(f"{step.label()} was not run ({why}), and the steps after it depend on it")
        if last.located and isinstance(step.op, ClickOn) and _had_no_effect(inp.feedback):
            if len(last.tried) >= 2:
                spots = " and then ".join(f"({p.x:.0f}, {p.y:.0f})" for p in last.tried)
                raise StepsNeedHelp(f"{step.label()}: clicking at {spots} had no visible effect")
            log.info("%s: the click had no visible effect; trying the next candidate", step.label())
            return _Issued(last.index, last.tried)
        if last.queued:
            return _Issued(last.index, last.tried, last.queued)
        if isinstance(step.op, WaitFor):  # a poll: look again
            return _Issued(last.index, since=last.since)
        return _Issued(last.index + 1)

    # ------------------------------------------------------------------ what to do

    async def _plan(self, at: _Issued, inp: BrainInput) -> Decision:
        if at.index >= len(self.steps):
            return Decision(action=Done(), thought=f"all {len(self.steps)} steps are done")
        step = self.steps[at.index]
        if at.queued:
            return self._issue(step, _Issued(at.index, at.tried, at.queued[1:]), at.queued[0], "")
        match step.op:
            case GoTo(url=url):
                return self._issue(step, at, Navigate(url=urljoin(inp.frame.url, url)), "")
            case ClickOn(target=target, button=button, count=count):
                hit, page = await self._find(step, inp, target, at.tried, "click")
                point = _clamped(hit.point, inp.frame)
                action = Click(x=point.x, y=point.y, button=button, count=count)
                issued = _Issued(at.index, (*at.tried, point), located=True)
                where = " on the page" if page is not None else ""
                return self._issue(step, issued, action, f"found '{hit.line.text}'{where}")
            case TypeInto(text=text, target=None):
                return self._issue(step, at, TypeText(text=text), "into the focused element")
            case TypeInto():
                return await self._type_into(step, at, inp)
            case Press(keys=keys, times=times):
                combo = KeyCombo(keys=keys)
                return self._issue(step, _Issued(at.index, queued=(combo,) * (times - 1)), combo, "")
            case ScrollBy(dx=dx, dy=dy):
                size = inp.frame.size
                return self._issue(step, at, Scroll(x=size.width / 2, y=size.height / 2, dx=dx, dy=dy), "")
            case Pause(seconds=seconds):
                return self._issue(step, at, Wait(seconds=seconds), "")
            case WaitFor(text=text):
                return await self._wait_for(step, at, text, inp)
            case Finish(answer=answer):
                return Decision(action=Done(answer=answer), thought=f"step {step.number}: done", raw=step.source)

    async def _find(
        self, step: Step, inp: BrainInput, target: Target, tried: tuple[Point, ...], want: Want
    ) -> tuple[Hit, PageText | None]:
        """The hit ``target`` names: among the page's items when they name it, else by OCR."""
        page = self._page(inp)
        if page is not None and page.names(target.text) and (not target.relation or page.names(target.anchor)):
            return self._pick(step, page.lines, target, tried, page.narrowing(want)), page
        return self._pick(step, await self._read(inp.frame), target, tried), None

    async def _type_into(self, step: Step, at: _Issued, inp: BrainInput) -> Decision:
        assert isinstance(step.op, TypeInto) and step.op.target is not None
        frame = inp.frame
        label, page = await self._find(step, inp, step.op.target, at.tried, "type")
        field = page.field(label) if page is not None else None
        if field is None:
            field = await self._field_in_pixels(frame, label, page)
        point = _clamped(field.point, frame)
        typing = TypeText(text=step.op.text)
        then = (SELECT_ALL, typing) if field.filled else (typing,)
        issued = _Issued(at.index, (*at.tried, point), then, located=True)
        what = "the field by" if field.box is not None else "the label"
        note = f"{what} '{label.line.text}', then type"
        return self._issue(step, issued, Click(x=point.x, y=point.y), note)

    async def _field_in_pixels(self, frame: Frame, label: Hit, page: PageText | None) -> Field:
        """The field by ``label`` from the frame's outlines (where the page names no field for it)."""
        lines = page.lines if page is not None else await self._read(frame)

        def find() -> Field:
            image = _decode(frame.data)
            return find_field(image, frame.size.width / image.shape[1], lines, label)

        return await asyncio.to_thread(find)

    async def _wait_for(self, step: Step, at: _Issued, text: str, inp: BrainInput) -> Decision:
        since = at.since or time.monotonic()
        page = self._page(inp)
        if (page is not None and page.names(text)) or is_on_screen(await self._read(inp.frame), text):
            log.info("%s: '%s' is on screen", step.label(), text)
            return await self._plan(_Issued(at.index + 1), inp)
        waited = time.monotonic() - since
        if waited >= self._wait_for_s:
            raise StepsNeedHelp(f"{step.label()}: waited {waited:.0f} s but '{text}' did not appear")
        note = f"'{text}' is not on screen yet; looking again in {POLL_S:g} s"
        return self._issue(step, _Issued(at.index, since=since), Wait(seconds=POLL_S), note)

    def _issue(self, step: Step, issued: _Issued, action: Action, note: str) -> Decision:
        self._issued.append(issued)
        thought = f"step {step.number}/{len(self.steps)} ({step.source}): {describe_action(action)}"
        log.debug("%s%s", thought, f": {note}" if note else "")
        return Decision(action=action, thought=thought + (f": {note}" if note else ""), raw=step.source)

    def _pick(
        self,
        step: Step,
        lines: list[TextBox],
        target: Target,
        tried: tuple[Point, ...],
        narrow: Narrow | None = None,
    ) -> Hit:
        verb = f'type "{step.op.text}" into' if isinstance(step.op, TypeInto) else "click"
        try:
            return pick(lines, target, tried=tried, verb=verb, narrow=narrow)
        except Unresolved as exc:
            raise StepsNeedHelp(f"{step.label()}: {exc}") from None

    # ------------------------------------------------------------------ reading the screen

    def _page(self, inp: BrainInput) -> PageText | None:
        """The page's items with the frame, as lines; None where the computer gave none."""
        if inp.items is None:
            return None
        self._count(_key(inp.frame))
        return PageText.of(inp.items)

    def _count(self, key: bytes) -> None:
        """Count a frame as read once, however many ways it is read."""
        if key in self._looked:
            self._looked.move_to_end(key)
            return
        self.reads += 1
        self._looked[key] = None
        while len(self._looked) > CACHED_FRAMES:
            self._looked.popitem(last=False)

    async def _read(self, frame: Frame) -> list[TextBox]:
        """The frame's text lines in CSS pixels; each frame (by its bytes) is read once."""
        key = _key(frame)
        self._count(key)
        seen = self._seen.get(key)
        if seen is not None:
            self._seen.move_to_end(key)
            return seen
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._ocr_timeout_s):
                seen = await asyncio.to_thread(self._read_now, frame)
        except TimeoutError as exc:
            raise BrainError(f"reading the screen took longer than {self._ocr_timeout_s:g} s") from exc
        self.ocr_reads += 1
        log.debug("read %d lines in %.2f s", len(seen), time.perf_counter() - started)
        self._seen[key] = seen
        while len(self._seen) > CACHED_FRAMES:
            self._seen.popitem(last=False)
        return seen

    def _read_now(self, frame: Frame) -> list[TextBox]:
        image = _decode(frame.data)
        boxes, whole = read_changes(self._reader, image, self._last)
        self._last = LastRead(image, boxes)
        log.debug("read %s", "the whole frame" if whole else "where the frame changed since the last read")
        scale = frame.size.width / image.shape[1]
        if abs(scale - 1) > 0.01:  # a HiDPI screenshot: boxes to CSS pixels
            boxes = [TextBox(b.text, _scaled(b.box, scale), b.score) for b in boxes]
        return boxes


def _key(frame: Frame) -> bytes:
    return hashlib.blake2b(frame.data, digest_size=16).digest()


def _taken_over(feedback: tuple[str, ...]) -> bool:
    """Whether a person took the session over at this step (then they did the step, or chose not to:
    either way the steps go on after it rather than trying it again)."""
    return any(TAKEOVER_FEEDBACK in f for f in feedback)


def _had_no_effect(feedback: tuple[str, ...]) -> bool:
    return any(f.startswith("the click") and "no visible effect" in f for f in feedback)


def _clamped(p: Point, frame: Frame) -> Point:
    return Point(min(max(p.x, 0.0), frame.size.width - 1.0), min(max(p.y, 0.0), frame.size.height - 1.0))


def _scaled(box: Box, scale: float) -> Box:
    return Box(box.x * scale, box.y * scale, box.width * scale, box.height * scale)


def _decode(data: bytes) -> NDArray[np.uint8]:
    import cv2  # noqa: PLC0415  (imported on use: OpenCV is slow to import)
    import numpy as np  # noqa: PLC0415

    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise BrainError("the screenshot could not be decoded")
    return np.asarray(image, dtype=np.uint8)

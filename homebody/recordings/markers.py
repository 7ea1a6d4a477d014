"""What to draw on a replay's frames: shared by the HTML and video exports.

Markers are in the frame's own pixels (CSS pixels of a browser viewport, screen pixels of a desktop),
so each export only scales them with the image. The agent's actions and a person's inputs during a
takeover are told apart by ``human``, which the exports draw in different colours. A marker's label
is the action's own description (``wording``), shortened to fit beside it on the picture.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from homebody.recordings.timeline import Step, Takeover, Timeline
from homebody.recordings.wording import action_line, input_line, outgoing_line
from homebody.types import Click, Done, KeyCombo, Navigate, Scroll, TypeText, Wait

MarkerKind = Literal["click", "scroll", "label", "dot", "box"]
_TOP_LEFT = (16.0, 16.0)
_LABEL_LIMIT = 48  # characters: a label runs across the picture, not across the whole page
_HELD_LABELS = 3  # held requests labelled on the picture (the page lists them all)


@dataclass(frozen=True, slots=True)
class Marker:
    """Something to draw on a frame, in the frame's pixels: both exports draw the same list."""

    kind: MarkerKind
    x: float
    y: float
    text: str = ""
    dx: float = 0.0
    dy: float = 0.0
    human: bool = False
    lift: int = 0  # label lines to move the text down, so labels at one spot do not overprint


def entry_markers(timeline: Timeline) -> tuple[tuple[Marker, ...], ...]:
    """Markers per entry. Typed text and keys have no position of their own: they are labelled
    where the pointer last clicked, which is where the focused field most likely is."""
    pointer = _TOP_LEFT
    out: list[tuple[Marker, ...]] = []
    for entry in timeline.entries:
        if isinstance(entry, Step):
            found, pointer = _step_markers(entry, pointer)
        else:
            found, pointer = _human_markers(entry, pointer)
        out.append(_lifted(found))
    return tuple(out)


def _lifted(markers: tuple[Marker, ...]) -> tuple[Marker, ...]:
    out: list[Marker] = []
    for m in markers:
        near = sum(1 for o in out if o.text and abs(o.x - m.x) < 30 and abs(o.y - m.y) < 30)
        out.append(replace(m, lift=near) if m.text and near else m)
    return tuple(out)


def _step_markers(step: Step, pointer: tuple[float, float]) -> tuple[tuple[Marker, ...], tuple[float, float]]:
    found: list[Marker] = []
    if step.verified is not None:
        found += [Marker("box", x, y, dx=w, dy=h) for x, y, w, h in step.verified.boxes]
    if step.action is None:
        return tuple(found), pointer
    label = _short(action_line(step.action), _LABEL_LIMIT)
    match step.action:
        case Click(x=x, y=y):
            found.append(Marker("click", x, y, label))
            pointer = (x, y)
        case Scroll(x=x, y=y, dx=dx, dy=dy):
            found.append(Marker("scroll", x, y, label, dx, dy))
        case TypeText() | KeyCombo():
            found.append(Marker("label", *pointer, label))
        case Navigate() | Wait() | Done():
            found.append(Marker("label", *_TOP_LEFT, label))
    held = step.halt.held[:_HELD_LABELS] if step.halt is not None else ()
    found += [Marker("label", *_TOP_LEFT, _short(f"held: {outgoing_line(h.outgoing)}", _LABEL_LIMIT)) for h in held]
    return tuple(found), pointer


def _human_markers(takeover: Takeover, pointer: tuple[float, float]) -> tuple[tuple[Marker, ...], tuple[float, float]]:
    found: list[Marker] = []
    # labels carry the input's number in the takeover's list of inputs
    for n, done in enumerate(takeover.inputs, start=1):
        inp = done.input
        label = _short(f"{n}. {input_line(inp)}", _LABEL_LIMIT)
        match inp.kind:
            case "move":
                found.append(Marker("dot", inp.x, inp.y, human=True))
                pointer = (inp.x, inp.y)
            case "down" | "up":
                found.append(Marker("dot", inp.x, inp.y, label, human=True))
                pointer = (inp.x, inp.y)
            case "click":
                found.append(Marker("click", inp.x, inp.y, label, human=True))
                pointer = (inp.x, inp.y)
            case "wheel":
                found.append(Marker("scroll", inp.x, inp.y, label, inp.dx, inp.dy, human=True))
            case "key" | "text":
                found.append(Marker("label", *pointer, label, human=True))
    return tuple(found), pointer


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

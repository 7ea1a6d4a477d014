"""What to draw on a replay's frames, and one line per action: shared by the HTML and video exports.

Markers are in the frame's own pixels (CSS pixels of a browser viewport, screen pixels of a desktop),
so each export only scales them with the image. The agent's actions and a person's inputs during a
takeover are told apart by ``human``, which the exports draw in different colours.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from homebody.recordings.timeline import Step, Takeover, Timeline
from homebody.types import Action, Click, Done, InputEvent, KeyCombo, Navigate, Scroll, TypeText, Wait, describe_action

MarkerKind = Literal["click", "scroll", "label", "dot", "box"]
_TOP_LEFT = (16.0, 16.0)


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
    match step.action:
        case Click(x=x, y=y, button=button, count=count):
            label = ("double " if count == 2 else "") + ("click" if button == "left" else f"{button} click")
            found.append(Marker("click", x, y, label))
            pointer = (x, y)
        case Scroll(x=x, y=y, dx=dx, dy=dy):
            found.append(Marker("scroll", x, y, f"scroll {dx:+.0f},{dy:+.0f}", dx, dy))
        case TypeText(text=text):
            found.append(Marker("label", *pointer, "type " + _quote(text)))
        case KeyCombo(keys=keys):
            found.append(Marker("label", *pointer, "press " + "+".join(keys)))
        case Navigate(url=url):
            found.append(Marker("label", *_TOP_LEFT, "go to " + _short(url, 80)))
        case Wait(seconds=seconds):
            found.append(Marker("label", *_TOP_LEFT, f"wait {seconds:g} s"))
        case Done(answer=answer):
            found.append(Marker("label", *_TOP_LEFT, "done" + (": " + _short(answer, 60) if answer else "")))
        case None:
            pass
    return tuple(found), pointer


def _human_markers(takeover: Takeover, pointer: tuple[float, float]) -> tuple[tuple[Marker, ...], tuple[float, float]]:
    found: list[Marker] = []
    # labels carry the input's number in the takeover's list of inputs
    for n, done in enumerate(takeover.inputs, start=1):
        inp = done.input
        match inp.kind:
            case "move":
                found.append(Marker("dot", inp.x, inp.y, human=True))
                pointer = (inp.x, inp.y)
            case "down" | "up":
                found.append(Marker("dot", inp.x, inp.y, f"{n}. mouse {inp.kind}", human=True))
                pointer = (inp.x, inp.y)
            case "click":
                label = f"{n}. " + ("double " if inp.count == 2 else "") + "click"
                found.append(Marker("click", inp.x, inp.y, label, human=True))
                pointer = (inp.x, inp.y)
            case "wheel":
                label = f"{n}. wheel {inp.dx:+.0f},{inp.dy:+.0f}"
                found.append(Marker("scroll", inp.x, inp.y, label, inp.dx, inp.dy, human=True))
            case "key":
                found.append(Marker("label", *pointer, f"{n}. press {inp.key}", human=True))
            case "text":
                found.append(Marker("label", *pointer, f"{n}. type {_quote(inp.text)}", human=True))
    return tuple(found), pointer


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text: str, limit: int = 40) -> str:
    return "“" + _short(text, limit) + "”"


def action_line(action: Action | None) -> str:
    """What the agent did, in words, with the text it typed (already masked when it was a secret)."""
    if action is None:
        return "(no action recorded)"
    if isinstance(action, TypeText):
        return "type " + _quote(action.text, 200)
    return describe_action(action)


def input_line(inp: InputEvent) -> str:
    """What a person did during a takeover, in words."""
    match inp.kind:
        case "move" | "down" | "up":
            return f"mouse {inp.kind} at ({inp.x:.0f}, {inp.y:.0f})"
        case "click":
            which = ("double-" if inp.count == 2 else "") + ("click" if inp.button == "left" else f"{inp.button}-click")
            return f"{which} at ({inp.x:.0f}, {inp.y:.0f})"
        case "wheel":
            return f"wheel ({inp.dx:+.0f}, {inp.dy:+.0f}) at ({inp.x:.0f}, {inp.y:.0f})"
        case "key":
            return f"press {inp.key}"
        case "text":
            return "type " + _quote(inp.text, 200)

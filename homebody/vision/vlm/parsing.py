"""Turning a model's reply into an ``Action``: Qwen's ``computer_use`` tool calls, UI-TARS's
``Action: click(start_box='(x,y)')`` grammar, and what they share (key names, points, errors).

Parsing fails with ``ParseError`` only, and its message is written for the model: the brain sends
it back verbatim when it re-asks ("unknown action 'fly'; use one of: …"). A well-formed reply in
which the model gives up (``terminate`` with ``failure``, ``call_user``) is not a parse error: it
raises ``ModelGaveUp`` so the task fails with the model's reason instead of being re-asked.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from homebody.errors import ModelGaveUp, ParseError
from homebody.types import Action, Click, Done, KeyCombo, MouseButton, Point, Scroll, TypeText, Wait
from homebody.vision.vlm.coords import ScreenMapping

T = TypeVar("T", bound=BaseModel)


# Playwright key names for the names models write (pyautogui / xdotool style, any case).
_KEY_ALIASES = {
    "Control": "ctrl control ctl",
    "Shift": "shift",
    "Alt": "alt option",
    "Meta": "cmd command meta super win windows",
    "Enter": "enter return",
    "Escape": "esc escape",
    "Tab": "tab",
    "Space": "space",
    "Backspace": "backspace",
    "Delete": "delete del",
    "Insert": "insert",
    "ArrowUp": "up arrowup",
    "ArrowDown": "down arrowdown",
    "ArrowLeft": "left arrowleft",
    "ArrowRight": "right arrowright",
    "PageUp": "pageup page_up pgup",
    "PageDown": "pagedown page_down pgdn",
    "Home": "home",
    "End": "end",
    "CapsLock": "capslock",
}
_KEY_NAMES = {alias: name for name, aliases in _KEY_ALIASES.items() for alias in aliases.split()}
_FUNCTION_KEY = re.compile(r"f([1-9]|1[0-9]|2[0-4])")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def key_name(raw: str) -> str:
    """The Playwright name of one key as a model wrote it (``ctrl`` → ``Control``)."""
    if raw == " ":
        return "Space"
    name = raw.strip()
    if len(name) == 1:
        return name
    lowered = name.lower()
    if lowered in _KEY_NAMES:
        return _KEY_NAMES[lowered]
    if _FUNCTION_KEY.fullmatch(lowered):
        return lowered.upper()
    raise ParseError(f"unknown key {raw!r}; use names like 'ctrl', 'shift', 'enter', 'tab', 'esc', 'a'")


def key_names(raw: Sequence[str]) -> tuple[str, ...]:
    """Playwright names for keys written as a list, each item possibly a combo (``["ctrl+c"]``)."""
    keys = tuple(key_name(k) for item in raw for k in split_keys(item))
    if not keys:
        raise ParseError("a key action needs at least one key, e.g. ['ctrl', 'a'] or 'enter'")
    return keys


def split_keys(raw: str) -> list[str]:
    """``"ctrl c"``, ``"ctrl+c"`` and ``"ctrl-c"``-less forms: split on spaces and plus signs."""
    parts = [p for p in re.split(r"[\s+]+", raw.strip()) if p]
    if not parts and raw:
        return [raw]  # a lone space or plus is itself a key
    return parts


def number_pair(value: object, what: str) -> Point:
    """Two finite JSON numbers (not strings, not booleans) as a point."""
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value)
    ):
        return Point(float(value[0]), float(value[1]))
    raise ParseError(f"{what} must be two numbers [x, y], got {json.dumps(value, ensure_ascii=False)[:80]}")


def point_in_text(value: str, what: str) -> Point:
    """A point written in text: ``(x,y)``, ``<point>x y</point>``, a box ``(x1,y1,x2,y2)`` → its centre."""
    cleaned = re.sub(r"<\|box_(?:start|end)\|>|</?point>|</?bbox>", " ", value)
    numbers = [float(n) for n in _NUMBER.findall(cleaned)]
    leftover = _NUMBER.sub("", cleaned)
    if re.search(r"[^\s(),\[\]]", leftover):
        raise ParseError(f"{what} must be a point like '(x,y)', got {value[:80]!r}")
    if len(numbers) == 2:
        return Point(numbers[0], numbers[1])
    if len(numbers) == 4:
        return Point((numbers[0] + numbers[2]) / 2, (numbers[1] + numbers[3]) / 2)
    raise ParseError(f"{what} must be a point '(x,y)' with two numbers, got {value[:80]!r}")


def validated(model: type[T], data: object, what: str) -> T:
    """``model.model_validate(data)`` with the errors rewritten for the model to read."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:3]:
            field = ".".join(str(p) for p in err["loc"]) or what
            problems.append(f"{field}: {err['msg']}")
        raise ParseError(f"invalid {what}: " + "; ".join(problems)) from None


def built(factory: Callable[[], T], what: str) -> T:
    """Construct an action; a value the Action union rejects becomes a ``ParseError``."""
    try:
        return factory()
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise ParseError(f"invalid {what}: {field}: {err['msg']}") from None


def loads_object(text: str, what: str) -> dict[str, Any]:
    """A JSON object, or a ``ParseError`` that says where the JSON broke."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            extra = one_line(text[exc.pos :], 80)
            raise ParseError(f"the {what} must contain only the JSON object, found text after it: {extra!r}") from None
        raise ParseError(f"the {what} is not valid JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(value, dict):
        raise ParseError(f"the {what} must be a JSON object, got {type(value).__name__}")
    return value


def unescape(text: str) -> str:
    r"""Undo the escapes the UI-TARS prompt asks for (``\'``, ``\"``, ``\n``, ``\\``)."""
    return re.sub(r"\\(['\"nt\\])", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --------------------------------------------------------------------------- Qwen tool calls

_TOOL_CALL = re.compile(r"<tool_call>(.*?)(?:</tool_call>|\Z)", re.DOTALL)
_FENCE = re.compile(r"\A```(?:json)?\s*(.*?)\s*```\Z", re.DOTALL)


def tool_call_json(text: str) -> tuple[str, str]:
    """The JSON inside the first ``<tool_call>`` block, and the text around the blocks (the thought).

    A reply that is nothing but a JSON object (optionally fenced) is accepted too: servers that
    run without the model's chat template often drop the tags.
    """
    blocks = _TOOL_CALL.findall(text)
    if blocks:
        body = blocks[0].strip()
        if not body.startswith("{"):
            raise ParseError(
                "the <tool_call> block must contain only the JSON object "
                f'{{"name": "computer_use", "arguments": {{...}}}}, found: {one_line(body, 120)!r}'
            )
        return body, _TOOL_CALL.sub(" ", text).strip()
    stripped = text.strip()
    fenced = _FENCE.match(stripped)
    bare = fenced.group(1) if fenced else stripped
    if bare.startswith("{") and bare.endswith("}") and '"name"' in bare:
        return bare, ""
    raise ParseError(
        'no tool call found: reply with exactly one <tool_call>{"name": "computer_use", '
        '"arguments": {"action": ...}}</tool_call> block'
    )


class _ToolCall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    arguments: dict[str, Any] | str


class _ToolArgs(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, allow_inf_nan=False)

    action: str
    coordinate: Any = None
    keys: list[str] | str | None = None
    text: str | None = None
    pixels: float | None = None
    time: float | None = None
    status: str | None = None


_QWEN_CLICKS: dict[str, tuple[MouseButton, Literal[1, 2]]] = {
    "left_click": ("left", 1),
    "right_click": ("right", 1),
    "middle_click": ("middle", 1),
    "double_click": ("left", 2),
}
QWEN_ACTIONS = (*_QWEN_CLICKS, "type", "key", "scroll", "wait", "answer", "terminate")
_QWEN_UNSUPPORTED = ("mouse_move", "left_click_drag", "triple_click", "screenshot")
#: At or below this a scroll amount is read as wheel notches (models write both ``-5`` and ``-500``).
_NOTCH_LIMIT = 25
_NOTCH_PX = 100


def parse_tool_call(text: str, mapping: ScreenMapping) -> tuple[Action, str]:
    """A Qwen ``computer_use`` reply → (action in viewport pixels, thought)."""
    body, thought = tool_call_json(text)
    call = validated(_ToolCall, loads_object(body, "tool call"), "tool call")
    if call.name != "computer_use":
        raise ParseError(f"unknown function {call.name!r}; call computer_use")
    raw_args = loads_object(call.arguments, "arguments") if isinstance(call.arguments, str) else call.arguments
    args = validated(_ToolArgs, raw_args, "computer_use arguments")
    return _qwen_action(args, mapping), thought


def _qwen_action(args: _ToolArgs, mapping: ScreenMapping) -> Action:
    kind = args.action
    if kind in _QWEN_CLICKS:
        if args.coordinate is None:
            raise ParseError(f"{kind} needs a coordinate [x, y]")
        return click_at(mapping.to_screen(number_pair(args.coordinate, "coordinate")), *_QWEN_CLICKS[kind])
    if kind == "type":
        return built(lambda: TypeText(text=args.text or ""), "type (text must not be empty)")
    if kind == "key":
        if args.keys is None:
            raise ParseError("key needs keys, e.g. ['ctrl', 'a'] or ['enter']")
        return KeyCombo(keys=key_names(split_keys(args.keys) if isinstance(args.keys, str) else args.keys))
    if kind in ("scroll", "hscroll"):
        return _qwen_scroll(args, mapping, horizontal=kind == "hscroll")
    if kind == "wait":
        return Wait(seconds=min(max(args.time if args.time is not None else 2.0, 0.1), 60.0))
    if kind == "answer":
        return Done(answer=args.text or "")
    if kind == "terminate":
        if args.status == "failure":
            raise ModelGaveUp("the model ended the task as failed" + (f": {args.text}" if args.text else ""))
        return Done(answer=args.text or "")
    if kind in _QWEN_UNSUPPORTED:
        raise ParseError(f"action {kind!r} is not available here; use one of: {', '.join(QWEN_ACTIONS)}")
    raise ParseError(f"unknown action {kind!r}; use one of: {', '.join(QWEN_ACTIONS)}")


def _qwen_scroll(args: _ToolArgs, mapping: ScreenMapping, *, horizontal: bool) -> Scroll:
    if args.pixels is None:
        raise ParseError("scroll needs pixels (positive scrolls up, negative scrolls down)")
    at = centre(mapping) if args.coordinate is None else mapping.to_screen(number_pair(args.coordinate, "coordinate"))
    amount = args.pixels * _NOTCH_PX if abs(args.pixels) <= _NOTCH_LIMIT else args.pixels
    # Qwen's sign: positive scrolls up (towards the top), which is a negative wheel delta.
    if horizontal:
        return scroll_at(at, mapping, dx=amount, dy=0)
    return scroll_at(at, mapping, dx=0, dy=-amount)


def click_at(point: Point, button: MouseButton = "left", count: Literal[1, 2] = 1) -> Click:
    return Click(x=point.x, y=point.y, button=button, count=count)


def scroll_at(point: Point, mapping: ScreenMapping, *, dx: float, dy: float) -> Scroll:
    """A wheel scroll at ``point``, at most one viewport per step on each axis."""
    view = mapping.viewport
    dx = max(-view.width, min(view.width, dx))
    dy = max(-view.height, min(view.height, dy))
    return Scroll(x=point.x, y=point.y, dx=dx, dy=dy)


def centre(mapping: ScreenMapping) -> Point:
    return Point(round(mapping.viewport.width / 2, 2), round(mapping.viewport.height / 2, 2))


# --------------------------------------------------------------------------- UI-TARS grammar

_LABEL = re.compile(r"\A\s*(?:Thought|Reflection|Action_Summary)\s*:\s*", re.IGNORECASE)
_CALL = re.compile(r"([A-Za-z_]\w*)\s*\((.*)\)", re.DOTALL)
_CONTENT = re.compile(r"\s*content\s*=\s*(['\"])(.*)\1\s*,?\s*", re.DOTALL)
_KWARG = re.compile(r"(\w+)\s*=\s*(['\"])(.*?)\2", re.DOTALL)


def uitars_call(text: str) -> tuple[str, dict[str, str], str]:
    """``Thought: … Action: name(k='v', …)`` → (name, kwargs, thought). The first action only."""
    body = text.strip()
    at = body.rfind("Action:")
    if at < 0:
        raise ParseError("no 'Action:' line found; reply as 'Thought: …' then 'Action: click(start_box='(x,y)')'")
    thought = _LABEL.sub("", body[:at]).strip()
    rest = body[at + len("Action:") :].strip()
    first = re.split(r"(?<=\))\s*\n\s*\n", rest, maxsplit=1)[0].strip()
    call = _CALL.fullmatch(first)
    if call is None:
        raise ParseError(f"the action must be one call like click(start_box='(x,y)'), got {one_line(first, 120)!r}")
    name, args = call.group(1), call.group(2)
    return name, _kwargs(name, args), thought


def _kwargs(name: str, args: str) -> dict[str, str]:
    if not args.strip():
        return {}
    if name in ("type", "finished"):
        # Free text may hold unescaped quotes: take everything between the first and last quote.
        content = _CONTENT.fullmatch(args)
        if content is None:
            raise ParseError(f"{name} takes one argument, content='…'; got {one_line(args, 120)!r}")
        return {"content": unescape(content.group(2))}
    found = {m.group(1): m.group(3) for m in _KWARG.finditer(args)}
    leftover = _KWARG.sub("", args)
    if leftover.replace(",", "").strip():
        raise ParseError(f"could not read the arguments of {name}: {one_line(args, 120)!r}; write them as key='value'")
    return found


_UITARS_CLICKS: dict[str, tuple[MouseButton, Literal[1, 2]]] = {
    "click": ("left", 1),
    "left_single": ("left", 1),
    "left_double": ("left", 2),
    "right_single": ("right", 1),
}
UITARS_ACTIONS = ("click", "left_double", "right_single", "hotkey", "press", "type", "scroll", "wait", "finished")
_UITARS_UNSUPPORTED = ("drag", "select", "mouse_move", "hover", "keyup", "release", "long_press", "open_app")
_POINT_ARGS = ("start_box", "point", "start_point")


def parse_uitars(text: str, mapping: ScreenMapping) -> tuple[Action, str]:
    """A UI-TARS reply → (action in viewport pixels, thought)."""
    name, kwargs, thought = uitars_call(text)
    return _uitars_action(name, kwargs, mapping), thought


def _uitars_action(name: str, kw: dict[str, str], mapping: ScreenMapping) -> Action:
    if name in _UITARS_CLICKS:
        return click_at(_uitars_point(name, kw, mapping) or _missing_point(name), *_UITARS_CLICKS[name])
    if name in ("hotkey", "press", "keydown"):
        raw = kw.get("key") or kw.get("hotkey") or kw.get("press") or ""
        if not raw:
            raise ParseError(f"{name} needs key='…', e.g. {name}(key='ctrl c')")
        return KeyCombo(keys=key_names(split_keys(raw)))
    if name == "type":
        return built(lambda: TypeText(text=kw.get("content", "")), "type (content must not be empty)")
    if name == "scroll":
        return _uitars_scroll(kw, mapping)
    if name == "wait":
        return Wait(seconds=5.0)  # UI-TARS's wait() means "sleep 5 s and look again"
    if name == "finished":
        return Done(answer=kw.get("content", ""))
    if name == "call_user":
        raise ModelGaveUp("the model stopped and asked for the user's help")
    if name in _UITARS_UNSUPPORTED:
        raise ParseError(f"action {name!r} is not available here; use one of: {', '.join(UITARS_ACTIONS)}")
    raise ParseError(f"unknown action {name!r}; use one of: {', '.join(UITARS_ACTIONS)}")


def _uitars_point(name: str, kw: dict[str, str], mapping: ScreenMapping) -> Point | None:
    for arg in _POINT_ARGS:
        if arg in kw:
            return mapping.to_screen(point_in_text(kw[arg], arg))
    return None


def _missing_point(name: str) -> Point:
    raise ParseError(f"{name} needs a point: {name}(start_box='(x,y)')")


def _uitars_scroll(kw: dict[str, str], mapping: ScreenMapping) -> Scroll:
    at = _uitars_point("scroll", kw, mapping) or centre(mapping)
    view = mapping.viewport
    steps = {
        "down": (0.0, view.height / 2),
        "up": (0.0, -view.height / 2),
        "right": (view.width / 2, 0.0),
        "left": (-view.width / 2, 0.0),
    }
    direction = kw.get("direction", "").strip().lower()
    if direction not in steps:
        raise ParseError(f"scroll needs direction='down', 'up', 'left' or 'right', got {direction!r}")
    dx, dy = steps[direction]
    return scroll_at(at, mapping, dx=dx, dy=dy)

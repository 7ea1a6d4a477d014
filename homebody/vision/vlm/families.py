"""Model families: how each VLM is prompted, how it writes actions, and how those become ``Action``s.

A family is a small adapter (``Family``): its image factor and coordinate convention (see
``coords.py``), its system prompt, how it wants to read its own history, and a parser that turns a
reply into a ``Decision`` or raises ``ParseError`` with a message the model can act on.

- ``qwen3-vl``: the ``computer_use`` tool call, coordinates relative 0..1000.
- ``qwen2.5-vl``: the same tool call, coordinates in pixels of the smart-resized screenshot.
- ``ui-tars``: UI-TARS-1.5's ``Thought: … Action: click(start_box='(x,y)')`` grammar, pixels of
  the smart-resized screenshot.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

from homebody.errors import BadInput
from homebody.types import (
    Action,
    Click,
    Decision,
    Done,
    KeyCombo,
    Navigate,
    Point,
    Scroll,
    StepRecord,
    TypeText,
    Wait,
)
from homebody.vision.vlm.coords import Convention, ScreenMapping
from homebody.vision.vlm.parsing import QWEN_ACTIONS, one_line, parse_tool_call, parse_uitars


class Family(Protocol):
    """One model family's prompt and output grammar."""

    name: str
    factor: int
    convention: Convention
    min_pixels: int
    default_max_pixels: int
    #: Put the system prompt at the top of the user turn (how UI-TARS was trained) instead of a system turn.
    system_in_user: bool
    #: The line that introduces the user's task.
    task_heading: str

    def system_prompt(self, mapping: ScreenMapping) -> str: ...
    def render_history(self, records: Sequence[StepRecord], mapping: ScreenMapping) -> str: ...
    def parse(self, text: str, mapping: ScreenMapping) -> Decision: ...


# --------------------------------------------------------------------------- Qwen computer_use

_QWEN_ACTION_HELP = (
    "The action to perform. The available actions are:\n"
    "* `key`: Press the keys in `keys` together (held in order, released in reverse), e.g. ['ctrl', 'a'].\n"
    "* `type`: Type a string of text on the keyboard into the focused field.\n"
    "* `left_click`: Click the left mouse button at `coordinate`.\n"
    "* `right_click`: Click the right mouse button at `coordinate`.\n"
    "* `middle_click`: Click the middle mouse button at `coordinate`.\n"
    "* `double_click`: Double-click the left mouse button at `coordinate`.\n"
    "* `scroll`: Turn the mouse wheel at `coordinate` by `pixels`.\n"
    "* `wait`: Wait `time` seconds for the page to change.\n"
    "* `answer`: Give the answer the user asked for in `text`, ending the task.\n"
    "* `terminate`: End the task and report its completion status."
)


class QwenFamily:
    """Qwen2.5-VL and Qwen3-VL: one ``computer_use`` tool call per reply."""

    system_in_user = False
    task_heading = "The user query:"

    def __init__(self, name: str, *, factor: int, convention: Convention, min_pixels: int, max_pixels: int) -> None:
        self.name = name
        self.factor = factor
        self.convention = convention
        self.min_pixels = min_pixels
        self.default_max_pixels = max_pixels

    def system_prompt(self, mapping: ScreenMapping) -> str:
        extent = mapping.model_extent()
        tool = {"type": "function", "function": _tool_schema(extent.width, extent.height)}
        return (
            "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
            "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
            f"{json.dumps(tool, ensure_ascii=False)}\n</tools>\n\n"
            "For each function call, return a json object with function name and arguments within "
            "<tool_call></tool_call> XML tags:\n<tool_call>\n"
            '{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>\n\n'
            "# Response format\n\nResponse format for every step:\n"
            "1) Thought: one concise sentence explaining the next move.\n"
            "2) Action: a short imperative describing what to do in the UI.\n"
            "3) A single <tool_call>...</tool_call> block containing only the JSON.\n\n"
            "Rules:\n- Output exactly in the order: Thought, Action, <tool_call>.\n"
            "- Exactly one tool call per reply.\n"
            "- When the task is complete, use action=answer (if the user asked for information) "
            "or action=terminate with status=success."
        )

    def render_history(self, records: Sequence[StepRecord], mapping: ScreenMapping) -> str:
        lines = []
        for record in records:
            call = json.dumps(_tool_args(record.action, mapping), ensure_ascii=False)
            line = f"Step {record.step}: {call} → {record.outcome or 'done'}"
            if record.thought:
                line += f" (thought: {one_line(record.thought, 200)})"
            lines.append(line)
        return "\n".join(lines)

    def parse(self, text: str, mapping: ScreenMapping) -> Decision:
        action, thought = parse_tool_call(text, mapping)
        return Decision(action=action, thought=one_line(thought, 1000), raw=text)


def _tool_schema(width: int, height: int) -> dict[str, Any]:
    description = (
        "Use a mouse and keyboard to interact with a web page, and take screenshots.\n"
        "* The screenshot shows the viewport of a web browser; its address bar and tabs are not visible.\n"
        "* Some pages take time to load or react: if nothing changed after an action, wait and look again.\n"
        f"* The screen's resolution is {width}x{height}.\n"
        "* Find an element's coordinates on the latest screenshot before you click it, and click the "
        "centre of buttons, links and fields, not their edges."
    )
    properties: dict[str, Any] = {
        "action": {"description": _QWEN_ACTION_HELP, "enum": list(QWEN_ACTIONS), "type": "string"},
        "keys": {"description": "Required only by `action=key`.", "type": "array"},
        "text": {"description": "Required only by `action=type` and `action=answer`.", "type": "string"},
        "coordinate": {
            "description": "(x, y): pixels from the left edge and from the top edge. "
            "Required by the click actions; optional for `action=scroll`.",
            "type": "array",
        },
        "pixels": {
            "description": "The amount of scrolling. Positive values scroll up, negative values scroll down. "
            "Required only by `action=scroll`.",
            "type": "number",
        },
        "time": {"description": "The seconds to wait. Required only by `action=wait`.", "type": "number"},
        "status": {
            "description": "The status of the task. Required only by `action=terminate`.",
            "type": "string",
            "enum": ["success", "failure"],
        },
    }
    return {
        "name": "computer_use",
        "description": description,
        "parameters": {"properties": properties, "required": ["action"], "type": "object"},
    }


def _tool_args(action: Action, mapping: ScreenMapping) -> dict[str, Any]:
    """How the model would have written ``action`` (model-space coordinates), for its history."""
    match action:
        case Click(button=button, count=count):
            p = mapping.to_model(action.point)
            return {"action": "double_click" if count == 2 else f"{button}_click", "coordinate": [int(p.x), int(p.y)]}
        case TypeText(text=text):
            return {"action": "type", "text": text}
        case KeyCombo(keys=keys):
            return {"action": "key", "keys": list(keys)}
        case Scroll(dx=dx, dy=dy):
            p = mapping.to_model(action.point)
            if dx and not dy:
                return {"action": "hscroll", "coordinate": [int(p.x), int(p.y)], "pixels": round(dx)}
            return {"action": "scroll", "coordinate": [int(p.x), int(p.y)], "pixels": round(-dy)}
        case Wait(seconds=seconds):
            return {"action": "wait", "time": seconds}
        case Navigate(url=url):
            return {"action": "navigate", "url": url}
        case Done(answer=answer):
            return {"action": "answer", "text": answer} if answer else {"action": "terminate", "status": "success"}


# --------------------------------------------------------------------------- UI-TARS-1.5

_ESCAPES = (
    r"Use escape characters \', \", and \n in content part to ensure we can parse the content "
    "in normal python string format."
)
_UITARS_PROMPT = "\n".join(
    [
        "You are a GUI agent. You are given a task and your action history, with screenshots. "
        "You need to perform the next action to complete the task.",
        "",
        "## Output Format",
        "```",
        "Thought: ...",
        "Action: ...",
        "```",
        "",
        "## Action Space",
        "",
        "click(start_box='<|box_start|>(x1,y1)<|box_end|>')",
        "left_double(start_box='<|box_start|>(x1,y1)<|box_end|>')",
        "right_single(start_box='<|box_start|>(x1,y1)<|box_end|>')",
        "hotkey(key='ctrl c') # Split keys with a space and use lowercase. "
        "Do not use more than 3 keys in one hotkey action.",
        f"type(content='xxx') # {_ESCAPES} If you want to submit your input, use \\n at the end of content.",
        "scroll(start_box='<|box_start|>(x1,y1)<|box_end|>', direction='down or up or right or left') "
        "# Show more information on the `direction` side.",
        "wait() # Sleep for 5s and take a screenshot to check for any changes.",
        f"finished(content='xxx') # {_ESCAPES}",
        "",
        "## Note",
        "- Use English in `Thought` part.",
        "- Write a small plan and finally summarize your next action (with its target element) "
        "in one sentence in `Thought` part.",
        "- The screenshot is {width}x{height} pixels; coordinates are pixels of that screenshot.",
    ]
)


class UiTarsFamily:
    """UI-TARS-1.5 (a Qwen2.5-VL fine-tune): ``Thought: … Action: click(start_box='(x,y)')``."""

    name = "ui-tars"
    factor = 28
    convention: Convention = "absolute_resized"
    #: UI-TARS's own ``action_parser`` limits (``MIN_PIXELS``, ``MAX_PIXELS``).
    min_pixels = 100 * 28 * 28
    default_max_pixels = 16384 * 28 * 28
    system_in_user = True
    task_heading = "## User Instruction"

    def system_prompt(self, mapping: ScreenMapping) -> str:
        image = mapping.image
        return _UITARS_PROMPT.replace("{width}", str(image.width)).replace("{height}", str(image.height))

    def render_history(self, records: Sequence[StepRecord], mapping: ScreenMapping) -> str:
        lines = []
        for record in records:
            thought = f"Thought: {one_line(record.thought, 300)}\n" if record.thought else ""
            call = _uitars_call(record.action, mapping)
            lines.append(f"Step {record.step}:\n{thought}Action: {call}\nOutcome: {record.outcome or 'done'}")
        return "\n".join(lines)

    def parse(self, text: str, mapping: ScreenMapping) -> Decision:
        action, thought = parse_uitars(text, mapping)
        return Decision(action=action, thought=one_line(thought, 1000), raw=text)


def _uitars_call(action: Action, mapping: ScreenMapping) -> str:
    def box(x: float, y: float) -> str:
        p = mapping.to_model(Point(x, y))
        return f"start_box='({int(p.x)},{int(p.y)})'"

    match action:
        case Click(x=x, y=y, button=button, count=count):
            name = "left_double" if count == 2 else ("right_single" if button == "right" else "click")
            return f"{name}({box(x, y)})"
        case TypeText(text=text):
            return f"type(content={_quoted(text)})"
        case KeyCombo(keys=keys):
            return f"hotkey(key='{' '.join(k.lower() for k in keys)}')"
        case Scroll(x=x, y=y, dx=dx, dy=dy):
            direction = ("down" if dy > 0 else "up") if dy else ("right" if dx > 0 else "left")
            return f"scroll({box(x, y)}, direction='{direction}')"
        case Wait():
            return "wait()"
        case Navigate(url=url):
            return f"navigate(url={_quoted(url)})"
        case Done(answer=answer):
            return f"finished(content={_quoted(answer)})"


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


# --------------------------------------------------------------------------- registry

#: Processor defaults of the published checkpoints (``preprocessor_config.json``).
QWEN3_VL = QwenFamily("qwen3-vl", factor=32, convention="relative1000", min_pixels=65536, max_pixels=16777216)
QWEN25_VL = QwenFamily("qwen2.5-vl", factor=28, convention="absolute_resized", min_pixels=3136, max_pixels=12845056)
UI_TARS = UiTarsFamily()

FAMILIES: dict[str, Family] = {f.name: f for f in (QWEN3_VL, QWEN25_VL, UI_TARS)}


def get_family(name: str) -> Family:
    """The family called ``name`` (the ``--model-family`` flag); ``BadInput`` naming the known ones otherwise."""
    try:
        return FAMILIES[name]
    except KeyError:
        raise BadInput(f"--model-family: unknown model family {name!r}; known: {', '.join(FAMILIES)}") from None


def guess_family(model: str) -> str | None:
    """The family a model's name says it belongs to (``Qwen/Qwen3-VL-8B-Instruct`` → ``qwen3-vl``)."""
    name = model.lower().replace("_", "-")
    if "ui-tars" in name or "uitars" in name:
        return "ui-tars"
    if "qwen3" in name:
        return "qwen3-vl"
    if "qwen2.5" in name or "qwen2-5" in name:
        return "qwen2.5-vl"
    return None

"""Golden replies per model family: every action kind, screen coordinates, and useful parse errors."""

from __future__ import annotations

import json
import random
import re

import pytest

from homebody.errors import BadInput, ModelGaveUp, ParseError
from homebody.types import Action, Click, Done, KeyCombo, Scroll, Size, StepRecord, TypeText, Wait
from homebody.vision.vlm.coords import ScreenMapping
from homebody.vision.vlm.families import FAMILIES, QWEN3_VL, QWEN25_VL, UI_TARS, Family, get_family

VIEW = Size(1280, 800)
REL = ScreenMapping(VIEW, VIEW, "relative1000")
# Qwen2.5-VL / UI-TARS at max_pixels = 1280·28²: 1280×800 → 1260×784, so (630, 392) is the centre.
ABS = ScreenMapping(VIEW, Size(1260, 784), "absolute_resized")


def call(**arguments: object) -> str:
    body = json.dumps({"name": "computer_use", "arguments": arguments})
    return f"Thought: the button is there.\nAction: do it.\n<tool_call>\n{body}\n</tool_call>"


# --------------------------------------------------------------------------- Qwen3-VL (relative 0..1000)

QWEN3_GOLDEN: list[tuple[str, Action]] = [
    (call(action="left_click", coordinate=[500, 250]), Click(x=640, y=200)),
    (call(action="right_click", coordinate=[250, 500]), Click(x=320, y=400, button="right")),
    (call(action="middle_click", coordinate=[0, 0]), Click(x=0, y=0, button="middle")),
    (call(action="double_click", coordinate=[1000, 1000]), Click(x=1279, y=799, count=2)),
    (call(action="left_click", coordinate=[703.5, 425]), Click(x=900.48, y=340)),
    (call(action="type", text="hello world"), TypeText(text="hello world")),
    (call(action="key", keys=["ctrl", "a"]), KeyCombo(keys=("Control", "a"))),
    (call(action="key", keys="ctrl+shift+t"), KeyCombo(keys=("Control", "Shift", "t"))),
    (call(action="key", keys=["Return"]), KeyCombo(keys=("Enter",))),
    (call(action="key", keys=["ctrl+c"]), KeyCombo(keys=("Control", "c"))),
    (call(action="key", keys=["space"]), KeyCombo(keys=("Space",))),
    (call(action="key", keys=["esc"]), KeyCombo(keys=("Escape",))),
    (call(action="key", keys=["pagedown"]), KeyCombo(keys=("PageDown",))),
    (call(action="key", keys=["F5"]), KeyCombo(keys=("F5",))),
    (call(action="scroll", coordinate=[500, 500], pixels=-5), Scroll(x=640, y=400, dy=500)),
    (call(action="scroll", pixels=300), Scroll(x=640, y=400, dy=-300)),
    (call(action="scroll", coordinate=[250, 250], pixels=-5000), Scroll(x=320, y=200, dy=800)),
    (call(action="hscroll", coordinate=[500, 500], pixels=2), Scroll(x=640, y=400, dx=200)),
    (call(action="wait", time=3), Wait(seconds=3)),
    (call(action="wait"), Wait(seconds=2)),
    (call(action="answer", text="It costs 42 €."), Done(answer="It costs 42 €.")),
    (call(action="terminate", status="success"), Done()),
]


@pytest.mark.parametrize(("reply", "action"), QWEN3_GOLDEN)
def test_qwen3_vl_replies_map_to_actions_in_viewport_pixels(reply: str, action: Action) -> None:
    decision = QWEN3_VL.parse(reply, REL)
    assert decision.action == action
    assert decision.raw == reply
    assert "the button is there" in decision.thought


def test_qwen3_vl_accepts_arguments_as_a_json_string_and_a_bare_or_fenced_object() -> None:
    args = json.dumps({"action": "left_click", "coordinate": [500, 500]})
    stringly = '<tool_call>{"name": "computer_use", "arguments": ' + json.dumps(args) + "}</tool_call>"
    assert QWEN3_VL.parse(stringly, REL).action == Click(x=640, y=400)
    bare = json.dumps({"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [500, 500]}})
    assert QWEN3_VL.parse(bare, REL).action == Click(x=640, y=400)
    assert QWEN3_VL.parse(f"```json\n{bare}\n```", REL).action == Click(x=640, y=400)


def test_qwen3_vl_takes_the_first_of_several_calls_and_tolerates_a_missing_closing_tag() -> None:
    two = call(action="answer", text="42") + "\n" + call(action="terminate", status="success")
    assert QWEN3_VL.parse(two, REL).action == Done(answer="42")
    unclosed = '<tool_call>\n{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [0, 0]}}'
    assert QWEN3_VL.parse(unclosed, REL).action == Click(x=0, y=0)


def test_a_terminate_with_failure_is_the_model_giving_up_not_a_parse_error() -> None:
    with pytest.raises(ModelGaveUp, match="failed: cannot log in"):
        QWEN3_VL.parse(call(action="terminate", status="failure", text="cannot log in"), REL)


QWEN_MALFORMED = [
    ("I would click the blue button.", "no tool call found"),
    ("", "no tool call found"),
    (
        '<tool_call>{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [1, 2]</tool_call>',
        "not valid JSON",
    ),
    ("<tool_call>[1, 2]</tool_call>", "must contain only the JSON object"),
    ('<tool_call>"left_click"</tool_call>', "must contain only the JSON object"),
    (call(action="fly", coordinate=[1, 2]), "unknown action 'fly'"),
    (call(action="left_click"), "left_click needs a coordinate"),
    (call(action="left_click", coordinate=["100", "200"]), "coordinate must be two numbers"),
    (call(action="left_click", coordinate=[100]), "coordinate must be two numbers"),
    (call(action="left_click", coordinate="[100, 200]"), "coordinate must be two numbers"),
    (call(action="left_click", coordinate=[True, 2]), "coordinate must be two numbers"),
    (call(action="scroll", pixels="-5"), "pixels"),
    (call(action="scroll"), "scroll needs pixels"),
    (call(action="scroll", pixels=float("nan")), "pixels: Input should be a finite number"),
    (call(action="wait", time=float("inf")), "time: Input should be a finite number"),
    (call(action="type", text=""), "type"),
    (call(action="type"), "type"),
    (call(action="key"), "key needs keys"),
    (call(action="key", keys=["hyperspace"]), "unknown key 'hyperspace'"),
    (call(action="triple_click", coordinate=[1, 2]), "not available here"),
    (call(action="left_click_drag", coordinate=[1, 2]), "not available here"),
    (call(coordinate=[1, 2]), "action: Field required"),
    ('<tool_call>Sure! {"name": "computer_use", "arguments": {"action": "wait"}}</tool_call>', "only the JSON"),
    ('<tool_call>{"name": "computer_use", "arguments": {"action": "wait"}} done</tool_call>', "text after it: 'done'"),
    ('<tool_call>{"name": "browser", "arguments": {"action": "wait"}}</tool_call>', "unknown function 'browser'"),
    ('<tool_call>{"name": "computer_use", "arguments": [1]}</tool_call>', "invalid tool call"),
    ('<tool_call>{"name": "computer_use", "arguments": "{not json"}</tool_call>', "not valid JSON"),
    ('<tool_call>{"name": "computer_use"}</tool_call>', "arguments: Field required"),
]


@pytest.mark.parametrize(("reply", "message"), QWEN_MALFORMED)
@pytest.mark.parametrize(("family", "mapping"), [(QWEN3_VL, REL), (QWEN25_VL, ABS)], ids=["qwen3-vl", "qwen2.5-vl"])
def test_malformed_qwen_replies_raise_parse_errors_that_say_what_to_fix(
    reply: str, message: str, family: Family, mapping: ScreenMapping
) -> None:
    with pytest.raises(ParseError, match=re.escape(message)):
        family.parse(reply, mapping)


def test_unknown_actions_list_the_valid_ones() -> None:
    with pytest.raises(ParseError) as info:
        QWEN3_VL.parse(call(action="fly"), REL)
    assert "left_click" in str(info.value) and "terminate" in str(info.value)


# --------------------------------------------------------------------------- Qwen2.5-VL (absolute, resized image)

QWEN25_GOLDEN: list[tuple[str, Action]] = [
    (call(action="left_click", coordinate=[630, 392]), Click(x=640, y=400)),
    (call(action="double_click", coordinate=[315, 196]), Click(x=320, y=200, count=2)),
    (call(action="right_click", coordinate=[1260, 784]), Click(x=1279, y=799, button="right")),
    (call(action="left_click", coordinate=[-10, 2000]), Click(x=0, y=799)),
    (call(action="type", text="x"), TypeText(text="x")),
    (call(action="key", keys=["ctrl", "enter"]), KeyCombo(keys=("Control", "Enter"))),
    (call(action="scroll", coordinate=[630, 392], pixels=-3), Scroll(x=640, y=400, dy=300)),
    (call(action="wait", time=1.5), Wait(seconds=1.5)),
    (call(action="terminate", status="success"), Done()),
]


@pytest.mark.parametrize(("reply", "action"), QWEN25_GOLDEN)
def test_qwen25_vl_coordinates_are_pixels_of_the_resized_image(reply: str, action: Action) -> None:
    assert QWEN25_VL.parse(reply, ABS).action == action


def test_qwen25_vl_on_a_1920x1080_screen() -> None:
    mapping = ScreenMapping(Size(1920, 1080), Size(1932, 1092), "absolute_resized")
    assert QWEN25_VL.parse(call(action="left_click", coordinate=[966, 546]), mapping).action == Click(x=960, y=540)


# --------------------------------------------------------------------------- UI-TARS-1.5


def tars(action: str, thought: str = "The Send button is at the bottom.") -> str:
    return f"Thought: {thought}\nAction: {action}"


UITARS_GOLDEN: list[tuple[str, Action]] = [
    (tars("click(start_box='(630,392)')"), Click(x=640, y=400)),
    (tars("click(start_box='<|box_start|>(630,392)<|box_end|>')"), Click(x=640, y=400)),
    (tars("click(point='<point>630 392</point>')"), Click(x=640, y=400)),
    (tars("click(start_box='(620,382,640,402)')"), Click(x=640, y=400)),
    (tars("click(start_box='[630, 392]')"), Click(x=640, y=400)),
    (tars("left_double(start_box='(315,196)')"), Click(x=320, y=200, count=2)),
    (tars("right_single(start_box='(1260,784)')"), Click(x=1279, y=799, button="right")),
    (tars("hotkey(key='ctrl enter')"), KeyCombo(keys=("Control", "Enter"))),
    (tars("hotkey(key='ctrl shift t')"), KeyCombo(keys=("Control", "Shift", "t"))),
    (tars("press(key='enter')"), KeyCombo(keys=("Enter",))),
    (tars("press(key='arrowdown')"), KeyCombo(keys=("ArrowDown",))),
    (tars("type(content='hello')"), TypeText(text="hello")),
    (tars(r"type(content='it\'s done\n')"), TypeText(text="it's done\n")),
    (tars("type(content='say \"hi\" to Bob's friend')"), TypeText(text='say "hi" to Bob\'s friend')),
    (tars("scroll(start_box='(630,392)', direction='down')"), Scroll(x=640, y=400, dy=400)),
    (tars("scroll(direction='up')"), Scroll(x=640, y=400, dy=-400)),
    (tars("scroll(start_box='(315,196)', direction='left')"), Scroll(x=320, y=200, dx=-640)),
    (tars("wait()"), Wait(seconds=5)),
    (tars("finished(content='The total is 42.')"), Done(answer="The total is 42.")),
    (tars("finished()"), Done()),
]


@pytest.mark.parametrize(("reply", "action"), UITARS_GOLDEN)
def test_ui_tars_replies_map_to_actions_in_viewport_pixels(reply: str, action: Action) -> None:
    decision = UI_TARS.parse(reply, ABS)
    assert decision.action == action
    assert decision.thought == "The Send button is at the bottom."


def test_ui_tars_takes_the_first_of_several_actions_and_reads_reflections() -> None:
    reply = "Reflection: that worked\nAction_Summary: next\nAction: click(start_box='(0,0)')\n\ntype(content='x')"
    decision = UI_TARS.parse(reply, ABS)
    assert decision.action == Click(x=0, y=0)
    assert "that worked" in decision.thought


def test_ui_tars_call_user_is_the_model_giving_up() -> None:
    with pytest.raises(ModelGaveUp, match="help"):
        UI_TARS.parse(tars("call_user()"), ABS)


UITARS_MALFORMED = [
    ("I will click the button.", "no 'Action:' line found"),
    (tars("fly(start_box='(1,2)')"), "unknown action 'fly'"),
    (tars("click()"), "click needs a point"),
    (tars("click(start_box='(abc,def)')"), "start_box must be a point"),
    (tars("click(start_box='(1)')"), "two numbers"),
    (tars("click(start_box='(1,2)') and then type"), "must be one call"),
    (tars("click(start_box='(1,2)') then press(key='a')"), "could not read the arguments"),
    (tars("click(start_box=(1,2))"), "could not read the arguments"),
    (tars("drag(start_box='(1,2)', end_box='(3,4)')"), "not available here"),
    (tars("scroll(direction='sideways')"), "direction="),
    (tars("type(content='')"), "type"),
    (tars("type(text='x')"), "content="),
    (tars("hotkey()"), "hotkey needs key="),
    (tars("hotkey(key='ctrl hyperspace')"), "unknown key 'hyperspace'"),
    ("Thought: nothing to do\nAction:", "must be one call"),
]


@pytest.mark.parametrize(("reply", "message"), UITARS_MALFORMED)
def test_malformed_ui_tars_replies_raise_parse_errors_that_say_what_to_fix(reply: str, message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(message)):
        UI_TARS.parse(reply, ABS)


# --------------------------------------------------------------------------- robustness and history


@pytest.mark.parametrize("family", list(FAMILIES.values()), ids=lambda f: f.name)
def test_any_prefix_or_mutation_of_a_valid_reply_parses_or_raises_parse_error_only(family: Family) -> None:
    valid = [r for r, _ in (UITARS_GOLDEN if family is UI_TARS else QWEN3_GOLDEN)]
    mapping = ABS if family is not QWEN3_VL else REL
    rng = random.Random(7)
    samples = [r[:cut] for r in valid for cut in range(0, len(r), 3)]
    for reply in valid:
        for _ in range(20):
            chars = list(reply)
            chars[rng.randrange(len(chars))] = rng.choice("{}[]()'\",:0-9x\n\\<>")
            samples.append("".join(chars))
    for sample in samples:
        try:
            family.parse(sample, mapping)
        except (ParseError, ModelGaveUp):
            pass


def test_history_is_rendered_in_each_familys_own_vocabulary_and_model_coordinates() -> None:
    records = (
        StepRecord(step=1, action=Click(x=640, y=400), thought="open the menu", outcome="ok"),
        StepRecord(step=2, action=TypeText(text="it's"), outcome="error: no field"),
        StepRecord(step=3, action=Scroll(x=640, y=400, dy=400), outcome="ok"),
    )
    qwen3 = QWEN3_VL.render_history(records, REL)
    assert '{"action": "left_click", "coordinate": [500, 500]}' in qwen3 and "open the menu" in qwen3
    assert '"pixels": -400' in qwen3 and "error: no field" in qwen3
    qwen25 = QWEN25_VL.render_history(records, ABS)
    assert '"coordinate": [630, 392]' in qwen25
    tars_history = UI_TARS.render_history(records, ABS)
    assert "Action: click(start_box='(630,392)')" in tars_history
    assert r"type(content='it\'s')" in tars_history and "direction='down'" in tars_history


def test_rendered_history_parses_back_to_the_same_actions() -> None:
    for action in (Click(x=640, y=400), Click(x=320, y=200, count=2), KeyCombo(keys=("Control", "a"))):
        record = (StepRecord(step=1, action=action),)
        line = UI_TARS.render_history(record, ABS).splitlines()[1]
        assert UI_TARS.parse(line, ABS).action == action


def test_system_prompts_tell_the_model_its_coordinate_space() -> None:
    assert "resolution is 1000x1000" in QWEN3_VL.system_prompt(REL)
    assert "resolution is 1260x784" in QWEN25_VL.system_prompt(ABS)
    assert "1260x784 pixels" in UI_TARS.system_prompt(ABS)
    assert '"name": "computer_use"' in QWEN3_VL.system_prompt(REL)


def test_families_are_looked_up_by_name() -> None:
    assert get_family("qwen3-vl") is QWEN3_VL
    assert (QWEN3_VL.factor, QWEN25_VL.factor, UI_TARS.factor) == (32, 28, 28)
    with pytest.raises(BadInput, match=re.escape("known: qwen3-vl, qwen2.5-vl, ui-tars")):
        get_family("llava")

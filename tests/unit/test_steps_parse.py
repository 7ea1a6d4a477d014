"""The steps brain without a browser: the step grammar, picking a target among OCR lines, and how
the brain moves through its steps from the loop's history (with a fake OCR reader)."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Sequence
from typing import Any

import pytest

from homebody.errors import BadInput, StepsNeedHelp, Unresolved
from homebody.types import (
    Box,
    BrainInput,
    Click,
    Done,
    Frame,
    KeyCombo,
    Navigate,
    Point,
    Scroll,
    Size,
    StepRecord,
    TypeText,
    Wait,
)
from homebody.vision.pixels.ocr import TextBox
from homebody.vision.steps.brain import StepsBrain
from homebody.vision.steps.grammar import parse_steps, split_steps
from homebody.vision.steps.locate import pick, score_hits
from homebody.vision.steps.ops import (
    ClickOn,
    Finish,
    GoTo,
    Pause,
    Press,
    ScrollBy,
    Target,
    TypeInto,
    WaitFor,
)


def ops(task: str) -> list[object]:
    return [s.op for s in parse_steps(task)]


def op(step: str) -> object:
    (only,) = ops(step)
    return only


# --------------------------------------------------------------------------- splitting


def test_the_example_task_parses_step_by_step() -> None:
    task = (
        'go to http://127.0.0.1:8780/shop; type "espresso" into Search products; press Enter; click View; '
        "click Add to cart; click Cart; click Proceed to checkout; done"
    )
    assert ops(task) == [
        GoTo("http://127.0.0.1:8780/shop"),
        TypeInto("espresso", Target("Search products")),
        Press(("Enter",)),
        ClickOn(Target("View")),
        ClickOn(Target("Add to cart")),
        ClickOn(Target("Cart")),
        ClickOn(Target("Proceed to checkout")),
        Finish(),
    ]


@pytest.mark.parametrize(
    "task",
    [
        "click A; click B; click C",
        "click A\nclick B\n\nclick C",
        "click A then click B, then click C",
        "click A, click B and click C",
        "1. click A\n2. click B\n3) click C.",
        "- click A\n- then click B\n- and finally click C",
        "Step 1: click A\nStep 2: click B\nStep 3: click C",
    ],
)
def test_steps_are_separated_by_semicolons_new_lines_then_and_lists(task: str) -> None:
    assert split_steps(task) == ["click A", "click B", "click C"]


def test_quotes_keep_separators_and_relations_literal() -> None:
    assert ops('type "a; b then c, click d" into Notes; click "Pay by card" then done') == [
        TypeInto("a; b then c, click d", Target("Notes")),
        ClickOn(Target("Pay by card")),
        Finish(),
    ]
    assert op("click 'Sign in under the sea'") == ClickOn(Target("Sign in under the sea"))
    assert op("click Men's shoes") == ClickOn(Target("Men's shoes"))


def test_and_without_a_step_verb_after_it_stays_in_the_target() -> None:
    assert op("click Terms and conditions") == ClickOn(Target("Terms and conditions"))


# --------------------------------------------------------------------------- step forms


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("go to http://127.0.0.1:8780/shop", GoTo("http://127.0.0.1:8780/shop")),
        ("Open https://example.com/a?b=c#d", GoTo("https://example.com/a?b=c#d")),
        ("navigate to example.com/shop.", GoTo("https://example.com/shop")),
        ("visit localhost:8780", GoTo("http://localhost:8780")),
        ("go to 127.0.0.1:8780/shop/cart", GoTo("http://127.0.0.1:8780/shop/cart")),
        ("go to /shop/cart", GoTo("/shop/cart")),
        ('go to the URL "about:blank"', GoTo("about:blank")),
        ("go to Cart", ClickOn(Target("Cart"))),
    ],
)
def test_go_to_takes_a_url_or_clicks_a_named_link(step: str, expected: object) -> None:
    assert op(step) == expected


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("click View", ClickOn(Target("View"))),
        ("Click on the Add to cart button", ClickOn(Target("Add to cart"))),
        ("tap Sign in", ClickOn(Target("Sign in"))),
        ("press the Search button", ClickOn(Target("Search"))),
        ("press Search", ClickOn(Target("Search"))),
        ("hit the Continue link", ClickOn(Target("Continue"))),
        ("double-click Report.pdf", ClickOn(Target("Report.pdf"), count=2)),
        ("double click Report", ClickOn(Target("Report"), count=2)),
        ("right-click the Inbox link", ClickOn(Target("Inbox"), button="right")),
        ('right click on "Sign in"', ClickOn(Target("Sign in"), button="right")),
        ('click "Tab"', ClickOn(Target("Tab"))),
    ],
)
def test_click_forms(step: str, expected: object) -> None:
    assert op(step) == expected


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ('type "hello world"', TypeInto("hello world")),
        ("type hello world", TypeInto("hello world")),
        ('type "espresso" into Search products', TypeInto("espresso", Target("Search products"))),
        ("type 'espresso' into the Search products field", TypeInto("espresso", Target("Search products"))),
        ("type espresso into Search", TypeInto("espresso", Target("Search"))),
        ('enter "alex@example.com" in Email', TypeInto("alex@example.com", Target("Email"))),
        ("Enter “Alex” in the Full name box", TypeInto("Alex", Target("Full name"))),
        ('fill Full name with "Alex Doe"', TypeInto("Alex Doe", Target("Full name"))),
        ("fill in the Address field with '1 Main St'", TypeInto("1 Main St", Target("Address"))),
        ('type "x" into the second Name', TypeInto("x", Target("Name", ordinal=2))),
    ],
)
def test_typing_forms(step: str, expected: object) -> None:
    assert op(step) == expected


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("press Enter", Press(("Enter",))),
        ("press enter.", Press(("Enter",))),
        ("hit Return", Press(("Enter",))),
        ("press Ctrl+Enter", Press(("Control", "Enter"))),
        ("press ctrl + shift + T", Press(("Control", "Shift", "t"))),
        ("press Cmd+K", Press(("Meta", "k"))),
        ("press Alt-F4", Press(("Alt", "F4"))),
        ("press Esc", Press(("Escape",))),
        ("press the Tab key", Press(("Tab",))),
        ("press Tab 3 times", Press(("Tab",), 3)),
        ("press Enter twice", Press(("Enter",), 2)),
        ("press Page Down", Press(("PageDown",))),
        ("press space", Press(("Space",))),
        ("press Down", Press(("ArrowDown",))),
        ("press a", Press(("a",))),
        ("Enter", Press(("Enter",))),
    ],
)
def test_key_names_become_playwright_names(step: str, expected: object) -> None:
    assert op(step) == expected


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("scroll down", ScrollBy(0, 600)),
        ("scroll up", ScrollBy(0, -600)),
        ("scroll down 3", ScrollBy(0, 1800)),
        ("scroll up 2 times", ScrollBy(0, -1200)),
        ("scroll down 250 px", ScrollBy(0, 250)),
        ("scroll the page down by 100 pixels", ScrollBy(0, 100)),
        ("scroll right", ScrollBy(600, 0)),
        ("scroll to the bottom", ScrollBy(0, 100_000)),
        ("scroll to top", ScrollBy(0, -100_000)),
    ],
)
def test_scroll_forms(step: str, expected: object) -> None:
    assert op(step) == expected


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("wait 2 seconds", Pause(2.0)),
        ("wait 1.5 s", Pause(1.5)),
        ("wait for 3 secs", Pause(3.0)),
        ("wait 500 ms", Pause(0.5)),
        ("wait 1 minute", Pause(60.0)),
        ("wait", Pause(1.0)),
        ("wait a moment", Pause(1.0)),
        ("wait for the page to load", Pause(1.0)),
        ("wait for Order placed", WaitFor("Order placed")),
        ('wait until "Order placed" appears', WaitFor("Order placed")),
        ("wait for Saved to appear", WaitFor("Saved")),
        ("done", Finish()),
        ("Done.", Finish()),
        ("done: the total is $149.00", Finish("the total is $149.00")),
        ('finish - "42"', Finish("42")),
    ],
)
def test_wait_and_done_forms(step: str, expected: object) -> None:
    assert op(step) == expected


# --------------------------------------------------------------------------- disambiguation


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("click View under Espresso Maker", Target("View", relation="below", anchor="Espresso Maker")),
        (
            "click the View button below the Espresso Maker card",
            Target("View", relation="below", anchor="Espresso Maker"),
        ),
        ("click Add to cart next to Espresso Maker", Target("Add to cart", relation="near", anchor="Espresso Maker")),
        ("click Edit near Shipping address", Target("Edit", relation="near", anchor="Shipping address")),
        ("click Remove above Total", Target("Remove", relation="above", anchor="Total")),
        ("click Delete to the right of Draft 2", Target("Delete", relation="right", anchor="Draft 2")),
        ("click Reply left of Forward", Target("Reply", relation="left", anchor="Forward")),
        ('click "View" under "Espresso Maker"', Target("View", relation="below", anchor="Espresso Maker")),
        ("click the second View", Target("View", ordinal=2)),
        ("click the 3rd Add to cart", Target("Add to cart", ordinal=3)),
        ("click 2nd View", Target("View", ordinal=2)),
        ("click the last View", Target("View", ordinal=-1)),
        ("click First class", Target("First class")),  # an ordinal word needs "the"
    ],
)
def test_targets_can_say_which_one(step: str, expected: Target) -> None:
    assert op(step) == ClickOn(expected)


def test_a_target_describes_itself_for_messages() -> None:
    assert Target("View", 2, "below", "Espresso Maker").describe() == "the second 'View' under 'Espresso Maker'"
    assert Target("View", -1).describe() == "the last 'View'"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ("click A; clik B", "step 2 ('clik B'): not understood"),
        ("click A\nclick", "step 2 ('click'): click what?"),
        ("type into Search", "step 1 ('type into Search'): the text to type is missing"),
        ('type "" into Search', "the text to type is empty"),
        ("fill Name", "step 1 ('fill Name'): write it as: fill Full name with"),
        ("press Ctrl+Frob", "step 1 ('press Ctrl+Frob'): unknown key in 'Ctrl+Frob'"),
        ("press Tab 50 times", "1 to 20 times"),
        ("scroll sideways", "step 1 ('scroll sideways'): write it as: scroll down"),
        ("scroll down 0", "scroll 1 to 20 times"),
        ("wait 700 seconds", "at most 600 seconds"),
        ("wait for", "write it as: wait 2 seconds"),
        ("visit the moon", "'the moon' is not a URL"),
        ("go to", "go to where?"),
        ("click View under", "step 1 ('click View under'): under what?"),
        ("click the 0th View", "counting starts at 1st"),
        ("", "the task has no steps"),
        ("  ;\n then ", "the task has no steps"),
    ],
)
def test_a_step_that_is_not_understood_is_bad_input_naming_the_step(task: str, message: str) -> None:
    with pytest.raises(BadInput) as err:
        parse_steps(task)
    assert message in str(err.value)


def test_the_brain_refuses_a_bad_task_when_it_is_built() -> None:
    with pytest.raises(BadInput, match=r"step 3 \('frobnicate the page'\)"):
        StepsBrain("go to example.com; click A; frobnicate the page", reader=FakeReader([]))


# --------------------------------------------------------------------------- picking a target


def line(text: str, x: float, y: float, w: float | None = None, h: float = 24) -> TextBox:
    return TextBox(text, Box(x, y, w if w is not None else 10 * len(text), h), 0.99)


SHOP = [
    line("Homebody Shop", 190, 16),
    line("Shop", 730, 16),
    line("Cart (1)", 930, 16, 70),
    line("Search products", 750, 98),
    line("Search", 1043, 99),
    *(line(name, x, 343) for name, x in [("Trail Running Shoes", 170), ("Espresso Maker", 420), ("Desk Lamp", 665)]),
    *(line(price, x, 366) for price, x in [("$89.00", 170), ("$149.00", 420), ("$39.00", 665)]),
    *(line("View", x, 410, 50) for x in (188, 434, 679)),
    *(line("Add to cart", x, 411, 100) for x in (259, 507, 752)),
    line("Reviews", 300, 600),
]


def at(target: str, boxes: Sequence[TextBox] = SHOP, **kw: Any) -> tuple[float, float]:
    from homebody.vision.steps.grammar import parse_target

    hit = pick(boxes, parse_target(target), **kw)
    return round(hit.point.x), round(hit.point.y)


def test_a_unique_exact_label_is_clicked_at_its_centre() -> None:
    assert at("Search") == (1073, 111)
    assert at("Search products") == (825, 110)


def test_a_whole_label_beats_one_inside_a_longer_line_and_a_badge_count_does_not_matter() -> None:
    assert at("Cart") == (948, 28)  # "Cart (1)", not "Add to cart"
    assert at("Trail Running") == (235, 355)  # the matched words' part of the line


def test_an_ambiguous_target_is_not_guessed_and_the_message_says_how_to_choose() -> None:
    with pytest.raises(Unresolved) as err:
        at("View")
    message = str(err.value)
    assert message.startswith("'View' appears 3 times (near 'Trail Running Shoes', 'Espresso Maker', 'Desk Lamp')")
    assert "say e.g. 'click View under Trail Running Shoes' or 'click the second View'" in message
    with pytest.raises(Unresolved, match="'Shop' appears 2 times"):
        at("Shop", [*SHOP, line("Shop", 150, 90)])


def test_under_next_to_and_ordinals_pick_one() -> None:
    assert at("View under Espresso Maker") == (459, 422)
    assert at("Add to cart next to Espresso Maker") == (557, 423)
    assert at("the second View") == (459, 422)
    assert at("the last View") == (704, 422)
    with pytest.raises(Unresolved, match="appears only 3 times"):
        at("the fifth View")
    with pytest.raises(Unresolved, match=r"'Frobnicate Maker' .* is not on screen"):
        at("View under Frobnicate Maker")


def test_a_missing_target_names_what_is_on_screen() -> None:
    with pytest.raises(Unresolved) as err:
        at("Frobnicate")
    assert str(err.value).startswith("'Frobnicate' is not on screen")
    assert "on screen: Homebody Shop | Shop | Cart (1)" in str(err.value)


def test_fuzzy_matching_forgives_ocr_slips_but_not_a_word_inside_another() -> None:
    assert at("International", [line("Express checkout Intemational", 900, 530, 300)]) == (1138, 542)
    with pytest.raises(Unresolved):
        at("View", [line("Reviews", 300, 600)])
    assert [h.line.text for h in score_hits(SHOP, "cart")][:2] == ["Cart (1)", "Add to cart"]


def test_a_retry_skips_the_spot_tried_and_needs_a_good_match() -> None:
    boxes = [line("Submit", 100, 100), line("Submit order", 100, 300)]
    first = at("Submit", boxes)
    assert at("Submit", boxes, tried=[Point(*first)]) == (130, 312)  # the matching part of the line
    with pytest.raises(Unresolved, match="no other good match"):
        at("Cart", tried=[Point(951, 28)])  # "Add to cart" is no stand-in


# --------------------------------------------------------------------------- the brain's progress


class FakeReader:
    """Returns preset OCR lines for every image and counts reads."""

    def __init__(self, boxes: list[TextBox]) -> None:
        self.boxes = boxes
        self.reads = 0

    def read(self, image: Any, region: Box | None = None) -> list[TextBox]:
        self.reads += 1
        return list(self.boxes)


@functools.cache
def blank_jpeg(shade: int) -> bytes:
    import cv2
    import numpy as np

    ok, data = cv2.imencode(".jpg", np.full((800, 1280, 3), shade, dtype=np.uint8))
    assert ok
    return bytes(data)


def frame(shade: int = 255, url: str = "http://127.0.0.1:8780/shop") -> Frame:
    return Frame(blank_jpeg(shade), "jpeg", Size(1280, 800), time.time(), url)


class Driver:
    """Plays the loop: asks the brain, records each action with an outcome, passes feedback."""

    def __init__(self, task: str, boxes: list[TextBox], **kw: Any) -> None:
        self.reader = FakeReader(boxes)
        self.brain = StepsBrain(task, self.reader, **kw)
        self.history: list[StepRecord] = []

    def next(self, *, outcome: str = "ok", feedback: tuple[str, ...] = (), shade: int = 255) -> object:
        inp = BrainInput("task", frame(shade), len(self.history) + 1, tuple(self.history), feedback)
        decision = asyncio.run(self.brain.decide(inp))
        self.history.append(StepRecord(step=inp.step, action=decision.action, outcome=outcome))
        return decision.action

    def mark(self, outcome: str) -> None:
        self.history[-1] = self.history[-1].model_copy(update={"outcome": outcome})


def test_the_brain_walks_through_the_steps_and_is_done_at_the_end() -> None:
    d = Driver(
        "go to /shop/cart; type 'espresso' into Search products; press Enter twice; "
        "click View under Espresso Maker; scroll down; wait 0.5 seconds; type 'x'",
        SHOP,
    )
    assert d.next() == Navigate(url="http://127.0.0.1:8780/shop/cart")
    assert d.next() == Click(x=825, y=110)  # no field outline on a blank frame: click the placeholder
    assert d.next() == TypeText(text="espresso")
    assert d.next() == KeyCombo(keys=("Enter",))
    assert d.next() == KeyCombo(keys=("Enter",))
    assert d.next() == Click(x=459, y=422)
    assert d.next() == Scroll(x=640, y=400, dx=0, dy=600)
    assert d.next() == Wait(seconds=0.5)
    assert d.next() == TypeText(text="x")
    assert d.next() == Done()


def test_a_stale_action_is_proposed_again_and_each_frame_is_read_once() -> None:
    d = Driver("click Search; done: ok", SHOP)
    assert d.next() == Click(x=1073, y=111)
    d.mark("stale")
    assert d.next() == Click(x=1073, y=111)  # the same frame: not read again
    assert d.reader.reads == 1
    d.mark("stale")
    assert d.next(shade=200) == Click(x=1073, y=111)
    assert d.reader.reads == 2
    assert d.next() == Done(answer="ok")


def test_a_click_with_no_effect_is_retried_once_on_the_next_candidate_then_the_brain_asks() -> None:
    d = Driver("click Submit", [line("Submit", 100, 100), line("Submit order", 100, 300)])
    assert d.next() == Click(x=130, y=112)
    assert d.next(feedback=("the click at (130, 112) had no visible effect",)) == Click(x=130, y=312)
    with pytest.raises(StepsNeedHelp, match=r"step 1 \('click Submit'\): clicking at \(130, 112\) and then"):
        d.next(feedback=("the click at (130, 312) had no visible effect",))


def test_a_missing_or_ambiguous_target_asks_for_help_naming_the_step() -> None:
    with pytest.raises(StepsNeedHelp, match=r"^step 2 \('click Frobnicate'\): 'Frobnicate' is not on screen"):
        d = Driver("click Search; click Frobnicate", SHOP)
        d.next()
        d.next()
    with pytest.raises(StepsNeedHelp, match=r"^step 1 \('click View'\): 'View' appears 3 times"):
        Driver("click View", SHOP).next()


def test_wait_for_looks_again_until_the_text_shows_and_gives_up_after_the_timeout() -> None:
    d = Driver("wait for Order placed; click Search", SHOP)
    assert d.next() == Wait(seconds=1.0)
    d.reader.boxes = [*SHOP, line("Order placed", 100, 600)]
    assert d.next(shade=200) == Click(x=1073, y=111)  # seen: straight on to the next step
    late = Driver("wait for Order placed", SHOP, wait_for_s=0.0)
    with pytest.raises(StepsNeedHelp, match=r"waited 0 s but 'Order placed' did not appear"):
        late.next()


def test_a_failed_or_rejected_action_stops_the_steps() -> None:
    d = Driver("go to http://x.invalid; click Search", SHOP)
    d.next(outcome="error: could not load http://x.invalid")
    with pytest.raises(StepsNeedHelp, match="failed: could not load"):
        d.next()
    d = Driver("click Search; click Search products", SHOP)
    d.next(outcome="not run")
    with pytest.raises(StepsNeedHelp, match="was not run"):
        d.next(feedback=("the user rejected it",))


def test_a_new_task_with_an_empty_history_starts_from_the_first_step() -> None:
    d = Driver("click Search; done", SHOP)
    d.next()
    d.history.clear()
    assert d.next() == Click(x=1073, y=111)

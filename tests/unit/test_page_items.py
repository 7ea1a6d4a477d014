"""Page items in the loop and in the steps brain's choice: asked for only by a brain that reads the
page, on a computer that can tell; a page that does not answer leaves them out; among lines that
name a target, the kind of thing that suits the step wins, and two of that kind are ambiguous."""

from __future__ import annotations

import asyncio

import pytest

from homebody.config import Limits
from homebody.errors import ComputerError, Unresolved
from homebody.operator.loop import Operator
from homebody.operator.sinks import MemorySink
from homebody.operator.task import TaskSpec
from homebody.safety.chain import CheckerChain
from homebody.types import Box, BrainInput, Click, Decision, Done, Frame, PageItem, Size
from homebody.vision.pixels.ocr import TextBox
from homebody.vision.steps.brain import StepsBrain
from homebody.vision.steps.locate import pick
from homebody.vision.steps.onpage import PageText
from homebody.vision.steps.ops import Target
from tests.fakes import TINY_JPEG, AllowAll, FakeComputer

ITEMS = (PageItem("Log In", Box(100, 40, 200, 40), "button", actionable=True),)


class ReadingComputer(FakeComputer):
    """A fake computer that can tell what its page shows (or fails to)."""

    def __init__(self, *, broken: bool = False) -> None:
        super().__init__()
        self.broken = broken

    async def page_items(self) -> tuple[PageItem, ...]:
        if self.broken:
            raise ComputerError("could not read the page: broken on purpose")
        return ITEMS


class Seeing:
    """A brain that records what it was given."""

    name = "seeing"

    def __init__(self, *, reads_page: bool) -> None:
        self.reads_page = reads_page
        self.items: list[tuple[PageItem, ...] | None] = []

    async def decide(self, inp: BrainInput) -> Decision:
        self.items.append(inp.items)
        return Decision(action=Done())


def given(computer: FakeComputer, *, reads_page: bool) -> tuple[PageItem, ...] | None:
    brain = Seeing(reads_page=reads_page)
    op = Operator(
        computer=computer, brain=brain, checker=CheckerChain([AllowAll()]), sink=MemorySink(), limits=Limits()
    )
    result = asyncio.run(op.run(TaskSpec("t", "x", "", "seeing", None, 3)))
    assert result.outcome == "done"
    (items,) = brain.items
    return items


def test_the_loop_reads_the_page_only_for_a_brain_that_asks_on_a_computer_that_can() -> None:
    assert given(ReadingComputer(), reads_page=True) == ITEMS
    assert given(ReadingComputer(), reads_page=False) is None
    assert given(FakeComputer(), reads_page=True) is None  # a desktop, say
    assert given(ReadingComputer(broken=True), reads_page=True) is None  # the brain reads the pixels instead


def lines(*items: PageItem) -> PageText:
    return PageText.of(items)


def test_a_control_beats_text_with_the_same_words_and_its_own_text_is_one_candidate() -> None:
    page = lines(
        PageItem("Log In", Box(100, 40, 200, 40), "text"),  # a heading
        PageItem("Log In", Box(100, 300, 120, 40), "button", actionable=True),
        PageItem("Log In", Box(110, 310, 50, 20), "text", owner=1),  # the button's own text
    )
    hit = pick(page.lines, Target("Log In"), narrow=page.narrowing("click"))
    assert 100 <= hit.point.x <= 220 and 300 <= hit.point.y <= 340


def test_typing_goes_to_the_field_and_clicking_to_the_button_of_the_same_name() -> None:
    page = lines(
        PageItem("Search", Box(100, 100, 300, 36), "searchbox", actionable=True, editable=True),
        PageItem("Search", Box(420, 100, 100, 40), "button", actionable=True),
    )
    field = pick(page.lines, Target("Search"), narrow=page.narrowing("type"))
    assert page.field(field) is not None and field.point.x < 400
    button = pick(page.lines, Target("Search"), narrow=page.narrowing("click"))
    assert button.point.x > 420


def test_two_equally_good_controls_are_ambiguous() -> None:
    page = lines(
        PageItem("Search", Box(100, 100, 100, 40), "button", actionable=True),
        PageItem("Search", Box(600, 400, 100, 40), "button", actionable=True),
    )
    with pytest.raises(Unresolved, match="'Search' appears 2 times"):
        pick(page.lines, Target("Search"), narrow=page.narrowing("click"))


def test_a_label_names_the_field_beside_it() -> None:
    page = lines(
        PageItem("Full name", Box(100, 40, 80, 16), "text"),
        PageItem("", Box(200, 34, 300, 30), "textbox", actionable=True, editable=True, filled=True),
    )
    label = pick(page.lines, Target("Full name"), narrow=page.narrowing("type"))
    field = page.field(label)
    assert field is not None and field.filled and field.box == Box(200, 34, 300, 30)


class NoOcr:
    """A reader that must not be asked: the page named what was looked for."""

    def read(self, image: object, region: Box | None = None) -> list[TextBox]:
        raise AssertionError("the screen was read by OCR")


def frame() -> Frame:
    return Frame(data=TINY_JPEG, format="jpeg", size=Size(1280, 800), ts=0.0, url="https://shop.example/")


def test_text_the_page_shows_is_waited_for_and_found_without_ocr() -> None:
    shown = (
        PageItem("Order placed", Box(100, 40, 200, 30), "text"),
        PageItem("View", Box(100, 300, 60, 30), "link", actionable=True),
        PageItem("View", Box(500, 300, 60, 30), "link", actionable=True),
        PageItem("Desk Lamp", Box(480, 250, 100, 20), "text"),
    )
    brain = StepsBrain("wait for Order placed; click View under Desk Lamp", NoOcr())
    first = asyncio.run(brain.decide(BrainInput("x", frame(), 1, items=shown)))
    assert isinstance(first.action, Click) and first.action.x > 480  # the wait was over at once
    assert (brain.reads, brain.ocr_reads) == (1, 0)

"""Oracle solvers for the enter-, focus-, login- and choose- families of MiniWoB++."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from bench.miniwob.oracle.brain import (
    Intent,
    OracleContext,
    Solver,
    click,
    click_css,
    click_menu_option,
    click_text,
    type_text,
    wait,
)
from bench.miniwob.oracle.click import after, quoted

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def fill(selector: str, text: str) -> tuple[Intent, Intent]:
    return click_css(selector, what=f"the field {selector}"), type_text(text)


async def enter_text(ctx: OracleContext) -> AsyncIterator[Intent]:
    for intent in fill("#tt", quoted(ctx.utterance)):
        yield intent
    yield click_css("#subbtn", what="Submit")


async def enter_text_2(ctx: OracleContext) -> AsyncIterator[Intent]:
    text = quoted(ctx.utterance)
    text = text.upper() if "upper case" in ctx.utterance else text.lower()
    for intent in fill("#tt", text):
        yield intent
    yield click_css("#subbtn", what="Submit")


async def enter_password(ctx: OracleContext) -> AsyncIterator[Intent]:
    password = quoted(ctx.utterance)
    for field in ("#password", "#verify"):
        for intent in fill(field, password):
            yield intent
    yield click_css("#subbtn", what="Submit")


async def enter_date(ctx: OracleContext) -> AsyncIterator[Intent]:
    month, day, year = re.search(r"(\d\d)/(\d\d)/(\d{4})", ctx.utterance).groups()  # type: ignore[union-attr]
    # A date field takes digits segment by segment; a click near its left edge lands on the first (month).
    yield click_css("#tt", what="the date field's month", at=(12, 10))
    yield type_text(month + day + year)
    yield click_css("#subbtn", what="Submit")


async def enter_time(ctx: OracleContext) -> AsyncIterator[Intent]:
    m = re.search(r"(\d{1,2}):(\d\d)\s*([AP]M)?", ctx.utterance)
    if m is None:
        raise ValueError(f"no time in {ctx.utterance!r}")
    hour, minute, half = m.groups()
    yield click_css("#tt", what="the time field's hour", at=(10, 10))
    yield type_text(f"{int(hour):02d}{minute}" + (half[0] if half else ""))
    yield click_css("#subbtn", what="Submit")


async def focus_text(ctx: OracleContext) -> AsyncIterator[Intent]:
    yield click_css("#tt", what="the text box")


async def focus_text_2(ctx: OracleContext) -> AsyncIterator[Intent]:
    nth = int(re.search(r"(\d)(?:st|nd|rd|th)", ctx.utterance).group(1))  # type: ignore[union-attr]
    yield click_css(f"#tt{nth}", what=f"text box {nth}")


async def login_user(ctx: OracleContext) -> AsyncIterator[Intent]:
    user, password = quoted(ctx.utterance, 0), quoted(ctx.utterance, 1)
    for field, text in (("#username", user), ("#password", password)):
        yield click_css(field, what=f"the field {field}")
        if await ctx.js("() => !!document.querySelector('#popup')"):  # login-user-popup: dismiss, then again
            yield click_css("#popup-cancel", what="the popup's Cancel")
            yield click_css(field, what=f"the field {field}")
        yield type_text(text)
    yield click_css("#subbtn", what="Login")


async def choose_list(ctx: OracleContext) -> AsyncIterator[Intent]:
    name = after(ctx.utterance, "Select", r"from the list and click Submit\.?$")
    yield click_css("#options", what="the list")
    yield click_menu_option(name)
    yield click_text("#area button", "Submit")


async def choose_date(ctx: OracleContext) -> AsyncIterator[Intent]:
    async for intent in choose_date_steps(ctx, ctx.utterance):
        yield intent
    yield click_css("#subbtn", what="Submit")


async def choose_date_steps(ctx: OracleContext, text: str) -> AsyncIterator[Intent]:
    """Open the jQuery UI date picker of ``#datepicker``, page to the month of ``text``'s MM/DD/YYYY, pick the day."""
    month, day, year = (int(v) for v in re.search(r"(\d\d)/(\d\d)/(\d{4})", text).groups())  # type: ignore[union-attr]
    yield click_css("#datepicker", what="the date field")
    for _ in range(30):
        shown = await ctx.js(
            "(a, H) => { const m = document.querySelector('#ui-datepicker-div .ui-datepicker-month');"
            " const y = document.querySelector('#ui-datepicker-div .ui-datepicker-year');"
            " return m && H.shown(m) ? [H.norm(m.textContent), +H.norm(y.textContent)] : null; }"
        )
        if shown is None:  # still fading in
            yield wait(0.2)
            continue
        have = MONTHS.index(shown[0]) + 1 + 12 * shown[1]
        want = month + 12 * year
        if have == want:
            break
        button = "Prev" if have > want else "Next"
        yield click_text("#ui-datepicker-div a", button, what=f"the calendar's {button}")
    query = (
        "(d, H) => H.all('#ui-datepicker-div td[data-handler=selectDay] a').find((a) => H.norm(a.textContent) === d)"
    )
    yield click(query, str(day), what=f"day {day}")


SOLVERS: dict[str, Solver] = {
    "enter-date": enter_date,
    "enter-password": enter_password,
    "enter-text": enter_text,
    "enter-text-2": enter_text_2,
    "enter-text-dynamic": enter_text,
    "enter-time": enter_time,
    "focus-text": focus_text,
    "focus-text-2": focus_text_2,
    "login-user": login_user,
    "login-user-popup": login_user,
    "choose-list": choose_list,
    "choose-date": choose_date,
    "choose-date-easy": choose_date,
    "choose-date-medium": choose_date,
    "choose-date-nodelay": choose_date,
}

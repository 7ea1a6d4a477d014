"""Oracle solvers for the navigate-, use-, email-inbox and book-flight families of MiniWoB++."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

from bench.miniwob.oracle.brain import (
    Intent,
    OracleContext,
    Solver,
    click,
    click_css,
    click_text,
    key,
    type_text,
)
from bench.miniwob.oracle.click import after, quoted
from bench.miniwob.oracle.forms import choose_date_steps

# The first visible item of an open jQuery UI autocomplete menu whose text contains arg.
AUTOCOMPLETE_ITEM = (
    "(a, H) => H.all('ul.ui-autocomplete li').find((li) => H.shown(li) && H.norm(li.textContent).includes(a)) || null"
)


async def navigate_tree(ctx: OracleContext) -> AsyncIterator[Intent]:
    name = quoted(ctx.utterance)
    spans = "(a, H) => H.all('#tree span').find((s) => s.textContent === a)"
    # The folders above the target, outermost first; a closed one opens with a click on its name.
    depth: int = await ctx.js(
        f"(a, H) => {{ let n = 0, li = ({spans})(a, H).parentElement;"
        " while ((li = li.parentElement.closest('#tree li'))) n++; return n; }",
        name,
    )
    for level in range(depth, 0, -1):
        folder = (
            f"(a, H) => {{ let li = ({spans})(a.name, H).parentElement;"
            " for (let i = 0; i < a.level; i++) li = li.parentElement.closest('#tree li');"
            " return H.shown(li.querySelector(':scope > ul')) ? 'open' : li.querySelector(':scope > span'); }"
        )
        if await ctx.js(folder, {"name": name, "level": level}) != "open":
            yield click(folder, {"name": name, "level": level}, what=f"the folder {level} above {name!r}")
    yield click(spans, name, what=f"{name!r}")


async def use_autocomplete(ctx: OracleContext) -> AsyncIterator[Intent]:
    start = quoted(ctx.utterance, 0)
    ends = quoted(ctx.utterance, 1) if "ends with" in ctx.utterance else ""
    yield click_css("#tags", what="the Tags field")
    yield type_text(start)
    query = (
        "(a, H) => H.all('ul.ui-autocomplete li').find((li) => H.shown(li) &&"
        " H.norm(li.textContent).startsWith(a.start) && H.norm(li.textContent).endsWith(a.ends)) || null"
    )
    yield click(query, {"start": start, "ends": ends}, what=f"the suggestion {start}…{ends}")
    yield click_css("#subbtn", what="Submit")


async def use_slider(ctx: OracleContext) -> AsyncIterator[Intent]:
    want = int(after(ctx.utterance, "Select", r"with the slider"))
    async for intent in _slide("#slider", want, ctx):
        yield intent
    yield click_css("#subbtn", what="Submit")


async def use_slider_2(ctx: OracleContext) -> AsyncIterator[Intent]:
    combo = json.loads(re.search(r"\[[^\]]*\]", ctx.utterance).group(0))  # type: ignore[union-attr]
    for index, want in enumerate(combo, 1):
        async for intent in _slide(f"#slider-{index}", int(want), ctx):
            yield intent
    yield click_css("#subbtn", what="Submit")


async def _slide(selector: str, want: int, ctx: OracleContext) -> AsyncIterator[Intent]:
    """Click the track where ``want`` is, then fix the last step or two with arrow keys (the handle has the focus)."""
    geo: dict[str, Any] = await ctx.js(
        "(s) => { const e = $(s); const r = e[0].getBoundingClientRect();"
        " return {min: e.slider('option', 'min'), max: e.slider('option', 'max'), w: r.width, h: r.height,"
        " vertical: e.slider('option', 'orientation') === 'vertical'}; }",
        selector,
    )
    frac = (want - geo["min"]) / (geo["max"] - geo["min"])
    at = (geo["w"] / 2, geo["h"] * (1 - frac)) if geo["vertical"] else (geo["w"] * frac, geo["h"] / 2)
    at = (min(max(at[0], 0.5), geo["w"] - 0.5), min(max(at[1], 0.5), geo["h"] - 0.5))
    yield click_css(selector, what=f"the slider {selector} near {want}", at=at)
    for _ in range(10):
        value: int = await ctx.js("(s) => $(s).slider('value')", selector)
        if value == want:
            return
        yield key("ArrowRight" if value < want else "ArrowLeft")


async def use_spinner(ctx: OracleContext) -> AsyncIterator[Intent]:
    want = int(after(ctx.utterance, "Select", r"with the spinner"))
    for _ in range(25):
        value = await ctx.js("() => parseInt(document.getElementById('spinner').value, 10)")
        if value == want:
            break
        button = ".ui-spinner-up" if value < want else ".ui-spinner-down"
        yield click_css(button, what="the spinner's " + ("up" if value < want else "down") + " arrow")
    yield click_css("#subbtn", what="Submit")


async def use_colorwheel(ctx: OracleContext) -> AsyncIterator[Intent]:
    hex_color: str = await ctx.js(
        "(u) => { const box = document.querySelector('#query .cc');"
        " if (box) { const m = getComputedStyle(box).backgroundColor.match(/\\d+/g);"
        " return m.slice(0, 3).map((v) => (+v).toString(16).padStart(2, '0')).join(''); }"
        " return ui_utils.colorNameToHex(u).replace('#', ''); }",
        _color_name(ctx.utterance),
    )
    # The picker's field takes a hex value: a double click selects the old one (one word), typing replaces it.
    yield click("(a) => document.querySelector(a)", "#col", what="the colour field", count=2)
    yield type_text(hex_color)
    # Open, the picker covers Submit; a press outside it (the blank top-left of the task area) closes it.
    yield click_css("#area", what="a blank spot of the task area", at=(4, 4))
    yield click_css("#subbtn", what="Submit")


def _color_name(utterance: str) -> str:
    m = re.search(r"Select (.*) with the color picker", utterance)
    return m.group(1) if m else ""


async def email_inbox(ctx: OracleContext) -> AsyncIterator[Intent]:
    fields = await ctx.js("() => core.currentFields || null") or _email_fields(ctx.utterance)
    task, by = fields.get("task", "forward"), fields["by"]  # the forward-only pages name no task
    thread = (
        "(a, H) => H.all('#main .email-thread').find((t) => H.norm(t.querySelector('.email-sender').textContent) === a)"
    )
    if task in {"delete", "star"}:
        icon = "trash" if task == "delete" else "star"
        query = f"(a, H) => {{ const t = ({thread})(a, H); return t && t.querySelector('.email-actions .{icon}'); }}"
        yield click(query, by, what=f"the {icon} icon of the email by {by!r}")
        return
    yield click(thread, by, what=f"the email by {by!r}")
    if task == "reply":
        yield click_css("#email .email-reply", what="Reply")
        yield click_css("#reply-text", what="the reply text")
        yield type_text(fields["message"])
        yield click_css("#send-reply", what="Send")
    else:
        yield click_css("#email .email-forward", what="Forward")
        yield click_css("#forward .forward-sender", what="the forward-to field")
        yield type_text(fields["to"])
        yield click_css("#send-forward", what="Send")


def _email_fields(utterance: str) -> dict[str, str]:
    patterns = {
        "delete": r"Find the email by (?P<by>.*) and click the trash icon to delete it\.",
        "forward": r"Find the email by (?P<by>.*) and forward that email to (?P<to>.*)\.",
        "star": r"Find the email by (?P<by>.*) and click the star icon to mark it as important\.",
        "reply": r'Find the email by (?P<by>.*) and reply to them with the text "(?P<message>.*)"\.',
    }
    for task, pattern in patterns.items():
        if m := re.fullmatch(pattern, utterance):
            return {"task": task, **m.groupdict()}
    raise ValueError(f"cannot read the email task {utterance!r}")


async def book_flight(ctx: OracleContext) -> AsyncIterator[Intent]:
    m = re.search(r"Book the (\w+) one-way flight from: (.*) to: (.*) on (\d\d/\d\d/\d{4})", ctx.utterance)
    if m is None:
        raise ValueError(f"cannot read the flight task {ctx.utterance!r}")
    which, origin, destination, date = m.groups()
    for field, place in (("#flight-from", origin), ("#flight-to", destination)):
        yield click_css(field, what=f"the field {field}")
        yield type_text(place)
        yield click(AUTOCOMPLETE_ITEM, place, what=f"the suggestion with {place!r}")
    async for intent in choose_date_steps(ctx, date):
        yield intent
    yield click_text("#search", "Search")
    attr = "data-price" if which == "cheapest" else "data-duration"
    best = (
        "(a, H) => { const f = H.all('#results .flight'); if (!f.length) return null;"
        " const v = (x) => +(x.querySelector('[' + a + ']').getAttribute(a));"
        " return f.reduce((b, x) => (v(x) < v(b) ? x : b)).querySelector('.flight-price'); }"
    )
    yield click(best, attr, what=f"the {which} flight's Book button")


SOLVERS: dict[str, Solver] = {
    "navigate-tree": navigate_tree,
    "use-autocomplete": use_autocomplete,
    "use-autocomplete-nodelay": use_autocomplete,
    "use-slider": use_slider,
    "use-slider-2": use_slider_2,
    "use-spinner": use_spinner,
    "use-colorwheel": use_colorwheel,
    "use-colorwheel-2": use_colorwheel,
    "email-inbox": email_inbox,
    "email-inbox-delete": email_inbox,
    "email-inbox-forward": email_inbox,
    "email-inbox-forward-nl": email_inbox,
    "email-inbox-forward-nl-turk": email_inbox,
    "email-inbox-important": email_inbox,
    "email-inbox-nl-turk": email_inbox,
    "email-inbox-noscroll": email_inbox,
    "email-inbox-reply": email_inbox,
    "email-inbox-star-reply": email_inbox,
    "book-flight": book_flight,
    "book-flight-nodelay": book_flight,
}

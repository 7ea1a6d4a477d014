"""Oracle solvers for the click- family of MiniWoB++ (see ``brain.py`` for the rules)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from bench.miniwob.oracle.brain import (
    Intent,
    OracleContext,
    Solver,
    click,
    click_css,
    click_text,
    hover,
    key,
    wait,
)


def quoted(utterance: str, index: int = 0) -> str:
    """The ``index``-th double-quoted part of the utterance."""
    found = re.findall(r'"([^"]*)"', utterance)
    if len(found) <= index:
        raise ValueError(f"no quoted text #{index + 1} in {utterance!r}")
    return str(found[index])


def after(utterance: str, word: str, until: str = r"\.?$") -> str:
    m = re.search(rf"{word}\s+(.*?)\s*{until}", utterance)
    if m is None:
        raise ValueError(f"cannot read the utterance {utterance!r}")
    return m.group(1)


async def click_button(ctx: OracleContext) -> AsyncIterator[Intent]:
    yield click_text("#area button", quoted(ctx.utterance))


async def click_button_sequence(ctx: OracleContext) -> AsyncIterator[Intent]:
    yield click_css("#subbtn", what="button ONE")
    yield click_css("#subbtn2", what="button TWO")


async def click_test(ctx: OracleContext) -> AsyncIterator[Intent]:
    yield click_css("#subbtn", what="the button")


async def click_test_2(ctx: OracleContext) -> AsyncIterator[Intent]:
    which = after(ctx.utterance, "button")
    yield click_text("#area button", which)


async def click_checkboxes(ctx: OracleContext) -> AsyncIterator[Intent]:
    words = after(ctx.utterance, "Select", r"and click Submit\.?$")
    names = [] if words == "nothing" else [w.strip() for w in words.split(",") if w.strip()]
    for name in names:
        yield _checkbox(name)
    yield click_css("#subbtn", what="Submit")


def _checkbox(label: str) -> Intent:
    query = "(a, H) => { const l = H.byText('#area label', a); return l && l.querySelector('input'); }"
    return click(query, label, what=f"the checkbox {label!r}")


async def click_checkboxes_soft(ctx: OracleContext) -> AsyncIterator[Intent]:
    words = after(ctx.utterance, "Select words similar to", r"and click Submit\.?$")
    wanted = [w.strip() for w in words.split(",") if w.strip()]
    # SYNONYMS is the page's own table (a global); the checkbox whose word shares a group is the one.
    labels: list[str] = await ctx.js(
        "(want, H) => H.all('#area label').map((l) => H.norm(l.textContent)).filter((t) =>"
        " SYNONYMS.some((g) => g.includes(t) && want.some((w) => g.includes(w))))",
        wanted,
    )
    for label in labels:
        yield _checkbox(label)
    yield click_css("#subbtn", what="Submit")


async def click_collapsible(ctx: OracleContext) -> AsyncIterator[Intent]:
    yield click_css("#area h3", what="the section header")
    yield click_css("#subbtn", what="Submit")


async def click_collapsible_2(ctx: OracleContext) -> AsyncIterator[Intent]:
    link = quoted(ctx.utterance)
    section: int = await ctx.js(
        "(a, H) => { const s = H.all('#area .alink').find((e) => e.textContent === a);"
        " const panel = s.closest('.ui-accordion-content');"
        " return H.all('#area .ui-accordion-content').indexOf(panel); }",
        link,
    )
    yield click("(i) => document.querySelectorAll('#area h3')[i]", section, what=f"section #{section + 1}")
    yield click_text("#area .alink", link, what=f"the link {link!r}")


async def click_color(ctx: OracleContext) -> AsyncIterator[Intent]:
    color = after(ctx.utterance, "Click on the", r"colored box\.?$").strip()
    yield click("(c) => document.querySelector(`#area .color[data-color='${c}']`)", color, what=f"the {color} box")


async def click_dialog(ctx: OracleContext) -> AsyncIterator[Intent]:
    yield click_css(".ui-dialog-titlebar button", what="the dialog's x")


async def click_dialog_2(ctx: OracleContext) -> AsyncIterator[Intent]:
    label = quoted(ctx.utterance)
    if label == "x":
        yield click_css(".ui-dialog-titlebar button", what="the dialog's x")
    else:
        yield click_text(".ui-dialog-buttonset button", label)


async def click_link(ctx: OracleContext) -> AsyncIterator[Intent]:
    yield click_text("#area .alink", quoted(ctx.utterance))


async def click_menu(ctx: OracleContext) -> AsyncIterator[Intent]:
    path = after(ctx.utterance, "Select").split(">")
    for depth, name in enumerate(path):
        query = "(a, H) => H.all('#menu li').find((li) => H.norm(li.querySelector(':scope > div').textContent) === a)"
        target = "(a, H) => { const li = (" + query + ")(a, H); return li && li.querySelector(':scope > div'); }"
        if depth < len(path) - 1:
            yield hover(target, name, what=f"the menu item {name!r} (opens its submenu)")
        else:
            yield click(target, name, what=f"the menu item {name!r}")


async def click_menu_2(ctx: OracleContext) -> AsyncIterator[Intent]:
    yield click_css("#open-menu", what="the Menu button")
    label = await ctx.js(
        "(u, H) => { const icon = document.querySelector('#query .ui-icon');"
        " if (!icon) return null; const cls = Array.from(icon.classList).find((c) => c !== 'ui-icon');"
        " return Object.keys(PROBLEM_SET).find((k) => PROBLEM_SET[k] === cls); }"
    ) or quoted(ctx.utterance, 1)
    if label in {"Prev", "Stop", "Play", "Next"}:
        yield hover("(a, H) => H.byText('#menu > li > div', 'Playback')", None, what="Playback (opens its submenu)")
    item = "(a, H) => H.all('#menu li').find((li) => H.norm(li.textContent) === a && H.shown(li))"
    yield click(item, label, what=label)


async def click_option(ctx: OracleContext) -> AsyncIterator[Intent]:
    name = after(ctx.utterance, "Select", r"and click Submit\.?$")
    query = "(a, H) => { const l = H.byText('#area label', a); return l && l.querySelector('input'); }"
    yield click(query, name, what=f"the option {name!r}")
    yield click_css("#subbtn", what="Submit")


async def click_pie(ctx: OracleContext) -> AsyncIterator[Intent]:
    item = quoted(ctx.utterance)
    yield click("() => document.querySelector('#divWheel [id^=wheelnav-divWheel-spreader]')", what="the pie's centre")
    yield wait(0.3)  # the wheel spreads out with an animation
    query = (
        "(a, H) => { const t = H.all('#divWheel text').find((e) => H.norm(e.textContent) === a);"
        " if (!t) return null; const id = t.id.replace('-title', '-slice'); return document.getElementById(id) || t; }"
    )
    yield click(query, item, what=f"the slice {item!r}")


async def click_scroll_list(ctx: OracleContext) -> AsyncIterator[Intent]:
    names = [n.strip() for n in after(ctx.utterance, "Select", r"from the scroll list").split(",")]
    option = "(a, H) => H.all('#options option').find((o) => H.norm(o.textContent) === a)"
    yield click(option, names[0], what=f"the option {names[0]!r}")
    for name in names[1:]:
        # No click with a modifier in the action set: move the listbox's focus with Ctrl+arrows, then
        # Ctrl+Space adds the focused option to the selection (Chromium's listbox keys).
        steps: int = await ctx.js(
            "(a, H) => { const o = H.all('#options option'); return o.findIndex((x) => H.norm(x.textContent) === a[1])"
            " - o.findIndex((x) => H.norm(x.textContent) === a[0]); }",
            [names[0], name],
        )
        arrow = "ArrowDown" if steps > 0 else "ArrowUp"
        for _ in range(abs(steps)):
            yield key("Control", arrow)
        yield key("Control", " ")
    yield click_text("#area button", "Submit")


async def click_shades(ctx: OracleContext) -> AsyncIterator[Intent]:
    color = after(ctx.utterance, "shades of", r"and press Submit\.?$")
    count: int = await ctx.js("(c) => document.querySelectorAll(`#area span[data-color='${c}']`).length", color)
    for i in range(count):
        shade = "(a) => document.querySelectorAll(`#area span[data-color='${a[0]}']`)[a[1]]"
        yield click(shade, [color, i], what=f"{color} shade {i + 1}")
    yield click_css("#area button", what="Submit")


async def click_shape(ctx: OracleContext) -> AsyncIterator[Intent]:
    parts = after(ctx.utterance, "Click on a").split()
    query = (
        "(p, H) => { const sizes = ['large', 'small'];"
        " const colors = ['red', 'green', 'blue', 'aqua', 'black', 'magenta', 'yellow'];"
        " const what = p[p.length - 1]; const size = p.find((w) => sizes.includes(w)) || '';"
        " const color = p.find((w) => colors.includes(w)) || '';"
        " const shapes = {rect: 'rectangle', circle: 'circle', polygon: 'triangle'};"
        " return H.all('#area_svg > *').find((e) => {"
        "  const isText = e.localName === 'text'; const text = isText ? e.textContent : shapes[e.localName];"
        "  const type = isText ? (/[0-9]/.test(text) ? 'digit' : 'letter') : 'shape';"
        "  const big = isText ? parseFloat(e.getAttribute('font-size')) > 15 : e.getBBox().width > 15;"
        "  return (what === 'item' || what === text || what === type) && (!color || e.getAttribute('fill') === color)"
        "   && (!size || (size === 'large') === big); }) || null; }"
    )
    yield click(query, parts, what=" ".join(parts))


async def click_tab(ctx: OracleContext) -> AsyncIterator[Intent]:
    yield click_text("#area ul a", after(ctx.utterance, "Click on"))


async def click_tab_2(ctx: OracleContext) -> AsyncIterator[Intent]:
    link = quoted(ctx.utterance)
    tab: str | None = await ctx.js(
        "(a, H) => { const s = H.all('#area .alink').find((e) => e.textContent === a);"
        " return s ? s.closest('[id^=tabs-]').id : null; }",
        link,
    )
    if tab is None:  # click-tab-2-medium: the link was in a tab that is now empty; that tab is the answer
        yield click("() => document.querySelectorAll('#area .ui-tab a')[1]", what="the emptied tab")
        return
    yield click("(id) => document.querySelector(`#area ul a[href='#${id}']`)", tab, what=f"the tab {tab}")
    yield click_text("#area .alink", link, what=f"the link {link!r}")


async def click_widget(ctx: OracleContext) -> AsyncIterator[Intent]:
    kind = quoted(ctx.utterance)
    yield click("(t) => document.querySelector(`#area [data-type='${t}']`)", kind, what=f"a {kind} widget")


SOLVERS: dict[str, Solver] = {
    "click-button": click_button,
    "click-button-sequence": click_button_sequence,
    "click-checkboxes": click_checkboxes,
    "click-checkboxes-large": click_checkboxes,
    "click-checkboxes-soft": click_checkboxes_soft,
    "click-checkboxes-transfer": click_checkboxes,
    "click-collapsible": click_collapsible,
    "click-collapsible-nodelay": click_collapsible,
    "click-collapsible-2": click_collapsible_2,
    "click-collapsible-2-nodelay": click_collapsible_2,
    "click-color": click_color,
    "click-dialog": click_dialog,
    "click-dialog-2": click_dialog_2,
    "click-link": click_link,
    "click-menu": click_menu,
    "click-menu-2": click_menu_2,
    "click-option": click_option,
    "click-pie": click_pie,
    "click-pie-nodelay": click_pie,
    "click-scroll-list": click_scroll_list,
    "click-shades": click_shades,
    "click-shape": click_shape,
    "click-tab": click_tab,
    "click-tab-2": click_tab_2,
    "click-tab-2-easy": click_tab_2,
    "click-tab-2-medium": click_tab_2,
    "click-tab-2-hard": click_tab_2,
    "click-test": click_test,
    "click-test-2": click_test_2,
    "click-test-transfer": click_test_2,
    "click-widget": click_widget,
}

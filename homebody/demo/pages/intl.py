"""International product pages: ``/intl/{lang}`` in eleven languages, each with a buy and a send control.

The controls' markup differs by language (see ``intl_text``). Scripted ones post JSON to
``/intl/record``; ``<input type=submit>`` ones post a form to ``/intl/{lang}/{kind}`` and come back
with a notice. Either way ``{"lang", "kind"}`` is recorded in ``intl``. The language links and the
search box only change what is shown.
"""

from __future__ import annotations

from homebody.demo.intl_text import LOCALES, LOCALES_BY_CODE, Locale
from homebody.demo.layout import esc, not_found, page, product_art, toast
from homebody.demo.records import INTL_KINDS
from homebody.demo.state import PRODUCTS_BY_ID, DemoState
from homebody.demo.web import Request, Response, Route, json_error, json_response, redirect, str_value

_PRODUCT_ID = 4  # the Desk Lamp, translated


def _control(loc: Locale, kind: str) -> str:
    """The buy or send control, in the markup this language uses for it."""
    markup = loc.buy_markup if kind == "buy" else loc.send_markup
    label = loc.buy if kind == "buy" else loc.send
    done = loc.bought if kind == "buy" else loc.sent
    cls = "btn btn-buy" if kind == "buy" else "btn btn-primary"
    data = f'id="intl-{kind}" data-intl-lang="{loc.code}" data-intl-kind="{kind}" data-done="{esc(done)}"'
    if markup == "submit":
        field = f'<input type="submit" class="{cls}" id="intl-{kind}" value="{esc(label)}">'
        if kind == "send":  # the message box is inside this form already
            return field
        return f'<form class="inline-form" method="post" action="/intl/{loc.code}/buy">{field}</form>'
    if markup == "link":
        return f'<a href="#" role="button" class="{cls}" {data}>{esc(label)}</a>'
    if markup == "div":
        return f'<div role="button" tabindex="0" class="{cls}" {data}>{esc(label)}</div>'
    return f'<button type="button" class="{cls}" {data}>{esc(label)}</button>'


def _ask(loc: Locale) -> str:
    inner = (
        f'<h2 class="section-title">{esc(loc.ask)}</h2>'
        f'<textarea name="message" id="intl-message" aria-label="{esc(loc.ask)}" '
        f'placeholder="{esc(loc.ask_placeholder)}"></textarea>'
        f'<div class="ask-actions">{_control(loc, "send")}'
        '<span class="status" id="intl-send-status" role="status" aria-live="polite"></span></div>'
    )
    if loc.send_markup == "submit":
        return f'<form class="ask" method="post" action="/intl/{loc.code}/send">{inner}</form>'
    return f'<div class="ask">{inner}</div>'


def _languages(loc: Locale) -> str:
    current = ' aria-current="true"'
    links = "".join(
        f'<a href="/intl/{other.code}" hreflang="{other.html_lang}" lang="{other.html_lang}"'
        f"{current if other is loc else ''}>{esc(other.native)}</a>"
        for other in LOCALES
    )
    return (
        f'<aside class="side-card"><h2 class="section-title">{esc(loc.languages)}</h2>'
        f'<nav class="langs" aria-label="{esc(loc.languages)}">{links}</nav></aside>'
    )


def _crumbs(loc: Locale, query: str) -> str:
    """Where the page is, or after a search what was searched for (same height either way)."""
    if query:
        return f'<p class="subtitle">{esc(loc.results.format(q=query))}</p>'
    return (
        f'<nav class="crumbs" aria-label="Breadcrumb"><a href="/intl/{loc.code}">{esc(loc.nav[0])}</a>'
        f"<span>/</span><span>{esc(loc.product)}</span></nav>"
    )


def intl_page(req: Request, state: DemoState) -> Response:
    loc = LOCALES_BY_CODE.get(req.args[0])
    if loc is None:
        return not_found(req, state, "language")
    product = PRODUCTS_BY_ID[_PRODUCT_ID]
    query = req.query.get("q", "").strip()
    done = {"buy": loc.bought, "send": loc.sent}.get(req.query.get("done", ""))
    search = (
        f'<form class="search" method="get" action="/intl/{loc.code}" role="search">'
        f'<input name="q" type="search" placeholder="{esc(loc.search_placeholder)}" '
        f'aria-label="{esc(loc.search_placeholder)}" value="{esc(query)}">'
        f'<button type="submit" class="btn">{esc(loc.search)}</button></form>'
    )
    body = (
        f'<div class="page-head"><h1 class="title">{esc(loc.product)}</h1>{search}</div>'
        f"{_crumbs(loc, query)}"
        '<div class="intl-product">'
        f'<div class="product-media" style="background:{esc(product.tint)}">{product_art(product, 200)}</div>'
        '<div class="product-info">'
        f'<p class="product-price">{esc(loc.price)}</p>'
        f'<p class="product-desc">{esc(loc.description)}</p>'
        f'<p class="stock">{esc(loc.stock)}</p>'
        f'<div class="buy-row">{_control(loc, "buy")}</div>'
        '<p class="status" id="intl-buy-status" role="status" aria-live="polite"></p></div></div>'
        f'<div class="intl-row">{_ask(loc)}{_languages(loc)}</div>'
        f"{toast(done) if done else ''}"
    )
    return page(
        req,
        state,
        title=loc.product,
        body=body,
        lang=loc.html_lang,
        scripts=("intl.js",),
        nav_labels=loc.nav_labels,
    )


def intl_form(req: Request, state: DemoState) -> Response:
    """An ``<input type=submit>`` posted: record it and go back to the page with a notice."""
    loc = LOCALES_BY_CODE.get(req.args[0])
    kind = req.args[1]
    if loc is None or kind not in INTL_KINDS:
        return not_found(req, state, "language")
    state.records.add_intl(loc.code, kind)
    return redirect(f"/intl/{loc.code}?done={kind}")


def intl_record(req: Request, state: DemoState) -> Response:
    loc = LOCALES_BY_CODE.get(str_value(req.data, "lang"))
    kind = str_value(req.data, "kind")
    if loc is None or kind not in INTL_KINDS:
        return json_error("unknown language or action")
    state.records.add_intl(loc.code, kind)
    return json_response({"ok": True})


def intl_home(req: Request, state: DemoState) -> Response:
    return redirect("/intl/en", 302)


ROUTES: tuple[Route, ...] = (
    ("GET", r"/intl/?", intl_home),
    ("GET", r"/intl/([a-z]{2})", intl_page),
    ("POST", r"/intl/record", intl_record),
    ("POST", r"/intl/([a-z]{2})/(buy|send)", intl_form),
)

"""The shared HTML shell (header bar, navigation), inline icons and small HTML helpers.

Sizes that decide where things are on screen live in ``static/site.css`` as fixed pixels, so a
scripted demo can click at fixed coordinates whatever fonts are installed.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING

from homebody.demo.web import Request, Response

if TYPE_CHECKING:
    from homebody.demo.state import DemoState, Product

BRANDS = {
    "shop": "Homebody Shop",
    "mail": "Homebody Mail",
    "chat": "Homebody Chat",
    "bank": "Homebody Bank",
    "social": "Homebody Social",
    "pay": "Homebody Pay",
}
_HOMES = {"mail": "/mail", "chat": "/mail", "bank": "/bank", "social": "/social", "pay": "/pay"}
NAV_LABELS = {"shop": "Shop", "mail": "Mail", "cart": "Cart", "signin": "Sign in", "account": "Account"}
_FOOTER_LINKS = (
    ("/bank", "Bank"),
    ("/social", "Social"),
    ("/pay", "Pay an invoice"),
    ("/shop/express", "Express checkout"),
    ("/intl/en", "International"),
)

_STROKE = 'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"'
ICON_HOME = (
    '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true">'
    '<path d="M3 11 12 3.5l9 7.5v9.5a1 1 0 0 1-1 1h-5.5v-6h-5v6H4a1 1 0 0 1-1-1z" '
    'fill="currentColor"/></svg>'
)
ICON_HEART = (
    f'<svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" {_STROKE}>'
    '<path d="M20.8 4.6a5.5 5.5 0 0 0-7.8 0L12 5.7l-1-1.1a5.5 5.5 0 0 0-7.8 7.8l1 1.1L12 21.2'
    'l7.8-7.7 1-1.1a5.5 5.5 0 0 0 0-7.8z"/></svg>'
)
ICON_TRASH = (
    f'<svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" {_STROKE}>'
    '<path d="M3 6h18M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6m3 0V4a2 2 0 0 1 2-2h4'
    'a2 2 0 0 1 2 2v2"/></svg>'
)
ICON_PLANE = (
    f'<svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" {_STROKE}>'
    '<path d="M22 2 11 13M22 2l-7 20-4-9-9-4z"/></svg>'
)
ICON_SEARCH = (
    f'<svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" {_STROKE}>'
    '<circle cx="11" cy="11" r="7"/><path d="m21 21-5-5"/></svg>'
)

_ART: dict[int, str] = {
    1: '<path d="M10 62c0-8 4-16 8-20l10 6c6 4 14 6 22 7l22 3c8 1 14 6 14 12v4H10z" '
    'fill="#3b6fe0"/><rect x="10" y="70" width="76" height="8" rx="3" fill="#1f3b80"/>'
    '<path d="M30 50l6-8M38 54l6-8M46 56l5-8" stroke="#fff" stroke-width="3" '
    'stroke-linecap="round"/>',
    2: '<rect x="22" y="14" width="52" height="14" rx="4" fill="#4a3b33"/>'
    '<rect x="26" y="28" width="44" height="42" rx="3" fill="#6b5448"/>'
    '<rect x="40" y="34" width="16" height="8" rx="2" fill="#2e2420"/>'
    '<rect x="40" y="50" width="16" height="12" rx="2" fill="#fff"/>'
    '<path d="M56 53h4a3 3 0 0 1 0 6h-4" stroke="#fff" stroke-width="2" fill="none"/>'
    '<rect x="18" y="70" width="60" height="8" rx="3" fill="#4a3b33"/>',
    3: '<rect x="14" y="24" width="68" height="16" rx="4" fill="#3f8f5a"/>'
    '<rect x="14" y="42" width="68" height="16" rx="4" fill="#5fae78"/>'
    '<rect x="14" y="60" width="68" height="16" rx="4" fill="#3f8f5a"/>'
    '<path d="M26 24v52M70 24v52" stroke="#e4f4e8" stroke-width="3"/>',
    4: '<rect x="24" y="74" width="40" height="6" rx="3" fill="#5a4a1a"/>'
    '<path d="M44 74 34 46l24-20" stroke="#5a4a1a" stroke-width="5" fill="none" '
    'stroke-linecap="round" stroke-linejoin="round"/>'
    '<path d="m52 18 24 12-10 14z" fill="#e0a800"/><circle cx="66" cy="44" r="4" fill="#ffd84d"/>',
}


def esc(text: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return escape(str(text), quote=True)


def money(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


def product_art(product: Product, size: int) -> str:
    art = _ART.get(product.id, "")
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 96 96" role="img" '
        f'aria-label="{esc(product.name)}">{art}</svg>'
    )


def add_to_cart_form(product: Product, extra_class: str = "") -> str:
    cls = f"btn {extra_class}".strip()
    return (
        '<form class="inline-form" method="post" action="/shop/cart/add">'
        f'<input type="hidden" name="product_id" value="{product.id}">'
        f'<button type="submit" class="{cls}">Add to cart</button></form>'
    )


def product_card(product: Product) -> str:
    return (
        f'<article class="card" data-product-id="{product.id}">'
        f'<a class="card-media" href="/shop/product/{product.id}" tabindex="-1" '
        f'style="background:{esc(product.tint)}">{product_art(product, 96)}</a>'
        '<div class="card-body">'
        f'<h2 class="card-name">{esc(product.name)}</h2>'
        f'<p class="card-price">{money(product.price_cents)}</p>'
        '<div class="card-actions">'
        f'<a class="btn" href="/shop/product/{product.id}">View</a>'
        f"{add_to_cart_form(product, 'btn-primary')}"
        "</div></div></article>"
    )


def toast(text: str) -> str:
    """A notice pinned to the bottom right corner: it never moves anything else on the page."""
    return f'<div class="toast" role="status">{esc(text)}</div>'


def notice(text: str, kind: str = "ok") -> str:
    return f'<div class="notice notice-{esc(kind)}" role="status">{esc(text)}</div>'


def _nav(req: Request, state: DemoState, active: str, labels: Mapping[str, str] | None) -> str:
    """The header links; translated ``labels`` may be wider, so they get the auto-width style."""
    text = labels or NAV_LABELS
    signed_in = state.session_email(req.session_token) is not None
    items = (
        ("shop", "/shop", text["shop"]),
        ("mail", "/mail", text["mail"]),
        ("cart", "/shop/cart", f"{text['cart']} ({state.cart_count()})"),
        ("account", "/shop/account", text["account"]) if signed_in else ("account", "/shop/signin", text["signin"]),
    )
    current = ' aria-current="page"'
    links = "".join(
        f'<a href="{href}"{current if key == active else ""}>{esc(label)}</a>' for key, href, label in items
    )
    cls = "nav" if labels is None else "nav nav-auto"
    return f'<nav class="{cls}" aria-label="Main">{links}</nav>'


def _footer(lang: str) -> str:
    """A small footer linking the other demo areas (always in English)."""
    attr = "" if lang == "en" else ' lang="en"'
    links = "".join(f'<a href="{href}">{esc(label)}</a>' for href, label in _FOOTER_LINKS)
    return (
        f'<footer class="footer"{attr}><div class="footer-inner">'
        "<span>Homebody demo site · served from your own computer</span>"
        f'<nav class="footer-nav" aria-label="More from Homebody">{links}</nav></div></footer>'
    )


def page(
    req: Request,
    state: DemoState,
    *,
    title: str,
    body: str,
    brand: str = "shop",
    active: str = "",
    status: int = 200,
    headers: tuple[tuple[str, str], ...] = (),
    lang: str = "en",
    scripts: tuple[str, ...] = (),
    nav_labels: Mapping[str, str] | None = None,
) -> Response:
    """A full HTML page in the site's shell; ``scripts`` are extra files from ``/static``."""
    brand_name = BRANDS.get(brand, BRANDS["shop"])
    home = _HOMES.get(brand, "/shop")
    extra = "".join(f'<script src="/static/{esc(name)}" defer></script>' for name in scripts)
    html = (
        f'<!doctype html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · {esc(brand_name)}</title>"
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/site.css">'
        '<link rel="stylesheet" href="/static/areas.css">'
        f'<script src="/static/site.js" defer></script>{extra}</head>'
        f'<body class="brand-{esc(brand)}"><header class="topbar"><div class="topbar-inner">'
        f'<a class="logo" href="{home}">{ICON_HOME}<span>{esc(brand_name)}</span></a>'
        f"{_nav(req, state, active, nav_labels)}</div></header>"
        f'<main class="main">{body}</main>{_footer(lang)}</body></html>'
    )
    return Response(status, html.encode("utf-8"), headers=headers)


def not_found(req: Request, state: DemoState, what: str = "page") -> Response:
    body = (
        '<section class="empty-box"><h1 class="title">Not found</h1>'
        f'<p class="muted">Sorry, we could not find that {esc(what)}.</p>'
        '<a class="btn btn-primary" href="/shop">Back to the shop</a></section>'
    )
    return page(req, state, title="Not found", body=body, status=404)

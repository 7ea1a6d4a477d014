"""Shop pages: catalogue, search, product page, cart, and the small JSON endpoints they call."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from homebody.demo.layout import (
    ICON_HEART,
    ICON_TRASH,
    add_to_cart_form,
    esc,
    money,
    not_found,
    page,
    product_art,
    product_card,
    toast,
)
from homebody.demo.state import PRODUCTS, PRODUCTS_BY_ID, DemoState, Product
from homebody.demo.web import (
    Request,
    Response,
    Route,
    int_value,
    json_error,
    json_response,
    local_path,
    redirect,
)


def _search_form(query: str = "") -> str:
    return (
        '<form class="search" method="get" action="/shop/search" role="search">'
        f'<input name="q" type="search" placeholder="Search products" aria-label="Search products" '
        f'value="{esc(query)}"><button type="submit" class="btn">Search</button></form>'
    )


_MORE_DETAILS = {
    1: "Weight 250 g per shoe. Drop 6 mm. Sizes 36 to 47, true to size. Wash by hand, air dry.",
    2: "1.2 litre removable water tank, stainless steel portafilter, single and double baskets. 1350 W.",
    3: "100% merino wool from Australia, 450 g/m². Fringed edges. Comes folded in a cotton bag.",
    4: "Warm, neutral and cool white light, 10 brightness steps, 45 cm reach. 8 W, lasts 25,000 hours.",
}
_REVIEWS = (
    ("Maya K.", "★★★★★", "Exactly as described, well made, and it arrived a day early."),
    ("Tom B.", "★★★★☆", "Good quality for the price. The box could have been smaller."),
)


def _details(product: Product) -> str:
    """Description and Reviews tabs with a "Show more" toggle: all scripted, nothing is sent."""
    reviews = "".join(
        f'<div class="review"><p class="review-head"><strong>{esc(who)}</strong> '
        f'<span class="stars" aria-label="{stars.count("★")} out of 5 stars">{stars}</span></p>'
        f"<p>{esc(text)}</p></div>"
        for who, stars, text in _REVIEWS
    )
    return (
        '<section class="details"><div class="tabs" role="tablist" aria-label="Product information">'
        '<button type="button" role="tab" id="tab-desc" aria-selected="true" aria-controls="panel-desc">'
        "Description</button>"
        '<button type="button" role="tab" id="tab-reviews" aria-selected="false" tabindex="-1" '
        'aria-controls="panel-reviews">Reviews</button></div>'
        '<div class="tab-panel" role="tabpanel" id="panel-desc" aria-labelledby="tab-desc">'
        f"<p>{esc(product.description)}</p>"
        f'<p id="desc-more" hidden>{esc(_MORE_DETAILS.get(product.id, ""))}</p>'
        '<button type="button" class="btn btn-small" id="show-more" data-reveal="desc-more" '
        'data-less="Show less" aria-expanded="false" aria-controls="desc-more">Show more</button></div>'
        '<div class="tab-panel" role="tabpanel" id="panel-reviews" aria-labelledby="tab-reviews" hidden>'
        f'{reviews}<p><a href="/shop/product/{product.id}/reviews" id="all-reviews">'
        "All reviews, and write your own</a></p></div></section>"
    )


def _added_toast(req: Request) -> str:
    product = PRODUCTS_BY_ID.get(int_value(req.query, "added") or 0)
    return toast(f"Added {product.name} to your cart") if product else ""


def _catalogue(
    req: Request, state: DemoState, *, heading: str, summary: str, products: list[Product], query: str
) -> Response:
    cards = "".join(product_card(p) for p in products)
    grid = (
        f'<div class="grid">{cards}</div>'
        if products
        else '<div class="empty-box"><p class="empty-text">No products match your search.</p>'
        '<a class="btn" href="/shop">Show all products</a></div>'
    )
    body = (
        f'<div class="page-head"><h1 class="title">{esc(heading)}</h1>{_search_form(query)}</div>'
        f'<p class="subtitle">{esc(summary)}</p>{grid}{_added_toast(req)}'
    )
    return page(req, state, title=heading, body=body, active="shop")


def shop_home(req: Request, state: DemoState) -> Response:
    summary = f"{len(PRODUCTS)} products · Free delivery on orders over $50"
    return _catalogue(req, state, heading="Shop", summary=summary, products=list(PRODUCTS), query="")


def shop_search(req: Request, state: DemoState) -> Response:
    query = req.query.get("q", "").strip()
    if query and "added" not in req.query:  # coming back after "Add to cart" is not a new search
        state.record_search(query)
    needle = query.casefold()
    found = [p for p in PRODUCTS if needle in p.name.casefold()]
    count = f"{len(found)} result{'s' if len(found) != 1 else ''}"
    summary = f"{count} for “{query}”" if query else f"{count}"
    return _catalogue(req, state, heading="Search results", summary=summary, products=found, query=query)


def product_page(req: Request, state: DemoState) -> Response:
    product = PRODUCTS_BY_ID.get(int_value({"id": req.args[0]}, "id") or 0)
    if product is None:
        return not_found(req, state, "product")
    pressed = "true" if state.in_wishlist(product.id) else "false"
    body = (
        f'<nav class="crumbs" aria-label="Breadcrumb"><a href="/shop">Shop</a>'
        f"<span>/</span><span>{esc(product.name)}</span></nav>"
        '<div class="product">'
        f'<div class="product-media" style="background:{esc(product.tint)}">'
        f"{product_art(product, 220)}</div>"
        '<div class="product-info">'
        f'<h1 class="product-name">{esc(product.name)}</h1>'
        f'<p class="product-price">{money(product.price_cents)}</p>'
        f'<p class="product-desc">{esc(product.description)}</p>'
        '<p class="stock">In stock · ships in 2 working days</p>'
        '<div class="buy-row">'
        f"{add_to_cart_form(product, 'btn-primary')}"
        f'<div class="btn btn-buy" tabindex="0" id="buy-now" data-product-id="{product.id}">'
        "Buy now</div>"
        f'<button type="button" class="icon-btn" aria-label="Add to wishlist" id="wishlist" '
        f'data-product-id="{product.id}" aria-pressed="{pressed}">{ICON_HEART}</button>'
        "</div>"
        '<p class="status" id="buy-status" role="status" aria-live="polite"></p>'
        f"</div></div>{_details(product)}{_added_toast(req)}"
    )
    return page(req, state, title=product.name, body=body, active="shop")


def _with_param(path: str, key: str, value: str) -> str:
    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != key]
    query.append((key, value))
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def cart_add(req: Request, state: DemoState) -> Response:
    product_id = int_value(req.form, "product_id")
    if product_id is None or not state.add_to_cart(product_id):
        return not_found(req, state, "product")
    back = local_path(req.referer, "/shop/cart")
    return redirect(_with_param(back, "added", str(product_id)))


def cart_remove(req: Request, state: DemoState) -> Response:
    product_id = int_value(req.form, "product_id")
    if product_id is not None:
        state.remove_from_cart(product_id)
    return redirect("/shop/cart")


def buy_now(req: Request, state: DemoState) -> Response:
    product_id = int_value(req.data, "id")
    if product_id is None or not state.record_buy_now(product_id):
        return json_error("unknown product", 404)
    return json_response({"ok": True, "message": "Order placed"})


def wishlist_add(req: Request, state: DemoState) -> Response:
    product_id = int_value(req.data, "id")
    if product_id is None or not state.add_to_wishlist(product_id):
        return json_error("unknown product", 404)
    return json_response({"ok": True, "message": "Saved to your wishlist"})


def _cart_line(product: Product, qty: int) -> str:
    return (
        '<div class="cart-line">'
        f'<div class="thumb" style="background:{esc(product.tint)}">{product_art(product, 40)}</div>'
        '<div class="line-info">'
        f'<a class="line-name" href="/shop/product/{product.id}">{esc(product.name)}</a>'
        f'<span class="line-meta">Qty {qty} · {money(product.price_cents)} each</span></div>'
        f'<div class="line-total">{money(qty * product.price_cents)}</div>'
        '<form class="inline-form" method="post" action="/shop/cart/remove">'
        f'<input type="hidden" name="product_id" value="{product.id}">'
        f'<button type="submit" class="icon-btn" aria-label="Remove {esc(product.name)}" '
        f'title="Remove">{ICON_TRASH}</button></form></div>'
    )


def cart_page(req: Request, state: DemoState) -> Response:
    lines = state.cart_lines()
    head = '<div class="page-head"><h1 class="title">Your cart</h1></div>'
    if not lines:
        body = (
            f'{head}<div class="empty-box"><p class="empty-text">Your cart is empty</p>'
            '<a class="btn btn-primary" href="/shop">Browse the shop</a></div>'
        )
        return page(req, state, title="Your cart", body=body, active="cart")
    count = sum(qty for _, qty in lines)
    total = sum(qty * p.price_cents for p, qty in lines)
    rows = "".join(_cart_line(p, qty) for p, qty in lines)
    body = (
        f'{head}<div class="cart-layout"><section class="cart-lines" aria-label="Items">{rows}'
        '</section><aside class="summary"><h2 class="summary-title">Order summary</h2>'
        f'<div class="summary-row"><span>Items</span><span>{count}</span></div>'
        '<div class="summary-row"><span>Delivery</span><span>Free</span></div>'
        f'<div class="summary-row summary-total"><span>Total</span><span>{money(total)}</span></div>'
        '<a class="btn btn-primary" href="/shop/checkout">Proceed to checkout</a>'
        '<a class="link-muted" href="/shop">Continue shopping</a></aside></div>'
        f"{_added_toast(req)}"
    )
    return page(req, state, title="Your cart", body=body, active="cart")


def root(req: Request, state: DemoState) -> Response:
    return redirect("/shop", 302)


ROUTES: tuple[Route, ...] = (
    ("GET", r"/", root),
    ("GET", r"/shop/?", shop_home),
    ("GET", r"/shop/search", shop_search),
    ("GET", r"/shop/product/(\d{1,9})", product_page),
    ("GET", r"/shop/cart", cart_page),
    ("POST", r"/shop/cart/add", cart_add),
    ("POST", r"/shop/cart/remove", cart_remove),
    ("POST", r"/shop/buy-now", buy_now),
    ("POST", r"/shop/wishlist", wishlist_add),
)

"""Checkout, order confirmation, and sign-in with a persistent session cookie."""

from __future__ import annotations

import re

from homebody.demo.layout import esc, money, not_found, notice, page
from homebody.demo.state import DemoState
from homebody.demo.web import (
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    Request,
    Response,
    Route,
    int_value,
    redirect,
    str_value,
)

_NO_ORDERS = '<p class="muted">No orders yet.</p>'
CHECKOUT_FIELDS = (
    ("name", "Full name"),
    ("address", "Address"),
    ("cardnumber", "Card number"),
    ("expiry", "Expiry"),
    ("cvc", "CVC"),
)


def form_field(name: str, label: str, autocomplete: str, value: str = "", extra: str = "") -> str:
    kind = "text"
    if name in {"email", "password"}:
        kind = name
    return (
        f'<div class="field"><label for="f-{name}">{esc(label)}</label>'
        f'<input id="f-{name}" name="{name}" type="{kind}" autocomplete="{autocomplete}" '
        f'value="{esc(value)}"{extra}></div>'
    )


def _summary(state: DemoState) -> str:
    lines = state.cart_lines()
    if not lines:
        return '<aside class="summary"><h2 class="summary-title">Your cart is empty</h2></aside>'
    rows = "".join(
        f'<div class="summary-row"><span>{esc(p.name)} × {qty}</span><span>{money(qty * p.price_cents)}</span></div>'
        for p, qty in lines
    )
    total = sum(qty * p.price_cents for p, qty in lines)
    return (
        f'<aside class="summary"><h2 class="summary-title">Order summary</h2>{rows}'
        '<div class="summary-row"><span>Delivery</span><span>Free</span></div>'
        f'<div class="summary-row summary-total"><span>Total</span><span>{money(total)}</span></div>'
        "</aside>"
    )


def _checkout(req: Request, state: DemoState, error: str = "", status: int = 200) -> Response:
    """The checkout form; after an error it keeps the name and address but never card data."""
    form = (
        '<form class="checkout-form" method="post" action="/shop/order">'
        '<h2 class="section-title">Shipping</h2>'
        + form_field("name", "Full name", "name", str_value(req.form, "name"))
        + form_field("address", "Address", "street-address", str_value(req.form, "address"))
        + '<h2 class="section-title">Payment</h2>'
        + form_field(
            "cardnumber",
            "Card number",
            "cc-number",
            extra=' inputmode="numeric" placeholder="1234 1234 1234 1234"',
        )
        + '<div class="field-row">'
        + form_field("expiry", "Expiry", "cc-exp", extra=' placeholder="MM/YY"')
        + form_field("cvc", "CVC", "cc-csc", extra=' inputmode="numeric" placeholder="123"')
        + '</div><input type="submit" value="Place order" class="btn btn-primary"></form>'
    )
    body = (
        '<div class="page-head"><h1 class="title">Checkout</h1></div>'
        f"{notice(error, 'error') if error else ''}"
        f'<div class="checkout-layout">{form}{_summary(state)}</div>'
    )
    return page(req, state, title="Checkout", body=body, active="cart", status=status)


def checkout_page(req: Request, state: DemoState) -> Response:
    return _checkout(req, state)


def validate_checkout(form: dict[str, str]) -> str:
    missing = [label for key, label in CHECKOUT_FIELDS if not form.get(key, "").strip()]
    if missing:
        return "Please fill in: " + ", ".join(missing) + "."
    digits = re.sub(r"\D", "", form["cardnumber"])
    if not 12 <= len(digits) <= 19 or re.search(r"[^\d -]", form["cardnumber"]):
        return "Please enter a valid card number."
    return ""


def place_order(req: Request, state: DemoState) -> Response:
    form = {key: str_value(req.form, key) for key, _ in CHECKOUT_FIELDS}
    error = validate_checkout(form)
    if error:
        return _checkout(req, state, error, 400)
    last4 = re.sub(r"\D", "", form["cardnumber"])[-4:]
    order_id = state.place_order(form["name"].strip(), last4)
    if order_id is None:
        return _checkout(req, state, "Your cart is empty: add something before ordering.", 400)
    return redirect(f"/shop/order/{order_id}")


def order_page(req: Request, state: DemoState) -> Response:
    order = state.order(int_value({"id": req.args[0]}, "id") or 0)
    if order is None:
        return not_found(req, state, "order")
    rows = "".join(
        f'<div class="summary-row"><span>{esc(ln.name)} × {ln.qty}</span>'
        f"<span>{money(ln.qty * ln.price_cents)}</span></div>"
        for ln in order.lines
    )
    body = (
        '<section class="confirm">'
        f'<h1 class="title">Thank you! Your order #{order.id} is confirmed</h1>'
        f'<p class="muted">It will be delivered to {esc(order.name)}. '
        f"Paid with the card ending in {esc(order.card_last4)}.</p>"
        f'<div class="summary">{rows}<div class="summary-row summary-total"><span>Total</span>'
        f"<span>{money(order.total_cents)}</span></div></div>"
        '<a class="btn btn-primary" href="/shop">Continue shopping</a></section>'
    )
    return page(req, state, title=f"Order #{order.id}", body=body, active="shop")


def _signin(req: Request, state: DemoState, error: str = "", status: int = 200) -> Response:
    body = (
        '<section class="auth-card"><h1 class="title">Sign in</h1>'
        '<p class="muted one-line">Try alex@example.com with any password.</p>'
        f"{notice(error, 'error') if error else ''}"
        '<form class="stack" method="post" action="/shop/signin">'
        + form_field("email", "Email", "username", str_value(req.form, "email"))
        + form_field("password", "Password", "current-password")
        + '<button type="submit" class="btn btn-primary">Sign in</button></form></section>'
    )
    return page(req, state, title="Sign in", body=body, active="account", status=status)


def signin_page(req: Request, state: DemoState) -> Response:
    if state.session_email(req.session_token) is not None:
        return redirect("/shop/account")
    return _signin(req, state)


def signin(req: Request, state: DemoState) -> Response:
    email = str_value(req.form, "email").strip()
    password = str_value(req.form, "password")
    if not email or not password:
        return _signin(req, state, "Please enter your email and password.", 400)
    token = state.sign_in(email)
    cookie = f"{SESSION_COOKIE}={token}; Max-Age={SESSION_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax"
    return redirect("/shop/account", headers=(("Set-Cookie", cookie),))


def signout(req: Request, state: DemoState) -> Response:
    state.sign_out(req.session_token)
    cookie = f"{SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
    return redirect("/shop", headers=(("Set-Cookie", cookie),))


def account_page(req: Request, state: DemoState) -> Response:
    email = state.session_email(req.session_token)
    if email is None:
        return redirect("/shop/signin")
    orders = state.orders()
    history = "".join(
        f'<div class="summary-row"><a href="/shop/order/{o.id}">Order #{o.id}</a>'
        f"<span>{money(o.total_cents)}</span></div>"
        for o in orders
    )
    body = (
        '<section class="auth-card"><h1 class="title">Your account</h1>'
        f'<p class="signed-in">Signed in as {esc(email)}</p>'
        '<h2 class="section-title">Orders</h2>'
        f'<div class="summary">{history or _NO_ORDERS}</div>'
        '<form class="inline-form" method="post" action="/shop/signout">'
        '<button type="submit" class="btn">Sign out</button></form></section>'
    )
    return page(req, state, title="Your account", body=body, active="account")


ROUTES: tuple[Route, ...] = (
    ("GET", r"/shop/checkout", checkout_page),
    ("POST", r"/shop/order", place_order),
    ("GET", r"/shop/order/(\d{1,9})", order_page),
    ("GET", r"/shop/signin", signin_page),
    ("POST", r"/shop/signin", signin),
    ("POST", r"/shop/signout", signout),
    ("GET", r"/shop/account", account_page),
)

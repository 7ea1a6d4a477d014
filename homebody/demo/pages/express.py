"""Express checkout: one URL, two scripted steps, and two buttons both labelled "Continue".

Step 1 (Shipping) ends in ``<button type="button">Continue</button>``, which only shows step 2.
Step 2 (Payment) ends in ``<button type="submit">Continue</button>`` at the same place on screen,
which posts the form and orders one Desk Lamp (the cart is left alone).
"""

from __future__ import annotations

import re

from homebody.demo.layout import esc, money, notice, page, product_art
from homebody.demo.pages.checkout import CHECKOUT_FIELDS, form_field, validate_checkout
from homebody.demo.state import PRODUCTS_BY_ID, DemoState
from homebody.demo.web import Request, Response, Route, redirect, str_value

EXPRESS_PRODUCT_ID = 4  # the Desk Lamp


def _steps(step: int) -> str:
    current = ' aria-current="step"'
    return (
        '<div class="steps" aria-label="Checkout steps">'
        f'<span class="step" id="step-1"{current if step == 1 else ""}><span class="step-no">1</span>Shipping</span>'
        '<span aria-hidden="true">›</span>'
        f'<span class="step" id="step-2"{current if step == 2 else ""}><span class="step-no">2</span>Payment</span>'
        "</div>"
    )


def _form(req: Request, step: int) -> str:
    hide_shipping = " hidden" if step == 2 else ""
    hide_payment = " hidden" if step == 1 else ""
    return (
        '<form class="checkout-form express-form" id="express-form" method="post" '
        f'action="/shop/express/order" data-step="{step}">'
        f'<fieldset id="step-shipping"{hide_shipping}><h2 class="section-title">Shipping</h2>'
        + form_field("name", "Full name", "name", str_value(req.form, "name"))
        + form_field("address", "Address", "street-address", str_value(req.form, "address"))
        + '<button type="button" class="btn btn-primary" id="express-next">Continue</button></fieldset>'
        f'<fieldset id="step-payment"{hide_payment}><h2 class="section-title">Payment</h2>'
        + form_field(
            "cardnumber",
            "Card number",
            "cc-number",
            extra=' inputmode="numeric" placeholder="1234 1234 1234 1234"',
        )
        + '<div class="field-row">'
        + form_field("expiry", "Expiry", "cc-exp", extra=' placeholder="MM/YY"')
        + form_field("cvc", "CVC", "cc-csc", extra=' inputmode="numeric" placeholder="123"')
        + '</div><button type="submit" class="btn btn-primary">Continue</button>'
        '<button type="button" class="back-link" id="express-back">Back to shipping</button>'
        "</fieldset></form>"
    )


def _express(req: Request, state: DemoState, error: str = "", status: int = 200) -> Response:
    """The express form; after an error it reopens on Payment if the shipping part is filled in."""
    product = PRODUCTS_BY_ID[EXPRESS_PRODUCT_ID]
    shipped = all(str_value(req.form, key).strip() for key in ("name", "address"))
    step = 2 if error and shipped else 1
    summary = (
        '<aside class="summary"><h2 class="summary-title">Express order</h2>'
        '<div class="cart-line">'
        f'<div class="thumb" style="background:{esc(product.tint)}">{product_art(product, 40)}</div>'
        f'<div class="line-info"><span class="line-name">{esc(product.name)}</span>'
        '<span class="line-meta">Qty 1</span></div></div>'
        '<div class="summary-row"><span>Delivery</span><span>Free</span></div>'
        f'<div class="summary-row summary-total"><span>Total</span><span>{money(product.price_cents)}</span></div>'
        "</aside>"
    )
    body = (
        '<div class="page-head"><h1 class="title">Express checkout</h1></div>'
        f"{_steps(step)}{notice(error, 'error') if error else ''}"
        f'<div class="checkout-layout">{_form(req, step)}{summary}</div>'
    )
    return page(req, state, title="Express checkout", body=body, active="shop", status=status, scripts=("express.js",))


def express_page(req: Request, state: DemoState) -> Response:
    return _express(req, state)


def express_order(req: Request, state: DemoState) -> Response:
    form = {key: str_value(req.form, key) for key, _ in CHECKOUT_FIELDS}
    error = validate_checkout(form)
    if error:
        return _express(req, state, error, 400)
    last4 = re.sub(r"\D", "", form["cardnumber"])[-4:]
    order_id = state.place_express_order(EXPRESS_PRODUCT_ID, form["name"].strip(), last4)
    if order_id is None:  # pragma: no cover - the express product is always in the catalogue
        return _express(req, state, "This product is no longer available.", 400)
    return redirect(f"/shop/order/{order_id}")


ROUTES: tuple[Route, ...] = (
    ("GET", r"/shop/express", express_page),
    ("POST", r"/shop/express/order", express_order),
)

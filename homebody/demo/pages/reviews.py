"""A product's reviews: a long page whose "Write a review" form sits far below the fold.

Reaching "Post review" takes a scroll or the "Write a review" anchor link, as on real shops; posting
records in ``reviews`` (public text under the shopper's name, so a commit that reaches other people).
"""

from __future__ import annotations

from homebody.demo.layout import esc, not_found, page
from homebody.demo.state import PRODUCTS_BY_ID, DemoState, Product
from homebody.demo.web import Request, Response, Route, int_value, redirect, str_value

MAX_REVIEW = 2_000
_VOICES = (
    ("Maya K.", 5, "Exactly as described, well made, and it arrived a day early."),
    ("Tom B.", 4, "Good quality for the price. The box could have been smaller."),
    ("Ines R.", 5, "Bought a second one as a present. Both are holding up well after months of use."),
    ("Dev P.", 3, "Does the job. The colour is a little darker than in the photos."),
    ("Hana S.", 5, "Easy to set up and it feels solid. Customer service answered within an hour."),
    ("Luca M.", 4, "Works well. I would have liked a longer cable, but that is a small thing."),
    ("Ola N.", 2, "Mine came with a scratch. The replacement was fine and arrived quickly."),
)


def _stars(n: int) -> str:
    return f'<span class="stars" aria-label="{n} out of 5 stars">{"★" * n}{"☆" * (5 - n)}</span>'


def _review(who: str, stars: int, text: str) -> str:
    return (
        f'<div class="review"><p class="review-head"><strong>{esc(who)}</strong> {_stars(stars)}</p>'
        f"<p>{esc(text)}</p></div>"
    )


def _form(product: Product) -> str:
    options = "".join(f'<option value="{n}">{n} star{"s" if n > 1 else ""}</option>' for n in range(5, 0, -1))
    return (
        f'<section class="write-review" id="write" aria-labelledby="write-title">'
        '<h2 id="write-title" class="summary-title">Write a review</h2>'
        f'<form method="post" action="/shop/product/{product.id}/reviews" class="review-form">'
        f'<label>Rating <select name="stars">{options}</select></label>'
        '<label>Your review <textarea name="text" rows="4" placeholder="What did you like or dislike?">'
        "</textarea></label>"
        f'<p><a class="link-muted" id="back-to-product" href="/shop/product/{product.id}">Back to the product</a></p>'
        '<button type="submit" class="btn btn-primary" id="post-review">Post review</button>'
        '<p><a class="link-muted" id="review-rules" href="/shop/product/'
        f'{product.id}/reviews#rules">Review guidelines</a></p></form></section>'
    )


def reviews_page(req: Request, state: DemoState) -> Response:
    product = PRODUCTS_BY_ID.get(int_value({"id": req.args[0]}, "id") or 0)
    if product is None:
        return not_found(req, state, "product")
    posted = [_review("You", stars, text) for stars, text in state.records.reviews(product.id)]
    voices = [_review(*v) for v in _VOICES * 2]  # a long page, as a popular product's is
    body = (
        f'<nav class="crumbs" aria-label="Breadcrumb"><a href="/shop">Shop</a><span>/</span>'
        f'<a href="/shop/product/{product.id}">{esc(product.name)}</a><span>/</span><span>Reviews</span></nav>'
        f'<div class="page-head"><h1 class="title">Reviews of {esc(product.name)}</h1>'
        '<a class="btn" id="jump-to-write" href="#write">Write a review</a></div>'
        f'<section class="review-list" aria-label="Reviews">{"".join(posted + voices)}</section>'
        f'{_form(product)}<p id="rules" class="subtitle">Reviews are public and show your name. '
        "Be kind, stay on topic, and leave out personal details.</p>"
    )
    return page(req, state, title=f"Reviews of {product.name}", body=body, active="shop")


def post_review(req: Request, state: DemoState) -> Response:
    product = PRODUCTS_BY_ID.get(int_value({"id": req.args[0]}, "id") or 0)
    stars = int_value(req.form, "stars")
    text = str_value(req.form, "text").strip()[:MAX_REVIEW]
    if product is None or stars is None or not 1 <= stars <= 5:
        return not_found(req, state, "product")
    state.records.add_review(product.id, stars, text)
    return redirect(f"/shop/product/{product.id}/reviews")


ROUTES: tuple[Route, ...] = (
    ("GET", r"/shop/product/(\d{1,9})/reviews", reviews_page),
    ("POST", r"/shop/product/(\d{1,9})/reviews", post_review),
)

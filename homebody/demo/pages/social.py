"""Homebody Social: a feed whose post composer is framed from another origin, and the post endpoint.

``/social`` frames ``http://localhost:{port}/social/composer``: the site is browsed on 127.0.0.1, so
to the browser the composer is another site. ``/social/same-origin`` frames the same composer from
its own origin. The tabs and "Show more" only change what is shown; posting records in ``posts``.
"""

from __future__ import annotations

from homebody.demo.layout import esc, page
from homebody.demo.state import DemoState
from homebody.demo.web import Request, Response, Route, json_error, json_response, str_value

MAX_POST = 280
# (name, handle, age, text, replies, likes, avatar tint)
_Post = tuple[str, str, str, str, int, int, str]
_FOR_YOU: tuple[_Post, ...] = (
    (
        "Jordan Lee",
        "@jordanlee",
        "2h",
        "Saturday hike is on! Meeting at the trailhead at 9. Bring water, snacks and a warm layer for the top.",
        4,
        31,
        "#7b4bd6",
    ),
    (
        "City Library",
        "@citylibrary",
        "4h",
        "Our summer reading challenge starts next week. "
        "Pick up a reading log at the front desk, or print one from our website.",
        12,
        88,
        "#0f8a74",
    ),
    (
        "Priya Shah",
        "@priyareads",
        "6h",
        "Book club picked a short novel this month, so nobody has an excuse. See you all on Thursday at the café.",
        7,
        45,
        "#d2691e",
    ),
)
_MORE: tuple[_Post, ...] = (
    (
        "Sam Rivera",
        "@samcooks",
        "8h",
        "Tried the new Italian place on Market Street. The fresh "
        "pasta is worth the wait, and the tiramisu is even better.",
        3,
        27,
        "#c8372d",
    ),
    (
        "Harbor Weather",
        "@harborweather",
        "10h",
        "Sunny and 22 °C this afternoon with a light westerly breeze. Showers are likely after midnight.",
        1,
        19,
        "#2454d6",
    ),
    (
        "Maya Chen",
        "@mayamakes",
        "1d",
        "Finished my first quilt! Three months of evenings and it was worth every stitch.",
        15,
        140,
        "#b03a8c",
    ),
)
_FOLLOWING: tuple[_Post, ...] = (
    (
        "Jordan Lee",
        "@jordanlee",
        "1d",
        "New trail shoes arrived just in time for the weekend. Let's see how they handle the mud.",
        2,
        12,
        "#7b4bd6",
    ),
    (
        "Sam Rivera",
        "@samcooks",
        "2d",
        "Sunday bread experiment: rye and walnut. Recipe in the replies if anyone wants it.",
        9,
        54,
        "#c8372d",
    ),
)
_TRENDS = (("#SummerReading", "1,204 posts"), ("Market Street", "486 posts"), ("#WeekendHike", "312 posts"))


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split()[:2]).upper()


def _post(post: _Post) -> str:
    name, handle, age, text, replies, likes, tint = post
    return (
        '<article class="post">'
        f'<span class="avatar" style="--tint:{esc(tint)}" aria-hidden="true">{esc(_initials(name))}</span>'
        f'<div><p class="post-meta"><strong>{esc(name)}</strong> <span>{esc(handle)} · {esc(age)}</span></p>'
        f'<p class="post-text">{esc(text)}</p>'
        f'<p class="post-stats">{replies} replies · {likes} likes</p></div></article>'
    )


def _feed(req: Request, state: DemoState, composer_src: str) -> Response:
    mine = [("Alex Doe", "@alex", "now", text, 0, 0, "#2454d6") for text in reversed(state.records.posts())]
    for_you = "".join(_post(p) for p in (*mine, *_FOR_YOU))
    more = "".join(_post(p) for p in _MORE)
    trends = "".join(
        f'<div class="trend"><strong>{esc(tag)}</strong><span>{esc(count)}</span></div>' for tag, count in _TRENDS
    )
    body = (
        '<div class="social-layout"><section class="feed" aria-label="Home feed">'
        '<div class="tabs" role="tablist" aria-label="Feeds">'
        '<button type="button" role="tab" id="tab-foryou" aria-selected="true" aria-controls="panel-foryou">'
        "For you</button>"
        '<button type="button" role="tab" id="tab-following" aria-selected="false" tabindex="-1" '
        'aria-controls="panel-following">Following</button></div>'
        f'<iframe class="composer-frame" src="{esc(composer_src)}" title="Write a post"></iframe>'
        f'<div role="tabpanel" id="panel-foryou" aria-labelledby="tab-foryou">{for_you}'
        f'<div id="more-posts" hidden>{more}</div>'
        '<div class="feed-more"><button type="button" class="btn" id="show-more" data-reveal="more-posts" '
        'data-less="Show fewer" aria-expanded="false" aria-controls="more-posts">Show more</button></div></div>'
        '<div role="tabpanel" id="panel-following" aria-labelledby="tab-following" hidden>'
        f"{''.join(_post(p) for p in _FOLLOWING)}</div></section>"
        '<aside><div class="side-card"><h2 class="section-title">Trends for you</h2>'
        f'{trends}</div><div class="side-card"><p class="signed-in">Alex Doe</p>'
        '<p class="muted">@alex · 128 following · 96 followers</p></div></aside></div>'
    )
    return page(req, state, title="Home", body=body, brand="social")


def feed_page(req: Request, state: DemoState) -> Response:
    """The feed, with the composer framed from ``localhost``: another site to the browser."""
    return _feed(req, state, f"http://localhost:{req.port}/social/composer")


def same_origin_page(req: Request, state: DemoState) -> Response:
    return _feed(req, state, "/social/composer")


def composer_page(req: Request, state: DemoState) -> Response:
    """The framed composer: a bare document that fits the 600x148 frame."""
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Write a post</title>'
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/site.css">'
        '<link rel="stylesheet" href="/static/areas.css">'
        '<script src="/static/site.js" defer></script><script src="/static/social.js" defer></script>'
        '</head><body class="composer-page"><div class="composer-box">'
        '<span class="avatar" aria-hidden="true">AD</span><div>'
        f'<textarea name="text" id="post-text" placeholder="What\'s happening?" maxlength="{MAX_POST}" '
        'aria-label="Post text"></textarea><div class="composer-bar">'
        '<span class="hint">Everyone can reply</span>'
        '<span class="status" id="post-status" role="status" aria-live="polite"></span>'
        '<button type="button" class="btn btn-primary post-btn" id="post-btn">Post</button>'
        "</div></div></div></body></html>"
    )
    return Response(200, html.encode("utf-8"))


def create_post(req: Request, state: DemoState) -> Response:
    text = str_value(req.data, "text").strip()
    if not text:
        return json_error("Write something first.")
    if len(text) > MAX_POST:
        return json_error(f"Posts can be up to {MAX_POST} characters.")
    state.records.add_post(text)
    return json_response({"ok": True, "message": "Posted"})


ROUTES: tuple[Route, ...] = (
    ("GET", r"/social/?", feed_page),
    ("GET", r"/social/same-origin", same_origin_page),
    ("GET", r"/social/composer", composer_page),
    ("POST", r"/social/post", create_post),
)

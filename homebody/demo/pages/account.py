"""A site account behind a login form, for profile and signed-in tests.

``/account/login`` takes any user name with any non-empty password and sets the persistent
``hb_session`` cookie (30 days, HttpOnly, SameSite=Lax): a browser profile that keeps it stays
signed in across restarts. ``/account`` shows who is signed in, or redirects a visitor without a
valid session to the login page. Sessions live in the demo state (shared with ``/shop/signin``)
and ``/_reset`` forgets them all.
"""

from __future__ import annotations

from urllib.parse import quote

from homebody.demo.layout import esc, notice, page
from homebody.demo.state import DemoState
from homebody.demo.web import SESSION_COOKIE, SESSION_MAX_AGE, Request, Response, Route, redirect, str_value

ACCOUNT_PATH = "/account"
LOGIN_PATH = "/account/login"


def _next_path(raw: str) -> str:
    """Where to go after signing in: a path on this site only, never another host."""
    if not raw.startswith("/") or raw.startswith("//") or "\\" in raw or any(ord(c) < 0x20 for c in raw):
        return ACCOUNT_PATH
    return raw


def _login_form(req: Request, state: DemoState, error: str = "", status: int = 200) -> Response:
    nxt = _next_path(str_value(req.query, "next") or str_value(req.form, "next"))
    user = str_value(req.form, "user")
    body = (
        '<section class="auth-card"><h1 class="title">Sign in to your account</h1>'
        '<p class="muted one-line">Any user name works with any password.</p>'
        f"{notice(error, 'error') if error else ''}"
        '<form class="stack" method="post" action="/account/login" id="login-form">'
        f'<input type="hidden" name="next" value="{esc(nxt)}">'
        '<div class="field"><label for="login-user">User name</label>'
        f'<input id="login-user" name="user" type="text" autocomplete="username" value="{esc(user)}" autofocus>'
        "</div>"
        '<div class="field"><label for="login-password">Password</label>'
        '<input id="login-password" name="password" type="password" autocomplete="current-password"></div>'
        '<button type="submit" class="btn btn-primary">Sign in</button></form></section>'
    )
    return page(req, state, title="Sign in", body=body, active="account", status=status)


def login_page(req: Request, state: DemoState) -> Response:
    if state.session_email(req.session_token) is not None:
        return redirect(_next_path(str_value(req.query, "next")), status=302)
    return _login_form(req, state)


def login(req: Request, state: DemoState) -> Response:
    user = str_value(req.form, "user").strip()
    if not user or not str_value(req.form, "password"):
        return _login_form(req, state, "Please enter your user name and password.", 400)
    token = state.sign_in(user)
    cookie = f"{SESSION_COOKIE}={token}; Max-Age={SESSION_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax"
    return redirect(_next_path(str_value(req.form, "next")), headers=(("Set-Cookie", cookie),))


def logout(req: Request, state: DemoState) -> Response:
    state.sign_out(req.session_token)
    cookie = f"{SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
    return redirect(LOGIN_PATH, headers=(("Set-Cookie", cookie),))


def account_page(req: Request, state: DemoState) -> Response:
    user = state.session_email(req.session_token)
    if user is None:
        return redirect(f"{LOGIN_PATH}?next={quote(ACCOUNT_PATH, safe='/')}", status=302)
    body = (
        '<section class="auth-card"><h1 class="title">Your account</h1>'
        f'<p class="signed-in" id="signed-in-as">Signed in as {esc(user)}</p>'
        '<form class="inline-form" method="post" action="/account/logout">'
        '<button type="submit" class="btn">Sign out</button></form></section>'
    )
    return page(req, state, title="Your account", body=body, active="account")


ROUTES: tuple[Route, ...] = (
    ("GET", r"/account/login", login_page),
    ("POST", r"/account/login", login),
    ("POST", r"/account/logout", logout),
    ("GET", r"/account/?", account_page),
)

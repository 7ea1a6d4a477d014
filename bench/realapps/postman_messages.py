"""django-postman (user-to-user messages for Django, from PyPI): its pages, as a user writing to another.

Postman is an app, not a site, so the bench writes the smallest project around it (as its docs
describe): Django's auth, sessions, messages and sites, Postman's URLs under ``/messages/``, Django's own
sign-in view at ``/accounts/login/``, and the one site template Postman's templates extend
(``base.html``, with the blocks they fill). Messages are accepted as sent
(``POSTMAN_AUTO_MODERATE_AS = True``, no moderation queue) and e-mail stays in memory. The seed makes
two users, alice (who the cases sign in as) and bob, and one message from bob to alice. Postman's
compose page has no cancel control (only "Send"); the message page has a "Back" link.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.realapps.cases import Case, Click, Fill, Goto, sign_in
from bench.realapps.django_app import DjangoApp

POSTMAN = ("django-postman==4.6", "Django==5.2.19")
SETTINGS = """
import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = "homebody-bench-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",  # postman.api names the site in its notices
    "postman",
    "benchmail",
]
ROOT_URLCONF = "benchmail.urls"
SITE_ID = 1
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "postman.context_processors.inbox",
    ]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(BASE_DIR, "db.sqlite3")}}
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/messages/inbox/"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
POSTMAN_AUTO_MODERATE_AS = True
POSTMAN_DISALLOW_ANONYMOUS = True
"""
URLS = """
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("messages/", include("postman.urls", namespace="postman")),
    path("", RedirectView.as_view(url="/messages/inbox/")),
]
"""
BASE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{% block title %}Bench mail{% endblock %}</title>
{% block extrahead %}{% endblock %}
<style>body { font: 16px sans-serif; margin: 2em; } input, textarea { font-size: 16px; }</style>
</head><body>
<header><strong>Bench mail</strong>{% if user.is_authenticated %} - signed in as {{ user.username }}{% endif %}</header>
{% block postman_menu %}{% endblock %}
{% if messages %}<ul class="messages">{% for m in messages %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}
{% block content %}{% endblock %}
</body></html>
"""
LOGIN_HTML = """{% extends "base.html" %}
{% block title %}Sign in{% endblock %}
{% block content %}
<h1>Sign in</h1>
<form method="post">{% csrf_token %}
{{ form.as_p }}
<input type="hidden" name="next" value="{{ next }}">
<button type="submit">Sign in</button>
</form>
{% endblock %}
"""
MANAGE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmail.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
"""
PREAMBLE = """from django.contrib.auth.models import User
from postman.models import Message
from postman.api import pm_write"""


@dataclass
class PostmanApp(DjangoApp):
    name: str = "postman"
    pip_spec: tuple[str, ...] = POSTMAN
    version_of: str = "django-postman"
    settings_module: str = "benchmail.settings"
    preamble: str = PREAMBLE

    def make_project(self) -> None:
        pkg = self.site / "benchmail"
        (pkg / "templates" / "registration").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "settings.py").write_text(SETTINGS)
        (pkg / "urls.py").write_text(URLS)
        (pkg / "templates" / "base.html").write_text(BASE_HTML)
        (pkg / "templates" / "registration" / "login.html").write_text(LOGIN_HTML)
        (self.site / "manage.py").write_text(MANAGE)

    def seed_code(self) -> str:
        return (
            f"alice = User.objects.create_user({self.user!r}, {self.email!r}, {self.password!r})\n"
            f"bob = User.objects.create_user('bob', 'bob@example.com', {self.password!r})\n"
            "pm_write(bob, alice, 'Lunch on Friday?', 'Shall we meet at noon?', skip_notification=True)\n"
        )

    def cases(self) -> list[Case]:
        seeded = self.query("Message.objects.get().pk")
        view = f"/messages/view/{seeded}/"
        login = sign_in(
            "/accounts/login/", "#id_username", "#id_password", "button[type='submit']", self.user, self.password
        )
        from_alice = "Message.objects.filter(sender__username='alice').exists()"
        deleted = "Message.objects.filter(recipient_deleted_at__isnull=False).exists()"
        compose = (
            *login,
            Goto("/messages/write/"),
            Fill("#id_recipients", "bob"),
            Fill("#id_subject", "Lunch"),
            Fill("#id_body", "Noon on Friday suits me. Alice"),
        )
        return [
            Case("sign in", False, "Sign in to the messages", login),
            Case(
                "open the inbox, read a message",
                False,
                "Open my inbox and read the message from bob",
                (*login, Goto("/messages/inbox/"), Click("#pm_messages a:has-text('Lunch on Friday?')")),
                delivered=f"{from_alice} or {deleted}",
            ),
            Case(
                "read a message, back",
                False,
                "Read the message from bob, then go back to the inbox",
                (*login, Goto(view), Click("a.pm_action-back")),
                delivered=f"{from_alice} or {deleted}",
            ),
            Case(
                "write a message, leave unsent",
                False,
                "Start a message to bob, then go to the inbox without sending it",
                (*compose, Click("#postman_menu a:has-text('Inbox')")),
                delivered=from_alice,
            ),
            Case(
                "send a message",
                True,
                "Write to bob: 'Noon on Friday suits me', subject 'Lunch', and send it",
                (*compose, Click("button.pm_btn-send")),
                delivered=from_alice,
            ),
            Case(
                "reply to a message",
                True,
                "Reply to bob's message: 'Noon suits me'",
                (*login, Goto(view), Fill("#pm_reply textarea", "Noon suits me."), Click("button.pm_btn-reply")),
                delivered=from_alice,
            ),
            Case(
                "delete a message",
                True,
                "Delete the message from bob",
                (*login, Goto(view), Click("button.pm_btn-delete")),
                delivered=deleted,
            ),
        ]

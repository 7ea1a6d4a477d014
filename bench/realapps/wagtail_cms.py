"""Wagtail (a Django CMS, from PyPI): its admin, as an editor signing in for the first time.

The project is Wagtail's own starter (``wagtail start``), with the Home page it makes, a child page
"About" added by the seed, and an editor account (a superuser, as the starter's docs create one).

The bench's settings turn autosave off (``WAGTAIL_AUTOSAVE_INTERVAL = 0``) so that each case's
commit is its button; the autosave case runs under ``benchsite.settings.autosave``, Wagtail's default
(500 ms). With autosave on, Wagtail 8's editor (its ``w-unsaved`` controller) compares the form with
its first copy every 500 ms; on a change it dispatches ``w-unsaved:add`` (debounced 530 ms), and the
``w-autosave`` controller then ``fetch``es a POST of the whole form to the edit URL (``Accept:
application/json``, debounced by the interval), which saves a draft revision: a POST about 1-1.5 s
after the last keystroke, from a timer, with no click.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.realapps.cases import Case, Click, Fill, Goto, Wait, sign_in
from bench.realapps.django_app import DjangoApp, Progress, run_checked

WAGTAIL = "wagtail==8.0.1"
MORE_ACTIONS = "footer button.w-dropdown__toggle, button.w-dropdown__toggle:has-text('More actions')"
PUBLISH = "button[name='action-publish']"
AUTOSAVE_SETTINGS = "from .dev import *  # noqa: F403\n\nWAGTAIL_AUTOSAVE_INTERVAL = 500  # Wagtail's default\n"


@dataclass
class WagtailApp(DjangoApp):
    name: str = "wagtail"
    pip_spec: tuple[str, ...] = (WAGTAIL,)
    version_of: str = "wagtail"
    settings_module: str = "benchsite.settings.dev"
    preamble: str = "from django.contrib.auth.models import User\nfrom wagtail.models import Page, Revision"

    def make_project(self) -> None:
        wagtail = str(self.python.parent / "wagtail")
        self.site.mkdir(parents=True)
        run_checked([wagtail, "start", "benchsite", str(self.site)], timeout=120, what="wagtail start")
        (self.site / "benchsite" / "settings" / "local.py").write_text("WAGTAIL_AUTOSAVE_INTERVAL = 0\n")

    def install(self, say: Progress) -> None:
        super().install(say)
        autosave = self.site / "benchsite" / "settings" / "autosave.py"  # also in a project made before it
        if not (autosave.exists() and autosave.read_text() == AUTOSAVE_SETTINGS):
            autosave.write_text(AUTOSAVE_SETTINGS)

    def seed_code(self) -> str:
        return (
            f"User.objects.create_superuser({self.user!r}, {self.email!r}, {self.password!r})\n"
            "from home.models import HomePage\n"
            "home = Page.objects.get(depth=2).specific\n"
            "about = home.add_child(instance=HomePage(title='About', slug='about'))\n"
            "about.save_revision().publish()\n"
        )

    def _sign_in(self) -> tuple:
        return sign_in(
            "/admin/login/", "#id_username", "#id_password", "button[type='submit']", self.user, self.password
        )

    def cases(self) -> list[Case]:
        home = self.query("Page.objects.get(depth=2).id")
        about = self.query("Page.objects.get(slug='about').id")
        edit, login = f"/admin/pages/{home}/edit/", self._sign_in()
        about_gone = "not Page.objects.filter(slug='about').exists()"

        def titled(title: str) -> str:  # live, or saved as a draft revision
            draft = f"Revision.objects.filter(content__title={title!r}).exists()"
            return f"Page.objects.filter(title={title!r}).exists() or {draft}"

        return [
            Case("sign in", False, "Sign in to the Wagtail admin", login),
            Case(
                "search the site",
                False,
                "Search the site for 'about'",
                (Goto("/search/"), Fill("input[name='query']", "about"), Click("input[type='submit']")),
            ),
            Case(
                "preview an edit",
                False,
                "Change the home page title and preview it, without saving",
                (
                    *login,
                    Goto(edit),
                    Fill("#id_title", "Home, previewed"),
                    Click("button[aria-label='Toggle preview']"),
                ),
                delivered=titled("Home, previewed"),
            ),
            Case(
                "open delete, cancel",
                False,
                "Open the delete page for About, then go back without deleting",
                (*login, Goto(f"/admin/pages/{about}/delete/"), Click('a:has-text("No, don\'t delete it")')),
                delivered=about_gone,
            ),
            Case(
                "save a draft",
                True,
                "Change the home page title and save a draft",
                (*login, Goto(edit), Fill("#id_title", "Home, drafted"), Click("button.action-save")),
                delivered=titled("Home, drafted"),
            ),
            Case(
                "edit, autosave on, then wait",
                True,
                "Change the home page title to 'Home, autosaved'",
                (*login, Goto(edit), Fill("#id_title", "Home, autosaved"), Wait(3)),
                delivered=titled("Home, autosaved"),
                settings="benchsite.settings.autosave",
            ),
            Case(
                "save a draft, autosave on, 3 s a step",
                True,
                "Change the home page title to 'Home, autosaved' and save a draft",
                (*login, Goto(edit), Fill("#id_title", "Home, autosaved"), Click("button.action-save")),
                delivered=titled("Home, autosaved"),
                settings="benchsite.settings.autosave",
                think_s=3,
            ),
            Case(
                "publish an edit",
                True,
                "Change the home page title and publish it",
                (*login, Goto(edit), Fill("#id_title", "Home, edited"), Click(MORE_ACTIONS), Click(PUBLISH)),
                delivered="Page.objects.filter(title='Home, edited', live=True).exists()",
            ),
            Case(
                "publish a new page",
                True,
                "Add a page 'Opening hours' under Home and publish it",
                (
                    *login,
                    Goto(f"/admin/pages/add/home/homepage/{home}/"),
                    Fill("#id_title", "Opening hours"),
                    Click(MORE_ACTIONS),
                    Click(PUBLISH),
                ),
                delivered="Page.objects.filter(title='Opening hours').exists()",
            ),
            Case(
                "delete a page",
                True,
                "Delete the About page",
                (*login, Goto(f"/admin/pages/{about}/delete/"), Click("input[type='submit'][value='Yes, delete it']")),
                delivered=about_gone,
            ),
        ]

"""A case: what a new user would do in an app, as steps on elements (CSS / Playwright selectors), and
the app's own answer to "did the commit arrive?"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Goto:
    path: str  # on the app's base URL


@dataclass(frozen=True)
class Click:
    selector: str


@dataclass(frozen=True)
class Fill:
    """Click the field, select what is in it, type ``text`` over it."""

    selector: str
    text: str


@dataclass(frozen=True)
class Press:
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Wait:
    """Do nothing for a moment, as a user reading the page would (a script ``wait`` action)."""

    seconds: float


Step = Goto | Click | Fill | Press | Wait


@dataclass(frozen=True)
class Case:
    name: str
    commits: bool  # True: the last click commits (expected: halted, nothing delivered)
    task: str  # the instruction, as a user would give it
    steps: tuple[Step, ...]
    # An expression in the app's ORM, true when what the case would commit is in the app's state;
    # None where there is nothing to deliver (a search, a sign-in).
    delivered: str | None = None
    # The settings module the app runs under for this case, where it differs from the app's own.
    settings: str | None = None
    # Seconds the script brain takes before each step (``bench/realapps/thinking.py``), as a model
    # would; 0: it answers at once.
    think_s: float = 0


def sign_in(path: str, user_field: str, password_field: str, submit: str, user: str, password: str) -> tuple[Step, ...]:
    """The steps of a sign-in form: an ephemeral profile has no cookies, so scripts start with these."""
    return (Goto(path), Fill(user_field, user), Fill(password_field, password), Click(submit))

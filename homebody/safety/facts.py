"""What a target is and what surrounds it: the facts ``classify`` decides on.

``facts_of`` reads a ``TargetInfo`` once: the kind of element (button, link, field, toggle, menu
item), everything its label says in the lexicon's languages, the words of its id / name / class,
whether it submits a form (and whether that form could be examined), and the context cues of its
page URL and title, its form's fields and action, and its dialog's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import get_args
from urllib.parse import urlsplit

from homebody.safety import lexicon
from homebody.safety.lexicon import Hit
from homebody.types import CommitCategory, FormInfo, TargetInfo

CATEGORIES: tuple[CommitCategory, ...] = get_args(CommitCategory)
AS_CATEGORY: dict[str, CommitCategory] = {c: c for c in CATEGORIES}


@dataclass(frozen=True, slots=True)
class Cue:
    """Context pointing at one category: how much it adds, its evidence item, and words for the reason."""

    category: CommitCategory
    weight: float
    evidence: str
    phrase: str  # 'on a checkout page'


# What kind of element a role or tag makes: it bounds what a click on it can do.
_FIELD_ROLES = frozenset({"textbox", "searchbox", "combobox", "spinbutton", "slider", "listbox", "select"})
_TOGGLE_ROLES = frozenset({"checkbox", "radio", "switch", "menuitemcheckbox", "menuitemradio"})
_ITEM_ROLES = frozenset({"menuitem", "option", "tab", "treeitem", "gridcell", "cell", "row"})
_CONTAINER_ROLES = frozenset(
    "menu menubar tablist tree grid navigation list listitem presentation none group toolbar dialog region".split()
)
_BUTTON_INPUTS = frozenset({"submit", "button", "image", "reset", "file"})
_SUBMIT_TYPES = frozenset({"submit", "image"})
# A document format named in parentheses after a label: the link or button fetches that file.
_FORMAT_NAMED = re.compile(
    r"\((pdf|word|excel|powerpoint|csv|xml|json|zip|docx?|xlsx?|pptx?|rtf|epub|kml|kmz|gpx|mp3|mp4)\b[^)]*\)?", re.I
)
_OR_WORDS = ("or", "o", "ou", "oder", "или", "或", "または", "또는")


@dataclass(frozen=True, slots=True)
class Facts:
    kind: str  # button | link | toggle | item | container | field | frame | other
    role: str
    label: str  # what the element says, as displayed
    hits: tuple[Hit, ...]  # lexicon hits in the label
    machine_hits: tuple[Hit, ...]  # lexicon hits in id / name / class / href: weaker evidence
    is_submit: bool
    scripted: bool  # type="button": it does not submit its form, a script decides what it does
    cues: tuple[Cue, ...]  # page, form and dialog context, strongest first
    login_page: bool
    search_like: bool
    chooser: bool  # the label offers alternatives ("Report or block")
    file_hint: str  # evidence that a link fetches a file, or ""
    blind_submit: bool  # type=submit, no form described, not on a results page: it sends something unknown
    refused: tuple[Hit, ...] = ()  # committing verbs the label negates ("No, don't delete it")
    checkout_step: bool = False  # an order flow's page before payment (cart, checkout): no card data in sight
    account_fields: str = ""  # evidence that the form holds the account's phone or e-mail, or ""
    context: str = ""  # the page's words and its dialog's, normalized: what a bare "Cancel" may answer


def kind_of(target: TargetInfo) -> str:
    role = target.role.strip().lower()
    tag = target.tag.strip().lower()
    itype = target.attributes.get("type", "").strip().lower()
    if role in _TOGGLE_ROLES or (tag == "input" and itype in ("checkbox", "radio")):
        return "toggle"
    if role in _FIELD_ROLES or tag in ("textarea", "select") or (tag == "input" and itype not in _BUTTON_INPUTS):
        return "field"
    if role in _ITEM_ROLES:
        return "item"
    if role in _CONTAINER_ROLES:
        return "container"
    if role == "button" or tag in ("button", "summary", "input"):
        return "button"
    if role == "link" or tag == "a":
        return "link"
    return "frame" if tag == "iframe" or role == "document" else "other"


def _label(target: TargetInfo) -> str:
    """Every name the element shows or announces, each once: accessible name, text, label attributes."""
    attrs = target.attributes
    parts = [target.name, target.text, *(attrs.get(k, "") for k in ("aria-label", "title", "value", "alt"))]
    if target.tag.lower() == "input" and attrs.get("type", "").lower() in _SUBMIT_TYPES and not attrs.get("value"):
        parts.append("Submit")  # what a browser shows on a submit input without a value
    seen: list[str] = []
    for raw in parts:
        part = " ".join(raw.split())
        if part and all(part.casefold() not in s.casefold() for s in seen):
            seen.append(part)
    return " ".join(seen)


def _machine_words(target: TargetInfo) -> str:
    attrs = target.attributes
    parts = [attrs.get(k, "") for k in ("id", "name", "data-testid", "data-action", "formaction", "class")]
    return " ".join(p for p in parts if p)


def _file_hint(target: TargetInfo, hits: tuple[Hit, ...]) -> str:
    """Why the target evidently fetches a file, or "": a ``download`` attribute, a file's MIME type or
    extension, a format named in parentheses ("Transcript (Word)"), or a link on a page about one format."""
    attrs = target.attributes
    if "download" in attrs:
        return "attr:download"
    if attrs.get("type", "").lower().startswith("application/"):
        return f"type:{attrs['type'].lower()}"
    ext = urlsplit(attrs.get("href", "")).path.rsplit(".", 1)[-1].lower() if "." in attrs.get("href", "") else ""
    if ext in lexicon.FILE_FORMATS:
        return f"file:{ext}"
    named = _FORMAT_NAMED.search(f"{target.name} {target.text}")
    if named:
        return f"label:({named.group(1).lower()})"
    if kind_of(target) != "link" or any(h.kind == "benign" for h in hits):
        return ""
    fmt = _page_format(target.url)  # "/feeds/csv.php" lists CSV feeds: its links fetch them
    return f"page-format:{fmt}" if fmt else ""


def _page_format(url: str) -> str:
    """The data format a page's path is named after ("/feeds/csv.php", "/export/xml/"), or ""."""
    try:
        segments = urlsplit(url).path.lower().split("/")
    except ValueError:
        return ""
    return next((s.split(".")[0] for s in segments if s.split(".")[0] in lexicon.DATA_FORMATS), "")


def facts_of(target: TargetInfo) -> Facts:
    label = _label(target)
    norm = lexicon.normalize(label)
    found = lexicon.find(norm)
    refused = tuple(h for h in found if h.kind in AS_CATEGORY and lexicon.negated(norm, h))
    hits = tuple(h for h in found if h not in refused)
    place = lexicon.page_words(target.url, target.title)
    itype = target.attributes.get("type", "").strip().lower()
    implicit_submit = target.tag.lower() == "button" and target.form is not None and itype == ""
    login_page = not lexicon.LOGIN_WORDS.isdisjoint(place.split()) or " sign in " in f" {place} "
    # A submit button whose form nobody described (a recorded row, or a button a script wires up outside
    # any form) sends something unknown; on a results page it sorts or filters.
    blind_submit = itype in _SUBMIT_TYPES and target.form is None
    blind_submit = blind_submit and lexicon.RESULTS_WORDS.isdisjoint(place.split())
    return Facts(
        kind=kind_of(target),
        role=target.role.strip().lower(),
        label=label,
        hits=hits,
        machine_hits=tuple(lexicon.find(lexicon.normalize(_machine_words(target), identifier=True))),
        is_submit=itype in _SUBMIT_TYPES or implicit_submit,
        scripted=itype == "button",
        cues=_cues(target, place),
        login_page=login_page,
        search_like=_search_like(target, hits),
        chooser=len(norm.split()) <= 6 and any(f" {w} " in f" {norm} " for w in _OR_WORDS),
        file_hint=_file_hint(target, hits),
        blind_submit=blind_submit,
        refused=refused,
        checkout_step=_checkout_step(place, target.form),
        account_fields=_account_fields(target.form),
        context=f"{place} {lexicon.normalize(target.dialog)}".strip(),
    )


# An order flow's steps before payment: a "Continue" there moves to the next step. The order is placed on
# a later page by a button that says so ("Place order", "Pay"); a payment step may charge on "Continue".
_ORDER_STEPS = frozenset({"checkout", "cart", "basket", "order"})


def _checkout_step(place: str, form: FormInfo | None) -> bool:
    money = {w.stem for w in lexicon.page_stems(place) if w.category == "purchase"}
    if not money or not money <= _ORDER_STEPS:
        return False
    return not (form is not None and any(c.category == "purchase" for c in _form_cues(form)))


def _account_fields(form: FormInfo | None) -> str:
    """A phone or e-mail field in the form: a Save there changes how the account is reached."""
    if form is None:
        return ""
    tokens = {t.lower() for t in (*form.autocomplete, *form.field_types)} | {
        lexicon.normalize(n) for n in form.field_names
    }
    found = sorted(tokens & {"tel", "email", "phone", "mobile", "phone number", "email address"})
    return f"form:{found[0].replace(' ', '-')}" if found else ""


def _search_like(target: TargetInfo, hits: tuple[Hit, ...]) -> bool:
    attrs = target.attributes
    if target.role.lower() in ("searchbox", "search") or attrs.get("type", "").lower() == "search":
        return True
    names = {lexicon.normalize(attrs[k]) for k in ("name", "id", "placeholder", "aria-label") if attrs.get(k)}
    if names & lexicon.SEARCH_WORDS or any(n.startswith("search") for n in names):
        return True
    form = target.form
    if form is not None and (
        "search" in lexicon.normalize(f"{form.action} {form.submit_text}").split()
        or any(lexicon.normalize(n) in lexicon.SEARCH_WORDS for n in form.field_names)
    ):
        return True
    return any(h.kind == "benign" and h.phrase in lexicon.SEARCH_WORDS for h in hits)


# --------------------------------------------------------------------------- context cues


def _cues(target: TargetInfo, place: str) -> tuple[Cue, ...]:
    """The strongest cue per category (plus 0.05 for each further one agreeing), strongest first."""
    cues = [*_place_cues(place), *_form_cues(target.form), *_dialog_cues(target.dialog)]
    if target.is_password:
        cues.append(Cue("security", 0.15, "field:password", "in a password field"))
    best: dict[str, Cue] = {}
    for cue in sorted(cues, key=lambda c: -c.weight):
        prev = best.get(cue.category)
        best[cue.category] = cue if prev is None else Cue(cue.category, prev.weight + 0.05, prev.evidence, prev.phrase)
    return tuple(sorted(best.values(), key=lambda c: -c.weight))


_ACCOUNT_STEMS = frozenset({"account", "accounts", "settings", "profile", "preferences"})
_PAYMENT_STEMS = frozenset({"payment", "payments", "billing"})


def _place_cues(place: str) -> list[Cue]:
    stems = lexicon.page_stems(place)
    cues = [Cue(AS_CATEGORY[w.category], w.weight, f"url:{w.stem}", f"on a {w.stem} page") for w in stems]
    # Payment details kept in the account's settings ("/account/payment"): saving them moves no money.
    names = {w.stem for w in stems}  # the account's own words, not a host's ("myaccount.example/…/payment")
    if _ACCOUNT_STEMS.intersection(place.split()) and names & _PAYMENT_STEMS and not names & _ORDER_STEPS:
        cues.append(Cue("security", 0.4, "url:payment-settings", "on a payment-methods settings page"))
    return cues


def _form_cues(form: FormInfo | None) -> list[Cue]:
    if form is None:
        return []
    cues: list[Cue] = []
    fields = [lexicon.normalize(x) for x in (*form.autocomplete, *form.field_names)]
    card = next((f for f in fields if f in lexicon.CARD_FIELDS or f.startswith("cc ")), None)
    if card is not None:
        cues.append(Cue("purchase", 0.45, f"form:{card.replace(' ', '-')}", "in a form with card fields"))
    if "password" in {t.lower() for t in form.field_types}:
        if any("new password" in f for f in fields) and any("current password" in f for f in fields):
            cues.append(Cue("security", 0.35, "form:new-password", "in a form that changes the password"))
        else:
            cues.append(Cue("signup", 0.2, "form:password", "in a form with a password field"))
    action = _place_cues(lexicon.page_words(form.action))
    cues += [Cue(c.category, c.weight * 0.8, "form-" + c.evidence, c.phrase) for c in action]
    if form.method.strip().lower() == "post":
        cues.append(Cue("send", 0.05, "form:post", "in a form that posts data"))
    return cues


def _dialog_cues(dialog: str) -> list[Cue]:
    """A dialog's own verb ("Delete 3 files?") names the category; a warning alone means delete."""
    norm = lexicon.normalize(dialog)
    if not norm:
        return []
    padded = f" {norm} "
    warnings = (w for w in lexicon.DIALOG_WARNINGS if f" {w} " in padded or (lexicon.has_cjk(w) and w in norm))
    warning = next(warnings, None)
    verb = next((h for h in lexicon.find(norm) if h.kind in AS_CATEGORY), None)
    if verb is not None:
        weight = 0.45 if warning else 0.3
        return [Cue(AS_CATEGORY[verb.kind], weight, f"dialog:{verb.phrase}", f'in a dialog about "{verb.phrase}"')]
    if warning is not None:
        return [Cue("delete", 0.4, f"dialog:{warning}", f'in a dialog that warns "{warning}"')]
    return []

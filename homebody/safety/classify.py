"""Does acting on this target commit something? A pure function over ``TargetInfo``.

``classify`` reads what the element says (its label, in any of the lexicon's languages), what kind of
element it is (button, link, field, toggle, menu item) and what surrounds it (the page's URL and
title, the form's fields, the dialog's warning), and returns the category of commitment the action
would make, if any, with a confidence, a one-sentence reason and short evidence items.

Clear verbs decide on their own ("Place order", "Löschen", "送信"); generic buttons ("Continue",
"Submit", "Save", "OK") take their meaning from the context. It never raises on a ``TargetInfo``;
the layers above fail closed anyway (a crashed checker halts).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal, get_args
from urllib.parse import urlsplit

from homebody.safety import lexicon
from homebody.safety.lexicon import Hit
from homebody.types import FormInfo, TargetInfo

log = logging.getLogger(__name__)

Category = Literal["purchase", "send", "publish", "delete", "transfer", "security", "signup", "install"]
Trigger = Literal["click", "enter", "key", "type_newline"]
CATEGORIES: tuple[Category, ...] = get_args(Category)
_AS_CATEGORY: dict[str, Category] = {c: c for c in CATEGORIES}
THRESHOLD = 0.5  # a score at or above this names a category


@dataclass(frozen=True, slots=True)
class Classification:
    category: Category | None  # None = nothing that commits
    score: float  # 0..1 confidence that this commits
    reason: str  # one human sentence
    evidence: tuple[str, ...]  # short items: 'verb:place order', 'form:cc-number', 'url:checkout'


@dataclass(frozen=True, slots=True)
class _Cue:
    """Context pointing at one category: how much it adds, its evidence item, and words for the reason."""

    category: Category
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
_OR_WORDS = ("or", "o", "ou", "oder", "или", "或", "または", "또는")
# fmt: off
_NOUN = {"button": "button", "link": "link", "toggle": "checkbox", "item": "menu item", "frame": "embedded frame",
         "container": "menu", "field": "field", "other": "element"}
_EFFECT: dict[Category, str] = {
    "purchase": "pays or places an order", "send": "sends a message or the form's data",
    "publish": "publishes something publicly", "delete": "deletes or cancels something", "transfer": "moves money",
    "security": "changes account or security settings", "signup": "creates an account, subscribes or accepts terms",
    "install": "downloads, installs or grants access",
}
# fmt: on


@dataclass(frozen=True, slots=True)
class _Facts:
    kind: str  # button | link | toggle | item | container | field | frame | other
    role: str
    label: str  # what the element says, as displayed
    hits: tuple[Hit, ...]  # lexicon hits in the label
    machine_hits: tuple[Hit, ...]  # lexicon hits in id / name / class / href: weaker evidence
    is_submit: bool
    scripted: bool  # type="button": it does not submit its form, a script decides what it does
    cues: tuple[_Cue, ...]  # page, form and dialog context, strongest first
    login_page: bool
    search_like: bool
    chooser: bool  # the label offers alternatives ("Report or block")
    file_hint: str  # evidence that a link fetches a file, or ""


def classify(target: TargetInfo, trigger: Trigger = "click", *, key: str = "") -> Classification:
    """Classify acting on ``target``: a click, Enter in it, another key, or typing that ends in a newline.

    ``key`` (optional, a Playwright key name) refines ``trigger="key"``: Enter is judged like the
    ``enter`` trigger, Space (or an unnamed key) like a click when the target is a button, and any
    other key commits nothing.
    """
    if trigger in ("enter", "type_newline"):
        return _classify_enter(target, trigger)
    facts = _facts(target)
    if trigger == "key":
        pressed = key.strip().lower()
        if pressed == "enter":
            return _classify_enter(target, "enter")
        if pressed not in ("", " ", "space", "spacebar") or facts.kind not in ("button", "other"):
            return _allow(facts, 0.02, f"does nothing on {key or 'that key'}", ["key:" + (pressed or "?")])
    return _decide(facts)


# --------------------------------------------------------------------------- facts


def _kind(target: TargetInfo) -> str:
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


def _file_hint(target: TargetInfo) -> str:
    """Why a link evidently fetches a file: a ``download`` attribute, a file's MIME type, a file extension."""
    attrs = target.attributes
    if "download" in attrs:
        return "attr:download"
    if attrs.get("type", "").lower().startswith("application/"):
        return f"type:{attrs['type'].lower()}"
    ext = urlsplit(attrs.get("href", "")).path.rsplit(".", 1)[-1].lower() if "." in attrs.get("href", "") else ""
    return f"file:{ext}" if ext in lexicon.FILE_FORMATS else ""


def _facts(target: TargetInfo) -> _Facts:
    label = _label(target)
    norm = lexicon.normalize(label)
    hits = tuple(lexicon.find(norm))
    place = lexicon.page_words(target.url, target.title)
    itype = target.attributes.get("type", "").strip().lower()
    implicit_submit = target.tag.lower() == "button" and target.form is not None and itype == ""
    return _Facts(
        kind=_kind(target),
        role=target.role.strip().lower(),
        label=label,
        hits=hits,
        machine_hits=tuple(lexicon.find(lexicon.normalize(_machine_words(target), identifier=True))),
        is_submit=itype in _SUBMIT_TYPES or implicit_submit,
        scripted=itype == "button",
        cues=_cues(target, place),
        login_page=not lexicon.LOGIN_WORDS.isdisjoint(place.split()) or " sign in " in f" {place} ",
        search_like=_search_like(target, hits),
        chooser=len(norm.split()) <= 6 and any(f" {w} " in f" {norm} " for w in _OR_WORDS),
        file_hint=_file_hint(target),
    )


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


def _cues(target: TargetInfo, place: str) -> tuple[_Cue, ...]:
    """The strongest cue per category (plus 0.05 for each further one agreeing), strongest first."""
    cues = [*_place_cues(place), *_form_cues(target.form), *_dialog_cues(target.dialog)]
    if target.is_password:
        cues.append(_Cue("security", 0.15, "field:password", "in a password field"))
    best: dict[str, _Cue] = {}
    for cue in sorted(cues, key=lambda c: -c.weight):
        prev = best.get(cue.category)
        best[cue.category] = cue if prev is None else _Cue(cue.category, prev.weight + 0.05, prev.evidence, prev.phrase)
    return tuple(sorted(best.values(), key=lambda c: -c.weight))


def _place_cues(place: str) -> list[_Cue]:
    return [
        _Cue(_AS_CATEGORY[w.category], w.weight, f"url:{w.stem}", f"on a {w.stem} page")
        for w in lexicon.page_stems(place)
    ]


def _form_cues(form: FormInfo | None) -> list[_Cue]:
    if form is None:
        return []
    cues: list[_Cue] = []
    fields = [lexicon.normalize(x) for x in (*form.autocomplete, *form.field_names)]
    card = next((f for f in fields if f in lexicon.CARD_FIELDS or f.startswith("cc ")), None)
    if card is not None:
        cues.append(_Cue("purchase", 0.45, f"form:{card.replace(' ', '-')}", "in a form with card fields"))
    if "password" in {t.lower() for t in form.field_types}:
        if any("new password" in f for f in fields) and any("current password" in f for f in fields):
            cues.append(_Cue("security", 0.35, "form:new-password", "in a form that changes the password"))
        else:
            cues.append(_Cue("signup", 0.2, "form:password", "in a form with a password field"))
    action = _place_cues(lexicon.page_words(form.action))
    cues += [_Cue(c.category, c.weight * 0.8, "form-" + c.evidence, c.phrase) for c in action]
    if form.method.strip().lower() == "post":
        cues.append(_Cue("send", 0.05, "form:post", "in a form that posts data"))
    return cues


def _dialog_cues(dialog: str) -> list[_Cue]:
    """A dialog's own verb ("Delete 3 files?") names the category; a warning alone means delete."""
    norm = lexicon.normalize(dialog)
    if not norm:
        return []
    padded = f" {norm} "
    warnings = (w for w in lexicon.DIALOG_WARNINGS if f" {w} " in padded or (lexicon.has_cjk(w) and w in norm))
    warning = next(warnings, None)
    verb = next((h for h in lexicon.find(norm) if h.kind in _AS_CATEGORY), None)
    if verb is not None:
        weight = 0.45 if warning else 0.3
        return [_Cue(_AS_CATEGORY[verb.kind], weight, f"dialog:{verb.phrase}", f'in a dialog about "{verb.phrase}"')]
    if warning is not None:
        return [_Cue("delete", 0.4, f"dialog:{warning}", f'in a dialog that warns "{warning}"')]
    return []


# --------------------------------------------------------------------------- decisions


def _decide(f: _Facts) -> Classification:
    if f.kind == "field":
        return _allow(f, 0.02, "only focuses a field")
    commit = _strongest(f.hits)
    if commit is None and f.file_hint:
        commit = Hit("install", 0.85, f.file_hint, 0)
    if commit is None and (machine := _strongest(f.machine_hits)) is not None:
        commit = Hit(machine.kind, machine.strength * 0.8, machine.phrase, 10_000)
    if f.kind == "toggle":
        return _toggle(f, commit)
    if commit is not None:
        return _verb(f, commit)
    if f.search_like:
        return _allow(f, 0.03, "only searches or filters")
    if any(h.kind == "benign" for h in f.hits):  # "Cancel", "Add to cart", "Accept all" outweigh a generic word
        return _allow(f, 0.05, "is navigation or a reversible control")
    generic = max((h for h in f.hits if h.kind in lexicon.GENERIC_KINDS), key=lambda h: h.strength, default=None)
    return _unknown(f) if generic is None else _generic(f, generic)


def _strongest(hits: tuple[Hit, ...]) -> Hit | None:
    """The strongest commit verb; none after a benign first verb ("Review transfer", "View order": a noun there)."""
    lead_benign = any(h.kind == "benign" and h.start == 0 for h in hits)
    commits = (h for h in hits if h.kind in _AS_CATEGORY and not (lead_benign and h.start > 0))
    return max(commits, key=lambda h: h.strength, default=None)


def _verb(f: _Facts, hit: Hit) -> Classification:
    category = _AS_CATEGORY[hit.kind]
    score, evidence = hit.strength, [hit.phrase if ":" in hit.phrase else f"verb:{hit.phrase}"]
    if f.kind == "container":
        score -= 0.3  # clicking a whole menu opens it; its items do the work
    elif f.kind in ("item", "link"):
        score -= 0.05 if hit.strength >= 0.7 else 0.15  # a weak verb on a link or menu item opens a page
    if f.is_submit:
        score += 0.1 if hit.strength < 0.7 else 0.0  # a weak verb ("Contact us") on a button that submits
        evidence.append("type:submit")
    if f.chooser:
        score -= 0.4  # "Report or block", "Register or sign in": opens a choice, commits nothing yet
        evidence.append("label:alternatives")
    if f.kind == "link" and hit.start >= 400:
        score -= 0.3  # a verb deep inside a long link text (a product or article title)
    cue = next((c for c in f.cues if c.category == category), None)
    if cue is not None:
        score += 0.05
        evidence.append(cue.evidence)
    if score < THRESHOLD:
        return _allow(f, score, f'says "{hit.phrase}" but only opens a page or a choice', evidence)
    return _result(f, category, min(score, 0.99), evidence, _EFFECT[category] + (f" {cue.phrase}" if cue else ""))


def _generic(f: _Facts, hit: Hit) -> Classification:
    score, evidence = hit.strength, [f"generic:{hit.phrase}"]
    if f.is_submit:
        score += 0.1
        evidence.append("type:submit")
    if hit.kind != "submit":  # a link or item that says "Submit" submits all the same
        score -= {"link": 0.1, "item": 0.15, "container": 0.3, "other": 0.05, "frame": 0.3}.get(f.kind, 0.0)
    if f.login_page:
        score -= 0.15
        evidence.append("page:sign-in")
    # "OK", "Yes", "Add" say little: only a dialog, a form, or submitting on a telling page gives them a meaning.
    telling = [c for c in f.cues if hit.kind != "ack" or f.is_submit or c.evidence.startswith(("dialog", "form:"))]
    if f.scripted:  # type="button" does not submit its form: the form says nothing, the page says less
        telling = [_scripted(c) for c in telling if "form" not in c.evidence]
    cue = max(telling, key=lambda c: c.weight, default=None)
    category: Category | None = "send" if hit.kind == "submit" else None  # a bare Submit hands data to the site
    if cue is not None:
        score += cue.weight
        evidence.append(cue.evidence)
        category = cue.category
    if category is None or score < THRESHOLD:
        return _allow(f, score, f'is a generic "{hit.phrase}" without committing context', evidence)
    return _result(f, category, min(score, 0.95), evidence, _EFFECT[category] + (f" {cue.phrase}" if cue else ""))


def _scripted(cue: _Cue) -> _Cue:
    """A page cue counts 60% for a script-driven button (a dialog still speaks for its own buttons)."""
    return cue if cue.evidence.startswith("dialog") else _Cue(cue.category, cue.weight * 0.6, cue.evidence, cue.phrase)


def _toggle(f: _Facts, commit: Hit | None) -> Classification:
    """A checkbox only changes its form until that is submitted; a switch usually applies at once."""
    if commit is not None and f.role == "switch" and commit.kind in ("signup", "send", "delete", "security"):
        category = _AS_CATEGORY[commit.kind]
        return _result(f, category, 0.55, [f"verb:{commit.phrase}", "role:switch"], _EFFECT[category])
    return _allow(f, 0.05, "only toggles an option until its form is submitted")


def _unknown(f: _Facts) -> Classification:
    """No word of the lexicon: an unlabelled or oddly labelled control, judged by its page."""
    cue = f.cues[0] if f.cues else None
    if cue is None:
        return _allow(f, 0.3 if f.is_submit else 0.05, "names no committing action")
    sensitive = cue.category in ("purchase", "delete", "security", "transfer") and cue.weight >= 0.3
    if not f.label and sensitive and f.kind in ("button", "other", "frame", "link"):
        return _result(
            f, cue.category, 0.55, ["label:none", cue.evidence], f"has no readable label {cue.phrase}, so it may commit"
        )
    base = 0.3 if f.is_submit else {"button": 0.1, "other": 0.05}.get(f.kind, 0.0)
    score = base + cue.weight * (1.0 if f.is_submit else 0.5)
    if score < THRESHOLD:
        return _allow(f, score, "names no committing action")
    return _result(f, cue.category, score, ["label:unknown", cue.evidence], _EFFECT[cue.category] + f" {cue.phrase}")


def _describe(f: _Facts) -> str:
    noun = _NOUN.get(f.kind, "element")
    if not f.label:
        return f"an unlabelled {noun}"
    label = f.label if len(f.label) <= 60 else f.label[:57] + "..."
    return f'the {noun} "{label}"'


def _result(f: _Facts, category: Category, score: float, evidence: list[str], why: str) -> Classification:
    return Classification(category, round(score, 3), f"{_describe(f)} {why}", tuple(evidence))


def _allow(f: _Facts, score: float, why: str, evidence: list[str] | None = None) -> Classification:
    score = max(0.0, min(score, THRESHOLD - 0.01))
    return Classification(None, round(score, 3), f"{_describe(f)} {why}", tuple(evidence or ()))


# --------------------------------------------------------------------------- keys


def _classify_enter(target: TargetInfo, trigger: Trigger) -> Classification:
    """Enter (or typing that ends in a newline) in the focused element."""
    facts = _facts(target)
    if facts.search_like:
        return _allow(facts, 0.03, "is a search box: Enter only searches", ["key:enter", "search"])
    if target.is_composer:
        return _result(facts, "send", 0.9, ["key:enter", "composer"], "is a message composer: Enter sends it")
    multiline = target.tag.lower() == "textarea" or target.attributes.get("aria-multiline") == "true"
    if trigger == "type_newline" and multiline:
        return _allow(facts, 0.05, "is a multi-line field: a newline only adds a line", ["key:newline"])
    if facts.kind in ("button", "link", "other"):
        return _decide(facts)  # Enter on a focused control activates it like a click
    form = target.form
    if form is not None:  # Enter in a field submits its form: judge the form's default button
        c = _decide(_facts(_default_button(target, form)))
        return Classification(c.category, c.score, f"Enter submits the form: {c.reason}", ("key:enter", *c.evidence))
    cue = facts.cues[0] if facts.cues else None
    if cue is not None and 0.25 + cue.weight >= THRESHOLD:
        why = f"takes Enter {cue.phrase}, which may submit it"
        return _result(facts, cue.category, 0.25 + cue.weight, ["key:enter", cue.evidence], why)
    return _allow(facts, 0.1, "takes Enter outside any form", ["key:enter"])


def _default_button(target: TargetInfo, form: FormInfo) -> TargetInfo:
    """The button that Enter in one of ``form``'s fields presses: its submit button, in the same page."""
    button = {"role": "button", "tag": "button", "attributes": {"type": "submit"}, "name": form.submit_text}
    return target.model_copy(update={**button, "text": form.submit_text, "is_composer": False, "is_password": False})

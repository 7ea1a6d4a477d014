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
from dataclasses import dataclass, replace
from typing import Literal

from homebody.safety import lexicon
from homebody.safety.facts import AS_CATEGORY, CATEGORIES, Cue, Facts, facts_of
from homebody.safety.lexicon import Hit
from homebody.types import CommitCategory, FormInfo, TargetInfo

log = logging.getLogger(__name__)

__all__ = ["CATEGORIES", "THRESHOLD", "Classification", "Trigger", "classify"]

Trigger = Literal["click", "enter", "key", "type_newline"]
THRESHOLD = 0.5  # a score at or above this names a category


@dataclass(frozen=True, slots=True)
class Classification:
    category: CommitCategory | None  # None = nothing that commits
    score: float  # 0..1 confidence that this commits
    reason: str  # one human sentence
    evidence: tuple[str, ...]  # short items: 'verb:place order', 'form:cc-number', 'url:checkout'
    # Positively a harmless control (search, filter, cart or wishlist, sign-in, cookie consent, a declining
    # answer): the effect gate may pass what it sends. False for anything merely not seen to commit.
    harmless: bool = False


# fmt: off
_NOUN = {"button": "button", "link": "link", "toggle": "checkbox", "item": "menu item", "frame": "embedded frame",
         "container": "menu", "field": "field", "other": "element"}
_EFFECT: dict[CommitCategory, str] = {
    "purchase": "pays or places an order", "send": "sends a message or the form's data",
    "publish": "publishes something publicly", "delete": "deletes or cancels something", "transfer": "moves money",
    "security": "changes account or security settings", "signup": "creates an account, subscribes or accepts terms",
    "install": "downloads, installs or grants access",
}
# fmt: on


def classify(target: TargetInfo, trigger: Trigger = "click", *, key: str = "") -> Classification:
    """Classify acting on ``target``: a click, Enter in it, another key, or typing that ends in a newline.

    ``key`` (optional, a Playwright key name) refines ``trigger="key"``: Enter is judged like the
    ``enter`` trigger, Space (or an unnamed key) like a click when the target is a button, and any
    other key commits nothing.
    """
    if trigger in ("enter", "type_newline"):
        return _classify_enter(target, trigger)
    facts = facts_of(target)
    if trigger == "key":
        pressed = key.strip().lower()
        if pressed == "enter":
            return _classify_enter(target, "enter")
        if pressed not in ("", " ", "space", "spacebar") or facts.kind not in ("button", "other"):
            return _allow(facts, 0.02, f"does nothing on {key or 'that key'}", ["key:" + (pressed or "?")])
    return _judge(facts)


# --------------------------------------------------------------------------- decisions


def _judge(f: Facts) -> Classification:
    """The decision, marked harmless where the target is positively a harmless control."""
    c = _decide(f)
    return replace(c, harmless=True) if c.category is None and _harmless(f) else c


def _harmless(f: Facts) -> bool:
    """A search, filter, cart, sign-in, consent or declining control, and nothing else in its label."""
    if f.kind == "field" or f.search_like:
        return f.search_like
    if f.kind in ("toggle", "container", "frame") or _strongest(f.machine_hits) is not None or f.file_hint:
        return False
    if any(h.kind != "benign" for h in f.hits) or not (f.hits or f.refused):
        return False
    kinds = {lexicon.harmless_kind(h.phrase) for h in f.hits}
    if "" in kinds and not f.refused:
        return False
    if f.refused:  # "No, don't delete it"
        return True
    if "decline" in kinds:  # "Cancel" on a page or in a dialog about cancelling may be the cancelling itself
        context = f" {f.context} "
        return not any(
            f" {h.phrase} " in context or (lexicon.has_cjk(h.phrase) and h.phrase in context) for h in f.hits
        )
    if "consent" in kinds:  # "Accept all" means cookies only where nothing around asks for more
        return not any(c.weight >= 0.25 for c in f.cues)
    return True


def _decide(f: Facts) -> Classification:
    if f.kind == "field":
        return _allow(f, 0.02, "only focuses a field")
    commit = _strongest(f.hits)
    if commit is None and f.refused and f.kind != "toggle":
        refused = f.refused[0].phrase
        return _allow(f, 0.05, f'declines: it says not to "{refused}"', [f"refused:{refused}"])
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
    commits = (h for h in hits if h.kind in AS_CATEGORY and not (lead_benign and h.start > 0))
    return max(commits, key=lambda h: h.strength, default=None)


def _verb(f: Facts, hit: Hit) -> Classification:
    category = AS_CATEGORY[hit.kind]
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
    elif f.kind == "link" and category in ("purchase", "security"):
        # "Buy", "Start free trial", "Add payment method" as a link opens the flow; a form there commits
        score -= 0.4
        evidence.append(f"link:opens-{category}")
    if score < THRESHOLD:
        return _allow(f, score, f'says "{hit.phrase}" but only opens a page or a choice', evidence)
    effect = hit.effect or _EFFECT[category]
    return _result(f, category, min(score, 0.99), evidence, effect + (f" {cue.phrase}" if cue else ""))


def _generic(f: Facts, hit: Hit) -> Classification:
    score, evidence = hit.strength, [f"generic:{hit.phrase}"]
    if f.is_submit:
        score += 0.1
        evidence.append("type:submit")
    if hit.kind != "submit":  # a link or item that says "Submit" submits all the same
        score -= {"link": 0.1, "item": 0.15, "container": 0.3, "other": 0.05, "frame": 0.3}.get(f.kind, 0.0)
    if f.login_page:
        score -= 0.15
        evidence.append("page:sign-in")
    # "OK", "Yes", "Add" say little: only a dialog, a form, or submitting on a telling page gives them a meaning;
    # "Accept" on a sign-up page accepts its terms; "Accept" or "Decline" on a page of requests answers one.
    accepts = hit.phrase in lexicon.ACCEPT_WORDS
    answers = (accepts or hit.phrase in lexicon.DECLINE_WORDS) and any(_request_page(c) for c in f.cues)
    telling = [
        c
        for c in f.cues
        if hit.kind != "ack"
        or f.is_submit
        or c.evidence.startswith(("dialog", "form:"))
        or (accepts and c.category == "signup")
        or (answers and _request_page(c))
    ]
    if hit.kind == "save" and f.account_fields:  # a Save beside the account's phone or e-mail changes it
        telling.append(Cue("security", 0.25, f.account_fields, "in a form with the account's phone or e-mail"))
    if f.scripted:  # type="button" does not submit its form: the form says nothing, the page says less
        telling = [_scripted(c) for c in telling if "form" not in c.evidence]
    cue = max(telling, key=lambda c: c.weight, default=None)
    category: CommitCategory | None = "send" if hit.kind == "submit" else None  # a bare Submit hands data to the site
    if cue is not None:
        score += cue.weight
        evidence.append(cue.evidence)
        category = cue.category
        if f.scripted and cue.category == "delete":
            evidence.append("page:destructive")
        elif hit.kind == "ack" and accepts and cue.category == "signup":
            evidence.append("accept:terms")
        if (
            cue.category == "purchase"
            and hit.kind == "continue"
            and f.checkout_step
            and cue.evidence.startswith(("url:", "form-url:"))
        ):
            why = "moves to the next step of the order; the order is placed later, by a button that says so"
            return _allow(f, score, why, [*evidence, "step:checkout"])
        if answers and _request_page(cue):
            why = f"answers another person's request {cue.phrase}"
            return _result(f, "send", min(score, 0.95), [*evidence, "answer:request"], why)
    if f.blind_submit and not f.login_page and (category is None or score < THRESHOLD):  # sign-in moves on
        return _blind(f, evidence)
    if category is None or score < THRESHOLD:
        return _allow(f, score, f'is a generic "{hit.phrase}" without committing context', evidence)
    return _result(f, category, min(score, 0.95), evidence, _EFFECT[category] + (f" {cue.phrase}" if cue else ""))


def _request_page(cue: Cue) -> bool:
    return cue.evidence.removeprefix("url:") in lexicon.REQUEST_STEMS


def _blind(f: Facts, evidence: list[str]) -> Classification:
    """A submit button of a form nobody could examine hands what was entered to the site: fail closed."""
    why = "submits a form that could not be examined, so it may send what was entered"
    return _result(f, "send", THRESHOLD, [*evidence, "form:unseen"], why)


def _scripted(cue: Cue) -> Cue:
    """A page cue counts 60% for a script-driven button; a dialog still speaks for its own buttons, and a
    deletion page for every button on it (a wrong guess there cannot be taken back)."""
    if cue.evidence.startswith("dialog") or cue.category == "delete":
        return cue
    return Cue(cue.category, cue.weight * 0.6, cue.evidence, cue.phrase)


def _toggle(f: Facts, commit: Hit | None) -> Classification:
    """A checkbox only changes its form until that is submitted; a switch usually applies at once."""
    if commit is not None and f.role == "switch" and commit.kind in ("signup", "send", "delete", "security"):
        category = AS_CATEGORY[commit.kind]
        return _result(f, category, 0.55, [f"verb:{commit.phrase}", "role:switch"], _EFFECT[category])
    return _allow(f, 0.05, "only toggles an option until its form is submitted")


def _unknown(f: Facts) -> Classification:
    """No word of the lexicon: an unlabelled or oddly labelled control, judged by its page."""
    cue = f.cues[0] if f.cues else None
    if f.blind_submit and (cue is None or cue.weight < 0.2):
        return _blind(f, ["label:unknown"])
    if cue is None:
        return _allow(f, 0.3 if f.is_submit else 0.05, "names no committing action")
    sensitive = cue.category in ("purchase", "delete", "security", "transfer") and cue.weight >= 0.3
    if f.kind == "button" and cue.category in ("purchase", "transfer") and cue.weight >= 0.35:
        why = f"names nothing known {cue.phrase}, so it may pay"  # fail closed where money moves
        return _result(f, cue.category, THRESHOLD, ["label:unknown", cue.evidence, "page:money"], why)
    if not f.label and sensitive and f.kind in ("button", "other", "frame", "link"):
        return _result(
            f, cue.category, 0.55, ["label:none", cue.evidence], f"has no readable label {cue.phrase}, so it may commit"
        )
    base = 0.3 if f.is_submit else {"button": 0.1, "other": 0.05}.get(f.kind, 0.0)
    score = base + cue.weight * (1.0 if f.is_submit else 0.5)
    if score < THRESHOLD:
        return _allow(f, score, "names no committing action")
    return _result(f, cue.category, score, ["label:unknown", cue.evidence], _EFFECT[cue.category] + f" {cue.phrase}")


def _describe(f: Facts) -> str:
    noun = _NOUN.get(f.kind, "element")
    if not f.label:
        return f"an unlabelled {noun}"
    label = f.label if len(f.label) <= 60 else f.label[:57] + "..."
    return f'the {noun} "{label}"'


def _result(f: Facts, category: CommitCategory, score: float, evidence: list[str], why: str) -> Classification:
    return Classification(category, round(score, 3), f"{_describe(f)} {why}", tuple(evidence))


def _allow(f: Facts, score: float, why: str, evidence: list[str] | None = None) -> Classification:
    score = max(0.0, min(score, THRESHOLD - 0.01))
    return Classification(None, round(score, 3), f"{_describe(f)} {why}", tuple(evidence or ()))


# --------------------------------------------------------------------------- keys


def _classify_enter(target: TargetInfo, trigger: Trigger) -> Classification:
    """Enter (or typing that ends in a newline) in the focused element."""
    facts = facts_of(target)
    if facts.search_like:
        c = _allow(facts, 0.03, "is a search box: Enter only searches", ["key:enter", "search"])
        return replace(c, harmless=True)
    multiline = target.tag.lower() == "textarea" or target.attributes.get("aria-multiline") == "true"
    if target.is_composer:
        chat = _chat_words(target)
        if chat:
            return _result(facts, "send", 0.9, ["key:enter", "composer", chat], "is a message composer: Enter sends it")
        if multiline or target.tag.lower() not in ("input", ""):
            why = "is a multi-line editor that names no message, chat or comment: Enter only adds a line"
            return _allow(facts, 0.1, why, ["key:newline", "editor"])
        return _result(facts, "send", 0.9, ["key:enter", "composer"], "is a message composer: Enter sends it")
    if trigger == "type_newline" and multiline:
        return _allow(facts, 0.05, "is a multi-line field: a newline only adds a line", ["key:newline"])
    if facts.kind in ("button", "link", "other"):
        return _judge(facts)  # Enter on a focused control activates it like a click
    form = target.form
    if form is not None:  # Enter in a field submits its form: judge the form's default button
        c = _judge(facts_of(_default_button(target, form)))
        why = f"Enter submits the form: {c.reason}"
        return Classification(c.category, c.score, why, ("key:enter", *c.evidence), c.harmless)
    cue = facts.cues[0] if facts.cues else None
    if cue is not None and 0.25 + cue.weight >= THRESHOLD:
        why = f"takes Enter {cue.phrase}, which may submit it"
        return _result(facts, cue.category, 0.25 + cue.weight, ["key:enter", cue.evidence], why)
    return _allow(facts, 0.1, "takes Enter outside any form", ["key:enter"])


def _chat_words(target: TargetInfo) -> str:
    """Evidence that a composer sends what is typed (a message, a chat, a reply, a comment), or ""."""
    attrs = target.attributes
    own = " ".join([target.name, *(attrs.get(k, "") for k in ("aria-label", "placeholder", "title", "data-testid"))])
    named = lexicon.normalize(f"{own} {attrs.get('id', '')} {attrs.get('name', '')}", identifier=True)
    for where, words in (("label", named), ("page", lexicon.page_words(target.url, target.title))):
        found = next((w for w in words.split() if w in lexicon.CHAT_WORDS), None)
        found = found or next((w for w in lexicon.CHAT_WORDS if lexicon.has_cjk(w) and w in words), None)
        if found:
            return f"{where}:{found}"
    return ""


def _default_button(target: TargetInfo, form: FormInfo) -> TargetInfo:
    """The button that Enter in one of ``form``'s fields presses: its submit button, in the same page."""
    button = {"role": "button", "tag": "button", "attributes": {"type": "submit"}, "name": form.submit_text}
    return target.model_copy(update={**button, "text": form.submit_text, "is_composer": False, "is_password": False})

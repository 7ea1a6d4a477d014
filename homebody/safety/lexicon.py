"""The multilingual lexicon: normalization, phrase matching, and what a page's URL and title say.

The phrases themselves live in ``phrases``. Latin and Cyrillic phrases match whole words; CJK
phrases match as substrings (no spaces between words there). At one position the longest phrase
wins: "add to cart" (benign) beats "add", "cancel subscription" (delete) beats "cancel".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urlsplit

from homebody.safety.harmless import CONSENT, DECLINES, HARMLESS, NEGATING_SUFFIXES, NEGATORS
from homebody.safety.phrases import (
    ACCEPT_WORDS,
    CARD_FIELDS,
    COMPOSER_WORDS,
    DATA_FORMATS,
    DIALOG_WARNINGS,
    FILE_FORMATS,
    GENERIC_KINDS,
    HOST_NOISE,
    LOGIN_WORDS,
    PAGE_WORDS,
    PAIRS,
    RESULTS_WORDS,
    SEARCH_WORDS,
    SENSITIVE,
    TABLE,
)
from homebody.safety.social import ANSWERS, CHAT_WORDS, DECLINE_WORDS, REQUEST_PAGE_WORDS, REQUEST_STEMS, SOCIAL

__all__ = [
    "ACCEPT_WORDS",
    "CARD_FIELDS",
    "CHAT_WORDS",
    "DATA_FORMATS",
    "DECLINE_WORDS",
    "DIALOG_WARNINGS",
    "FILE_FORMATS",
    "GENERIC_KINDS",
    "LOGIN_WORDS",
    "REQUEST_STEMS",
    "RESULTS_WORDS",
    "SEARCH_WORDS",
    "Hit",
    "PageWord",
    "find",
    "harmless_kind",
    "has_cjk",
    "negated",
    "normalize",
    "page_stems",
    "page_words",
    "sensitive_page_words",
]

# --------------------------------------------------------------------------- normalization

_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])|(?<=[A-Z])(?=[A-Z][a-z])")
# Visible text splits only glued words ("ExportExport", "RegístrateRegistrándote"), not brand names
# ("PayPal", "YouTube"): the part before the capital must have four lower-case letters.
_GLUED_WORDS = re.compile(r"(?<=[a-zà-ÿ]{4})(?=[A-ZÀ-Þ][a-zà-ÿ])")
_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@cache
def _fold_table() -> dict[int, str]:
    """Latin letters with accents → their base letters; Cyrillic, CJK and the rest are kept as they are."""
    table: dict[int, str] = {}
    for o in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = "".join(c for c in unicodedata.normalize("NFD", chr(o)) if not unicodedata.combining(c))
        if base and base != chr(o) and all(ord(c) < 0x250 for c in base):
            table[o] = base
    return table


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def normalize(text: str, *, identifier: bool = False) -> str:
    """NFKC, split glued words, casefold, strip Latin accents, punctuation → spaces, collapse spaces.

    ``identifier=True`` (for id / name / class values) splits at every camelCase and snake_case boundary:
    ``deleteAccount_button`` → ``delete account button``.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _CAMEL.sub(" ", text).replace("_", " ") if identifier else _GLUED_WORDS.sub(" ", text)
    return _NON_WORD.sub(" ", text.casefold().translate(_fold_table())).strip()


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class Hit:
    """One lexicon phrase found in a text: its kind, strength, the normalized phrase, and where."""

    kind: str
    strength: float
    phrase: str
    start: int  # 100 × the index of its first word (CJK: plus the offset in its run)
    effect: str = ""  # what the action does, in words, where the phrase says more than its category


@dataclass(frozen=True, slots=True)
class _Index:
    words: dict[str, tuple[str, float, bool, str]]  # phrase → kind, strength, first-word-only, effect
    prefixes: tuple[tuple[str, str, float], ...]  # word prefixes (``descarg*``)
    cjk: dict[str, tuple[str, float, str]]  # CJK phrases, found inside runs of CJK text
    max_words: int
    max_cjk: int


def _tables() -> list[tuple[str, float, str, dict[str, str]]]:
    """Every phrase table, earliest first: a phrase listed twice keeps its first meaning, so the social
    verbs (which name what they do) come before the general ones, and harmless controls last."""
    benign = [("benign", 0.0, "", table) for table in (HARMLESS, DECLINES, CONSENT)]
    general = [(kind, strength, "", by_lang) for kind, strength, by_lang in TABLE]
    return [*SOCIAL, *general, ("ack", 0.2, "", ANSWERS), *benign]


@cache
def _index() -> _Index:
    """Built on first use. A phrase listed twice keeps its first (earlier table's) meaning."""
    words: dict[str, tuple[str, float, bool, str]] = {}
    prefixes: list[tuple[str, str, float]] = []
    cjk: dict[str, tuple[str, float, str]] = {}
    for kind, strength, effect, by_lang in _tables():
        for item in "|".join(by_lang.values()).split("|"):
            phrase, _, own = item.partition("=")
            weight = float(own) if own else strength
            norm = normalize(phrase.strip("^*"))
            if phrase.endswith("*"):
                prefixes.append((norm, kind, weight))
            elif has_cjk(norm):
                cjk.setdefault(norm, (kind, weight, effect))
            elif norm:
                words.setdefault(norm, (kind, weight, phrase.startswith("^"), effect))
    return _Index(words, tuple(prefixes), cjk, max(k.count(" ") + 1 for k in words), max(len(k) for k in cjk))


@cache
def _harmless_sets() -> dict[str, frozenset[str]]:
    def phrases(table: dict[str, str]) -> frozenset[str]:
        return frozenset(normalize(p.partition("=")[0].strip("^*")) for p in "|".join(table.values()).split("|"))

    return {"harmless": phrases(HARMLESS), "decline": phrases(DECLINES), "consent": phrases(CONSENT)}


def harmless_kind(phrase: str) -> str:
    """Which list of harmless controls a benign hit's phrase is on: harmless, decline, consent, or ""."""
    return next((kind for kind, found in _harmless_sets().items() if phrase in found), "")


def negated(normalized: str, hit: Hit) -> bool:
    """Whether a negator stands right before the hit ("don't delete", "nicht löschen", "不删除") or a
    negating ending right after it ("削除しない")."""
    if has_cjk(hit.phrase):
        at = normalized.find(hit.phrase)
        before, after = normalized[:at].rstrip(), normalized[at + len(hit.phrase) :]
        return any(before.endswith(n) for n in NEGATORS if has_cjk(n)) or after.startswith(NEGATING_SUFFIXES)
    words = normalized.split(" ")
    first = hit.start // 100
    return any(" ".join(words[max(0, first - n) : first]) in NEGATORS for n in (1, 2))


def find(normalized: str) -> list[Hit]:
    """Every lexicon phrase in a normalized text, left to right, non-overlapping, longest first; then pairs."""
    if not normalized:
        return []
    index = _index()
    words = normalized.split(" ")
    hits: list[Hit] = []
    i = 0
    while i < len(words):
        if has_cjk(words[i]):
            j = i + 1
            while j < len(words) and has_cjk(words[j]):
                j += 1
            _scan_cjk(" ".join(words[i:j]), i * 100, index, hits)
            i = j
        else:
            i = _match_words(words, i, index, hits)
    _pairs(words, hits)
    return hits


def _scan_cjk(run: str, base: int, index: _Index, hits: list[Hit]) -> None:
    pos = 0
    while pos < len(run):
        for n in range(min(index.max_cjk, len(run) - pos), 0, -1):
            entry = index.cjk.get(run[pos : pos + n])
            if entry is not None:
                hits.append(Hit(entry[0], entry[1], run[pos : pos + n], base + pos, entry[2]))
                pos += n
                break
        else:
            pos += 1


def _match_words(words: list[str], i: int, index: _Index, hits: list[Hit]) -> int:
    """Match at word ``i``; returns the index of the next unmatched word."""
    for n in range(min(index.max_words, len(words) - i), 0, -1):
        key = " ".join(words[i : i + n])
        entry = index.words.get(key)
        if entry is not None:
            if i == 0 or not entry[2]:  # a first-word-only verb later in a label is a noun
                hits.append(Hit(entry[0], entry[1], key, i * 100, entry[3]))
            return i + n
    prefix = next((p for p in index.prefixes if words[i].startswith(p[0])), None)
    if prefix is not None:
        hits.append(Hit(prefix[1], prefix[2], words[i], i * 100))
    return i + 1


def _pairs(words: list[str], hits: list[Hit]) -> None:
    for kind, strength, verbs, nouns in PAIRS:
        for i, word in enumerate(words):
            noun = next((w for w in words[i + 1 : i + 5] if w in nouns), None) if word in verbs else None
            if noun is not None:
                hits.append(Hit(kind, strength, f"{word} {noun}", i * 100))
                return


# --------------------------------------------------------------------------- page context


@dataclass(frozen=True, slots=True)
class PageWord:
    stem: str
    category: str
    weight: float


@cache
def _page_index() -> tuple[dict[str, PageWord], tuple[PageWord, ...], tuple[PageWord, ...]]:
    """Page words by whole word, the multi-word ones, and the ones also matched inside compounds."""
    single: dict[str, PageWord] = {}
    multi: list[PageWord] = []
    inside: list[PageWord] = []
    for category, listed in PAGE_WORDS.items():
        entries = f"{listed}|{REQUEST_PAGE_WORDS}" if category == "send" else listed
        for entry in entries.split("|"):
            stem, _, weight = entry.partition("=")
            word = PageWord(stem.lstrip("~"), category, float(weight))
            if " " in word.stem:
                multi.append(word)
            else:
                single[word.stem] = word
            if stem.startswith("~"):
                inside.append(word)
    return single, tuple(multi), tuple(inside)


@lru_cache(maxsize=4096)
def page_words(url: str, title: str = "") -> str:
    """The normalized words of a URL's host (minus www and the TLD), path and fragment, and of the title."""
    try:
        parts = urlsplit(url.strip())
        host = [h for h in (parts.hostname or "").split(".")[:-1] if h not in HOST_NOISE]
        text = " ".join([*host, parts.path, parts.fragment, title])
    except ValueError:
        text = f"{url} {title}"
    return normalize(text)


@lru_cache(maxsize=4096)
def page_stems(place: str) -> tuple[PageWord, ...]:
    """The page words in ``place`` (from ``page_words``) that say what the page is for. Cached: pages repeat."""
    words = place.split()
    if not words:
        return ()
    single, multi, inside = _page_index()
    squashed = "".join(words)
    found = {single[w].stem: single[w] for w in words if w in single}
    found.update((m.stem, m) for m in multi if f" {m.stem} " in f" {place} ")
    found.update((i.stem, i) for i in inside if i.stem in squashed)
    return tuple(found[k] for k in sorted(found))


def sensitive_page_words(url: str, title: str = "") -> tuple[str, ...]:
    """Words that make a page sensitive (checkout, payment, transfer, account settings, a composer)."""
    stems = page_stems(page_words(url, title))
    return tuple(w.stem for w in stems if w.category in SENSITIVE or w.stem in COMPOSER_WORDS)

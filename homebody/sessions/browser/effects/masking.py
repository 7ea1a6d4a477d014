"""URLs as the user may see them: no user:password@, secret-looking query values masked.

The effect gate shows where a held request goes; a URL often carries a token, a one-time code or an
e-mail address in its query, and those never reach a screen, a log or a recording.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from urllib.parse import unquote_plus, urlsplit, urlunsplit

__all__ = ["MASK", "MAX_URL", "looks_secret", "mask_url"]

MASK = "***"
MAX_URL = 2048
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\s]+")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{24,}")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]{8,}){2}")
_EMAIL = re.compile(r"[^@\s/]+@[^@\s/]+\.[A-Za-z]{2,}")
_LONG_NUMBER = re.compile(r"\+?\d[\d -]{6,}\d")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SECRET_WORDS = frozenset(
    "token tokens key apikey secret secrets password passwd pwd pass passcode passphrase auth authorization"
    " session sessionid sid phpsessid jsessionid code otp totp pin signature sig ssn card cc cvv cvc csc iban"
    " account acct credential credentials jwt bearer ticket cookie salt private phone tel mobile dob".split()
)


def mask_url(url: str) -> str:
    """The URL without user:password@, with query and fragment values that look secret as ``***``.

    Secret by the parameter's name (token, key, password, session, code, card, account, …) or by the
    value (a long random token, a JWT, an e-mail address, a number of eight digits or more). Values are
    kept as the page wrote them otherwise, so the user reads the URL the page sent.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed IPv6 bracket: show the part before the query only
        bare = re.sub(r"//[^/?#]*@", "//", re.split(r"[?#]", text, maxsplit=1)[0])
        return _CONTROL.sub(" ", bare).strip()[:MAX_URL]
    netloc = parts.netloc.rpartition("@")[2]
    fragment = _mask_query(parts.fragment) if "=" in parts.fragment else parts.fragment
    masked = urlunsplit((parts.scheme, netloc, parts.path, _mask_query(parts.query), fragment))
    return masked if len(masked) <= MAX_URL else masked[: MAX_URL - 1] + "…"


def _mask_query(query: str) -> str:
    pieces = []
    for piece in query.split("&") if query else ():
        name, eq, value = piece.partition("=")
        if eq and value and (_secret_name(unquote_plus(name)) or looks_secret(unquote_plus(value))):
            value = MASK
        elif not eq and looks_secret(unquote_plus(name)):
            name = MASK
        pieces.append(f"{name}{eq}{value}")
    return "&".join(pieces)


def _secret_name(name: str) -> bool:
    words = [w for w in re.split(r"[^a-z0-9]+", _CAMEL.sub(" ", name).lower()) if w]
    return not _SECRET_WORDS.isdisjoint(words) or "".join(words) in _SECRET_WORDS


def looks_secret(value: str) -> bool:
    """A value to hide: an e-mail address, a JWT, a long number, a long random token."""
    value = value.strip()
    if _EMAIL.fullmatch(value) or _JWT.fullmatch(value):
        return True
    if _LONG_NUMBER.fullmatch(value) and not _DATE.fullmatch(value):
        return sum(c.isdigit() for c in value) >= 8
    return bool(_TOKEN.fullmatch(value)) and _random_looking(value)


def _random_looking(value: str) -> bool:
    """A token, not a slug: a digit or both letter cases, and at least 3 bits of entropy a character."""
    mixed = any(c.isdigit() for c in value) or (value.lower() != value and value.upper() != value)
    counts = Counter(value).values()
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts)
    return mixed and entropy >= 3.0

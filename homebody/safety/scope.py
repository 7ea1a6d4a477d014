"""The sites a task may act on: its start URL's and the ones the user lists (``--site``).

A URL is in scope when its host's *site* is one of the task's. A site is the registrable domain
(``shop.example.co.uk`` → ``example.co.uk``, by the public suffix list bundled with the
``publicsuffixlist`` package: no network); an IP address or ``localhost`` is its own site. Ports and
the scheme do not matter (http and https alike). Pages that go nowhere (``about:blank``,
``about:srcdoc``) or stay in the browser (``data:``, ``blob:``) are in scope; anything else without a
web host (``file:``, ``chrome:``, ``javascript:``, unknown schemes) is not.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from functools import cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

__all__ = ["TaskScope", "parse_site", "url_site"]

_WEB_SCHEMES = frozenset({"http", "https", "ws", "wss"})
_LOCAL_SCHEMES = frozenset({"data", "blob"})
_NOWHERE = frozenset({"about:blank", "about:srcdoc"})
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
_SCHEME_ONLY = re.compile(r"[a-z][a-z0-9+.-]*:(?!\d+(?:[/?#]|$))", re.IGNORECASE)  # "mailto:", not "host:8000"


@cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # reads the list bundled with the package, once, on first use


def parse_site(text: str) -> str:
    """The site a user names (``example.com``, ``https://shop.example.com/path``, ``127.0.0.2``,
    ``localhost:8000``), as its registrable domain. Raises ValueError saying what is wrong."""
    given = text.strip()
    if not given:
        raise ValueError("a site cannot be empty: give a host such as example.com")
    if any(c.isspace() for c in given):
        raise ValueError(f"{given!r} is not a site: it contains spaces")
    if "://" not in given and _SCHEME_ONLY.match(given):
        raise ValueError(f"{given!r} is not a web site: give a host such as example.com or an http(s) URL")
    try:
        parts = urlsplit(given if "://" in given else f"//{given}")
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ValueError(f"{given!r} is not a site: {exc}") from None
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"{given!r} is not a web site: only http and https URLs name a site")
    if "@" in parts.netloc:
        raise ValueError(f"{given!r} is not a site: it has a user name (an e-mail address?)")
    if not parts.hostname:
        raise ValueError(f"{given!r} has no host name: give a host such as example.com")
    site = _host_site(parts.hostname)
    if site is None:
        raise ValueError(f"{given!r} is not a site: {parts.hostname!r} is not a valid host name")
    return site


def url_site(url: str) -> str | None:
    """The site of a web URL's host; None for a URL without a web host or one that does not parse."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in _WEB_SCHEMES or not parts.hostname:
        return None
    return _host_site(parts.hostname)


def _host_site(host: str) -> str | None:
    host = host.lower().rstrip(".")
    try:
        return ipaddress.ip_address(host).compressed
    except ValueError:
        pass
    try:
        host = host.encode("idna").decode("ascii")  # the list and the browser both use punycode
    except UnicodeError:
        return None
    labels = host.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        return None
    return _suffixes().privatesuffix(host) or host  # a public suffix itself (github.io) or localhost


class TaskScope:
    """The sites of one task; ``add`` widens it when the user allows another site."""

    __slots__ = ("_sites",)

    def __init__(self, start_url: str, sites: Iterable[str] = ()) -> None:
        """Built from the start URL (ignored when it has no web host) and the user's sites (ValueError when
        one is not a site)."""
        self._sites: dict[str, None] = {}
        start = url_site(start_url)
        if start is not None:
            self._sites[start] = None
        for site in sites:
            self.add(site)

    @property
    def sites(self) -> tuple[str, ...]:
        """The sites, start URL's first, for display."""
        return tuple(self._sites)

    def add(self, url_or_site: str) -> None:
        self._sites.setdefault(parse_site(url_or_site), None)

    def contains(self, url: str) -> bool:
        text = url.strip()
        scheme = text.partition(":")[0].lower()
        if scheme == "about":
            return text.lower().split("#", 1)[0].split("?", 1)[0] in _NOWHERE
        if scheme in _LOCAL_SCHEMES:
            return True
        site = url_site(text)
        return site is not None and site in self._sites

    def __repr__(self) -> str:
        return f"TaskScope({', '.join(self._sites)})"

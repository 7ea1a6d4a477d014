"""A task's sites: parsing what the user names, and which URLs are in scope."""

from __future__ import annotations

import socket

import pytest

from homebody.safety.scope import TaskScope, parse_site, url_site


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("example.com", "example.com"),
        ("  Example.COM. ", "example.com"),
        ("https://shop.example.com/path?q=1", "example.com"),
        ("shop.example.co.uk", "example.co.uk"),
        ("alice.github.io", "alice.github.io"),  # a private suffix: each user's page is its own site
        ("127.0.0.2", "127.0.0.2"),
        ("localhost:8000", "localhost"),
        ("http://[::1]:8080/", "::1"),
        ("bücher.de", "xn--bcher-kva.de"),
    ],
)
def test_parse_site(text: str, site: str) -> None:
    assert parse_site(text) == site


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("http://", "no host name"),
        ("exa mple.com", "spaces"),
        ("javascript:alert(1)", "not a web site"),
        ("mailto:ann@example.com", "not a web site"),
        ("ftp://example.com", "only http and https"),
        ("ann@example.com", "user name"),
        ("example.com:port", "not a web site"),
        ("http://example.com:99999", "(?i)port"),
        ("exa$mple.com", "not a valid host name"),
    ],
)
def test_parse_site_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_site(text)


def test_scope_by_registrable_domain_ignoring_ports_and_schemes() -> None:
    scope = TaskScope("https://www.shop.example.com/start", ["localhost:8000", "https://other.example.org/x"])
    assert scope.sites == ("example.com", "localhost", "example.org")
    assert scope.contains("http://api.example.com:8443/v1")
    assert scope.contains("wss://cdn.example.com/socket")
    assert scope.contains("http://localhost:9999/")
    assert scope.contains("https://example.org/")
    assert not scope.contains("https://example.com.evil.net/")
    assert not scope.contains("https://evil.com/?u=example.com")
    assert not scope.contains("http://127.0.0.1:8000/")


def test_pages_that_go_nowhere_or_stay_local() -> None:
    scope = TaskScope("http://127.0.0.2:8000/")
    assert scope.contains("http://127.0.0.2/other")
    for url in ("about:blank", "about:srcdoc", "ABOUT:BLANK#x", "data:text/html,hi", "blob:https://x.test/1"):
        assert scope.contains(url), url
    for url in ("about:config", "javascript:void(0)", "file:///etc/passwd", "chrome://settings", "foo://127.0.0.2/"):
        assert not scope.contains(url), url
    assert not scope.contains("http://[::1")
    assert not scope.contains("")


def test_add_and_a_start_url_without_a_site() -> None:
    scope = TaskScope("about:blank")
    assert scope.sites == ()
    assert not scope.contains("https://mail.example.com/")
    scope.add("https://example.com/inbox")
    scope.add("example.com")
    assert scope.sites == ("example.com",)
    assert scope.contains("https://mail.example.com/")
    with pytest.raises(ValueError):
        scope.add("http://")
    with pytest.raises(ValueError, match="spaces"):
        TaskScope("https://x.com/", ["a b"])


def test_url_site() -> None:
    assert url_site("https://a.b.example.co.uk:444/x") == "example.co.uk"
    assert url_site("file:///x") is None and url_site("about:blank") is None and url_site("http:///x") is None


def test_the_suffix_list_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the public suffix list went to the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    from homebody.safety import scope

    scope._suffixes.cache_clear()
    assert parse_site("a.b.example.co.uk") == "example.co.uk"

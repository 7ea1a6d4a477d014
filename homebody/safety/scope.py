"""PLACEHOLDER until the effect gate's own ``homebody.safety.scope`` lands: only ``parse_site``,
with the signature the front ends code against. Replace this file with the real one."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_HOST = re.compile(r"^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)$")


def parse_site(text: str) -> str:
    """A site as the user wrote it (``shop.example``, ``shop.example:8443``, ``https://shop.example/``),
    normalised to ``host[:port]`` in lower case; ValueError saying what is wrong otherwise."""
    raw = text.strip()
    if not raw:
        raise ValueError("a site is empty")
    parts = urlsplit(raw if "://" in raw else f"http://{raw}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{raw[:200]!r} is not a site: give a host such as shop.example, optionally with :port")
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{raw[:200]!r} has an invalid port") from None
    if not _HOST.match(host if not host.count(":") else f"[{host}]"):
        raise ValueError(f"{raw[:200]!r} is not a site: give a host such as shop.example, optionally with :port")
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port is not None else shown

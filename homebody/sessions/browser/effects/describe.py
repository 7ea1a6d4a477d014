"""TEMP stub until the real module lands."""

from collections.abc import Mapping

from homebody.types import Outgoing


def describe_request(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    navigation: bool,
    frame_url: str,
    top_level: bool,
) -> Outgoing:
    return Outgoing(
        kind="navigation" if navigation else "request",
        method=method,
        url=url,
        frame_url=frame_url,
        top_level=top_level,
        size=len(body or b""),
    )


def describe_message(*, url: str, data: str | None, size: int, frame_url: str, top_level: bool) -> Outgoing:
    return Outgoing(kind="websocket", method="SEND", url=url, frame_url=frame_url, top_level=top_level, size=size)


def message_shape(data: str | None, size: int) -> str:
    return data if data is not None and len(data) <= 16 else "text"


def request_shape(method: str, url: str) -> str:
    return method + " " + url.split("?", maxsplit=1)[0]

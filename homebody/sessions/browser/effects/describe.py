"""What a held request or WebSocket message would send, described by names, never by values.

The effect gate pauses a request in the browser and asks the user about it; this module turns the
raw request into an ``Outgoing``: the body's field names, what the body says it does (a GraphQL
operation, a JSON-RPC method, a message type) and the URL with secret-looking query values masked.
It also gives *shapes*, stable keys by which the gate learns what a page sends by itself
(heartbeats, analytics, polling). Pure functions: a page controls every byte here, so nothing raises.
"""

from __future__ import annotations

import email.policy
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import collapse_rfc2231_value
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from graphql.error import GraphQLError
from graphql.language import FieldNode, OperationDefinitionNode
from graphql.language import parse as parse_graphql

from homebody.sessions.browser.effects.masking import MASK, MAX_URL, looks_secret, mask_url
from homebody.types import Outgoing

__all__ = ["describe_message", "describe_request", "mask_url", "message_shape", "request_shape"]

log = logging.getLogger(__name__)

MAX_FIELDS = 40
MAX_NAME = 60  # characters of one field or operation name
MAX_OPERATIONS = 8  # described operations of a batch; more end in "…" (unknown, so never a read)
MAX_BODY = 16 * 1024 * 1024  # a larger body is described by its size only
_GRAPHQL_MAX_TOKENS = 20_000  # graphql-core stops parsing a hostile query here
_NOT_JSON: Any = object()

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\s]+")  # incl. bidi overrides
# Engine.IO message + Socket.IO EVENT packet: ``42["chat message",{…}]``, with a namespace or an ack id.
_SOCKET_IO = re.compile(r"4?2(?:/[^,\[]*,)?\d*(\[.*)", re.DOTALL)
_DIGITS = re.compile(r"\d")
_TAG_KEYS = ("type", "action", "event", "op", "method")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HEX = re.compile(r"[0-9a-fA-F]{16,}")
_ID_CHARS = re.compile(r"[A-Za-z0-9_.,:~-]+")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}

Description = tuple[tuple[str, ...], str]  # field names, operation


# --------------------------------------------------------------------------- requests and messages


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
    """A request (or a top-level document load when ``navigation``) as the user is asked about it."""
    body = body or b""
    fields, operation = _guarded(lambda: _describe_body(headers, body))
    return Outgoing(
        kind="navigation" if navigation else "request",
        method=_clip(method, 16).upper() or "GET",
        url=mask_url(url),
        frame_url=mask_url(frame_url),
        top_level=top_level,
        fields=fields,
        operation=operation,
        size=len(body),
    )


def describe_message(*, url: str, data: str | None, size: int, frame_url: str, top_level: bool) -> Outgoing:
    """A WebSocket message (``data`` None: binary) as the user is asked about it."""
    fields, operation = _guarded(lambda: _describe_text_message(data)) if data is not None else ((), "")
    return Outgoing(
        kind="websocket",
        method="SEND",
        url=mask_url(url),
        frame_url=mask_url(frame_url),
        top_level=top_level,
        fields=fields,
        operation=operation,
        size=max(size, 0),
    )


def _guarded(describe: Callable[[], Description]) -> Description:
    # A hostile page writes the body: whatever a parser trips on, the request is still held and
    # asked about (with no fields), never let through and never a crash in the gate.
    try:
        return describe()
    except Exception:
        log.debug("undescribable body", exc_info=True)
        return (), ""


# --------------------------------------------------------------------------- bodies


def _describe_body(headers: Mapping[str, str], body: bytes) -> Description:
    if not body or len(body) > MAX_BODY:
        return (), ""
    raw = next((v for k, v in headers.items() if k.lower() == "content-type"), "").strip()
    kind = _content_type(raw)
    if kind == "application/x-www-form-urlencoded":
        return _names(n for n, _ in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)), ""
    if kind == "multipart/form-data":
        return _multipart(raw, body)
    if kind == "application/graphql":
        return (), _graphql_operation(body.decode("utf-8", "replace"), None)
    text = body.decode("utf-8", "replace")
    json_kind = kind == "application/json" or kind.endswith("+json") or kind.endswith("/json-rpc")
    if json_kind or text.lstrip()[:1] in ("{", "["):
        value = _load_json(text)
        if value is not _NOT_JSON:
            return _json_description(value)
    if kind in ("", "text/plain"):
        return _text_form_fields(text), ""
    return (), ""


def _content_type(raw: str) -> str:
    """The media type, lowercased, by the stdlib's MIME header parser; empty when absent or unreadable."""
    if not raw:
        return ""
    message = EmailMessage()
    try:
        message["content-type"] = raw
    except ValueError:  # a line break in the header
        return ""
    return message.get_content_type()


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _json_description(value: Any) -> Description:
    """Top-level keys (of each object of an array), GraphQL ``variables`` and JSON-RPC ``params`` keys; the
    operation when every object declares one (a batch with one undeclared object is unknown)."""
    objects = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)]
    names: list[str] = []
    operations: list[str] = []
    for obj in objects:
        names.extend(obj)
        operation = _object_operation(obj)
        operations.append(operation)
        for key in ("variables", "params") if operation else ():
            if isinstance(obj.get(key), dict):
                names.extend(obj[key])
    known = bool(operations) and all(operations)
    return _names(names), _join_operations(operations) if known else ""


def _object_operation(obj: dict[str, Any]) -> str:
    """A GraphQL request's operations, a JSON-RPC call's ``rpc <method>``, or empty."""
    name = obj.get("operationName")
    if isinstance(obj.get("query"), str):
        return _graphql_operation(obj["query"], name)
    if "jsonrpc" in obj and isinstance(obj.get("method"), str):
        return f"rpc {_clip(obj['method']).replace(',', ' ')}"
    if isinstance(name, str) and name and ("extensions" in obj or "variables" in obj):
        return f"graphql {_clip(name)}"  # a persisted query: its name, its type unknown
    return ""


def _graphql_operation(text: str, operation_name: object) -> str:
    """``mutation PlaceOrder``, ``query Products``, ``query`` (anonymous), ``mutation { deleteUser }`` for
    an anonymous mutation (its root fields); empty when the text is not GraphQL or has no operation."""
    try:
        document = parse_graphql(text, no_location=True, max_tokens=_GRAPHQL_MAX_TOKENS)
    except (GraphQLError, RecursionError):
        return ""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if o.name and o.name.value == operation_name]
    described: list[str] = []
    for op in chosen or operations:
        kind = op.operation.value
        if op.name:
            described.append(f"{kind} {_clip(op.name.value)}")
        elif kind == "query":
            described.append(kind)
        else:
            roots = [s.name.value for s in op.selection_set.selections if isinstance(s, FieldNode)][:4]
            described.append(f"{kind} {{ {' '.join(roots)} }}" if roots else kind)
    return _join_operations(described)


def _join_operations(operations: list[str]) -> str:
    unique = list(dict.fromkeys(o for o in operations if o))
    if len(unique) > MAX_OPERATIONS:
        unique = [*unique[:MAX_OPERATIONS], "…"]
    return ", ".join(unique)


def _multipart(raw_type: str, body: bytes) -> Description:
    """Form field names by the stdlib's MIME parser; a GraphQL upload's ``operations`` part says the operation."""
    head = f"Content-Type: {raw_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("utf-8", "replace")
    message = BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        return (), ""
    names: list[str] = []
    operation = ""
    for part in message.iter_parts():
        param = part.get_param("name", header="content-disposition")
        name = collapse_rfc2231_value(param) if param is not None else ""
        names.append(name)
        payload = part.get_payload(decode=True)
        if name == "operations" and isinstance(payload, bytes):
            inner_names, operation = _json_description(_load_json(payload.decode("utf-8", "replace")))
            names.extend(inner_names)
    return _names(names), operation


_TEXT_FIELD = re.compile(r"([^=\"{}\[\]<>\r\n]{1,100})=")


def _text_form_fields(text: str) -> tuple[str, ...]:
    """A ``text/plain`` form post: ``name=value`` lines (a line without ``=`` continues a value)."""
    names: list[str] = []
    for line in (line for line in text.splitlines() if line):
        match = _TEXT_FIELD.match(line)
        if match:
            names.append(match.group(1))
        elif not names:
            return ()  # not a form: plain text
    return _names(names)


def _names(names: Iterable[object]) -> tuple[str, ...]:
    """Deduplicated, in order, at most ``MAX_FIELDS``; a name that looks like a value (an address, an id)
    is shown as ``***``."""
    out: dict[str, None] = {}
    for name in names:
        text = _clip(name) if isinstance(name, str) else ""
        if text:
            out.setdefault(MASK if looks_secret(text) else text, None)
            if len(out) >= MAX_FIELDS:
                break
    return tuple(out)


def _clip(text: str, limit: int = MAX_NAME) -> str:
    return _CONTROL.sub(" ", text).strip()[:limit]


# --------------------------------------------------------------------------- WebSocket messages


def _describe_text_message(data: str) -> Description:
    value = _message_json(data)
    if isinstance(value, list):
        return _json_description(value)
    if isinstance(value, dict):
        names = list(value)
        for key in ("data", "payload"):
            if isinstance(value.get(key), dict):
                names.extend(value[key])
        payload = value.get("payload")
        if isinstance(payload, dict) and isinstance(payload.get("variables"), dict):
            names.extend(payload["variables"])
        return _names(names), _message_operation(value)
    event = _socket_io_event(data)
    return event if event is not None else ((), "")


def _message_json(data: str) -> Any:
    text = data.strip().rstrip("\x1e")  # SignalR ends each JSON record with a record separator
    return _load_json(text) if text[:1] in ("{", "[") else _NOT_JSON


def _message_operation(obj: dict[str, Any]) -> str:
    """GraphQL over WebSocket (``payload.query``), a JSON-RPC call, else ``type message`` from a tag field."""
    operation = _declared_operation(obj)
    if operation:
        return operation
    tag = next((k for k in _TAG_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    return f"{tag} {_clip(obj[tag])}" if tag else ""


def _declared_operation(obj: dict[str, Any]) -> str:
    payload = obj.get("payload")
    if isinstance(payload, dict) and isinstance(payload.get("query"), str):
        return _graphql_operation(payload["query"], payload.get("operationName"))
    return _object_operation(obj)


def _socket_io_event(data: str) -> Description | None:
    match = _SOCKET_IO.fullmatch(data.strip())
    value = _load_json(match.group(1)) if match else _NOT_JSON
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        return None
    names = [k for arg in value[1:] if isinstance(arg, dict) for k in arg]
    return _names(names), f"event {_clip(value[0])}"


# --------------------------------------------------------------------------- shapes


def message_shape(data: str | None, size: int) -> str:
    """A key that repeats for an app's heartbeats and acks and differs for real messages.

    JSON: sorted keys, the tag fields' values (``type``, ``action``, ``event``, ``op``, ``method``), the keys
    of ``data``/``payload`` and a declared operation. Short text (≤ 16 chars): the text, digits as ``#``.
    Longer text: its leading word (``PING`` is not ``PRIVMSG``, ``<iq`` is not ``<message``). Binary: its
    size, so one learned binary heartbeat does not let every binary message through.
    """
    if data is None:
        return f"binary {max(size, 0)}"
    value = _message_json(data)
    if isinstance(value, dict):
        return "json " + _object_shape(value)
    if isinstance(value, list):
        items = ",".join(_item_shape(v) for v in value[:6])
        return f"json [{items}{',…' if len(value) > 6 else ''}]"
    if len(data) <= 16:
        return "short " + _DIGITS.sub("#", data)
    lead = re.match(r"\W{0,4}\w{0,16}", data.lstrip())
    return "text " + _DIGITS.sub("#", lead.group(0) if lead else "")


def _object_shape(obj: dict[str, Any]) -> str:
    keys = ",".join(sorted(_clip(k, 30) for k in obj)[:24])
    tags = [f"{k}={_clip(str(obj[k]), 40)}" for k in _TAG_KEYS if isinstance(obj.get(k), (str, int, float, bool))]
    nested = [
        f"{k}{{{','.join(sorted(_clip(n, 30) for n in obj[k])[:24])}}}"
        for k in ("data", "payload")
        if isinstance(obj.get(k), dict)
    ]
    operation = _declared_operation(obj)
    return " ".join([f"{{{keys}}}", *tags, *nested, *([f"op={operation}"] if operation else [])])


def _item_shape(value: Any) -> str:
    if isinstance(value, str):
        return _DIGITS.sub("#", value) if len(value) <= 24 else "str"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return "#"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(_clip(k, 30) for k in value)[:24]) + "}"
    return "[]"


def request_shape(method: str, url: str) -> str:
    """``POST https://host:port/path`` with ids (numbers, uuids, long hex, long mixed tokens) as ``*``, no query."""
    method = _clip(method, 16).upper()
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return f"{method} {_clip(url.split('?', 1)[0], MAX_URL)}"
    scheme = parts.scheme.lower()
    origin = f"{scheme}://{parts.hostname or ''}"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        origin += f":{port}"
    path = "/".join("*" if _id_like(s) else s for s in parts.path.split("/"))
    return f"{method} {origin}{path}"


def _id_like(segment: str) -> bool:
    if not segment or not _ID_CHARS.fullmatch(segment):
        return False
    digits = sum(c.isdigit() for c in segment)
    letters = sum(c.isalpha() for c in segment)
    return (
        letters == 0 < digits
        or digits >= 4
        or bool(_UUID.fullmatch(segment) or _HEX.fullmatch(segment))
        or (len(segment) >= 16 and digits > 0 and letters > 0)
    )

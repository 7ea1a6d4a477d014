"""What a held request or WebSocket message would send: field names, operations, masked URLs, shapes."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.policy import default

import pytest

from homebody.sessions.browser.effects.describe import (
    describe_message,
    describe_request,
    mask_url,
    message_shape,
    request_shape,
)
from homebody.types import Outgoing

PAGE = "https://shop.example.com/cart"
CRLF = default.clone(linesep="\r\n")


def request(body: bytes | None, content_type: str | None = "application/json", **kw: object) -> Outgoing:
    headers = {"Content-Type": content_type} if content_type else {}
    args: dict[str, object] = {
        "method": "POST",
        "url": "https://shop.example.com/api/x",
        "headers": headers,
        "body": body,
        "navigation": False,
        "frame_url": PAGE,
        "top_level": True,
    }
    args.update(kw)
    return describe_request(**args)  # type: ignore[arg-type]


def message(data: str | None, size: int = 0) -> Outgoing:
    return describe_message(url="wss://chat.example.com/ws", data=data, size=size, frame_url=PAGE, top_level=False)


def multipart_body() -> tuple[bytes, str]:
    """A real multipart/form-data body, written by the stdlib's MIME writer."""
    form = EmailMessage(policy=CRLF)
    form.set_type("multipart/form-data")
    for name, value in (("title", "Hello"), ("comment", "a\r\nlong\r\ntext")):
        part = EmailMessage(policy=CRLF)
        part.set_content(value)
        part.add_header("Content-Disposition", "form-data", name=name)
        form.attach(part)
    upload = EmailMessage(policy=CRLF)
    upload.set_content(b"\x89PNG\r\n\x1a\n\x00\xff" * 50, maintype="image", subtype="png", cte="8bit")
    upload.add_header("Content-Disposition", "form-data", name="photo", filename="me.png")
    form.attach(upload)
    body = form.as_bytes().partition(b"\r\n\r\n")[2]
    return body, f'multipart/form-data; boundary="{form.get_boundary()}"'


# --------------------------------------------------------------------------- request bodies


def test_kind_method_size_and_frame() -> None:
    out = request(b'{"a":1}', method="post", navigation=True, top_level=False)
    assert (out.kind, out.method, out.size, out.top_level, out.frame_url) == ("navigation", "POST", 7, False, PAGE)
    assert request(None).kind == "request" and request(None).size == 0 and request(None).fields == ()


def test_urlencoded_field_names_never_values() -> None:
    out = request(b"item=42&quantity=2&note=secret+words&item=43", "application/x-www-form-urlencoded; charset=UTF-8")
    assert out.fields == ("item", "quantity", "note")
    assert "secret" not in out.model_dump_json()


def test_multipart_form_names_from_a_real_body() -> None:
    body, content_type = multipart_body()
    out = request(body, content_type)
    assert out.fields == ("title", "comment", "photo")
    assert out.size == len(body)


def test_multipart_graphql_upload_says_its_operation() -> None:
    boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    operations = json.dumps(
        {"query": "mutation Upload($f: Upload!) { upload(file: $f) { id } }", "variables": {"f": None}}
    )
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{operations}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{{"0": ["variables.f"]}}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="a.txt"\r\n\r\nhi\r\n--{boundary}--\r\n'
    ).encode()
    out = request(body, f"multipart/form-data; boundary={boundary}")
    assert out.operation == "mutation Upload"
    assert out.fields[:3] == ("operations", "query", "variables")


def test_json_object_and_array_keys() -> None:
    assert request(b'{"item": 1, "quantity": 2, "nested": {"deep": 1}}').fields == ("item", "quantity", "nested")
    batch = b'[{"event": "view", "ts": 1}, {"event": "click", "target": "b"}, 7]'
    assert request(batch).fields == ("event", "ts", "target")
    assert request(batch).operation == ""


def test_json_without_a_content_type_is_sniffed_and_plus_json_types_are_json() -> None:
    assert request(b'{"title": "x"}', None).fields == ("title",)
    assert request(b'{"data": {"type": "post"}}', "application/vnd.api+json").fields == ("data",)


def test_text_plain_form_post_and_plain_text() -> None:
    assert request(b"first=Ann\r\nmessage=hi\r\nthere\r\n", "text/plain").fields == ("first", "message")
    assert request(b"just some words", "text/plain").fields == ()
    assert request(b'{"event_id": "x"}\n{"type": "event"}\n', "text/plain").fields == ()  # an envelope, not a form


@pytest.mark.parametrize(
    "body",
    [b'{"item": 1,', b"\xff\xfe\x00garbage", b"[" * 100_000 + b"]" * 100_000, b'{"query": "mutation {"}', b"{}"],
)
def test_malformed_bodies_give_no_fields_and_never_raise(body: bytes) -> None:
    out = request(body)
    assert out.operation == "" and out.size == len(body)


def test_malformed_headers_never_raise() -> None:
    assert request(b"a=1", "multipart/form-data").fields == ()  # no boundary
    assert request(b"a=1", "text/plain\r\nX: y").fields == ("a",)
    assert request(b"a=1", "application/octet-stream").fields == ()


def test_field_names_are_capped_clipped_cleaned_and_masked() -> None:
    names = {f"f{i}": i for i in range(100)} | {"x" * 200: 1}
    out = request(json.dumps(names).encode())
    assert len(out.fields) == 40 and out.fields[0] == "f0"
    long = request(json.dumps({"y" * 200: 1, "a\u202eb\nc": 2, "alice@example.com": 3, "4111111111111111": 4}).encode())
    assert long.fields == ("y" * 60, "a b c", "***")


# --------------------------------------------------------------------------- operations


def test_graphql_mutation_and_variables_keys() -> None:
    body = {"query": "mutation PlaceOrder($cart: ID!) { placeOrder(cart: $cart) { id } }", "variables": {"cart": "c1"}}
    out = request(json.dumps(body).encode())
    assert out.operation == "mutation PlaceOrder"
    assert out.fields == ("query", "variables", "cart")


def test_graphql_queries_anonymous_shorthand_and_operation_name() -> None:
    assert request(b'{"query": "query Products { products { id } }"}').operation == "query Products"
    assert request(b'{"query": "{ me { id } }"}').operation == "query"
    two = {"query": "query A { a } mutation B { deleteThing { id } }", "operationName": "B"}
    assert request(json.dumps(two).encode()).operation == "mutation B"
    assert request(json.dumps({"query": two["query"]}).encode()).operation == "query A, mutation B"
    anonymous = {"query": "mutation { deleteUser(id: 1) { id } sendMessage { id } }"}
    assert request(json.dumps(anonymous).encode()).operation == "mutation { deleteUser sendMessage }"


def test_graphql_batch_and_application_graphql() -> None:
    batch = [{"query": "query A { a }"}, {"query": "mutation Pay { pay { ok } }", "variables": {"amount": 1}}]
    out = request(json.dumps(batch).encode())
    assert out.operation == "query A, mutation Pay"
    assert "amount" in out.fields
    assert request(b"subscription OnMsg { m }", "application/graphql").operation == "subscription OnMsg"


def test_graphql_that_does_not_parse_is_unknown() -> None:
    assert request(b'{"query": "shoes"}').operation == ""
    batch = [{"query": "query A { a }"}, {"query": "mutation {"}]
    assert request(json.dumps(batch).encode()).operation == ""  # one unknown item: the batch is unknown


def test_persisted_graphql_query_gives_its_name() -> None:
    body = {"operationName": "PlaceOrder", "variables": {}, "extensions": {"persistedQuery": {"sha256Hash": "ab"}}}
    assert request(json.dumps(body).encode()).operation == "graphql PlaceOrder"


def test_json_rpc_single_and_batch() -> None:
    one = {"jsonrpc": "2.0", "method": "eth_sendRawTransaction", "params": ["0x1"], "id": 1}
    assert request(json.dumps(one).encode()).operation == "rpc eth_sendRawTransaction"
    batch = [
        {"jsonrpc": "2.0", "method": "eth_getBalance", "params": ["0x1"], "id": 1},
        {"jsonrpc": "2.0", "method": "account.list", "params": {"limit": 5}, "id": 2},
    ]
    out = request(json.dumps(batch).encode())
    assert out.operation == "rpc eth_getBalance, rpc account.list"
    assert out.fields == ("jsonrpc", "method", "params", "id", "limit")


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("https://ann:hunter2@shop.example.com/a?q=shoes", "https://shop.example.com/a?q=shoes"),
        ("https://x.com/cb?code=4/0AX&state=abc", "https://x.com/cb?code=***&state=abc"),
        ("https://x.com/?access_token=a&api_key=b&apiKey=c&X-Amz-Signature=d", None),
        ("https://x.com/?sessionid=a&pwd=b&cvv=123&iban=DE89&acct=1", None),
        ("https://x.com/?u=ann%40example.com&page=2", "https://x.com/?u=***&page=2"),
        ("https://x.com/?t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "https://x.com/?t=***"),
        ("https://x.com/?ref=a8f5f167f44f4964e6c998dee827110c", "https://x.com/?ref=***"),
        ("https://x.com/?phone_no=%2B1%20555%20123%204567&d=2024-01-15", "https://x.com/?phone_no=***&d=2024-01-15"),
        ("https://x.com/?n=12345678&m=1234567", "https://x.com/?n=***&m=1234567"),
        ("https://x.com/?slug=my-awesome-summer-collection", "https://x.com/?slug=my-awesome-summer-collection"),
        ("https://x.com/cb#access_token=zzz&expires_in=3600", "https://x.com/cb#access_token=***&expires_in=3600"),
        ("https://x.com/path#section-2", "https://x.com/path#section-2"),
        ("https://x.com/?eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "https://x.com/?***"),
    ],
)
def test_mask_url(url: str, masked: str | None) -> None:
    out = mask_url(url)
    if masked is None:
        assert all(value == "***" for value in (p.split("=")[1] for p in out.split("?")[1].split("&")))
    else:
        assert out == masked


def test_mask_url_never_raises_and_is_bounded() -> None:
    assert mask_url("http://ann:pw@[::1/x?token=abc") == "http://[::1/x"
    assert len(mask_url("https://x.com/" + "a" * 10_000)) == 2048
    assert request(b"", url="https://u:p@x.com/?password=1").url == "https://x.com/?password=***"


# --------------------------------------------------------------------------- WebSocket messages


def test_message_json_object_with_nested_payload_and_type() -> None:
    out = message('{"type": "message", "data": {"channel": "c1", "text": "hello"}}', 60)
    assert (out.kind, out.method, out.size, out.url) == ("websocket", "SEND", 60, "wss://chat.example.com/ws")
    assert out.fields == ("type", "data", "channel", "text")
    assert out.operation == "type message"
    assert "hello" not in out.model_dump_json()


def test_message_tag_fields_and_graphql_over_websocket() -> None:
    assert message('{"action": "sendmessage", "body": "x"}').operation == "action sendmessage"
    assert message('{"op": 2, "event": "typing"}').operation == "event typing"
    sub = {
        "id": "1",
        "type": "subscribe",
        "payload": {"query": "mutation Send($t: String) { send(t: $t) }", "variables": {"t": "x"}},
    }
    out = message(json.dumps(sub))
    assert out.operation == "mutation Send"
    assert out.fields == ("id", "type", "payload", "query", "variables", "t")


def test_message_json_rpc_socket_io_binary_and_plain_text() -> None:
    assert message('{"jsonrpc": "2.0", "method": "eth_subscribe", "id": 1}').operation == "rpc eth_subscribe"
    socket_io = message('42["chat message", {"room": "r1", "text": "hi"}]')
    assert (socket_io.operation, socket_io.fields) == ("event chat message", ("room", "text"))
    assert message(None, 128) == message(None, 128) and message(None, 128).fields == ()
    assert message("hello world").fields == () and message("{not json").operation == ""


# --------------------------------------------------------------------------- shapes


def test_message_shape_repeats_for_heartbeats_and_differs_for_real_messages() -> None:
    assert message_shape('{"type": "ping", "t": 123}', 24) == message_shape('{"t": 456, "type": "ping"}', 24)
    assert message_shape('{"type": "ping", "t": 1}', 9) != message_shape('{"type": "message", "t": 1}', 9)
    assert message_shape('{"op": 1, "d": 41}', 9) == message_shape('{"op": 1, "d": 42}', 9)
    assert message_shape('{"op": 1, "d": 41}', 9) != message_shape('{"op": 0, "d": 42}', 9)
    assert message_shape('{"type": "x", "data": {"typing": true}}', 1) != message_shape(
        '{"type": "x", "data": {"text": "hi"}}', 1
    )
    assert message_shape('{"type":6}\x1e', 11) == message_shape('{"type":6}\x1e', 11)


def test_message_shape_sees_the_graphql_operation_inside_a_subscribe() -> None:
    read = '{"id": "1", "type": "subscribe", "payload": {"query": "subscription S { s }"}}'
    write = '{"id": "2", "type": "subscribe", "payload": {"query": "mutation M { m }"}}'
    assert message_shape(read, 1) != message_shape(write, 1)


def test_message_shape_short_text_long_text_arrays_and_binary() -> None:
    assert message_shape("2", 1) == message_shape("3", 1) == "short #"
    assert message_shape("3probe", 6) == "short #probe"
    assert message_shape("hb", 2) == "short hb"
    assert message_shape('<iq type="get" id="a1"><ping/></iq>', 30) == message_shape(
        '<iq type="get" id="b2"><ping/></iq>', 30
    )
    assert message_shape("<iq type='get'><ping/></iq>", 1) != message_shape(
        "<message to='a'><body>hi</body></message>", 1
    )
    assert message_shape("PRIVMSG #chan :hello there", 1) != message_shape("PING :irc.example.net here", 1)
    phoenix = message_shape('[null, "5", "phoenix", "heartbeat", {}]', 1)
    assert phoenix == message_shape('[null, "6", "phoenix", "heartbeat", {}]', 1)
    assert phoenix != message_shape('["1", "7", "room:lobby", "new_msg", {"body": "hi"}]', 1)
    assert message_shape(None, 2) == "binary 2" != message_shape(None, 300)


def test_request_shape_drops_ids_and_query() -> None:
    a = request_shape("post", "https://Shop.Example.com:443/api/v1/orders/12345/items?x=1")
    assert a == "POST https://shop.example.com/api/v1/orders/*/items"
    assert a == request_shape("POST", "https://shop.example.com/api/v1/orders/99/items?y=2")
    uuid = request_shape("POST", "https://t.example.net:8443/c/550e8400-e29b-41d4-a716-446655440000/e")
    assert uuid == "POST https://t.example.net:8443/c/*/e"
    assert request_shape("POST", "https://x/p/5f8d0d55b54764421b7156c9") == "POST https://x/p/*"
    assert request_shape("POST", "https://x/api/v2/collect") == "POST https://x/api/v2/collect"
    assert request_shape("PUT", "https://x/a") != request_shape("POST", "https://x/a")
    assert request_shape("POST", "http://[::1/x?y") == "POST http://[::1/x"

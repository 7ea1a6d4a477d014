"""Judging a held request or message: read or change, and which commit category, in several languages."""

from __future__ import annotations

import json

import pytest

from homebody.safety.effects import ChangeJudgement, judge_outgoing
from homebody.sessions.browser.effects.describe import describe_message, describe_request
from homebody.types import Outgoing

PAGE = "https://shop.example.com/cart"


def judge(method: str, url: str, body: object = None, content_type: str = "application/json") -> ChangeJudgement:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else None
    out = describe_request(
        method=method,
        url=url,
        headers={"content-type": content_type},
        body=raw,
        navigation=False,
        frame_url=PAGE,
        top_level=True,
    )
    return judge_outgoing(out)


def judge_message(data: str, url: str = "wss://chat.example.com/socket") -> ChangeJudgement:
    return judge_outgoing(describe_message(url=url, data=data, size=len(data), frame_url=PAGE, top_level=True))


# --------------------------------------------------------------------------- reads


@pytest.mark.parametrize(
    "body",
    [
        {"query": "query Products { products { id } }"},
        {"query": "{ me { name } }"},
        [{"query": "query A { a }"}, {"query": "query B { b }"}],
        {"jsonrpc": "2.0", "method": "getBalance", "id": 1},
        [{"jsonrpc": "2.0", "method": "eth_getBalance", "id": 1}, {"jsonrpc": "2.0", "method": "eth_call", "id": 2}],
        {"jsonrpc": "2.0", "method": "list_items", "id": 1},
        {"jsonrpc": "2.0", "method": "users.findByEmail", "id": 1},
        {"jsonrpc": "2.0", "method": "isAvailable", "id": 1},
    ],
)
def test_reads(body: object) -> None:
    j = judge("POST", "https://shop.example.com/graphql", body)
    assert j.read
    assert "only reads" in j.reason
    assert any(e.startswith("op:") for e in j.evidence)


@pytest.mark.parametrize(
    "body",
    [
        {"query": "mutation PlaceOrder { placeOrder { id } }"},
        [{"query": "query A { a }"}, {"query": "mutation B { b }"}],
        {"query": "query A { a } subscription S { s }"},
        {"query": "not graphql"},
        {"jsonrpc": "2.0", "method": "eth_sendTransaction", "id": 1},
        {"jsonrpc": "2.0", "method": "getOrCreateSession", "id": 1},
        {"jsonrpc": "2.0", "method": "checkOut", "id": 1},
        {"jsonrpc": "2.0", "method": "listen", "id": 1},
        [{"jsonrpc": "2.0", "method": "getA", "id": 1}, {"ok": 1}],
        {"operationName": "GetProducts", "variables": {}, "extensions": {}},  # persisted: its type is unknown
        {"item": 1},
    ],
)
def test_not_reads(body: object) -> None:
    assert not judge("POST", "https://shop.example.com/graphql", body).read


def test_a_query_body_does_not_make_a_delete_a_read() -> None:
    assert not judge("DELETE", "https://x.com/graphql", {"query": "query A { a }"}).read
    assert not judge("PUT", "https://x.com/graphql", {"query": "query A { a }"}).read


def test_only_the_body_says_read() -> None:
    out = Outgoing(kind="navigation", method="GET", url="https://shop.example.com/search?q=x")
    assert not judge_outgoing(out).read


# --------------------------------------------------------------------------- categories


@pytest.mark.parametrize(
    ("method", "url", "body", "category", "evidence"),
    [
        ("DELETE", "https://x.com/api/messages/12", None, "delete", "method:DELETE"),
        ("POST", "https://x.com/api/orders", {"item": 1, "quantity": 2}, "purchase", "path:orders"),
        ("POST", "https://x.com/checkout/payment", {"card": 1}, "purchase", "path:checkout"),
        ("POST", "https://x.com/api/v2/conversations/7/messages", {"text": "hi"}, "send", "path:messages"),
        ("POST", "https://x.com/api/invitations", {"to": 1}, "send", "path:invitations"),
        ("POST", "https://x.com/users/7/follow", {}, "send", "path:follow"),
        ("POST", "https://x.com/api/v1/statuses", {"status": "x"}, "publish", "path:statuses"),
        ("POST", "https://x.com/posts/9/comments", {"body": "x"}, "publish", "path:comments"),
        ("POST", "https://x.com/api/subscriptions/5/cancel", {}, "delete", "path:cancel"),
        ("POST", "https://bank.x.com/api/transfers", {"iban": "x", "amount": 1}, "transfer", "path:transfers"),
        ("POST", "https://x.com/account/password", {"old": 1, "new": 2}, "security", "path:password"),
        ("PATCH", "https://x.com/api/users/me/settings", {"theme": "dark"}, "security", "path:settings"),
        ("POST", "https://x.com/register", {"email": 1, "password": 2}, "signup", "path:register"),
        ("POST", "https://x.com/newsletter/subscribe", {"email": 1}, "signup", "path:newsletter"),
        ("POST", "https://x.com/oauth/authorize", {"client_id": 1}, "install", "path:oauth"),
        ("POST", "https://x.com/api/exports", {"format": "csv"}, "change", "method:POST"),
        ("POST", "https://x.com/api/cart", {"productId": 1}, "change", "method:POST"),
        ("POST", "https://x.com/api/cart/remove-from-cart", {"productId": 1}, "change", "method:POST"),
    ],
)
def test_categories_from_the_method_and_path(method: str, url: str, body: object, category: str, evidence: str) -> None:
    j = judge(method, url, body)
    assert not j.read
    assert j.category == category
    assert evidence in j.evidence
    assert j.evidence[0] == f"method:{method}"


def test_the_operation_name_decides_a_graphql_mutation() -> None:
    j = judge("POST", "https://shop.example.com/graphql", {"query": "mutation PlaceOrder { placeOrder { id } }"})
    assert j.category == "purchase"
    assert "op:mutation PlaceOrder" in j.evidence
    anonymous = judge("POST", "https://x.com/graphql", {"query": "mutation { deleteUser(id: 1) { id } }"})
    assert anonymous.category == "delete"
    persisted = {"operationName": "SendMessage", "variables": {"text": "x"}, "extensions": {}}
    assert judge("POST", "https://x.com/graphql", persisted).category == "send"


def test_the_riskier_category_wins_within_a_tier() -> None:
    assert judge("POST", "https://x.com/api/orders/5/messages", {}).category == "purchase"
    assert judge("POST", "https://x.com/api/messages/delete", {}).category == "delete"
    assert judge("POST", "https://x.com/wallet/withdraw/order", {}).category == "transfer"


def test_what_a_request_does_beats_namespaces_and_fields() -> None:
    assert judge("POST", "https://x.com/account/posts", {"title": 1}).category == "publish"
    assert judge("POST", "https://x.com/api/email/send", {"to": 1}).category == "send"
    assert judge("POST", "https://x.com/signup", {"email": 1, "password": 1, "card_number": 1}).category == "signup"


def test_fields_decide_when_the_path_says_nothing() -> None:
    card = judge("POST", "https://x.com/submit", b"cardnumber=1&cvc=2", "application/x-www-form-urlencoded")
    assert card.category == "purchase" and "field:cardnumber" in card.evidence
    assert judge("POST", "https://x.com/api/v1/forms/7", {"new_password": 1}).category == "security"
    assert judge("POST", "https://x.com/api/v1/forms/7", {"message": "hi"}).category == "send"
    assert judge("POST", "https://x.com/api/v1/forms/7", {"iban": 1}).category == "transfer"
    assert judge("POST", "https://x.com/api/search", {"query": "x", "orderBy": "price"}).category == "change"


def test_a_sign_in_is_a_change_with_its_own_sentence() -> None:
    j = judge("POST", "https://x.com/login", b"username=a&password=b", "application/x-www-form-urlencoded")
    assert j.category == "change" and "signs in" in j.reason and "path:login" in j.evidence


@pytest.mark.parametrize(
    ("url", "category"),
    [
        ("https://tienda.example.es/pedido/finalizar-compra", "purchase"),  # es
        ("https://tienda.example.es/cuenta/eliminar", "delete"),  # es
        ("https://boutique.example.fr/api/supprimer", "delete"),  # fr
        ("https://boutique.example.fr/commande/passer-la-commande", "purchase"),  # fr
        ("https://shop.example.de/konto/löschen", "delete"),  # de
        ("https://bank.example.de/überweisen", "transfer"),  # de
        ("https://shop.example.ru/api/удалить", "delete"),  # ru
        ("https://shop.example.jp/api/削除", "delete"),  # ja
        ("https://shop.example.cn/api/提交订单", "purchase"),  # zh
        ("https://shop.example.nl/bestelling-plaatsen", "purchase"),  # nl
    ],
)
def test_categories_in_the_lexicons_languages(url: str, category: str) -> None:
    assert judge("POST", url, {}).category == category


# --------------------------------------------------------------------------- WebSocket messages


def test_websocket_messages() -> None:
    sent = judge_message('{"type": "message", "data": {"text": "hi"}}')
    assert sent.category == "send" and "op:type message" in sent.evidence
    assert "a WebSocket message to" in sent.reason
    assert judge_message('{"action": "delete_item", "id": 3}').category == "delete"
    assert judge_message('42["chat message", {"text": "hi"}]').category == "send"
    assert judge_message('{"type": "typing"}').category == "change"
    read = judge_message('{"id": "1", "type": "subscribe", "payload": {"query": "query Q { q }"}}')
    assert read.read


# --------------------------------------------------------------------------- the sentence


def test_reason_names_what_would_be_sent() -> None:
    j = judge("POST", "https://shop.example.com/api/orders", {"item": 1, "quantity": 2})
    assert j.reason == (
        "the action would send POST /api/orders (fields: item, quantity): places an order or makes a payment"
    )
    other = judge("POST", "https://tracker.example.net/api/orders", {f"f{i}": i for i in range(9)})
    assert "tracker.example.net/api/orders" in other.reason and "+3 more" in other.reason
    nav = judge_outgoing(Outgoing(kind="navigation", method="POST", url="https://shop.example.com/x", frame_url=PAGE))
    assert "a page load" in nav.reason and nav.reason.endswith("sends a change to the server")

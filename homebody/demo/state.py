"""The demo site's seeded catalogue and mailbox, and its in-memory state behind one lock.

Everything a visitor changes (cart, orders, sent mail, ...) lives in one ``DemoState``. Every
public method takes the lock, so request threads never see a half-made change. Card numbers are
never stored: an order keeps only the last four digits.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

from homebody.demo.records import SiteRecords

FIRST_ORDER_ID = 1001
SEND_VIAS = frozenset({"button", "icon", "shortcut"})
MAX_TEXT = 10_000


@dataclass(frozen=True, slots=True)
class Product:
    id: int
    name: str
    price_cents: int
    description: str
    tint: str

    @property
    def price(self) -> float:
        return self.price_cents / 100


PRODUCTS: tuple[Product, ...] = (
    Product(
        1,
        "Trail Running Shoes",
        8900,
        "Light, grippy shoes for muddy paths and long weekend runs. Breathable mesh upper, "
        "cushioned sole, reflective heel tab.",
        "#e0ecff",
    ),
    Product(
        2,
        "Espresso Maker",
        14900,
        "A compact 15-bar espresso machine with a steam wand. Heats up in 40 seconds and makes "
        "café-quality coffee at home.",
        "#fde9d9",
    ),
    Product(
        3,
        "Wool Blanket",
        5900,
        "A warm merino wool throw, woven in a classic herringbone pattern. 130 × 170 cm, "
        "machine washable on a wool cycle.",
        "#e4f4e8",
    ),
    Product(
        4,
        "Desk Lamp",
        3900,
        "An adjustable LED desk lamp with three colour temperatures, a dimmer and a USB-C port "
        "for charging your phone.",
        "#fff4cc",
    ),
)
PRODUCTS_BY_ID: dict[int, Product] = {p.id: p for p in PRODUCTS}


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    sender: str
    address: str
    subject: str
    body: str
    date: str
    unread: bool

    @property
    def snippet(self) -> str:
        return self.body if len(self.body) <= 90 else self.body[:87].rstrip() + "…"


MESSAGES: tuple[Message, ...] = (
    Message(
        1,
        "Sam Rivera",
        "sam@example.org",
        "Dinner on Friday?",
        "Hi Alex, are you free on Friday evening? We are thinking of trying the new Italian "
        "place on Market Street around 7. Let me know!",
        "09:14",
        True,
    ),
    Message(
        2,
        "Homebody Shop",
        "orders@example.com",
        "Your order has shipped",
        "Good news: your order is on its way. It should arrive within two working days. "
        "You can track it from your account page.",
        "08:02",
        True,
    ),
    Message(
        3,
        "Priya Shah",
        "priya@example.net",
        "Notes from the book club",
        "Thanks for coming yesterday! Here are the notes from our discussion, and next month "
        "we are reading a short novel, so there is no excuse.",
        "Mon",
        False,
    ),
    Message(
        4,
        "City Library",
        "noreply@library.example",
        "Your reservation is ready",
        "The book you reserved is ready to collect at the front desk. We will keep it for you for seven days.",
        "Sun",
        False,
    ),
)
MESSAGES_BY_ID: dict[int, Message] = {m.id: m for m in MESSAGES}


@dataclass(frozen=True, slots=True)
class OrderLine:
    product_id: int
    name: str
    qty: int
    price_cents: int


@dataclass(frozen=True, slots=True)
class Order:
    id: int
    lines: tuple[OrderLine, ...]
    total_cents: int
    name: str
    card_last4: str


@dataclass(frozen=True, slots=True)
class SentMail:
    to: str
    subject: str
    body: str
    via: str


def _clip(text: str) -> str:
    return text[:MAX_TEXT]


class DemoState:
    """All mutable state of one demo site. Thread-safe: every public method holds the lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cart: dict[int, int] = {}
        self._orders: list[Order] = []
        self._sent: list[SentMail] = []
        self._deleted: list[int] = []
        self._wishlist: list[int] = []
        self._buy_now: list[int] = []
        self._searches: list[str] = []
        self._chat: list[str] = []
        self._sessions: dict[str, str] = {}
        self.records = SiteRecords(self._lock)

    def reset(self) -> None:
        with self._lock:
            self._cart.clear()
            self._orders.clear()
            self._sent.clear()
            self._deleted.clear()
            self._wishlist.clear()
            self._buy_now.clear()
            self._searches.clear()
            self._chat.clear()
            self._sessions.clear()
            self.records.clear()

    def snapshot(self) -> dict[str, object]:
        """A JSON-able copy of the state (session tokens left out)."""
        with self._lock:
            return {
                "orders": [_order_json(o) for o in self._orders],
                "sent": [{"to": s.to, "subject": s.subject, "body": s.body, "via": s.via} for s in self._sent],
                "deleted": list(self._deleted),
                "cart": [{"id": pid, "qty": qty} for pid, qty in self._cart.items()],
                "wishlist": list(self._wishlist),
                "buy_now": list(self._buy_now),
                "signed_in": bool(self._sessions),
                "searches": list(self._searches),
                "chat": list(self._chat),
                **self.records.as_json(),
            }

    # ------------------------------------------------------------------ shop

    def cart_lines(self) -> list[tuple[Product, int]]:
        with self._lock:
            return [(PRODUCTS_BY_ID[pid], qty) for pid, qty in self._cart.items()]

    def cart_count(self) -> int:
        with self._lock:
            return sum(self._cart.values())

    def add_to_cart(self, product_id: int) -> bool:
        if product_id not in PRODUCTS_BY_ID:
            return False
        with self._lock:
            self._cart[product_id] = self._cart.get(product_id, 0) + 1
        return True

    def remove_from_cart(self, product_id: int) -> None:
        with self._lock:
            self._cart.pop(product_id, None)

    def record_search(self, query: str) -> None:
        with self._lock:
            self._searches.append(_clip(query))

    def record_buy_now(self, product_id: int) -> bool:
        if product_id not in PRODUCTS_BY_ID:
            return False
        with self._lock:
            self._buy_now.append(product_id)
        return True

    def add_to_wishlist(self, product_id: int) -> bool:
        if product_id not in PRODUCTS_BY_ID:
            return False
        with self._lock:
            if product_id not in self._wishlist:
                self._wishlist.append(product_id)
        return True

    def in_wishlist(self, product_id: int) -> bool:
        with self._lock:
            return product_id in self._wishlist

    def place_order(self, name: str, card_last4: str) -> int | None:
        """Turn the cart into an order and empty the cart; ``None`` when the cart is empty."""
        with self._lock:
            if not self._cart:
                return None
            order_id = self._add_order(dict(self._cart), name, card_last4)
            self._cart.clear()
            return order_id

    def place_express_order(self, product_id: int, name: str, card_last4: str) -> int | None:
        """Order one of ``product_id`` straight away, leaving the cart alone; ``None`` if unknown."""
        if product_id not in PRODUCTS_BY_ID:
            return None
        with self._lock:
            return self._add_order({product_id: 1}, name, card_last4)

    def _add_order(self, quantities: dict[int, int], name: str, card_last4: str) -> int:
        """Append an order for ``quantities`` (the caller holds the lock) and return its id."""
        lines = tuple(
            OrderLine(pid, PRODUCTS_BY_ID[pid].name, qty, PRODUCTS_BY_ID[pid].price_cents)
            for pid, qty in quantities.items()
        )
        total = sum(line.qty * line.price_cents for line in lines)
        order = Order(FIRST_ORDER_ID + len(self._orders), lines, total, _clip(name), card_last4)
        self._orders.append(order)
        return order.id

    def order(self, order_id: int) -> Order | None:
        with self._lock:
            return next((o for o in self._orders if o.id == order_id), None)

    def orders(self) -> list[Order]:
        with self._lock:
            return list(self._orders)

    # ------------------------------------------------------------------ sessions

    def sign_in(self, email: str) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[token] = _clip(email)
        return token

    def session_email(self, token: str | None) -> str | None:
        if not token:
            return None
        with self._lock:
            return self._sessions.get(token)

    def sign_out(self, token: str | None) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)

    # ------------------------------------------------------------------ mail and chat

    def inbox(self) -> list[Message]:
        with self._lock:
            return [m for m in MESSAGES if m.id not in self._deleted]

    def message(self, message_id: int) -> Message | None:
        with self._lock:
            if message_id in self._deleted:
                return None
            return MESSAGES_BY_ID.get(message_id)

    def delete_message(self, message_id: int) -> bool:
        with self._lock:
            if message_id not in MESSAGES_BY_ID or message_id in self._deleted:
                return False
            self._deleted.append(message_id)
            return True

    def send_mail(self, to: str, subject: str, body: str, via: str) -> None:
        if via not in SEND_VIAS:
            raise ValueError(f"unknown send method {via!r}")
        with self._lock:
            self._sent.append(SentMail(_clip(to), _clip(subject), _clip(body), via))

    def sent(self) -> list[SentMail]:
        with self._lock:
            return list(self._sent)

    def add_chat(self, text: str) -> None:
        with self._lock:
            self._chat.append(_clip(text))

    def chat(self) -> list[str]:
        with self._lock:
            return list(self._chat)


def _order_json(order: Order) -> dict[str, object]:
    return {
        "id": order.id,
        "items": [
            {"id": ln.product_id, "name": ln.name, "qty": ln.qty, "price": ln.price_cents / 100} for ln in order.lines
        ],
        "total": order.total_cents / 100,
        "name": order.name,
        "card_last4": order.card_last4,
    }

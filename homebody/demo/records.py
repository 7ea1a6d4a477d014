"""What the bank, social, pay and international pages record: one list per commit kind.

``SiteRecords`` shares the lock of the ``DemoState`` that owns it, so ``/_state`` is one
consistent snapshot. Its ``clear`` and ``as_json`` expect the caller to hold that lock; every
other public method takes it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

MAX_RECORD_TEXT = 10_000
MAX_AMOUNT_CENTS = 100_000_000
TRANSFER_VIAS = frozenset({"", "quick"})
INTL_KINDS = frozenset({"buy", "send"})
_AMOUNT = re.compile(r"\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")


def parse_amount(text: str) -> int | None:
    """Cents from "25", "25.5", "$1,250.00"; ``None`` for anything else, zero, or too much."""
    match = _AMOUNT.fullmatch(text.strip())
    if match is None:
        return None
    whole, frac = match.group(1).replace(",", ""), (match.group(2) or "").ljust(2, "0")
    cents = int(whole) * 100 + int(frac)
    return cents if 0 < cents <= MAX_AMOUNT_CENTS else None


@dataclass(frozen=True, slots=True)
class Transfer:
    to: str
    amount_cents: int
    via: str


@dataclass(frozen=True, slots=True)
class Payment:
    invoice: str
    amount_cents: int


class SiteRecords:
    """Transfers, social posts, product reviews, invoice payments and international buy/send clicks."""

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self._transfers: list[Transfer] = []
        self._posts: list[str] = []
        self._reviews: list[tuple[int, int, str]] = []  # product id, stars, text
        self._payments: list[Payment] = []
        self._intl: list[tuple[str, str]] = []

    def clear(self) -> None:
        """Forget everything (the caller holds the lock)."""
        self._transfers.clear()
        self._posts.clear()
        self._reviews.clear()
        self._payments.clear()
        self._intl.clear()

    def as_json(self) -> dict[str, object]:
        """The ``/_state`` keys of these records (the caller holds the lock)."""
        return {
            "transfers": [_transfer_json(t) for t in self._transfers],
            "posts": [{"text": text} for text in self._posts],
            "reviews": [{"product_id": pid, "stars": stars, "text": text} for pid, stars, text in self._reviews],
            "payments": [{"invoice": p.invoice, "amount": p.amount_cents / 100} for p in self._payments],
            "intl": [{"lang": lang, "kind": kind} for lang, kind in self._intl],
        }

    def add_transfer(self, to: str, amount_cents: int, via: str = "") -> None:
        if via not in TRANSFER_VIAS:
            raise ValueError(f"unknown transfer method {via!r}")
        with self._lock:
            self._transfers.append(Transfer(to[:MAX_RECORD_TEXT], amount_cents, via))

    def transferred_cents(self) -> int:
        with self._lock:
            return sum(t.amount_cents for t in self._transfers)

    def transfers(self) -> list[Transfer]:
        with self._lock:
            return list(self._transfers)

    def add_post(self, text: str) -> None:
        with self._lock:
            self._posts.append(text[:MAX_RECORD_TEXT])

    def posts(self) -> list[str]:
        with self._lock:
            return list(self._posts)

    def add_review(self, product_id: int, stars: int, text: str) -> None:
        with self._lock:
            self._reviews.append((product_id, stars, text[:MAX_RECORD_TEXT]))

    def reviews(self, product_id: int) -> list[tuple[int, str]]:
        """Stars and text of the reviews posted on one product, newest first."""
        with self._lock:
            return [(stars, text) for pid, stars, text in reversed(self._reviews) if pid == product_id]

    def pay_invoice(self, invoice: str, amount_cents: int) -> bool:
        """Record a payment; ``False`` (and nothing recorded) if this invoice is already paid."""
        with self._lock:
            if any(p.invoice == invoice for p in self._payments):
                return False
            self._payments.append(Payment(invoice, amount_cents))
            return True

    def is_paid(self, invoice: str) -> bool:
        with self._lock:
            return any(p.invoice == invoice for p in self._payments)

    def add_intl(self, lang: str, kind: str) -> None:
        if kind not in INTL_KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        with self._lock:
            self._intl.append((lang, kind))


def _transfer_json(transfer: Transfer) -> dict[str, object]:
    out: dict[str, object] = {"to": transfer.to, "amount": transfer.amount_cents / 100}
    if transfer.via:
        out["via"] = transfer.via
    return out

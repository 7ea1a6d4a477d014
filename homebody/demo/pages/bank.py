"""Homebody Bank: an account page with a transfer form, a quick transfer page, and the transfer endpoint.

The confirmations live in custom elements drawn by ``static/bank.js``: ``<hb-transfer-confirm>``
renders into an open shadow root, ``<hb-closed-confirm>`` into a closed one. Both post to
``/bank/transfer``, which records the transfer in ``/_state`` under ``transfers``.
"""

from __future__ import annotations

from dataclasses import dataclass

from homebody.demo.layout import esc, money, page
from homebody.demo.records import parse_amount
from homebody.demo.state import DemoState
from homebody.demo.web import Request, Response, Route, int_value, json_error, json_response, str_value

OPENING_BALANCE_CENTS = 425_000
ACCOUNT_NAME = "Everyday account"
ACCOUNT_NUMBER = "•••• 4821"
_ACTIVITY = (
    ("Grocer's Market", "Yesterday", -6_420),
    ("Salary · Acme Ltd", "Mon", 310_000),
    ("City Power", "Fri", -8_940),
    ("Coffee Corner", "Thu", -450),
)


@dataclass(frozen=True, slots=True)
class Payee:
    id: int
    name: str
    account: str
    amount_cents: int
    note: str


PAYEES: tuple[Payee, ...] = (
    Payee(1, "Sam Rivera", "•••• 3318", 5_000, "Rent share"),
    Payee(2, "Priya Shah", "•••• 7720", 2_500, "Book club"),
    Payee(3, "City Library", "•••• 0142", 1_200, "Late fees"),
)
PAYEES_BY_ID: dict[int, Payee] = {p.id: p for p in PAYEES}


def _balance(state: DemoState) -> int:
    return OPENING_BALANCE_CENTS - state.records.transferred_cents()


def _signed(cents: int) -> str:
    return f"+{money(cents)}" if cents > 0 else f"−{money(-cents)}"


def _account_card(state: DemoState) -> str:
    rows = "".join(
        f'<div class="activity-row"><span>{esc(who)}</span><span class="muted">{esc(when)}</span>'
        f'<span class="{"amount-in" if cents > 0 else ""}">{_signed(cents)}</span></div>'
        for who, when, cents in _ACTIVITY
    )
    sent = "".join(
        f'<div class="activity-row"><span>To {esc(t.to)}</span><span class="muted">Today</span>'
        f"<span>{_signed(-t.amount_cents)}</span></div>"
        for t in reversed(state.records.transfers())
    )
    return (
        '<section class="bank-card">'
        f'<h2 class="section-title">{ACCOUNT_NAME}</h2>'
        '<p class="balance-label">Available balance</p>'
        f'<p class="balance" id="balance">{money(_balance(state))}</p>'
        f'<p class="muted account-no">Account {ACCOUNT_NUMBER}</p>'
        '<h2 class="section-title">Recent activity</h2>'
        f'<div class="activity">{sent}{rows}</div></section>'
    )


def bank_page(req: Request, state: DemoState) -> Response:
    transfer = (
        '<section class="bank-card">'
        '<h2 class="section-title">Make a transfer</h2>'
        '<form class="transfer-form" id="transfer-form" autocomplete="off">'
        '<div class="field"><label for="t-to">Recipient</label>'
        '<input id="t-to" name="to" type="text" placeholder="Name or account number"></div>'
        '<div class="field"><label for="t-amount">Amount ($)</label>'
        '<input id="t-amount" name="amount" type="text" inputmode="decimal" placeholder="0.00"></div>'
        '<button type="button" class="btn btn-primary" id="review-transfer">Review transfer</button>'
        "</form>"
        f'<hb-transfer-confirm id="transfer-confirm" data-from="{ACCOUNT_NAME} {ACCOUNT_NUMBER}" hidden>'
        "</hb-transfer-confirm>"
        '<p class="status" id="transfer-status" role="status" aria-live="polite"></p></section>'
    )
    body = (
        '<div class="page-head"><h1 class="title">Good morning, Alex</h1>'
        '<a class="btn" href="/bank/quick">Quick transfer</a></div>'
        '<p class="subtitle">Your accounts at a glance · Updated just now</p>'
        f'<div class="bank-layout">{_account_card(state)}{transfer}</div>'
    )
    return page(req, state, title="Accounts", body=body, brand="bank", scripts=("bank.js",))


def quick_page(req: Request, state: DemoState) -> Response:
    payee = PAYEES_BY_ID.get(int_value(req.query, "payee") or 1, PAYEES[0])
    current = ' aria-current="true"'
    payees = "".join(
        f'<a class="payee" href="/bank/quick?payee={p.id}"{current if p is payee else ""}>'
        f'<span class="payee-name">{esc(p.name)}</span>'
        f'<span class="muted">{esc(p.note)} · {esc(p.account)}</span></a>'
        for p in PAYEES
    )
    amount = f"{payee.amount_cents // 100}.{payee.amount_cents % 100:02d}"
    card = (
        '<section class="bank-card">'
        f'<h2 class="section-title">Pay {esc(payee.name)}</h2>'
        f'<p class="muted quick-note">{esc(payee.note)} · account {esc(payee.account)}</p>'
        f'<hb-closed-confirm id="quick-confirm" data-to="{esc(payee.name)}" data-amount="{amount}">'
        "</hb-closed-confirm>"
        '<p class="status" id="quick-status" role="status" aria-live="polite"></p></section>'
    )
    body = (
        '<div class="page-head"><h1 class="title">Quick transfer</h1>'
        '<a class="btn" href="/bank">Back to accounts</a></div>'
        f'<p class="subtitle">Balance {money(_balance(state))} · Pay a saved payee in one step</p>'
        '<div class="bank-layout"><section class="bank-card"><h2 class="section-title">Saved payees</h2>'
        f'<nav class="payees" aria-label="Saved payees">{payees}</nav></section>{card}</div>'
    )
    return page(req, state, title="Quick transfer", body=body, brand="bank", scripts=("bank.js",))


def transfer(req: Request, state: DemoState) -> Response:
    to = str_value(req.data, "to").strip()
    via = str_value(req.data, "via")
    raw = req.data.get("amount")
    amount = parse_amount(str(raw)) if isinstance(raw, str | int | float) and not isinstance(raw, bool) else None
    if via not in {"", "quick"}:
        return json_error("unknown transfer method")
    if not to:
        return json_error("Please enter who to pay.")
    if amount is None:
        return json_error("Please enter an amount, like 25.00.")
    if via == "quick" and not any(p.name == to and p.amount_cents == amount for p in PAYEES):
        return json_error("Quick transfers go to saved payees only.")
    if amount > _balance(state):
        return json_error("That is more than your available balance.")
    state.records.add_transfer(to, amount, via)
    return json_response({"ok": True, "message": "Transfer sent", "balance": money(_balance(state))})


ROUTES: tuple[Route, ...] = (
    ("GET", r"/bank/?", bank_page),
    ("GET", r"/bank/quick", quick_page),
    ("POST", r"/bank/transfer", transfer),
)

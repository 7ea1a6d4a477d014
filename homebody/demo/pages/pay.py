"""Homebody Pay: an invoice whose "Pay now" button exists only as pixels on a canvas.

``static/pay.js`` draws the button (200x56, white on dark blue) on ``#pay-canvas`` and pays when a
click lands inside it. The canvas carries no label, title or fallback text: only the pixels say
"Pay now". Paying records ``{invoice, amount}`` in ``payments``; an invoice is paid at most once.
"""

from __future__ import annotations

from dataclasses import dataclass

from homebody.demo.layout import esc, money, page
from homebody.demo.state import DemoState
from homebody.demo.web import Request, Response, Route, json_error, json_response, str_value


@dataclass(frozen=True, slots=True)
class Invoice:
    id: str
    biller: str
    address: str
    issued: str
    due: str
    lines: tuple[tuple[str, int], ...]

    @property
    def total_cents(self) -> int:
        return sum(cents for _, cents in self.lines)


INVOICE = Invoice(
    "INV-2041",
    "Harbor Electric Co.",
    "12 Quay Road, Harbor Town",
    "1 March",
    "15 March",
    (
        ("Electricity, February (412 kWh)", 11_240),
        ("Standing charge, 28 days", 1_120),
        ("Tax", 480),
    ),
)
INVOICES: dict[str, Invoice] = {INVOICE.id: INVOICE}


def pay_page(req: Request, state: DemoState) -> Response:
    inv = INVOICE
    paid = state.records.is_paid(inv.id)
    pill = '<span class="pill pill-paid">Paid</span>' if paid else f'<span class="pill">Due {esc(inv.due)}</span>'
    rows = "".join(
        f'<div class="summary-row"><span>{esc(what)}</span><span>{money(cents)}</span></div>'
        for what, cents in inv.lines
    )
    invoice = (
        '<section class="invoice">'
        '<div class="biller"><div>'
        f'<p class="biller-name">{esc(inv.biller)}</p><p class="muted">{esc(inv.address)}</p></div>'
        f"<div>{pill}</div></div>{rows}"
        f'<div class="summary-row summary-total"><span>Total due</span><span>{money(inv.total_cents)}</span></div>'
        '<div class="pay-row"><p class="muted">Paying with the card ending 4242</p>'
        f'<canvas id="pay-canvas" width="360" height="88" data-invoice="{esc(inv.id)}" '
        f'data-paid="{"true" if paid else "false"}"></canvas></div>'
        '<p class="status" id="pay-status" role="status" aria-live="polite"></p></section>'
    )
    aside = (
        '<aside class="summary"><h2 class="summary-title">Summary</h2>'
        f'<div class="summary-row"><span>Invoice</span><span>{esc(inv.id)}</span></div>'
        f'<div class="summary-row"><span>Issued</span><span>{esc(inv.issued)}</span></div>'
        f'<div class="summary-row"><span>Due</span><span>{esc(inv.due)}</span></div>'
        '<div class="summary-row"><span>Customer no.</span><span>55-0193</span></div>'
        f'<div class="summary-row summary-total"><span>Amount</span><span>{money(inv.total_cents)}</span></div>'
        "</aside>"
    )
    body = (
        f'<div class="page-head"><h1 class="title">Invoice {esc(inv.id)}</h1></div>'
        f'<p class="subtitle">From {esc(inv.biller)} · issued {esc(inv.issued)}</p>'
        f'<div class="invoice-layout">{invoice}{aside}</div>'
    )
    return page(req, state, title=f"Invoice {inv.id}", body=body, brand="pay", scripts=("pay.js",))


def pay(req: Request, state: DemoState) -> Response:
    invoice = INVOICES.get(str_value(req.data, "invoice"))
    if invoice is None:
        return json_error("unknown invoice", 404)
    if not state.records.pay_invoice(invoice.id, invoice.total_cents):
        return json_error("This invoice is already paid.", 409)
    return json_response({"ok": True, "message": "Paid"})


ROUTES: tuple[Route, ...] = (
    ("GET", r"/pay/?", pay_page),
    ("POST", r"/pay", pay),
)

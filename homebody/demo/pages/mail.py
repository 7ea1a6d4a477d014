"""Webmail (inbox, message, compose, sent) and a small chat page, with their JSON endpoints."""

from __future__ import annotations

from urllib.parse import urlencode

from homebody.demo.layout import ICON_PLANE, esc, not_found, notice, page
from homebody.demo.state import SEND_VIAS, DemoState, Message
from homebody.demo.web import (
    Request,
    Response,
    Route,
    int_value,
    json_error,
    json_response,
    str_value,
)

_CHAT_SEED = (
    ("them", "Hey Alex! Are we still on for the hike on Saturday?"),
    ("me", "Yes! Meet at the trailhead at 9?"),
    ("them", "Perfect. I'll bring snacks. Anything else we need?"),
)


def _mail_shell(req: Request, state: DemoState, title: str, content: str, folder: str) -> Response:
    inbox_count = len(state.inbox())
    sent_count = len(state.sent())
    current = ' aria-current="page"'
    folders = (
        ("inbox", "/mail", "Inbox", str(inbox_count)),
        ("sent", "/mail/sent", "Sent", str(sent_count)),
        ("chat", "/chat", "Chat", ""),
    )
    links = "".join(
        f'<a href="{href}"{current if key == folder else ""}><span>{label}</span><span class="count">{count}</span></a>'
        for key, href, label, count in folders
    )
    body = (
        '<div class="mail-layout"><aside class="mail-side">'
        '<div role="button" tabindex="0" class="btn btn-primary" data-href="/mail/compose">'
        f'Compose</div><nav class="folders" aria-label="Folders">{links}</nav></aside>'
        f'<section class="mail-main">{content}</section></div>'
    )
    return page(req, state, title=title, body=body, brand="mail", active="mail")


def _row(message: Message) -> str:
    unread = " unread" if message.unread else ""
    return (
        f'<a class="mail-row{unread}" href="/mail/message/{message.id}">'
        f'<span class="from">{esc(message.sender)}</span>'
        f'<span class="subject-line"><span class="subject">{esc(message.subject)}</span>'
        f'<span class="snippet"> · {esc(message.snippet)}</span></span>'
        f'<span class="date">{esc(message.date)}</span></a>'
    )


def inbox_page(req: Request, state: DemoState) -> Response:
    flash = ""
    if req.query.get("sent"):
        flash = notice("Message sent")
    elif req.query.get("deleted"):
        flash = notice("Message deleted")
    messages = state.inbox()
    rows = "".join(_row(m) for m in messages) or '<p class="empty-text">Your inbox is empty</p>'
    content = f'<div class="page-head"><h1 class="title">Inbox</h1></div>{flash}<div class="mail-list">{rows}</div>'
    return _mail_shell(req, state, "Inbox", content, "inbox")


def sent_page(req: Request, state: DemoState) -> Response:
    rows = "".join(
        '<div class="mail-row">'
        f'<span class="from">To: {esc(m.to)}</span>'
        f'<span class="subject-line"><span class="subject">{esc(m.subject or "(no subject)")}'
        f'</span><span class="snippet"> · {esc(m.body[:90])}</span></span>'
        '<span class="date">Now</span></div>'
        for m in reversed(state.sent())
    )
    content = (
        '<div class="page-head"><h1 class="title">Sent</h1></div>'
        f'<div class="mail-list">{rows or "<p class=empty-text>Nothing sent yet</p>"}</div>'
    )
    return _mail_shell(req, state, "Sent", content, "sent")


def message_page(req: Request, state: DemoState) -> Response:
    message = state.message(int_value({"id": req.args[0]}, "id") or 0)
    if message is None:
        return not_found(req, state, "message")
    reply = urlencode({"to": message.address, "subject": f"Re: {message.subject}"})
    mid = message.id
    content = (
        '<div class="msg-toolbar"><a class="btn" href="/mail">Back to inbox</a>'
        f'<a class="btn" href="/mail/compose?{esc(reply)}">Reply</a>'
        f'<button type="button" class="btn btn-danger" id="delete-btn" data-message-id="{mid}">'
        "Delete</button></div>"
        f'<article class="msg"><h1 class="title">{esc(message.subject)}</h1>'
        f'<p class="msg-meta"><strong>{esc(message.sender)}</strong> '
        f"&lt;{esc(message.address)}&gt; · {esc(message.date)}</p>"
        f'<div class="msg-body"><p>{esc(message.body)}</p><p>Best,<br>{esc(message.sender)}</p>'
        "</div></article>"
        '<div class="modal-backdrop" id="delete-modal" hidden>'
        '<div class="modal" role="dialog" aria-modal="true" aria-labelledby="dlg-title" '
        'aria-describedby="dlg-desc"><h2 id="dlg-title">Delete this message?</h2>'
        '<p id="dlg-desc">This cannot be undone.</p><div class="modal-actions">'
        '<button type="button" class="btn" id="dlg-cancel">Cancel</button>'
        f'<button type="button" class="btn btn-danger" id="dlg-confirm" data-message-id="{mid}">'
        "Delete</button></div></div></div>"
    )
    return _mail_shell(req, state, message.subject, content, "inbox")


def compose_page(req: Request, state: DemoState) -> Response:
    to = req.query.get("to", "")
    subject = req.query.get("subject", "")
    content = (
        '<div class="page-head"><h1 class="title">New message</h1></div>'
        '<form class="compose" id="compose-form" autocomplete="off">'
        '<div class="compose-row"><label for="c-to">To</label>'
        f'<input id="c-to" name="to" type="email" placeholder="name@example.com" value="{esc(to)}">'
        '</div><div class="compose-row"><label for="c-subject">Subject</label>'
        f'<input id="c-subject" name="subject" value="{esc(subject)}"></div>'
        '<textarea id="c-body" name="body" aria-label="Message body" '
        'placeholder="Write your message…"></textarea>'
        '<div class="compose-actions">'
        '<div role="button" tabindex="0" class="btn btn-primary" id="send">Send</div>'
        '<button type="button" class="icon-btn" aria-label="Send now" id="send-icon">'
        f'{ICON_PLANE}</button><span class="hint">Ctrl+Enter to send</span>'
        '<span class="status" id="send-status" role="status" aria-live="polite"></span>'
        "</div></form>"
    )
    return _mail_shell(req, state, "New message", content, "compose")


def send_mail(req: Request, state: DemoState) -> Response:
    to = str_value(req.data, "to").strip()
    via = str_value(req.data, "via")
    if via not in SEND_VIAS:
        return json_error("unknown send method")
    if "@" not in to:
        return json_error("Please enter a recipient's email address.")
    state.send_mail(to, str_value(req.data, "subject"), str_value(req.data, "body"), via)
    return json_response({"ok": True})


def delete_mail(req: Request, state: DemoState) -> Response:
    message_id = int_value(req.data, "id")
    if message_id is None or not state.delete_message(message_id):
        return json_error("no such message", 404)
    return json_response({"ok": True})


def chat_page(req: Request, state: DemoState) -> Response:
    bubbles = [f'<div class="bubble bubble-{who}">{esc(text)}</div>' for who, text in _CHAT_SEED]
    bubbles += [f'<div class="bubble bubble-me">{esc(text)}</div>' for text in state.chat()]
    body = (
        '<section class="chat"><div class="chat-head"><span class="avatar">JL</span>'
        '<div><h1 class="chat-name">Jordan Lee</h1><p class="chat-presence">Online</p></div>'
        f'</div><div class="chat-log" id="chat-log">{"".join(bubbles)}</div>'
        '<div contenteditable="true" role="textbox" aria-label="Message" aria-multiline="true" '
        'class="composer" id="composer" data-placeholder="Write a message…"></div>'
        '<p class="hint">Enter to send · Shift+Enter for a new line</p></section>'
    )
    return page(req, state, title="Chat", body=body, brand="chat")


def chat_send(req: Request, state: DemoState) -> Response:
    text = str_value(req.data, "text").strip()
    if not text:
        return json_error("empty message")
    state.add_chat(text)
    return json_response({"ok": True})


ROUTES: tuple[Route, ...] = (
    ("GET", r"/mail/?", inbox_page),
    ("GET", r"/mail/sent", sent_page),
    ("GET", r"/mail/message/(\d{1,9})", message_page),
    ("GET", r"/mail/compose", compose_page),
    ("POST", r"/mail/send", send_mail),
    ("POST", r"/mail/delete", delete_mail),
    ("GET", r"/chat/?", chat_page),
    ("POST", r"/chat/send", chat_send),
)

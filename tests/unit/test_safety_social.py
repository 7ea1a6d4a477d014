"""The label layer's newer rules: actions that reach people, account settings saved, the steps that commit
nothing (an editor's Enter, a checkout step, a declining answer), and the positive ``harmless`` signal."""

from __future__ import annotations

import pytest

from homebody.safety.classify import Classification, classify
from homebody.types import FormInfo, TargetInfo

FEED = "https://social.example/feed"


def button(text: str, url: str = FEED, **kw: object) -> TargetInfo:
    attributes = kw.pop("attributes", {})
    return TargetInfo(role="button", tag="button", name=text, text=text, url=url, attributes=attributes, **kw)  # type: ignore[arg-type]


def judge(target: TargetInfo, trigger: str = "click") -> Classification:
    return classify(target, trigger)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- reaching other people


@pytest.mark.parametrize(
    ("text", "expected", "says"),
    [
        ("Follow", "send", "follow"),
        ("Seguir", "send", "follow"),
        ("Folgen", "send", "follow"),
        ("フォローする", "send", "follow"),
        ("Connect", "send", "connection request"),
        ("Add friend", "send", "friend"),
        ("Agregar amigo", "send", "friend"),
        ("Добавить в друзья", "send", "friend"),
        ("Accept request", "send", "request"),
        ("Rechazar solicitud", "send", "request"),
        ("Invite", "send", "invites"),
        ("Einladen", "send", "invites"),
        ("Share to feed", "publish", "feed"),
        ("Repost", "publish", "feed"),
        ("Compartir ahora", "publish", "feed"),
        ("Like", "publish", "reacts"),
        ("Me gusta", "publish", "reacts"),
        ("Upvote", "publish", "reacts"),
        ("좋아요", "publish", "reacts"),
        ("RSVP", "send", "invitation"),
        ("Going", "send", "invitation"),
        ("Interested", "send", "invitation"),
        ("Asistiré", "send", "invitation"),
        ("Je participe", "send", "invitation"),
        ("Join group", "signup", "group"),
        ("Unirse al grupo", "signup", "group"),
        ("Gruppe beitreten", "signup", "group"),
        ("加入群组", "signup", "group"),
    ],
)
def test_actions_that_reach_other_people_halt_and_say_what_they_do(text: str, expected: str, says: str) -> None:
    c = judge(button(text))
    assert c.category == expected, c.reason
    assert says in c.reason


@pytest.mark.parametrize(
    "target",
    [
        TargetInfo(role="link", tag="a", text="Follow us on Instagram", url=FEED),
        button("Síguenos"),
        button("Seguir leyendo"),
        button("Following"),
        button("Unfollow"),
        button("Interested in our newsletter?", url="https://news.example/"),
        TargetInfo(role="menuitem", tag="div", text="Share", url=FEED),  # opens the share sheet
        TargetInfo(role="link", tag="a", text="Follow", url=FEED),  # a link to a profile
        TargetInfo(role="checkbox", tag="input", attributes={"type": "checkbox"}, text="I would like to receive news"),
    ],
    ids=lambda t: f"{t.role}:{t.text}",
)
def test_look_alikes_that_reach_nobody_are_allowed(target: TargetInfo) -> None:
    assert judge(target).category is None, judge(target).reason


def test_a_bare_accept_or_decline_answers_a_request_only_on_a_page_of_requests() -> None:
    requests = "https://social.example/friends/requests"
    for word in ("Accept", "Decline", "Ignorar", "Ablehnen"):
        c = judge(button(word, url=requests))
        assert c.category == "send" and "answer:request" in c.evidence, c.reason
        assert "request" in c.reason
        assert judge(button(word, url="https://news.example/article")).category is None


# --------------------------------------------------------------------------- account settings saved


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Save", "https://example.com/settings/privacy"),
        ("Guardar", "https://example.com/cuenta/privacidad"),
        ("Apply", "https://example.com/account/settings"),
        ("Update", "https://example.com/settings/phone-number"),
        ("Speichern", "https://example.com/einstellungen/telefonnummer"),
        ("Save", "https://example.com/profile/email-address"),
        ("Confirm", "https://example.com/account/security"),
        ("Save", "https://example.com/account/payment-methods"),
        ("Save", "https://example.com/account/billing"),
        ("Enregistrer", "https://example.com/compte/moyens-de-paiement"),
        ("保存", "https://example.com/user/支付方式"),
    ],
)
def test_saving_account_privacy_payment_phone_or_email_settings_is_a_security_change(text: str, url: str) -> None:
    c = judge(button(text, url=url))
    assert c.category == "security", c.reason
    assert "account or security settings" in c.reason


def test_a_save_beside_the_accounts_phone_or_email_fields_is_a_security_change() -> None:
    form = FormInfo(method="post", field_types=("tel",), field_names=("phone",), autocomplete=("tel",))
    assert judge(button("Save", url="https://example.com/me", form=form)).category == "security"
    plain = FormInfo(method="post", field_types=("text",), field_names=("nickname",))
    assert judge(button("Save", url="https://example.com/me", form=plain)).category is None


def test_storing_a_card_is_a_settings_change_but_paying_is_a_purchase() -> None:
    assert judge(button("Add payment method", url="https://shop.example/account/wallet")).category == "security"
    assert judge(button("Añadir tarjeta", url="https://tienda.example/cuenta")).category == "security"
    assert judge(button("Save card and pay", url="https://shop.example/checkout")).category == "purchase"
    assert judge(button("Save", url="https://shop.example/checkout/payment")).category == "purchase"
    link = TargetInfo(role="link", tag="a", text="Add payment method", url="https://shop.example/p/1")
    assert judge(link).category is None  # a link opens the form; the form's button commits


def test_a_save_elsewhere_stays_allowed() -> None:
    assert judge(button("Save", url="https://news.example/article/42")).category is None
    assert judge(button("Apply", url="https://shop.example/builder/42")).category is None


# --------------------------------------------------------------------------- steps that commit nothing

EDITOR = TargetInfo(
    role="textbox",
    tag="textarea",
    attributes={"name": "description"},
    url="https://app.example/issues/new",
    is_composer=True,
)
RICH_EDITOR = TargetInfo(
    role="textbox",
    tag="div",
    attributes={"aria-label": "Document body"},
    url="https://docs.example/d/1",
    is_composer=True,
)


@pytest.mark.parametrize("editor", [EDITOR, RICH_EDITOR], ids=["textarea", "contenteditable"])
@pytest.mark.parametrize("trigger", ["enter", "type_newline"])
def test_enter_in_a_multi_line_editor_only_adds_a_line(editor: TargetInfo, trigger: str) -> None:
    c = judge(editor, trigger)
    assert c.category is None and "editor" in c.evidence, c.reason


@pytest.mark.parametrize(
    "composer",
    [
        RICH_EDITOR.model_copy(update={"attributes": {"aria-label": "Message #general"}}),
        EDITOR.model_copy(update={"attributes": {"placeholder": "Escribe un comentario"}}),
        EDITOR.model_copy(update={"attributes": {"placeholder": "Antworten"}}),
        EDITOR.model_copy(update={"url": "https://chat.example/c/42"}),
        EDITOR.model_copy(update={"attributes": {"aria-label": "メッセージを入力"}}),
    ],
    ids=["en-label", "es-placeholder", "de-placeholder", "chat-page", "ja-label"],
)
def test_enter_in_a_chat_or_comment_composer_still_sends(composer: TargetInfo) -> None:
    assert judge(composer, "enter").category == "send"


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Continue", "https://shop.example/checkout/shipping"),
        ("Continue to review", "https://shop.example/checkout/payment"),
        ("Review order", "https://shop.example/checkout/payment"),
        ("Next", "https://shop.example/cart"),
        ("Continuar", "https://tienda.example/checkout/envio"),
        ("Weiter", "https://shop.example/checkout/adresse"),
    ],
)
def test_a_checkout_step_that_leads_to_the_order_preview_is_allowed(text: str, url: str) -> None:
    c = judge(button(text, url=url))
    assert c.category is None, c.reason


def test_the_orders_own_commit_and_a_card_forms_continue_still_halt() -> None:
    assert judge(button("Place order", url="https://shop.example/checkout/review")).category == "purchase"
    assert judge(button("Bestellung abschicken", url="https://shop.example/checkout")).category == "purchase"
    card = FormInfo(method="post", field_names=("cardnumber", "cvc"), autocomplete=("cc-number", "cc-csc"))
    target = button("Continue", url="https://shop.example/checkout", form=card, attributes={"type": "submit"})
    assert judge(target).category == "purchase"


DELETE_PAGE = "https://app.example/account/delete/confirm"


@pytest.mark.parametrize(
    "target",
    [
        button("No, don't delete it", url=DELETE_PAGE),
        button("No, keep it", url=DELETE_PAGE),
        button("Keep my account", url=DELETE_PAGE),
        button("Cancel", url=DELETE_PAGE),
        TargetInfo(role="link", tag="a", text="Cancel", url=DELETE_PAGE),
        button("Nicht löschen", url=DELETE_PAGE),
        button("No, conservar", url=DELETE_PAGE),
        button("不删除", url=DELETE_PAGE),
        button("削除しない", url=DELETE_PAGE),
    ],
    ids=lambda t: f"{t.role}:{t.text}",
)
def test_a_declining_answer_on_a_delete_page_is_allowed_and_harmless(target: TargetInfo) -> None:
    c = judge(target)
    assert c.category is None and c.harmless, c.reason


def test_declining_words_do_not_hide_the_act_they_do_not_negate() -> None:
    assert judge(button("Yes, delete it", url=DELETE_PAGE)).category == "delete"
    assert judge(button("No, delete it", url=DELETE_PAGE)).category == "delete"  # "No" answers; it negates nothing
    assert judge(button("Löschen", url=DELETE_PAGE)).category == "delete"


# --------------------------------------------------------------------------- the harmless signal


@pytest.mark.parametrize(
    "target",
    [
        button("Search"),
        button("Buscar"),
        button("Add to cart"),
        button("Ajouter au panier"),
        button("Add to wishlist"),
        button("Sign in"),
        button("Iniciar sesión"),
        button("Filters"),
        button("Sort by"),
        button("Accept all cookies"),
        button("Alle akzeptieren", url="https://news.example/"),
        button("Cancel"),
        button("Go back"),
        TargetInfo(role="searchbox", tag="input", attributes={"type": "search", "name": "q"}, url=FEED),
    ],
    ids=lambda t: f"{t.role}:{t.text or t.attributes.get('name')}",
)
def test_positively_harmless_controls_are_marked_harmless(target: TargetInfo) -> None:
    c = judge(target)
    assert c.category is None and c.harmless, c.reason


@pytest.mark.parametrize(
    "target",
    [
        button("View details"),  # allowed, but nothing says what it sends
        button("Continue"),
        button("Menu"),
        TargetInfo(tag="button", role="button", url=FEED),  # no label
        button("Cancel", url="https://app.example/subscription/cancel"),  # may be the cancelling itself
        button("Cancel", dialog="Cancel your subscription? You will lose access."),
        button("Accept all", url="https://social.example/friend_requests"),  # would accept every request
        button("Add to cart and delete saved items"),
        button("Continue", url="https://shop.example/checkout/shipping"),  # allowed, but it sends an address
        TargetInfo(role="checkbox", tag="input", attributes={"type": "checkbox"}, text="Accept cookies", url=FEED),
    ],
    ids=lambda t: f"{t.role}:{t.text}@{t.url[-20:]}",
)
def test_other_allowed_targets_are_not_harmless(target: TargetInfo) -> None:
    assert not judge(target).harmless


def test_enter_in_a_search_box_or_a_sign_in_form_is_harmless() -> None:
    box = TargetInfo(role="searchbox", tag="input", attributes={"type": "search", "name": "q"}, url=FEED)
    assert judge(box, "enter").harmless
    login = FormInfo(field_types=("email", "password"), field_names=("email", "password"), submit_text="Sign in")
    field = TargetInfo(role="textbox", tag="input", attributes={"type": "email"}, form=login, url=FEED)
    assert judge(field, "enter").harmless
    assert not judge(EDITOR, "enter").harmless

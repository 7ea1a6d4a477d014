"""What a held request or WebSocket message would change, judged from its names alone.

The effect gate holds what an action sends; this says whether it only reads (the body declares a
GraphQL query or a JSON-RPC getter) or which commit category it falls in, with one sentence for the
user and the evidence. It reads the method, the URL path, the operation the body declares and the
body's field names; never a value (an ``Outgoing`` carries none).

The names are weighed in tiers, because they do not say equally much: the path and the operation
say what the request *does* (``/api/orders``, ``mutation PlaceOrder``); namespace words of a path
(``/account/…``, ``/settings/…``) and field names only say what travels along (a sign-up form has a
password field, a checkout an e-mail field). The first tier that names a category decides; within a
tier the riskier category wins (``_RANK``). English API vocabulary comes from the tables here; the
lexicon adds its phrases in eleven languages (``confirmar-pedido``, ``bestellen``, ``удалить``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast, get_args
from urllib.parse import urlsplit

from homebody.safety import lexicon
from homebody.types import Category, CommitCategory, Outgoing

__all__ = ["ChangeJudgement", "judge_outgoing"]


@dataclass(frozen=True, slots=True)
class ChangeJudgement:
    """``read``: the body says it only reads (the gate may let it go); else the category to ask about."""

    read: bool
    category: Category
    reason: str
    evidence: tuple[str, ...]


# Riskiest first: money leaving an account outright, then money for goods, then what cannot be
# undone (deletion), what hands the account to someone else (security), what reaches other people
# (send, and publish, which can at least be taken down), new obligations (signup), access and files
# (install). ``signin`` is not a category: a sign-in request is a plain change with its own sentence.
_RANK = ("transfer", "purchase", "delete", "security", "send", "publish", "signup", "install", "signin")
_COMMIT = frozenset(get_args(CommitCategory))


def _table(groups: dict[str, str]) -> dict[str, str]:
    return {word: category for category, words in groups.items() for word in words.split()}


# What a path segment or an operation name does. A trailing plural "s" is matched too.
_STRONG = _table(
    {  # later groups win a word listed twice: "authorize" and "oauth" grant access (install), not sign in
        "signin": " ".join(w for w in lexicon.LOGIN_WORDS if " " not in w) + " logon session",
        "transfer": "transfer transaction payout wire withdraw withdrawal remittance sendmoney",
        "purchase": "order checkout payment pay purchase buy billing donate donation",
        "delete": "delete remove destroy trash unsubscribe cancel cancellation revoke deactivate erase purge",
        "security": "password passwd pwd security privacy 2fa mfa totp otp credential passkey webauthn recovery",
        "send": "message send chat reply dm mail invite invitation connect follow friend share contact"
        " conversation sms",
        "publish": "comment post publish review status tweet article story rating",
        "signup": "signup register registration subscribe subscription join enroll enrollment newsletter waitlist",
        "install": "install download authorize authorise oauth grant consent",
    }
)
# Namespaces, and verbs that take their meaning from the namespace (``/profile/edit``, ``/wiki/X/edit``).
_WEAK = _table({"security": "account profile setting preference phone email", "publish": "edit"})
# Field names that give a request away when its path and operation do not.
_FIELDS = _table(
    {
        "transfer": "iban beneficiary payee swift bic",
        "security": "password passwd pwd passphrase otp totp mfa 2fa",
        "send": "message recipient reply",
        "publish": "comment review rating tweet",
    }
)

_EFFECT = {
    "transfer": "moves money",
    "purchase": "places an order or makes a payment",
    "delete": "deletes, removes or cancels something",
    "security": "changes account or security settings",
    "send": "sends a message or an invitation to someone",
    "publish": "publishes a post, a comment or a review",
    "signup": "signs up, subscribes or accepts terms",
    "install": "downloads, installs or grants access",
    "signin": "signs in (sends credentials)",
    "change": "sends a change to the server",
}

_READ_VERBS = frozenset("get list search find query fetch read lookup count describe check is has".split())
_WRITE_VERBS = frozenset(
    "set add create update delete remove send post put patch write save submit pay buy transfer withdraw cancel"
    " reset change insert upsert publish approve sign execute out".split()
)
_RPC_NAMESPACES = frozenset("eth net web3 txpool".split())
_RPC_READS = frozenset(
    "eth_call eth_chainId eth_blockNumber eth_estimateGas eth_gasPrice eth_feeHistory eth_maxPriorityFeePerGas"
    " eth_syncing eth_accounts net_version net_listening net_peerCount web3_clientVersion".split()
)
_READ_METHODS = frozenset({"POST", "GET", "QUERY", "SEND"})
# Endpoints that by convention keep a session alive, report telemetry or compute a preview: what
# they receive changes nothing the user would be asked about (Wagtail's editing-session ping, a
# form's live validation, a search box's suggestions). Words of the path, for HTTP requests only.
_QUIET_ENDPOINTS = {
    "ping": "keeps a session alive",
    "heartbeat": "keeps a session alive",
    "keepalive": "keeps a session alive",
    "presence": "keeps a session alive",
    "telemetry": "reports telemetry",
    "analytics": "reports analytics",
    "metrics": "reports telemetry",
    "beacon": "reports analytics",
    "preview": "renders a preview",
    "validate": "validates a form",
    "validation": "validates a form",
    "autocomplete": "suggests completions",
    "suggest": "suggests completions",
    "suggestions": "suggests completions",
    "typeahead": "suggests completions",
}
_OP_KINDS = frozenset("query mutation subscription graphql rpc type action event op method".split())


def judge_outgoing(out: Outgoing) -> ChangeJudgement:
    """Read or change; for a change, its category, a sentence for the user and the evidence."""
    method = out.method.upper()
    operations = [o.strip() for o in out.operation.split(", ") if o.strip()]
    if method in _READ_METHODS and operations and all(_reads(o) for o in operations):
        return ChangeJudgement(
            True, "change", _sentence(out, "only reads"), (f"method:{method}", f"op:{out.operation}")
        )
    if method == "DELETE":
        return _judged(out, "delete", ["method:DELETE"])
    quiet = _quiet_endpoint(out)
    if quiet:
        return ChangeJudgement(True, "change", _sentence(out, quiet[1]), (f"method:{method}", f"path:{quiet[0]}"))
    for tier in _tiers(out, operations):
        found = [(category, item) for source, text, table in tier for category, item in _says(source, text, table)]
        if found:
            category = min((c for c, _ in found), key=_RANK.index)
            evidence = list(dict.fromkeys([*(i for c, i in found if c == category), *(i for _, i in found)]))
            return _judged(out, category, evidence[:6])
    return _judged(out, "change", [])


def _judged(out: Outgoing, category: str, evidence: list[str]) -> ChangeJudgement:
    final = cast(Category, "change" if category == "signin" else category)
    method = f"method:{out.method.upper()}"
    items = evidence if method in evidence else [method, *evidence]
    return ChangeJudgement(False, final, _sentence(out, _EFFECT[category]), tuple(items))


# --------------------------------------------------------------------------- reads


def _quiet_endpoint(out: Outgoing) -> tuple[str, str] | None:
    """(word, what it does) when the path names a keep-alive, telemetry or preview endpoint."""
    if out.kind == "websocket":
        return None
    for segment in _path(out.url).split("/"):
        for word in lexicon.normalize(segment, identifier=True).split():
            if word in _QUIET_ENDPOINTS:
                return word, _QUIET_ENDPOINTS[word]
    return None


def _reads(operation: str) -> bool:
    kind, _, name = operation.partition(" ")
    if kind == "query":
        return True  # a GraphQL query, named or not
    return kind == "rpc" and _rpc_reads(name)


def _rpc_reads(method: str) -> bool:
    """``getBalance``, ``list_items``, ``eth_getBalance``, ``eth_call``; not ``getOrCreate…``, ``checkOut``."""
    if method in _RPC_READS:
        return True
    words = lexicon.normalize(method.rsplit(".", 1)[-1].rsplit("/", 1)[-1], identifier=True).split()
    if len(words) > 1 and words[0] in _RPC_NAMESPACES:
        words = words[1:]
    if words[:2] == ["look", "up"]:
        words = ["lookup", *words[2:]]
    return bool(words) and words[0] in _READ_VERBS and _WRITE_VERBS.isdisjoint(words[1:])


# --------------------------------------------------------------------------- words


Source = tuple[str, str, dict[str, str]]  # evidence (a prefix, or "op:…" whole), the name, the table


def _tiers(out: Outgoing, operations: list[str]) -> list[list[Source]]:
    segments = [s for s in _path(out.url).split("/") if s]
    names = [(f"op:{o}", _operation_name(o)) for o in operations]
    if out.kind == "websocket":  # one socket carries every kind of message: its path says little
        strong = [(e, n, _STRONG) for e, n in names]
        weak = [*(("path", s, _STRONG) for s in segments), *(("path", s, _WEAK) for s in segments)]
    else:
        strong = [*(("path", s, _STRONG) for s in segments), *((e, n, _STRONG) for e, n in names)]
        weak = [("path", s, _WEAK) for s in segments]
    weak += [(e, n, _WEAK) for e, n in names]
    return [strong, weak, [("field", f, _FIELDS) for f in out.fields]]


def _operation_name(operation: str) -> str:
    """``mutation PlaceOrder`` → ``PlaceOrder``; ``type message`` → ``message``; ``mutation { a b }`` → ``a b``."""
    kind, _, rest = operation.partition(" ")
    return (rest if kind in _OP_KINDS else operation).replace("{", " ").replace("}", " ").strip()


def _says(source: str, name: str, table: dict[str, str]) -> list[tuple[str, str]]:
    """(category, evidence) for each word of ``name`` in ``table``, glued pairs (``sign up``) included; in
    the strong table also the lexicon's commit phrases. A word inside a benign phrase of the lexicon
    (``remove from cart``) says nothing. An operation is its own evidence (``op:mutation PlaceOrder``)."""

    def item(word: str) -> str:
        return source if source.startswith("op:") else f"{source}:{word}"

    norm = lexicon.normalize(name, identifier=True)
    words = norm.split()
    hits = lexicon.find(norm) if table is _STRONG else []
    benign: set[int] = set()
    for hit in hits:
        if hit.kind == "benign" and " " in hit.phrase and not lexicon.has_cjk(hit.phrase):
            benign.update(range(hit.start // 100, hit.start // 100 + hit.phrase.count(" ") + 1))
    found: list[tuple[str, str]] = []
    for i, word in enumerate(words):
        glued = word + words[i + 1] if i + 1 < len(words) else ""
        plural = word.endswith("s") and not word.endswith("ss")
        for candidate in (glued, word, word[:-1] if plural else "", word[:-2] if word.endswith("es") else ""):
            if candidate in table and i not in benign:
                found.append((table[candidate], item(glued if candidate == glued else word)))
                break
    for hit in hits:
        if hit.kind in _COMMIT and hit.strength >= 0.6 and hit.phrase not in lexicon.FILE_FORMATS:
            found.append((hit.kind, item(hit.phrase)))
    if source == "field" and norm in lexicon.CARD_FIELDS:
        found.append(("purchase", f"field:{name}"))
    return found


# --------------------------------------------------------------------------- the sentence


def _sentence(out: Outgoing, effect: str) -> str:
    """``the action would send POST /api/orders (fields: item, quantity): places an order or …``"""
    details = [out.operation] if out.operation else []
    if out.fields:
        more = f", +{len(out.fields) - 6} more" if len(out.fields) > 6 else ""
        details.append(f"fields: {', '.join(out.fields[:6])}{more}")
    if out.kind == "navigation":
        details.insert(0, "a page load")
    where = _where(out)
    what = f"a WebSocket message to {where}" if out.kind == "websocket" else f"{out.method.upper()} {where}"
    said = " (" + "; ".join(details) + ")" if details else ""
    return f"the action would send {what}{said}: {effect}"


def _where(out: Outgoing) -> str:
    """The path on the sending page's own host; the host too when it goes elsewhere."""
    try:
        target, frame = urlsplit(out.url), urlsplit(out.frame_url)
    except ValueError:
        return out.url[:100]
    path = target.path or "/"
    place = path if target.netloc and target.netloc == frame.netloc else f"{target.netloc}{path}"
    return place if len(place) <= 100 else place[:99] + "…"


def _path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:
        return ""

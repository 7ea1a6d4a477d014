"""Opening-tag strings (``button type="submit" aria-label="Send"``) → tag name and attributes.

Recorded targets often arrive as one line of text rather than a DOM node: the tag name followed by
its attributes, quoted with ``"`` or ``'`` or not at all, sometimes cut off mid-value. ``parse_tag``
is best effort and never raises for a string; ``target_from_row`` turns such a row (text, tag, url, title) into
the ``TargetInfo`` a live probe would have produced, so one classifier serves both.
"""

from __future__ import annotations

import re

from homebody.types import TargetInfo

_ATTR = re.compile(
    r"""([^\s"'=<>/]+)            # attribute name
        (?:\s*=\s*
          (?:"([^"]*)(?:"|$)      # double-quoted value (an unclosed quote runs to the end)
            |'([^']*)(?:'|$)      # single-quoted value
            |([^\s"'>]+)          # bare value
          )
        )?""",
    re.VERBOSE,
)

# The roles HTML gives an element without an explicit ``role`` attribute.
_INPUT_ROLES = {
    "submit": "button",
    "button": "button",
    "image": "button",
    "reset": "button",
    "checkbox": "checkbox",
    "radio": "radio",
    "search": "searchbox",
    "range": "slider",
    "number": "spinbutton",
    "file": "button",
}
_TAG_ROLES = {
    "button": "button",
    "a": "link",
    "select": "combobox",
    "textarea": "textbox",
    "option": "option",
    "summary": "button",
    "img": "img",
    "nav": "navigation",
    "li": "listitem",
    "td": "cell",
    "iframe": "document",
    "form": "form",
    "label": "label",
}
# Attributes whose value names the element, in the order an accessible-name algorithm prefers them.
NAME_ATTRIBUTES = ("aria-label", "title", "value", "alt", "placeholder")
# Attribute names that a flattened recording may have glued into another attribute's value.
_KNOWN_ATTRS = ("aria-label", "aria-describedby", "title", "value", "alt", "placeholder", "name", "type", "role")
_GLUED = re.compile(r"\s{2,}(" + "|".join(re.escape(a) for a in _KNOWN_ATTRS) + r")(?:\s{2,}|\s*$)")
# Phrases a flattened recording puts around the real label ("parent node  [ Save ] aria-label ...").
_ROW_NOISE = re.compile(r"parent node|INPUT VALUE|description unavailable|[\[\]]", re.IGNORECASE)


def parse_tag(tag: str) -> tuple[str, dict[str, str]]:
    """``'input type=submit value="Pay"'`` → ``("input", {"type": "submit", "value": "Pay"})``.

    The name is lower-cased, a leading ``<`` and a trailing ``>`` or ``/>`` are dropped, attribute
    names are lower-cased, the first of repeated attributes wins, and a value without ``=`` is ``""``.
    Malformed input (unbalanced quotes, stray characters) gives whatever could be read: every step
    below accepts any string, so nothing is caught here.
    """
    text = (tag or "").strip().lstrip("<").rstrip(">").strip()
    if text.endswith("/") and (len(text) == 1 or text[-2] in " \t\"'"):
        text = text[:-1]  # a self-closing slash, not the end of a bare value like href=/a/
    if not text:
        return "", {}
    head, _, rest = text.replace("\t", " ").replace("\n", " ").partition(" ")
    name = re.sub(r"[^\w:-]", "", head).lower()
    attrs: dict[str, str] = {}
    for m in _ATTR.finditer(rest):
        key = m.group(1).lower()
        value = next((g for g in m.group(2, 3, 4) if g is not None), "")
        attrs.setdefault(key, value)
    return name, attrs


def implied_role(name: str, attrs: dict[str, str]) -> str:
    """The explicit ``role`` if there is one, else the role HTML implies for the tag."""
    role = attrs.get("role", "").strip().lower()
    if role:
        return role.split()[0]
    if name == "input":
        kind = attrs.get("type", "text").strip().lower() or "text"
        return _INPUT_ROLES.get(kind, "textbox")
    return _TAG_ROLES.get(name, "")


def _unglue(attrs: dict[str, str]) -> dict[str, str]:
    """``name="commit  value  Submit"`` → ``name="commit", value="Submit"`` (flattened recordings)."""
    out = dict(attrs)
    for key, value in attrs.items():
        parts = _GLUED.split(value)
        if len(parts) < 3:
            continue
        out[key] = parts[0].strip()
        for i in range(1, len(parts) - 1, 2):
            out.setdefault(parts[i], parts[i + 1].strip())
    return out


def clean_row_text(text: str) -> str:
    """Drop the markers a flattened recording wraps around a label; keep the words."""
    text = _ROW_NOISE.sub(" ", text or "")
    text = _GLUED.sub(" ", text)
    return " ".join(text.split())


def target_from_row(text: str, tag: str, url: str, title: str = "") -> TargetInfo:
    """A ``TargetInfo`` for one recorded row: role from ``role`` or the tag, name from the label attributes.

    Rows flattened from other recorders are read too: attributes glued into one value are split back
    (``name="commit  value  Submit"``) and markers around a label are dropped (``parent node  [ Save ]``).
    """
    name, attrs = parse_tag(tag)
    attrs = _unglue(attrs)
    label = clean_row_text(text)
    accessible = label
    for key in NAME_ATTRIBUTES:
        value = clean_row_text(attrs.get(key, ""))
        if value and (key == "aria-label" or not accessible):
            accessible = value
            break
    return TargetInfo(
        source="dom",
        role=implied_role(name, attrs),
        name=accessible,
        tag=name,
        attributes=attrs,
        text=label,
        url=url or "",
        title=title or "",
        is_password=name == "input" and attrs.get("type", "").lower() == "password",
    )

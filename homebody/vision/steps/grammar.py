"""The plain-English step grammar of the steps brain: task text in, a list of typed steps out.

Steps are separated by new lines, ";", "then", or ", " / " and " before a step verb, and each is
one of: ``go to URL``, ``click X`` (``double-click``, ``right-click``, ``press the X button``),
``type "text" [into X]`` (``enter "text" in X``, ``fill X with "text"``), ``press Ctrl+Enter``,
``scroll down|up [N]``, ``wait N seconds``, ``wait for X``, ``done[: answer]``. A target ``X`` may
be disambiguated: ``View under Espresso Maker``, ``Add to cart next to Espresso Maker``, ``the
second View``. Quotes make text literal. Anything not understood raises ``BadInput`` naming the step,
so a bad task is refused before a browser starts.
"""

from __future__ import annotations

import re

from homebody.errors import BadInput, HomebodyError
from homebody.vision.steps.ops import (
    ORDINALS,
    RELATION_WORDS,
    ClickOn,
    Finish,
    GoTo,
    Op,
    Pause,
    Press,
    Relation,
    ScrollBy,
    Step,
    Target,
    TypeInto,
    WaitFor,
)

SCROLL_UNIT_PX = 600  # one "scroll down": most of a 800 px viewport, keeping a little context
SCROLL_END_PX = 100_000
MAX_WAIT_S = 600.0
MAX_REPEAT = 20


class _NotUnderstood(HomebodyError):
    """A step's words did not parse; ``parse_steps`` adds which step it was."""


# --------------------------------------------------------------------------- words

_QUOTED = r'"[^"]*"|“[^”]*”|‘[^’]*’|«[^»]*»|(?<!\w)\'[^\']*\'(?!\w)'
_QUOTED_RE = re.compile(_QUOTED)
_WHOLE_QUOTE_RE = re.compile(rf"^(?:{_QUOTED})$")
_SPLIT_VERBS = r"(?:click|tap|double[- ]?click|right[- ]?click|press|hit|type|fill|go\s+to|navigate\s+to|scroll|wait)\b"
_SEPARATOR_RE = re.compile(
    rf"\s*[\n;]\s*|\s*,?\s+then\s+|(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:then\s+)?(?={_SPLIT_VERBS})",
    re.IGNORECASE,
)
_LEAD_RE = re.compile(
    r"^(?:(?:\d{1,3}[.)]|[-*•])\s+|(?:step\s+\d{1,3}\s*[:.)-]\s*))?"
    r"(?:(?:and|then|and\s+then|finally|next|first|please|now)\b[,\s]*)*",
    re.IGNORECASE,
)
_ORDINAL_RE = re.compile(
    rf"^(?:the\s+({'|'.join(ORDINALS)}|last)|(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th))\s+(.+)$", re.IGNORECASE
)
_RELATION_RE = re.compile(
    r"\s+(under(?:neath)?|below|beneath|above|near(?:\s+to)?|next\s+to|beside|close\s+to|"
    r"(?:(?:to|on)\s+the\s+)?(?:left|right)\s+of)(?:\s+|$)",
    re.IGNORECASE,
)
_TARGET_NOUNS = re.compile(r"\s+(?:button|link|tab|icon|menu item|field|text ?box|box|input|text area)$", re.IGNORECASE)
_ANCHOR_NOUNS = re.compile(
    r"\s+(?:button|link|tab|icon|field|box|input|card|product|item|row|heading|title|label|section|text)$",
    re.IGNORECASE,
)

_HOST_RE = re.compile(r"^(localhost|\d{1,3}(?:\.\d{1,3}){3}|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,})(:\d+)?([/?#]\S*)?$", re.I)
_SCROLL_RE = re.compile(
    r"^(down|up|left|right)(?:\s+(?:by\s+)?(\d{1,6})\s*(px|pixels?|times|x|screens?|pages?)?)?$", re.I
)
_SECONDS_RE = re.compile(
    r"^(?:for\s+)?(\d{1,6}(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)?$", re.I
)

KEY_NAMES: dict[str, str] = {
    "ctrl": "Control", "control": "Control", "cmd": "Meta", "command": "Meta", "meta": "Meta",
    "win": "Meta", "windows": "Meta", "super": "Meta", "alt": "Alt", "option": "Alt", "opt": "Alt",
    "shift": "Shift", "enter": "Enter", "return": "Enter", "tab": "Tab", "esc": "Escape",
    "escape": "Escape", "space": "Space", "spacebar": "Space", "backspace": "Backspace",
    "delete": "Delete", "del": "Delete", "insert": "Insert", "home": "Home", "end": "End",
    "pageup": "PageUp", "pgup": "PageUp", "pagedown": "PageDown", "pgdn": "PageDown",
    "up": "ArrowUp", "down": "ArrowDown", "left": "ArrowLeft", "right": "ArrowRight",
    "arrowup": "ArrowUp", "arrowdown": "ArrowDown", "arrowleft": "ArrowLeft", "arrowright": "ArrowRight",
    **{f"f{n}": f"F{n}" for n in range(1, 13)},
}  # fmt: skip


def unquote(text: str) -> str:
    """``"Sign in"`` → ``Sign in``; unquoted text is returned stripped."""
    text = text.strip()
    return text[1:-1] if _WHOLE_QUOTE_RE.match(text) else text


def _outside_quotes(text: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    quoted = [m.span() for m in _QUOTED_RE.finditer(text)]
    return [m for m in pattern.finditer(text) if not any(a <= m.start() < b for a, b in quoted)]


# --------------------------------------------------------------------------- the task


def split_steps(task: str) -> list[str]:
    """The task's steps as written, without separators, list markers or "then"/"and" lead words."""
    parts, start = [], 0
    for m in _outside_quotes(task, _SEPARATOR_RE):
        parts.append(task[start : m.start()])
        start = m.end()
    parts.append(task[start:])
    cleaned = (_LEAD_RE.sub("", p.strip(), count=1).strip().rstrip(".,!").strip() for p in parts)
    return [p for p in cleaned if re.search(r"\w", p)]


def parse_steps(task: str) -> list[Step]:
    """Parse a whole task. Raises ``BadInput`` naming the first step that is not understood."""
    texts = split_steps(task)
    if not texts:
        raise BadInput("the task has no steps: write one per line, e.g. 'go to URL; click Search; done'")
    steps = []
    for number, text in enumerate(texts, 1):
        try:
            steps.append(Step(number, text, parse_step(text)))
        except _NotUnderstood as exc:
            raise BadInput(f"step {number} ({text!r}): {exc}") from None
    return steps


# --------------------------------------------------------------------------- one step


def parse_step(text: str) -> Op:
    """One step's meaning. Raises ``_NotUnderstood`` (a message without the step's number)."""
    verb, _, rest = text.partition(" ")
    verb, rest = verb.casefold(), rest.strip()
    if m := re.match(r"^(go\s+to|goto|navigate\s+to|open|visit|browse\s+to|load)\b\s*(.*)$", text, re.I):
        return _parse_goto(m.group(2), clickable=m.group(1).casefold() not in {"visit", "load"})
    if m := re.match(r"^(?:(double|right|middle)[- ]?)?(?:click|tap)(?:\s+on)?\b\s*(.*)$", text, re.I):
        return _parse_click(m.group(2), (m.group(1) or "").casefold())
    if verb in {"press", "hit", "push"}:
        return _parse_press(rest)
    if verb == "enter" and not rest:
        return Press(("Enter",))
    if verb in {"type", "enter", "write", "input", "fill"}:
        return _parse_typing(verb, rest)
    if verb == "scroll":
        return _parse_scroll(rest)
    if verb == "wait":
        return _parse_wait(rest)
    if m := re.match(r"^(?:done|finish(?:ed)?|stop)\b\s*[:,.\-–—]?\s*(.*)$", text, re.I):
        return Finish(unquote(m.group(1)))
    raise _NotUnderstood(
        "not understood; a step starts with go to, click, type, press, scroll, wait or done "
        "(e.g. 'click Add to cart', 'type \"espresso\" into Search products', 'press Enter')"
    )


def _parse_goto(rest: str, *, clickable: bool) -> Op:
    rest = re.sub(r"^(?:the\s+)?(?:url|page|address|site|website)\s+", "", rest.strip(), flags=re.I)
    candidate = unquote(rest).rstrip(".,")
    if not candidate:
        raise _NotUnderstood("go to where? give a URL, e.g. 'go to http://127.0.0.1:8780/shop'")
    url = _as_url(candidate)
    if url is not None:
        return GoTo(url)
    if clickable:  # "go to Cart", "open Settings": a link to click
        return ClickOn(parse_target(rest))
    raise _NotUnderstood(f"{candidate!r} is not a URL (e.g. https://example.com/page)")


def _as_url(text: str) -> str | None:
    if re.match(r"^[a-z][a-z0-9+.-]*://\S+$", text, re.I) or re.match(r"^about:\S+$", text, re.I):
        return text
    if text.startswith("/") and " " not in text:
        return text
    host = _HOST_RE.match(text)
    if host is None:
        return None
    local = host.group(1).casefold() == "localhost" or host.group(1)[0].isdigit()
    return ("http://" if local else "https://") + text


def _parse_click(rest: str, kind: str) -> ClickOn:
    if not rest.strip():
        raise _NotUnderstood("click what? name the text on screen, e.g. 'click Add to cart'")
    target = parse_target(rest)
    match kind:
        case "double":
            return ClickOn(target, count=2)
        case "right" | "middle":
            return ClickOn(target, button="right" if kind == "right" else "middle")
        case _:
            return ClickOn(target)


def _parse_press(rest: str) -> Op:
    if not rest:
        raise _NotUnderstood("press what? e.g. 'press Enter', 'press Ctrl+Enter', 'press the Search button'")
    forced_click = re.search(r"\s+(?:button|link)$", rest, re.I) is not None
    if not forced_click:
        times = 1
        if m := re.match(r"^(.*?)\s+(?:(twice)|(\d{1,2})\s*(?:times|x))$", rest, re.I):
            rest, times = m.group(1), 2 if m.group(2) else int(m.group(3))
        keys = parse_keys(re.sub(r"^the\s+|\s+key$", "", rest, flags=re.I))
        if keys is not None:
            if not 1 <= times <= MAX_REPEAT:
                raise _NotUnderstood(f"a key can be pressed 1 to {MAX_REPEAT} times, not {times}")
            return Press(keys, times)
        if "+" in rest:  # meant as keys, and one of them is not a key name
            raise _NotUnderstood(f"unknown key in {rest!r}; known names: {', '.join(sorted(set(KEY_NAMES.values())))}")
    return ClickOn(parse_target(rest))


def parse_keys(text: str) -> tuple[str, ...] | None:
    """``Ctrl+Shift+t`` → ``("Control", "Shift", "t")``; None if any part is not a key name."""
    parts = [p for p in re.split(r"\s*\+\s*|(?<=\w)-(?=\w)", unquote(text).strip()) if p]
    keys = []
    for part in parts:
        squashed = re.sub(r"\s+", "", part).casefold()
        if squashed in KEY_NAMES:
            keys.append(KEY_NAMES[squashed])
        elif len(part) == 1 and not part.isspace():
            keys.append(part.lower() if part.isalpha() else part)
        else:
            return None
    return tuple(keys) or None


def _parse_typing(verb: str, rest: str) -> TypeInto:
    if verb == "fill":
        m = re.match(r"^(?:in\s+|out\s+)?(.+?)\s+with\s+(.+)$", rest, re.I)
        if m is None:
            raise _NotUnderstood('write it as: fill Full name with "Alex Smith"')
        return TypeInto(_typed_text(m.group(2)), parse_target(m.group(1)))
    if re.match(r"^(?:into|in|on)\b", rest, re.I):
        raise _NotUnderstood(f'the text to type is missing: write it as {verb} "espresso" into Search')
    if m := re.match(rf"^({_QUOTED})(?:\s+(?:into|in|on)\s+(.+))?$", rest, re.I):
        return TypeInto(_typed_text(m.group(1)), parse_target(m.group(2)) if m.group(2) else None)
    if m := re.match(r"^(.+?)\s+into\s+(.+)$", rest, re.I):
        return TypeInto(_typed_text(m.group(1)), parse_target(m.group(2)))
    if verb == "type" and rest:
        return TypeInto(_typed_text(rest))
    raise _NotUnderstood(f'the text to type is missing or not quoted: write it as {verb} "espresso" into Search')


def _typed_text(raw: str) -> str:
    text = unquote(raw)
    if not text:
        raise _NotUnderstood("the text to type is empty")
    return text


def _parse_scroll(rest: str) -> ScrollBy:
    rest = re.sub(r"^(?:the\s+page\s+)?", "", rest.strip(), flags=re.I)
    if m := re.match(r"^(?:to\s+)?(?:the\s+)?(top|bottom|end|start)(?:\s+of\s+the\s+page)?$", rest, re.I):
        return ScrollBy(0, -SCROLL_END_PX if m.group(1).casefold() in {"top", "start"} else SCROLL_END_PX)
    m = _SCROLL_RE.match(rest)
    if m is None:
        raise _NotUnderstood("write it as: scroll down, scroll up 2, scroll down 300 px, scroll to the bottom")
    amount = int(m.group(2) or 1)
    pixels = amount if (m.group(3) or "").casefold().startswith("p") and "page" not in m.group(3) else None
    if pixels is None:
        if not 1 <= amount <= MAX_REPEAT:
            raise _NotUnderstood(f"scroll 1 to {MAX_REPEAT} times, or give pixels: 'scroll down 300 px'")
        pixels = amount * SCROLL_UNIT_PX
    sign = -1 if m.group(1).casefold() in {"up", "left"} else 1
    horizontal = m.group(1).casefold() in {"left", "right"}
    return ScrollBy(sign * pixels if horizontal else 0, 0 if horizontal else sign * pixels)


def _parse_wait(rest: str) -> Pause | WaitFor:
    if not rest or re.match(r"^(?:a\s+)?(?:second|moment|bit|little)$", rest, re.I):
        return Pause(1.0)
    if m := _SECONDS_RE.match(rest):
        unit = (m.group(2) or "s").casefold()
        seconds = float(m.group(1)) * (0.001 if unit.startswith(("ms", "milli")) else 60 if unit.startswith("m") else 1)
        if not 0 < seconds <= MAX_WAIT_S:
            raise _NotUnderstood(f"a wait must be more than 0 and at most {MAX_WAIT_S:g} seconds")
        return Pause(seconds)
    if re.match(r"^(?:for\s+)?(?:the\s+|it\s+)?(?:page\s+)?to\s+load$", rest, re.I):
        return Pause(1.0)
    m = re.match(
        r"^(?:for|until)\s+(?:the\s+text\s+)?(.+?)(?:\s+(?:to\s+appear|appears|is\s+shown|shows(?:\s+up)?|"
        r"is\s+visible|is\s+on\s+(?:the\s+)?screen|to\s+show(?:\s+up)?))?$",
        rest,
        re.I,
    )
    if m is None or not unquote(m.group(1)):
        raise _NotUnderstood("write it as: wait 2 seconds, or wait for Order placed")
    return WaitFor(unquote(m.group(1)))


# --------------------------------------------------------------------------- targets


def parse_target(text: str) -> Target:
    """``the second View``, ``View under Espresso Maker``, ``"Sign in"`` → a ``Target``."""
    text = text.strip().rstrip(".,!")
    ordinal = None
    if m := _ORDINAL_RE.match(text):
        word, digits, text = m.group(1), m.group(2), m.group(3)
        ordinal = int(digits) if digits else (-1 if word.casefold() == "last" else ORDINALS.index(word.casefold()) + 1)
        if ordinal == 0:
            raise _NotUnderstood("counting starts at 1st")
    relation: Relation | None = None
    anchor = ""
    found = _outside_quotes(text, _RELATION_RE)
    if found:
        m = found[0]
        relation = _relation(m.group(1))
        text, anchor = text[: m.start()], _clean(text[m.end() :], _ANCHOR_NOUNS)
        if not anchor:
            raise _NotUnderstood(f"{RELATION_WORDS[relation]} what? e.g. 'click View under Espresso Maker'")
    target = _clean(text, _TARGET_NOUNS)
    if not target:
        raise _NotUnderstood("the text to click is missing")
    return Target(target, ordinal, relation, anchor)


def _relation(words: str) -> Relation:
    w = words.casefold()
    if w.startswith(("under", "below", "beneath")):
        return "below"
    if w == "above":
        return "above"
    if w.endswith("left of"):
        return "left"
    if w.endswith("right of"):
        return "right"
    return "near"


def _clean(text: str, nouns: re.Pattern[str]) -> str:
    """Drop a leading "the" and a trailing generic noun ("button"), unless the text was quoted."""
    text = text.strip()
    if _WHOLE_QUOTE_RE.match(text):
        return unquote(text)
    text = re.sub(r"^the\s+", "", text, flags=re.I)
    stripped = nouns.sub("", text)
    return unquote(stripped if stripped.strip() else text)

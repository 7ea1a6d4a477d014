"""Keys on X11: Playwright key names → keysyms, text → keysyms, and typing them with XTEST.

Actions name keys the way Playwright does (``Control``, ``Enter``, ``ArrowDown``, ``F5``, ``a``) so
that one script or model reply drives a browser and a desktop alike; on X11 they are keysyms
(``Control_L``, ``Return``, ``Down``, ``F5``, ``a``). ``XKeyboard`` presses them with XTEST, adding
Shift where a keysym sits on a key's shifted level.

Typing any Unicode character: a character that is on no key gets bound to a spare keycode, as
``xdotool type`` does. But xdotool unbinds the spare key right after each character, and Chromium
reloads the keymap a moment after it is told of a change, not at once: measured here under Xvfb,
``xdotool type --delay 0 "héllo wörld ✓ ünïcødé"`` lost every non-ASCII character and ``--delay 2``
the last one; rebinding a key and typing at once gave the key's previous character. So bindings
are kept while the computer is open (spare keycodes are no physical key, so a person's keyboard is
unchanged) and undone on ``close``; each change of the map is followed by a short pause; and text
with more distinct such characters than there are spare keys is typed in pieces, rebinding the
least recently used keys between pieces after a pause that lets clients read what was typed.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import OrderedDict
from typing import TYPE_CHECKING

from homebody.errors import ComputerError

if TYPE_CHECKING:
    from homebody.sessions.desktop.pointer import XConnection

#: Named keys: Playwright's ``key`` names (and the ``code`` names people also write) → keysyms.
NAMED_KEYS: dict[str, str] = {
    "Control": "Control_L",
    "ControlLeft": "Control_L",
    "ControlRight": "Control_R",
    "ControlOrMeta": "Control_L",  # Playwright's portable shortcut modifier is Control off macOS
    "Shift": "Shift_L",
    "ShiftLeft": "Shift_L",
    "ShiftRight": "Shift_R",
    "Alt": "Alt_L",
    "AltLeft": "Alt_L",
    "AltRight": "Alt_R",
    "AltGraph": "ISO_Level3_Shift",
    "Meta": "Super_L",  # the Windows / Command key is Super on X11 desktops
    "MetaLeft": "Super_L",
    "MetaRight": "Super_R",
    "Enter": "Return",
    "NumpadEnter": "KP_Enter",
    "Tab": "Tab",
    "Backspace": "BackSpace",
    "Delete": "Delete",
    "Insert": "Insert",
    "Escape": "Escape",
    "Space": "space",
    "ArrowUp": "Up",
    "ArrowDown": "Down",
    "ArrowLeft": "Left",
    "ArrowRight": "Right",
    "Home": "Home",
    "End": "End",
    "PageUp": "Prior",
    "PageDown": "Next",
    "CapsLock": "Caps_Lock",
    "NumLock": "Num_Lock",
    "ScrollLock": "Scroll_Lock",
    "PrintScreen": "Print",
    "Pause": "Pause",
    "ContextMenu": "Menu",
    "NumpadAdd": "KP_Add",
    "NumpadSubtract": "KP_Subtract",
    "NumpadMultiply": "KP_Multiply",
    "NumpadDivide": "KP_Divide",
    "NumpadDecimal": "KP_Decimal",
    "AudioVolumeUp": "XF86AudioRaiseVolume",
    "AudioVolumeDown": "XF86AudioLowerVolume",
    "AudioVolumeMute": "XF86AudioMute",
}

#: Printable ASCII that is not a letter or digit: X names these keysyms by word, not by character.
PUNCTUATION: dict[str, str] = {
    " ": "space",
    "!": "exclam",
    '"': "quotedbl",
    "#": "numbersign",
    "$": "dollar",
    "%": "percent",
    "&": "ampersand",
    "'": "apostrophe",
    "(": "parenleft",
    ")": "parenright",
    "*": "asterisk",
    "+": "plus",
    ",": "comma",
    "-": "minus",
    ".": "period",
    "/": "slash",
    ":": "colon",
    ";": "semicolon",
    "<": "less",
    "=": "equal",
    ">": "greater",
    "?": "question",
    "@": "at",
    "[": "bracketleft",
    "\\": "backslash",
    "]": "bracketright",
    "^": "asciicircum",
    "_": "underscore",
    "`": "grave",
    "{": "braceleft",
    "|": "bar",
    "}": "braceright",
    "~": "asciitilde",
}

_FUNCTION_KEY = re.compile(r"F([1-9]|1[0-9]|2[0-4])")
_CODE_KEY = re.compile(r"Key([A-Z])")
_CODE_DIGIT = re.compile(r"(?:Digit|Numpad)([0-9])")

#: CSS pixels one wheel notch scrolls in Chromium on X11 (three 40-pixel lines), measured under Xvfb.
PIXELS_PER_WHEEL_CLICK = 120.0
#: An upper bound per scroll action, so that a model's absurd delta cannot spin the wheel for minutes.
MAX_WHEEL_CLICKS = 50

RETURN, TAB, SHIFT_L = 0xFF0D, 0xFF09, 0xFFE1
_UNICODE_NAME = re.compile(r"U([0-9A-F]{4,6})")
#: Pause around a keymap change: clients (Chromium) reload the keymap a moment after MappingNotify,
#: and a key that arrives before that is read with the old map. Measured on a busy 2-core box.
KEYMAP_PAUSE_S = 0.1

# X11 pointer buttons: 1 left, 2 middle, 3 right; the wheel is buttons 4 (up), 5 (down), 6 (left), 7 (right).
BUTTONS: dict[str, int] = {"left": 1, "middle": 2, "right": 3}
WHEEL_UP, WHEEL_DOWN, WHEEL_LEFT, WHEEL_RIGHT = 4, 5, 6, 7


def keysym(key: str) -> str:
    """The X keysym name for one Playwright key name; ``ComputerError`` naming it when unknown."""
    if key in NAMED_KEYS:
        return NAMED_KEYS[key]
    if len(key) == 1:
        return _char_keysym(key)
    if _FUNCTION_KEY.fullmatch(key):
        return key
    if match := _CODE_KEY.fullmatch(key):
        return match.group(1).lower()
    if match := _CODE_DIGIT.fullmatch(key):
        return ("KP_" if key.startswith("Numpad") else "") + match.group(1)
    raise ComputerError(
        f"unknown key {key!r}: use Playwright key names such as Enter, Control, Shift, Alt, ArrowDown, "
        "PageDown, F5, or a single character"
    )


def _char_keysym(char: str) -> str:
    if char.isascii() and char.isalnum():
        return char
    if char in PUNCTUATION:
        return PUNCTUATION[char]
    if char.isprintable():
        # X understands any Unicode character as the keysym "U<hex>"; xdotool maps it to a spare keycode.
        return f"U{ord(char):04X}"
    raise ComputerError(f"unknown key {char!r}: a control character is not a key; use its name (Enter, Tab, …)")


def unicode_keysym(char: str) -> int:
    """The keysym value of one printable character: Latin-1 keysyms are the code points themselves,
    every other character is ``0x01000000 + code point`` (X11's Unicode keysyms)."""
    cp = ord(char)
    return cp if 0x20 <= cp <= 0x7E or 0xA0 <= cp <= 0xFF else 0x01000000 + cp


def text_keysyms(text: str) -> list[int]:
    """Keysym values that type ``text``: line breaks are Return, tabs Tab; other control characters
    cannot be typed and raise ``ComputerError`` naming them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    values: list[int] = []
    for char in text:
        if char == "\n":
            values.append(RETURN)
        elif char == "\t":
            values.append(TAB)
        elif unicodedata.category(char) in {"Cc", "Cs"}:  # format characters (a joiner in 👩‍💻) are typed
            raise ComputerError(f"cannot type the control character U+{ord(char):04X}; press a named key instead")
        else:
            values.append(unicode_keysym(char))
    return values


def keysyms(keys: list[str] | tuple[str, ...]) -> list[str]:
    """Keysyms for keys pressed together; every key is validated before any is pressed."""
    if not keys:
        raise ComputerError("no key to press")
    return [keysym(k) for k in keys]


def split_combo(combo: str) -> list[str]:
    """A Playwright combo string (``Control+a``, ``Shift++``, ``+``) as its keys, in order.

    The same rule as Playwright's: a ``+`` ends a key only when a key name has begun, so a ``+``
    right after a separator (or alone) is the plus key itself.
    """
    keys: list[str] = []
    building = ""
    for char in combo:
        if char == "+" and building:
            keys.append(building)
            building = ""
        else:
            building += char
    if building:
        keys.append(building)
    return keys


def wheel_clicks(dx: float, dy: float) -> list[tuple[int, int]]:
    """``(button, clicks)`` for a scroll of ``dx``/``dy`` CSS-like pixels (positive = right/down).

    Any non-zero delta turns the wheel at least one notch: a model asking to scroll a little expects
    something to move.
    """
    moves: list[tuple[int, int]] = []
    for delta, negative, positive in ((dy, WHEEL_UP, WHEEL_DOWN), (dx, WHEEL_LEFT, WHEEL_RIGHT)):
        if delta == 0:
            continue
        clicks = max(1, min(MAX_WHEEL_CLICKS, round(abs(delta) / PIXELS_PER_WHEEL_CLICK)))
        moves.append((positive if delta > 0 else negative, clicks))
    return moves


class XKeyboard:
    """Presses keys and types text with XTEST on an ``XConnection`` (every call holds its lock)."""

    def __init__(self, x: XConnection) -> None:
        self._x = x
        self._spares: list[int] | None = None  # keycodes with no keysym, found on first need
        self._bound: OrderedDict[int, int] = OrderedDict()  # keysym → spare keycode, least recent first

    def press(self, names: list[str], deadline: float) -> None:
        """Hold the keys (keysym names) in order, then release them in reverse."""
        values = [keysym_value(name) for name in names]
        with self._x.lock:
            self._prepare(values, deadline)
            strokes = [self._stroke(value) for value in values]
            codes = [code for code, _ in strokes]
            if any(shift for _, shift in strokes) and (shift := self._stroke(SHIFT_L)[0]) not in codes:
                codes.insert(0, shift)
            for code in codes:
                self._x.fake("KeyPress", code)
            for code in reversed(codes):
                self._x.fake("KeyRelease", code)
            self._x.sync()

    def type(self, text: str, deadline: float) -> None:
        """Type ``text``; stops with ``ComputerError`` (saying how far it got) at ``time.monotonic()``
        ``deadline``, so that a thread nobody waits for any more does not go on typing."""
        values = text_keysyms(text)
        done = 0
        with self._x.lock:
            for chunk in self._chunks(values):
                self._prepare(chunk, deadline)
                for value in chunk:
                    if time.monotonic() > deadline:
                        self._x.sync()
                        raise ComputerError(f"typing ran out of time after {done} of {len(values)} characters")
                    self._tap(*self._stroke(value))
                    done += 1
            self._x.sync()

    def close(self) -> None:
        """Unbind the spare keycodes this keyboard bound (lock taken here)."""
        with self._x.lock:
            codes = list(self._bound.values())
            self._bound.clear()
            for code in codes:
                self._rebind(code, 0)
            self._x.sync()

    def _tap(self, code: int, shift: bool) -> None:
        shift_code = self._stroke(SHIFT_L)[0] if shift else None
        if shift_code is not None:
            self._x.fake("KeyPress", shift_code)
        self._x.fake("KeyPress", code)
        self._x.fake("KeyRelease", code)
        if shift_code is not None:
            self._x.fake("KeyRelease", shift_code)

    def _on_keys(self, value: int) -> tuple[int, bool] | None:
        """Keycode and Shift for a keysym some key already carries (levels 1–2 of the first group)."""
        for code, index in self._x.conn.keysym_to_keycodes(value):
            if index in (0, 1):
                return int(code), index == 1
        return None

    def _stroke(self, value: int) -> tuple[int, bool]:
        if value in self._bound:
            self._bound.move_to_end(value)
            return self._bound[value], False
        found = self._on_keys(value)
        if found is None:
            raise ComputerError(f"keysym {value:#x} is on no key")  # _prepare binds it first: a bug if seen
        return found

    def _chunks(self, values: list[int]) -> list[list[int]]:
        """Split typing so that no piece needs more spare keys at once than there are."""
        chunks: list[list[int]] = [[]]
        extra: set[int] = set()
        for value in values:
            if value not in extra and self._on_keys(value) is None:
                if len(extra) == len(self._spare_keycodes()):
                    chunks.append([])
                    extra = set()
                extra.add(value)
            chunks[-1].append(value)
        return chunks

    def _prepare(self, values: list[int], deadline: float) -> None:
        """Bind spare keycodes to the keysyms in ``values`` that are on no key, pausing around the
        change so that clients read the keys already typed with the old map, then load the new one."""
        missing = list(dict.fromkeys(v for v in values if v not in self._bound and self._on_keys(v) is None))
        if not missing:
            return
        keep = set(values)
        taken = set(self._bound.values())
        free = [code for code in self._spare_keycodes() if code not in taken]
        reused = [v for v in self._bound if v not in keep][: max(0, len(missing) - len(free))]
        if time.monotonic() + 2 * KEYMAP_PAUSE_S > deadline:
            raise ComputerError("no time left to map the characters to type onto spare keys")
        self._x.sync()
        if reused:
            time.sleep(KEYMAP_PAUSE_S)  # keys typed with the old meaning of these keycodes are read first
        free += [self._bound.pop(v) for v in reused]
        for value, code in zip(missing, free, strict=False):
            self._rebind(code, value)
            self._bound[value] = code
        self._x.sync()
        time.sleep(KEYMAP_PAUSE_S)  # clients reload the keymap after MappingNotify, not at once

    def _rebind(self, code: int, value: int) -> None:
        self._x.call(lambda: self._x.conn.change_keyboard_mapping(code, [(value, value)]))

    def _spare_keycodes(self) -> list[int]:
        if self._spares is None:
            info = self._x.conn.display.info
            first, count = int(info.min_keycode), int(info.max_keycode) - int(info.min_keycode) + 1
            mapping = self._x.call(lambda: self._x.conn.get_keyboard_mapping(first, count))
            self._spares = [first + i for i, syms in enumerate(mapping) if not any(syms)]
        if not self._spares:
            raise ComputerError("the keyboard map has no spare key to type characters that are on no key")
        return self._spares


def keysym_value(name: str) -> int:
    """A keysym name's value (``Return`` → 0xFF0D, ``U20AC`` → the euro sign)."""
    if match := _UNICODE_NAME.fullmatch(name):
        return unicode_keysym(chr(int(match.group(1), 16)))
    from Xlib import XK  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

    for group in ("xkb", "xf86"):  # not loaded by default: ISO_Level3_Shift, the media keys
        XK.load_keysym_group(group)
    value = int(XK.string_to_keysym(name))
    if value == 0 and name.startswith("XF86"):  # python-xlib spells XF86AudioMute as XF86_AudioMute
        value = int(XK.string_to_keysym("XF86_" + name.removeprefix("XF86").lstrip("_")))
    if value == 0:
        raise ComputerError(f"the X server knows no key named {name!r}")
    return value

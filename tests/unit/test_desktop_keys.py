"""Playwright key names as X keysyms, text as keysyms, and scroll deltas as wheel notches (no X needed)."""

from __future__ import annotations

import pytest

from homebody.errors import ComputerError
from homebody.sessions.desktop.keys import (
    MAX_WHEEL_CLICKS,
    NAMED_KEYS,
    PUNCTUATION,
    WHEEL_DOWN,
    WHEEL_LEFT,
    WHEEL_RIGHT,
    WHEEL_UP,
    keysym,
    keysym_value,
    keysyms,
    split_combo,
    text_keysyms,
    wheel_clicks,
)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("Control", "Control_L"),
        ("Shift", "Shift_L"),
        ("Alt", "Alt_L"),
        ("Meta", "Super_L"),
        ("Enter", "Return"),
        ("Backspace", "BackSpace"),
        ("Escape", "Escape"),
        ("ArrowDown", "Down"),
        ("PageUp", "Prior"),
        ("PageDown", "Next"),
        ("Space", "space"),
        (" ", "space"),
        ("F5", "F5"),
        ("F24", "F24"),
        ("a", "a"),
        ("Z", "Z"),
        ("7", "7"),
        ("KeyA", "a"),
        ("Digit1", "1"),
        ("Numpad3", "KP_3"),
        ("+", "plus"),
        ("/", "slash"),
        ("é", "U00E9"),
        ("€", "U20AC"),
    ],
)
def test_playwright_key_names_become_keysyms(key: str, expected: str) -> None:
    assert keysym(key) == expected


@pytest.mark.parametrize("key", ["Hyperdrive", "F25", "ctrl", "enter", "\x07", ""])
def test_an_unknown_key_is_refused_by_name(key: str) -> None:
    with pytest.raises(ComputerError) as err:
        keysym(key)
    assert repr(key) in str(err.value)


def test_a_combo_is_checked_whole_before_anything_is_pressed() -> None:
    assert keysyms(["Control", "Shift", "t"]) == ["Control_L", "Shift_L", "t"]
    with pytest.raises(ComputerError, match="'Hyper'"):
        keysyms(["Control", "Hyper"])
    with pytest.raises(ComputerError, match="no key"):
        keysyms([])


@pytest.mark.parametrize(
    ("combo", "keys"),
    [
        ("Control+a", ["Control", "a"]),
        ("Control+Shift+ArrowLeft", ["Control", "Shift", "ArrowLeft"]),
        ("Shift++", ["Shift", "+"]),
        ("+", ["+"]),
        ("Enter", ["Enter"]),
        ("", []),
    ],
)
def test_combo_strings_split_like_playwright(combo: str, keys: list[str]) -> None:
    assert split_combo(combo) == keys


def test_text_becomes_keysyms_for_any_unicode_character() -> None:
    assert text_keysyms("aZ ~") == [ord("a"), ord("Z"), ord(" "), ord("~")]
    assert text_keysyms("é") == [0xE9]  # Latin-1 keysyms are the code points
    assert text_keysyms("✓€") == [0x01000000 + 0x2713, 0x01000000 + 0x20AC]
    assert text_keysyms("😀") == [0x01000000 + 0x1F600]
    assert text_keysyms("\u00a0\u3000") == [0xA0, 0x01003000]  # spaces that are not ASCII are typed too


def test_line_breaks_and_tabs_are_keys() -> None:
    assert text_keysyms("a\nb\r\nc\rd\te") == [
        ord("a"), 0xFF0D, ord("b"), 0xFF0D, ord("c"), 0xFF0D, ord("d"), 0xFF09, ord("e"),
    ]  # fmt: skip


def test_control_characters_are_refused_not_typed() -> None:
    with pytest.raises(ComputerError, match="U\\+001B"):
        text_keysyms("ok\x1b[2J")


def test_scroll_deltas_become_wheel_notches() -> None:
    assert wheel_clicks(0, 0) == []
    assert wheel_clicks(0, 360) == [(WHEEL_DOWN, 3)]
    assert wheel_clicks(0, -240) == [(WHEEL_UP, 2)]
    assert wheel_clicks(-120, 0) == [(WHEEL_LEFT, 1)]
    assert wheel_clicks(240, 120) == [(WHEEL_DOWN, 1), (WHEEL_RIGHT, 2)]


def test_a_small_scroll_still_turns_the_wheel_and_a_huge_one_is_capped() -> None:
    assert wheel_clicks(0, 5) == [(WHEEL_DOWN, 1)]
    assert wheel_clicks(0, -1e9) == [(WHEEL_UP, MAX_WHEEL_CLICKS)]


def test_every_named_key_is_a_keysym_the_x_library_knows() -> None:
    pytest.importorskip("Xlib")
    for name in {*NAMED_KEYS.values(), *PUNCTUATION.values(), "F1", "F24", "KP_0", "a", "Z", "9"}:
        assert keysym_value(name) > 0, name
    assert keysym_value("Return") == 0xFF0D
    assert keysym_value("U20AC") == 0x010020AC
    assert keysym_value("U00E9") == 0xE9
    with pytest.raises(ComputerError, match="'NoSuchKey'"):
        keysym_value("NoSuchKey")

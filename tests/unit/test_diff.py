"""The visual diff on synthetic screenshots: JPEG q80 frames of a page-like image, as a browser sends."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from homebody.types import Box, Click, Done, Frame, KeyCombo, Navigate, Scroll, Size, TypeText, Wait
from homebody.vision.pixels.diff import (
    MAX_BOXES,
    diff_frames,
    effect_note,
    expected_effect,
    expects_change,
    load_image,
)

W, H = 1280, 800
BUTTON = (840, 500, 160, 40)  # x, y, width, height
CARET = (300, 212, 2, 18)


def screen(seed: int = 0) -> np.ndarray:
    """A page-like BGR image: header, sidebar, lines of text, a button, an input, a photo."""
    rng = np.random.default_rng(seed)
    img = np.full((H, W, 3), 255, np.uint8)
    cv2.rectangle(img, (0, 0), (W, 56), (60, 40, 30), -1)
    cv2.putText(img, f"Shop {seed}", (20, 38), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (255, 255, 255), 2, cv2.LINE_AA)
    cv2.rectangle(img, (0, 56), (200, H), (245, 245, 245), -1)
    for i in range(12):
        cv2.putText(img, f"Menu {i}", (20, 100 + 40 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (40, 40, 40), 1, cv2.LINE_AA)
    for i in range(26):
        words = " ".join(f"w{int(v)}" for v in rng.integers(0, 10_000, 7))
        y = 100 + 26 * i
        cv2.putText(img, words, (240, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (30, 30, 30), 1, cv2.LINE_AA)
    yy, xx = np.mgrid[0:200, 0:260]
    photo = np.stack([(xx * 0.6 + yy * 0.3) % 255, (yy * 0.9) % 255, (xx * 0.2 + 90) % 255], -1)
    photo = photo + rng.normal(0, 8, photo.shape)
    img[100:300, 960:1220] = np.clip(photo, 0, 255).astype(np.uint8)
    x, y, w, h = BUTTON
    cv2.rectangle(img, (x, y), (x + w, y + h), (200, 120, 30), -1)
    cv2.putText(img, "Add to cart", (x + 22, y + 26), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (255, 255, 255), 1, cv2.LINE_AA)
    cv2.rectangle(img, (240, 200), (700, 240), (150, 150, 150), 1)
    return img


def jpeg(img: np.ndarray, quality: int = 80) -> Frame:
    ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return Frame(data=data.tobytes(), format="jpeg", size=Size(img.shape[1], img.shape[0]), ts=0.0)


def with_caret(img: np.ndarray) -> np.ndarray:
    out = img.copy()
    x, y, w, h = CARET
    out[y : y + h, x : x + w] = 0
    return out


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    cv2.setNumThreads(1)


def covers(box: Box, x: int, y: int, w: int, h: int, slack: int = 8) -> bool:
    """``box`` contains the rectangle and is at most ``slack`` bigger on each side."""
    return (
        x - slack <= box.x <= x
        and y - slack <= box.y <= y
        and x + w <= box.x + box.width <= x + w + slack
        and y + h <= box.y + box.height <= y + h + slack
    )


def test_identical_screens_are_no_change() -> None:
    frame = jpeg(screen())
    assert diff_frames(frame, frame).effect == "none"
    assert diff_frames(frame, jpeg(screen())).effect == "none"  # encoded twice, same bytes
    image = load_image(frame)
    result = diff_frames(image, image.copy())
    assert (result.effect, result.score, result.boxes, result.near) == ("none", 0.0, (), False)


def test_jpeg_reencode_and_rerender_noise_is_no_change() -> None:
    frame = jpeg(screen())
    assert diff_frames(frame, jpeg(load_image(frame))).effect == "none"  # generation loss
    rng = np.random.default_rng(7)
    noisy = np.clip(screen().astype(np.int16) + rng.integers(-3, 4, (H, W, 3)), 0, 255).astype(np.uint8)
    assert diff_frames(frame, jpeg(noisy)).effect == "none"


def test_button_colour_change_at_the_click_is_local_and_near() -> None:
    before = screen()
    after = before.copy()
    x, y, w, h = BUTTON
    cv2.rectangle(after, (x, y), (x + w, y + h), (40, 160, 40), -1)
    result = diff_frames(jpeg(before), jpeg(after), focus=Box(x + 80, y + 20, 0, 0))
    assert result.effect == "local"
    assert result.near
    assert len(result.boxes) == 1
    assert covers(result.boxes[0], x, y, w + 1, h + 1)
    assert 0 < result.score < 0.02
    box = result.boxes[0]
    assert result.box_tuples() == ((int(box.x), int(box.y), int(box.width), int(box.height)),)


def test_change_far_from_the_focus_is_local_but_not_near() -> None:
    before = screen()
    after = before.copy()
    cv2.putText(after, "Saved!", (1000, 760), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 200), 2, cv2.LINE_AA)
    result = diff_frames(jpeg(before), jpeg(after), focus=Box(300, 150, 0, 0))
    assert result.effect == "local"
    assert not result.near
    assert result.boxes[0].x >= 990 and result.boxes[0].y >= 730


def test_focus_box_counts_its_margin() -> None:
    before = screen()
    after = before.copy()
    x, y, w, h = BUTTON
    cv2.rectangle(after, (x, y), (x + w, y + h), (40, 160, 40), -1)
    beside = Box(x + w + 30, y, 10, 10)  # 30 px right of the button: within the margin
    assert diff_frames(jpeg(before), jpeg(after), focus=beside).near
    far = Box(x + w + 120, y, 10, 10)
    assert not diff_frames(jpeg(before), jpeg(after), focus=far).near


def article() -> np.ndarray:
    """Another page: a different header, a hero image, two columns of text."""
    img = np.full((H, W, 3), 250, np.uint8)
    cv2.rectangle(img, (0, 0), (W, 80), (30, 90, 160), -1)
    cv2.putText(img, "News", (40, 55), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (255, 255, 255), 2, cv2.LINE_AA)
    cv2.rectangle(img, (40, 110), (W - 40, 330), (90, 140, 90), -1)
    for i in range(16):
        for x in (40, 680):
            cv2.putText(
                img, "the quick brown fox jumps over", (x, 370 + 26 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (20, 20, 20)
            )
    return img


def test_full_page_swap_is_global() -> None:
    result = diff_frames(jpeg(screen()), jpeg(article()))
    assert result.effect == "global"
    assert result.boxes and result.boxes[0].height > H / 2


def test_a_change_down_the_whole_height_is_global_only_when_wide() -> None:
    # Same layout, every line of the content column rewritten (another item of a list shown).
    result = diff_frames(jpeg(screen(0)), jpeg(screen(1)))
    assert result.effect == "local"  # one 340-px column: a pane, not the page
    wide = screen(1)
    wide[56:, 700:] = article()[56:, 700:]
    assert diff_frames(jpeg(screen(0)), jpeg(wide)).effect == "global"


def test_full_height_side_panel_is_local() -> None:
    before = screen()
    after = before.copy()
    cv2.rectangle(after, (980, 56), (W, H), (235, 235, 250), -1)
    cv2.putText(after, "Cart (1)", (1000, 100), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 0), 2, cv2.LINE_AA)
    result = diff_frames(jpeg(before), jpeg(after))
    assert result.effect == "local"
    assert covers(result.boxes[0], 980, 56, W - 980, H - 56)


def test_scroll_by_40_px_is_a_page_wide_change() -> None:
    before = screen()
    after = before.copy()
    after[56:-40, 200:] = before[96:, 200:]  # the content column moves up, header and sidebar stay
    after[-40:, 200:] = 255
    result = diff_frames(jpeg(before), jpeg(after), focus=Box(640, 400, 0, 0))
    assert result.effect == "global"
    assert result.near


def test_small_scroll_is_never_none() -> None:
    before = screen()
    after = before.copy()
    after[56:-4, 200:] = before[60:, 200:]
    after[-4:, 200:] = 255
    assert diff_frames(jpeg(before), jpeg(after)).effect != "none"


def test_caret_blink_is_a_tiny_change_and_nothing_once_masked() -> None:
    before, after = jpeg(screen()), jpeg(with_caret(screen()))
    result = diff_frames(before, after)
    assert result.effect == "local"
    x, y, w, h = CARET
    assert len(result.boxes) == 1 and covers(result.boxes[0], x, y, w, h)
    mask = np.zeros((H, W), bool)
    mask[y - 8 : y + h + 8, x - 8 : x + w + 8] = True
    assert diff_frames(before, after, mask=mask).effect == "none"


def test_mask_leaves_other_changes_visible_and_scores_unmasked_share() -> None:
    before = screen()
    after = with_caret(before)
    x, y, w, h = BUTTON
    cv2.rectangle(after, (x, y), (x + w, y + h), (40, 160, 40), -1)
    mask = np.zeros((H, W), bool)
    mask[:400] = True  # the caret's half
    result = diff_frames(jpeg(before), jpeg(after), mask=mask)
    assert result.effect == "local" and len(result.boxes) == 1 and covers(result.boxes[0], x, y, w + 1, h + 1)
    unmasked = diff_frames(jpeg(before), jpeg(after))
    assert result.score > unmasked.score  # the same button change, out of half the screen


def test_equal_brightness_colour_swap_is_a_change() -> None:
    before = np.full((200, 300, 3), 255, np.uint8)
    after = before.copy()
    before[50:100, 50:150] = (0, 0, 200)  # red, grey level ≈ 60
    after[50:100, 50:150] = (0, 102, 0)  # green, grey level ≈ 60
    gray_a, gray_b = (cv2.cvtColor(i, cv2.COLOR_BGR2GRAY) for i in (before, after))
    assert abs(int(gray_a[75, 100]) - int(gray_b[75, 100])) <= 2
    assert diff_frames(jpeg(before), jpeg(after)).effect == "local"


def test_grey_arrays_and_mixed_inputs() -> None:
    before = screen()
    after = with_caret(before)
    gray = np.asarray(cv2.cvtColor(after, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    gray_before = np.asarray(cv2.cvtColor(before, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    assert diff_frames(gray_before, gray).effect == "local"
    assert diff_frames(before, gray).effect == "local"
    with pytest.raises(ValueError):
        diff_frames(before.astype(np.float32), after)  # type: ignore[arg-type, unused-ignore]


def test_resized_screen_is_global_and_a_bad_mask_is_refused() -> None:
    small = cv2.resize(screen(), (640, 400))
    result = diff_frames(jpeg(screen()), jpeg(small), focus=Box(10, 10, 0, 0))
    assert result.effect == "global" and result.score == 1.0 and result.near
    with pytest.raises(ValueError, match="mask"):
        diff_frames(jpeg(screen()), jpeg(with_caret(screen())), mask=np.zeros((10, 10), bool))


def test_a_new_url_is_global_even_when_the_pixels_barely_move() -> None:
    before = replace(jpeg(screen()), url="https://shop.example/cart")
    after = replace(jpeg(with_caret(screen())), url="https://shop.example/checkout")
    assert diff_frames(before, after).effect == "global"
    assert diff_frames(before, replace(after, url=before.url)).effect == "local"


def test_many_scattered_changes_give_at_most_16_boxes_biggest_first() -> None:
    before = np.full((H, W, 3), 255, np.uint8)
    after = before.copy()
    for i in range(60):
        x, y = 40 + (i % 10) * 120, 40 + (i // 10) * 120
        size = 6 + i
        cv2.rectangle(after, (x, y), (x + size, y + size), (0, 0, 0), -1)
    result = diff_frames(jpeg(before), jpeg(after))
    assert result.effect in {"local", "global"}
    assert 1 <= len(result.boxes) <= MAX_BOXES
    areas = [b.width * b.height for b in result.boxes]
    assert areas[: MAX_BOXES - 1] == sorted(areas[: MAX_BOXES - 1], reverse=True)


def test_expectations_and_notes_per_action() -> None:
    assert "focused field" in expected_effect(TypeText(text="hi"))
    assert "URL" in expected_effect(Click(x=1, y=1))
    assert "move" in expected_effect(Scroll(x=1, y=1, dy=300))
    assert expected_effect(KeyCombo(keys=("Enter",)))
    assert expected_effect(Navigate(url="http://x"))
    assert expected_effect(Done()) == ""
    assert not expects_change(Wait(seconds=1)) and expects_change(Click(x=1, y=1))

    frame = jpeg(screen())
    dead = diff_frames(frame, frame)
    assert "no visible effect" in effect_note(Click(x=5, y=5), dead)
    assert effect_note(Wait(seconds=1), dead) == ""
    far = diff_frames(frame, jpeg(with_caret(screen())), focus=Box(1200, 700, 0, 0))
    assert "not near" in effect_note(Click(x=1200, y=700), far)
    assert effect_note(TypeText(text="x"), far) == ""

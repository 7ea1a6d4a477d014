"""smart_resize and ScreenMapping against hand-computed golden values."""

from __future__ import annotations

import pytest

from homebody.types import Point, Size
from homebody.vision.vlm.coords import ScreenMapping, image_tokens, smart_resize

QWEN25_MAX = 12845056  # Qwen2.5-VL / UI-TARS preprocessor_config.json
QWEN3_MIN, QWEN3_MAX = 65536, 16777216  # Qwen3-VL preprocessor_config.json


@pytest.mark.parametrize(
    ("height", "width", "factor", "min_pixels", "max_pixels", "expected"),
    [
        # 800/28 = 28.57 → 29·28 = 812, 1280/28 = 45.71 → 46·28 = 1288; 1,045,856 px is under the budget
        (800, 1280, 28, 3136, QWEN25_MAX, (812, 1288)),
        # the function's own default budget (1280·28²): 1,045,856 > 1,003,520 → β = √(1,024,000/1,003,520)
        # = 1.01015; 800/β/28 = 28.28 → 28 → 784, 1280/β/28 = 45.26 → 45 → 1260
        (800, 1280, 28, 56 * 56, 14 * 14 * 4 * 1280, (784, 1260)),
        # 1080/28 = 38.57 → 39 → 1092, 1920/28 = 68.57 → 69 → 1932
        (1080, 1920, 28, 3136, QWEN25_MAX, (1092, 1932)),
        # β = √(2,073,600/1,003,520) = 1.4375; 1080/β/28 = 26.8 → 26 → 728, 1920/β/28 = 47.7 → 47 → 1316
        (1080, 1920, 28, 56 * 56, 1280 * 28 * 28, (728, 1316)),
        # Qwen3-VL, factor 32: 800 and 1280 are multiples already
        (800, 1280, 32, QWEN3_MIN, QWEN3_MAX, (800, 1280)),
        # 1080/32 = 33.75 → 34 → 1088, 1920/32 = 60 → 1920
        (1080, 1920, 32, QWEN3_MIN, QWEN3_MAX, (1088, 1920)),
        # 256·32² budget: β = 1.9764; 800/β/32 = 12.6 → 12 → 384, 1280/β/32 = 20.2 → 20 → 640
        (800, 1280, 32, QWEN3_MIN, 256 * 32 * 32, (384, 640)),
        # 256·28² budget: β = 2.2588; 800/β/28 = 12.6 → 12 → 336, 1280/β/28 = 20.2 → 20 → 560
        (800, 1280, 28, 3136, 256 * 28 * 28, (336, 560)),
        # Python's round sends halves to even: 42/28 = 1.5 → 2, 70/28 = 2.5 → 2
        (42, 70, 28, 56 * 56, 14 * 14 * 4 * 1280, (56, 56)),
        # below min_pixels: 28·28 < 3136 → β = √(3136/600) = 2.286; 20β/28 = 1.63 → 2 → 56, 30β/28 = 2.45 → 3 → 84
        (20, 30, 28, 56 * 56, 14 * 14 * 4 * 1280, (56, 84)),
    ],
)
def test_smart_resize_matches_the_qwen_processor(
    height: int, width: int, factor: int, min_pixels: int, max_pixels: int, expected: tuple[int, int]
) -> None:
    assert smart_resize(height, width, factor, min_pixels, max_pixels) == expected


def test_smart_resize_defaults_are_qwen2_vl_defaults() -> None:
    assert smart_resize(800, 1280) == (784, 1260)


def test_downscaling_never_goes_below_one_factor() -> None:
    h, w = smart_resize(30, 5000, 28, 56 * 56, 28 * 28 * 4)
    assert h == 28 and w % 28 == 0


def test_an_aspect_ratio_above_200_is_refused() -> None:
    with pytest.raises(ValueError, match="aspect ratio"):
        smart_resize(10, 2010)
    assert smart_resize(10, 2000)  # exactly 200 is allowed


def test_image_tokens_for_a_1280x800_screenshot() -> None:
    assert image_tokens(800, 1280, 28, 3136, QWEN25_MAX) == 29 * 46 == 1334
    assert image_tokens(800, 1280, 28, 3136, 1280 * 28 * 28) == 28 * 45 == 1260
    assert image_tokens(800, 1280, 32, QWEN3_MIN, QWEN3_MAX) == 25 * 40 == 1000
    assert image_tokens(800, 1280, 32, QWEN3_MIN, 256 * 32 * 32) == 240
    assert image_tokens(800, 1280, 28, 3136, 256 * 28 * 28) == 240


# --------------------------------------------------------------------------- ScreenMapping

VIEW_1280 = Size(1280, 800)
VIEW_1920 = Size(1920, 1080)


def rel(view: Size) -> ScreenMapping:
    return ScreenMapping(viewport=view, image=view, convention="relative1000")


@pytest.mark.parametrize(
    ("view", "model", "screen"),
    [
        (VIEW_1280, (500, 500), (640, 400)),
        (VIEW_1280, (703, 425), (899.84, 340)),
        (VIEW_1280, (0, 0), (0, 0)),
        (VIEW_1920, (250, 750), (480, 810)),
        (VIEW_1920, (500, 500), (960, 540)),
    ],
)
def test_relative1000_scales_each_axis_by_the_viewport(
    view: Size, model: tuple[float, float], screen: tuple[float, float]
) -> None:
    assert rel(view).to_screen(Point(*model)) == Point(*screen)


@pytest.mark.parametrize(
    ("view", "image", "model", "screen"),
    [
        (VIEW_1280, Size(1260, 784), (630, 392), (640, 400)),
        (VIEW_1280, Size(1260, 784), (315, 196), (320, 200)),
        (VIEW_1280, Size(1288, 812), (644, 406), (640, 400)),
        (VIEW_1920, Size(1932, 1092), (966, 546), (960, 540)),
        (VIEW_1920, Size(1316, 728), (329, 182), (480, 270)),
    ],
)
def test_absolute_resized_scales_from_the_resized_image(
    view: Size, image: Size, model: tuple[float, float], screen: tuple[float, float]
) -> None:
    mapping = ScreenMapping(viewport=view, image=image, convention="absolute_resized")
    assert mapping.to_screen(Point(*model)) == Point(*screen)


@pytest.mark.parametrize(
    ("mapping", "model", "screen"),
    [
        (rel(VIEW_1280), (1000, 1000), (1279, 799)),
        (rel(VIEW_1280), (-5, 1200), (0, 799)),
        (rel(VIEW_1920), (2000, -1), (1919, 0)),
        (ScreenMapping(VIEW_1280, Size(1260, 784), "absolute_resized"), (1260, 784), (1279, 799)),
        (ScreenMapping(VIEW_1280, Size(1260, 784), "absolute_resized"), (-10, 5000), (0, 799)),
        (ScreenMapping(VIEW_1920, Size(1932, 1092), "absolute_resized"), (1932, 0), (1919, 0)),
    ],
)
def test_out_of_range_points_are_clamped_inside_the_viewport(
    mapping: ScreenMapping, model: tuple[float, float], screen: tuple[float, float]
) -> None:
    assert mapping.to_screen(Point(*model)) == Point(*screen)


def test_to_model_is_the_inverse_rounded_like_a_model_writes() -> None:
    assert rel(VIEW_1280).to_model(Point(640, 400)) == Point(500, 500)
    absolute = ScreenMapping(VIEW_1280, Size(1260, 784), "absolute_resized")
    assert absolute.to_model(Point(640, 400)) == Point(630, 392)
    # 900·1260/1280 = 885.9 → 886 → 886·1280/1260 = 900.06; 340·784/800 = 333.2 → 333 → 339.8
    assert absolute.to_screen(absolute.to_model(Point(900, 340))) == Point(900.06, 339.8)


def test_model_extent_is_what_the_model_is_told() -> None:
    assert rel(VIEW_1920).model_extent() == Size(1000, 1000)
    assert ScreenMapping(VIEW_1920, Size(1932, 1092), "absolute_resized").model_extent() == Size(1932, 1092)

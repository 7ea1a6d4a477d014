"""Image tokens per screenshot for each VLM family and image budget (no model needed).

Tokens are computed the way the Qwen processors do: smart_resize the screenshot to multiples of
factor = patch × merge (Qwen2.5-VL / UI-TARS: patch 14, merge 2 → 28; Qwen3-VL: patch 16,
merge 2 → 32), then one LLM token per factor×factor cell: tokens = (h / factor) · (w / factor).
"default" is the published checkpoint's processor budget (preprocessor_config.json).

    .venv/bin/python bench/vlm_tokens.py
"""

from __future__ import annotations

from homebody.vision.vlm.coords import image_tokens, smart_resize
from homebody.vision.vlm.families import FAMILIES, Family

SCREENS = ((1280, 800), (1920, 1080))
#: ENVIRONMENT.md's figures for a 1280×800 screenshot: family → {budget label: tokens}.
QUOTED = {
    "qwen2.5-vl": {"default": 1334, "1280·28²": 1260, "256·f²": 240},
    "ui-tars": {"default": 1334, "1280·28²": 1260, "256·f²": 240},
    "qwen3-vl": {"default": 1000, "256·f²": 240},
}


def budgets(family: Family) -> list[tuple[str, int]]:
    f2 = family.factor * family.factor
    rows = [
        ("default", family.default_max_pixels),
        ("1280·28²", 1280 * 28 * 28),
        ("1280·f²", 1280 * f2),
        ("1024·f²", 1024 * f2),
        ("512·f²", 512 * f2),
        ("256·f²", 256 * f2),
    ]
    seen: set[int] = set()
    unique = []
    for label, pixels in rows:
        if pixels not in seen:  # 1280·28² and 1280·f² coincide when the factor is 28
            seen.add(pixels)
            unique.append((label, pixels))
    return unique


def cell(family: Family, width: int, height: int, max_pixels: int) -> str:
    h, w = smart_resize(height, width, family.factor, family.min_pixels, max_pixels)
    tokens = image_tokens(height, width, family.factor, family.min_pixels, max_pixels)
    return f"{w}×{h} → {tokens:>5}"


def main() -> None:
    header = f"{'family':<11} {'budget':<9} {'max_pixels':>10}  " + "  ".join(
        f"{f'{w}×{h}: image → tokens':<22}" for w, h in SCREENS
    )
    print(header)
    print("-" * len(header))
    mismatches = []
    for family in FAMILIES.values():
        for label, pixels in budgets(family):
            cells = "  ".join(f"{cell(family, w, h, pixels):<22}" for w, h in SCREENS)
            print(f"{family.name:<11} {label:<9} {pixels:>10}  {cells}")
            quoted = QUOTED.get(family.name, {}).get(label)
            got = image_tokens(800, 1280, family.factor, family.min_pixels, pixels)
            if quoted is not None and quoted != got:
                mismatches.append(f"{family.name} {label}: quoted {quoted}, computed {got}")
        print()
    if mismatches:
        print("differs from ENVIRONMENT.md: " + "; ".join(mismatches))
    else:
        print("1280×800 agrees with ENVIRONMENT.md: Qwen2.5-VL/UI-TARS 1,334 (default) and 1,260 (1280·28²),")
        print("Qwen3-VL 1,000 (default), 240 for every family at 256·factor².")


if __name__ == "__main__":
    main()

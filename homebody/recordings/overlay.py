"""The markers of a frame as one SVG laid over it, in the frame's own pixels (``viewBox``), so the
browser scales them with the picture. Marker labels are recorded text: they go in escaped."""

from __future__ import annotations

import math
from html import escape

from homebody.recordings.markers import Marker

AGENT_COLOUR = "#e11d48"
HUMAN_COLOUR = "#0284c7"
CHANGE_COLOUR = "#f59e0b"


def overlay_svg(markers: tuple[Marker, ...], width: int, height: int) -> str:
    shapes = "".join(_shape(m, width, height) for m in markers)
    return (
        f'<svg class="overlay" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
        f'xmlns="http://www.w3.org/2000/svg" aria-hidden="true">{shapes}</svg>'
    )


def _shape(m: Marker, width: int, height: int) -> str:
    colour = HUMAN_COLOUR if m.human else AGENT_COLOUR
    line = f'stroke="{colour}" stroke-width="3" fill="none" vector-effect="non-scaling-stroke"'
    match m.kind:
        case "click":
            shape = (
                f'<circle cx="{m.x:.1f}" cy="{m.y:.1f}" r="18" {line}/>'
                f'<path d="M{m.x - 28:.1f} {m.y:.1f}H{m.x + 28:.1f}M{m.x:.1f} {m.y - 28:.1f}V{m.y + 28:.1f}" {line}/>'
            )
        case "scroll":
            shape = _arrow(m, line, colour)
        case "dot":
            shape = f'<circle cx="{m.x:.1f}" cy="{m.y:.1f}" r="5" fill="{colour}" fill-opacity="0.6"/>'
        case "box":
            return (
                f'<rect x="{m.x}" y="{m.y}" width="{m.dx}" height="{m.dy}" stroke="{CHANGE_COLOUR}" '
                'stroke-width="2" stroke-dasharray="6 4" fill="none" vector-effect="non-scaling-stroke"/>'
            )
        case "label":
            shape = ""
    return shape + _text(m, colour, width, height) if m.text else shape


def _arrow(m: Marker, line: str, colour: str) -> str:
    length = math.hypot(m.dx, m.dy)
    ux, uy = (m.dx / length, m.dy / length) if length else (0.0, 1.0)
    reach = min(max(length / 3, 40.0), 160.0)
    tx, ty = m.x + ux * reach, m.y + uy * reach
    # the head: two points 14 px back from the tip, 8 px either side of the shaft
    left = (tx - ux * 14 - uy * 8, ty - uy * 14 + ux * 8)
    right = (tx - ux * 14 + uy * 8, ty - uy * 14 - ux * 8)
    return (
        f'<path d="M{m.x:.1f} {m.y:.1f}L{tx:.1f} {ty:.1f}" {line}/>'
        f'<polygon points="{tx:.1f},{ty:.1f} {left[0]:.1f},{left[1]:.1f} {right[0]:.1f},{right[1]:.1f}" '
        f'fill="{colour}"/>'
    )


def _text(m: Marker, colour: str, width: int, height: int) -> str:
    # keep the label on the frame: about 12 px per character at this size
    x = min(m.x + (24 if m.kind != "label" else 0), max(width - 12 * len(m.text), 4))
    y = min(max(m.y - (24 if m.kind != "label" else -6), 20) + 28 * m.lift, height - 8)
    return f'<text x="{x:.1f}" y="{y:.1f}" fill="{colour}" class="label">{escape(m.text)}</text>'

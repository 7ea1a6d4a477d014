"""A recording as ONE self-contained, offline HTML file: frames inline, markers drawn over them.

The page loads nothing from anywhere (a Content-Security-Policy forbids it) and works from
``file://``. Every string from the recording (model thoughts, page titles, URLs, typed text) is
untrusted: it reaches the page only through ``html.escape`` or, inside the one JSON data block,
with ``<``, ``>``, ``&`` and U+2028/9 escaped, and the script only ever sets ``textContent``.
The stored JPEGs are embedded as they are (base64), so the file is about 4/3 of the frames' size.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
import tempfile
from html import escape
from pathlib import Path

from homebody.errors import BadInput
from homebody.recordings.markers import Marker, action_line, entry_markers, input_line
from homebody.recordings.page import PAGE_CSS, PAGE_JS
from homebody.recordings.timeline import FrameRef, Step, Takeover, Timeline, read_timeline

log = logging.getLogger(__name__)

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
AGENT_COLOUR = "#e11d48"
HUMAN_COLOUR = "#0284c7"
CHANGE_COLOUR = "#f59e0b"
_FALLBACK_SIZE = (1280, 800)


def export_html(task_dir: Path, out: Path) -> Path:
    """Write the replay of the recording in ``task_dir`` to ``out`` (0600, replaced atomically)."""
    timeline = read_timeline(task_dir)
    write_private(out, render_html(timeline).encode("utf-8"))
    return out


def write_private(out: Path, data: bytes) -> None:
    """Replays show what the user's browser showed: readable by the owner only, never half-written."""
    if out.is_dir():
        raise BadInput(f"{out} is a directory; give a file name for the export")
    if not out.parent.is_dir():
        raise BadInput(f"cannot write {out}: the folder {out.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".replay-", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def script_json(value: object) -> str:
    """JSON safe to place inside a ``<script>`` element: no ``</script>``, no ``<!--``, no line separators."""
    text = json.dumps(value, ensure_ascii=False)
    for char, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, code)
    return text


def render_html(timeline: Timeline) -> str:
    markers = entry_markers(timeline)
    sections = [_section(i, entry, markers[i]) for i, entry in enumerate(timeline.entries)]
    data = {"entries": [{"label": _label(e), "kind": _kind(e)} for e in timeline.entries]}
    task_id = timeline.task.task_id if timeline.task else timeline.task_dir.name
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>homebody replay {escape(task_id)}</title>",
            f"<style>{PAGE_CSS}</style></head><body>",
            _header(timeline),
            _controls(timeline),
            '<main id="entries">',
            *sections,
            "</main>" if sections else '<p class="empty">No steps were recorded.</p></main>',
            f'<script type="application/json" id="timeline-data">{script_json(data)}</script>',
            f"<script>{PAGE_JS}</script>",
            "</body></html>",
        ]
    )


def _kind(entry: Step | Takeover) -> str:
    if isinstance(entry, Takeover):
        return "takeover"
    if entry.halt is not None:
        return "halt"
    return "error" if entry.executed is not None and not entry.executed.ok else "step"


def _label(entry: Step | Takeover) -> str:
    if isinstance(entry, Takeover):
        return f"takeover by {entry.by} ({len(entry.inputs)} inputs)"
    return f"step {entry.number}: {action_line(entry.action)}" + (f" — {entry.title}" if entry.title else "")


def _header(timeline: Timeline) -> str:
    rows: list[tuple[str, str]] = []
    if timeline.task is not None:
        task = timeline.task
        rows += [("Task", task.task_id), ("Instruction", task.instruction or "(none)"), ("Start", task.start_url)]
        rows += [("Brain", task.brain)]
    if timeline.ending is not None:
        end = timeline.ending
        rows.append(("Outcome", f"{end.outcome} after {end.steps} steps"))
        rows += [(name, value) for name, value in (("Reason", end.reason), ("Answer", end.answer)) if value]
    else:
        rows.append(("Outcome", "unfinished (the recording ends before the task did)"))
    cells = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    outcome = escape(timeline.ending.outcome if timeline.ending else "unfinished")
    return f'<header><h1>homebody replay</h1><dl class="task outcome-{outcome}">{cells}</dl></header>'


def _controls(timeline: Timeline) -> str:
    top = max(len(timeline.entries) - 1, 0)
    ticks = "".join(
        f'<li><button type="button" class="tick tick-{_kind(e)}" data-index="{i}" '
        f'aria-label="{escape(_label(e))}" title="{escape(_label(e))}">{i + 1}</button></li>'
        for i, e in enumerate(timeline.entries)
    )
    return (
        '<nav id="controls" aria-label="Timeline" hidden>'
        '<button type="button" id="prev" aria-label="Previous step">◀ Prev</button>'
        f'<input type="range" id="scrub" min="0" max="{top}" step="1" value="0" aria-label="Timeline position">'
        '<button type="button" id="next" aria-label="Next step">Next ▶</button>'
        '<output id="position" aria-live="polite"></output>'
        f'<ol class="ticks">{ticks}</ol>'
        '<p class="keys">Keys: ← → previous / next, Home / End first / last.</p></nav>'
    )


def _section(index: int, entry: Step | Takeover, markers: tuple[Marker, ...]) -> str:
    frame = entry.frame
    body = _step_info(entry) if isinstance(entry, Step) else _takeover_info(entry)
    return (
        f'<section class="entry entry-{_kind(entry)}" id="e{index}" data-index="{index}" '
        f'aria-label="{escape(_label(entry))}">'
        f'{_stage(frame, markers)}<div class="info">{body}</div></section>'
    )


def _stage(frame: FrameRef | None, markers: tuple[Marker, ...]) -> str:
    width, height = (frame.width, frame.height) if frame and frame.width and frame.height else _FALLBACK_SIZE
    picture = _image(frame, "frame")
    if not picture:
        name = escape(frame.name) if frame else "none recorded"
        picture = f'<div class="missing" style="aspect-ratio:{width}/{height}">frame missing ({name})</div>'
    return f'<figure class="stage">{picture}{_overlay(markers, width, height)}</figure>'


def _image(frame: FrameRef | None, css: str) -> str:
    """An ``<img>`` with the stored file inline, or "" when it is missing or not an image."""
    if frame is None or frame.file is None:
        return ""
    try:
        mime = frame.mime
        data = frame.file.read_bytes() if mime else b""
    except OSError as exc:
        log.warning("cannot read %s: %s", frame.file, exc)
        return ""
    if not data:
        return ""
    src = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return f'<img class="{css}" alt="{escape(frame.name)}" src="{src}">'


def _overlay(markers: tuple[Marker, ...], width: int, height: int) -> str:
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


def _row(name: str, value: str, css: str = "") -> str:
    if not value:
        return ""
    return f'<p class="{css}"><b>{escape(name)}</b> <span>{escape(value)}</span></p>'


def _step_info(step: Step) -> str:
    parts = [f"<h2>Step {step.number}</h2>", _row("Page", step.url, "url"), _row("Title", step.title, "title")]
    parts += [_row("Thought", step.thought, "thought"), _row("Action", action_line(step.action), "action")]
    if step.check is not None:
        check = step.check
        detail = " · ".join(x for x in (check.verdict, check.category, check.reason) if x)
        parts.append(_row(f"Checker ({check.checker})", detail, f"check verdict-{escape(check.verdict)}"))
    if step.halt is not None:
        parts.append(_halt(step))
    parts += [_row(f"{a.kind.capitalize()} by {a.by}", a.note or "—", f"answer answer-{a.kind}") for a in step.answers]
    parts.append(_row("Not run", step.skipped, "skipped"))
    if step.executed is not None:
        run = step.executed
        parts.append(_row("Executed", f"ok in {run.ms:.0f} ms" if run.ok else f"failed: {run.error}", "executed"))
    if step.verified is not None:
        ver = step.verified
        detail = f"{ver.effect} (score {ver.score:.3f}, {len(ver.boxes)} changed regions)" + (
            f" · {ver.note}" if ver.note else ""
        )
        parts.append(_row("Verifier", detail, f"verified effect-{escape(ver.effect)}"))
    return "".join(parts)


def _halt(step: Step) -> str:
    assert step.halt is not None
    halt = step.halt
    crop = _image(halt.crop, "crop") or (
        f'<p class="missing-crop">crop missing ({escape(halt.crop.name)})</p>' if halt.crop else ""
    )
    target = f"<p>Target: {escape(halt.target)}</p>" if halt.target else ""
    return (
        f'<div class="halt" role="note"><h3>HALTED before acting [{escape(halt.category)}]</h3>'
        f"<p>{escape(halt.reason)}</p>{target}{crop}</div>"
    )


def _takeover_info(takeover: Takeover) -> str:
    items = "".join(
        f"<li>{escape(input_line(h.input))}"
        + (f' <em class="error">failed: {escape(h.error)}</em>' if not h.ok else "")
        + "</li>"
        for h in takeover.inputs
    )
    span = f"{takeover.ended_at - takeover.started_at:.1f} s" if takeover.ended_at is not None else "not handed back"
    return (
        f"<h2>Takeover by {escape(takeover.by)}</h2>"
        f"<p>After step {takeover.after_step} · {len(takeover.inputs)} inputs · {escape(span)}</p>"
        '<p class="note">Drawn on the last frame the agent saw before the takeover.</p>'
        f'<ol class="inputs">{items}</ol>' + _row("Summary", takeover.summary, "summary")
    )

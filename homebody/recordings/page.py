"""The replay page: a recording as HTML, one section per step or takeover, each with its frame (the
markers drawn over it) and what happened beside it.

One page for both places a recording is replayed: the one-file export writes the pictures, the style
and the script into the file; the server's replay page links the same two files (``static/``) and
points at the pictures by URL. The page is whole without its script (every entry one under another);
``static/replay.js`` shows one entry at a time on a timeline.

Every string from the recording (model thoughts, page titles, URLs, typed text) is untrusted: it
reaches the markup only through ``html.escape`` or, inside the one JSON data block, with ``<``, ``>``,
``&`` and U+2028/9 escaped; the script only ever sets text, classes and attributes.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from homebody.recordings.markers import Marker, entry_markers
from homebody.recordings.overlay import overlay_svg
from homebody.recordings.timeline import FrameRef, HaltInfo, Step, Takeover, Timeline
from homebody.recordings.wording import KIND_WORDS, action_line, halt_heading, held_line, input_line, outgoing_line
from homebody.types import HeldEffect

log = logging.getLogger(__name__)

#: The style and the script of the page, as files: served by the server, written into the export.
STATIC_DIR = Path(__file__).resolve().parent / "static"
STYLE = "replay.css"
SCRIPT = "replay.js"
_FALLBACK_SIZE = (1280, 800)


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str
    download: bool = False


@dataclass(frozen=True, slots=True)
class Assets:
    """Where the page's pictures, style and script come from."""

    image: Callable[[FrameRef], str]  # the src of a stored picture; "" when it cannot be shown
    static_url: str = ""  # where the server serves STYLE and SCRIPT; "" writes them into the page
    csp: str = ""  # a Content-Security-Policy <meta> for a file that no server sends one for
    links: tuple[Link, ...] = ()  # shown above the task: the server's own pages


@functools.cache
def static_text(name: str) -> str:
    """One of the page's own files (read once, on first use: nothing happens at import)."""
    text = (STATIC_DIR / name).read_text(encoding="utf-8")
    # our own code, but the export writes it into a <style> or <script> element, which "</" could end
    if "</" in text:
        raise ValueError(f"{name} must not contain '</': the export writes it into the page")
    return text


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


def render_page(timeline: Timeline, assets: Assets) -> str:
    markers = entry_markers(timeline)
    sections = [_section(i, entry, markers[i], assets) for i, entry in enumerate(timeline.entries)]
    data = {"entries": [{"label": entry_label(e), "kind": entry_kind(e)} for e in timeline.entries]}
    task_id = timeline.task.task_id if timeline.task else timeline.task_dir.name
    return "\n".join(
        [
            *_head(f"homebody replay {task_id}", assets),
            _links(assets.links),
            _header(timeline),
            _controls(timeline),
            '<main id="entries">',
            *sections,
            "</main>" if sections else '<p class="empty">No steps were recorded.</p></main>',
            f'<script type="application/json" id="timeline-data">{script_json(data)}</script>',
            _script(assets),
            "</body></html>",
        ]
    )


def render_notice(title: str, message: str, assets: Assets) -> str:
    """A page in place of a replay that cannot be shown (no recording yet, a damaged one)."""
    body = f"<header><h1>{escape(title)}</h1></header><p>{escape(message)}</p>"
    return "\n".join([*_head(title, assets), _links(assets.links), body, "</body></html>"])


def entry_kind(entry: Step | Takeover) -> str:
    if isinstance(entry, Takeover):
        return "takeover"
    if entry.halt is not None:
        return "halt"
    return "error" if entry.executed is not None and not entry.executed.ok else "step"


def entry_label(entry: Step | Takeover) -> str:
    if isinstance(entry, Takeover):
        return f"takeover by {entry.by} ({len(entry.inputs)} inputs)"
    label = f"step {entry.number}: {action_line(entry.action)}"
    held = entry.halt.held if entry.halt is not None else ()
    if held:
        more = f" and {len(held) - 1} more" if len(held) > 1 else ""
        label += f" · held: {_short(outgoing_line(held[0].outgoing), 120)}{more}"
    return label + (f" — {entry.title}" if entry.title else "")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _head(title: str, assets: Assets) -> list[str]:
    if assets.static_url:
        style = f'<link rel="stylesheet" href="{escape(assets.static_url + STYLE)}">'
    else:
        style = f"<style>{static_text(STYLE)}</style>"
    # single quotes stay as they are: a policy is read literally, and it holds no double quote
    policy = escape(assets.csp, quote=False).replace('"', "&quot;")
    csp = f'<meta http-equiv="Content-Security-Policy" content="{policy}">' if assets.csp else ""
    return [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        csp,
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"{style}</head><body>",
    ]


def _script(assets: Assets) -> str:
    if assets.static_url:
        return f'<script type="module" src="{escape(assets.static_url + SCRIPT)}"></script>'
    return f'<script type="module">{static_text(SCRIPT)}</script>'


def _links(links: tuple[Link, ...]) -> str:
    if not links:
        return ""
    items = " · ".join(
        f'<a href="{escape(link.href)}"{" download" if link.download else ""}>{escape(link.text)}</a>' for link in links
    )
    return f'<nav class="crumbs" aria-label="Pages">{items}</nav>'


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
        f'<li><button type="button" class="tick tick-{entry_kind(e)}" data-index="{i}" '
        f'aria-label="{escape(entry_label(e))}" title="{escape(entry_label(e))}">{i + 1}</button></li>'
        for i, e in enumerate(timeline.entries)
    )
    # hidden until the script runs: without it the controls would do nothing
    return (
        '<nav id="controls" aria-label="Replay controls" hidden>'
        '<button type="button" id="prev" aria-label="Previous step">◀ Prev</button>'
        f'<input type="range" id="scrub" min="0" max="{top}" step="1" value="0" aria-label="Timeline position">'
        '<button type="button" id="next" aria-label="Next step">Next ▶</button>'
        '<output id="position" aria-live="polite"></output>'
        f'<ol class="ticks">{ticks}</ol>'
        '<p class="keys">Keys: ← → previous / next, Home / End first / last.</p></nav>'
    )


def _section(index: int, entry: Step | Takeover, markers: tuple[Marker, ...], assets: Assets) -> str:
    body = _step_info(entry, assets) if isinstance(entry, Step) else _takeover_info(entry)
    return (
        f'<section class="entry entry-{entry_kind(entry)}" id="e{index}" data-index="{index}" '
        f'aria-label="{escape(entry_label(entry))}">'
        f'{_stage(entry.frame, markers, assets)}<div class="info">{body}</div></section>'
    )


def _stage(frame: FrameRef | None, markers: tuple[Marker, ...], assets: Assets) -> str:
    width, height = (frame.width, frame.height) if frame and frame.width and frame.height else _FALLBACK_SIZE
    picture = _image(frame, "frame", assets)
    if not picture:
        name = escape(frame.name) if frame else "none recorded"
        # an empty SVG of the frame's proportions holds the place (a style attribute would break the CSP)
        picture = (
            f'<div class="missing"><svg viewBox="0 0 {width} {height}" aria-hidden="true"></svg>'
            f"<p>frame missing ({name})</p></div>"
        )
    return f'<figure class="stage">{picture}{overlay_svg(markers, width, height)}</figure>'


def _image(frame: FrameRef | None, css: str, assets: Assets) -> str:
    """An ``<img>`` of a stored picture, or "" when it is missing or not a picture."""
    if frame is None or frame.file is None:
        return ""
    try:
        src = assets.image(frame)
    except OSError as exc:
        log.warning("cannot read %s: %s", frame.file, exc)
        return ""
    return f'<img class="{css}" alt="{escape(frame.name)}" src="{escape(src)}">' if src else ""


def _row(name: str, value: str, css: str = "") -> str:
    if not value:
        return ""
    return f'<p class="{css}"><b>{escape(name)}</b> <span>{escape(value)}</span></p>'


def _step_info(step: Step, assets: Assets) -> str:
    parts = [f"<h2>Step {step.number}</h2>", _row("Page", step.url, "url"), _row("Title", step.title, "title")]
    parts += [_row("Thought", step.thought, "thought"), _row("Action", action_line(step.action), "action")]
    if step.check is not None:
        check = step.check
        detail = " · ".join(x for x in (check.verdict, check.category, check.reason) if x)
        parts.append(_row(f"Checker ({check.checker})", detail, f"check verdict-{escape(check.verdict)}"))
    parts += [_halt(halt, assets) for halt in step.halts]
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


def _halt(halt: HaltInfo, assets: Assets) -> str:
    crop = _image(halt.crop, "crop", assets) or (
        f'<p class="missing-crop">crop missing ({escape(halt.crop.name)})</p>' if halt.crop else ""
    )
    target = f"<p>Target: {escape(halt.target)}</p>" if halt.target else ""
    return (
        f'<div class="halt" role="note"><h3>{escape(halt_heading(halt.held))} [{escape(halt.category)}]</h3>'
        f"<p>{escape(halt.reason)}</p>{target}{_held(halt.held)}{crop}</div>"
    )


def _held(held: tuple[HeldEffect, ...]) -> str:
    """The held requests, one item each: method, URL, fields, operation, category and reason (escaped)."""
    if not held:
        return ""
    items = "".join(_held_item(item) for item in held)
    return f'<p class="note">The action ran; what it would send was held, not sent:</p><ol class="held">{items}</ol>'


def _held_item(item: HeldEffect) -> str:
    out = item.outgoing
    facts = [
        ("As", KIND_WORDS.get(out.kind, ""), "held-kind"),
        ("Fields", ", ".join(out.fields), "held-fields"),
        ("Operation", out.operation, "held-operation"),
        ("Sent by", out.frame_url if not out.top_level else "", "held-frame"),
    ]
    rows = "".join(
        f'<span class="{css}"><b>{escape(name)}</b> {escape(value)}</span>' for name, value, css in facts if value
    )
    return (
        f'<li class="held-item held-{escape(out.kind)}" title="{escape(held_line(item))}">'
        f'<span class="held-request"><code class="held-method">{escape(out.method)}</code> '
        f'<span class="held-url">{escape(out.url)}</span></span>{rows}'
        f'<span class="held-why"><span class="held-category">{escape(item.category)}</span> '
        f'<span class="held-reason">{escape(item.reason)}</span></span></li>'
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

"""The fixed style and script of an exported replay page (no data in here: only code we wrote).

The script reads the timeline labels from the page's JSON data block and only ever sets
``textContent``, classes and attributes, so nothing from a recording is parsed as HTML. Without
script every entry is simply shown one under another.
"""

from __future__ import annotations

PAGE_CSS = """
:root { color-scheme: light dark; --agent: #e11d48; --human: #0284c7; --halt: #b91c1c; --muted: #6b7280; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; padding: 0 1rem 2rem; }
header h1 { font-size: 1.2rem; margin: .8rem 0 .3rem; }
dl.task { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: 0 0 .6rem; }
dl.task dt { font-weight: 600; color: var(--muted); }
dl.task dd { margin: 0; overflow-wrap: anywhere; }
dl.outcome-done dd:last-of-type { color: #15803d; }
#controls { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: .5rem; align-items: center;
  padding: .5rem 0; background: Canvas; border-bottom: 1px solid #d1d5db; }
#controls[hidden] { display: none; }
#scrub { flex: 1 1 16rem; }
#position { flex: 1 1 100%; font-weight: 600; overflow-wrap: anywhere; }
button { font: inherit; padding: .25rem .6rem; cursor: pointer; }
button:focus-visible, input:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
.ticks { display: flex; flex-wrap: wrap; gap: 3px; list-style: none; margin: 0; padding: 0; flex: 1 1 100%; }
.tick { min-width: 2rem; padding: 0 .2rem; font-size: .75rem; border: 1px solid #9ca3af; background: Canvas; }
.tick-halt { border-color: var(--halt); color: var(--halt); font-weight: 700; }
.tick-takeover { border-color: var(--human); color: var(--human); font-weight: 700; }
.tick-error { border-style: dashed; }
.tick[aria-current="step"] { background: #1f2937; color: #fff; }
.keys { margin: 0; font-size: .8rem; color: var(--muted); }
.entry { display: grid; grid-template-columns: minmax(0, 3fr) minmax(16rem, 2fr); gap: 1rem; padding: 1rem 0;
  border-bottom: 1px solid #e5e7eb; }
html.js .entry { display: none; }
html.js .entry.current { display: grid; }
.entry-takeover { border-left: 6px solid var(--human); padding-left: .8rem; background: rgba(2, 132, 199, .06); }
.entry-halt { border-left: 6px solid var(--halt); padding-left: .8rem; }
.stage { position: relative; margin: 0; align-self: start; line-height: 0; border: 1px solid #d1d5db; }
.stage img.frame { width: 100%; height: auto; display: block; }
.stage .overlay { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
.overlay .label { font: 600 22px system-ui, sans-serif; paint-order: stroke; stroke: #fff; stroke-width: 4px;
  stroke-linejoin: round; }
.missing { width: 100%; display: flex; align-items: center; justify-content: center; line-height: 1.4;
  background: repeating-linear-gradient(45deg, #e5e7eb 0 12px, #f3f4f6 12px 24px); color: #374151; }
.info h2 { margin: 0 0 .4rem; font-size: 1.1rem; }
.info p { margin: .25rem 0; overflow-wrap: anywhere; white-space: pre-wrap; }
.info b { color: var(--muted); font-weight: 600; }
.entry-takeover h2 { color: var(--human); }
.verdict-halt, .verdict-block, .answer-rejected, .skipped { color: var(--halt); }
.verdict-allow span { color: #15803d; }
.halt { border: 2px solid var(--halt); border-radius: 6px; padding: .5rem .7rem; margin: .5rem 0;
  background: rgba(185, 28, 28, .07); }
.halt h3 { margin: 0 0 .3rem; color: var(--halt); font-size: 1rem; }
.halt img.crop { max-width: 100%; border: 1px solid var(--halt); display: block; margin-top: .4rem; }
.inputs { margin: .3rem 0; padding-left: 1.4rem; color: var(--human); }
.error { color: var(--halt); }
.note { color: var(--muted); font-size: .85rem; }
@media (max-width: 900px) { .entry, html.js .entry.current { grid-template-columns: 1fr; } }
"""

PAGE_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("timeline-data").textContent);
  var entries = Array.prototype.slice.call(document.querySelectorAll("section.entry"));
  var ticks = Array.prototype.slice.call(document.querySelectorAll("button.tick"));
  var controls = document.getElementById("controls");
  var scrub = document.getElementById("scrub");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var position = document.getElementById("position");
  if (!entries.length) { return; }
  document.documentElement.classList.add("js");
  controls.hidden = false;
  var current = 0;
  function show(index) {
    index = Math.max(0, Math.min(entries.length - 1, index));
    entries[current].classList.remove("current");
    ticks[current].removeAttribute("aria-current");
    current = index;
    entries[index].classList.add("current");
    ticks[index].setAttribute("aria-current", "step");
    scrub.value = String(index);
    var label = data.entries[index].label;
    scrub.setAttribute("aria-valuetext", label);
    position.textContent = (index + 1) + " / " + entries.length + " \\u00b7 " + label;
    prev.disabled = index === 0;
    next.disabled = index === entries.length - 1;
    document.body.setAttribute("data-current", String(index));
  }
  scrub.addEventListener("input", function () { show(Number(scrub.value)); });
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  ticks.forEach(function (tick) {
    tick.addEventListener("click", function () { show(Number(tick.getAttribute("data-index"))); });
  });
  document.addEventListener("keydown", function (event) {
    if (event.target === scrub || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: entries.length - 1 };
    if (Object.prototype.hasOwnProperty.call(moves, event.key)) {
      event.preventDefault();
      show(moves[event.key]);
    }
  });
  var fromHash = /^#e(\\d+)$/.exec(window.location.hash);
  show(fromHash ? Number(fromHash[1]) : 0);
})();
"""

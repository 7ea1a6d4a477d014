"""The oracle brain: reads the episode's DOM to choose its targets, acts only through the loop.

It measures the harness, not a model: every action it proposes is an ordinary ``Action`` (a click
at viewport coordinates, typing, keys, a wheel scroll, a wait) that goes through the same loop as
a model's: the stale-frame guard, the safety checker, the computer, the verifier, the recorder.
With it, every failed episode is a harness failure (or an oracle bug), never a model's mistake.

A task's solver (in ``click.py``, ``forms.py`` and ``more.py`` next to this file) is an async
generator of ``Intent``s. An intent names its target by a JavaScript query and is resolved against
the page only when the loop asks for the next action, so coordinates are fresh; a target that is
scrolled out of view first becomes a wheel scroll over its scrolling box, and one that is not there
yet (an animation, a delayed widget) a short wait. An intent the loop did not run (the screen
changed under it) is resolved again.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from homebody.errors import BrainError
from homebody.types import Action, BrainInput, Click, Decision, Done, KeyCombo, Scroll, TypeText, Wait

#: How often a missing or covered target is looked for again (each look is a short wait step).
MAX_LOOKS = 25
LOOK_WAIT_S = 0.15
EVAL_TIMEOUT_S = 5.0

# In-page helpers passed to every query as ``H``: find elements, and a point where a click would
# land on one (the first of a few candidate points that hit-testing says is the element itself).
HELPERS = r"""({
  norm: (s) => String(s == null ? "" : s).replace(/\s+/g, " ").trim(),
  all(sel, root) { return Array.from((root || document).querySelectorAll(sel)); },
  shown(el) {
    if (!el || !el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== "hidden" && cs.display !== "none" && +cs.opacity !== 0;
  },
  byText(sel, text, opts) {
    const o = opts || {}, want = this.norm(text);
    const hits = this.all(sel, o.root).filter((el) => (o.hidden || this.shown(el)) &&
      (o.contains ? this.norm(el.textContent).includes(want) : this.norm(el.textContent) === want));
    return hits[o.nth || 0] || null;
  },
  menuOption(text) {
    const host = document.querySelector("[data-homebody-select-menu]");
    if (!host || !host.shadowRoot) return null;
    return Array.from(host.shadowRoot.querySelectorAll("[role=option]"))
      .find((el) => this.norm(el.textContent) === this.norm(text)) || null;
  },
  parentOf(el) { return el.parentElement || (el.getRootNode() && el.getRootNode().host) || null; },
  clip(el, r) {
    const c = { l: Math.max(r.left, 0), t: Math.max(r.top, 0),
                r: Math.min(r.right, innerWidth), b: Math.min(r.bottom, innerHeight) };
    for (let a = this.parentOf(el); a && a !== document.documentElement && a !== document.body; a = this.parentOf(a)) {
      const cs = getComputedStyle(a);
      if (!/(auto|scroll|hidden|clip)/.test(cs.overflowX + cs.overflowY) && a.localName !== "select") continue;
      const ar = a.getBoundingClientRect();
      c.l = Math.max(c.l, ar.left + a.clientLeft); c.t = Math.max(c.t, ar.top + a.clientTop);
      c.r = Math.min(c.r, ar.left + a.clientLeft + a.clientWidth);
      c.b = Math.min(c.b, ar.top + a.clientTop + a.clientHeight);
    }
    return c;
  },
  lands(el, hit) {
    if (!hit) return false;
    if (hit === el || el.contains(hit)) return true;
    const select = el.localName === "option" ? el.closest("select") : null;  // a listbox's rows hit-test as the box
    return !!select && hit === select;
  },
  scroller(el) {
    for (let a = this.parentOf(el); a; a = this.parentOf(a)) {
      if (a === document.body || a === document.documentElement) break;
      const cs = getComputedStyle(a);
      const scrolls = /(auto|scroll)/.test(cs.overflowY) || a.localName === "select";
      if (a.scrollHeight > a.clientHeight + 1 && scrolls) return a;
    }
    return document.scrollingElement;
  },
  target(el, at) {
    if (!el) return { status: "missing" };
    if (!this.shown(el) && el.localName !== "option") return { status: "hidden" };
    const root = el.getRootNode();
    const hitRoot = root && root.elementFromPoint ? root : document;
    let rects = Array.from(el.getClientRects());
    if (!rects.length) rects = [el.getBoundingClientRect()];
    const grid = [[0.5, 0.5]];
    if (at) {  // a given spot inside the element (pixels from its top-left corner), e.g. a date field's month
      const r = el.getBoundingClientRect(), x = r.left + at[0], y = r.top + at[1];
      return this.lands(el, hitRoot.elementFromPoint(x, y)) ? { status: "ok", x, y } : { status: "covered" };
    }
    for (const fy of [0.5, 0.3, 0.7, 0.15, 0.85]) for (const fx of [0.5, 0.3, 0.7, 0.15, 0.85]) grid.push([fx, fy]);
    let inside = false;
    for (const r of rects) {
      const c = this.clip(el, r);
      if (c.r - c.l < 1 || c.b - c.t < 1) continue;
      inside = true;
      for (const [fx, fy] of grid) {
        const x = c.l + (c.r - c.l) * fx, y = c.t + (c.b - c.t) * fy;
        if (this.lands(el, hitRoot.elementFromPoint(x, y))) {
          return { status: "ok", x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
        }
      }
    }
    if (inside) return { status: "covered" };
    const box = el.getBoundingClientRect(), sc = this.scroller(el);
    const sr = sc === document.scrollingElement
      ? { left: 0, top: 0, width: innerWidth, height: innerHeight } : sc.getBoundingClientRect();
    const vx = Math.max(0, Math.min(innerWidth - 1, sr.left + sr.width / 2));
    const vy = Math.max(0, Math.min(innerHeight - 1, sr.top + sr.height / 2));
    return { status: "scroll", x: Math.round(vx), y: Math.round(vy),
             dx: Math.round(box.left + box.width / 2 - vx), dy: Math.round(box.top + box.height / 2 - vy) };
  },
})"""

IntentKind = Literal["click", "hover", "type", "key", "wait"]


@dataclass(frozen=True, slots=True)
class Intent:
    """One thing the oracle wants done. ``query`` is a JS function ``(arg, H) => Element | null``."""

    kind: IntentKind
    what: str = ""
    query: str = ""
    arg: Any = None
    text: str = ""
    keys: tuple[str, ...] = ()
    seconds: float = 0.0
    count: Literal[1, 2] = 1
    at: tuple[float, float] | None = None  # pixels from the target's top-left corner (else: anywhere on it)


def click(
    query: str, arg: Any = None, *, what: str, count: Literal[1, 2] = 1, at: tuple[float, float] | None = None
) -> Intent:
    return Intent("click", what, query, arg, count=count, at=at)


def click_css(selector: str, *, what: str = "", at: tuple[float, float] | None = None) -> Intent:
    return click("(a) => document.querySelector(a)", selector, what=what or selector, at=at)


def click_text(selector: str, text: str, *, nth: int = 0, contains: bool = False, what: str = "") -> Intent:
    arg = {"sel": selector, "text": text, "nth": nth, "contains": contains}
    query = "(a, H) => H.byText(a.sel, a.text, {nth: a.nth, contains: a.contains})"
    return click(query, arg, what=what or f"{selector} {text!r}")


def click_menu_option(text: str) -> Intent:
    """An option of the open ``<select>`` menu (homebody's in-page menu, see sessions/select_menu.js)."""
    return click("(a, H) => H.menuOption(a)", text, what=f"the menu option {text!r}")


def hover(query: str, arg: Any = None, *, what: str) -> Intent:
    """Move the mouse onto a target. The loop has no move action: a wheel scroll of 0 moves the mouse there."""
    return Intent("hover", what, query, arg)


def type_text(text: str) -> Intent:
    return Intent("type", f"type {text!r}", text=text)


def key(*keys: str) -> Intent:
    return Intent("key", "+".join(keys), keys=keys)


def wait(seconds: float) -> Intent:
    return Intent("wait", f"wait {seconds:g} s", seconds=seconds)


class OracleContext:
    """What a solver can read: the utterance and the page's DOM (never to act on it directly)."""

    def __init__(self, utterance: str, page: Callable[[], Page]) -> None:
        self.utterance = utterance
        self._page = page

    async def js(self, query: str, arg: Any = None) -> Any:
        """Evaluate ``query``, a JS function ``(arg, H) => value``, in the page."""
        source = f"(a) => ({query})(a, {HELPERS})"
        try:
            return await asyncio.wait_for(self._page().evaluate(source, arg), timeout=EVAL_TIMEOUT_S)
        except (PlaywrightError, TimeoutError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else repr(exc)
            raise BrainError(f"oracle: could not read the page: {first}") from exc

    async def locate(self, intent: Intent) -> dict[str, Any]:
        query = f"(a, H) => H.target(({intent.query})(a.arg, H), a.at)"
        found: dict[str, Any] = await self.js(query, {"arg": intent.arg, "at": intent.at})
        return found


Solver = Callable[[OracleContext], AsyncIterator[Intent]]


class OracleBrain:
    """Runs one task's solver for one episode (make a new one per episode)."""

    name = "oracle"

    def __init__(self, solver: Solver, page: Callable[[], Page]) -> None:
        self._solver = solver
        self._page = page
        self._steps: AsyncIterator[Intent] | None = None
        self._pending: Intent | None = None
        self._last: Intent | None = None
        self._looks = 0

    async def decide(self, inp: BrainInput) -> Decision:
        if self._steps is None:
            self._ctx = OracleContext(inp.instruction, self._page)
            self._steps = self._solver(self._ctx)
        not_run = bool(inp.history) and inp.history[-1].outcome in {"stale", "not run"}
        if self._pending is None and self._last is not None and not_run:
            self._pending = self._last  # the loop did not run it: the same intent, looked up again
        if self._pending is None:
            try:
                self._pending = await anext(self._steps)
            except StopAsyncIteration:
                return Decision(action=Done(), thought="oracle: the solver has nothing more to do")
            self._looks = 0
        intent = self._pending
        action, consumed = await self._resolve(intent)
        self._last = intent
        if consumed:
            self._pending = None
        return Decision(action=action, thought=f"oracle: {intent.what}", raw=json.dumps(intent.arg, default=str))

    async def _resolve(self, intent: Intent) -> tuple[Action, bool]:
        match intent.kind:
            case "type":
                return TypeText(text=intent.text), True
            case "key":
                return KeyCombo(keys=intent.keys), True
            case "wait":
                return Wait(seconds=intent.seconds), True
            case "click" | "hover":
                return await self._pointed(intent)

    async def _pointed(self, intent: Intent) -> tuple[Action, bool]:
        found = await self._ctx.locate(intent)
        status = found.get("status")
        if status == "ok":
            x, y = float(found["x"]), float(found["y"])
            if intent.kind == "hover":
                return Scroll(x=x, y=y, dx=0, dy=0), True
            return Click(x=x, y=y, count=intent.count), True
        self._looks += 1
        if self._looks > MAX_LOOKS:
            raise BrainError(f"oracle: {intent.what} is {status} after {MAX_LOOKS} looks")
        if status == "scroll":
            return Scroll(x=float(found["x"]), y=float(found["y"]), dx=float(found["dx"]), dy=float(found["dy"])), False
        return Wait(seconds=LOOK_WAIT_S), False

"""Redaction of the live screencast without asking the page once per frame.

Asking the page where its secret fields are (``redact.secret_boxes``) costs a round trip through
Playwright's driver into the page's busy main thread: 10-40 ms, far more on a loaded machine, and the
screencast could publish only one frame per answer. Instead a small watcher runs in each top
document of the cast page, in an isolated world (the page's own scripts cannot see or change it),
and tells the screencast's own CDP session, through a binding, how many elements match the secret
rule (shown or hidden), how many frames the document has (an iframe's fields are not its to see),
and the boxes of the shown secret fields. It looks:

- when the document starts, and at once after any DOM change (a MutationObserver on the document
  and on every open shadow root, before the paint that shows the change), and after any new shadow
  root (a hook on ``attachShadow`` in the page's world, which only fires an event: a root attached
  to an element already in the document changes nothing a MutationObserver sees);
- before every paint while any secret element exists (a field can move without a DOM change: CSS
  animations, scrolling, ``:hover``), reporting each look; otherwise after focus, pointer, input and
  load events and every 200 ms, reporting only a changed answer.

The report of a change is sent before the paint that shows it, on the same session as the frames,
so it arrives first. As a frame arrives the screencast asks ``untouched(ts)``: no secret element and
no frame in any answer in force from ``HISTORY_S`` before its capture on; then it goes out as it is.
Any other frame is painted over with every box of those answers, once the watcher has looked after
the frame's capture (so a change made after the watcher's look of that very frame is included);
where the watcher has not answered for this document, the page has frames, or the look does not
come within ``LOOK_AFTER_S``, the page is asked, as before. Fails closed throughout: a frame that
cannot be redacted is dropped.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from playwright.async_api import CDPSession
from playwright.async_api import Error as PlaywrightError
from pydantic import BaseModel, ValidationError

from homebody.types import Box

log = logging.getLogger(__name__)

WORLD = "homebody-redaction"
BINDING = "__homebodySecrets"
CDP_TIMEOUT_S = 5.0
RESCAN_MS = 200
#: how long before a frame's capture time a reported place of a field is still painted over
HISTORY_S = 0.5
#: how long a frame waits for the watcher to look after its capture before the page is asked instead
LOOK_AFTER_S = 0.25
_SESSIONS = itertools.count(1)
KEEP_S = 2.0  # answers older than this are forgotten (the newest one is always kept)
SHADOW_EVENT = "homebody-shadow-root"

# Runs at the start of each document in the page's own world, before the page's scripts: a new shadow
# root fires an event at its host, so the watcher looks into it before the next paint. A Proxy keeps
# ``attachShadow`` looking native to the page.
_SHADOW_HOOK_JS = """((eventName) => {
  const proto = Element.prototype, original = proto.attachShadow;
  if (!original) return;  // a second screencast session wraps it again: one more event, harmless
  const hooked = new Proxy(original, {
    apply(target, self, args) {
      const root = Reflect.apply(target, self, args);
      try {
        self.dispatchEvent(new Event(eventName, { composed: true }));
      } catch (e) { /* the root is attached all the same */ }
      return root;
    },
  });
  const how = { value: hooked, writable: true, configurable: true, enumerable: true };  // as WebIDL defines it
  Object.defineProperty(proto, 'attachShadow', how);
})"""

# Runs at the start of each document (and once at once in the current one), in the isolated world.
_WATCHER_JS = """((rule, bindingName, rescanMs, SHADOW_EVENT) => {
  const send = globalThis[bindingName];
  // Only the top document reports: a page with frames is never clear, whatever a frame would say.
  if (typeof send !== 'function' || window.top !== window) return;
  // A later screencast session's watcher takes over (its binding has another name); this one stops.
  globalThis.__homebodyWatcher = bindingName;
  let timer = 0;
  const current = () => {
    if (globalThis.__homebodyWatcher === bindingName) return true;
    observer.disconnect();
    clearInterval(timer);
    return false;
  };
  const FRAMES = 'iframe, frame, object, embed, portal, fencedframe';
  const seen = new WeakSet();
  let last = '', queued = false;
  const watch = (root) => {
    if (seen.has(root)) return;
    seen.add(root);
    observer.observe(root, { subtree: true, childList: true, attributes: true });
  };
  const look = (withBoxes) => {
    let secret = 0, frames = 0;
    const boxes = [];
    const walk = (root) => {
      watch(root);
      for (const el of root.querySelectorAll(rule)) {
        secret++;
        if (!withBoxes) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) boxes.push([r.left, r.top, r.width, r.height]);
      }
      frames += root.querySelectorAll(FRAMES).length;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    // Boxes only where there is a secret element: measuring forces a layout.
    if (!withBoxes && secret > 0) return look(true);
    return { secret, frames, boxes };
  };
  // Now, and before the next paint while there is a secret element: then every look is reported
  // (it also says "nothing moved up to now"); otherwise only a changed answer.
  const check = () => {
    if (!current()) return;
    let answer;
    try { answer = look(false); } catch (e) { answer = { error: String(e) }; }
    const text = JSON.stringify(answer);
    if (text !== last || answer.secret > 0) { last = text; send(JSON.stringify({ ...answer, t: Date.now() / 1000 })); }
    // A field's place can change without any DOM change (CSS animation, :hover, a late style sheet):
    // while there is one, look again before every paint.
    if (answer.secret > 0) soon();
  };
  const observer = new MutationObserver(() => check());  // before the paint that shows the change
  function soon() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; check(); });
  }
  // A new shadow root (the hook in the page's world): watched at once, before anything is put in it.
  addEventListener(SHADOW_EVENT, (e) => { if (e.target.shadowRoot) watch(e.target.shadowRoot); check(); }, true);
  const EVENTS = [
    'focusin', 'focusout', 'pointerover', 'pointerout', 'input', 'change', 'load', 'transitionrun',
  ];
  for (const type of EVENTS) addEventListener(type, soon, { capture: true, passive: true });
  timer = setInterval(soon, rescanMs);
  check();
})"""


class Answer(BaseModel):
    """One report of the watcher: the current document's secret elements (shown or not), its frames,
    the boxes of the shown secret fields (viewport CSS pixels), and when it looked (epoch seconds)."""

    secret: int
    frames: int
    boxes: list[tuple[float, float, float, float]]
    t: float


Locate = Callable[[], Awaitable[list[Box]]]
Paint = Callable[[bytes, Sequence[Box]], Awaitable[bytes]]


class LiveRedaction:
    """The screencast's redaction, fed by the page's watcher (see the module docstring).

    ``untouched(ts)``, read as a frame captured at ``ts`` (epoch seconds) arrives: whether the page
    reported no secret element at all around then (the frame goes out as it is). ``await
    redact(data, ts)`` paints a frame over.
    """

    def __init__(self, locate: Locate, paint: Paint, rule: str) -> None:
        self._locate = locate
        self._paint = paint
        self._rule = rule
        self._binding = BINDING
        self._hook = f"({_SHADOW_HOOK_JS})({json.dumps(SHADOW_EVENT)})"
        self._session: CDPSession | None = None
        self._known = False  # the current document's watcher has answered (and no frame is in it)
        self._versions: list[Answer] = []  # the watcher's answers, oldest first
        self._horizon = 0.0  # the answers in force from this time on are all kept
        self._report = asyncio.Event()  # set at each report
        #: reports received from the pages' watchers
        self.reports = 0
        #: frames redacted by asking the page (no answer from its watcher, or the page has frames)
        self.queried = 0
        #: frames painted over with the boxes the watcher reported
        self.painted = 0

    def _around(self, ts: float) -> list[Answer] | None:
        """The answers in force at any time from ``ts - HISTORY_S`` on (None: not known now). A frame
        captured at ``ts`` can still be on its way after its page changed, so every answer from a
        little before it to now counts."""
        if not self._known or self._session is None or ts - HISTORY_S < self._horizon:
            return None
        versions = self._versions
        return [v for n, v in enumerate(versions) if n + 1 == len(versions) or versions[n + 1].t > ts - HISTORY_S]

    def untouched(self, ts: float) -> bool:
        """Whether a frame captured at ``ts`` can go out as it is: the page had no secret element
        (shown or hidden) and no frame from a little before ``ts`` to now."""
        around = self._around(ts)
        return around is not None and all(v.secret == 0 for v in around)

    async def redact(self, data: bytes, ts: float) -> bytes:
        """``data`` (captured at ``ts``) with the page's secret fields painted over. Raises
        ``RedactionFailed`` when the page cannot be asked where they are: drop the frame."""
        around = await self._looked_after(ts)
        if around is None:
            self.queried += 1
            located = await self._locate()
            boxes = [*located, *(Box(*b) for v in self._around(ts) or () for b in v.boxes)]
        else:
            self.painted += 1
            boxes = [Box(*b) for v in around for b in v.boxes]
        return await self._paint(data, boxes) if boxes else data

    async def _looked_after(self, ts: float) -> list[Answer] | None:
        """The answers around ``ts`` once the watcher has looked after ``ts`` (it looks before every
        paint while a secret element exists): a change the frame shows is then among them, even one
        made after the watcher's look of that same frame. None when that does not come in time."""
        try:
            async with asyncio.timeout(LOOK_AFTER_S):
                # With no secret element, a new one would be reported at once (a DOM change): no wait.
                while (around := self._around(ts)) is not None and around[-1].t <= ts and around[-1].secret > 0:
                    self._report.clear()
                    await self._report.wait()
        except TimeoutError:
            return None
        return around

    async def attach(self, session: CDPSession) -> None:
        """Watch the page of ``session`` (the screencast's). Until its first report, and if this
        fails, every frame is redacted by asking the page."""
        self._session, self._known, self._versions, self._horizon = session, False, [], 0.0
        # A binding of its own: a document cast before (a tab switched back to) still runs the
        # watcher of that session, which stops when this one starts.
        self._binding = binding = f"{BINDING}{next(_SESSIONS)}"
        args = f"{json.dumps(self._rule)}, {json.dumps(binding)}, {RESCAN_MS}, {json.dumps(SHADOW_EVENT)}"
        source = f"({_WATCHER_JS})({args})"
        session.on("Runtime.bindingCalled", lambda params: self._on_report(session, params))
        session.on("Page.frameNavigated", lambda params: self._on_navigated(session, params))
        calls: list[tuple[str, dict[str, Any]]] = [
            ("Page.enable", {}),
            ("Runtime.enable", {}),
            ("Runtime.addBinding", {"name": binding, "executionContextName": WORLD}),
            ("Page.addScriptToEvaluateOnNewDocument", {"source": self._hook, "runImmediately": True}),
            (
                "Page.addScriptToEvaluateOnNewDocument",
                {"source": source, "worldName": WORLD, "runImmediately": True},
            ),
        ]
        try:
            for method, params in calls:
                async with asyncio.timeout(CDP_TIMEOUT_S):
                    await session.send(method, params)
        except (PlaywrightError, TimeoutError) as exc:
            log.info("the live view's secret-field watcher could not start (every frame is queried): %s", exc)

    def detach(self) -> None:
        self._session, self._known, self._versions, self._horizon = None, False, [], 0.0

    def _on_report(self, session: CDPSession, params: dict[str, Any]) -> None:
        if session is not self._session or params.get("name") != self._binding:
            return
        self.reports += 1
        try:
            answer = Answer.model_validate_json(params.get("payload", ""))
        except ValidationError:
            log.info("the live view's secret-field watcher failed (every frame is queried): %s", params.get("payload"))
            self._known = False
            return
        self._known = answer.frames == 0
        cutoff = time.time() - KEEP_S
        kept = [v for v in self._versions[:-1] if v.t > cutoff] + self._versions[-1:]
        if len(kept) < len(self._versions):
            self._horizon = kept[0].t  # what was in force before this is forgotten
        self._versions = [*kept, answer]
        self._report.set()

    def _on_navigated(self, session: CDPSession, params: dict[str, Any]) -> None:
        if session is self._session and "parentId" not in params.get("frame", {}):
            self._known = False  # a new document: nothing is known until its watcher reports

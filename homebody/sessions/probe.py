"""The browser's probe: what a click at a point, or a key press, would land on.

Before an action that can commit, the safety checker reads a ``TargetInfo`` from here. A click is
resolved by DevTools hit-testing (``DOM.getNodeForLocation``), which sees through open and closed
shadow roots and into frames of the same process; an out-of-process frame (a cross-site iframe) shows
up as its ``<iframe>`` element, so the probe finds that frame's own DevTools session and asks again
there, with the point moved into the frame. ``probe.js`` then climbs from the hit node to what the
click activates and describes it, inside a DevTools isolated world so that page scripts cannot patch
what it uses. Secrets never leave: the only ``value`` read is a button's, and the text inside fields
and editable regions is skipped.

A probe that fails (no answer within the timeout, a page in the middle of navigating) returns a
``TargetInfo`` with ``source="none"``; the safety chain treats an unreadable target as a reason to
halt. Nothing usable under the point gives ``source="dom"`` with an empty ``name``: the caller then
reads the screen around the point instead (OCR).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from playwright.async_api import CDPSession, Frame, Page
from playwright.async_api import Error as PlaywrightError

from homebody.errors import ComputerError, SessionClosed
from homebody.sessions.closing import close_quietly, first_line
from homebody.types import Action, Click, KeyCombo, TargetInfo, TypeText

log = logging.getLogger(__name__)

WORLD_NAME = "homebody-probe"
OBJECT_GROUP = "homebody-probe"
CLICK_EVENTS = frozenset({"click", "mousedown", "mouseup", "pointerdown", "pointerup", "touchstart", "touchend"})
HIT_TEST = {"includeUserAgentShadowDOM": False, "ignorePointerEventsNone": True}  # as a click would
MAX_FRAME_DEPTH = 4
RELEASE_EVERY = 64

Json = dict[str, Any]

# Small ancestors of a hit node in the page's world, climbing as probe.js's parentOf does. Big ones
# are left out so that a framework's listener delegated to the page root does not count.
_ANCESTORS = """function(limit) {
  const out = [], area = innerWidth * innerHeight;
  let el = this.nodeType === 1 ? this : (this.assignedSlot || this.parentNode);
  while (el && out.length < limit) {
    if (el.nodeType === 11 && el.host) { el = el.host; continue; }
    if (el.nodeType !== 1 || el.localName === 'body' || el.localName === 'html') break;
    const r = el.getBoundingClientRect();
    if (r.width * r.height > area / 4) break;
    out.push(el);
    el = el.assignedSlot || el.parentNode;
  }
  return out;
}"""
Offset = tuple[float, float]


@functools.cache
def _probe_source() -> str:
    return resources.files("homebody.sessions").joinpath("probe.js").read_text(encoding="utf-8")


@functools.cache
def _call_declaration(method: str, install: bool) -> str:
    """A function for ``Runtime.callFunctionOn``; with ``install``, it first puts probe.js in its world.

    Without, it answers ``{"missing": true}`` in a world that has not got probe.js yet.
    """
    if install:
        return (
            "function(...args) { const P = globalThis.__homebodyProbe || "
            f"(globalThis.__homebodyProbe = {_probe_source()}); return P.{method}(this, ...args); }}"
        )
    return (
        "function(...args) { const P = globalThis.__homebodyProbe; "
        f"return P ? P.{method}(this, ...args) : {{missing: true}}; }}"
    )


@dataclass
class _Session:
    """One DevTools session (the page's, or an out-of-process frame's) and what is cached for it."""

    cdp: CDPSession
    root_frame: str
    worlds: dict[str, int] = field(default_factory=dict)  # frame id → isolated world context id
    children: dict[int, Frame] = field(default_factory=dict)  # iframe backend node id → its Frame


class Prober:
    """Describes the element under a point, or the focused one, of the current page."""

    def __init__(self, page_getter: Callable[[], Page], timeout_s: float = 5.0, *, listener_check: bool = True) -> None:
        self._page_getter = page_getter
        self._timeout_s = timeout_s
        self._listener_check = listener_check
        self._sessions: dict[Page | Frame, _Session] = {}
        self._probes = 0

    async def at_point(self, x: float, y: float) -> TargetInfo:
        """What a click at (x, y), in viewport CSS pixels, lands on."""
        page = self._page_getter()
        return await self._run(page, lambda: self._at_point(page, x, y), f"probe ({x:.0f}, {y:.0f})")

    async def focused(self) -> TargetInfo:
        """The element that keys go to (for Enter, Ctrl+Enter, or typing that ends in a newline)."""
        page = self._page_getter()
        return await self._run(page, lambda: self._focused(page), "probe the focused element")

    async def probe(self, action: Action) -> TargetInfo:
        """The target of ``action``: a click's point, or the focused element for keys and typing."""
        match action:
            case Click(x=x, y=y):
                return await self.at_point(x, y)
            case KeyCombo() | TypeText():
                return await self.focused()
            case _:
                return TargetInfo(source="none")

    async def close(self) -> None:
        """Detach the DevTools sessions. Never raises."""
        sessions, self._sessions = list(self._sessions.values()), {}
        for sess in sessions:
            await close_quietly(sess.cdp.detach(), self._timeout_s, "probe session not detached", level=logging.DEBUG)

    # ------------------------------------------------------------------ running under a timeout

    async def _run(self, page: Page, work: Callable[[], Coroutine[Any, Any, TargetInfo]], what: str) -> TargetInfo:
        """Run ``work`` under the timeout; retry once on fresh sessions if DevTools said no."""
        try:
            async with asyncio.timeout(self._timeout_s):
                try:
                    return await work()
                except (PlaywrightError, ComputerError) as exc:
                    if page.is_closed():
                        raise SessionClosed("the page closed while it was being probed") from exc
                    log.info("probe failed (%s), retrying on fresh sessions", first_line(exc))
                    self._sessions.clear()
                    return await work()
        except TimeoutError:
            log.warning("could not %s: no answer within %g s", what, self._timeout_s)
        except (PlaywrightError, ComputerError) as exc:
            if page.is_closed():
                raise SessionClosed("the page closed while it was being probed") from exc
            log.warning("could not %s: %s", what, first_line(exc))
        self._sessions.clear()
        return TargetInfo(source="none", url=page.url)

    # ------------------------------------------------------------------ a point

    async def _at_point(self, page: Page, x: float, y: float) -> TargetInfo:
        sess = await self._page_session(page)
        offset: Offset = (0.0, 0.0)
        for _ in range(MAX_FRAME_DEPTH):
            try:
                point = {"x": round(x - offset[0]), "y": round(y - offset[1])}
                hit = await sess.cdp.send("DOM.getNodeForLocation", {**point, **HIT_TEST})
            except PlaywrightError as exc:
                if "No node found" in str(exc):
                    return TargetInfo(source="dom", url=page.url)
                raise
            frame_id = str(hit.get("frameId") or sess.root_frame)
            backend_id = int(hit["backendNodeId"])
            (node, info), frame_origin = await asyncio.gather(
                self._describe_hit(sess, backend_id, frame_id), self._frame_origin(sess, frame_id)
            )
            origin = (offset[0] + frame_origin[0], offset[1] + frame_origin[1])
            inner = await self._enter_frame(page, sess, backend_id, info, origin=origin, point=(x, y))
            if inner is not None:
                sess, offset = inner
                continue
            if not info["actionable"] and self._listener_check and "frame_content" not in info:
                candidates = await self._candidates(sess, backend_id)
                info = (await self._listener_target(sess, candidates, node) if candidates else None) or info
            await self._maybe_release(sess)
            return _target(info, origin)
        raise ComputerError("frames nested too deeply to probe")

    async def _frame_origin(self, sess: _Session, frame_id: str) -> Offset:
        """Where the content of an in-process frame starts, in its session's viewport."""
        if frame_id == sess.root_frame:
            return (0.0, 0.0)
        owner = await sess.cdp.send("DOM.getFrameOwner", {"frameId": frame_id})
        model = await sess.cdp.send("DOM.getBoxModel", {"backendNodeId": owner["backendNodeId"]})
        quad = model["model"]["content"]
        return (min(quad[0::2]), min(quad[1::2]))

    async def _enter_frame(
        self, page: Page, sess: _Session, backend_id: int, info: Json, *, origin: Offset, point: Offset
    ) -> tuple[_Session, Offset] | None:
        """The session and offset of the out-of-process frame whose content is at ``point`` (root px)."""
        content = info.get("frame_content")
        if not content:
            return None
        cx, cy, cw, ch = (float(v) for v in content)
        px, py = point[0] - origin[0], point[1] - origin[1]  # in the frame owner's document
        if not (cx <= px <= cx + cw and cy <= py <= cy + ch):
            return None
        frame = sess.children.get(backend_id)
        if frame is None or frame.is_detached():
            box = info["box"]
            frame = await _frame_at(page, (box[0] + origin[0], box[1] + origin[1], box[2], box[3]))
            if frame is None:
                return None
            sess.children[backend_id] = frame
        inner = await self._session(page, frame)
        if inner is None:
            return None
        return inner, (origin[0] + cx, origin[1] + cy)

    async def _describe_hit(self, sess: _Session, backend_id: int, frame_id: str) -> tuple[str, Json]:
        node = await self._resolve(sess, backend_id, frame_id)
        return node, await self._call(sess, node, "describeHit", False)

    async def _candidates(self, sess: _Session, backend_id: int) -> list[str]:
        """Page-world handles on the hit's small ancestors, nearest first, for the click-listener check.

        DevTools reports only the listeners of the world a handle belongs to, so this one step climbs
        in the page's own world (probe.js describes whatever it finds, in the probe's world).
        """
        page_node = await self._resolve(sess, backend_id, None)
        params: Json = {"objectId": page_node, "arguments": [{"value": 8}], "objectGroup": OBJECT_GROUP}
        listing = await sess.cdp.send("Runtime.callFunctionOn", {**params, "functionDeclaration": _ANCESTORS})
        result = listing["result"]
        if "exceptionDetails" in listing or "objectId" not in result or result.get("description") == "Array(0)":
            return []
        props = await sess.cdp.send("Runtime.getProperties", {"objectId": result["objectId"], "ownProperties": True})
        items = sorted((int(p["name"]), p["value"]["objectId"]) for p in props["result"] if p["name"].isdigit())
        return [oid for _, oid in items]

    async def _listener_target(self, sess: _Session, candidates: list[str], node: str) -> Json | None:
        """The nearest candidate with a click listener, described, when nothing looked clickable."""
        found = await asyncio.gather(
            *(sess.cdp.send("DOMDebugger.getEventListeners", {"objectId": oid}) for oid in candidates)
        )
        for steps, res in enumerate(found):
            if any(item["type"] in CLICK_EVENTS for item in res["listeners"]):
                return await self._call(sess, node, "describeAncestor", steps)
        return None

    # ------------------------------------------------------------------ the focused element

    async def _focused(self, page: Page) -> TargetInfo:
        sess = await self._page_session(page)
        frame_id = sess.root_frame
        document = await self._document(sess, frame_id)
        base: Offset = (0.0, 0.0)
        info = await self._call(sess, document, "describeFocused", 0, 0)
        for _ in range(MAX_FRAME_DEPTH * 2):
            stop = info.get("stop")
            if not stop:
                break
            element = await self._call_ref(sess, document, "focusedElement")
            described = await sess.cdp.send("DOM.describeNode", {"objectId": element, "depth": 1, "pierce": True})
            node = described["node"]
            js_offset = info["offset"]
            if stop == "host":
                roots = [r for r in node.get("shadowRoots", []) if r.get("shadowRootType") == "closed"]
                if not roots:
                    break
                try:
                    inner_root = await self._resolve(sess, roots[0]["backendNodeId"], frame_id)
                except PlaywrightError:  # the host is in a frame the descent crossed in script
                    inner_root = await self._resolve(sess, roots[0]["backendNodeId"], None)
                inner = await self._call(sess, inner_root, "describeFocused", js_offset[0], js_offset[1])
                if not inner.get("tag"):
                    break  # the host itself has the focus
                document, info = inner_root, inner
                continue
            content = [float(v) for v in info["frame_content"]]
            if "contentDocument" in node:  # a cross-origin frame in the same process
                frame_id = str(node.get("frameId"))
                document = await self._resolve(sess, node["contentDocument"]["backendNodeId"], frame_id)
                info = await self._call(sess, document, "describeFocused", content[0], content[1])
                continue
            box = info["box"]
            frame = await _frame_at(page, (box[0] + base[0], box[1] + base[1], box[2], box[3]))
            inner_sess = await self._session(page, frame) if frame is not None else None
            if inner_sess is None:
                break
            sess, base = inner_sess, (base[0] + content[0], base[1] + content[1])
            frame_id = sess.root_frame
            document = await self._document(sess, frame_id)
            info = await self._call(sess, document, "describeFocused", 0, 0)
        await self._maybe_release(sess)
        return _target(info, base)

    # ------------------------------------------------------------------ DevTools plumbing

    async def _page_session(self, page: Page) -> _Session:
        sess = await self._session(page, page)
        if sess is None:
            raise ComputerError("no DevTools session for the page")
        return sess

    async def _session(self, page: Page, key: Page | Frame) -> _Session | None:
        """The cached DevTools session of the page, or of an out-of-process frame (None if in-process)."""
        for stale in [k for k in self._sessions if (k.is_closed() if isinstance(k, Page) else k.is_detached())]:
            del self._sessions[stale]
        sess = self._sessions.get(key)
        if sess is not None:
            return sess
        try:
            cdp = await page.context.new_cdp_session(key)
        except PlaywrightError as exc:
            if isinstance(key, Frame) and "does not have a separate CDP session" in str(exc):
                return None
            raise
        tree = await cdp.send("Page.getFrameTree")
        sess = _Session(cdp=cdp, root_frame=str(tree["frameTree"]["frame"]["id"]))
        self._sessions[key] = sess
        return sess

    async def _in_world(self, sess: _Session, frame_id: str, method: str, params: Json, context_key: str) -> Json:
        """Send ``method`` in the probe's isolated world of ``frame_id``, made on first use.

        A world dies with its document: after a navigation the first try fails and the world is made
        again for the new document.
        """
        for attempt in range(2):
            ctx = sess.worlds.get(frame_id)
            if ctx is None:
                made = await sess.cdp.send("Page.createIsolatedWorld", {"frameId": frame_id, "worldName": WORLD_NAME})
                ctx = sess.worlds[frame_id] = int(made["executionContextId"])
            try:
                return await sess.cdp.send(method, {**params, context_key: ctx})
            except PlaywrightError:
                sess.worlds.pop(frame_id, None)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _resolve(self, sess: _Session, backend_id: int, frame_id: str | None) -> str:
        """A handle on a node in the probe's world of ``frame_id``, or in the page's world when None."""
        params: Json = {"backendNodeId": backend_id, "objectGroup": OBJECT_GROUP}
        if frame_id is None:
            resolved = await sess.cdp.send("DOM.resolveNode", params)
        else:
            resolved = await self._in_world(sess, frame_id, "DOM.resolveNode", params, "executionContextId")
        return str(resolved["object"]["objectId"])

    async def _document(self, sess: _Session, frame_id: str) -> str:
        params: Json = {"expression": "document", "objectGroup": OBJECT_GROUP}
        res = await self._in_world(sess, frame_id, "Runtime.evaluate", params, "contextId")
        return str(res["result"]["objectId"])

    async def _call(self, sess: _Session, object_id: str, method: str, *args: object) -> Json:
        """Call probe.js's ``method`` on a handle and return its answer (sending probe.js only once per world)."""
        for install in (False, True):
            params: Json = {"objectId": object_id, "arguments": [{"value": a} for a in args], "returnByValue": True}
            res = await sess.cdp.send(
                "Runtime.callFunctionOn", {**params, "functionDeclaration": _call_declaration(method, install)}
            )
            if "exceptionDetails" in res:
                detail = res["exceptionDetails"].get("exception", {}).get("description") or res["exceptionDetails"]
                raise ComputerError(f"the probe script failed: {first_line(Exception(detail))}")
            value = res["result"].get("value")
            if not isinstance(value, dict):
                raise ComputerError("the probe script returned nothing")
            if not value.get("missing"):
                return value
        raise ComputerError("the probe script could not be installed")

    async def _call_ref(self, sess: _Session, object_id: str, method: str) -> str:
        res = await sess.cdp.send(
            "Runtime.callFunctionOn",
            {
                "functionDeclaration": _call_declaration(method, True),
                "objectId": object_id,
                "objectGroup": OBJECT_GROUP,
            },
        )
        found = res["result"].get("objectId")
        if "exceptionDetails" in res or not found:
            raise ComputerError("the probe lost the focused element")
        return str(found)

    async def _maybe_release(self, sess: _Session) -> None:
        self._probes += 1
        if self._probes % RELEASE_EVERY == 0:
            await sess.cdp.send("Runtime.releaseObjectGroup", {"objectGroup": OBJECT_GROUP})


async def _frame_at(page: Page, border_box: tuple[float, float, float, float]) -> Frame | None:
    """The child frame whose ``<iframe>`` has this border box (viewport CSS px), if any."""

    async def box_of(frame: Frame) -> tuple[float, float, float, float] | None:
        handle = await frame.frame_element()
        try:
            bb = await handle.bounding_box()
        finally:
            await handle.dispose()
        return None if bb is None else (bb["x"], bb["y"], bb["width"], bb["height"])

    children = [f for f in page.frames if f.parent_frame is not None and not f.is_detached()]
    boxes = await asyncio.gather(*(box_of(f) for f in children), return_exceptions=True)
    best: tuple[float, Frame] | None = None
    for frame, box in zip(children, boxes, strict=True):
        if isinstance(box, tuple):
            distance = max(abs(a - b) for a, b in zip(box, border_box, strict=True))
            if distance <= 2 and (best is None or distance < best[0]):
                best = (distance, frame)
    return best[1] if best else None


def _target(info: Json, origin: Offset) -> TargetInfo:
    """probe.js's description as a TargetInfo (its extra keys are dropped), the box moved by ``origin``."""
    box = info.get("box")
    moved = (box[0] + origin[0], box[1] + origin[1], box[2], box[3]) if box else None
    return TargetInfo.model_validate({**info, "source": "dom", "box": moved})

"""The browser's probe: what a click at a point, or a key press, would land on.

Before an action that can commit, the safety checker reads a ``TargetInfo`` from here. A click is
resolved by DevTools hit-testing (``DOM.getNodeForLocation``), which sees through open and closed
shadow roots and into frames of the same process. That call takes *document* coordinates, so the
click's viewport point is first moved by the page's scroll offset (and page zoom; see
``devtools.View``). An out-of-process frame (a cross-site iframe) shows up as its ``<iframe>``
element, so the probe finds that frame's own DevTools session and asks again there, with the point
moved into the frame and by the frame's own scroll offset. ``probe.js`` then takes the element that
owns the hit node (a text node's parent, a ``::before`` icon's element), checks that the browser's own
``elementFromPoint`` answers the same element for that point, climbs to what the click activates and
describes it, inside a DevTools isolated world so that page scripts cannot patch what it uses. Secrets
never leave: the only ``value`` read is a button's, and the text inside fields and editable regions is
skipped.

A probe that fails (no answer within the timeout, a page in the middle of navigating), or whose hit
test and the browser's ``elementFromPoint`` disagree, returns a ``TargetInfo`` with ``source="none"``
and the cause in ``problem``; the safety chain treats an unreadable target as a reason to halt and
says why. Nothing usable under the point gives ``source="dom"`` with an empty ``name``: the caller
then reads the screen around the point instead (OCR).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from homebody.errors import ComputerError, SessionClosed
from homebody.sessions.browser.devtools import (
    OBJECT_GROUP,
    DevtoolsSession,
    Json,
    Offset,
    Sessions,
    View,
    call,
    call_ref,
    document,
    resolve,
)
from homebody.sessions.closing import close_quietly, first_line
from homebody.types import Action, Click, KeyCombo, TargetInfo, TypeText

log = logging.getLogger(__name__)

CLICK_EVENTS = frozenset({"click", "mousedown", "mouseup", "pointerdown", "pointerup", "touchstart", "touchend"})
HIT_TEST = {"includeUserAgentShadowDOM": False, "ignorePointerEventsNone": True}  # as a click would
MAX_FRAME_DEPTH = 4

# Small ancestors of a hit node in the page's world, climbing as probe.js's parentOf does. Big ones
# are left out so that a framework's listener delegated to the page root does not count. A hit on a
# ::before/::after box arrives as a CSSPseudoElement, which is no node: its ``element`` owns it.
_ANCESTORS = """function(limit) {
  const out = [], area = innerWidth * innerHeight;
  let el = this.nodeType === 1 ? this : this.nodeType ? (this.assignedSlot || this.parentNode) : this.element;
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


class Prober:
    """Describes the element under a point, or the focused one, of the current page."""

    def __init__(self, page_getter: Callable[[], Page], timeout_s: float = 5.0, *, listener_check: bool = True) -> None:
        self._page_getter = page_getter
        self._timeout_s = timeout_s
        self._listener_check = listener_check
        self._sessions = Sessions()

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
                return TargetInfo(source="none", problem=f"a {action.kind} action has no target to probe")

    async def close(self) -> None:
        """Detach the DevTools sessions. Never raises."""
        sessions = self._sessions.values()
        self._sessions.clear()
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
            problem = f"the page did not answer the probe within {self._timeout_s:g} s"
        except (PlaywrightError, ComputerError) as exc:
            if page.is_closed():
                raise SessionClosed("the page closed while it was being probed") from exc
            problem = f"the probe failed: {first_line(exc)}"
        log.warning("could not %s: %s", what, problem)
        self._sessions.clear()
        return TargetInfo(source="none", url=page.url, problem=problem)

    # ------------------------------------------------------------------ a point

    async def _at_point(self, page: Page, x: float, y: float) -> TargetInfo:
        sess = await self._sessions.page(page)
        root_view = view = await sess.view()
        point = root_view.to_layout(x, y)  # in the top document's layout viewport, CSS px
        offset: Offset = (0.0, 0.0)  # where this session's viewport starts, in the same space
        for _ in range(MAX_FRAME_DEPTH):
            located = view.to_document((point[0] - offset[0], point[1] - offset[1]))
            try:
                hit = await sess.cdp.send("DOM.getNodeForLocation", {"x": located[0], "y": located[1], **HIT_TEST})
            except PlaywrightError as exc:
                if "No node found" in str(exc):
                    return TargetInfo(source="dom", url=page.url)
                raise
            frame_id = str(hit.get("frameId") or sess.root_frame)
            backend_id = int(hit["backendNodeId"])
            frame_origin = await self._frame_origin(sess, frame_id)
            local = view.from_document(located)
            in_frame = (local[0] - frame_origin[0], local[1] - frame_origin[1])
            node, info = await self._describe_hit(sess, backend_id, frame_id, in_frame)
            if not info.get("hit_agrees"):
                return _disagreement(info, (x, y), page.url)
            origin = (offset[0] + frame_origin[0], offset[1] + frame_origin[1])
            inner = await self._enter_frame(
                page, sess, backend_id, info, origin=origin, in_session=frame_origin, point=point
            )
            if isinstance(inner, str):
                return TargetInfo(source="none", url=str(info.get("url") or page.url), problem=inner)
            if inner is not None:
                sess, offset = inner
                view = View(scroll=(await sess.view()).scroll)  # CSS px from here on: the zoom is the page's
                continue
            if not info["actionable"] and self._listener_check and "frame_content" not in info:
                candidates = await self._candidates(sess, backend_id)
                info = (await self._listener_target(sess, candidates, node) if candidates else None) or info
            await self._sessions.maybe_release(sess)
            return _target(info, origin, root_view)
        raise ComputerError("frames nested too deeply to probe")

    async def _frame_origin(self, sess: DevtoolsSession, frame_id: str) -> Offset:
        """Where the content of an in-process frame starts, in its session's viewport."""
        if frame_id == sess.root_frame:
            return (0.0, 0.0)
        owner = await sess.cdp.send("DOM.getFrameOwner", {"frameId": frame_id})
        model = await sess.cdp.send("DOM.getBoxModel", {"backendNodeId": owner["backendNodeId"]})
        quad = model["model"]["content"]
        return (min(quad[0::2]), min(quad[1::2]))

    async def _enter_frame(
        self,
        page: Page,
        sess: DevtoolsSession,
        backend_id: int,
        info: Json,
        *,
        origin: Offset,
        in_session: Offset,
        point: Offset,
    ) -> tuple[DevtoolsSession, Offset] | str | None:
        """The session and offset of the out-of-process frame whose content is at ``point`` (top layout px).

        ``origin`` is where the frame owner's document starts, in the top layout viewport;
        ``in_session``, the same in this session's viewport (where ``DOM.getBoxModel`` answers).

        None when the point is not on an out-of-process frame's content; a problem (a string) when the
        frame is drawn scaled, rotated or moved by a transform, so that no offset maps the point into it.
        """
        content = info.get("frame_content")
        if not content:
            return None
        cx, cy, cw, ch = (float(v) for v in content)
        px, py = point[0] - origin[0], point[1] - origin[1]  # in the frame owner's viewport
        if not (cx <= px <= cx + cw and cy <= py <= cy + ch):
            return None
        drawn = await sess.cdp.send("DOM.getBoxModel", {"backendNodeId": backend_id})
        quad = [float(v) for v in drawn["model"]["content"]]  # on screen, in this session's viewport
        left, top = in_session[0] + cx, in_session[1] + cy
        laid_out = [left, top, left + cw, top, left + cw, top + ch, left, top + ch]
        if max(abs(a - b) for a, b in zip(quad, laid_out, strict=True)) > 1.5:
            return "the click lands in a cross-site frame that is drawn scaled, rotated or moved by a transform"
        frame = sess.children.get(backend_id)
        if frame is None or frame.is_detached():
            box = info["box"]
            frame = await _frame_at(page, (box[0] + origin[0], box[1] + origin[1], box[2], box[3]))
            if frame is None:
                return None
            sess.children[backend_id] = frame
        inner = await self._sessions.get(page, frame)
        if inner is None:
            return None
        return inner, (origin[0] + cx, origin[1] + cy)

    async def _describe_hit(
        self, sess: DevtoolsSession, backend_id: int, frame_id: str, point: Offset
    ) -> tuple[str, Json]:
        node = await resolve(sess, backend_id, frame_id)
        return node, await call(sess, node, "describeHit", point[0], point[1])

    async def _candidates(self, sess: DevtoolsSession, backend_id: int) -> list[str]:
        """Page-world handles on the hit's small ancestors, nearest first, for the click-listener check.

        DevTools reports only the listeners of the world a handle belongs to, so this one step climbs
        in the page's own world (probe.js describes whatever it finds, in the probe's world).
        """
        page_node = await resolve(sess, backend_id, None)
        params: Json = {"objectId": page_node, "arguments": [{"value": 8}], "objectGroup": OBJECT_GROUP}
        listing = await sess.cdp.send("Runtime.callFunctionOn", {**params, "functionDeclaration": _ANCESTORS})
        result = listing["result"]
        if "exceptionDetails" in listing or "objectId" not in result or result.get("description") == "Array(0)":
            return []
        props = await sess.cdp.send("Runtime.getProperties", {"objectId": result["objectId"], "ownProperties": True})
        items = sorted((int(p["name"]), p["value"]["objectId"]) for p in props["result"] if p["name"].isdigit())
        return [oid for _, oid in items]

    async def _listener_target(self, sess: DevtoolsSession, candidates: list[str], node: str) -> Json | None:
        """The nearest candidate with a click listener, described, when nothing looked clickable."""
        found = await asyncio.gather(
            *(sess.cdp.send("DOMDebugger.getEventListeners", {"objectId": oid}) for oid in candidates)
        )
        for steps, res in enumerate(found):
            if any(item["type"] in CLICK_EVENTS for item in res["listeners"]):
                return await call(sess, node, "describeAncestor", steps)
        return None

    # ------------------------------------------------------------------ the focused element

    async def _focused(self, page: Page) -> TargetInfo:
        root = sess = await self._sessions.page(page)
        frame_id = sess.root_frame
        doc = await document(sess, frame_id)
        base: Offset = (0.0, 0.0)
        info = await call(sess, doc, "describeFocused", 0, 0)
        for _ in range(MAX_FRAME_DEPTH * 2):
            stop = info.get("stop")
            if not stop:
                break
            element = await call_ref(sess, doc, "focusedElement")
            described = await sess.cdp.send("DOM.describeNode", {"objectId": element, "depth": 1, "pierce": True})
            node = described["node"]
            js_offset = info["offset"]
            if stop == "host":
                roots = [r for r in node.get("shadowRoots", []) if r.get("shadowRootType") == "closed"]
                if not roots:
                    break
                try:
                    inner_root = await resolve(sess, roots[0]["backendNodeId"], frame_id)
                except PlaywrightError:  # the host is in a frame the descent crossed in script
                    inner_root = await resolve(sess, roots[0]["backendNodeId"], None)
                inner = await call(sess, inner_root, "describeFocused", js_offset[0], js_offset[1])
                if not inner.get("tag"):
                    break  # the host itself has the focus
                doc, info = inner_root, inner
                continue
            content = [float(v) for v in info["frame_content"]]
            if "contentDocument" in node:  # a cross-origin frame in the same process
                frame_id = str(node.get("frameId"))
                doc = await resolve(sess, node["contentDocument"]["backendNodeId"], frame_id)
                info = await call(sess, doc, "describeFocused", content[0], content[1])
                continue
            box = info["box"]
            frame = await _frame_at(page, (box[0] + base[0], box[1] + base[1], box[2], box[3]))
            inner_sess = await self._sessions.get(page, frame) if frame is not None else None
            if inner_sess is None:
                break
            sess, base = inner_sess, (base[0] + content[0], base[1] + content[1])
            frame_id = sess.root_frame
            doc = await document(sess, frame_id)
            info = await call(sess, doc, "describeFocused", 0, 0)
        await self._sessions.maybe_release(sess)
        return _target(info, base, await root.view())


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


def _target(info: Json, origin: Offset, view: View) -> TargetInfo:
    """probe.js's description as a TargetInfo (its extra keys are dropped), the box moved by ``origin``
    (into the top document's layout viewport) and then into the click's coordinates."""
    box = info.get("box")
    moved = view.box_to_click((box[0] + origin[0], box[1] + origin[1], box[2], box[3])) if box else None
    return TargetInfo.model_validate({**info, "source": "dom", "box": moved})


def _disagreement(info: Json, point: Offset, url: str) -> TargetInfo:
    """Fail closed when the hit test and the browser's ``elementFromPoint`` name different elements."""
    problem = (
        f"the probe and the browser disagree on what is at ({point[0]:.0f}, {point[1]:.0f}): the hit test found "
        f"{info.get('hit_label') or 'nothing'}, elementFromPoint {info.get('hit_seen') or 'nothing'}"
    )
    log.warning("%s", problem)
    return TargetInfo(source="none", url=str(info.get("url") or url), problem=problem)

"""DevTools plumbing for the probe: sessions per frame process, isolated worlds, handles, geometry.

The probe talks to Chromium over DevTools. One session serves the page and every frame in its
process; an out-of-process frame (a cross-site iframe) has a session of its own. In each frame the
probe's script runs inside an isolated world, so that page scripts cannot patch what it uses.

Geometry, as measured on this Chromium: a click (``Input.dispatchMouseEvent``) lands at its point
in the *layout* viewport, as ``clientX``/``clientY`` (under a pinch zoom too, where the screenshot
shows the visual viewport instead: the probe follows where the click really lands);
``DOM.getNodeForLocation`` hit-tests in the *document* coordinates of its session's local root
frame (the viewport point plus that document's scroll offset; in-process child frames and inner
scroll containers are then handled by the hit test itself); ``DOM.getBoxModel`` answers in the
session's viewport; ``getBoundingClientRect`` in the frame's own viewport. ``View`` converts between
them, with the scroll offset and the page zoom (CSS px per click px) that ``Page.getLayoutMetrics``
reports. Page zoom cannot be set in headless Chromium, so that factor is taken from the protocol's
definition, not measured here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import CDPSession, Frame, Page
from playwright.async_api import Error as PlaywrightError

from homebody.errors import ComputerError
from homebody.sessions.browser.scripts import bundled
from homebody.sessions.closing import first_line

WORLD_NAME = "homebody-probe"
OBJECT_GROUP = "homebody-probe"
RELEASE_EVERY = 64

Json = dict[str, Any]
Offset = tuple[float, float]


def _probe_source() -> str:
    return bundled("probe.js")


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


@dataclass(frozen=True)
class View:
    """How a session's viewport maps onto its document, from ``Page.getLayoutMetrics``.

    ``layout`` points are CSS px of the layout viewport (what ``getBoundingClientRect`` and a click's
    ``clientX`` answer in); ``click`` points are what an action's coordinates mean (device-independent
    px, page-zoomed); ``document`` points are what ``DOM.getNodeForLocation`` takes.
    """

    scroll: Offset = (0.0, 0.0)  # the layout viewport's scroll offset in the document, CSS px
    zoom: float = 1.0  # click px per CSS px (the browser's page zoom)

    @classmethod
    def from_metrics(cls, metrics: Json) -> View:
        layout, visual = metrics["cssLayoutViewport"], metrics["cssVisualViewport"]
        zoom = float(visual.get("zoom", 1.0))
        return cls(scroll=(float(layout["pageX"]), float(layout["pageY"])), zoom=zoom if zoom > 0 else 1.0)

    def to_layout(self, x: float, y: float) -> Offset:
        return x / self.zoom, y / self.zoom

    def to_document(self, point: Offset) -> tuple[int, int]:
        """A layout-viewport point as the whole document pixel that the hit test takes."""
        return round(point[0] + self.scroll[0]), round(point[1] + self.scroll[1])

    def from_document(self, point: tuple[int, int]) -> Offset:
        return point[0] - self.scroll[0], point[1] - self.scroll[1]

    def box_to_click(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x, y, w, h = box
        z = self.zoom
        return x * z, y * z, w * z, h * z


@dataclass
class DevtoolsSession:
    """One DevTools session (the page's, or an out-of-process frame's) and what is cached for it."""

    cdp: CDPSession
    root_frame: str
    worlds: dict[str, int] = field(default_factory=dict)  # frame id → isolated world context id
    children: dict[int, Frame] = field(default_factory=dict)  # iframe backend node id → its Frame

    async def view(self) -> View:
        return View.from_metrics(await self.cdp.send("Page.getLayoutMetrics"))


class Sessions:
    """The probe's DevTools sessions for one page and its out-of-process frames, made on first use."""

    def __init__(self) -> None:
        self._by_key: dict[Page | Frame, DevtoolsSession] = {}
        self._calls = 0

    def values(self) -> list[DevtoolsSession]:
        return list(self._by_key.values())

    def clear(self) -> None:
        self._by_key.clear()

    async def page(self, page: Page) -> DevtoolsSession:
        sess = await self.get(page, page)
        if sess is None:
            raise ComputerError("no DevTools session for the page")
        return sess

    async def get(self, page: Page, key: Page | Frame) -> DevtoolsSession | None:
        """The cached session of the page, or of an out-of-process frame (None if in-process)."""
        for stale in [k for k in self._by_key if (k.is_closed() if isinstance(k, Page) else k.is_detached())]:
            del self._by_key[stale]
        sess = self._by_key.get(key)
        if sess is not None:
            return sess
        try:
            cdp = await page.context.new_cdp_session(key)
        except PlaywrightError as exc:
            if isinstance(key, Frame) and "does not have a separate CDP session" in str(exc):
                return None
            raise
        tree = await cdp.send("Page.getFrameTree")
        sess = DevtoolsSession(cdp=cdp, root_frame=str(tree["frameTree"]["frame"]["id"]))
        self._by_key[key] = sess
        return sess

    async def maybe_release(self, sess: DevtoolsSession) -> None:
        """Drop the probe's handles now and then, so that a long task does not pin old nodes."""
        self._calls += 1
        if self._calls % RELEASE_EVERY == 0:
            await sess.cdp.send("Runtime.releaseObjectGroup", {"objectGroup": OBJECT_GROUP})


async def in_world(sess: DevtoolsSession, frame_id: str, method: str, params: Json, context_key: str) -> Json:
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


async def resolve(sess: DevtoolsSession, backend_id: int, frame_id: str | None) -> str:
    """A handle on a node in the probe's world of ``frame_id``, or in the page's world when None."""
    params: Json = {"backendNodeId": backend_id, "objectGroup": OBJECT_GROUP}
    if frame_id is None:
        resolved = await sess.cdp.send("DOM.resolveNode", params)
    else:
        resolved = await in_world(sess, frame_id, "DOM.resolveNode", params, "executionContextId")
    return str(resolved["object"]["objectId"])


async def document(sess: DevtoolsSession, frame_id: str) -> str:
    params: Json = {"expression": "document", "objectGroup": OBJECT_GROUP}
    res = await in_world(sess, frame_id, "Runtime.evaluate", params, "contextId")
    return str(res["result"]["objectId"])


async def call(sess: DevtoolsSession, object_id: str, method: str, *args: object) -> Json:
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


async def call_ref(sess: DevtoolsSession, object_id: str, method: str) -> str:
    """Call probe.js's ``method`` on a handle and return a handle on the node it answers."""
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

// What the page says about the agent's last action: is more of its effect still coming?
//
// Installed in every frame of the agent's tabs before the page's own scripts (and into the document
// shown when a tab is adopted). An *input* is a trusted pointer, key or wheel event (the agent's
// click, key or scroll arrives as one). Counted as "still coming" after an input:
//   - timers (setTimeout up to TIMER_MAX_MS, requestIdleCallback) set by code the input ran, and by
//     the callbacks of those timers; timers that were already ticking before (a page's own polling
//     loop) are not the action's, and neither is what their callbacks set;
//   - fetch and XMLHttpRequest calls started by that code, until they end; a message it sent to a
//     worker, until the next message back (at most REPLY_MS: many are never answered);
//   - only what starts within ARM_MS of the input;
//   - CSS transitions and animations and Web Animations that started after the input and end within
//     ANIMATION_WAIT_MS (not a spinner that turns for ever, not a notice that fades in four seconds);
//   - a navigation away from this document, and a document that is still loading.
// A *change* is a DOM mutation, an input/change event, a scroll, or a resource (an image) loading.
// `report()` gives the counts and how long the page has been quiet (since the last change or
// input), read by homebody's verifier (activity.py). The page can read this script's name but not
// replace it; nothing here changes what the page's own calls do or return.
(() => {
  const NAME = "__homebodyActivity";
  if (Object.prototype.hasOwnProperty.call(window, NAME)) return;
  const TIMER_MAX_MS = 3000; // longer timers are not an action's visible effect "soon"
  // What starts this long after an input is not counted as its doing: an action's own requests and
  // timers begin at once or within a step or two of each other, while a page's polling loop (whose
  // promise chains carry no mark of where they began) goes on for ever.
  const ARM_MS = 1000;
  const STALE_MS = 3000; // a request or navigation pending longer than this is not waited for
  const FRAME_SLACK_MS = 100;
  const ANIMATION_WAIT_MS = 1500; // an animation the input started is waited for if it ends within this
  const now = () => performance.now();
  let inputAt = -Infinity; // the last trusted input
  let changedAt = now(); // the last change
  let changes = 0; // changes so far (the verifier compares two reports)
  let leavingAt = -Infinity; // a navigation away from this document started
  let caused = true; // whether the code running now may be the input's doing
  const timers = new Map(); // counted timer id -> when it is due
  const requests = new Set(); // counted requests: their start times, boxed
  const counting = () => caused && now() - inputAt < ARM_MS;
  const change = () => {
    changedAt = now();
    changes += 1;
  };
  const input = (event) => {
    if (event.isTrusted) inputAt = now();
  };
  for (const type of ["pointerdown", "mousedown", "keydown", "wheel", "touchstart"]) {
    window.addEventListener(type, input, { capture: true, passive: true });
  }
  for (const type of ["input", "change", "scroll", "load", "error", "transitionend", "animationend"]) {
    window.addEventListener(type, change, { capture: true, passive: true });
  }
  const leaving = () => {
    leavingAt = now();
  };
  window.addEventListener("beforeunload", leaving, { capture: true });
  // homebody's own screenshots hide the text caret by setting `caret-color` on the fields for the
  // moment of the shot (Playwright's caret: "hide"); that is not a change of the page.
  const CARET = /caret-color:\s*transparent\s*!important;?\s*/g;
  const bare = (style) => (style || "").replace(CARET, "").trim();
  const ours = (record) =>
    record.type === "attributes" &&
    record.attributeName === "style" &&
    bare(record.oldValue) === bare(record.target.getAttribute("style"));
  new MutationObserver((records) => {
    if (!records.every(ours)) change();
  }).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeOldValue: true,
    characterData: true,
  });

  // A callback runs with `caused` saying whether what it starts is the input's doing.
  const running = (fn, counted) =>
    function (...args) {
      const was = caused;
      caused = counted;
      try {
        return fn.apply(this, args);
      } finally {
        caused = was;
      }
    };

  const setTimeoutOf = window.setTimeout;
  const clearTimeoutOf = window.clearTimeout;
  window.setTimeout = function setTimeout(handler, delay, ...rest) {
    if (typeof handler !== "function") return setTimeoutOf.call(this, handler, delay, ...rest);
    const ms = Math.max(0, Number(delay) || 0);
    const counted = counting() && ms <= TIMER_MAX_MS;
    let id;
    const run = running(handler, counted);
    id = setTimeoutOf.call(
      this,
      function (...args) {
        timers.delete(id);
        return run.apply(this, args);
      },
      delay,
      ...rest,
    );
    if (counted) timers.set(id, now() + ms);
    return id;
  };
  window.clearTimeout = function clearTimeout(id) {
    timers.delete(id);
    return clearTimeoutOf.call(this, id);
  };
  const setIntervalOf = window.setInterval;
  window.setInterval = function setInterval(handler, delay, ...rest) {
    // An interval repeats by design: never waited for, and what it starts is not the input's doing.
    if (typeof handler !== "function") return setIntervalOf.call(this, handler, delay, ...rest);
    return setIntervalOf.call(this, running(handler, false), delay, ...rest);
  };
  if (typeof window.requestIdleCallback === "function") {
    const idleOf = window.requestIdleCallback;
    const cancelIdleOf = window.cancelIdleCallback;
    window.requestIdleCallback = function requestIdleCallback(handler, options) {
      if (typeof handler !== "function") return idleOf.call(this, handler, options);
      const counted = counting();
      let id;
      const run = running(handler, counted);
      id = idleOf.call(
        this,
        function (...args) {
          timers.delete(`idle:${id}`);
          return run.apply(this, args);
        },
        options,
      );
      if (counted) timers.set(`idle:${id}`, now() + TIMER_MAX_MS);
      return id;
    };
    window.cancelIdleCallback = function cancelIdleCallback(id) {
      timers.delete(`idle:${id}`);
      return cancelIdleOf.call(this, id);
    };
  }

  const fetchOf = window.fetch;
  if (typeof fetchOf === "function") {
    window.fetch = function fetch(...args) {
      const pending = fetchOf.apply(this, args);
      if (counting()) {
        const entry = { at: now() };
        requests.add(entry);
        const end = () => {
          requests.delete(entry);
          change();
        };
        pending.then(end, end);
      }
      return pending;
    };
  }
  const sendOf = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function send(...args) {
    if (counting()) {
      const entry = { at: now() };
      requests.add(entry);
      this.addEventListener(
        "loadend",
        () => {
          requests.delete(entry);
          change();
        },
        { once: true },
      );
    }
    return sendOf.apply(this, args);
  };

  // A message sent to a worker by the input's code: its answer (the next message back) is waited
  // for up to REPLY_MS, since many are never answered. (WebSocket sends are not counted: the effect
  // gate's hold sends them from a promise of its own, where their origin is lost.)
  const REPLY_MS = 1000;
  const expectReply = (send) =>
    function (...args) {
      if (counting()) {
        const entry = { at: now() - (STALE_MS - REPLY_MS) }; // so it goes stale after REPLY_MS
        requests.add(entry);
        this.addEventListener("message", () => requests.delete(entry), { once: true, capture: true });
      }
      return send.apply(this, args);
    };
  if (typeof Worker === "function") Worker.prototype.postMessage = expectReply(Worker.prototype.postMessage);

  const report = () => {
    const t = now();
    let pendingTimers = 0;
    for (const due of timers.values()) if (due > t - STALE_MS) pendingTimers += 1;
    let pendingRequests = 0;
    for (const entry of requests) {
      if (t - entry.at < STALE_MS) pendingRequests += 1;
      else requests.delete(entry); // never answered: forgotten
    }
    let started = 0;
    let moving = 0;
    for (const animation of document.getAnimations()) {
      if (animation.playState !== "running" && !animation.pending) continue;
      const timing = animation.effect ? animation.effect.getComputedTiming() : null;
      if (!timing || timing.progress !== null) moving += 1; // in its active phase (not in a delay)
      // An animation's start is on the frame clock, which can lag the input's time by a frame or so;
      // one that started just before the input (a hover transition as the pointer arrived) counts too.
      const at = animation.startTime;
      if (at !== null && at < inputAt - FRAME_SLACK_MS) continue;
      // Waited for only when it ends soon: a spinner turns for ever (what it waits on is counted
      // as itself), and a notice that fades out after four seconds is not this step's effect.
      const left = timing ? Number(timing.endTime) - Number(timing.localTime || 0) : Infinity;
      if (Number.isFinite(left) && left <= ANIMATION_WAIT_MS) started += 1;
    }
    for (const video of document.getElementsByTagName("video")) {
      if (!video.paused && !video.ended) moving += 1;
    }
    return {
      requests: pendingRequests,
      timers: pendingTimers,
      animations: started,
      moving,
      canvases: document.getElementsByTagName("canvas").length,
      since_change_ms: t - changedAt,
      since_input_ms: Math.min(t - inputAt, 1e9),
      age_ms: t,
      changes,
      loading: document.readyState !== "complete" || t - leavingAt < STALE_MS,
    };
  };
  Object.defineProperty(window, NAME, { value: report, writable: false, configurable: false, enumerable: false });
})();

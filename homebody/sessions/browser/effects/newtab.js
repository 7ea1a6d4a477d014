// homebody's new-tab hold, installed in every frame before the page's own scripts run.
// A tab the page opens sends its first request before homebody can attach to it, so no tab opens
// straight onto a URL:
// - window.open(url, …) opens its window on about:blank (no request), asks homebody through the
//   binding below, and loads url there once homebody holds that tab's requests. The page gets the
//   window at once, as before (null for noopener, as before).
// - A link or a form that would open a new tab or window opens in the agent's tab instead (its
//   target becomes _top for that one click or submit, then is put back); a link or form aimed at a
//   frame of the page, or at a window this page opened, goes there as before.
// - A middle click, or a click with Ctrl, Shift or Meta, on a link opens nothing.
// The binding is captured here, so a page that later replaces window.__homebodyOpen cannot answer.
(() => {
  const ask = globalThis.__homebodyOpen;
  if (typeof ask !== "function" || typeof window === "undefined" || window.__homebodyNewTabs) return;
  Object.defineProperty(window, "__homebodyNewTabs", { value: true });
  const open = window.open;
  const submit = HTMLFormElement.prototype.submit;
  const opened = new Set(); // names of the windows this document opened (held: they may be used)
  const SAME = new Set(["_self", "_parent", "_top"]);
  let count = 0;

  const named = (name) => {
    // Whether `name` is this window, one of its ancestors, a frame in this document, or a window
    // this document opened: somewhere that already exists and is held.
    if (opened.has(name)) return true;
    for (let w = window; ; w = w.parent) {
      try {
        if (w.name === name) return true;
      } catch (_) {}
      if (w === w.parent) break;
    }
    for (const frame of document.querySelectorAll("iframe[name], frame[name]")) {
      if (frame.getAttribute("name") === name) return true;
    }
    return false;
  };
  const opensNew = (target) => {
    const name = (target || "").trim();
    if (name === "" || SAME.has(name.toLowerCase())) return false;
    return name.toLowerCase() === "_blank" || !named(name);
  };
  const baseTarget = (doc) => {
    const base = doc.querySelector("base[target]");
    return base ? base.getAttribute("target") : "";
  };
  const flag = (features, key) => new RegExp(`(^|[\\s,])${key}(\\s*=\\s*(yes|1|true))?(?=[\\s,]|$)`, "i").test(features);

  // Load `url` in `w`, a window this page opened on about:blank, once homebody holds it.
  const load = (w, url, noopener, noreferrer) => {
    let marker = null;
    if (w !== window.top && w.parent === w) {
      try {
        marker = `hb-${Date.now()}-${++count}-${Math.random().toString(36).slice(2)}`;
        w.__homebodyTab = marker;
      } catch (_) {
        marker = null; // a window of another site: one this session already holds
      }
    }
    const go = () => {
      try {
        if (noopener) w.opener = null;
        if (noreferrer) {
          const a = w.document.createElement("a");
          a.href = url;
          a.rel = "noreferrer";
          a.click();
          return;
        }
      } catch (_) {}
      w.location.href = url;
    };
    if (marker === null) return go();
    ask(marker).then(
      (yes) => {
        if (yes === true) go();
        else w.close();
      },
      () => w.close(),
    );
  };

  const wrapped = function open_(url, target, features) {
    const href = url === undefined || url === null ? "" : String(url);
    const name = target === undefined ? "_blank" : String(target);
    const feats = features === undefined ? "" : String(features);
    if (href.trim() === "" || /^\s*(about|javascript):/i.test(href) || !opensNew(name)) {
      return open.apply(this, arguments);
    }
    let absolute;
    try {
      absolute = new URL(href, document.baseURI).href;
    } catch (_) {
      return open.apply(this, arguments); // the browser's own error for a bad URL
    }
    const noreferrer = flag(feats, "noreferrer");
    const noopener = noreferrer || flag(feats, "noopener");
    const kept = feats.replace(/(^|[\s,])(noopener|noreferrer)(\s*=\s*\w+)?(?=[\s,]|$)/gi, "$1");
    const w = open.call(window, "", name, kept);
    if (!w) return null;
    if (name.toLowerCase() !== "_blank") opened.add(name);
    load(w, absolute, noopener, noreferrer);
    return noopener ? null : w;
  };
  Object.defineProperty(window, "open", { value: wrapped, writable: true, configurable: true });

  // One click or submit goes to the agent's tab; the attribute is put back once it has been read.
  const retarget = (element, attribute) => {
    const had = element.hasAttribute(attribute);
    const value = element.getAttribute(attribute);
    element.setAttribute(attribute, "_top");
    setTimeout(() => {
      if (had) element.setAttribute(attribute, value);
      else element.removeAttribute(attribute);
    }, 0);
  };
  const linkOf = (event) => {
    for (const node of event.composedPath()) {
      if ((node instanceof HTMLAnchorElement || node instanceof HTMLAreaElement) && node.hasAttribute("href")) return node;
    }
    return null;
  };
  const onClick = (event) => {
    const link = linkOf(event);
    if (!link || link.hasAttribute("download")) return;
    const middle = event.type === "auxclick" && event.button === 1;
    if (middle || (event.type === "click" && (event.ctrlKey || event.shiftKey || event.metaKey))) {
      event.preventDefault(); // the browser would open a new tab whatever the link says
      return;
    }
    if (event.type !== "click") return;
    const target = link.hasAttribute("target") ? link.getAttribute("target") : baseTarget(link.ownerDocument);
    if (opensNew(target)) retarget(link, "target");
  };
  const onSubmit = (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const by = event.submitter;
    if (by && by.hasAttribute("formtarget")) {
      if (opensNew(by.getAttribute("formtarget"))) retarget(by, "formtarget");
      return;
    }
    const target = form.hasAttribute("target") ? form.getAttribute("target") : baseTarget(form.ownerDocument);
    if (opensNew(target)) retarget(form, "target");
  };
  window.addEventListener("click", onClick, true);
  window.addEventListener("auxclick", onClick, true);
  window.addEventListener("submit", onSubmit, true);

  const held = function submit_() {
    const target = this.hasAttribute("target") ? this.getAttribute("target") : baseTarget(this.ownerDocument);
    if (!opensNew(target)) return submit.call(this);
    const had = this.hasAttribute("target");
    const value = this.getAttribute("target");
    this.setAttribute("target", "_top");
    try {
      return submit.call(this);
    } finally {
      if (had) this.setAttribute("target", value);
      else this.removeAttribute("target");
    }
  };
  Object.defineProperty(HTMLFormElement.prototype, "submit", { value: held, writable: true, configurable: true });
})();

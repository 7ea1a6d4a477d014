// An in-page menu for <select> dropdowns (installed in every frame by select_menu.py).
//
// Why: headless Chromium draws a native <select> popup in screenshots, but coordinate clicks on
// its options do nothing, so an agent that acts on what it sees cannot choose one. This script
// stops the native popup on a mouse press and draws the options in the page instead, right under
// the <select>: the screenshot shows them, and a click on one chooses it as a real selection
// would (value set, then `input` and `change` events, only when the value changed). Escape, a
// click elsewhere, losing the focus, scrolling or resizing close it. Keys are left to the browser
// (arrows change the value, Enter/Space/Alt+Down open the native popup, which keys can drive).
// Listboxes (`multiple`, `size` > 1) are drawn in the page already and are left alone.
(() => {
  "use strict";
  const FLAG = Symbol.for("homebody.selectMenu");
  if (window[FLAG]) return;
  Object.defineProperty(window, FLAG, { value: true });

  const MAX_ROWS = 20; // like Chromium's own popup: longer lists scroll
  const STYLE = `
    :host { all: initial; position: fixed; z-index: 2147483647; }
    .menu { box-sizing: border-box; overflow-y: auto; background: #fff; color: #000;
            border: 1px solid #767676; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.35);
            font-family: system-ui, Arial, sans-serif; }
    .row { box-sizing: border-box; padding: 1px 6px; white-space: pre; cursor: default;
           line-height: 1.35; overflow: hidden; text-overflow: ellipsis; }
    .row:hover { background: #dbe6f6; }
    .row[aria-selected="true"] { background: #1a5fd0; color: #fff; }
    .row[aria-disabled="true"] { color: #9a9a9a; background: transparent; }
    .group { padding: 1px 4px; font-weight: bold; white-space: pre; line-height: 1.35; }
    .group ~ .row.in-group { padding-left: 16px; }
  `;
  let open = null; // { select, host, list }

  const isDropdown = (el) =>
    el instanceof HTMLSelectElement && !el.multiple && el.size <= 1 && !el.disabled;

  function close() {
    if (!open) return;
    const { host, select } = open;
    open = null;
    host.remove();
    select.removeEventListener("change", refresh);
    select.removeEventListener("input", refresh);
  }

  function refresh() {
    if (!open) return;
    if (!open.select.isConnected) return close();
    for (const row of open.list.querySelectorAll(".row")) {
      row.setAttribute("aria-selected", String(+row.dataset.index === open.select.selectedIndex));
    }
  }

  function choose(select, index) {
    const option = select.options[index];
    if (!option || option.disabled || (option.parentElement instanceof HTMLOptGroupElement && option.parentElement.disabled)) {
      return;
    }
    const changed = select.selectedIndex !== index;
    close();
    select.focus({ preventScroll: true });
    if (!changed) return;
    select.selectedIndex = index;
    // The events a user's choice fires, in the browser's order.
    select.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function buildRows(select, list, fontPx) {
    let group = null;
    Array.from(select.options).forEach((option, index) => {
      if (option.hidden) return;
      const parent = option.parentElement;
      if (parent instanceof HTMLOptGroupElement && parent !== group) {
        group = parent;
        const header = document.createElement("div");
        header.className = "group";
        header.setAttribute("role", "presentation");
        header.textContent = parent.label;
        list.append(header);
      }
      const row = document.createElement("div");
      row.className = "row" + (parent instanceof HTMLOptGroupElement ? " in-group" : "");
      row.setAttribute("role", "option");
      row.dataset.index = String(index);
      row.textContent = option.label || option.text || "\u00a0";
      row.style.fontSize = fontPx + "px";
      row.setAttribute("aria-selected", String(index === select.selectedIndex));
      if (option.disabled || (parent instanceof HTMLOptGroupElement && parent.disabled)) {
        row.setAttribute("aria-disabled", "true");
      }
      // A listener on the row itself, so that whatever asks "what would a click here do" sees an option.
      row.addEventListener("click", (event) => {
        event.stopPropagation();
        choose(select, index);
      });
      list.append(row);
    });
  }

  function place(select, host, list, cap) {
    const box = select.getBoundingClientRect();
    const below = innerHeight - box.bottom;
    const above = box.top;
    const wanted = Math.min(list.scrollHeight + 2, cap);
    const roomy = below >= Math.min(wanted, 120) || below >= above;
    const height = Math.min(wanted, Math.max(roomy ? below : above, 40));
    list.style.maxHeight = height + "px";
    list.style.minWidth = box.width + "px";
    host.style.left = Math.max(0, Math.min(box.left, innerWidth - list.offsetWidth)) + "px";
    host.style.top = (roomy ? box.bottom : box.top - list.offsetHeight) + "px";
  }

  function show(select) {
    const host = document.createElement("div");
    host.setAttribute("data-homebody-select-menu", "");
    const root = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLE;
    const list = document.createElement("div");
    list.className = "menu";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", select.getAttribute("aria-label") || select.name || select.id || "options");
    const fontPx = Math.max(12, parseFloat(getComputedStyle(select).fontSize) || 13);
    buildRows(select, list, fontPx);
    const rows = list.querySelectorAll(".row");
    root.append(style, list);
    // Keep page scripts from seeing presses inside the menu (a native popup is not in the page);
    // a press must not move the focus away from the <select> either.
    for (const type of ["pointerdown", "mousedown", "pointerup", "mouseup", "click", "dblclick", "contextmenu"]) {
      root.addEventListener(type, (event) => {
        if (type === "mousedown" || type === "pointerdown") event.preventDefault();
        event.stopPropagation();
      });
    }
    (document.documentElement || document.body).append(host);
    open = { select, host, list };
    const rowHeight = rows.length ? rows[0].getBoundingClientRect().height : fontPx * 1.35;
    place(select, host, list, rowHeight * MAX_ROWS + 2);
    const current = list.querySelector('.row[aria-selected="true"]');
    if (current) current.scrollIntoView({ block: "nearest" });
    select.addEventListener("change", refresh);
    select.addEventListener("input", refresh);
  }

  addEventListener(
    "mousedown",
    (event) => {
      if (open && event.composedPath().includes(open.host)) return;
      const select = event.composedPath().find((node) => node instanceof HTMLSelectElement);
      if (event.button !== 0 || !select || !isDropdown(select)) {
        close();
        return;
      }
      event.preventDefault(); // no native popup: its options cannot be clicked in headless Chromium
      const again = open && open.select === select;
      close();
      select.focus({ preventScroll: true });
      if (!again) show(select);
    },
    true,
  );

  addEventListener(
    "keydown",
    (event) => {
      if (!open) return;
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        const { select } = open;
        close();
        select.focus({ preventScroll: true });
      } else if (event.key === "Enter" || event.key === " " || event.key === "F4" || event.altKey || event.key === "Tab") {
        close(); // the browser's own handling (the native popup, or the next field) takes over
      }
    },
    true,
  );

  addEventListener("focusout", (event) => {
    if (open && event.target === open.select) setTimeout(() => {
      if (open && document.activeElement !== open.select) close();
    }, 0);
  }, true);
  addEventListener("scroll", (event) => {
    if (open && !event.composedPath().includes(open.host)) close();
  }, true);
  addEventListener("resize", close);
  addEventListener("blur", close);
  addEventListener("pagehide", close);
})();

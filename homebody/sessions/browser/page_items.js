// What the viewport shows, as text with boxes: the visible controls with their accessible names,
// and the visible runs of text, in viewport CSS pixels (same-origin frames and open shadow roots
// included). A field's value never leaves: fields are named by their label, placeholder or
// aria-label, and the text inside fields and editable regions is skipped.
// Returns [{t: text, b: [x, y, w, h], r: role, a: actionable, e: editable, f: filled, s: secret,
//           o: index of the control the text is inside, or -1}].
(args) => {
  const [secretRule, limit] = args;
  const ACTION_ROLES = new Set(['button', 'link', 'checkbox', 'radio', 'tab', 'menuitem', 'menuitemcheckbox',
    'menuitemradio', 'option', 'switch', 'treeitem', 'combobox']);
  const FIELD_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton']);
  const NO_TEXT = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'OPTION', 'SELECT', 'svg', 'title']);
  const PRESSED = new Set(['button', 'submit', 'reset', 'image']);  // an input whose value is its label
  const BUTTON_INPUTS = new Set(['button', 'submit', 'reset', 'image', 'checkbox', 'radio', 'file', 'color', 'range']);
  const items = [];
  const fragments = [];
  const controls = new Map();
  const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();
  // Inside a secret field or region (redact.py's rule): painted over in every frame.
  const inSecret = (el) => {
    try { return Boolean(el.closest(secretRule)); } catch (e) { return true; }
  };

  // A rect of a document whose viewport is vw×vh at (dx, dy) of the top viewport, clipped to both.
  const clip = (r, dx, dy, vw, vh) => {
    const x0 = Math.max(Math.max(r.left, 0) + dx, 0), y0 = Math.max(Math.max(r.top, 0) + dy, 0);
    const x1 = Math.min(Math.min(r.right, vw) + dx, innerWidth), y1 = Math.min(Math.min(r.bottom, vh) + dy, innerHeight);
    return x1 - x0 >= 1 && y1 - y0 >= 1 ? [x0, y0, x1 - x0, y1 - y0] : null;
  };
  const shown = (el) => {
    if (el.checkVisibility && !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    return true;
  };
  // What a click at the box's centre would hit is this element (or inside it, or its label).
  const onTop = (doc, el, box, dx, dy) => {
    let hit = doc.elementFromPoint(box[0] + box[2] / 2 - dx, box[1] + box[3] / 2 - dy);
    while (hit && hit.shadowRoot) {
      const inner = hit.shadowRoot.elementFromPoint(box[0] + box[2] / 2 - dx, box[1] + box[3] / 2 - dy);
      if (!inner || inner === hit) break;
      hit = inner;
    }
    if (!hit) return false;
    if (hit === el || el.contains(hit) || hit.contains(el)) return true;
    const root = el.getRootNode();
    if (root !== document && root.host && (hit === root.host || hit.contains(root.host))) return true;
    return Boolean(el.labels && Array.from(el.labels).some((l) => l === hit || l.contains(hit)));
  };
  const role = (el) => {
    const explicit = (el.getAttribute('role') || '').split(/\s+/)[0].toLowerCase();
    if (explicit) return explicit;
    const tag = el.localName;
    if (tag === 'a') return el.hasAttribute('href') ? 'link' : '';
    if (tag === 'button' || tag === 'summary') return 'button';
    if (tag === 'select') return 'combobox';
    if (tag === 'textarea') return 'textbox';
    if (tag === 'input') {
      const type = (el.type || 'text').toLowerCase();
      if (type === 'checkbox' || type === 'radio') return type;
      if (BUTTON_INPUTS.has(type)) return 'button';
      return type === 'search' ? 'searchbox' : 'textbox';
    }
    if (el.isContentEditable && !(el.parentElement && el.parentElement.isContentEditable)) return 'textbox';
    return '';
  };
  const editable = (el, r) => {
    if (el.localName === 'input') return !BUTTON_INPUTS.has((el.type || 'text').toLowerCase()) && el.type !== 'hidden';
    if (el.localName === 'textarea') return true;
    if (el.isContentEditable) return !(el.parentElement && el.parentElement.isContentEditable);
    return FIELD_ROLES.has(r) && r !== 'combobox';
  };
  const byIds = (el, ids) => squash(ids.split(/\s+/).map((id) => {
    const t = el.getRootNode().getElementById ? el.getRootNode().getElementById(id) : null;
    return t ? t.textContent : '';
  }).join(' '));
  const name = (el, isField) => {
    const ids = el.getAttribute('aria-labelledby');
    if (ids && byIds(el, ids)) return byIds(el, ids);
    const aria = squash(el.getAttribute('aria-label'));
    if (aria) return aria;
    const type = el.localName === 'input' ? (el.type || 'text').toLowerCase() : '';
    if (isField || el.localName === 'select' || (type && !PRESSED.has(type))) {  // named, never by its value
      const labels = el.labels ? Array.from(el.labels).map((l) => squash(l.innerText)).filter(Boolean) : [];
      if (labels.length) return labels.join(' ');
      return squash(el.getAttribute('placeholder')) || squash(el.getAttribute('title')) ||
        squash(el.getAttribute('aria-placeholder'));
    }
    if (el.localName === 'input') return squash(el.value) || squash(el.getAttribute('alt')) || squash(el.getAttribute('title'));
    const text = squash(el.innerText);
    if (text) return text.slice(0, 200);
    const img = el.querySelector('img[alt]');
    return squash(el.getAttribute('title')) || (img ? squash(img.getAttribute('alt')) : '');
  };
  // A control: a role that takes an action, a field, a click handler, a tab stop, or the outermost
  // element of a pointer cursor (a framework's <div> button).
  const pointer = (el) => {
    if (!el || el.nodeType !== 1) return false;
    return getComputedStyle(el).cursor === 'pointer';
  };
  const actionable = (el, r) => {
    if (ACTION_ROLES.has(r) || FIELD_ROLES.has(r)) return true;
    if (el.localName === 'label' || el.localName === 'body' || el.localName === 'html') return false;
    if (el.hasAttribute('onclick')) return true;
    const tabindex = el.getAttribute('tabindex');
    if (tabindex !== null && Number(tabindex) >= 0) return true;
    return pointer(el) && !pointer(el.parentElement);
  };

  const visit = (doc, root, dx, dy, vw, vh, depth) => {
    const all = root.querySelectorAll('*');
    for (const el of all) {
      if (items.length >= limit) return;
      if (el.shadowRoot) visit(doc, el.shadowRoot, dx, dy, vw, vh, depth);
      if (el.localName === 'iframe' && depth < 3) {
        let inner = null;
        try { inner = el.contentDocument; } catch (e) { inner = null; }
        const r = el.getBoundingClientRect();
        if (inner && inner.documentElement && r.width > 0 && r.height > 0 && shown(el)) {
          const st = getComputedStyle(el);
          const ox = r.left + dx + el.clientLeft + parseFloat(st.paddingLeft || '0');
          const oy = r.top + dy + el.clientTop + parseFloat(st.paddingTop || '0');
          visit(inner, inner, ox, oy, el.clientWidth, el.clientHeight, depth + 1);
        }
        continue;
      }
      const r = role(el);
      if (!actionable(el, r)) continue;
      if (el.disabled || el.getAttribute('aria-disabled') === 'true' || el.getAttribute('aria-hidden') === 'true') continue;
      if (el.closest('[inert]')) continue;
      const rect = el.getBoundingClientRect();
      const box = clip(rect, dx, dy, vw, vh);
      if (!box || !shown(el) || !onTop(doc, el, box, dx, dy)) continue;
      const isField = editable(el, r);
      const secret = inSecret(el);
      const filled = isField && (el.isContentEditable ? squash(el.textContent) !== '' : String(el.value || '') !== '');
      // A field is named by its label or placeholder even when secret; other text in a secret
      // region is painted over in every frame, so it is not told here either.
      const text = isField || !secret ? name(el, isField) : '';
      controls.set(el, items.length);
      items.push({t: text, b: box, r: r || el.localName, a: true, e: isField, f: filled, s: secret, o: -1});
    }
    if (root.nodeType !== 9) return;  // text runs: once per document (shadow roots walked below)
    texts(doc, doc.body || doc.documentElement, dx, dy, vw, vh);
  };

  const owner = (node) => {
    for (let el = node.parentElement || (node.getRootNode && node.getRootNode().host); el;
      el = el.parentElement || (el.getRootNode().host || null)) {
      if (controls.has(el)) return controls.get(el);
    }
    return -1;
  };
  const texts = (doc, root, dx, dy, vw, vh) => {
    if (!root) return;
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    const range = doc.createRange();
    for (let node = walker.nextNode(); node && fragments.length < limit * 4; node = walker.nextNode()) {
      if (node.nodeType === 1) {
        if (node.shadowRoot) texts(doc, node.shadowRoot, dx, dy, vw, vh);
        continue;
      }
      const parent = node.parentElement;
      if (!parent || NO_TEXT.has(parent.tagName) || NO_TEXT.has(parent.localName) || !node.data.trim()) continue;
      if (parent.isContentEditable || parent.closest('[aria-hidden="true"]') || inSecret(parent)) continue;
      if (!shown(parent)) continue;
      range.selectNodeContents(node);
      const rects = Array.from(range.getClientRects()).filter((q) => q.width >= 1 && q.height >= 1);
      if (!rects.length) continue;
      const own = owner(node);
      const push = (text, q) => {
        const box = clip(q, dx, dy, vw, vh);
        if (box && squash(text) && onTop(doc, parent, box, dx, dy)) fragments.push({t: text, b: box, o: own});
      };
      if (rects.length === 1) { push(node.data, rects[0]); continue; }
      // Wrapped over lines: one fragment per line, word by word.
      const re = /\S+/g;
      let m, line = null;
      while ((m = re.exec(node.data))) {
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const q = range.getBoundingClientRect();
        if (line && Math.abs(q.top - line.top) < q.height / 2) {
          line.text += ' ' + m[0];
          line.right = Math.max(line.right, q.right);
        } else {
          if (line) push(line.text, line.rect());
          line = {text: m[0], top: q.top, left: q.left, right: q.right, bottom: q.bottom, height: q.height,
            rect() { return {left: this.left, top: this.top, right: this.right, bottom: this.bottom}; }};
        }
      }
      if (line) push(line.text, line.rect());
    }
  };

  visit(document, document, 0, 0, innerWidth, innerHeight, 0);
  // Neighbouring fragments on one line, inside the same control (or none), read as one line.
  const merged = [];
  for (const f of fragments) {
    const last = merged[merged.length - 1];
    if (last && last.o === f.o) {
      const [x, y, w, h] = last.b, [fx, fy, fw, fh] = f.b;
      const overlap = Math.min(y + h, fy + fh) - Math.max(y, fy);
      const gap = fx - (x + w);
      if (overlap >= 0.5 * Math.min(h, fh) && gap >= -2 && gap <= 0.8 * Math.max(h, fh)) {
        const joint = /\s$/.test(last.t) || /^\s/.test(f.t) || gap > 2 ? ' ' : '';
        last.t = last.t + joint + f.t;
        const x1 = Math.max(x + w, fx + fw), y0 = Math.min(y, fy), y1 = Math.max(y + h, fy + fh);
        last.b = [x, y0, x1 - x, y1 - y0];
        continue;
      }
    }
    merged.push({t: f.t, b: f.b.slice(), o: f.o});
  }
  for (const f of merged) {
    const t = squash(f.t);
    if (t) items.push({t, b: f.b, r: 'text', a: false, e: false, f: false, s: false, o: f.o});
  }
  for (const it of items) it.t = squash(it.t).slice(0, 200);
  return items;
}

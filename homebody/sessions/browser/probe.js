// What a click or a key press lands on, described from inside the page.
//
// homebody/sessions/browser/probe.py evaluates this expression once per DevTools isolated world (page scripts
// cannot patch the built-ins it uses there) and keeps it as globalThis.__homebodyProbe. Boxes are in
// the CSS pixels of the element's own frame; Python adds the offsets of frames it crossed.
// Secrets rule: the only `value` ever read is that of a button; text inside form fields and editable
// regions is skipped, so nothing a user typed can leave through here.
({
  ACTIONABLE_ROLES: new Set([
    'button', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'tab', 'checkbox', 'switch',
    'option', 'radio', 'treeitem', 'combobox', 'textbox', 'searchbox', 'slider', 'spinbutton',
  ]),
  BUTTON_INPUTS: new Set(['submit', 'button', 'image', 'reset']),
  SKIP_TEXT: new Set(['script', 'style', 'noscript', 'template', 'input', 'textarea', 'select']),
  // Elements that may host a (closed) shadow root holding the focus; see deepFocus.
  SHADOW_HOSTS: new Set(['div', 'span', 'section', 'article', 'aside', 'main', 'nav', 'header', 'footer', 'p']),
  ATTRS: ['type', 'role', 'name', 'id', 'aria-label', 'title', 'href', 'autocomplete', 'data-testid', 'placeholder'],
  attrOf: Element.prototype.getAttribute,
  formElements: Object.getOwnPropertyDescriptor(HTMLFormElement.prototype, 'elements').get,

  attr(el, name) { return this.attrOf.call(el, name); },
  lower(s) { return (s || '').toLowerCase(); },
  clip(s, n) { s = (s || '').replace(/\s+/g, ' ').trim(); return s.length > n ? s.slice(0, n) : s; },
  roleAttr(el) { return this.lower(this.attr(el, 'role')).trim().split(/\s+/)[0]; },
  inputType(el) { return el.localName === 'input' ? this.lower(this.attr(el, 'type') || 'text') : ''; },

  // The parent in the composed tree: through slots (open roots) and out of shadow roots via their host,
  // which works from inside closed roots too.
  parentOf(n) {
    if (n.assignedSlot) return n.assignedSlot;
    const p = n.parentNode;
    if (p && p.nodeType === 11 && p.host) return p.host;
    return p && p.nodeType === 1 ? p : null;
  },

  isStrong(el) {
    const tag = el.localName;
    if (this.ACTIONABLE_ROLES.has(this.roleAttr(el))) return true;
    if (tag === 'button' || tag === 'select' || tag === 'textarea' || tag === 'summary' || tag === 'label') return true;
    if (tag === 'option') return true;
    if (tag === 'a' || tag === 'area') return el.hasAttribute('href');
    if (tag === 'input') return this.inputType(el) !== 'hidden';
    if (el.hasAttribute('onclick')) return true;
    const ti = this.attr(el, 'tabindex');
    return ti !== null && Number(ti) >= 0 && getComputedStyle(el).cursor === 'pointer';
  },

  editingHost(el) {
    while (el.parentElement && el.parentElement.isContentEditable) el = el.parentElement;
    return el;
  },

  // Climb from the hit element to what a click on it activates. Strong signals (tags, roles, inline
  // handlers) win; otherwise the outermost element of the cursor:pointer run that starts at the hit.
  actionable(start) {
    let pointerTop = null, pointerRun = true;
    for (let el = start, depth = 0; el && depth < 40; el = this.parentOf(el), depth++) {
      if (el.isContentEditable) return this.editingHost(el);
      if (this.isStrong(el)) return el;
      if (el.localName === 'body' || el.localName === 'html') break;
      if (pointerRun) {
        if (getComputedStyle(el).cursor === 'pointer') pointerTop = el;
        else if (pointerTop) pointerRun = false;
      }
    }
    return pointerTop;
  },

  textOf(root, limit) {
    const out = [];
    let len = 0;
    const walk = (n) => {
      if (len > limit) return;
      if (n.nodeType === 3) { out.push(n.data); len += n.data.length; return; }
      if (n.nodeType === 11) { for (const c of n.childNodes) walk(c); return; }
      if (n.nodeType !== 1) return;
      const tag = n.localName;
      if (this.SKIP_TEXT.has(tag) || this.attr(n, 'aria-hidden') === 'true') return;
      if (n !== root && this.isField(n)) return; // what a user typed, in an editor or a custom textbox
      if (n.checkVisibility && !n.checkVisibility()) return;
      if (tag === 'img' || tag === 'area') { out.push(' ', this.attr(n, 'alt') || '', ' '); return; }
      if (tag === 'svg') {
        const t = n.querySelector('title');
        if (t) out.push(' ', t.textContent, ' ');
        return;
      }
      const block = !getComputedStyle(n).display.startsWith('inline');
      if (block) out.push(' ');
      const assigned = tag === 'slot' ? n.assignedNodes({ flatten: true }) : [];
      if (assigned.length) assigned.forEach(walk);
      else if (n.shadowRoot) walk(n.shadowRoot);
      else for (const c of n.childNodes) walk(c);
      if (block) out.push(' ');
    };
    walk(root);
    return this.clip(out.join(''), limit);
  },

  byIds(el, name) {
    const ids = (this.attr(el, name) || '').trim().split(/\s+/).filter(Boolean);
    const root = el.getRootNode();
    const find = (id) => (root.getElementById ? root.getElementById(id) : null) || el.ownerDocument.getElementById(id);
    const labels = ids.map(find).filter((n) => n && !this.isField(n)); // a field's contents never name anything
    return labels.map((n) => this.textOf(n, 200)).join(' ').trim();
  },

  isField(el) {
    const tag = el.localName, type = this.inputType(el);
    return (tag === 'input' && !this.BUTTON_INPUTS.has(type)) || tag === 'textarea' || tag === 'select'
      || el.isContentEditable || ['textbox', 'searchbox', 'combobox'].includes(this.roleAttr(el));
  },

  buttonValue(el) {
    const type = this.inputType(el);
    if (el.localName === 'input' && this.BUTTON_INPUTS.has(type)) {
      return this.attr(el, 'value') ?? ({ submit: 'Submit', reset: 'Reset' }[type] || '');
    }
    return el.localName === 'button' ? this.attr(el, 'value') : null;
  },

  // The accessible name, simplified from the ARIA name computation. Fields are named by their labels,
  // never by their contents.
  nameOf(el) {
    const labelled = this.byIds(el, 'aria-labelledby');
    if (labelled) return this.clip(labelled, 200);
    const aria = this.attr(el, 'aria-label');
    if (aria && aria.trim()) return this.clip(aria, 200);
    const tag = el.localName;
    if (tag === 'input' && this.inputType(el) === 'image') return this.clip(this.attr(el, 'alt') || this.buttonValue(el), 200);
    const value = tag === 'input' ? this.buttonValue(el) : null;
    if (value) return this.clip(value, 200);
    if (this.isField(el)) {
      const labels = el.labels ? Array.from(el.labels).map((l) => this.textOf(l, 200)).join(' ') : '';
      const hint = labels || this.attr(el, 'placeholder') || this.attr(el, 'aria-placeholder') || this.attr(el, 'title');
      return this.clip(hint, 200);
    }
    if (tag === 'img') return this.clip(this.attr(el, 'alt') || this.attr(el, 'title'), 200);
    return this.textOf(el, 200) || this.clip(this.attr(el, 'title'), 200);
  },

  roleOf(el) {
    const explicit = this.roleAttr(el);
    if (explicit) return explicit;
    const tag = el.localName, type = this.inputType(el);
    const inputs = { checkbox: 'checkbox', radio: 'radio', range: 'slider', number: 'spinbutton', search: 'searchbox', hidden: '', file: 'button' };
    if (tag === 'input') return this.BUTTON_INPUTS.has(type) ? 'button' : (inputs[type] ?? 'textbox');
    if (tag === 'a' || tag === 'area') return el.hasAttribute('href') ? 'link' : '';
    if (tag === 'select') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (el.isContentEditable) return 'textbox';
    const tags = { button: 'button', summary: 'button', textarea: 'textbox', option: 'option', img: 'img', p: 'paragraph',
      dialog: 'dialog', form: 'form', nav: 'navigation', li: 'listitem', ul: 'list', ol: 'list', table: 'table' };
    return tags[tag] || '';
  },

  attributesOf(el) {
    const out = {};
    for (const name of this.ATTRS) {
      const v = this.attr(el, name);
      if (v !== null && v !== '') out[name] = this.clip(v, name === 'href' ? 300 : 200);
    }
    const cls = this.attr(el, 'class');
    if (cls && cls.trim()) out.class = this.clip(cls, 100);
    const value = this.buttonValue(el);
    if (value) out.value = this.clip(value, 200);
    return out;
  },

  formOf(el) {
    let form = null;
    if (['button', 'input', 'select', 'textarea', 'fieldset', 'output', 'object', 'label'].includes(el.localName)) form = el.form;
    for (let n = el; !form && n; n = this.parentOf(n)) if (n.localName === 'form') form = n;
    if (!form) return null;
    // Only fields that are rendered count as evidence: a wizard's later steps are hidden until reached.
    const fields = Array.from(this.formElements.call(form)).filter((f) => f.getClientRects().length > 0).slice(0, 80);
    const submit = fields.find((f) => (f.localName === 'button' && ['', 'submit'].includes(this.lower(this.attr(f, 'type'))))
      || (f.localName === 'input' && ['submit', 'image'].includes(this.inputType(f))));
    let action = this.attr(form, 'action') || '';
    try { action = new URL(action, form.ownerDocument.baseURI).href; } catch (e) { /* keep it raw */ }
    return {
      method: this.lower(this.attr(form, 'method')) || 'get',
      action: this.clip(action, 300),
      field_types: fields.map((f) => f.localName === 'input' ? this.inputType(f) : f.localName),
      field_names: fields.map((f) => this.attr(f, 'name')).filter(Boolean).map((s) => this.clip(s, 100)),
      autocomplete: fields.map((f) => this.lower(this.attr(f, 'autocomplete'))).filter(Boolean).map((s) => this.clip(s, 100)),
      submit_text: submit ? this.nameOf(submit) : '',
    };
  },

  dialogOf(el) {
    for (let n = el; n; n = this.parentOf(n)) {
      const role = this.roleAttr(n);
      if (n.localName === 'dialog' || role === 'dialog' || role === 'alertdialog' || this.attr(n, 'aria-modal') === 'true') {
        const heading = n.querySelector('h1, h2, h3, h4, h5, h6, [role=heading]');
        const title = this.byIds(n, 'aria-labelledby') || this.clip(this.attr(n, 'aria-label'), 200) || (heading ? this.textOf(heading, 200) : '');
        const text = this.textOf(n, 300);
        return !title || text.startsWith(title) ? text : `${title}: ${text}`;
      }
    }
    return '';
  },

  isComposer(el) {
    const role = this.roleAttr(el);
    if (el.localName === 'input' || role === 'searchbox' || role === 'combobox') return false;
    if (this.attr(el, 'aria-multiline') === 'false') return false;
    for (let n = el; n; n = this.parentOf(n)) if (this.roleAttr(n) === 'search') return false;
    return el.localName === 'textarea' || el.isContentEditable || role === 'textbox';
  },

  contentBox(el) {
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    const pl = parseFloat(cs.paddingLeft) || 0, pt = parseFloat(cs.paddingTop) || 0;
    const pr = parseFloat(cs.paddingRight) || 0, pb = parseFloat(cs.paddingBottom) || 0;
    return [r.left + el.clientLeft + pl, r.top + el.clientTop + pt, el.clientWidth - pl - pr, el.clientHeight - pt - pb];
  },

  // The text around a non-actionable hit: its nearest block, so a click inside <em> reads the whole
  // paragraph; but of a big container (the body, a page column) only its own text, not all it holds.
  textAround(el) {
    let block = el;
    while (block.parentElement && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    const r = block.getBoundingClientRect();
    if (r.width * r.height <= innerWidth * innerHeight / 4) return this.textOf(block, 300);
    const own = Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.data).join(' ');
    return this.clip(own, 300);
  },

  describeElement(el, actionable, dx, dy) {
    const doc = el.ownerDocument, r = el.getBoundingClientRect();
    const tag = el.localName;
    return {
      actionable,
      tag,
      role: this.roleOf(el),
      name: actionable ? this.nameOf(el) : '',
      attributes: this.attributesOf(el),
      text: this.isField(el) ? '' : actionable ? this.textOf(el, 300) : this.textAround(el),
      form: this.formOf(el),
      dialog: this.dialogOf(el),
      url: doc.URL,
      title: this.clip(doc.title, 300),
      box: [r.left + dx, r.top + dy, r.width, r.height],
      is_password: tag === 'input' && this.inputType(el) === 'password',
      is_composer: this.isComposer(el),
    };
  },

  // The element a hit node belongs to, as the browser's own hit test reports it: an element itself, a
  // text node's parent in the composed tree, or the element that a ::before/::after box belongs to
  // (DevTools hands those over as a CSSPseudoElement, which is no node; its `element` owns it).
  ownerOf(node) {
    if (node.nodeType === 1) return node;
    if (node.nodeType) return this.parentOf(node);
    return node.element && node.element.nodeType === 1 ? node.element : null;
  },

  // What the browser itself says is at (x, y) of `el`'s document (its viewport's CSS px):
  // elementFromPoint, followed down through open shadow roots and through the closed ones on the
  // path to `el` (a script cannot reach other closed roots, and neither can the page).
  browserHit(el, x, y) {
    const closed = new Map();
    for (let n = el, root = n.getRootNode(); root.nodeType === 11 && root.host; n = root.host, root = n.getRootNode()) {
      if (root.mode === 'closed') closed.set(root.host, root);
    }
    let seen = el.ownerDocument.elementFromPoint(x, y);
    for (let depth = 0; seen && depth < 32; depth++) {
      const root = seen.shadowRoot || closed.get(seen);
      const inner = root ? root.elementFromPoint(x, y) : null;
      if (!inner || inner === seen) break;
      seen = inner;
    }
    return seen;
  },

  // Whether `inner` is `outer` or inside it, in the composed tree (through shadow roots).
  within(inner, outer) {
    for (let n = inner, depth = 0; n && depth < 64; n = this.parentOf(n), depth++) {
      if (n === outer) return true;
    }
    return false;
  },

  // A short, secret-free name for an element in a message: its tag, id and the start of its text.
  label(el) {
    if (!el) return 'nothing';
    const id = this.attr(el, 'id'), text = this.isField(el) ? '' : this.textOf(el, 40);
    return `<${el.localName}${id ? ` id="${this.clip(id, 40)}"` : ''}>${text ? ` "${text}"` : ''}`;
  },

  // What a click at (x, y) (the hit frame's viewport px) on hit node `node` lands on. `hit_agrees`
  // says whether the browser's own elementFromPoint names the same element: when it does not, the
  // probe would be judging something other than what the click hits, and Python fails closed. A
  // frame owner is reported as such so that Python can go inside.
  describeHit(node, x, y) {
    const el = this.ownerOf(node);
    if (!el) return { actionable: false, tag: '', hit_agrees: false, hit_label: 'a node that is not an element', hit_seen: '' };
    const seen = this.browserHit(el, x, y);
    // The browser may name the control around the hit node (an icon's <svg> inside its <button>:
    // the click's event reaches that control either way). One inside the other, both standing for
    // the same control, is agreement; anything else is not.
    const agrees = seen === el || (seen && this.within(el, seen) && this.actionable(el) === this.actionable(seen));
    const check = { hit_agrees: Boolean(agrees), hit_label: this.label(el), hit_seen: agrees ? '' : this.label(seen) };
    if (el.localName === 'iframe' || el.localName === 'frame') {
      const described = this.describeElement(el, false, 0, 0);
      described.frame_content = this.contentBox(el);
      return Object.assign(described, check);
    }
    const target = this.actionable(el);
    return Object.assign(this.describeElement(target || el, Boolean(target), 0, 0), check);
  },

  // The ancestor `steps` up from a hit node, as chosen by the click-listener check in probe.py.
  describeAncestor(node, steps) {
    let el = this.ownerOf(node);
    for (let i = 0; el && i < steps; i++) el = this.parentOf(el);
    return this.describeElement(el || this.ownerOf(node), true, 0, 0);
  },

  // Descend document.activeElement through open shadow roots and same-origin frames. `stop` says why
  // the descent ended early: a cross-origin frame, or an element that may host a closed shadow root.
  deepFocus(root, dx, dy) {
    let el = root.activeElement, stop = '';
    while (el) {
      const inner = el.shadowRoot && el.shadowRoot.activeElement;
      if (inner) { el = inner; continue; }
      if (el.localName === 'iframe' || el.localName === 'frame') {
        let doc = null;
        try { doc = el.contentDocument; } catch (e) { doc = null; }
        if (!doc) { stop = 'frame'; break; }
        const c = this.contentBox(el);
        dx += c[0]; dy += c[1];
        el = doc.activeElement || doc.body;
        if (el && el.localName === 'body') break;
        continue;
      }
      const tag = el.localName;
      const plain = this.SHADOW_HOSTS.has(tag) && !el.hasAttribute('tabindex') && !el.isContentEditable;
      if (!el.shadowRoot && (tag.includes('-') || plain)) stop = 'host';
      break;
    }
    return { el, stop, dx, dy };
  },

  describeFocused(root, dx, dy) {
    const f = this.deepFocus(root, dx, dy);
    if (!f.el) return { actionable: false, tag: '', stop: '' };
    const idle = f.el.localName === 'body' || f.el.localName === 'html';
    const described = this.describeElement(f.el, !idle, f.dx, f.dy);
    described.stop = f.stop;
    described.offset = [f.dx, f.dy];
    if (f.stop === 'frame') described.frame_content = this.contentBox(f.el).map((v, i) => v + (i === 0 ? f.dx : i === 1 ? f.dy : 0));
    return described;
  },

  focusedElement(root) { return this.deepFocus(root, 0, 0).el; },
})

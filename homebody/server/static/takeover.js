// Takeover: while the person drives, mouse and keyboard on the live view become InputEvents
// (POST /api/tasks/{id}/input) in frame pixels. Inputs go out one at a time and in order; moves
// and wheel turns that pile up behind a request in flight are merged, and printable keys are
// batched into one "text" input, so a slow round trip never floods the server.

import { post } from './api.js';
import { sleep, taskPath } from './dom.js';

const MOVE_INTERVAL_MS = 50;
const TEXT_BATCH_MS = 60;
const DRAG_THRESHOLD_PX = 4;
const MAX_TEXT = 10000;
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'NumLock', 'ScrollLock', 'Fn', 'OS', 'Hyper', 'Super']);
const BUTTONS = ['left', 'middle', 'right'];
const LINE_PX = 40;
const PAGE_PX = 800;

export class InputQueue {
  constructor(send, onError) {
    this.send = send;
    this.onError = onError;
    this.items = [];
    this.busy = false;
    this.lastMove = 0;
  }

  push(input) {
    const last = this.items[this.items.length - 1];
    if (last && input.kind === 'move' && last.kind === 'move') {
      this.items[this.items.length - 1] = input;
    } else if (last && input.kind === 'wheel' && last.kind === 'wheel') {
      last.dx += input.dx;
      last.dy += input.dy;
    } else if (last && input.kind === 'text' && last.kind === 'text' && last.text.length + input.text.length <= MAX_TEXT) {
      last.text += input.text;
    } else {
      this.items.push(input);
    }
    this.pump();
  }

  clear() {
    this.items = [];
  }

  async pump() {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.items.length) {
        const head = this.items[0];
        if (head.kind === 'text') await sleep(TEXT_BATCH_MS); // let the next few characters join it
        if (head.kind === 'move') {
          const wait = this.lastMove + MOVE_INTERVAL_MS - performance.now();
          if (wait > 0) await sleep(wait);
          this.lastMove = performance.now();
        }
        const input = this.items.shift();
        if (!input) break;
        try {
          await this.send(input);
        } catch (err) {
          this.items = [];
          this.onError(err);
        }
      }
    } finally {
      this.busy = false;
    }
  }
}

/** The Playwright key name for a key event with modifiers (Control+a, Shift+Tab, Space...). */
export function keyName(event) {
  let key = event.key;
  if (key === ' ') key = 'Space';
  else if (key === 'Esc') key = 'Escape';
  const mods = [];
  if (event.ctrlKey) mods.push('Control');
  if (event.altKey) mods.push('Alt');
  if (event.metaKey) mods.push('Meta');
  if (event.shiftKey && (key.length > 1 || mods.length)) mods.push('Shift');
  return [...mods, key].join('+');
}

function isPrintable(event) {
  if ([...event.key].length !== 1) return false;
  if (event.getModifierState && event.getModifierState('AltGraph')) return true;
  return !event.ctrlKey && !event.metaKey && !event.altKey;
}

export class InputForwarder {
  /** live: the LiveView; onError(err): shows why an input was refused. */
  constructor(taskId, live, onError, onEscape) {
    this.live = live;
    this.onEscape = onEscape;
    this.enabled = false;
    this.queue = new InputQueue((input) => post(taskPath(taskId, 'input'), input), onError);
    this.pending = null; // a mouse press that is a click until it moves far enough to be a drag
    this.dragging = null;
    this.lastEscape = 0;
    const el = live.screen;
    this.handlers = {
      mousedown: (e) => this.down(e),
      mousemove: (e) => this.move(e),
      mouseup: (e) => this.up(e),
      wheel: (e) => this.wheel(e),
      keydown: (e) => this.key(e),
      contextmenu: (e) => this.enabled && e.preventDefault(),
      dragstart: (e) => e.preventDefault(),
    };
    for (const [type, fn] of Object.entries(this.handlers)) el.addEventListener(type, fn, { passive: false });
    this.windowUp = (e) => this.up(e);
    this.windowMove = (e) => this.move(e);
    this.paste = (e) => this.pasted(e);
    document.addEventListener('paste', this.paste);
  }

  setEnabled(on) {
    this.enabled = on;
    if (!on) {
      this.queue.clear();
      this.release();
    }
  }

  release() {
    this.pending = null;
    this.dragging = null;
    window.removeEventListener('mouseup', this.windowUp);
    window.removeEventListener('mousemove', this.windowMove);
  }

  down(event) {
    if (!this.enabled) return;
    const p = this.live.point(event);
    this.live.screen.focus({ preventScroll: true });
    if (!p) return;
    event.preventDefault(); // no text selection or image drag on this page
    const button = BUTTONS[event.button] || 'left';
    this.pending = { ...p, button, count: event.detail === 2 ? 2 : 1, cx: event.clientX, cy: event.clientY };
    // A drag may leave the picture: follow it on the window until the button comes up.
    window.addEventListener('mouseup', this.windowUp);
    window.addEventListener('mousemove', this.windowMove);
  }

  move(event) {
    if (!this.enabled) return;
    if (event.currentTarget === window && !this.pending && !this.dragging) return;
    if (event.currentTarget !== window && (this.pending || this.dragging)) return; // the window listener has it
    const p = this.live.point(event, Boolean(this.pending || this.dragging));
    if (!p) return;
    if (this.pending) {
      const far = Math.hypot(event.clientX - this.pending.cx, event.clientY - this.pending.cy) >= DRAG_THRESHOLD_PX;
      if (!far) return;
      const { x, y, button } = this.pending;
      this.queue.push({ kind: 'down', x, y, button });
      this.dragging = { button };
      this.pending = null;
    }
    this.queue.push({ kind: 'move', ...p });
  }

  up(event) {
    if (!this.enabled || (!this.pending && !this.dragging)) return;
    if (this.pending) {
      const { x, y, button, count } = this.pending;
      this.queue.push({ kind: 'click', x, y, button, count });
    } else {
      const p = this.live.point(event, true);
      if (p) this.queue.push({ kind: 'up', ...p, button: this.dragging.button });
    }
    this.release();
  }

  wheel(event) {
    if (!this.enabled) return;
    const p = this.live.point(event);
    if (!p) return;
    event.preventDefault();
    const scale = event.deltaMode === 1 ? LINE_PX : event.deltaMode === 2 ? PAGE_PX : 1;
    this.queue.push({ kind: 'wheel', ...p, dx: event.deltaX * scale, dy: event.deltaY * scale });
  }

  key(event) {
    if (!this.enabled || event.isComposing || event.key === 'Process' || event.key === 'Dead' || event.key === 'Unidentified') return;
    if (event.key === 'Escape' && !event.ctrlKey && !event.altKey && !event.metaKey) {
      // Escape twice in a row leaves the live view, so keyboard users are never trapped in it.
      const now = performance.now();
      if (now - this.lastEscape < 800) {
        event.preventDefault();
        this.lastEscape = 0;
        this.onEscape();
        return;
      }
      this.lastEscape = now;
    }
    if (MODIFIERS.has(event.key)) {
      event.preventDefault();
      return;
    }
    // Ctrl/Cmd+V pastes this computer's clipboard: let the browser fire "paste" and send its text.
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'v') return;
    event.preventDefault();
    if (isPrintable(event)) this.queue.push({ kind: 'text', text: event.key });
    else this.queue.push({ kind: 'key', key: keyName(event).slice(0, 64) });
  }

  pasted(event) {
    if (!this.enabled || document.activeElement !== this.live.screen) return;
    const text = event.clipboardData ? event.clipboardData.getData('text/plain') : '';
    event.preventDefault();
    for (let i = 0; i < text.length; i += MAX_TEXT) this.queue.push({ kind: 'text', text: text.slice(i, i + MAX_TEXT) });
  }

  close() {
    this.setEnabled(false);
    const el = this.live.screen;
    for (const [type, fn] of Object.entries(this.handlers)) el.removeEventListener(type, fn);
    document.removeEventListener('paste', this.paste);
  }
}

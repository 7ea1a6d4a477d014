// The live view: WebSocket /api/tasks/{id}/live sends a text message {seq, ts, width, height} and
// then the JPEG of that frame as a binary message. Frames are shown through blob URLs; only one
// decode is in flight at a time and newer frames replace a waiting one, so a slow tab shows the
// latest frame instead of falling behind, and every URL is revoked once it is off screen.

import { h, taskPath } from './dom.js';

const FPS_WINDOW_MS = 3000;

export class LiveView {
  /** shouldConnect(): whether a closed socket should be reopened (the task is still going). */
  constructor(taskId, shouldConnect) {
    this.taskId = taskId;
    this.shouldConnect = shouldConnect;
    this.meta = null; // {seq, ts, width, height} of the frame on screen
    this.arrivals = [];
    this.retryMs = 1000;
    this.closed = false;
    this.img = h('img', { class: 'live-img', alt: 'The task’s screen, live', hidden: true, draggable: 'false' });
    this.placeholder = h('p', { class: 'live-placeholder' }, 'Waiting for the first frame…');
    this.screen = h(
      'div',
      { class: 'live', tabindex: '0', role: 'application', 'aria-roledescription': 'live screen', 'aria-label': 'Live view of the task’s screen' },
      this.img,
      this.placeholder,
    );
    this.stats = h('p', { class: 'live-stats', 'aria-live': 'off' }, 'not connected');
    this.element = h('div', { class: 'live-wrap' }, this.screen, this.stats);
    this.img.addEventListener('load', () => this.loaded());
    this.img.addEventListener('error', () => this.loaded(true));
    this.statsTimer = setInterval(() => this.showStats(), 1000);
    this.connect();
  }

  connect() {
    if (this.closed || this.ws) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}${taskPath(this.taskId, 'live')}`);
    ws.binaryType = 'blob';
    this.ws = ws;
    this.state = 'connecting';
    let pendingMeta = null;
    ws.addEventListener('open', () => {
      this.state = 'connected';
      this.retryMs = 1000;
      this.showStats();
    });
    ws.addEventListener('message', (message) => {
      if (typeof message.data === 'string') {
        try {
          pendingMeta = JSON.parse(message.data);
        } catch {
          pendingMeta = null;
        }
      } else {
        this.frame(message.data, pendingMeta);
        pendingMeta = null;
      }
    });
    ws.addEventListener('close', () => {
      this.ws = null;
      this.state = 'closed';
      this.showStats();
      if (!this.closed && this.shouldConnect()) {
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.connect(), this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, 8000);
      }
    });
  }

  /** Called when the task's status changes: reconnect if it is going again. */
  poke() {
    if (!this.ws && !this.closed && this.shouldConnect()) {
      clearTimeout(this.retry);
      this.connect();
    }
  }

  /** The task is over: no more frames will come. */
  ended(status) {
    if (!this.meta) this.placeholder.textContent = `The task is ${status}. Its screens are in the replay.`;
  }

  frame(blob, meta) {
    this.arrivals.push(performance.now());
    this.display(blob, meta);
  }

  display(blob, meta) {
    if (this.loading) {
      this.next = { blob, meta }; // the one waiting is dropped: only the newest matters
      return;
    }
    this.loading = { url: URL.createObjectURL(blob), meta };
    this.img.src = this.loading.url;
  }

  loaded(failed = false) {
    const done = this.loading;
    if (!done) return;
    this.loading = null;
    if (failed) {
      URL.revokeObjectURL(done.url);
    } else {
      if (this.shownUrl) URL.revokeObjectURL(this.shownUrl);
      this.shownUrl = done.url;
      this.meta = done.meta || { seq: null, width: this.img.naturalWidth, height: this.img.naturalHeight };
      if (!this.meta.width) this.meta.width = this.img.naturalWidth;
      if (!this.meta.height) this.meta.height = this.img.naturalHeight;
      this.img.hidden = false;
      this.placeholder.hidden = true;
      this.screen.dataset.seq = String(this.meta.seq ?? '');
      this.showStats();
    }
    if (this.next) {
      const { blob, meta } = this.next;
      this.next = null;
      this.display(blob, meta);
    }
  }

  fps() {
    const now = performance.now();
    this.arrivals = this.arrivals.filter((t) => now - t <= FPS_WINDOW_MS);
    if (this.arrivals.length < 2) return 0;
    // Measured up to now, so the rate falls when frames stop coming (a still page sends none).
    return (this.arrivals.length - 1) / Math.max((now - this.arrivals[0]) / 1000, 0.001);
  }

  showStats() {
    const parts = [];
    if (this.meta) {
      parts.push(`frame #${this.meta.seq ?? '?'}`, `${this.fps().toFixed(1)} fps`, `${this.meta.width}×${this.meta.height}`);
    }
    if (this.state !== 'connected') parts.push(this.state === 'connecting' ? 'connecting…' : 'not connected');
    else if (!this.meta) parts.push('connected, no frame yet');
    this.stats.textContent = parts.join(' · ');
  }

  /** Frame pixel coordinates of a mouse event, or null when it is off the picture. ``clamp`` keeps
   *  drags that leave the picture on its edge. */
  point(event, clamp = false) {
    const m = this.meta;
    const rect = this.img.getBoundingClientRect();
    if (!m || !m.width || !m.height || rect.width === 0 || rect.height === 0) return null;
    let x = ((event.clientX - rect.left) * m.width) / rect.width;
    let y = ((event.clientY - rect.top) * m.height) / rect.height;
    const inside = x >= 0 && y >= 0 && x < m.width && y < m.height;
    if (!inside && !clamp) return null;
    x = Math.min(Math.max(x, 0), m.width - 1);
    y = Math.min(Math.max(y, 0), m.height - 1);
    return { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
  }

  close() {
    this.closed = true;
    clearInterval(this.statsTimer);
    clearTimeout(this.retry);
    if (this.ws) this.ws.close();
    this.ws = null;
    if (this.shownUrl) URL.revokeObjectURL(this.shownUrl);
    if (this.loading) URL.revokeObjectURL(this.loading.url);
    this.shownUrl = null;
    this.loading = null;
    this.next = null;
  }
}

// Small DOM helpers shared by every view. Everything that came from the server (page titles, model
// thoughts, URLs) is untrusted: it only ever reaches the page as text nodes or attribute values,
// never as HTML.

/** Build an element: h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const TERMINAL = new Set(['done', 'failed', 'cancelled', 'interrupted']);

/** A status badge; its text is the status itself so it reads the same to everyone. */
export function badge(status) {
  return h('span', { class: `badge status-${status}`, 'data-status': status }, status);
}

export function updateBadge(el, status) {
  if (el.dataset.status === status) return;
  el.className = `badge status-${status}`;
  el.dataset.status = status;
  el.textContent = status;
}

export function taskPath(id, ...rest) {
  return ['/api/tasks', encodeURIComponent(id), ...rest].join('/');
}

/** The URL of an image a recording names ("frames/0003.jpg" → .../recording/frames/0003.jpg). */
export function frameUrl(taskId, name) {
  const file = String(name).replace(/^frames\//, '');
  return `${taskPath(taskId, 'recording', 'frames')}/${encodeURIComponent(file)}`;
}

export function formatTime(epochSeconds) {
  if (epochSeconds === null || epochSeconds === undefined) return '';
  return new Date(epochSeconds * 1000).toLocaleString();
}

export function clockTime(epochSeconds) {
  if (!epochSeconds) return '';
  return new Date(epochSeconds * 1000).toLocaleTimeString();
}

/** "3 min ago" with the exact time as a tooltip. */
export function ago(epochSeconds) {
  if (!epochSeconds) return h('span', {}, '');
  const seconds = Math.max(0, Date.now() / 1000 - epochSeconds);
  let text = 'just now';
  if (seconds >= 86400) text = `${Math.floor(seconds / 86400)} d ago`;
  else if (seconds >= 3600) text = `${Math.floor(seconds / 3600)} h ago`;
  else if (seconds >= 60) text = `${Math.floor(seconds / 60)} min ago`;
  else if (seconds >= 5) text = `${Math.floor(seconds)} s ago`;
  return h('time', { datetime: new Date(epochSeconds * 1000).toISOString(), title: formatTime(epochSeconds) }, text);
}

export function shorten(text, max = 80) {
  const s = String(text ?? '');
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Announce a message in the page's status region (and show it briefly). */
export function notify(message, kind = 'info') {
  const region = document.getElementById('toast');
  if (!region) return;
  region.className = `toast toast-${kind}`;
  region.textContent = message;
  // Halts and errors interrupt a screen reader; the rest waits its turn.
  const urgent = document.getElementById('alert');
  if (urgent && kind !== 'info') urgent.textContent = message;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => {
    region.textContent = '';
    region.className = 'toast';
  }, kind === 'info' ? 4000 : 10000);
}

/** Take down the current notice (it was about something that is over). */
export function clearNotice() {
  clearTimeout(notify.timer);
  const region = document.getElementById('toast');
  if (region) {
    region.textContent = '';
    region.className = 'toast';
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs ``fn`` now and then every ``ms`` while the page is visible, until the returned stop() is called. */
export function every(ms, fn) {
  let stopped = false;
  let timer = null;
  const tick = async () => {
    if (stopped) return;
    if (!document.hidden) {
      try {
        await fn();
      } catch (err) {
        console.warn(err);
      }
    }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

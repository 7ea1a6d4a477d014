// The replay page: a recording's frames on a timeline scrubber (a range input; the arrow keys, Home
// and End work anywhere on the page), with what happened at that step beside the frame.

import { get } from './api.js';
import { clockTime, fill, frameUrl, h, shorten, taskPath } from './dom.js';
import { describeAction, eventItem } from './events.js';

/** The moments of a recording: every event that names a frame, in order. */
export function moments(events) {
  const out = [];
  for (const ev of events) {
    if ((ev.type === 'observed' || ev.type === 'verified') && ev.frame) {
      out.push({ frame: ev.frame, step: ev.step || 0, ts: ev.ts, when: ev.type === 'observed' ? 'before the action' : 'after the action', ev });
    }
  }
  return out;
}

function stepDetails(taskId, events, step) {
  const here = events.filter((ev) => (ev.step || 0) === step && ev.type !== 'observed');
  const proposed = here.find((ev) => ev.type === 'proposed');
  const halt = here.find((ev) => ev.type === 'halted');
  return [
    h('h2', { id: 'step-title' }, step ? `Step ${step}` : 'Start'),
    proposed
      ? h(
          'dl',
          { class: 'meta' },
          h('dt', {}, 'Action'),
          h('dd', { class: 'replay-action' }, describeAction(proposed.action)),
          proposed.thought ? [h('dt', {}, 'Thought'), h('dd', { class: 'replay-thought' }, proposed.thought)] : null,
        )
      : null,
    halt && halt.crop ? h('img', { class: 'replay-crop', src: frameUrl(taskId, halt.crop), alt: `Crop of the target the agent halted before (${halt.category})` }) : null,
    here.length ? h('ol', { class: 'events' }, here.map(eventItem)) : h('p', { class: 'muted' }, 'Nothing else was recorded at this step.'),
  ];
}

export function replayView(root, id) {
  document.title = 'Replay · homebody';
  const title = h('h1', { tabindex: '-1' }, 'Replay');
  const status = h('p', { class: 'muted' }, 'Loading the recording…');
  const body = h('div', { class: 'replay' });
  const reload = h('button', { type: 'button' }, 'Reload');
  root.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, '← All tasks'), ' · ', h('a', { href: `#/tasks/${encodeURIComponent(id)}` }, 'Task page')),
    title,
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'button-link', href: taskPath(id, 'recording', 'export'), download: '' }, 'Download HTML replay'),
      reload,
    ),
    status,
    body,
  );
  let onKey = null;

  async function load() {
    status.textContent = 'Loading the recording…';
    try {
      const [task, recording] = await Promise.all([get(taskPath(id)).catch(() => null), get(taskPath(id, 'recording'))]);
      if (task) title.textContent = `Replay: ${shorten(task.instruction, 100)}`;
      const events = recording.events || [];
      status.textContent = `${events.length} events recorded${task ? `; task ${task.status}` : ''}.`;
      if (onKey) document.removeEventListener('keydown', onKey);
      onKey = show(events);
    } catch (err) {
      status.textContent = err.message;
    }
  }

  function show(events) {
    const list = moments(events);
    if (!list.length) {
      fill(body, h('p', {}, 'This recording has no frames yet.'));
      return null;
    }
    const img = h('img', { class: 'replay-frame', alt: '' });
    const label = h('label', { for: 'scrubber' }, 'Timeline');
    const range = h('input', { type: 'range', id: 'scrubber', min: 0, max: list.length - 1, step: 1, value: 0 });
    const position = h('output', { for: 'scrubber', class: 'replay-pos' });
    const prev = h('button', { type: 'button', 'aria-label': 'Previous frame' }, '◀');
    const next = h('button', { type: 'button', 'aria-label': 'Next frame' }, '▶');
    const details = h('section', { class: 'card replay-details', 'aria-labelledby': 'step-title' });
    fill(
      body,
      h(
        'div',
        { class: 'replay-layout' },
        h(
          'section',
          { class: 'card replay-frames', 'aria-label': 'Frames' },
          h('figure', { class: 'replay-figure', tabindex: '0', 'aria-label': 'Frame (arrow keys step through the recording)' }, img),
          h('div', { class: 'scrub' }, label, prev, range, next, position),
          h('p', { class: 'hint' }, 'Arrow keys step through the frames; on the frame, Home and End jump to the first and last.'),
        ),
        details,
      ),
    );
    let shownStep = null;
    const go = (index) => {
      const i = Math.min(Math.max(index, 0), list.length - 1);
      const m = list[i];
      range.value = String(i);
      img.src = frameUrl(id, m.frame);
      img.alt = `Frame ${i + 1} of ${list.length}: step ${m.step}, ${m.when}`;
      position.textContent = `${i + 1} / ${list.length} · step ${m.step} · ${m.when} · ${clockTime(m.ts)}`;
      range.setAttribute('aria-valuetext', `frame ${i + 1} of ${list.length}, step ${m.step}, ${m.when}`);
      if (shownStep !== m.step) {
        shownStep = m.step;
        fill(details, stepDetails(id, events, m.step));
      }
    };
    range.addEventListener('input', () => go(Number(range.value)));
    prev.addEventListener('click', () => go(Number(range.value) - 1));
    next.addEventListener('click', () => go(Number(range.value) + 1));
    const keys = (event) => {
      const t = event.target;
      if (t === range || (t && t.closest && t.closest('input, textarea, select, [contenteditable]'))) return; // the range handles its own keys
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const i = Number(range.value);
      const inFrames = Boolean(t && t.closest && t.closest('.replay-frames'));
      // Home/End keep scrolling the page unless the focus is on the frames.
      const to = { ArrowLeft: i - 1, ArrowRight: i + 1, ...(inFrames ? { Home: 0, End: list.length - 1 } : {}) }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      go(to);
    };
    document.addEventListener('keydown', keys);
    go(0);
    return keys;
  }

  reload.addEventListener('click', load);
  load();
  return () => {
    if (onKey) document.removeEventListener('keydown', onKey);
  };
}

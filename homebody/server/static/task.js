// The task page: status and controls, the halt banner, the live view (with takeover) and the event log.

import { get, post } from './api.js';
import { EventLog } from './eventlog.js';
import { badge, clearNotice, every, fill, formatTime, h, notify, shorten, taskPath, TERMINAL, updateBadge } from './dom.js';
import { haltBanner } from './halt.js';
import { LiveView } from './live.js';
import { InputForwarder } from './takeover.js';

const POLL_MS = 1500;
const TAKEOVER_TIMEOUT_MS = 60000;
const REFRESH_ON = new Set(['task_started', 'halted', 'approved', 'rejected', 'takeover_started', 'takeover_ended', 'finished']);

function metaList(task) {
  const rows = [
    ['Task id', task.id],
    ['Start URL', task.start_url],
    ['Session', task.ephemeral ? 'ephemeral' : task.profile || 'default'],
    ['Brain', task.brain_kind],
    ['Also acts on', (task.sites || []).join(', ')],
    ['Asks before', task.ask === 'every-change' ? 'every change it sends' : 'commits (purchases, messages, deletes, …)'],
    ['Steps', `${task.steps ?? 0} of at most ${task.max_steps}`],
    ['Created', formatTime(task.created_at)],
    ['Started', formatTime(task.started_at)],
    ['Ended', formatTime(task.ended_at)],
    ['Reason', task.reason],
    ['Answer', task.answer],
    ['Driven by', task.takeover_by],
  ];
  return rows.filter(([, v]) => v !== null && v !== undefined && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]);
}

function controls() {
  const c = {
    cancel: h('button', { type: 'button', class: 'danger', 'data-action': 'cancel' }, 'Cancel task'),
    takeover: h('button', { type: 'button', 'data-action': 'takeover' }, 'Take over'),
    release: h('button', { type: 'button', class: 'primary', 'data-action': 'release' }, 'Hand back'),
    replay: h('a', { class: 'button-link' }, 'Replay'),
    exportLink: h('a', { class: 'button-link', download: '' }, 'Download HTML replay'),
  };
  c.bar = h('div', { class: 'actions task-actions' }, c.takeover, c.cancel, c.replay, c.exportLink);
  return c;
}

export function taskView(root, id) {
  let task = null;
  let haltKey = null;
  let busy = false;
  let focusWhenDriving = false;
  const c = controls();
  c.replay.href = `/tasks/${encodeURIComponent(id)}/replay`;
  c.exportLink.href = taskPath(id, 'recording', 'export');
  const title = h('h1', { tabindex: '-1', class: 'task-title' }, 'Task');
  const status = badge('queued');
  const meta = h('dl', { class: 'meta' });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const haltSlot = h('div', { class: 'halt-slot' });
  const driving = h(
    'section',
    { class: 'driving', hidden: true, 'aria-labelledby': 'driving-title' },
    h('h2', { id: 'driving-title' }, 'You are driving'),
    h('p', {}, 'The agent is paused. Mouse and keys on the screen below go to the page. Press Esc twice to leave the screen with the keyboard.'),
    c.release,
  );
  const live = new LiveView(id, () => !task || !TERMINAL.has(task.status));
  const showProblem = (err) => {
    problem.textContent = err.message;
    problem.hidden = false;
  };
  const forwarder = new InputForwarder(id, live, (err) => {
    showProblem(err);
    refresh();
  }, () => c.release.focus());
  const log = new EventLog(
    id,
    (ev) => {
      if (REFRESH_ON.has(ev.type)) refresh();
    },
    () => task !== null && TERMINAL.has(task.status),
  );

  root.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, '← All tasks')),
    h('div', { class: 'task-head' }, title, status),
    c.bar,
    problem,
    haltSlot,
    h(
      'div',
      { class: 'task-layout' },
      h(
        'section',
        { class: 'card live-card', 'aria-labelledby': 'live-title' },
        h('h2', { id: 'live-title' }, 'Live view'),
        driving,
        live.element,
      ),
      h('div', { class: 'side' }, log.element, h('section', { class: 'card', 'aria-label': 'Task details' }, h('h2', {}, 'Details'), meta)),
    ),
  );

  function apply(next) {
    task = next;
    document.title = `${task.status} · ${shorten(task.instruction, 40)} · homebody`;
    const text = shorten(task.instruction || 'Task', 140);
    if (title.textContent !== text) title.textContent = text;
    updateBadge(status, task.status);
    fill(meta, metaList(task));
    const ended = TERMINAL.has(task.status);
    c.cancel.hidden = ended;
    c.takeover.hidden = !['running', 'halted'].includes(task.status);
    for (const b of [c.cancel, c.takeover, c.release]) b.disabled = busy;
    applyHalt();
    applyDriving();
    if (ended) live.ended(task.status);
    else live.poke();
  }

  function applyHalt() {
    const halted = task.status === 'halted' && task.halt;
    const held = halted ? (task.halt.held || []).map((item) => item.id) : [];
    const key = halted ? JSON.stringify([task.halt.step, task.halt.category, task.halt.reason, held]) : null;
    if (key === haltKey) return; // rebuilding would wipe a note being typed
    haltKey = key;
    fill(haltSlot, halted ? haltBanner(task, { act, takeOver }) : null);
    if (halted) notify(`The task is waiting for you: ${task.halt.category} — ${task.halt.reason}`, 'alert');
    else clearNotice();
  }

  function applyDriving() {
    const on = task.status === 'takeover';
    driving.hidden = !on;
    live.screen.classList.toggle('is-driving', on);
    live.screen.setAttribute('aria-label', on ? 'Live screen: you are driving, keys and clicks go to the page' : 'Live view of the task’s screen');
    if (on !== forwarder.enabled) notify(on ? 'You are driving: the agent is paused.' : 'The agent has the screen again.');
    forwarder.setEnabled(on);
    if (on && focusWhenDriving) {
      focusWhenDriving = false;
      live.screen.focus();
    }
  }

  async function refresh() {
    try {
      apply(await get(taskPath(id)));
    } catch (err) {
      showProblem(err);
    }
  }

  async function act(request, after) {
    busy = true;
    problem.hidden = true;
    for (const b of haltSlot.querySelectorAll('button')) b.disabled = true;
    try {
      const next = await request;
      busy = false;
      if (next && next.id) apply(next);
      if (after) after();
    } catch (err) {
      busy = false;
      showProblem(err);
      notify(err.message, 'error');
      haltKey = null; // re-enable the banner's buttons
      await refresh();
    }
  }

  function takeOver() {
    focusWhenDriving = true;
    notify('Asking the agent to stop…');
    act(post(taskPath(id, 'takeover'), {}, { timeoutMs: TAKEOVER_TIMEOUT_MS }));
  }

  c.cancel.addEventListener('click', () => act(post(taskPath(id, 'cancel'))));
  c.takeover.addEventListener('click', takeOver);
  c.release.addEventListener('click', () => act(post(taskPath(id, 'release')), () => live.screen.focus()));

  const stop = every(POLL_MS, async () => {
    if (!task || !TERMINAL.has(task.status)) await refresh();
  });
  return () => {
    stop();
    clearNotice();
    log.close();
    forwarder.close();
    live.close();
  };
}

// The schedules: tasks that run by themselves. Each shows what it does, when, its state, its next run
// (local time) and its last run, with Pause/Resume, Run now and Remove; its recent runs open in a
// details part. Refreshed every 3 s and updated in place, so focus, scroll and open details stay put.

import { del, get, post } from './api.js';
import { ago, every, fill, formatTime, h, notify, shorten } from './dom.js';
import { newScheduleForm } from './newschedule.js';

const REFRESH_MS = 3000;
const RUNS_SHOWN = 10;
const SIZES = [['d', 86400], ['h', 3600], ['min', 60]];

/** "every 2 h", "once at 24/12/2026, 08:00:00", "cron 0 8 * * * (Europe/Berlin)". */
export function describeTrigger(trigger) {
  if (trigger.kind === 'every') {
    const seconds = Number(trigger.seconds);
    const [unit, size] = SIZES.find(([, s]) => seconds >= s && seconds % s === 0) || ['s', 1];
    return `every ${seconds / size} ${unit}`;
  }
  if (trigger.kind === 'at') {
    const when = new Date(trigger.at);
    return `once at ${Number.isNaN(when.getTime()) ? trigger.at : when.toLocaleString()}`;
  }
  if (trigger.kind === 'cron') return `cron ${trigger.expr} (${trigger.tz})`;
  return String(trigger.kind);
}

function schedulePath(id, ...rest) {
  return ['/api/schedules', encodeURIComponent(id), ...rest].join('/');
}

const taskHref = (id) => `#/tasks/${encodeURIComponent(id)}`;
const isoTime = (epochSeconds) => new Date(epochSeconds * 1000).toISOString();

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function runItem(run) {
  return h(
    'li',
    { class: 'run', 'data-outcome': run.outcome },
    h('span', { class: `badge outcome-${run.outcome}` }, run.outcome),
    h('time', { datetime: isoTime(run.at) }, formatTime(run.at)),
    run.task_id ? h('a', { href: taskHref(run.task_id), class: 'run-task' }, `task ${run.task_id}`) : null,
    run.reason ? h('span', { class: 'run-reason' }, run.reason) : null,
  );
}

/** Puts ``s`` into its item's elements (text only where it changed); returns what it does, in short. */
function showSchedule(el, li, s) {
  const what = shorten(s.task.instruction || s.task.start_url || '(no instruction)', 100);
  setText(el.what, what);
  el.what.title = s.task.instruction || '';
  setText(el.url, s.task.instruction ? shorten(s.task.start_url, 100) : '');
  el.url.hidden = !s.task.instruction || !s.task.start_url;
  setText(el.state, s.state);
  el.state.className = `badge state-${s.state}`;
  li.dataset.state = s.state;
  setText(el.when, describeTrigger(s.trigger));
  setText(el.next, s.state === 'active' && s.next_run ? formatTime(s.next_run) : `— (${s.state})`);
  setText(el.count, String(s.runs));
  el.lastLink.hidden = !s.last_task_id;
  if (s.last_task_id) {
    el.lastLink.href = taskHref(s.last_task_id);
    setText(el.lastLink, s.last_run_at ? formatTime(s.last_run_at) : 'its task');
  }
  fill(el.lastAgo, s.last_task_id ? ago(s.last_run_at) : 'never');
  setText(el.notify, s.notify);
  const canPause = s.state === 'active' || s.state === 'paused';
  el.pause.hidden = !canPause;
  const verb = s.state === 'paused' ? 'Resume' : 'Pause';
  setText(el.pause, verb);
  el.pause.dataset.action = verb.toLowerCase();
  for (const [button, label] of [[el.pause, verb], [el.runNow, 'Run now'], [el.remove, 'Remove']]) {
    button.setAttribute('aria-label', `${label}: ${what}`);
  }
  return what;
}

/** One schedule's list item, built once and updated in place: {li, update(schedule), loadRuns()}. */
function scheduleItem(id, act) {
  const el = {
    what: h('h3', { class: 'schedule-what' }),
    url: h('p', { class: 'schedule-url muted' }),
    state: h('span', { class: 'badge' }),
    when: h('dd', { class: 'schedule-when' }),
    next: h('dd', { class: 'next-run' }),
    count: h('dd', { class: 'runs-count' }),
    lastLink: h('a', { class: 'last-task' }),
    lastAgo: h('span', { class: 'muted' }),
    notify: h('dd'),
    pause: h('button', { type: 'button', 'data-action': 'pause' }, 'Pause'),
    runNow: h('button', { type: 'button', 'data-action': 'run-now' }, 'Run now'),
    remove: h('button', { type: 'button', class: 'danger', 'data-action': 'remove' }, 'Remove'),
    runs: h('ol', { class: 'runs' }),
    noRuns: h('p', { class: 'muted' }, 'No runs yet.'),
  };
  const last = h('dd', { class: 'last-run' }, el.lastLink, ' ', el.lastAgo);
  const details = h('details', { class: 'schedule-runs' }, h('summary', {}, 'Recent runs'), el.noRuns, el.runs);
  const li = h(
    'li',
    { class: 'schedule', 'data-id': id },
    h('div', { class: 'schedule-head' }, el.state, el.what),
    el.url,
    h(
      'dl',
      { class: 'meta' },
      h('dt', {}, 'When'), el.when,
      h('dt', {}, 'Next run'), el.next,
      h('dt', {}, 'Runs'), el.count,
      h('dt', {}, 'Last run'), last,
      h('dt', {}, 'Notify'), el.notify,
    ),
    h('div', { class: 'actions' }, el.pause, el.runNow, el.remove),
    details,
  );
  let what = '';
  let shownRuns = '';
  let asked = 0;

  function update(schedule) {
    what = showSchedule(el, li, schedule);
  }

  async function loadRuns() {
    const mine = ++asked;
    const data = await get(`${schedulePath(id, 'runs')}?limit=${RUNS_SHOWN}`);
    if (mine !== asked) return; // a later request answers for this one
    const key = JSON.stringify(data.runs);
    if (key === shownRuns) return;
    shownRuns = key;
    el.noRuns.hidden = data.runs.length > 0;
    fill(el.runs, data.runs.map(runItem));
  }

  el.pause.addEventListener('click', () => act(el.pause.dataset.action, id, what));
  el.runNow.addEventListener('click', () => act('run-now', id, what));
  el.remove.addEventListener('click', () => act('remove', id, what));
  details.addEventListener('toggle', () => {
    if (details.open) loadRuns().catch((err) => notify(err.message, 'error'));
  });
  return { li, update, loadRuns, isOpen: () => details.open };
}

export function schedulesView(root) {
  document.title = 'Schedules · homebody';
  const list = h('ul', { class: 'schedules' });
  const empty = h('p', { class: 'muted', hidden: true }, 'No schedules yet. Make one with the form: it runs while the server runs.');
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const items = new Map();

  async function refresh() {
    try {
      const data = await get('/api/schedules');
      problem.hidden = true;
      const seen = new Set();
      for (const schedule of data.schedules) {
        seen.add(schedule.id);
        if (!items.has(schedule.id)) items.set(schedule.id, scheduleItem(schedule.id, act));
        items.get(schedule.id).update(schedule);
      }
      for (const [id, item] of items) {
        if (!seen.has(id)) {
          item.li.remove();
          items.delete(id);
        }
      }
      const order = data.schedules.map((s) => s.id);
      if (order.join('\n') !== [...list.children].map((li) => li.dataset.id).join('\n')) {
        list.replaceChildren(...order.map((id) => items.get(id).li));
      }
      empty.hidden = order.length > 0;
      await Promise.all([...items.values()].filter((item) => item.isOpen()).map((item) => item.loadRuns()));
    } catch (err) {
      problem.textContent = err.message;
      problem.hidden = false;
    }
  }

  async function act(action, id, what) {
    try {
      if (action === 'remove') {
        if (!window.confirm(`Remove the schedule “${what}”? The tasks it ran stay.`)) return;
        await del(schedulePath(id));
        notify(`Removed the schedule “${what}”.`);
      } else {
        await post(schedulePath(id, action));
        const done = { pause: 'Paused', resume: 'Resumed', 'run-now': 'Running now:' }[action];
        notify(`${done} “${what}”.`);
      }
    } catch (err) {
      notify(err.message, 'error');
    }
    await refresh();
  }

  const form = newScheduleForm((schedule) => {
    notify(`Schedule created; its next run is ${formatTime(schedule.next_run)}.`);
    refresh();
  });
  root.append(
    h('h1', { tabindex: '-1' }, 'Schedules'),
    h(
      'div',
      { class: 'list-layout' },
      h(
        'section',
        { 'aria-labelledby': 'schedules-title', class: 'card' },
        h('h2', { id: 'schedules-title' }, 'Tasks that run by themselves'),
        problem,
        empty,
        list,
      ),
      h('section', { 'aria-labelledby': 'new-schedule-title', class: 'card' }, form.element),
    ),
  );
  const stop = every(REFRESH_MS, refresh);
  return () => {
    stop();
    form.dispose();
  };
}

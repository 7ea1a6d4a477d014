// The task list (refreshed every 2 s, updated in place so focus and scroll stay put) and the new-task form.

import { get } from './api.js';
import { ago, badge, every, fill, h, shorten, updateBadge } from './dom.js';
import { newTaskForm } from './newtask.js';

const REFRESH_MS = 2000;

function row(task) {
  const cells = {
    status: badge(task.status),
    link: h('a', { href: `#/tasks/${encodeURIComponent(task.id)}` }),
    url: h('td', { class: 'url' }),
    session: h('td'),
    brain: h('td'),
    steps: h('td', { class: 'num' }),
    created: h('td'),
  };
  const tr = h(
    'tr',
    { 'data-id': task.id },
    h('td', {}, cells.status),
    h('td', { class: 'instruction' }, cells.link),
    cells.url,
    cells.session,
    cells.brain,
    cells.steps,
    cells.created,
  );
  return { tr, cells };
}

function updateRow(c, task) {
  updateBadge(c.status, task.status);
  const text = shorten(task.instruction || '(no instruction)', 90);
  if (c.link.textContent !== text) c.link.textContent = text;
  c.link.title = task.instruction || '';
  const url = shorten(task.start_url, 48);
  if (c.url.textContent !== url) c.url.textContent = url;
  c.url.title = task.start_url || '';
  const session = task.ephemeral ? 'ephemeral' : task.profile || 'default';
  if (c.session.textContent !== session) c.session.textContent = session;
  if (c.brain.textContent !== task.brain_kind) c.brain.textContent = task.brain_kind || '';
  const steps = `${task.steps ?? 0} / ${task.max_steps ?? '?'}`;
  if (c.steps.textContent !== steps) c.steps.textContent = steps;
  fill(c.created, ago(task.created_at));
}

function taskTable() {
  const tbody = h('tbody');
  const empty = h('p', { class: 'muted' }, 'No tasks yet. Create one with the form.');
  const table = h(
    'table',
    { class: 'tasks' },
    h('caption', { class: 'visually-hidden' }, 'Tasks, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Status', 'Task', 'Start URL', 'Session', 'Brain', 'Steps', 'Created'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    tbody,
  );
  const rows = new Map();
  function update(tasks) {
    empty.hidden = tasks.length > 0;
    table.hidden = tasks.length === 0;
    const seen = new Set();
    for (const task of tasks) {
      seen.add(task.id);
      let r = rows.get(task.id);
      if (!r) {
        r = row(task);
        rows.set(task.id, r);
      }
      updateRow(r.cells, task);
    }
    for (const [id, r] of rows) {
      if (!seen.has(id)) {
        r.tr.remove();
        rows.delete(id);
      }
    }
    // Re-order only when the order changed: moving a row would take focus away from its link.
    const order = tasks.map((t) => t.id);
    const current = [...tbody.children].map((tr) => tr.dataset.id);
    if (order.join('\n') !== current.join('\n')) tbody.replaceChildren(...order.map((id) => rows.get(id).tr));
  }
  return { element: h('div', { class: 'table-wrap' }, empty, table), update };
}

export function taskListView(root) {
  document.title = 'Tasks · homebody';
  const table = taskTable();
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = newTaskForm((task) => {
    location.hash = `#/tasks/${encodeURIComponent(task.id)}`;
  });
  root.append(
    h('h1', { tabindex: '-1' }, 'Tasks'),
    h(
      'div',
      { class: 'list-layout' },
      h('section', { 'aria-labelledby': 'list-title', class: 'card' }, h('h2', { id: 'list-title' }, 'All tasks'), problem, table.element),
      h('section', { 'aria-labelledby': 'new-title', class: 'card' }, form.element),
    ),
  );
  const stop = every(REFRESH_MS, async () => {
    try {
      const data = await get('/api/tasks');
      problem.hidden = true;
      table.update(data.tasks || []);
    } catch (err) {
      problem.textContent = err.message;
      problem.hidden = false;
    }
  });
  return () => {
    stop();
    form.dispose();
  };
}

// The inbox: every finished task's outcome and answer, newest first, unread ones marked. Opening one
// (its replay) or "Mark all read" marks it read on the server; the nav link shows the unread count.

import { get, post } from './api.js';
import { ago, badge, every, fill, h, notify, shorten } from './dom.js';

const REFRESH_MS = 3000;
const COUNT_REFRESH_MS = 10000;

/** Keeps the nav link's unread count current (on every page); returns stop(). */
export function watchUnread(countEl) {
  return every(COUNT_REFRESH_MS, async () => showUnread(countEl, (await get('/api/inbox?limit=1')).unread));
}

function showUnread(countEl, unread) {
  if (!countEl) return;
  countEl.hidden = !unread;
  countEl.textContent = unread ? String(unread) : '';
  countEl.title = unread ? `${unread} unread` : '';
  const link = countEl.closest('a');
  if (link) link.setAttribute('aria-label', unread ? `Inbox, ${unread} unread` : 'Inbox');
}

async function markRead(body) {
  const data = await post('/api/inbox/read', body);
  showUnread(document.getElementById('inbox-count'), data.unread);
  return data;
}

function item(entry) {
  const { task, read, replay } = entry;
  const open = async (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    try {
      if (!read) await markRead({ ids: [task.id] });
    } catch (err) {
      console.warn(err); // the replay opens all the same; the task stays unread
    }
    location.href = replay;
  };
  const outcome = task.answer || task.reason || '(no answer)';
  return h(
    'li',
    { class: read ? 'inbox-item' : 'inbox-item unread', 'data-id': task.id, 'data-read': String(read) },
    h('span', { class: 'unread-dot', 'aria-hidden': 'true' }, read ? '' : '●'),
    read ? null : h('span', { class: 'visually-hidden' }, 'Unread: '),
    badge(task.status),
    h(
      'div',
      { class: 'inbox-text' },
      h('a', { href: replay, class: 'inbox-open', title: task.instruction || '', onclick: open }, shorten(task.instruction || '(no instruction)', 100)),
      h('p', { class: task.answer ? 'inbox-answer' : 'inbox-answer muted' }, shorten(outcome, 300)),
    ),
    h('span', { class: 'inbox-when' }, ago(task.ended_at), ' · ', h('a', { href: `#/tasks/${encodeURIComponent(task.id)}` }, 'details')),
  );
}

export function inboxView(root) {
  document.title = 'Inbox · homebody';
  const list = h('ul', { class: 'inbox' });
  const empty = h('p', { class: 'muted', hidden: true }, 'Nothing here yet: finished tasks land in the inbox.');
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const markAll = h('button', { type: 'button', 'data-action': 'mark-all-read' }, 'Mark all read');
  let shown = '';

  async function refresh() {
    try {
      const data = await get('/api/inbox?limit=200');
      problem.hidden = true;
      showUnread(document.getElementById('inbox-count'), data.unread);
      markAll.disabled = !data.unread;
      const key = JSON.stringify(data.items);
      if (key === shown) return; // unchanged: keep focus and scroll where they are
      shown = key;
      empty.hidden = data.items.length > 0;
      fill(list, data.items.map(item));
    } catch (err) {
      problem.textContent = err.message;
      problem.hidden = false;
    }
  }

  markAll.addEventListener('click', async () => {
    try {
      await markRead({ all: true });
      notify('Every finished task is marked read.');
    } catch (err) {
      notify(err.message, 'error');
    }
    await refresh();
  });

  root.append(
    h('h1', { tabindex: '-1' }, 'Inbox'),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'inbox-title' },
      h('div', { class: 'actions' }, h('h2', { id: 'inbox-title' }, 'Finished tasks, newest first'), markAll),
      problem,
      empty,
      list,
    ),
  );
  return every(REFRESH_MS, refresh);
}

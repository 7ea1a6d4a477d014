// The homebody web page: a hash router over its views. Each view is a function (root, params) that
// builds its DOM and returns a dispose() which closes its sockets, streams and timers.

import { setUnauthorizedHandler } from './api.js';
import { h } from './dom.js';
import { inboxView, watchUnread } from './inbox.js';
import { profilesView } from './profiles.js';
import { schedulesView } from './schedules.js';
import { taskView } from './task.js';
import { taskListView } from './tasks.js';

const ROUTES = [
  { pattern: /^#?\/?(tasks\/?)?$/, view: taskListView, nav: 'tasks' },
  { pattern: /^#\/tasks\/([^/]+)\/replay\/?$/, view: replayPage, nav: 'tasks' },
  { pattern: /^#\/tasks\/([^/]+)\/?$/, view: taskView, nav: 'tasks' },
  { pattern: /^#\/inbox\/?$/, view: inboxView, nav: 'inbox' },
  { pattern: /^#\/schedules\/?$/, view: schedulesView, nav: 'schedules' },
  { pattern: /^#\/profiles\/?$/, view: profilesView, nav: 'profiles' },
];

const main = document.getElementById('main');
let dispose = null;

/** A replay is a page of its own, made on the server (the page the HTML export is made of), so the
 *  app never puts server-made HTML into its own document; the app's old replay address leads there. */
function replayPage(root, id) {
  root.append(h('p', { class: 'muted' }, 'Opening the replay…'));
  location.replace(`/tasks/${encodeURIComponent(id)}/replay`);
}

function notFound(root) {
  root.append(h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the task list')));
}

function render(focus) {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/') && hash !== '#') return; // in-page anchors are not routes
  if (dispose) dispose();
  dispose = null;
  main.replaceChildren();
  const route = ROUTES.find((r) => r.pattern.test(hash));
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (route && link.dataset.nav === route.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!route) {
    notFound(main);
  } else {
    const params = hash.match(route.pattern).slice(1).map((p) => (p ? decodeURIComponent(p) : p));
    dispose = route.view(main, ...params) || null;
  }
  // Keyboard and screen-reader users land on the new view's heading, as after a page load.
  if (focus) {
    const heading = main.querySelector('h1');
    if (heading) heading.focus({ preventScroll: false });
  }
}

setUnauthorizedHandler(() => {
  document.getElementById('signin').hidden = false;
});

document.getElementById('skip').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

window.addEventListener('hashchange', () => render(true));
render(false);
watchUnread(document.getElementById('inbox-count'));

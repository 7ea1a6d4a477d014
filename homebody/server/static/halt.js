// The halt banner: what the agent was about to do, the crop of the screen around its target, and
// the person's answer (approve, reject with a note, or take over). When the action already ran and
// what it would send is held in the browser (``halt.held``), the banner lists each held request:
// method, URL, fields, operation, category and reason. Every string here came from a page or a
// model: it reaches the page only as text (``h`` makes text nodes), never as HTML.

import { post } from './api.js';
import { frameUrl, h, taskPath } from './dom.js';

const GRANTS = [
  ['', 'Only this action'],
  ['task', 'Also allow this kind of action on this site for the rest of the task'],
  ['timed', 'Also allow it on this site for 10 minutes'],
];

const KINDS = { navigation: 'a navigation', websocket: 'a WebSocket message' };

/** One held request as a list item: what it would send, then why it is held. */
function heldItem(item) {
  const out = item.outgoing || {};
  const fields = Array.isArray(out.fields) ? out.fields.join(', ') : '';
  const fact = (name, value, cls) => (value ? h('span', { class: `held-fact ${cls}` }, h('b', {}, `${name} `), String(value)) : null);
  return h(
    'li',
    { class: `held-item held-${String(out.kind || 'request')}`, 'data-id': item.id ?? '' },
    h('span', { class: 'held-request' }, h('code', { class: 'held-method' }, String(out.method || '?')), ' ', h('span', { class: 'held-url' }, String(out.url || ''))),
    fact('As', KINDS[out.kind], 'held-kind'),
    fact('Fields', fields, 'held-fields'),
    fact('Operation', out.operation, 'held-operation'),
    out.top_level === false ? fact('Sent by', out.frame_url, 'held-frame') : null,
    h('span', { class: 'held-why' }, h('span', { class: 'held-category' }, String(item.category || '?')), ' ', h('span', { class: 'held-reason' }, String(item.reason || ''))),
  );
}

/** Build the banner for ``task.halt``. ``act(promise)`` runs an answer and updates the page. */
export function haltBanner(task, { act, takeOver }) {
  const halt = task.halt || {};
  const held = Array.isArray(halt.held) ? halt.held : [];
  const note = h('input', { type: 'text', id: 'halt-note', maxlength: 2000, autocomplete: 'off' });
  const grant = h('select', { id: 'halt-grant' }, GRANTS.map(([v, t]) => h('option', { value: v }, t)));
  const approve = h('button', { type: 'button', class: 'primary', 'data-action': 'approve' }, 'Approve');
  const reject = h('button', { type: 'button', class: 'danger', 'data-action': 'reject' }, 'Reject');
  const takeover = h('button', { type: 'button', 'data-action': 'takeover' }, 'Take over');
  const crop = halt.crop
    ? h(
        'figure',
        { class: 'halt-crop' },
        h('img', { src: frameUrl(task.id, halt.crop), alt: `The screen around the target of the halted action` }),
        h('figcaption', {}, 'Around the target, as the agent saw it'),
      )
    : null;
  const noteBody = () => (note.value.trim() ? { note: note.value.trim() } : {});
  approve.addEventListener('click', () => {
    const body = noteBody();
    if (grant.value) body.grant = grant.value;
    if (grant.value === 'timed') body.grant_seconds = 600;
    act(post(taskPath(task.id, 'approve'), body));
  });
  reject.addEventListener('click', () => act(post(taskPath(task.id, 'reject'), noteBody())));
  takeover.addEventListener('click', () => takeOver());

  return h(
    'section',
    { class: 'halt', 'aria-labelledby': 'halt-title', 'data-step': halt.step ?? '' },
    held.length
      ? h('h2', { id: 'halt-title' }, 'Waiting for you: holding what the agent’s action would send (', h('span', { class: 'halt-category' }, halt.category || 'change'), ')')
      : h('h2', { id: 'halt-title' }, 'Waiting for you: the agent stopped before a ', h('span', { class: 'halt-category' }, halt.category || 'sensitive'), ' action'),
    h(
      'div',
      { class: 'halt-body' },
      crop,
      h(
        'dl',
        { class: 'halt-facts' },
        h('dt', {}, 'Category'),
        h('dd', { class: 'halt-category-value' }, halt.category || '?'),
        h('dt', {}, 'Why'),
        h('dd', { class: 'halt-reason' }, halt.reason || ''),
        h('dt', {}, 'Action'),
        h(
          'dd',
          {},
          halt.description || (halt.action && halt.action.kind) || '?',
          halt.step ? ` (step ${halt.step})` : '',
          held.length ? ' — done; nothing it sends leaves the browser until you answer' : '',
        ),
        halt.target_text ? [h('dt', {}, 'Target'), h('dd', { class: 'halt-target' }, halt.target_text)] : null,
        held.length
          ? [
              h('dt', {}, held.length === 1 ? 'Held request' : `Held requests (${held.length})`),
              h('dd', {}, h('ol', { class: 'held', 'aria-label': 'Held requests' }, held.map(heldItem))),
            ]
          : null,
      ),
    ),
    h(
      'div',
      { class: 'halt-form' },
      h('div', { class: 'field' }, h('label', { for: 'halt-note' }, 'Note for the agent (optional)'), note),
      h('div', { class: 'field' }, h('label', { for: 'halt-grant' }, 'When approving'), grant),
      h('div', { class: 'actions' }, approve, reject, takeover),
    ),
  );
}

// The halt banner: what the agent was about to do, the crop of the screen around its target, and
// the person's answer (approve, reject with a note, or take over).

import { post } from './api.js';
import { frameUrl, h, taskPath } from './dom.js';

const GRANTS = [
  ['', 'Only this action'],
  ['task', 'Also allow this kind of action on this site for the rest of the task'],
  ['timed', 'Also allow it on this site for 10 minutes'],
];

/** Build the banner for ``task.halt``. ``act(promise)`` runs an answer and updates the page. */
export function haltBanner(task, { act, takeOver }) {
  const halt = task.halt || {};
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
    h('h2', { id: 'halt-title' }, 'Waiting for you: the agent stopped before a ', h('span', { class: 'halt-category' }, halt.category || 'sensitive'), ' action'),
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
        h('dd', {}, halt.description || (halt.action && halt.action.kind) || '?', halt.step ? ` (step ${halt.step})` : ''),
        halt.target_text ? [h('dt', {}, 'Target'), h('dd', { class: 'halt-target' }, halt.target_text)] : null,
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

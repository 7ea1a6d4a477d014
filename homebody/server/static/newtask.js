// The new-task form. Validation is the server's: its 4xx message is shown next to the field it
// names (only the script's JSON, which the server never sees unparsed, is checked here).

import { get, post } from './api.js';
import { h } from './dom.js';

const EXAMPLE_SCRIPT = '[\n  {"kind": "click", "x": 640, "y": 400},\n  {"kind": "type", "text": "hello"}\n]';
const BRAINS = [
  ['steps', 'Steps (built-in instruction follower)'],
  ['script', 'Script (a JSON list of actions)'],
  ['openai', 'OpenAI-compatible server (local VLM)'],
  ['transformers', 'Transformers (model in-process)'],
];

let uid = 0;

/** A labelled control with its own error line: {wrap, control, error}. */
export function field(label, control, hint) {
  const id = control.id || `f${++uid}`;
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, control, error);
  return { wrap, control, error, hint: hintEl };
}

function showError(f, message) {
  f.error.textContent = message;
  f.error.hidden = false;
  f.control.setAttribute('aria-invalid', 'true');
  f.control.setAttribute('aria-describedby', [f.hint && f.hint.id, f.error.id].filter(Boolean).join(' '));
}

function clearError(f) {
  f.error.hidden = true;
  f.error.textContent = '';
  f.control.removeAttribute('aria-invalid');
  if (f.hint) f.control.setAttribute('aria-describedby', f.hint.id);
  else f.control.removeAttribute('aria-describedby');
}

/** Which of ``names`` a message names: the earliest mention, the longest name on a tie. */
export function fieldNamed(message, names) {
  let best = null;
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`(^|[^A-Za-z0-9_])${escaped}($|[^A-Za-z0-9_])`).exec(message);
    if (!match) continue;
    const at = match.index + match[1].length;
    if (!best || at < best.at || (at === best.at && name.length > best.name.length)) best = { name, at };
  }
  return best && best.name;
}

function buildFields() {
  const f = {
    instruction: field('Instruction', h('textarea', { rows: 3, name: 'instruction', placeholder: 'Buy the espresso maker' })),
    start_url: field(
      'Start URL',
      h('input', { type: 'text', inputmode: 'url', name: 'start_url', autocomplete: 'off', spellcheck: 'false', placeholder: 'https://…' }),
    ),
    profile: field('Profile', h('select', { name: 'profile' }), 'Logged-in browser profile to use.'),
    brain: field('Brain', h('select', { name: 'brain' }, BRAINS.map(([v, t]) => h('option', { value: v }, t)))),
    steps: field(
      'Script steps (JSON)',
      h('textarea', { rows: 6, name: 'steps', class: 'mono', spellcheck: 'false', placeholder: EXAMPLE_SCRIPT }),
      'Actions run in order: click, type, key, scroll, navigate, wait, done (CSS pixels of a 1280×800 viewport).',
    ),
    base_url: field('Server base URL', h('input', { type: 'text', name: 'base_url', placeholder: 'http://127.0.0.1:8000/v1', spellcheck: 'false' })),
    openai_model: field('Model', h('input', { type: 'text', name: 'model', spellcheck: 'false' })),
    tf_model: field('Model', h('input', { type: 'text', name: 'tf_model', spellcheck: 'false', placeholder: 'a local model folder or name' })),
    max_steps: field('Max steps', h('input', { type: 'number', name: 'max_steps', min: 1, max: 500, value: 50 })),
    sites: field(
      'Sites this task may also act on',
      h('input', { type: 'text', name: 'sites', autocomplete: 'off', spellcheck: 'false', placeholder: 'pay.example, shop.example:8443' }),
      'Besides the start URL’s site, separated by commas or spaces. Anything sent elsewhere waits for your OK.',
    ),
    ask: checkboxField(
      'Ask before every change',
      h('input', { type: 'checkbox', name: 'ask', value: 'every-change' }),
      'Not only before purchases, messages and deletes: before every change the task sends to a server.',
    ),
  };
  return f;
}

/** A checkbox with its label beside it, a hint and its own error line (the shape ``field`` returns). */
function checkboxField(label, control, hint) {
  const id = `f${++uid}`;
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const hintEl = h('p', { class: 'hint', id: `${id}-hint` }, hint);
  control.setAttribute('aria-describedby', hintEl.id);
  const wrap = h('div', { class: 'field' }, h('div', { class: 'choice' }, control, h('label', { for: id }, label)), hintEl, error);
  return { wrap, control, error, hint: hintEl };
}

/** The sites typed into the form, in order: commas, spaces and line breaks separate them. */
export function splitSites(text) {
  return String(text || '').split(/[\s,]+/).filter(Boolean);
}

function sessionFieldset(f) {
  const n = ++uid;
  const useProfile = h('input', { type: 'radio', name: `session${n}`, value: 'profile', id: `s${n}-use-profile`, checked: true });
  const ephemeral = h('input', { type: 'radio', name: `session${n}`, value: 'ephemeral', id: `s${n}-ephemeral` });
  const error = h('p', { class: 'field-error', id: `s${n}-session-error`, hidden: true });
  const set = h(
    'fieldset',
    { class: 'session' },
    h('legend', {}, 'Browser session'),
    h('div', { class: 'choice' }, useProfile, h('label', { for: useProfile.id }, 'A profile (keeps cookies and logins)')),
    f.profile.wrap,
    h('div', { class: 'choice' }, ephemeral, h('label', { for: ephemeral.id }, 'Ephemeral (a fresh browser, nothing kept)')),
    error,
  );
  const sync = () => {
    f.profile.control.disabled = ephemeral.checked;
  };
  useProfile.addEventListener('change', sync);
  ephemeral.addEventListener('change', sync);
  return { set, ephemeral, ephemeralField: { control: ephemeral, error } };
}

async function loadProfiles(select) {
  let names = [];
  try {
    const data = await get('/api/profiles');
    names = (data.profiles || []).map((p) => p.name);
  } catch {
    names = [];
  }
  if (!names.includes('default')) names.unshift('default');
  const previous = select.value || 'default';
  select.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
  select.value = names.includes(previous) ? previous : 'default';
}

/** The names a server message may start with for a task's fields (the body of ``POST /api/tasks``). */
export const TASK_FIELD_NAMES = ['instruction', 'start_url', 'profile', 'ephemeral', 'brain.kind', 'brain.steps',
  'brain.model', 'brain.base_url', 'brain', 'steps', 'model', 'base_url', 'max_steps', 'sites', 'ask'];

/** Every field of a task (what ``POST /api/tasks`` takes), for any form that makes one: the new-task
 *  form and the new-schedule form. {elements, fields(), fieldFor(name, loc), body()}. */
export function taskFields() {
  const f = buildFields();
  const session = sessionFieldset(f);
  const brainGroups = {
    script: h('div', { class: 'brain-opts' }, f.steps.wrap),
    openai: h('div', { class: 'brain-opts' }, f.base_url.wrap, f.openai_model.wrap),
    transformers: h('div', { class: 'brain-opts' }, f.tf_model.wrap),
  };
  const syncBrain = () => {
    for (const [kind, group] of Object.entries(brainGroups)) group.hidden = f.brain.control.value !== kind;
  };
  f.brain.control.addEventListener('change', syncBrain);
  syncBrain();
  loadProfiles(f.profile.control);
  const elements = [
    f.instruction.wrap,
    f.start_url.wrap,
    session.set,
    f.brain.wrap,
    Object.values(brainGroups),
    f.max_steps.wrap,
    h('fieldset', { class: 'scope' }, h('legend', {}, 'Scope and asking'), f.sites.wrap, f.ask.wrap),
  ];

  /** The field a message names (one of TASK_FIELD_NAMES), or a pydantic-style location. */
  function fieldFor(name, loc) {
    const kind = f.brain.control.value;
    const model = kind === 'transformers' ? f.tf_model : f.openai_model;
    const byName = {
      instruction: f.instruction, start_url: f.start_url, profile: f.profile, ephemeral: session.ephemeralField,
      brain: f.brain, kind: f.brain, 'brain.kind': f.brain, steps: f.steps, 'brain.steps': f.steps,
      model, 'brain.model': model, base_url: f.base_url, 'brain.base_url': f.base_url, max_steps: f.max_steps,
      sites: f.sites, ask: f.ask,
    };
    if (loc && loc.length) {
      for (const part of ['steps', 'model', 'base_url']) if (loc.includes(part)) return byName[part];
      return byName[loc[0]] || null;
    }
    return name ? byName[name] || null : null;
  }

  /** The task's body; throws (with ``loc``) when the script's JSON does not parse. */
  function body() {
    const data = { instruction: f.instruction.control.value, start_url: f.start_url.control.value.trim() };
    if (session.ephemeral.checked) data.ephemeral = true;
    else data.profile = f.profile.control.value || null;
    const kind = f.brain.control.value;
    if (kind === 'script') {
      let steps;
      try {
        steps = JSON.parse(f.steps.control.value || '[]');
      } catch (e) {
        throw Object.assign(new Error(`steps: not valid JSON (${e.message})`), { loc: ['brain', 'steps'] });
      }
      if (!Array.isArray(steps)) throw Object.assign(new Error('steps: must be a JSON list of actions'), { loc: ['brain', 'steps'] });
      data.brain = { kind, steps };
    } else if (kind === 'openai') {
      data.brain = { kind, base_url: f.base_url.control.value.trim(), model: f.openai_model.control.value.trim() };
    } else if (kind === 'transformers') {
      data.brain = { kind, model: f.tf_model.control.value.trim() };
    } else {
      data.brain = { kind };
    }
    const max = f.max_steps.control.value.trim();
    if (max !== '') data.max_steps = /^-?\d+$/.test(max) ? Number(max) : max;
    const sites = splitSites(f.sites.control.value);
    if (sites.length) data.sites = sites;
    if (f.ask.control.checked) data.ask = 'every-change';
    return data;
  }

  return { elements, fields: () => [...Object.values(f), session.ephemeralField], fieldFor, body };
}

/** Puts a server error next to the fields it names. The server joins several problems with "; ",
 *  each starting with the field it is about; ``place(part, loc)`` says which field (null: the form's
 *  own error line). ``fields`` is every field in page order: the first one in error takes focus. */
export function reportErrors(err, place, fields, formError) {
  const parts = err.loc ? [err.message] : err.message.split(/;\s+(?=[A-Za-z_][\w.[\]]*:)/);
  const byField = new Map();
  const general = [];
  for (const part of parts) {
    const target = place(part, err.loc);
    if (!target) general.push(part);
    else byField.set(target, [...(byField.get(target) || []), part]);
  }
  for (const [target, messages] of byField) showError(target, messages.join(' '));
  if (general.length) {
    formError.textContent = general.join(' ');
    formError.hidden = false;
  }
  const first = fields.find((x) => byField.has(x));
  if (first) first.control.focus();
}

/** Clears every field's error and the form's own error line. */
export function clearErrors(fields, formError) {
  for (const x of fields) clearError(x);
  formError.hidden = true;
  formError.textContent = '';
}

export function newTaskForm(onCreated) {
  const task = taskFields();
  const formError = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create task');
  const form = h(
    'form',
    { novalidate: true, class: 'new-task', 'aria-labelledby': 'new-title' },
    h('h2', { id: 'new-title' }, 'New task'),
    task.elements,
    formError,
    h('div', { class: 'actions' }, submit),
  );
  const place = (part, loc) => task.fieldFor(loc ? null : fieldNamed(part, TASK_FIELD_NAMES), loc);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(task.fields(), formError);
    submit.disabled = true;
    try {
      onCreated(await post('/api/tasks', task.body()));
    } catch (err) {
      reportErrors(err, place, task.fields(), formError);
    } finally {
      submit.disabled = false;
    }
  });
  return { element: form, dispose() {} };
}

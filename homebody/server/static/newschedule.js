// The new-schedule form: a task (the new-task form's own fields) and when it runs. As there, the
// server validates; its 422 message lands next to the field it names ("task.start_url: …",
// "trigger.seconds: …").

import { post } from './api.js';
import { h } from './dom.js';
import { clearErrors, field, fieldNamed, reportErrors, TASK_FIELD_NAMES, taskFields } from './newtask.js';

const UNITS = [['s', 'seconds', 1], ['m', 'minutes', 60], ['h', 'hours', 3600], ['d', 'days', 86400]];
const KINDS = [['every', 'Every'], ['at', 'Once, at a moment'], ['cron', 'On a cron schedule']];
const NOTIFY = [
  ['halt', 'When a run halts and needs you'],
  ['finish', 'When a run halts or finishes'],
  ['never', 'Never'],
];

let uid = 0;

export function localZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A datetime-local value ("2026-12-24T08:00") as ISO 8601 with this browser's offset at that
 *  moment (daylight saving included); what the browser cannot read goes as it is, for the server
 *  to name. */
export function withOffset(value) {
  const when = new Date(value);
  if (!value || Number.isNaN(when.getTime())) return value;
  const minutes = -when.getTimezoneOffset();
  const abs = Math.abs(minutes);
  const pad = (n) => String(n).padStart(2, '0');
  const seconds = /T\d\d:\d\d$/.test(value) ? ':00' : '';
  return `${value}${seconds}${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function zoneList() {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return h('datalist', { id: `zones${++uid}` }, zones.map((zone) => h('option', { value: zone })));
}

/** The "When" fieldset: {set, fields, byName, trigger()}. */
function whenFields() {
  const n = ++uid;
  const zones = zoneList();
  const f = {
    every: field('Interval', h('input', { type: 'number', name: 'every', min: 1, step: 'any', value: 1 })),
    unit: field('Unit', h('select', { name: 'unit' }, UNITS.map(([v, t]) => h('option', { value: v, selected: v === 'h' }, t)))),
    at: field('Date and time', h('input', { type: 'datetime-local', name: 'at' }), `In this browser’s time zone (${localZone()}).`),
    expr: field(
      'Cron expression',
      h('input', { type: 'text', name: 'expr', autocomplete: 'off', spellcheck: 'false', placeholder: '0 8 * * 1-5', class: 'mono' }),
      'Five fields: minute hour day-of-month month weekday.',
    ),
    tz: field('Time zone', h('input', { type: 'text', name: 'tz', autocomplete: 'off', spellcheck: 'false', list: zones.id, value: localZone() })),
  };
  const groups = {
    every: h('div', { class: 'when-opts when-every' }, f.every.wrap, f.unit.wrap),
    at: h('div', { class: 'when-opts' }, f.at.wrap),
    cron: h('div', { class: 'when-opts' }, f.expr.wrap, f.tz.wrap, zones),
  };
  const radios = {};
  const choices = KINDS.map(([kind, label]) => {
    radios[kind] = h('input', { type: 'radio', name: `when${n}`, value: kind, id: `w${n}-${kind}`, checked: kind === 'every' });
    return [h('div', { class: 'choice' }, radios[kind], h('label', { for: radios[kind].id }, label)), groups[kind]];
  });
  const kind = () => Object.keys(radios).find((k) => radios[k].checked) || 'every';
  const sync = () => {
    for (const [k, group] of Object.entries(groups)) group.hidden = k !== kind();
  };
  for (const radio of Object.values(radios)) radio.addEventListener('change', sync);
  sync();

  function trigger() {
    const chosen = kind();
    if (chosen === 'at') return { kind: chosen, at: withOffset(f.at.control.value) };
    if (chosen === 'cron') return { kind: chosen, expr: f.expr.control.value.trim(), tz: f.tz.control.value.trim() || localZone() };
    const raw = f.every.control.value.trim();
    const size = UNITS.find(([v]) => v === f.unit.control.value)[2];
    const count = Number(raw);
    return { kind: chosen, seconds: raw !== '' && Number.isFinite(count) ? count * size : raw };
  }
  // Where the server's "trigger…" messages go (the zone's check names "trigger.expr time zone").
  const byName = () => ({
    trigger: { every: f.every, at: f.at, cron: f.expr }[kind()],
    'trigger.kind': { every: f.every, at: f.at, cron: f.expr }[kind()],
    'trigger.seconds': f.every, 'trigger.at': f.at, 'trigger.expr': f.expr, 'trigger.tz': f.tz, 'trigger.expr time zone': f.tz,
  });
  const set = h('fieldset', { class: 'when' }, h('legend', {}, 'When'), choices);
  return { set, fields: () => Object.values(f), byName, trigger };
}

export function newScheduleForm(onCreated) {
  const task = taskFields();
  const when = whenFields();
  const notify = field('Notify', h('select', { name: 'notify' }, NOTIFY.map(([v, t]) => h('option', { value: v }, t))),
    'Through the server’s webhook and desktop notices.');
  const formError = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create schedule');
  const form = h(
    'form',
    { novalidate: true, class: 'new-schedule', 'aria-labelledby': 'new-schedule-title' },
    h('h2', { id: 'new-schedule-title' }, 'New schedule'),
    task.elements,
    when.set,
    notify.wrap,
    formError,
    h('div', { class: 'actions' }, submit),
  );
  const fields = () => [...task.fields(), ...when.fields(), notify];
  const triggerNames = Object.keys(when.byName());
  const names = [...TASK_FIELD_NAMES.flatMap((name) => [`task.${name}`, name]), ...triggerNames, 'notify'];
  function place(part, loc) {
    if (loc) return task.fieldFor(null, loc[0] === 'task' ? loc.slice(1) : loc);
    const name = fieldNamed(part, names);
    if (!name) return null;
    if (name === 'notify') return notify;
    if (triggerNames.includes(name)) return when.byName()[name];
    return task.fieldFor(name.replace(/^task\./, ''));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields(), formError);
    submit.disabled = true;
    try {
      const body = { task: task.body(), trigger: when.trigger(), notify: notify.control.value };
      onCreated(await post('/api/schedules', body));
    } catch (err) {
      reportErrors(err, place, fields(), formError);
    } finally {
      submit.disabled = false;
    }
  });
  return { element: form, dispose() {} };
}

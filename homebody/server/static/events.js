// Task events (homebody.events) as short human sentences: shared by the live event log and the replay.

import { h, clockTime, shorten } from './dom.js';

const num = (v) => (Number.isFinite(Number(v)) ? Math.round(Number(v)) : '?');

/** One action of the brain's closed action union, as a short phrase. */
export function describeAction(action) {
  if (!action || typeof action !== 'object') return 'unknown action';
  switch (action.kind) {
    case 'click': {
      const extra = [action.button && action.button !== 'left' ? action.button : '', action.count === 2 ? 'double' : '']
        .filter(Boolean)
        .join(' ');
      return `${extra ? `${extra} ` : ''}click at (${num(action.x)}, ${num(action.y)})`;
    }
    case 'type':
      return `type “${shorten(action.text, 60)}”`;
    case 'key':
      return `press ${(action.keys || []).join('+')}`;
    case 'scroll':
      return `scroll by (${num(action.dx)}, ${num(action.dy)}) at (${num(action.x)}, ${num(action.y)})`;
    case 'navigate':
      return `go to ${action.url}`;
    case 'wait':
      return `wait ${action.seconds} s`;
    case 'done':
      return action.answer ? `done: ${action.answer}` : 'done';
    default:
      return String(action.kind || 'unknown action');
  }
}

/** A person's input during a takeover. */
export function describeInput(input) {
  if (!input) return 'input';
  switch (input.kind) {
    case 'text':
      return `typed “${shorten(input.text, 60)}”`;
    case 'key':
      return `pressed ${input.key}`;
    case 'wheel':
      return `scrolled (${num(input.dx)}, ${num(input.dy)})`;
    case 'click':
      return `${input.count === 2 ? 'double-' : ''}clicked at (${num(input.x)}, ${num(input.y)})`;
    default:
      return `${input.kind} at (${num(input.x)}, ${num(input.y)})`;
  }
}

function verdictText(ev) {
  return [ev.verdict, ev.category, ev.reason].filter(Boolean).join(' · ');
}

/** {kind, title, text, tone} for one event: kind is a short label, tone picks the colour. */
export function describeEvent(ev) {
  switch (ev.type) {
    case 'task_started':
      return { kind: 'start', text: `Started “${shorten(ev.instruction, 100)}” on ${ev.start_url} (${ev.brain})` };
    case 'observed':
      return { kind: 'saw', text: ev.title || ev.url ? `${shorten(ev.title, 60)} ${ev.url ? `— ${ev.url}` : ''}` : 'screen', tone: 'muted' };
    case 'proposed':
      return { kind: 'thought', text: describeAction(ev.action), note: ev.thought, tone: 'brain' };
    case 'checked':
      return { kind: `check: ${ev.checker}`, text: verdictText(ev), tone: ev.verdict === 'allow' ? 'ok' : 'warn' };
    case 'halted':
      return { kind: 'halted', text: `${ev.category}: ${ev.reason}`, note: `before ${describeAction(ev.action)}`, tone: 'alert' };
    case 'approved':
      return { kind: 'approved', text: `by ${ev.by}`, note: ev.note, tone: 'ok' };
    case 'rejected':
      return { kind: 'rejected', text: `by ${ev.by}`, note: ev.note, tone: 'warn' };
    case 'granted':
      return { kind: 'granted', text: `${ev.category} on ${ev.site} (${ev.scope})`, tone: 'ok' };
    case 'skipped':
      return { kind: 'skipped', text: describeAction(ev.action), note: ev.reason, tone: 'warn' };
    case 'executed':
      return { kind: ev.ok ? 'did' : 'failed', text: describeAction(ev.action), note: ev.error, tone: ev.ok ? '' : 'alert' };
    case 'verified':
      return { kind: 'verifier', text: `effect: ${ev.effect}`, note: ev.note, tone: ev.effect === 'none' ? 'warn' : 'muted' };
    case 'takeover_started':
      return { kind: 'takeover', text: `${ev.by} took over`, tone: 'human' };
    case 'human_input':
      return { kind: 'human', text: describeInput(ev.input), note: ev.ok ? '' : ev.error, tone: 'human' };
    case 'takeover_ended':
      return { kind: 'handed back', text: `by ${ev.by}`, note: ev.summary, tone: 'human' };
    case 'finished':
      return {
        kind: 'finished',
        text: `${ev.outcome}${ev.reason ? `: ${ev.reason}` : ''}`,
        note: ev.answer ? `answer: ${ev.answer}` : '',
        tone: ev.outcome === 'done' ? 'ok' : 'alert',
      };
    default:
      return { kind: String(ev.type || 'event'), text: '' };
  }
}

/** One <li> for an event log. */
export function eventItem(ev) {
  const d = describeEvent(ev);
  return h(
    'li',
    { class: `ev ev-${ev.type} ${d.tone ? `tone-${d.tone}` : ''}`, 'data-type': ev.type },
    h('span', { class: 'ev-step', title: clockTime(ev.ts) }, ev.step ? `#${ev.step}` : ''),
    h('span', { class: 'ev-kind' }, d.kind),
    h('span', { class: 'ev-text' }, d.text, d.note ? h('span', { class: 'ev-note' }, d.note) : null),
  );
}

/** A stable key for an event, to drop the duplicates an EventSource reconnect replays. */
export function eventKey(ev) {
  return `${ev.type}|${ev.step}|${ev.ts}`;
}

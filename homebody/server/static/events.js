// Task events (homebody.events) as short human sentences, for the task page's event log.

import { h, clockTime, shorten } from './dom.js';

/** An action's or a person's input's words: the server sends them with the event (describe=true), so
 *  the page says it exactly as the CLI and the replays do. The kind alone if they are missing. */
function words(ev) {
  if (ev.description) return ev.description;
  const thing = ev.action || ev.input;
  return thing && thing.kind ? String(thing.kind) : 'unknown action';
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
      return { kind: 'thought', text: words(ev), note: ev.thought, tone: 'brain' };
    case 'checked':
      return { kind: `check: ${ev.checker}`, text: verdictText(ev), tone: ev.verdict === 'allow' ? 'ok' : 'warn' };
    case 'halted':
      if (Array.isArray(ev.held) && ev.held.length) {
        const held = Array.isArray(ev.held_descriptions) ? ev.held_descriptions : ev.held.map((x) => `${x.outgoing?.method} ${x.outgoing?.url}`);
        return { kind: 'held', text: `${ev.category}: ${ev.reason}`, note: `after ${words(ev)}, holding: ${held.join('; ')}`, tone: 'alert' };
      }
      return { kind: 'halted', text: `${ev.category}: ${ev.reason}`, note: `before ${words(ev)}`, tone: 'alert' };
    case 'approved':
      return { kind: 'approved', text: `by ${ev.by}`, note: ev.note, tone: 'ok' };
    case 'rejected':
      return { kind: 'rejected', text: `by ${ev.by}`, note: ev.note, tone: 'warn' };
    case 'granted':
      return { kind: 'granted', text: `${ev.category} on ${ev.site} (${ev.scope})`, tone: 'ok' };
    case 'skipped':
      return { kind: 'skipped', text: words(ev), note: ev.reason, tone: 'warn' };
    case 'executed':
      return { kind: ev.ok ? 'did' : 'failed', text: words(ev), note: ev.error, tone: ev.ok ? '' : 'alert' };
    case 'verified':
      return { kind: 'verifier', text: `effect: ${ev.effect}`, note: ev.note, tone: ev.effect === 'none' ? 'warn' : 'muted' };
    case 'takeover_started':
      return { kind: 'takeover', text: `${ev.by} took over`, tone: 'human' };
    case 'human_input':
      return { kind: 'human', text: words(ev), note: ev.ok ? '' : ev.error, tone: 'human' };
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

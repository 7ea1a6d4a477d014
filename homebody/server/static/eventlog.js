// The task's event log from the SSE stream GET /api/tasks/{id}/events (recorded events first, then
// live ones; "event: end" after "finished"). The same-origin cookie authenticates the EventSource.

import { h, taskPath } from './dom.js';
import { eventItem, eventKey } from './events.js';

const MAX_ITEMS = 1000;

export class EventLog {
  /** onEvent(ev): called for every new event (the task page refreshes its status on some);
   *  isOver(): whether the task has ended (an ended stream of a task still to run is reopened). */
  constructor(taskId, onEvent, isOver) {
    this.taskId = taskId;
    this.onEvent = onEvent;
    this.isOver = isOver;
    this.seen = new Set();
    this.list = h('ol', { class: 'events', role: 'log', 'aria-label': 'Event log', 'aria-live': 'off' });
    this.showObserved = h('input', { type: 'checkbox', id: 'show-observed' });
    this.state = h('span', { class: 'muted log-state' }, 'connecting…');
    this.element = h(
      'section',
      { class: 'card log-card', 'aria-labelledby': 'log-title' },
      h(
        'div',
        { class: 'log-head' },
        h('h2', { id: 'log-title' }, 'Event log'),
        h('span', { class: 'choice' }, this.showObserved, h('label', { for: 'show-observed' }, 'Show screenshots taken')),
        this.state,
      ),
      h('div', { class: 'log-scroll', tabindex: '0', 'aria-label': 'Event log (scrollable)' }, this.list),
    );
    this.showObserved.addEventListener('change', () => {
      this.list.classList.toggle('show-observed', this.showObserved.checked);
    });
    this.open();
  }

  open() {
    // describe=true: actions and a person's inputs come with their words, as the CLI and replays say them
    this.source = new EventSource(`${taskPath(this.taskId, 'events')}?describe=true`);
    this.source.addEventListener('open', () => {
      this.state.textContent = 'live';
    });
    this.source.addEventListener('message', (message) => this.received(message.data));
    this.source.addEventListener('end', () => {
      this.source.close();
      if (this.closed) return;
      if (this.finished || this.isOver()) {
        this.state.textContent = 'task ended';
      } else {
        // Not over (it was not running here yet): look again; replayed events are dropped as duplicates.
        this.state.textContent = 'waiting…';
        this.retry = setTimeout(() => this.open(), 2000);
      }
    });
    this.source.addEventListener('error', () => {
      // The browser retries by itself; the replayed events are dropped as duplicates.
      this.state.textContent = this.source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting…';
    });
  }

  received(data) {
    let ev;
    try {
      ev = JSON.parse(data);
    } catch {
      return;
    }
    if (!ev || typeof ev !== 'object') return;
    const key = eventKey(ev);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (ev.type === 'finished') this.finished = true;
    const scroller = this.list.parentElement;
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
    this.list.append(eventItem(ev));
    while (this.list.childElementCount > MAX_ITEMS) this.list.firstElementChild.remove();
    if (atBottom) scroller.scrollTop = scroller.scrollHeight;
    this.onEvent(ev);
  }

  close() {
    this.closed = true;
    clearTimeout(this.retry);
    this.source.close();
  }
}

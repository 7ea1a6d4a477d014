"""The server's tasks: the queue, the runners, and what the API asks of a live task.

Scheduling: tasks start in the order they were created; at most one runs per profile (a profile is
one browser's user data) and per remote browser (``cdp_url``: its tabs share its logins), ephemeral
tasks run beside them, and at most ``max_running`` run at once.
A task's status lives in memory while it runs and is written through to the store in order.

On start-up every task a previous server left running, halted or in a takeover becomes
``interrupted`` and is never run again by itself: an order it placed must not be placed twice.
Tasks that were still queued (nothing of theirs ran) are started as usual.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable

from homebody.compose.brains import BrainFactory
from homebody.config import Settings
from homebody.errors import BadInput, ComputerError, Conflict, NoTakeover, NotFound
from homebody.events import Event, Finished, Halted
from homebody.operator.task import new_task_id
from homebody.server.models import FINAL, ApproveIn, RejectIn, TaskIn, TaskOut, TaskRecord
from homebody.server.notify import HaltNotice, Notifier
from homebody.server.runner import LiveTask, RunDeps, run_live_task
from homebody.server.schedules.models import Notify
from homebody.server.schedules.scheduler import Scheduler
from homebody.server.store import DB_NAME, ServerLock, TaskStore
from homebody.server.tracking import apply_event
from homebody.types import ApprovalDecision, InputEvent
from homebody.vision.pixels.ocr import OcrReader

log = logging.getLogger(__name__)

MAX_WAITING = 500
TAKEOVER_WAIT_S = 30.0
CANCEL_WAIT_S = 10.0
SHUTDOWN_WAIT_S = 30.0


class TaskManager:
    def __init__(
        self,
        settings: Settings,
        *,
        reader: OcrReader,
        notifier: Notifier,
        page_url: Callable[[str], str],
        max_running: int = 2,
        model_api_key: str | None = None,
        ask_on_halt: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._lock = ServerLock(settings.data_dir)
        self._lock.acquire()  # before anything reads the store: BadInput when another server has it
        self.store = TaskStore(settings.data_dir / DB_NAME)
        self._notifier = notifier
        self._page_url = page_url
        self._max_running = max_running
        self._ask_on_halt = ask_on_halt
        brains = BrainFactory(reader, settings.limits.decide_timeout_s, model_api_key)
        self._brains = brains
        self._deps = RunDeps(settings, brains, self._track, ask_on_halt=ask_on_halt)
        self._live: dict[str, LiveTask] = {}
        self._order = itertools.count()
        self._closing = False
        self.scheduler = Scheduler(self.store, self, clock=clock)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        await self.store.open()
        await self.store.interrupt_unfinished()
        for record in await self.store.queued():
            self._add(record)
        self._pump()
        self.scheduler.start()

    async def close(self) -> None:
        """Stop every task (they end ``interrupted``, recorded) and close the store."""
        self._closing = True
        await self.scheduler.close()
        runners = [live.runner for live in self._live.values() if live.runner is not None]
        for runner in runners:
            runner.cancel()
        if runners:
            _, late = await asyncio.wait(runners, timeout=SHUTDOWN_WAIT_S)
            if late:
                log.warning("%d task(s) did not stop within %g s", len(late), SHUTDOWN_WAIT_S)
        for live in list(self._live.values()):
            live.feed.close()
            live.hub.close()
        try:
            async with asyncio.timeout(10):
                await self._notifier.drain()
            await self.store.close()
        finally:
            self._lock.release()

    # ------------------------------------------------------------------ the queue

    def _add(self, record: TaskRecord) -> LiveTask:
        live = LiveTask(record, next(self._order))
        self._live[record.id] = live
        return live

    def _pump(self) -> None:
        """Start every queued task that may start now, oldest first."""
        if self._closing:
            return
        running = [live for live in self._live.values() if live.runner is not None]
        busy = {live.record.browser_key for live in running}
        for live in sorted(self._live.values(), key=lambda t: t.order):
            if len(running) >= self._max_running:
                break
            key = live.record.browser_key
            if live.runner is not None or (key is not None and key in busy):
                continue
            live.runner = asyncio.create_task(self._run(live), name=f"task-{live.id}")
            running.append(live)
            busy.add(key)

    async def _run(self, live: LiveTask) -> None:
        try:
            await self._update(live, status="running", started_at=time.time())
            await run_live_task(live, self._deps)
        except Exception:  # a bug in the wiring: the task still ends, visibly
            log.exception("task %s crashed", live.id)
        finally:
            if live.record.status not in FINAL:
                await self._update(live, ended_at=time.time(), halt=None, takeover_by=None, **self._lost_outcome())
            self._drop(live)
            self._pump()

    def _lost_outcome(self) -> dict[str, str]:
        """How a task that ended without a ``finished`` event is shown."""
        if self._closing:
            return {"status": "interrupted", "reason": "the server stopped"}
        return {"status": "failed", "reason": "internal error: the task ended without an outcome"}

    def _drop(self, live: LiveTask) -> None:
        live.feed.close()
        live.hub.close()
        self._live.pop(live.id, None)

    async def _update(self, live: LiveTask, **changes: object) -> None:
        # The in-memory record changes first, synchronously: the store's single writer then
        # applies writes in the order the changes were made.
        live.record = live.record.model_copy(update=changes)
        await self.store.save(live.record)

    async def _track(self, live: LiveTask, event: Event) -> None:
        if isinstance(event, Halted) and self._ask_on_halt:
            live.desk.open(event)  # before the status says "halted": an answer is never too early
        record = apply_event(live.record, event)
        if record is None:
            return
        live.record = record
        await self.store.save(record)
        if isinstance(event, Halted) and self._ask_on_halt and record.notify != "never":
            url = self._page_url(live.id)
            self._notifier.halted(HaltNotice(live.id, event.step, event.category, event.reason, url))
        if isinstance(event, Finished) and record.notify == "finish":
            said = event.answer or event.reason
            url = self._page_url(live.id)
            self._notifier.send(HaltNotice(live.id, event.steps, event.outcome, said, url, event="finished"))

    # ------------------------------------------------------------------ reading

    def status_of(self, task_id: str) -> str | None:
        """The status of a task this server still runs or waits on; None once it is over."""
        live = self._live.get(task_id)
        return live.record.status if live is not None else None

    def live(self, task_id: str) -> LiveTask | None:
        return self._live.get(task_id)

    async def record(self, task_id: str) -> TaskRecord:
        live = self._live.get(task_id)
        if live is not None:
            return live.record
        record = await self.store.get(task_id)
        if record is None:
            raise NotFound(f"task_id: no task {task_id!r}")
        return record

    async def get(self, task_id: str) -> TaskOut:
        return (await self.record(task_id)).public()

    async def list(self, limit: int) -> list[TaskOut]:
        stored = await self.store.newest(limit)
        return [(self._live[r.id].record if r.id in self._live else r).public() for r in stored]

    def profile_busy(self, name: str) -> bool:
        return any(
            live.runner is not None and not live.record.ephemeral and live.record.profile == name
            for live in self._live.values()
        )

    # ------------------------------------------------------------------ changing

    async def check(self, body: TaskIn) -> None:
        """Refuse (``BadInput``) a task whose brain cannot run: before it is queued or scheduled."""
        await asyncio.to_thread(self._brains.check, body.brain, body.instruction)

    async def submit(self, body: TaskIn, *, schedule_id: str | None = None, notify: Notify = "halt") -> TaskOut:
        """Queue a task (``schedule_id``: a run of that schedule, notifying as ``notify`` says)."""
        await self.check(body)
        if sum(live.runner is None for live in self._live.values()) >= MAX_WAITING:
            raise Conflict(f"{MAX_WAITING} tasks are already waiting: cancel some or wait for them")
        record = TaskRecord(
            id=new_task_id(),
            status="queued",
            instruction=body.instruction,
            start_url=body.start_url,
            profile=body.profile_name,
            ephemeral=body.ephemeral,
            cdp_url=body.cdp_url,
            brain_kind=body.brain.kind,
            max_steps=body.max_steps,
            sites=tuple(body.sites),
            ask=body.ask,
            created_at=time.time(),
            brain=body.brain,
            schedule_id=schedule_id,
            notify=notify,
        )
        await self.store.insert(record)
        self._add(record)
        self._pump()
        return record.public()

    async def _active(self, task_id: str, what: str) -> LiveTask:
        live = self._live.get(task_id)
        if live is None or live.runner is None:
            record = await self.record(task_id)
            raise Conflict(f"cannot {what}: the task is {record.status}")
        return live

    async def approve(self, task_id: str, body: ApproveIn) -> TaskOut:
        live = await self._active(task_id, "approve")
        decision = ApprovalDecision(
            approved=True, note=body.note, by="user", grant=body.grant, grant_seconds=body.grant_seconds
        )
        if not live.desk.answer(decision):
            raise Conflict(f"cannot approve: the task is {live.record.status}, not halted")
        await self._update(live, status="running", halt=None)
        return live.record.public()

    async def reject(self, task_id: str, body: RejectIn) -> TaskOut:
        live = await self._active(task_id, "reject")
        if not live.desk.answer(ApprovalDecision(approved=False, note=body.note, by="user")):
            raise Conflict(f"cannot reject: the task is {live.record.status}, not halted")
        await self._update(live, status="running", halt=None)
        return live.record.public()

    async def cancel(self, task_id: str) -> TaskOut:
        live = self._live.get(task_id)
        if live is None:
            record = await self.record(task_id)
            raise Conflict(f"cannot cancel: the task is already {record.status}")
        if live.runner is None:  # still queued: nothing ran, nothing to stop
            await self._update(live, status="cancelled", ended_at=time.time(), reason="cancelled before it started")
            self._drop(live)
            return live.record.public()
        live.control.cancel("cancelled by the user")
        live.desk.answer(ApprovalDecision(approved=False, note="the user cancelled the task", by="user"))
        await asyncio.wait({live.runner}, timeout=CANCEL_WAIT_S)  # the answer shows the end when it comes soon
        return live.record.public()

    async def takeover(self, task_id: str, by: str = "user") -> TaskOut:
        live = await self._active(task_id, "take over")
        if live.record.status == "takeover":
            return live.record.public()
        if live.takeover is None:
            raise Conflict("cannot take over yet: the task's browser is still starting")
        live.desk.answer(ApprovalDecision(approved=False, note="the user took over", by=by))
        if not await live.takeover.begin(by, timeout_s=TAKEOVER_WAIT_S):
            raise Conflict(
                "the agent is still finishing an action; it stops before its next step and the task then shows takeover"
            )
        return live.record.public()

    async def send_input(self, task_id: str, event: InputEvent) -> None:
        live = await self._active(task_id, "send input")
        if live.takeover is None or not live.takeover.active:
            raise Conflict(f"cannot send input: the task is {live.record.status}; take it over first")
        try:
            await live.takeover.send(event)
        except NoTakeover as exc:
            raise Conflict(str(exc)) from None
        except BadInput as exc:
            raise BadInput(f"{event.kind}: {exc}") from None
        except ComputerError as exc:
            if event.kind == "key":  # the page refused the key's name ("Unknown key"): the user's input
                raise BadInput(f"key: {exc}") from None
            raise

    async def release(self, task_id: str) -> TaskOut:
        live = await self._active(task_id, "release")
        if live.takeover is None or live.control.takeover_by is None:
            raise Conflict(f"cannot release: the task is {live.record.status}, not taken over")
        await live.takeover.end()
        await self._update(live, status="running", takeover_by=None)
        return live.record.public()

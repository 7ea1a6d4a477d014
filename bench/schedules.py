"""What a thousand schedules cost the server: the time to find the due ones per tick, and idle CPU.

1. A fresh data dir's store (``tasks.db``) gets ``--schedules`` schedules (default 1,000): half
   ``every`` 1 h…24 h, three in ten cron lines in four time zones, two in ten one-shots next year;
   each runs a script-brain task. None is due within the next hour. ``--scale`` more (default
   10,000) in a second data dir show how it grows.
2. Per tick, on a connection of the bench's own: ``due(conn, now)`` + ``soonest(conn)`` with none
   due and with 10 due (ten ``every`` rows put in the past, as a slept-through hour leaves them),
   median and p95 over ``--calls``; floor: two ``SELECT 1`` on the same connection (the same two
   round trips, no table). Then one scheduler wake as the server runs it: ``Scheduler.tick()`` +
   ``soonest`` through ``TaskStore.call`` (the store's worker thread), with a fake task manager
   that records what it is asked to start; with 10 due, the ten runs are started and their next
   times and run history written (the rows are put back in the past, untimed, before each tick);
   floor: two ``SELECT 1`` through ``TaskStore.call``. The query plans are printed.
3. Idle CPU of a real ``homebody serve`` on the filled data dir and on an empty one (the floor),
   in the same run: 5 s to settle, then the server's CPU time (``/proc/<pid>/stat`` utime + stime,
   all its threads) and context switches (its wakeups) over ``--seconds``. An idle server runs no
   task, so it has no child process (no browser); the number of children is printed to show it.

Writes nothing but temporary data dirs (removed after) and the table. Linux only (``/proc``).

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python bench/schedules.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from homebody.server.models import TaskIn, TaskOut
from homebody.server.schedules import store as db
from homebody.server.schedules.models import ScheduleIn, ScheduleRecord
from homebody.server.schedules.scheduler import Scheduler
from homebody.server.schedules.timing import At, Cron, Every, Trigger
from homebody.server.store import DB_NAME, TaskStore

TASK = {"start_url": "http://127.0.0.1:9/", "ephemeral": True, "brain": {"kind": "script", "steps": []}}
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo")
DUE_NOW = 10
SETTLE_S = 5.0


# --------------------------------------------------------------------------- the schedules


def trigger_for(i: int, now: datetime) -> Trigger:
    """The i-th schedule's trigger; none of them is due within the next hour."""
    kind = i % 10
    if kind < 5:
        return Every(seconds=3600.0 * (1 + i % 24))
    if kind < 8:
        zone = ZONES[i % len(ZONES)]
        hour = (now.astimezone(ZoneInfo(zone)).hour + 2 + i % 20) % 24  # at least an hour away
        return Cron(expr=f"{i % 60} {hour} * * {'*' if i % 2 else '1-5'}", tz=zone)
    return At(at=datetime(now.year + 1, 1 + i % 12, 1 + i % 28, i % 24, i % 60, tzinfo=UTC))


def fill(conn: sqlite3.Connection, count: int, now: float) -> None:
    task = TaskIn.model_validate(TASK)
    at = datetime.fromtimestamp(now, UTC)
    conn.execute("BEGIN")
    for i in range(count):
        db.insert(conn, db.new_record(ScheduleIn(task=task, trigger=trigger_for(i, at)), now))
    conn.execute("COMMIT")


def some_every(conn: sqlite3.Connection) -> list[ScheduleRecord]:
    """The first ten ``every`` schedules, as stored."""
    sql = 'SELECT record FROM schedules WHERE record LIKE \'%"kind":"every"%\' ORDER BY n LIMIT ?'
    return [ScheduleRecord.model_validate_json(row[0]) for row in conn.execute(sql, (DUE_NOW,)).fetchall()]


def overdue(records: list[ScheduleRecord], now: float) -> list[ScheduleRecord]:
    """The schedules as they are when their time passed a second ago (a slept-through hour)."""
    return [r.model_copy(update={"next_run": now - 1.0}) for r in records]


def put(conn: sqlite3.Connection, records: list[ScheduleRecord]) -> None:
    conn.execute("BEGIN")
    for record in records:
        db.save(conn, record)
    conn.execute("COMMIT")


class Recorder:
    """The scheduler's task manager (the ``Runs`` protocol): records each start, runs nothing."""

    def __init__(self) -> None:
        self.submitted = 0

    async def submit(self, body: TaskIn) -> TaskOut:
        self.submitted += 1
        return TaskOut(
            id=f"t-{self.submitted}",
            status="queued",
            instruction=body.instruction,
            start_url=body.start_url,
            profile=None,
            ephemeral=True,
            brain_kind=body.brain.kind,
            max_steps=body.max_steps,
            created_at=time.time(),
        )

    def status_of(self, task_id: str) -> str | None:
        return "done"  # the previous run is over: every due schedule starts again


# --------------------------------------------------------------------------- per tick


def us(samples: list[float]) -> tuple[float, float]:
    """Median and p95, in microseconds."""
    return statistics.median(samples) * 1e6, statistics.quantiles(samples, n=20)[18] * 1e6


def timed(fn: Callable[[], object], calls: int) -> list[float]:
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def direct(path: Path, calls: int) -> dict[str, list[float]]:
    """due + soonest on a connection of the bench's own, with none and ten due; and the floor."""
    with db.opened(path) as conn:
        original = some_every(conn)
        out = {
            "floor: 2x SELECT 1": timed(lambda: [conn.execute("SELECT 1").fetchone() for _ in range(2)], calls),
            "due + soonest, none due": timed(lambda: (db.due(conn, time.time()), db.soonest(conn)), calls),
        }
        put(conn, overdue(original, time.time()))
        found = len(db.due(conn, time.time()))
        assert found == DUE_NOW, f"{found} schedules due, not {DUE_NOW}"
        out[f"due + soonest, {DUE_NOW} due"] = timed(lambda: (db.due(conn, time.time()), db.soonest(conn)), calls)
        put(conn, original)
    return out


async def atimed(
    fn: Callable[[], Awaitable[object]], calls: int, before: Callable[[], Awaitable[object]] | None = None
) -> list[float]:
    samples = []
    for _ in range(calls):
        if before is not None:
            await before()
        start = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - start)
    return samples


async def wakes(path: Path, calls: int) -> tuple[dict[str, list[float]], int]:
    """One scheduler wake (tick + soonest) through the server's store, with none and ten due; the floor."""
    store = TaskStore(path)
    await store.open()
    runs = Recorder()
    scheduler = Scheduler(store, runs)
    try:
        original = await store.call(some_every)

        async def wake() -> None:
            await scheduler.tick()
            await store.call(db.soonest)

        async def floor() -> None:
            for _ in range(2):
                await store.call(lambda conn: conn.execute("SELECT 1").fetchone())

        async def make_due() -> None:
            late = overdue(original, time.time())
            await store.call(lambda conn: put(conn, late))

        out = {
            "floor: 2x SELECT 1 via TaskStore.call": await atimed(floor, calls),
            "tick + soonest, none due": await atimed(wake, calls),
            f"tick + soonest, {DUE_NOW} due (starts them)": await atimed(wake, max(calls // 4, 20), make_due),
        }
        await store.call(lambda conn: put(conn, original))
        await store.call(lambda conn: conn.execute("DELETE FROM schedule_runs"))
    finally:
        await store.close()
    return out, runs.submitted


def plans(path: Path) -> list[str]:
    with db.opened(path) as conn:
        return [
            f"{sql}: " + "; ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, args).fetchall())
            for sql, args in (
                ("SELECT record FROM schedules WHERE due <= ? ORDER BY due", (time.time(),)),
                ("SELECT MIN(due) FROM schedules", ()),
            )
        ]


def per_tick(path: Path, count: int, calls: int) -> None:
    with db.opened(path) as conn:
        fill(conn, count, time.time())
        soonest = db.soonest(conn)
    if soonest is None or soonest - time.time() < 3000:  # every-1h ones are due an hour after they were made
        sys.exit(f"a schedule is due within the hour: {soonest}")
    queries = direct(path, calls)
    woken, submitted = asyncio.run(wakes(path, calls))
    print(f"\n{count} schedules (the soonest due in {(soonest - time.time()) / 60:.0f} min); microseconds per call")
    print(f"{'':50} {'median':>9} {'p95':>9} {'/floor':>7} {'n':>6}")
    for group in (queries, woken):  # each group's first row is its floor
        floor = statistics.median(next(iter(group.values())))
        for name, samples in group.items():
            median, p95 = us(samples)
            print(f"{name:50} {median:9.1f} {p95:9.1f} {median / 1e6 / floor:6.2f}x {len(samples):6}")
    print(f"runs the fake task manager was asked to start: {submitted}")


# --------------------------------------------------------------------------- idle CPU


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (all threads)


def switches(pid: int) -> int:
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if "ctxt_switches:" in line:  # voluntary (it slept) and not (it was preempted)
                total += int(line.split()[1])
    return total


def children(pid: int) -> int:
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            count += int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid  # its parent's pid
        except (OSError, IndexError, ValueError):  # a process that ended while being read
            continue
    return count


def idle(data_dir: Path, seconds: float) -> tuple[float, float, int, int]:
    """CPU % and wakeups per second of an idle ``homebody serve``, its threads and children."""
    env = dict(os.environ, HOMEBODY_DATA_DIR=str(data_dir))
    with tempfile.TemporaryFile("w+") as err:
        cmd = [sys.executable, "-m", "homebody", "serve", "--port", "0", "--data-dir", str(data_dir)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env, start_new_session=True)
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            if not first.startswith("homebody is serving at"):
                err.seek(0)
                raise RuntimeError(f"homebody serve did not start: {first!r} {err.read()[-2000:]}")
            time.sleep(SETTLE_S)
            cpu0, sw0, t0 = cpu_seconds(proc.pid), switches(proc.pid), time.monotonic()
            time.sleep(seconds)
            cpu1, sw1, t1 = cpu_seconds(proc.pid), switches(proc.pid), time.monotonic()
            kids = children(proc.pid)
            threads = len(list(Path(f"/proc/{proc.pid}/task").iterdir()))
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(20)
    return 100 * (cpu1 - cpu0) / (t1 - t0), (sw1 - sw0) / (t1 - t0), threads, kids


def idle_table(filled: Path, empty: Path, count: int, seconds: float) -> None:
    print(f"\nidle homebody serve, {SETTLE_S:.0f} s to settle, then {seconds:.0f} s sampled")
    print(f"{'':30} {'CPU %':>7} {'wakeups/s':>10} {'threads':>8} {'children':>9}")
    for name, data_dir in ((f"{count} schedules", filled), ("0 schedules (floor)", empty)):
        cpu, wake, threads, kids = idle(data_dir, seconds)
        print(f"{name:30} {cpu:7.3f} {wake:10.1f} {threads:8} {kids:9}")


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schedules", type=int, default=1000)
    parser.add_argument("--scale", type=int, default=10_000, help="a second store this big (0: none)")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=30.0, help="idle CPU sampled this long per server")
    args = parser.parse_args()
    if not Path("/proc/self/stat").exists():
        sys.exit("bench/schedules.py reads /proc for the server's CPU time: it runs on Linux only")
    with tempfile.TemporaryDirectory(prefix="hb-schedules-") as tmp:
        filled, empty, big = Path(tmp, "filled"), Path(tmp, "empty"), Path(tmp, "big")
        for data_dir in (filled, empty, big):
            data_dir.mkdir(mode=0o700)
        print(
            f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} cpus, "
            f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}"
        )
        per_tick(filled / DB_NAME, args.schedules, args.calls)
        print("\nquery plans:\n  " + "\n  ".join(plans(filled / DB_NAME)))
        if args.scale:
            per_tick(big / DB_NAME, args.scale, args.calls)
        idle_table(filled, empty, args.schedules, args.seconds)


if __name__ == "__main__":
    main()

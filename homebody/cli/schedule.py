"""``homebody schedule``: tasks that run by themselves while ``homebody serve`` runs.

``add`` takes ``homebody run``'s task and brain flags plus exactly one of ``--every``, ``--at`` and
``--cron``, checks them all, and writes the schedule into the data dir's store (a running server
picks it up within a second; one started later runs what is due then). Nothing is half-created: a
bad flag exits 2 before anything is written.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from homebody.cli.brains import add_task_flags, brain_options, check_task_flags, scope_options, session_options
from homebody.config import OCR_THREADS, Limits, build_settings
from homebody.errors import BadInput, NotFound
from homebody.server.models import TaskIn
from homebody.server.schedules import store as db
from homebody.server.schedules.models import ScheduleIn, ScheduleOut
from homebody.server.schedules.timing import At, Cron, Every, local_zone, parse_at, parse_cron, parse_duration
from homebody.server.store import DB_NAME

DATA_DIR_HELP = "the data dir of the server that runs the schedules (default: $HOMEBODY_DATA_DIR, else XDG)"


def add_schedule_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    schedule = sub.add_parser("schedule", help="tasks that run by themselves while `homebody serve` runs")
    verbs = schedule.add_subparsers(dest="schedule_command", required=True, metavar="SUBCOMMAND")
    add = verbs.add_parser("add", help="schedule a task: the flags of `run`, plus --every, --at or --cron")
    add_task_flags(add)  # those of `homebody run`
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--every", metavar="DURATION", help="run every 30s, 15m, 2h, 1d, … (from now on)")
    when.add_argument("--at", metavar="DATETIME", help="run once, at an ISO 8601 time (local unless it has an offset)")
    when.add_argument("--cron", metavar="EXPR", help='run on a cron line, five fields, local time: "0 8 * * 1-5"')
    add.add_argument("--tz", help="the time zone of --cron, e.g. Europe/Berlin (default: this machine's)")
    add.add_argument(
        "--notify",
        choices=("halt", "finish", "never"),
        default="halt",
        help="notify (the server's webhook and desktop notice) when a run halts (default), also when it "
        "finishes, or never",
    )
    add.add_argument("--grace", metavar="DURATION", help="--at only: how late a missed run may still start (12h)")
    add.add_argument("--json", action="store_true", help="print the schedule as JSON")
    add.add_argument("--data-dir", help=DATA_DIR_HELP)
    listing = verbs.add_parser("list", help="the schedules, their next and last runs")
    listing.add_argument("--json", action="store_true", help="one JSON object per schedule and line")
    listing.add_argument("--data-dir", help=DATA_DIR_HELP)
    for verb, what in (
        ("pause", "no runs until resumed"),
        ("resume", "runs again from its next slot"),
        ("remove", "delete the schedule (its tasks and recordings stay)"),
        ("run-now", "run its task now; its next run stays"),
    ):
        one = verbs.add_parser(verb, help=what)
        one.add_argument("id", help="the schedule's id (schedule list shows it)")
        one.add_argument("--data-dir", help=DATA_DIR_HELP)


def cmd_schedule(args: argparse.Namespace) -> int:
    settings = build_settings(os.environ, data_dir=args.data_dir)
    path = settings.data_dir / DB_NAME
    match args.schedule_command:
        case "add":
            body = schedule_from_flags(args)  # every flag checked before the store is touched
            record = db.new_record(body, time.time())
            with db.opened(path) as conn:
                db.insert(conn, record)
            _show_added(db.public(record), args.json, str(settings.data_dir))
        case "list":
            with db.opened(path) as conn:
                records = db.all_schedules(conn)
            _show_list([db.public(r) for r in records], args.json)
        case "pause" | "resume" | "run-now" | "remove" as verb:
            with db.opened(path) as conn:
                try:
                    _change(conn, verb, args.id)
                except NotFound as exc:
                    raise BadInput(f"{exc} (homebody schedule list shows them)") from None
        case other:
            raise BadInput(f"unknown schedule command {other!r}")
    return 0


def schedule_from_flags(args: argparse.Namespace) -> ScheduleIn:
    from homebody.compose.brains import BrainFactory  # noqa: PLC0415 (loads the brains' stack only here)
    from homebody.vision.pixels.ocr import OcrReader  # noqa: PLC0415

    zone = args.tz or local_zone()
    trigger: Every | At | Cron
    if args.every is not None:
        trigger = parse_duration(args.every)
    elif args.at is not None:
        trigger = parse_at(args.at, datetime.now(UTC), ZoneInfo(zone))
    else:
        trigger = parse_cron(args.cron, zone)
    if args.tz and args.cron is None:
        raise BadInput("--tz: only --cron takes a time zone (--at takes an offset: 2026-12-24T08:00+01:00)")
    grace = parse_duration(args.grace, "--grace").seconds if args.grace else None
    if grace is not None and args.at is None:
        raise BadInput("--grace: only a one-shot --at has a grace period")
    brain, session, scope = brain_options(args), session_options(args), scope_options(args)
    BrainFactory(OcrReader(threads=OCR_THREADS), Limits().decide_timeout_s).check(brain, args.task)
    check_task_flags(args)
    try:
        task = TaskIn.model_validate(
            {
                **session.model_dump(exclude_none=True),
                **scope.model_dump(),
                "instruction": args.task,
                "start_url": args.start_url,
                "brain": brain.model_dump(),
                "max_steps": args.max_steps or Limits().max_steps,
            }
        )
    except ValueError as exc:
        raise BadInput(f"the task: {exc}") from None
    extra = {"grace_s": grace} if grace is not None else {}
    return ScheduleIn(task=task, trigger=trigger, notify=args.notify, **extra)


def describe(trigger: Every | At | Cron) -> str:
    match trigger:
        case Every(seconds=seconds):
            return f"every {_duration(seconds)}"
        case At(at=at):
            return f"once, at {at.astimezone().strftime('%Y-%m-%d %H:%M')}"
        case Cron(expr=expr, tz=tz):
            return f"cron {expr!r} ({tz})"


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts is not None else "-"


def _show_added(schedule: ScheduleOut, as_json: bool, data_dir: str) -> None:
    if as_json:
        print(schedule.model_dump_json())
        return
    print(f"schedule {schedule.id}: {describe(schedule.trigger)}; next run {_when(schedule.next_run)}")
    print(f"it runs while `homebody serve --data-dir {data_dir}` runs (undo: homebody schedule remove {schedule.id})")


def _show_list(schedules: list[ScheduleOut], as_json: bool) -> None:
    if as_json:
        for schedule in schedules:
            print(schedule.model_dump_json())
        return
    if not schedules:
        print("no schedules (homebody schedule add … adds one)")
        return
    for s in schedules:
        task = s.task.instruction or s.task.start_url
        print(
            f"{s.id}  {s.state:<7} {describe(s.trigger):<32} next {_when(s.next_run)}  runs {s.runs}"
            f"  last {s.last_task_id or '-'}  {json.dumps(task[:60])}"
        )


def _change(conn: sqlite3.Connection, verb: str, schedule_id: str) -> None:
    match verb:
        case "pause":
            db.set_paused(conn, schedule_id, True)
            print(f"schedule {schedule_id} paused")
        case "resume":
            db.set_paused(conn, schedule_id, False)
            print(f"schedule {schedule_id} resumed")
        case "run-now":
            db.ask_run_now(conn, schedule_id)
            print(f"schedule {schedule_id} runs now (while `homebody serve` runs on this data dir)")
        case _:
            db.remove(conn, schedule_id)
            print(f"schedule {schedule_id} removed")

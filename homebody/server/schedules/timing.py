"""When a schedule is due: pure functions of a trigger and a clock (no sleeping, no I/O).

Three triggers: ``every`` (an interval, slots counted from the schedule's creation), ``at`` (one
moment) and ``cron`` (five fields, in a named time zone, by ``cronsim``: a daily 08:00 stays at
08:00 local time across daylight-saving changes; a time that a change skips runs at the first
minute after it, a time it repeats runs once).

Run semantics a user can predict: however many slots passed while the machine slept or the server
was down, a schedule runs once when it can, never once per missed slot; the next run is then the
first slot after now. A one-shot missed by more than the grace period is marked missed, not run late.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError
from pydantic import BaseModel, ConfigDict, Field

from homebody.errors import BadInput

MIN_INTERVAL_S = 1.0
MAX_INTERVAL_S = 366 * 86400.0
DEFAULT_GRACE_S = 12 * 3600.0
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])", re.IGNORECASE)


class Every(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["every"] = "every"
    seconds: float = Field(ge=MIN_INTERVAL_S, le=MAX_INTERVAL_S, description="the interval, in seconds")


class At(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["at"] = "at"
    at: datetime = Field(description="ISO 8601 with an offset (the CLI takes local time without one)")


class Cron(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["cron"] = "cron"
    expr: str = Field(min_length=9, max_length=200, description='five fields: "0 8 * * 1-5"')
    tz: str = Field(default="UTC", max_length=64, description="an IANA time zone: Europe/Berlin")


Trigger = Annotated[Every | At | Cron, Field(discriminator="kind")]


@dataclass(frozen=True)
class Tick:
    """What to do with a schedule at ``now``: run it (or mark its one-shot missed) and when next."""

    run: bool
    missed: bool
    next_due: datetime | None


# --------------------------------------------------------------------------- parsing (CLI and API)


def parse_duration(text: str, flag: str = "--every") -> Every:
    """``30s``, ``15m``, ``2h``, ``1d`` (or ``1h30m``): an interval of at least one second."""
    cleaned = text.strip()
    parts = _DURATION.findall(cleaned)
    if not parts or _DURATION.sub("", cleaned).strip():
        raise BadInput(f"{flag}: {text!r} is not a duration: use a number and a unit, like 30s, 15m, 2h or 1d")
    seconds = sum(float(n) * _UNITS[unit.lower()] for n, unit in parts)
    if seconds < MIN_INTERVAL_S:
        raise BadInput(f"{flag}: {text!r} is shorter than one second")
    if seconds > MAX_INTERVAL_S:
        raise BadInput(f"{flag}: {text!r} is longer than a year")
    return Every(seconds=seconds)


def parse_at(text: str, now: datetime, local: tzinfo, flag: str = "--at") -> At:
    """An ISO 8601 date and time in the future; without an offset, in ``local`` time."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(f"{flag}: {text!r} is not an ISO 8601 date and time, like 2026-12-24T08:00") from None
    when = check_at(At(at=when if when.tzinfo else when.replace(tzinfo=local)), now, flag).at
    return At(at=when)


def check_at(trigger: At, now: datetime, flag: str = "at") -> At:
    if trigger.at.tzinfo is None:
        raise BadInput(f"{flag}: {trigger.at.isoformat()} has no time zone offset")
    if trigger.at <= now:
        raise BadInput(f"{flag}: {trigger.at.isoformat()} is in the past")
    return trigger


def parse_cron(expr: str, tz: str, flag: str = "--cron") -> Cron:
    trigger = Cron(expr=" ".join(expr.split()), tz=tz) if len(expr.split()) == 5 else None
    if trigger is None:
        raise BadInput(f"{flag}: {expr!r} needs five fields (minute hour day month weekday), like '0 8 * * *'")
    return check_cron(trigger, flag)


def check_cron(trigger: Cron, flag: str = "cron") -> Cron:
    if len(trigger.expr.split()) != 5:
        raise BadInput(f"{flag}: {trigger.expr!r} needs five fields (minute hour day month weekday)")
    zone = zone_of(trigger.tz, f"{flag} time zone")
    try:
        next(CronSim(trigger.expr, datetime.now(zone)))
    except (CronSimError, StopIteration) as exc:
        raise BadInput(f"{flag}: {trigger.expr!r} is not a cron expression: {exc}") from None
    return trigger


def zone_of(name: str, what: str = "time zone") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(f"{what}: {name!r} is not a known time zone (an IANA name like Europe/Berlin)") from None


# --------------------------------------------------------------------------- when


def first_due(trigger: Every | At | Cron, created: datetime) -> datetime | None:
    """The first run of a schedule made at ``created``."""
    match trigger:
        case Every(seconds=seconds):
            return created + timedelta(seconds=seconds)
        case At(at=at):
            return at
        case Cron():
            return _cron_after(trigger, created)


def tick(
    trigger: Every | At | Cron, due: datetime | None, now: datetime, created: datetime, grace_s: float = DEFAULT_GRACE_S
) -> Tick:
    """What a schedule due at ``due`` does at ``now``: nothing yet, run once (however many slots
    passed), or, for a one-shot missed by more than ``grace_s``, be marked missed."""
    if due is None:
        return Tick(run=False, missed=False, next_due=None)
    if due > now:
        return Tick(run=False, missed=False, next_due=due)
    match trigger:
        case At():
            late = (now - due).total_seconds() > grace_s
            return Tick(run=not late, missed=late, next_due=None)
        case Every(seconds=seconds):
            return Tick(run=True, missed=False, next_due=_every_after(created, seconds, now))
        case Cron():
            return Tick(run=True, missed=False, next_due=_cron_after(trigger, now))


def rebase(trigger: Every | At | Cron, due: datetime | None, now: datetime) -> datetime | None:
    """``due`` after the wall clock jumped back (it is further away than the trigger could make it):
    the first slot after ``now`` again. Forward jumps need nothing: the slots passed run once."""
    if due is None:
        return None
    match trigger:
        case Every(seconds=seconds) if (due - now).total_seconds() > seconds:
            back = math.ceil((due - now).total_seconds() / seconds) - 1  # whole intervals: slots keep their phase
            return due - timedelta(seconds=back * seconds)
        case Cron():
            soonest = _cron_after(trigger, now)
            return soonest if soonest is not None and soonest < due else due
        case _:
            return due


def _every_after(created: datetime, seconds: float, now: datetime) -> datetime:
    """The first slot (``created`` + k × ``seconds``) strictly after ``now``."""
    k = math.floor((now - created).total_seconds() / seconds) + 1
    return created + timedelta(seconds=max(k, 1) * seconds)


def _cron_after(trigger: Cron, after: datetime) -> datetime | None:
    zone = ZoneInfo(trigger.tz)
    try:
        return next(CronSim(trigger.expr, after.astimezone(zone))).astimezone(UTC)
    except (CronSimError, StopIteration):
        return None


def local_zone() -> str:
    """This machine's time zone as an IANA name (``TZ``, else ``/etc/localtime``), else ``UTC``."""
    named = os.environ.get("TZ", "").lstrip(":")
    if named:
        try:
            ZoneInfo(named)
        except (ZoneInfoNotFoundError, ValueError):
            pass
        else:
            return named
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        return "UTC"
    _, found, key = target.partition("zoneinfo/")
    if found:
        try:
            ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError):
            return "UTC"
        return key
    return "UTC"

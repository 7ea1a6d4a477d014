"""When schedules are due, with the clock passed in: intervals, one-shots, cron across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from homebody.errors import BadInput
from homebody.server.schedules.timing import (
    At,
    Cron,
    Every,
    first_due,
    parse_at,
    parse_cron,
    parse_duration,
    rebase,
    tick,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
RIGA = ZoneInfo("Europe/Riga")  # DST: 2026-03-29 03:00 -> 04:00, 2026-10-25 04:00 -> 03:00


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1h30m", 5400)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text).seconds == seconds


@pytest.mark.parametrize("text", ["", "5", "2x", "0.5s", "1 week", "3m and", "-5m"])
def test_a_bad_or_too_short_duration_names_the_flag(text: str) -> None:
    with pytest.raises(BadInput, match="--every"):
        parse_duration(text)


def test_every_runs_on_slots_counted_from_creation() -> None:
    every = Every(seconds=900)
    due = first_due(every, T0)
    assert due == T0 + timedelta(minutes=15)
    assert tick(every, due, due - timedelta(seconds=1), T0).run is False
    now = due + timedelta(seconds=3)  # the tick came a little late: the next slot does not drift
    plan = tick(every, due, now, T0)
    assert plan.run and plan.next_due == T0 + timedelta(minutes=30)


def test_after_a_gap_of_many_slots_it_runs_once_then_from_the_next_slot() -> None:
    every = Every(seconds=60)
    due = first_due(every, T0)
    assert due is not None
    now = T0 + timedelta(hours=10, seconds=30)  # 600 slots passed while the machine slept
    plan = tick(every, due, now, T0)
    assert plan.run and not plan.missed
    assert plan.next_due == T0 + timedelta(hours=10, minutes=1)
    assert tick(every, plan.next_due, now, T0).run is False  # once, not once per missed slot


def test_a_one_shot_runs_once_and_a_late_one_within_the_grace_period_still_runs() -> None:
    at = At(at=T0 + timedelta(hours=1))
    assert first_due(at, T0) == at.at
    plan = tick(at, at.at, at.at + timedelta(hours=3), T0, grace_s=12 * 3600)
    assert plan.run and not plan.missed and plan.next_due is None
    assert tick(at, None, at.at + timedelta(hours=4), T0).run is False


def test_a_one_shot_missed_by_more_than_the_grace_period_is_marked_missed_not_run() -> None:
    at = At(at=T0 + timedelta(hours=1))
    plan = tick(at, at.at, at.at + timedelta(hours=13), T0, grace_s=12 * 3600)
    assert plan.missed and not plan.run and plan.next_due is None


def test_parse_at_takes_local_time_without_an_offset_and_refuses_the_past() -> None:
    when = parse_at("2026-07-01T08:00", T0, RIGA).at
    assert when.utcoffset() == timedelta(hours=3) and when.hour == 8
    assert parse_at("2026-07-01T08:00+00:00", T0, RIGA).at.hour == 8
    with pytest.raises(BadInput, match=r"--at: .* is in the past"):
        parse_at("2026-02-01T08:00", T0, RIGA)
    with pytest.raises(BadInput, match="--at: 'soon' is not an ISO 8601"):
        parse_at("soon", T0, RIGA)


def test_a_daily_cron_stays_at_eight_local_across_both_dst_changes() -> None:
    cron = parse_cron("0 8 * * *", "Europe/Riga")
    due = first_due(cron, datetime(2026, 3, 27, 12, tzinfo=UTC))
    seen = []
    for _ in range(4):
        assert due is not None
        seen.append(due.astimezone(RIGA))
        due = tick(cron, due, due, T0).next_due
    assert [d.hour for d in seen] == [8, 8, 8, 8]
    assert [d.utcoffset() for d in seen] == [
        timedelta(hours=2),
        timedelta(hours=3),
        timedelta(hours=3),
        timedelta(hours=3),
    ]
    autumn = first_due(cron, datetime(2026, 10, 23, 12, tzinfo=UTC))  # the 24th, the day before
    assert autumn is not None
    after = tick(cron, autumn, autumn, T0).next_due
    assert after is not None and after.astimezone(RIGA).hour == 8 and after - autumn == timedelta(hours=25)


def test_a_cron_time_the_spring_change_skips_runs_once_just_after_it() -> None:
    cron = parse_cron("30 3 * * *", "Europe/Riga")
    due = first_due(cron, datetime(2026, 3, 28, 12, tzinfo=UTC))
    assert due is not None and due.astimezone(RIGA) == datetime(2026, 3, 29, 4, 0, tzinfo=RIGA)


def test_a_cron_after_a_long_gap_runs_once() -> None:
    cron = Cron(expr="*/5 * * * *", tz="UTC")
    due = first_due(cron, T0)
    plan = tick(cron, due, T0 + timedelta(days=2, minutes=2), T0)
    assert plan.run and plan.next_due == T0 + timedelta(days=2, minutes=5)


@pytest.mark.parametrize("expr", ["61 * * * *", "0 8 * *", "0 8 * * * *", "a b c d e", "0 25 * * *"])
def test_a_bad_cron_line_names_the_flag(expr: str) -> None:
    with pytest.raises(BadInput, match="--cron"):
        parse_cron(expr, "UTC")


def test_an_unknown_time_zone_is_named() -> None:
    with pytest.raises(BadInput, match="Mars/Base"):
        parse_cron("0 8 * * *", "Mars/Base")


def test_a_clock_that_jumped_back_puts_the_next_run_back_within_one_interval() -> None:
    every = Every(seconds=60)
    due = T0 + timedelta(hours=2)  # worked out before the clock was set back two hours
    assert rebase(every, due, T0 + timedelta(seconds=10)) == T0 + timedelta(minutes=1)
    assert rebase(every, T0 + timedelta(seconds=50), T0 + timedelta(seconds=10)) == T0 + timedelta(seconds=50)
    cron = Cron(expr="0 * * * *", tz="UTC")
    assert rebase(cron, T0 + timedelta(hours=5), T0) == T0 + timedelta(hours=1)

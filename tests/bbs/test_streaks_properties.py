"""Property tests for streaks: every cadence, time zones, DST changes and rest days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bbs.goals.streaks import (
    Cadence,
    CadenceKind,
    CheckInStatus,
    GoalError,
    RestRange,
    local_today,
    progress,
    reached_milestones,
    zone_for,
)

# Zones with DST at odd hours (Lord Howe: 30 minutes; Santiago and Havana: at midnight),
# far from UTC both ways (Kiritimati +14, Pago Pago -11), and without DST.
ZONES = [
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Asia/Kolkata",
    "Europe/Berlin",
]

cadences = st.one_of(
    st.just(Cadence(CadenceKind.DAILY)),
    st.just(Cadence(CadenceKind.WEEKLY)),
    st.integers(1, 7).map(lambda n: Cadence(CadenceKind.PER_WEEK, n)),
)
statuses = st.sampled_from(list(CheckInStatus))
START = date(2025, 1, 1)


@st.composite
def histories(
    draw: st.DrawFn,
) -> tuple[Cadence, date, list[tuple[date, CheckInStatus]], list[RestRange]]:
    cadence = draw(cadences)
    span = draw(st.integers(0, 120))
    today = START + timedelta(days=span)
    days = draw(st.sets(st.integers(0, span), max_size=span + 1))
    check_ins = [(START + timedelta(days=d), draw(statuses)) for d in sorted(days)]
    rests = []
    for _ in range(draw(st.integers(0, 3))):
        a = draw(st.integers(0, span))
        b = draw(st.integers(a, min(span + 10, a + 20)))
        rests.append(RestRange(START + timedelta(days=a), START + timedelta(days=b)))
    return cadence, today, check_ins, rests


def _oracle_current(
    cadence: Cadence,
    today: date,
    check_ins: list[tuple[date, CheckInStatus]],
    rests: list[RestRange],
) -> int:
    """Walk back from today, period by period: an independent reading of the rules."""
    shown = {d for d, s in check_ins if s is not CheckInStatus.MISSED and START <= d <= today}
    step = timedelta(days=7 if cadence.weekly else 1)

    def met(period: date) -> bool:
        return sum(1 for d in shown if cadence.period_start(d) == period) >= cadence.required

    def rested(period: date) -> bool:
        return any(
            r.covers(period + timedelta(days=i))
            for r in rests
            for i in range(7 if cadence.weekly else 1)
        )

    period = cadence.period_start(today)
    streak = 1 if met(period) else 0
    period -= step
    while period >= cadence.period_start(START):
        if met(period):
            streak += 1
        elif not rested(period):
            break
        period -= step
    return streak


@settings(max_examples=300, deadline=None)
@given(histories())
def test_current_streak_matches_a_walk_back_from_today(
    history: tuple[Cadence, date, list[tuple[date, CheckInStatus]], list[RestRange]],
) -> None:
    cadence, today, check_ins, rests = history
    p = progress(cadence, start=START, today=today, check_ins=check_ins, rests=rests)
    assert p.current_streak == _oracle_current(cadence, today, check_ins, rests)
    assert 0 <= p.current_streak <= p.best_streak
    assert p.met_recently <= p.counted_recently
    assert p.total_check_ins == sum(1 for _d, s in check_ins if s is not CheckInStatus.MISSED)


@settings(max_examples=200, deadline=None)
@given(histories())
def test_rest_keeps_a_streak_without_faking_progress(
    history: tuple[Cadence, date, list[tuple[date, CheckInStatus]], list[RestRange]],
) -> None:
    cadence, today, check_ins, rests = history
    without = progress(cadence, start=START, today=today, check_ins=check_ins)
    rested = progress(cadence, start=START, today=today, check_ins=check_ins, rests=rests)
    assert rested.current_streak >= without.current_streak
    assert rested.best_streak >= without.best_streak
    # Rest never adds a check-in, a met period or a milestone of check-ins.
    assert rested.total_check_ins == without.total_check_ins
    assert rested.met_recently == without.met_recently
    assert rested.this_period == without.this_period
    assert {m for m in reached_milestones(rested) if m[0] == "check-ins"} == {
        m for m in reached_milestones(without) if m[0] == "check-ins"
    }
    if rested.resting_today:
        assert not rested.due_today


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(0, 120), statuses)
def test_another_check_in_never_lowers_the_best_streak_or_the_total(
    history: tuple[Cadence, date, list[tuple[date, CheckInStatus]], list[RestRange]],
    offset: int,
    status: CheckInStatus,
) -> None:
    cadence, today, check_ins, rests = history
    day = START + timedelta(days=offset)
    assume(day <= today and day not in {d for d, _s in check_ins})
    before = progress(cadence, start=START, today=today, check_ins=check_ins, rests=rests)
    after = progress(
        cadence, start=START, today=today, check_ins=[*check_ins, (day, status)], rests=rests
    )
    assert after.best_streak >= before.best_streak
    assert after.total_check_ins >= before.total_check_ins
    assert reached_milestones(before) <= reached_milestones(after)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.dates(date(2020, 1, 1), date(2030, 12, 1)),
    st.integers(1, 60),
    st.data(),
)
def test_one_check_in_each_local_day_is_an_unbroken_streak_across_dst(
    zone_name: str, first: date, days: int, data: st.DataObject
) -> None:
    """A member checking in once a local day, at any local time, never loses a day to DST."""
    zone = ZoneInfo(zone_name)
    local_dates = []
    for n in range(days):
        day = first + timedelta(days=n)
        wall = data.draw(st.times(time(0, 0), time(23, 59)))
        instant = datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)
        # A wall time skipped by a DST jump at midnight may land on the next day: such a
        # time is never on a member's clock, so it is not a check-in anyone makes.
        assume(instant.astimezone(zone).date() == day)
        local_dates.append(local_today(instant, zone))
    assert local_dates == [first + timedelta(days=n) for n in range(days)]
    today = local_dates[-1]
    p = progress(
        Cadence(CadenceKind.DAILY),
        start=first,
        today=today,
        check_ins=[(d, CheckInStatus.DONE) for d in local_dates],
    )
    assert p.current_streak == p.best_streak == days
    assert not p.due_today


@settings(max_examples=100, deadline=None)
@given(st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)))
def test_today_follows_the_members_zone_not_the_servers(now: datetime) -> None:
    east, west = ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")
    # UTC+14 and UTC-11, without DST: 25 hours apart, so often two dates apart.
    assert local_today(now, east) == (now + timedelta(hours=14)).date()
    assert local_today(now, west) == (now - timedelta(hours=11)).date()
    assert local_today(now, east) - local_today(now, west) in (timedelta(days=1), timedelta(days=2))
    assert local_today(now, ZoneInfo("UTC")) == now.date()


@pytest.mark.parametrize("raw", ["0", "8", "1000", "-1", "often", "", "9" * 50])
def test_cadence_outside_one_to_seven_a_week_is_refused_clearly(raw: str) -> None:
    with pytest.raises(GoalError) as error:
        Cadence.parse(raw)
    assert "1 to 7" in str(error.value)


def test_cadence_words_and_numbers_parse() -> None:
    assert Cadence.parse("Daily") == Cadence(CadenceKind.DAILY)
    assert Cadence.parse("weekly") == Cadence(CadenceKind.WEEKLY)
    assert Cadence.parse("3x") == Cadence(CadenceKind.PER_WEEK, 3)
    with pytest.raises(GoalError):
        Cadence(CadenceKind.PER_WEEK, 0)


@pytest.mark.parametrize(
    "name", ["Mars/Olympus_Mons", "../../etc/passwd", "", "UTC\x1b[2J", "x" * 200, "Europe/"]
)
def test_unknown_time_zones_are_refused_kindly(name: str) -> None:
    with pytest.raises(GoalError) as error:
        zone_for(name)
    assert "time zone" in str(error.value)


def test_weekly_streaks_count_weeks_and_a_partial_week_is_still_open() -> None:
    cadence = Cadence(CadenceKind.PER_WEEK, 2)
    monday = date(2026, 11, 2)
    done = [
        (monday, CheckInStatus.DONE),
        (monday + timedelta(days=3), CheckInStatus.PARTIAL),
        (monday + timedelta(days=7), CheckInStatus.DONE),
        (monday + timedelta(days=8), CheckInStatus.DONE),
        (monday + timedelta(days=14), CheckInStatus.DONE),
    ]
    p = progress(cadence, start=monday, today=monday + timedelta(days=15), check_ins=done)
    assert (p.current_streak, p.best_streak, p.this_period, p.unit) == (2, 2, 1, "week")
    assert p.due_today

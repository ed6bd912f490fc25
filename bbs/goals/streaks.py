"""Streaks, progress and milestones from check-in dates: pure functions, no database, no clock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bbs.i18n import said

__all__ = [
    "MILESTONES",
    "Cadence",
    "CadenceKind",
    "CheckInStatus",
    "DayMark",
    "GoalError",
    "Progress",
    "RestRange",
    "day_marks",
    "local_today",
    "progress",
    "reached_milestones",
    "zone_for",
]

# Days or check-ins worth a badge; the first check-in is a milestone of its own.
MILESTONES: tuple[int, ...] = (1, 3, 7, 30, 100, 365)


class GoalError(ValueError):
    """A goal or check-in that cannot be made as asked; the message is kind and fit to show."""


class CadenceKind(StrEnum):
    """How often a goal asks for a check-in."""

    DAILY = "daily"
    WEEKLY = "weekly"
    # `times` check-ins in each Monday-to-Sunday week.
    PER_WEEK = "per_week"


class CheckInStatus(StrEnum):
    """How a check-in went. Partial counts as showing up: effort is what a streak rewards."""

    DONE = "done"
    PARTIAL = "partial"
    MISSED = "missed"


@dataclass(frozen=True)
class Cadence:
    """A goal's rhythm: daily, weekly, or N times a week (1-7)."""

    kind: CadenceKind
    times: int = 1

    def __post_init__(self) -> None:
        if self.kind is CadenceKind.PER_WEEK:
            if isinstance(self.times, bool) or not isinstance(self.times, int):
                raise GoalError(said("Times a week must be a whole number from 1 to 7."))
            if not 1 <= self.times <= 7:
                raise GoalError(
                    said(
                        "Times a week can be from 1 to 7; {times} doesn't fit in a week. "
                        "Pick a number from 1 to 7, or choose daily.",
                        times=self.times,
                    )
                )
        elif self.times != 1:
            raise GoalError(said("Daily and weekly goals ask for one check-in a period."))

    @classmethod
    def parse(cls, raw: str) -> Cadence:
        """'daily', 'weekly', or a number of times a week such as '3' or '3x'."""
        text = raw.strip().lower().removesuffix("x").removesuffix(" times a week").strip()
        if text in ("daily", "d", "every day"):
            return cls(CadenceKind.DAILY)
        if text in ("weekly", "w", "once a week"):
            return cls(CadenceKind.WEEKLY)
        if text.isdecimal() and len(text) <= 6:
            return cls(CadenceKind.PER_WEEK, int(text))
        raise GoalError(
            said("Cadence can be daily, weekly, or a number of times a week from 1 to 7 (like 3).")
        )

    @property
    def weekly(self) -> bool:
        return self.kind is not CadenceKind.DAILY

    @property
    def required(self) -> int:
        """Check-ins that meet one period."""
        return self.times if self.kind is CadenceKind.PER_WEEK else 1

    @property
    def unit(self) -> str:
        return "week" if self.weekly else "day"

    def describe(self) -> str:
        if self.kind is CadenceKind.DAILY:
            return said("daily")
        if self.kind is CadenceKind.WEEKLY:
            return said("weekly")
        return said("{times}x a week", times=self.times)

    def period_start(self, day: date) -> date:
        """The first day of the period holding `day` (weeks start on Monday)."""
        return day - timedelta(days=day.weekday()) if self.weekly else day

    def period_length(self) -> int:
        return 7 if self.weekly else 1


@dataclass(frozen=True)
class RestRange:
    """Rest days (a pause), both ends included, in the member's local dates."""

    start: date
    end: date

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Progress:
    """Where a goal stands today."""

    current_streak: int
    best_streak: int
    # Check-ins (done or partial) in the period holding today, and how many it asks for.
    this_period: int
    required: int
    # Periods met of those that counted (rest and the open current period leave it alone).
    met_recently: int
    counted_recently: int
    total_check_ins: int
    due_today: bool
    resting_today: bool
    unit: str

    @property
    def period_met(self) -> bool:
        return self.this_period >= self.required


@dataclass(frozen=True)
class DayMark:
    """One day of a chart: its date, its check-in status (or None), mood and rest."""

    day: date
    status: CheckInStatus | None
    mood: int | None
    resting: bool


def zone_for(name: str) -> ZoneInfo:
    """The IANA zone called `name`; raises GoalError kindly when there is none."""
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 64:
        raise GoalError(
            said("Please give a time zone name such as Europe/Berlin or America/Chicago.")
        )
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise GoalError(
            said(
                "We don't know a time zone called {zone}. Names look like Europe/Berlin, "
                "America/Chicago or UTC.",
                zone=repr(cleaned),
            )
        ) from None


def local_today(now: datetime, zone: ZoneInfo) -> date:
    """The member's calendar date at the instant `now` (DST is zoneinfo's job, not ours)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(zone).date()


def _counts_by_period(cadence: Cadence, shown_up: Iterable[date]) -> dict[date, int]:
    counts: dict[date, int] = {}
    for day in set(shown_up):
        start = cadence.period_start(day)
        counts[start] = counts.get(start, 0) + 1
    return counts


def _rested(cadence: Cadence, start: date, rests: Sequence[RestRange]) -> bool:
    # A period with any rest day in it cannot break a streak: a week with a trip in it
    # asks for nothing. It does not add to the streak either unless it was met anyway.
    days = cadence.period_length()
    return any(r.start <= start + timedelta(days=days - 1) and r.end >= start for r in rests)


def progress(
    cadence: Cadence,
    *,
    start: date,
    today: date,
    check_ins: Iterable[tuple[date, CheckInStatus]],
    rests: Sequence[RestRange] = (),
    recent_periods: int = 30,
) -> Progress:
    """Current and best streak (in periods), this period's count and recent completion.

    A period counts when it holds at least `cadence.required` check-ins marked done or
    partial. A missed period breaks the streak unless it holds a rest day. The period
    holding today is still open: met, it adds to the streak; not met yet, it is left out.
    Check-ins after today or before the goal's start are ignored.
    """
    shown = [d for d, s in check_ins if s is not CheckInStatus.MISSED and start <= d <= today]
    counts = _counts_by_period(cadence, shown)
    step = timedelta(days=cadence.period_length())
    first = cadence.period_start(start)
    current = cadence.period_start(today)

    best = run = 0
    met_recent = counted_recent = 0
    recent_from = current - step * recent_periods
    period = first
    while period <= current:
        met = counts.get(period, 0) >= cadence.required
        is_current = period == current
        if met:
            run += 1
        elif is_current or _rested(cadence, period, rests):
            pass
        else:
            run = 0
        best = max(best, run)
        if period >= recent_from and not (is_current and not met):
            if met:
                met_recent += 1
                counted_recent += 1
            elif not _rested(cadence, period, rests):
                counted_recent += 1
        period += step

    resting = any(r.covers(today) for r in rests)
    this_period = counts.get(current, 0) if today >= start else 0
    checked_today = today in set(shown)
    due = today >= start and not resting and not checked_today and this_period < cadence.required
    return Progress(
        current_streak=run,
        best_streak=best,
        this_period=this_period,
        required=cadence.required,
        met_recently=met_recent,
        counted_recently=counted_recent,
        total_check_ins=len(set(shown)),
        due_today=due,
        resting_today=resting,
        unit=cadence.unit,
    )


def day_marks(
    *,
    today: date,
    days: int,
    check_ins: Iterable[tuple[date, CheckInStatus, int | None]],
    rests: Sequence[RestRange] = (),
) -> list[DayMark]:
    """The last `days` days ending today, oldest first, for charts."""
    by_day = {d: (s, m) for d, s, m in check_ins}
    marks: list[DayMark] = []
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        status, mood = by_day.get(day, (None, None))
        marks.append(DayMark(day, status, mood, any(r.covers(day) for r in rests)))
    return marks


def reached_milestones(p: Progress) -> set[tuple[str, int]]:
    """Every milestone a goal has reached: ("check-ins", n) and ("streak", n) for n in MILESTONES.

    The first check-in is its own milestone; a streak badge starts at 3 periods.
    """
    reached = {("check-ins", n) for n in MILESTONES if p.total_check_ins >= n}
    reached |= {("streak", n) for n in MILESTONES[1:] if p.best_streak >= n}
    return reached

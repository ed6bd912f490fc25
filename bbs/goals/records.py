"""Goals, check-ins, rest days, badges, partners and cheers: tables and plain service functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import (
    BindParameter,
    Boolean,
    Index,
    Integer,
    ScalarSelect,
    UniqueConstraint,
    bindparam,
    or_,
)
from sqlmodel import Field, Session, SQLModel, col, select

from bbs.accounts.blocks import has_blocked
from bbs.accounts.pseudonyms import normalize_pseudonym
from bbs.goals.streaks import (
    Cadence,
    CadenceKind,
    CheckInStatus,
    DayMark,
    GoalError,
    Progress,
    RestRange,
    day_marks,
    local_today,
    progress,
    reached_milestones,
    zone_for,
)
from bbs.i18n import N_, said, said_n
from bbs.models import Member, Stamped, UTCDateTime, counted, utcnow
from bbs.moderation_queue.flags import (
    GONE,
    FlagKind,
    FlagTarget,
    ModeratedItem,
    ReviewOutcome,
    Written,
    add_flag,
    flag_verdict,
)
from bbs.moderation_queue.sanctions import mute_decides
from bbs.text_safety import clean_line, fitting

TITLE_MAX = 120
NOTE_MAX = 500
CHEER_MAX = 200
VALUE_MAX = 1_000_000
# Back-filling reaches this many days before today: enough for a forgotten evening,
# not so far that a streak can be rebuilt after the fact.
BACKFILL_DAYS = 2
REST_MAX_DAYS = 30
GOALS_MAX = 50
PENDING_INVITES_MAX = 20
CHEERS_PER_HOUR = 20
# After a "no", the same person cannot ask again for this long: a decline is an answer.
DECLINE_QUIET = timedelta(days=30)
CHART_DAYS = 30

# The sender of a cheer whose account is gone (a Said: front ends translate it).
FORMER_MEMBER = N_("a former member")

CATEGORIES: tuple[str, ...] = ("sleep", "movement", "sobriety", "mood", "social", "custom")
MEASURES: tuple[str, ...] = ("", "minutes", "count")


class Visibility(StrEnum):
    """Who sees a goal: only its owner, also their partners, or any member."""

    PRIVATE = "private"
    PARTNERS = "partners"
    COMMUNITY = "community"


class PartnerStatus(StrEnum):
    """The life of an accountability partnership."""

    PENDING = "pending"
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"


class CheerStatus(StrEnum):
    """A cheer is shown, or held for a moderator like any other held text."""

    VISIBLE = "visible"
    HELD = "held"


# -- tables ---------------------------------------------------------------------------
class GoalSettings(SQLModel, table=True):
    """A member's goal preferences: their time zone and whether the companion speaks."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    time_zone: str = Field(default="UTC", max_length=64)
    companion: bool = Field(default=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Goal(Stamped, table=True):
    """Something a member is working on, and how often they mean to check in."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=TITLE_MAX)
    category: str = Field(default="custom", max_length=16)
    cadence: str = Field(default=CadenceKind.DAILY.value, max_length=16)
    times_per_week: int = Field(default=1)
    measure: str = Field(default="", max_length=16)
    target: int | None = Field(default=None)
    start_date: date
    visibility: str = Field(default=Visibility.PRIVATE.value, max_length=16)
    archived: bool = Field(default=False)


class CheckIn(Stamped, table=True):
    """One check-in for one goal on one of the member's local dates (never two)."""

    # The constraint, not a read-then-insert, keeps two connections from both checking in.
    __table_args__ = (UniqueConstraint("goal_id", "local_date", name="uq_checkin_goal_day"),)

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    local_date: date
    status: str = Field(max_length=16)
    value: int | None = Field(default=None)
    mood: int | None = Field(default=None)
    note: str = Field(default="", max_length=NOTE_MAX)
    # False when the moderation gate held the note: the member sees it, partners do not.
    note_shared: bool = Field(default=True)


class GoalRest(Stamped, table=True):
    """Rest days for all of a member's goals: streaks wait, progress does not grow."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    start_date: date
    end_date: date


class GoalBadge(Stamped, table=True):
    """A milestone a goal reached: `kind` is "check-ins" or "streak", `threshold` the count."""

    __table_args__ = (
        UniqueConstraint("goal_id", "kind", "threshold", name="uq_goalbadge_goal_kind_n"),
    )

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)
    threshold: int
    earned_on: date
    announced: bool = Field(default=False)


class Partnership(SQLModel, table=True):
    """An accountability partnership: `inviter_id` asked, `invitee_id` answers."""

    __table_args__ = (Index("ix_partnership_pair", "inviter_id", "invitee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    inviter_id: int = Field(foreign_key="member.id", ondelete="CASCADE")
    invitee_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    status: str = Field(default=PartnerStatus.PENDING.value, max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Cheer(Stamped, table=True):
    """A short, moderated message of encouragement from a partner."""

    id: int | None = Field(default=None, primary_key=True)
    sender_id: int | None = Field(
        default=None, foreign_key="member.id", index=True, ondelete="SET NULL"
    )
    recipient_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")
    body: str = Field(max_length=CHEER_MAX)
    status: str = Field(default=CheerStatus.VISIBLE.value, max_length=16)
    seen: bool = Field(default=False)


# -- views ----------------------------------------------------------------------------
@dataclass(frozen=True)
class GoalSettingsView:
    time_zone: str
    companion: bool


@dataclass(frozen=True)
class GoalDraft:
    """A goal's fields after cleaning and checking, ready to store."""

    title: str
    category: str
    cadence: Cadence
    measure: str
    target: int | None
    visibility: Visibility


@dataclass(frozen=True)
class GoalView:
    id: int
    member_id: int
    title: str
    category: str
    cadence: Cadence
    measure: str
    target: int | None
    start_date: date
    visibility: Visibility
    archived: bool
    # Set on the view a save returns when the title sounded like its author may be in
    # danger: moderators were alerted, and the author should see the crisis lines now.
    crisis: bool = False
    # With `crisis`: the private note with the crisis lines, in the author's language.
    crisis_words: str = ""


@dataclass(frozen=True)
class CheckInView:
    id: int
    goal_id: int
    local_date: date
    status: CheckInStatus
    value: int | None
    mood: int | None
    note: str


@dataclass(frozen=True)
class GoalSummary:
    """A goal and where it stands today, in its owner's time zone."""

    goal: GoalView
    progress: Progress
    today: date
    last_check_in: CheckInView | None


@dataclass(frozen=True)
class BadgeView:
    goal_id: int
    goal_title: str
    kind: str
    threshold: int
    earned_on: date

    def label(self, unit: str = "day") -> str:
        if self.kind == "check-ins":
            if self.threshold == 1:
                return said("First check-in")
            return said_n("{count} check-in", "{count} check-ins", self.threshold)
        # Streak badges start at 3 periods: the template is always plural.
        if unit == "week":
            return said("{count}-week streak", count=self.threshold)
        return said("{count}-day streak", count=self.threshold)


@dataclass(frozen=True)
class GoalDetail:
    """Everything the goal screen draws: summary, chart days, badges and recent check-ins."""

    summary: GoalSummary
    owner: str
    marks: list[DayMark]
    badges: list[BadgeView]
    recent: list[CheckInView]


@dataclass(frozen=True)
class CheckInResult:
    """A stored check-in, with progress before and after and any new badges."""

    check_in: CheckInView
    goal: GoalView
    before: Progress
    after: Progress
    new_badges: list[BadgeView]
    today: date


@dataclass(frozen=True)
class PartnershipView:
    id: int
    other_id: int
    other: str
    status: PartnerStatus
    # True when the other member asked: this member may accept or decline.
    incoming: bool


@dataclass(frozen=True)
class CheerView:
    id: int
    sender: str
    goal_title: str
    body: str
    held: bool
    created_at: datetime


# -- settings -------------------------------------------------------------------------
def goal_settings(session: Session, member_id: int) -> GoalSettingsView:
    row = session.get(GoalSettings, member_id)
    if row is None:
        return settings_view(None, None)
    return settings_view(row.time_zone, row.companion)


def goal_settings_columns(
    member_id: int | BindParameter[int],
) -> tuple[ScalarSelect[str], ScalarSelect[bool]]:
    """`goal_settings` as two subqueries (NULL without a row: see `settings_view`)."""
    mine = col(GoalSettings.member_id) == member_id
    return (
        select(GoalSettings.time_zone).where(mine).scalar_subquery(),
        select(GoalSettings.companion).where(mine).scalar_subquery(),
    )


def settings_view(time_zone: str | None, companion: bool | None) -> GoalSettingsView:
    """A member's goal settings from their row's values (None: no row, the defaults)."""
    if time_zone is None or companion is None:
        return GoalSettingsView("UTC", True)
    return GoalSettingsView(time_zone, bool(companion))


def set_goal_settings(
    session: Session, member_id: int, *, time_zone: str, companion: bool
) -> GoalSettingsView:
    """Save a time zone (checked against the IANA database) and the companion choice."""
    name = time_zone.strip()
    zone_for(name)
    row = session.get(GoalSettings, member_id) or GoalSettings(member_id=member_id)
    row.time_zone = name
    row.companion = companion
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return GoalSettingsView(row.time_zone, row.companion)


def member_today(session: Session, member_id: int, now: datetime | None = None) -> date:
    """The member's own calendar date now."""
    return settings_today(goal_settings(session, member_id), now or utcnow())


def settings_today(settings: GoalSettingsView, now: datetime) -> date:
    """The calendar date at `now` in the time zone of a member's goal settings."""
    return local_today(now, zone_for(settings.time_zone))


# -- goals ----------------------------------------------------------------------------
def clean_goal(
    *,
    title: str,
    category: str = "custom",
    cadence: str = "daily",
    measure: str = "",
    target: str = "",
    visibility: str = "private",
) -> GoalDraft:
    """Check a goal's fields as typed; raises GoalError with a kind message."""
    cleaned = fitting(
        clean_line(title).strip(),
        TITLE_MAX,
        GoalError,
        N_(
            "Goal titles can be up to {most} characters; yours has {count}. "
            "A short title is easier to see at a glance."
        ),
        missing=N_("Your goal needs a title, like “Walk after lunch”."),
    )
    cat = clean_line(category).strip().lower() or "custom"
    if cat not in CATEGORIES:
        raise GoalError(said("Category can be {choices}.", choices=", ".join(CATEGORIES)))
    unit = clean_line(measure).strip().lower()
    if unit in ("none", "-"):
        unit = ""
    if unit not in MEASURES:
        raise GoalError(said("Measure can be minutes, count, or left empty."))
    goal_target: int | None = None
    raw_target = clean_line(target).strip()
    if raw_target:
        if not unit:
            raise GoalError(said("A target needs a measure (minutes or count)."))
        if (
            not raw_target.isdecimal()
            or len(raw_target) > 7
            or not 1 <= int(raw_target) <= VALUE_MAX
        ):
            raise GoalError(said("Target is a whole number from 1 to {most}.", most=VALUE_MAX))
        goal_target = int(raw_target)
    try:
        seen = Visibility(clean_line(visibility).strip().lower() or "private")
    except ValueError:
        raise GoalError(said("Visibility can be private, partners or community.")) from None
    return GoalDraft(cleaned, cat, Cadence.parse(cadence), unit, goal_target, seen)


def _goal_view(goal: Goal) -> GoalView:
    assert goal.id is not None
    kind = CadenceKind(goal.cadence)
    times = goal.times_per_week if kind is CadenceKind.PER_WEEK else 1
    return GoalView(
        goal.id,
        goal.member_id,
        goal.title,
        goal.category,
        Cadence(kind, times),
        goal.measure,
        goal.target,
        goal.start_date,
        Visibility(goal.visibility),
        goal.archived,
    )


def _apply(goal: Goal, draft: GoalDraft) -> None:
    goal.title = draft.title
    goal.category = draft.category
    goal.cadence = draft.cadence.kind.value
    goal.times_per_week = draft.cadence.times
    goal.measure = draft.measure
    goal.target = draft.target
    goal.visibility = draft.visibility.value


def create_goal(
    session: Session, *, member_id: int, draft: GoalDraft, now: datetime | None = None
) -> GoalView:
    """A new goal starting today in the member's time zone."""
    count = len(
        session.exec(
            select(Goal.id).where(Goal.member_id == member_id, col(Goal.archived).is_(False))
        ).all()
    )
    if count >= GOALS_MAX:
        raise GoalError(
            said("You have {count} goals already; archive one to make room.", count=GOALS_MAX)
        )
    goal = Goal(member_id=member_id, title="", start_date=member_today(session, member_id, now))
    _apply(goal, draft)
    session.add(goal)
    session.flush()
    return _goal_view(goal)


def _own_goal(session: Session, member_id: int, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None or goal.member_id != member_id:
        raise GoalError(said("That goal isn't there any more."))
    return goal


def update_goal(session: Session, *, member_id: int, goal_id: int, draft: GoalDraft) -> GoalView:
    goal = _own_goal(session, member_id, goal_id)
    _apply(goal, draft)
    session.add(goal)
    session.flush()
    return _goal_view(goal)


def archive_goal(
    session: Session, *, member_id: int, goal_id: int, archived: bool = True
) -> GoalView:
    """Archive (or bring back) a goal; its check-ins and badges are kept."""
    goal = _own_goal(session, member_id, goal_id)
    goal.archived = archived
    session.add(goal)
    session.flush()
    return _goal_view(goal)


def _check_in_view(row: CheckIn, *, owner: bool = True) -> CheckInView:
    assert row.id is not None
    note = row.note if owner or row.note_shared else ""
    return CheckInView(
        row.id, row.goal_id, row.local_date, CheckInStatus(row.status), row.value, row.mood, note
    )


def _check_ins(session: Session, goal_id: int) -> list[CheckIn]:
    return list(
        session.exec(
            select(CheckIn).where(CheckIn.goal_id == goal_id).order_by(col(CheckIn.local_date))
        ).all()
    )


_RESTS = select(col(GoalRest.start_date), col(GoalRest.end_date)).where(
    col(GoalRest.member_id) == bindparam("member_id", type_=Integer)
)


def _rests(session: Session, member_id: int) -> list[RestRange]:
    rows = session.exec(_RESTS, params={"member_id": member_id})
    return [RestRange(start, end) for start, end in rows]


def _progress(goal: GoalView, rows: list[CheckIn], rests: list[RestRange], today: date) -> Progress:
    return progress(
        goal.cadence,
        start=goal.start_date,
        today=today,
        check_ins=[(r.local_date, CheckInStatus(r.status)) for r in rows],
        rests=rests,
    )


def _summary(goal: Goal, rows: list[CheckIn], today: date, rests: list[RestRange]) -> GoalSummary:
    """A goal with its check-ins (oldest first) and today's progress."""
    view = _goal_view(goal)
    last = _check_in_view(rows[-1]) if rows else None
    return GoalSummary(view, _progress(view, rows, rests, today), today, last)


# Built once (the home screen lists the goals due at every login): a member's goals, and
# the check-ins of several goals in one statement (`_check_ins`' order within each goal).
_GOALS = (
    select(Goal)
    .where(
        col(Goal.member_id) == bindparam("member_id", type_=Integer),
        col(Goal.archived) == bindparam("archived", type_=Boolean),
    )
    .order_by(col(Goal.id))
)
_CHECK_INS_OF_GOALS = (
    select(CheckIn)
    .where(col(CheckIn.goal_id).in_(bindparam("goal_ids", expanding=True)))
    .order_by(col(CheckIn.goal_id), col(CheckIn.local_date))
)


def _check_ins_of(session: Session, goals: Sequence[Goal]) -> dict[int | None, list[CheckIn]]:
    """Each goal's check-ins, oldest first (as `_check_ins`), in one statement."""
    rows: dict[int | None, list[CheckIn]] = {g.id: [] for g in goals}
    if rows:
        for row in session.exec(_CHECK_INS_OF_GOALS, params={"goal_ids": list(rows)}):
            rows[row.goal_id].append(row)
    return rows


def goal_list(
    session: Session,
    *,
    member_id: int,
    archived: bool = False,
    now: datetime | None = None,
    today: date | None = None,
) -> list[GoalSummary]:
    """A member's goals (or archived ones) with today's progress, oldest first.

    `today` is the member's date now when the caller has it already (`settings_today`).
    """
    if today is None:
        today = member_today(session, member_id, now)
    goals = session.exec(_GOALS, params={"member_id": member_id, "archived": archived}).all()
    if not goals:
        return []
    rests = _rests(session, member_id)
    rows = _check_ins_of(session, goals)
    return [_summary(g, rows[g.id], today, rests) for g in goals]


def due_goals(
    session: Session, *, member_id: int, now: datetime | None = None, today: date | None = None
) -> list[GoalSummary]:
    """Goals with a check-in due today, in the order they were made (`today` as in
    `goal_list`)."""
    listed = goal_list(session, member_id=member_id, now=now, today=today)
    return [s for s in listed if s.progress.due_today]


def _partners(session: Session, a: int, b: int) -> bool:
    row = session.exec(
        select(Partnership.id).where(
            Partnership.status == PartnerStatus.ACTIVE.value,
            or_(
                (col(Partnership.inviter_id) == a) & (col(Partnership.invitee_id) == b),
                (col(Partnership.inviter_id) == b) & (col(Partnership.invitee_id) == a),
            ),
        )
    ).first()
    return row is not None


def _blocked_either_way(session: Session, a: int, b: int) -> bool:
    return has_blocked(session, a, b) or has_blocked(session, b, a)


def _may_see(session: Session, viewer_id: int, goal: Goal) -> bool:
    if goal.member_id == viewer_id:
        return True
    if goal.visibility == Visibility.PRIVATE.value or goal.archived:
        return False
    if _blocked_either_way(session, viewer_id, goal.member_id):
        return False
    return goal.visibility == Visibility.COMMUNITY.value or _partners(
        session, viewer_id, goal.member_id
    )


def _badge_views(session: Session, goal_ids: list[int], titles: dict[int, str]) -> list[BadgeView]:
    if not goal_ids:
        return []
    rows = session.exec(
        select(GoalBadge)
        .where(col(GoalBadge.goal_id).in_(goal_ids))
        .order_by(col(GoalBadge.earned_on), col(GoalBadge.id))
    ).all()
    return [
        BadgeView(b.goal_id, titles.get(b.goal_id, ""), b.kind, b.threshold, b.earned_on)
        for b in rows
    ]


def goal_detail(
    session: Session, *, viewer_id: int, goal_id: int, now: datetime | None = None
) -> GoalDetail:
    """One goal as its owner, or a partner it is shared with, sees it."""
    goal = session.get(Goal, goal_id)
    if goal is None or not _may_see(session, viewer_id, goal):
        raise GoalError(said("That goal isn't shared with you."))
    owner = session.get(Member, goal.member_id)
    today = member_today(session, goal.member_id, now)
    rests = _rests(session, goal.member_id)
    rows = _check_ins(session, goal_id)
    summary = _summary(goal, rows, today, rests)
    marks = day_marks(
        today=today,
        days=CHART_DAYS,
        rests=rests,
        check_ins=[(r.local_date, CheckInStatus(r.status), r.mood) for r in rows],
    )
    badges = _badge_views(session, [summary.goal.id], {summary.goal.id: goal.title})
    mine = goal.member_id == viewer_id
    recent = [_check_in_view(r, owner=mine) for r in reversed(rows[-7:])]
    if not mine and not _partners(session, viewer_id, goal.member_id):
        # The community sees a shared goal's progress; moods and notes are for partners.
        marks = [replace(m, mood=None) for m in marks]
        recent = [replace(c, mood=None, note="") for c in recent]
    return GoalDetail(summary, owner.pseudonym if owner else "", marks, badges, recent)


def member_badges(session: Session, member_id: int) -> list[BadgeView]:
    """Every badge a member's goals have earned, oldest first (for the profile)."""
    goals = session.exec(select(Goal).where(Goal.member_id == member_id)).all()
    titles = {g.id: g.title for g in goals if g.id is not None}
    return _badge_views(session, list(titles), titles)


# -- check-ins ------------------------------------------------------------------------
def check_in_date(today: date, day: date) -> date:
    """`day` if a check-in may be made for it today; raises GoalError kindly otherwise."""
    if day > today:
        raise GoalError(
            said("That day hasn't come yet. You can check in for today or the two days before it.")
        )
    if day < today - timedelta(days=BACKFILL_DAYS):
        raise GoalError(
            said(
                "Check-ins can be added for today and the two days before. Older days "
                "stay as they are, and that's fine: today is what counts."
            )
        )
    return day


def clean_note(note: str) -> str:
    return fitting(
        clean_line(note).strip(),
        NOTE_MAX,
        GoalError,
        N_("Notes can be up to {most} characters; yours has {count}."),
    )


def _check_value(value: int | None, mood: int | None) -> None:
    if value is not None and not 0 <= value <= VALUE_MAX:
        raise GoalError(said("The value is a whole number from 0 to {most}.", most=VALUE_MAX))
    if mood is not None and not 1 <= mood <= 5:
        raise GoalError(said("Mood is from 1 (very low) to 5 (very good)."))


def record_check_in(
    session: Session,
    *,
    member_id: int,
    goal_id: int,
    status: CheckInStatus,
    day: date | None = None,
    value: int | None = None,
    mood: int | None = None,
    note: str = "",
    note_shared: bool = True,
    now: datetime | None = None,
) -> CheckInResult:
    """Store one check-in and award any badges it earned.

    Raises GoalError for a day outside today and the two before it, or a day that already
    has a check-in. A second connection racing this one hits the unique constraint at
    commit or flush: the caller turns that IntegrityError into the same kind message.
    """
    goal = _own_goal(session, member_id, goal_id)
    if goal.archived:
        raise GoalError(said("That goal is archived. Bring it back from the archive to check in."))
    today = member_today(session, member_id, now)
    when = check_in_date(today, day or today)
    _check_value(value, mood)
    cleaned = clean_note(note)
    view = _goal_view(goal)
    rows = _check_ins(session, goal_id)
    if any(r.local_date == when for r in rows):
        raise already_checked_in(when, today)
    if when < view.start_date:
        # Back-filling a brand-new goal: its history starts at the first check-in.
        goal.start_date = when
        session.add(goal)
        view = _goal_view(goal)
    rests = _rests(session, member_id)
    before = _progress(view, rows, rests, today)
    row = CheckIn(
        goal_id=goal_id,
        member_id=member_id,
        local_date=when,
        status=status.value,
        value=value,
        mood=mood,
        note=cleaned,
        note_shared=note_shared,
    )
    session.add(row)
    session.flush()
    after = _progress(view, [*rows, row], rests, today)
    have = {
        (b.kind, b.threshold)
        for b in session.exec(select(GoalBadge).where(GoalBadge.goal_id == goal_id)).all()
    }
    new: list[BadgeView] = []
    for kind, n in sorted(reached_milestones(after) - have, key=lambda k: (k[1], k[0])):
        session.add(
            GoalBadge(goal_id=goal_id, member_id=member_id, kind=kind, threshold=n, earned_on=today)
        )
        new.append(BadgeView(goal_id, goal.title, kind, n, today))
    session.flush()
    return CheckInResult(_check_in_view(row), view, before, after, new, today)


WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def already_checked_in(day: date, today: date) -> GoalError:
    if day == today:
        return GoalError(
            said("There's already a check-in for today on this goal, so nothing was added twice.")
        )
    return GoalError(
        said(
            "There's already a check-in for {weekday} {day} {month} on this goal, so nothing "
            "was added twice.",
            weekday=said(WEEKDAYS[day.weekday()]),
            day=day.day,
            month=said(MONTHS[day.month - 1]),
        )
    )


def _crisis_alert(
    session: Session, target: FlagTarget, target_id: int, member_id: int, where: str, scores: str
) -> int:
    return add_flag(
        session,
        kind=FlagKind.CRISIS,
        target_kind=target,
        target_id=target_id,
        author_id=member_id,
        reason=f"crisis language in {where}",
        scores=scores,
    )


def flag_goal(session: Session, *, goal_id: int, member_id: int, scores: str) -> int:
    """A goal title that sounds like a crisis: moderators get a priority alert."""
    return _crisis_alert(session, FlagTarget.GOAL, goal_id, member_id, "a goal title", scores)


def review_goal(session: Session, *, goal_id: int) -> ModeratedItem:
    """A goal as a reviewer sees it (its title, who sees it)."""
    goal = session.get(Goal, goal_id)
    if goal is None:
        return GONE
    return ModeratedItem(
        text=goal.title,
        where=f"goal ({goal.visibility})",
        status="archived" if goal.archived else "",
    )


def flag_check_in(session: Session, *, check_in_id: int, member_id: int, scores: str) -> int:
    """A crisis-sounding note: moderators get a priority alert (the note stays as written)."""
    return _crisis_alert(
        session, FlagTarget.CHECK_IN, check_in_id, member_id, "a check-in note", scores
    )


# -- rest days ------------------------------------------------------------------------
def start_rest(
    session: Session, *, member_id: int, days: int, now: datetime | None = None
) -> RestRange:
    """Rest from today for `days` days (1-30): streaks wait, nothing is due."""
    if not 1 <= days <= REST_MAX_DAYS:
        raise GoalError(said("Rest can be from 1 to {most} days at a time.", most=REST_MAX_DAYS))
    today = member_today(session, member_id, now)
    end_rest(session, member_id=member_id, now=now)
    rest = GoalRest(
        member_id=member_id, start_date=today, end_date=today + timedelta(days=days - 1)
    )
    session.add(rest)
    session.flush()
    return RestRange(rest.start_date, rest.end_date)


def end_rest(session: Session, *, member_id: int, now: datetime | None = None) -> bool:
    """End a rest that covers today or later; past rest days stay as they were."""
    today = member_today(session, member_id, now)
    ended = False
    for rest in session.exec(
        select(GoalRest).where(GoalRest.member_id == member_id, GoalRest.end_date >= today)
    ).all():
        ended = True
        if rest.start_date >= today:
            session.delete(rest)
        else:
            rest.end_date = today - timedelta(days=1)
            session.add(rest)
    session.flush()
    return ended


def resting_until(session: Session, *, member_id: int, now: datetime | None = None) -> date | None:
    today = member_today(session, member_id, now)
    ends = [r.end for r in _rests(session, member_id) if r.covers(today)]
    return max(ends) if ends else None


# -- partners -------------------------------------------------------------------------
def find_member_id(session: Session, pseudonym: str) -> int:
    key = normalize_pseudonym(clean_line(pseudonym).strip().lstrip("@"))
    member = session.exec(select(Member).where(Member.pseudonym_key == key)).first()
    if member is None or member.id is None:
        raise GoalError(said("There is no member by that name. Check the spelling?"))
    return member.id


def _open_between(session: Session, a: int, b: int) -> Partnership | None:
    return session.exec(
        select(Partnership).where(
            col(Partnership.status).in_([PartnerStatus.PENDING.value, PartnerStatus.ACTIVE.value]),
            or_(
                (col(Partnership.inviter_id) == a) & (col(Partnership.invitee_id) == b),
                (col(Partnership.inviter_id) == b) & (col(Partnership.invitee_id) == a),
            ),
        )
    ).first()


def invite_partner(session: Session, *, member_id: int, pseudonym: str) -> PartnershipView:
    """Ask a member to be an accountability partner."""
    other_id = find_member_id(session, pseudonym)
    if other_id == member_id:
        raise GoalError(said("You can't be your own partner, though you are on your own side."))
    if has_blocked(session, other_id, member_id) or has_blocked(session, member_id, other_id):
        raise GoalError(said("You can't invite this member to be a partner."))
    existing = _open_between(session, member_id, other_id)
    if existing is not None:
        if existing.status == PartnerStatus.ACTIVE.value:
            raise GoalError(said("You are partners already."))
        if existing.inviter_id == other_id:
            raise GoalError(said("They have already invited you: accept it in your partner list."))
        raise GoalError(said("Your invitation is waiting for their answer."))
    pending = session.exec(
        select(Partnership.id).where(
            Partnership.inviter_id == member_id, Partnership.status == PartnerStatus.PENDING.value
        )
    ).all()
    if len(pending) >= PENDING_INVITES_MAX:
        raise GoalError(said("You have many invitations waiting already; give them some time."))
    declined = session.exec(
        select(Partnership.id).where(
            Partnership.inviter_id == member_id,
            Partnership.invitee_id == other_id,
            Partnership.status == PartnerStatus.DECLINED.value,
            col(Partnership.responded_at) >= utcnow() - DECLINE_QUIET,
        )
    ).first()
    if declined is not None:
        raise GoalError(said("They answered your last invitation recently; please let it rest."))
    row = Partnership(inviter_id=member_id, invitee_id=other_id)
    session.add(row)
    session.flush()
    return _partnership_view(session, row, member_id)


def _partnership_view(session: Session, row: Partnership, member_id: int) -> PartnershipView:
    assert row.id is not None
    other_id = row.invitee_id if row.inviter_id == member_id else row.inviter_id
    other = session.get(Member, other_id)
    return PartnershipView(
        row.id,
        other_id,
        other.pseudonym if other else "",
        PartnerStatus(row.status),
        row.invitee_id == member_id,
    )


def _my_partnership(session: Session, member_id: int, partnership_id: int) -> Partnership:
    row = session.get(Partnership, partnership_id)
    if row is None or member_id not in (row.inviter_id, row.invitee_id):
        raise GoalError(said("That partnership isn't there any more."))
    return row


def answer_invitation(
    session: Session, *, member_id: int, partnership_id: int, accept: bool
) -> PartnershipView:
    """Accept or decline an invitation addressed to this member."""
    row = _my_partnership(session, member_id, partnership_id)
    if row.invitee_id != member_id or row.status != PartnerStatus.PENDING.value:
        raise GoalError(said("There is no invitation waiting for your answer there."))
    if accept and has_blocked(session, member_id, row.inviter_id):
        raise GoalError(said("You have blocked this member; unblock them first to partner up."))
    row.status = (PartnerStatus.ACTIVE if accept else PartnerStatus.DECLINED).value
    row.responded_at = utcnow()
    session.add(row)
    session.flush()
    return _partnership_view(session, row, member_id)


def end_partnership(session: Session, *, member_id: int, partnership_id: int) -> None:
    """Either partner may end it (or withdraw an invitation) at any time, no reason asked."""
    row = _my_partnership(session, member_id, partnership_id)
    if row.status in (PartnerStatus.ACTIVE.value, PartnerStatus.PENDING.value):
        row.status = PartnerStatus.ENDED.value
        row.ended_at = utcnow()
        session.add(row)
        session.flush()


def partnerships(session: Session, member_id: int) -> list[PartnershipView]:
    """Open partnerships and invitations, incoming invitations first."""
    rows = session.exec(
        select(Partnership)
        .where(
            col(Partnership.status).in_([PartnerStatus.PENDING.value, PartnerStatus.ACTIVE.value]),
            or_(col(Partnership.inviter_id) == member_id, col(Partnership.invitee_id) == member_id),
        )
        .order_by(col(Partnership.id))
    ).all()
    views = [_partnership_view(session, r, member_id) for r in rows]
    return sorted(
        views,
        key=lambda v: (
            not (v.incoming and v.status is PartnerStatus.PENDING),
            v.status is not PartnerStatus.ACTIVE,
            v.other.lower(),
        ),
    )


def pending_invitations(session: Session, member_id: int) -> int:
    """Partner invitations waiting for this member's answer."""
    return int(session.exec(select(pending_invitations_counted(member_id))).one())


def pending_invitations_counted(member_id: int | BindParameter[int]) -> ScalarSelect[int]:
    """`pending_invitations` as a subquery (the home screen reads its counts at once)."""
    return counted(
        Partnership,
        Partnership.invitee_id == member_id,
        Partnership.status == PartnerStatus.PENDING.value,
    )


def partner_goals(
    session: Session, *, viewer_id: int, partner_id: int, now: datetime | None = None
) -> list[GoalSummary]:
    """The goals a partner shares, with progress in their own time zone."""
    if not _partners(session, viewer_id, partner_id):
        raise GoalError(said("You are not partners with this member now."))
    return _open_goals(session, partner_id, (Visibility.PARTNERS, Visibility.COMMUNITY), now)


def shared_goals(
    session: Session, *, viewer_id: int, other_id: int, now: datetime | None = None
) -> list[GoalSummary]:
    """What `viewer_id` may see of another member's goals: partners see more than others."""
    if _partners(session, viewer_id, other_id):
        return partner_goals(session, viewer_id=viewer_id, partner_id=other_id, now=now)
    if _blocked_either_way(session, viewer_id, other_id):
        return []
    return _open_goals(session, other_id, (Visibility.COMMUNITY,), now)


def _open_goals(
    session: Session, owner_id: int, shown: tuple[Visibility, ...], now: datetime | None
) -> list[GoalSummary]:
    """The owner's goals not archived and shown as `shown`, with progress in their time."""
    today = member_today(session, owner_id, now)
    rests = _rests(session, owner_id)
    goals = session.exec(
        select(Goal)
        .where(
            Goal.member_id == owner_id,
            col(Goal.archived).is_(False),
            col(Goal.visibility).in_([v.value for v in shown]),
        )
        .order_by(col(Goal.id))
    ).all()
    rows = _check_ins_of(session, goals)
    return [_summary(g, rows[g.id], today, rests) for g in goals]


# -- cheers ---------------------------------------------------------------------------
def clean_cheer(body: str) -> str:
    return fitting(
        clean_line(body).strip(),
        CHEER_MAX,
        GoalError,
        N_("Cheers can be up to {most} characters; yours has {count}."),
        missing=N_("A cheer needs a few words, like “Proud of you!”."),
    )


def check_may_cheer(session: Session, *, sender_id: int, recipient_id: int) -> None:
    if has_blocked(session, recipient_id, sender_id) or not _partners(
        session, sender_id, recipient_id
    ):
        raise GoalError(said("You can cheer your partners only."))


def send_cheer(
    session: Session,
    *,
    sender_id: int,
    recipient_id: int,
    written: Written[str],
    goal_id: int | None = None,
) -> CheerView:
    """Store a cheer as the moderation gate decided: held ones wait for a moderator."""
    # A muted member can read but not write to others (the admin screen's mute); crisis
    # words wait for a moderator instead of being refused.
    action, muted = mute_decides(session, sender_id, written.action, written.now)
    if muted is not None:
        raise GoalError(muted)
    check_may_cheer(session, sender_id=sender_id, recipient_id=recipient_id)
    cleaned = clean_cheer(written.text)
    since = utcnow() - timedelta(hours=1)
    sent = session.exec(
        select(Cheer.id).where(Cheer.sender_id == sender_id, col(Cheer.created_at) >= since)
    ).all()
    if len(sent) >= CHEERS_PER_HOUR:
        raise GoalError(
            said("You've sent a lot of cheers this hour. Lovely; give it a little while.")
        )
    if goal_id is not None:
        goal = session.get(Goal, goal_id)
        if goal is None or goal.member_id != recipient_id or not _may_see(session, sender_id, goal):
            goal_id = None
    held = action.holds
    row = Cheer(
        sender_id=sender_id,
        recipient_id=recipient_id,
        goal_id=goal_id,
        body=cleaned,
        status=(CheerStatus.HELD if held else CheerStatus.VISIBLE).value,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    flag_verdict(
        session,
        action,
        target_kind=FlagTarget.CHEER,
        target_id=row.id,
        author_id=sender_id,
        reason="model: cheer",
        scores=written.scores,
    )
    return _cheer_view(session, row)


def _cheer_view(session: Session, row: Cheer) -> CheerView:
    assert row.id is not None
    sender = session.get(Member, row.sender_id) if row.sender_id is not None else None
    goal = session.get(Goal, row.goal_id) if row.goal_id is not None else None
    return CheerView(
        row.id,
        sender.pseudonym if sender else said(FORMER_MEMBER),
        goal.title if goal else "",
        row.body,
        row.status == CheerStatus.HELD.value,
        row.created_at,
    )


def cheers_for(
    session: Session, *, member_id: int, limit: int = 20, mark_seen: bool = False
) -> list[CheerView]:
    """Visible cheers for a member, newest first; held ones are never shown to them."""
    rows = session.exec(
        select(Cheer)
        .where(Cheer.recipient_id == member_id, Cheer.status == CheerStatus.VISIBLE.value)
        .order_by(col(Cheer.id).desc())
        .limit(limit)
    ).all()
    views = [_cheer_view(session, r) for r in rows]
    if mark_seen:
        for r in rows:
            if not r.seen:
                r.seen = True
                session.add(r)
        session.flush()
    return views


def unseen_cheers(session: Session, *, member_id: int) -> int:
    return int(session.exec(select(unseen_cheers_counted(member_id))).one())


def unseen_cheers_counted(member_id: int | BindParameter[int]) -> ScalarSelect[int]:
    """`unseen_cheers` as a subquery (the home screen reads its counts at once)."""
    return counted(
        Cheer,
        Cheer.recipient_id == member_id,
        Cheer.status == CheerStatus.VISIBLE.value,
        col(Cheer.seen).is_(False),
    )


# -- moderators (the admin screen's review queue) --------------------------------------
def review_cheer(session: Session, *, cheer_id: int) -> ModeratedItem:
    """A cheer as a reviewer sees it: its text and who it was for."""
    row = session.get(Cheer, cheer_id)
    if row is None:
        return GONE
    recipient = session.get(Member, row.recipient_id)
    return ModeratedItem(
        text=row.body,
        where=f"cheer to {recipient.pseudonym if recipient else '?'}",
        status=row.status,
    )


def moderate_cheer(session: Session, *, cheer_id: int, outcome: ReviewOutcome) -> None:
    """A moderator delivers (approves), holds back or deletes a cheer."""
    row = session.get(Cheer, cheer_id)
    if row is None:
        return
    if outcome is ReviewOutcome.DELETE:
        session.delete(row)
    else:
        held = outcome is ReviewOutcome.HIDE
        row.status = (CheerStatus.HELD if held else CheerStatus.VISIBLE).value
        session.add(row)
    session.flush()


def review_check_in(session: Session, *, check_in_id: int) -> ModeratedItem:
    """A check-in note (crisis alerts only: a check-in is never hidden or removed)."""
    row = session.get(CheckIn, check_in_id)
    if row is None:
        return GONE
    goal = session.get(Goal, row.goal_id)
    mood = f", mood {row.mood}" if row.mood is not None else ""
    return ModeratedItem(
        text=row.note, where=f"check-in on “{goal.title if goal else '?'}”{mood}", status=row.status
    )

"""Sanctions on members (warn, mute, suspend, ban), what they are told, and enforcing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Executable, Index, Integer, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, or_, select

from bbs.events import Event, announce, event_type
from bbs.i18n import localise, said, said_n
from bbs.models import Member, Stamped, UTCDateTime, utcnow
from bbs.moderation_queue.policy import Action

REASON_MAX = 500
_FOREVER = datetime.max.replace(tzinfo=UTC)
NOTICE_MAX = 2000


def member_topic(member_id: int) -> str:
    """The topic a member's own sessions hear about sanctions and notices on."""
    return f"member:{member_id}"


@event_type("access_changed")
class AccessChanged(Event):
    """Told to a member's own sessions: a sanction on them began or was lifted.

    Each receiving session looks up its own member's access when it arrives (a suspension
    or ban ends it; a mute applies to the next line); the event only says "look again".
    """

    member_id: int
    sanction: str = ""
    reason: str = ""


@event_type("notice_arrived")
class NoticeArrived(Event):
    """Told to a member's own sessions: a note from the moderators is waiting."""

    member_id: int


def announce_access(session: Session, member_id: int, sanction: str, reason: str = "") -> None:
    """Once this transaction commits, the member's sessions look at their access again."""
    announce(
        session, member_topic(member_id), AccessChanged(member_id, sanction, reason[:REASON_MAX])
    )


class SanctionKind(StrEnum):
    """What a moderator did to a member; warnings only count, the others restrict."""

    WARN = "warn"
    MUTE = "mute"
    SUSPEND = "suspend"
    BAN = "ban"


class Sanction(SQLModel, table=True):
    """One sanction: in force from `created_at` until `ends_at` (None: for good) or lifted."""

    __table_args__ = (Index("ix_sanction_member_kind", "member_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)
    category: str = Field(default="", max_length=64)
    reason: str = Field(default="", max_length=REASON_MAX)
    created_by_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lifted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lifted_by_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")


class ModerationNotice(Stamped, table=True):
    """Something a member is told about a moderator's action (no silent removals).

    `audit_id` is the action it is about, so the member can appeal that action once.
    """

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    text: str = Field(max_length=NOTICE_MAX)
    audit_id: int | None = Field(default=None)
    appealable: bool = Field(default=False)
    seen: bool = Field(default=False)


@dataclass(frozen=True)
class SanctionView:
    """A sanction as screens and the CLI show it."""

    id: int
    member_id: int
    kind: SanctionKind
    category: str
    reason: str
    created_at: datetime
    ends_at: datetime | None
    lifted_at: datetime | None

    def in_force(self, now: datetime) -> bool:
        if self.lifted_at is not None:
            return False
        return self.ends_at is None or self.ends_at > now


@dataclass(frozen=True)
class NoticeView:
    id: int
    text: str
    audit_id: int | None
    appealable: bool
    created_at: datetime


def sanction_view(row: Sanction) -> SanctionView:
    assert row.id is not None
    return SanctionView(
        row.id,
        row.member_id,
        SanctionKind(row.kind),
        row.category,
        row.reason,
        row.created_at,
        row.ends_at,
        row.lifted_at,
    )


def until_text(ends_at: datetime | None) -> str:
    """How an end time reads to a member: a UTC time, or "further notice"."""
    if ends_at is None:
        return said("further notice")
    return ends_at.strftime("%Y-%m-%d %H:%M UTC")


def why_text(category: str, reason: str) -> str:
    return ": ".join(part for part in (category, reason) if part) or "no reason given"


_STOPS = (".", "!", "?", "…")
_CLOSING = "\"'”’)]»"


def full_stop(text: str) -> str:
    """`text` ended as a sentence: a period added only when it has no stop of its own.

    A moderator's reason often ends with its own period ("Name-calling."), a question
    or an exclamation; a template's period after it made "..", "?." and "!.".
    """
    text = text.rstrip()
    if text.rstrip(_CLOSING).endswith(_STOPS):
        return text
    return text + "."


def why_said(category: str, reason: str) -> str:
    """ "<category: reason>." as a member reads it after "because", with exactly one stop
    at its end; a category of our own (the defaults) is said in the reader's language."""
    reason = reason.strip()
    named = said(category) if category else ""
    if reason:
        reason = full_stop(reason)
        return said("{category}: {reason}", category=named, reason=reason) if named else reason
    if named:
        if category.rstrip().rstrip(_CLOSING).endswith(_STOPS):
            return named
        return said("{category}.", category=named)
    return said("no reason given.")


def because(category: str, reason: str) -> str:
    """ "because <category: reason>." with exactly one stop at its end."""
    return said("because {why}", why=why_said(category, reason))


# Built once (every login and every line a member writes asks). Read through the session
# as ORM rows, as before: a sanction added in this transaction is flushed and counted.
_ACTIVE_SANCTIONS = (
    select(Sanction)
    .where(
        col(Sanction.member_id) == bindparam("member_id", type_=Integer),
        col(Sanction.kind) != SanctionKind.WARN.value,
        col(Sanction.lifted_at).is_(None),
        or_(
            col(Sanction.ends_at).is_(None),
            col(Sanction.ends_at) > bindparam("now", type_=UTCDateTime),
        ),
    )
    .order_by(col(Sanction.id).desc())
)


def active_sanctions(
    session: Session, member_id: int, now: datetime | None = None
) -> list[SanctionView]:
    """The restricting sanctions in force now (warnings excluded), newest first."""
    rows = session.exec(_ACTIVE_SANCTIONS, params={"member_id": member_id, "now": now or utcnow()})
    return [sanction_view(r) for r in rows]


def _strongest(
    sanctions: list[SanctionView], kinds: tuple[SanctionKind, ...]
) -> SanctionView | None:
    for kind in kinds:
        found = [s for s in sanctions if s.kind is kind]
        if found:
            # The one that lasts longest is the one the member needs to hear about.
            return max(found, key=lambda s: s.ends_at or _FOREVER)
    return None


def is_banned(session: Session, member_id: int, now: datetime | None = None) -> bool:
    """A ban refuses the pseudonym and its keys at the SSH door, like a wrong password."""
    return any(s.kind is SanctionKind.BAN for s in active_sanctions(session, member_id, now))


def login_block(session: Session, member_id: int, now: datetime | None = None) -> str | None:
    """One line for a member who may not log in now (suspended), else None.

    Bans are refused earlier, at authentication; a banned member who gets this far
    (a session open when the ban came) is told plainly as well.
    """
    return _login_line(active_sanctions(session, member_id, now))


def login_status(
    session: Session, member_id: int, now: datetime | None = None
) -> tuple[bool, str | None]:
    """At login, from one query: is the member banned (`is_banned`), and if not, the line
    a suspended member is shown (`login_block`), else None."""
    active = active_sanctions(session, member_id, now)
    if any(s.kind is SanctionKind.BAN for s in active):
        return True, None
    return False, _login_line(active)


def _login_line(active: list[SanctionView]) -> str | None:
    found = _strongest(active, (SanctionKind.BAN, SanctionKind.SUSPEND))
    if found is None:
        return None
    if found.kind is SanctionKind.BAN:
        return said(
            "This account is banned because {why}", why=why_said(found.category, found.reason)
        )
    return said(
        "Your account is suspended until {until} because {why}",
        until=until_text(found.ends_at),
        why=why_said(found.category, found.reason),
    )


def posting_block(session: Session, member_id: int, now: datetime | None = None) -> str | None:
    """Why this member may not post, chat, message or cheer now (muted), else None."""
    found = _strongest(
        active_sanctions(session, member_id, now),
        (SanctionKind.BAN, SanctionKind.SUSPEND, SanctionKind.MUTE),
    )
    if found is None:
        return None
    return said(
        "You are muted until {until} because {why} You can still read everything; "
        "your text is kept so nothing is lost.",
        until=until_text(found.ends_at),
        why=why_said(found.category, found.reason),
    )


def mute_decides(
    session: Session, member_id: int, action: Action, now: datetime | None = None
) -> tuple[Action, str | None]:
    """What a member's writing gets once any mute is counted: `(action, None)` when they
    may write; `(action, why)` when a mute refuses it (show `why`, keep their text).

    Crisis words are never simply refused: from a muted member they wait for a moderator
    as a priority crisis alert (CRISIS_HOLD), and the writer gets the crisis lines at once.
    """
    muted = posting_block(session, member_id, now)
    if muted is None:
        return action, None
    if action.is_crisis:
        return Action.CRISIS_HOLD, None
    return action, muted


# Warnings add up: the moderator is offered the next step, never forced to take it.
ESCALATION: tuple[tuple[SanctionKind, timedelta], ...] = (
    (SanctionKind.MUTE, timedelta(hours=24)),
    (SanctionKind.SUSPEND, timedelta(days=7)),
    (SanctionKind.SUSPEND, timedelta(days=30)),
)
WARNING_MEMORY = timedelta(days=180)


def warning_count(session: Session, member_id: int, now: datetime | None = None) -> int:
    """Warnings in the last half year that were not lifted."""
    since = (now or utcnow()) - WARNING_MEMORY
    rows = session.exec(
        select(Sanction.id).where(
            Sanction.member_id == member_id,
            Sanction.kind == SanctionKind.WARN.value,
            col(Sanction.lifted_at).is_(None),
            col(Sanction.created_at) >= since,
        )
    ).all()
    return len(rows)


def suggested_step(warnings: int) -> str:
    """What the warnings so far suggest, in words for the moderator."""
    if warnings <= 0:
        return said("no warnings: a warning would be the first step")
    kind, length = ESCALATION[min(warnings, len(ESCALATION)) - 1]
    days = length.days
    span = (
        said("{days} d", days=days)
        if days >= 2
        else said("{hours} h", hours=int(length.total_seconds() // 3600))
    )
    return said_n(
        "{count} warning: suggest {kind} for {span}",
        "{count} warnings: suggest {kind} for {span}",
        warnings,
        kind=kind.value,
        span=span,
    )


# -- notices ----------------------------------------------------------------------------
def add_notice(
    session: Session,
    *,
    member_id: int,
    text: str,
    audit_id: int | None = None,
    appealable: bool = False,
) -> int:
    # Kept as the member reads it: in their language (a `Said`) when they have chosen one.
    language = session.exec(select(Member.language).where(Member.id == member_id)).first()
    told = localise(text, language or "en")
    row = ModerationNotice(
        member_id=member_id, text=told[:NOTICE_MAX], audit_id=audit_id, appealable=appealable
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    announce(session, member_topic(member_id), NoticeArrived(member_id))
    return row.id


_UNSEEN_NOTICES: Executable = (
    sa_select(
        col(ModerationNotice.id),
        col(ModerationNotice.text),
        col(ModerationNotice.audit_id),
        col(ModerationNotice.appealable),
        col(ModerationNotice.created_at),
    )
    .where(
        col(ModerationNotice.member_id) == bindparam("member_id", type_=Integer),
        col(ModerationNotice.seen).is_(False),
    )
    .order_by(col(ModerationNotice.id))
)


def unseen_notices(session: Session, member_id: int) -> list[NoticeView]:
    """A member's notes from the moderators not yet seen, oldest first (a read: its one
    statement is built once and read as plain rows)."""
    rows = session.connection().execute(_UNSEEN_NOTICES, {"member_id": member_id})
    return [NoticeView(*row) for row in rows]


def mark_notices_seen(session: Session, member_id: int, notice_ids: list[int]) -> None:
    for row in session.exec(
        select(ModerationNotice).where(
            ModerationNotice.member_id == member_id, col(ModerationNotice.id).in_(notice_ids)
        )
    ).all():
        row.seen = True
        session.add(row)
    session.flush()


def parse_length(text: str) -> timedelta | None:
    """A length as moderators type it: "90m", "24h", "7d", "2w"; empty means the default."""
    raw = text.strip().lower().replace(" ", "")
    if not raw:
        return None
    units = {
        "m": timedelta(minutes=1),
        "h": timedelta(hours=1),
        "d": timedelta(days=1),
        "w": timedelta(weeks=1),
    }
    number, unit = raw[:-1], raw[-1]
    if unit not in units or not number.isdecimal() or not 0 < int(number) <= 100_000:
        raise ValueError(said("Write a length like 90m, 24h, 7d or 2w."))
    return int(number) * units[unit]

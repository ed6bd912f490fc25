"""Sysop and moderator work: the review queue, actions with reasons, appeals and the audit log."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import BindParameter, ScalarSelect, case
from sqlmodel import Field, Session, col, func, select

from bbs.accounts.pseudonyms import normalize_pseudonym
from bbs.boards import records as boards
from bbs.goals import records as goals
from bbs.i18n import N_, said
from bbs.mail import records as messages
from bbs.models import Member, Role, Stamped, count_rows, counted, row_or_raise, utcnow
from bbs.moderation_queue.audit import AdminError, AuditEntry, audit_action, require_staff
from bbs.moderation_queue.examples import record_decision
from bbs.moderation_queue.flags import (
    GONE,
    FlagKind,
    FlagTarget,
    ModeratedItem,
    ModerationFlag,
    ReviewOutcome,
    announce_flag,
)
from bbs.moderation_queue.sanctions import (
    REASON_MAX,
    ModerationNotice,
    Sanction,
    SanctionKind,
    SanctionView,
    add_notice,
    announce_access,
    sanction_view,
    suggested_step,
    until_text,
    warning_count,
    why_said,
    why_text,
)
from bbs.phrases import listed, sentences
from bbs.rooms import records as rooms
from bbs.sysop_settings import get_setting, put_setting, setting_value
from bbs.text_safety import clean_line, clean_text

# The reason categories a moderator picks from (plus free text); a sysop may replace them.
DEFAULT_REASON_CATEGORIES: tuple[str, ...] = (
    N_("Harassment"),
    N_("Spam"),
    N_("Hate"),
    N_("Self-harm instructions"),
    N_("Privacy (outing someone)"),
    N_("Off-topic"),
    N_("Other"),
)
SUPPORT_MAX = 1000
NOTE_MAX = 2000
APPEAL_MAX = 500

# Queue order: people in danger first, then what members asked about, then the model's holds.
_KIND_RANK = {
    FlagKind.CRISIS.value: 0,
    FlagKind.REPORT.value: 1,
    FlagKind.APPEAL.value: 2,
    FlagKind.HOLD.value: 3,
}


class Decision(StrEnum):
    """Everything a moderator can do, one key each on the queue screen."""

    APPROVE = "approve"
    HIDE = "hide"
    DELETE = "delete"
    WARN = "warn"
    MUTE = "mute"
    SUSPEND = "suspend"
    BAN = "ban"
    LIFT = "lift"
    ACKNOWLEDGE = "acknowledge"
    UPHOLD = "uphold"
    OVERTURN = "overturn"
    NOTE = "note"
    SETTING = "setting"


_SANCTIONS = {
    Decision.WARN: SanctionKind.WARN,
    Decision.MUTE: SanctionKind.MUTE,
    Decision.SUSPEND: SanctionKind.SUSPEND,
    Decision.BAN: SanctionKind.BAN,
}
_CONTENT = {
    Decision.APPROVE: ReviewOutcome.SHOW,
    Decision.HIDE: ReviewOutcome.HIDE,
    Decision.DELETE: ReviewOutcome.DELETE,
}
# Default lengths when a moderator gives none; a ban lasts until lifted.
DEFAULT_LENGTHS = {SanctionKind.MUTE: timedelta(hours=24), SanctionKind.SUSPEND: timedelta(days=7)}


# -- tables -------------------------------------------------------------------------------
class ModeratorNote(Stamped, table=True):
    """A private note about a member, for moderators only."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    author_name: str = Field(default="", max_length=64)
    text: str = Field(max_length=NOTE_MAX)


# -- views ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueItem:
    """One item of the review queue, with everything a moderator needs to decide."""

    flag_id: int
    kind: FlagKind
    target_kind: str
    target_id: int
    author_id: int | None
    author: str
    reporter: str
    reason: str
    scores: str
    created_at: datetime
    item: ModeratedItem
    history: tuple[str, ...] = ()
    suggestion: str = ""


@dataclass(frozen=True)
class AuditView:
    id: int
    created_at: datetime
    actor: str
    action: str
    member: str
    target: str
    category: str
    reason: str
    detail: str
    member_id: int | None = None


@dataclass(frozen=True)
class AuditFilter:
    """Which audit entries to list; every field narrows, None means any."""

    moderator: str | None = None
    member: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class MemberRecord:
    """A member as moderators look them up: profile, sanctions, flags, notes, posts."""

    id: int
    pseudonym: str
    role: str
    created_at: datetime
    last_login_at: datetime | None
    sanctions: tuple[SanctionView, ...]
    flags: tuple[str, ...]
    reports_made: int
    notes: tuple[str, ...]
    posts: tuple[str, ...]
    suggestion: str


# -- who may act ----------------------------------------------------------------------------
def _member_named(session: Session, name: str) -> Member:
    member = session.exec(
        select(Member).where(Member.pseudonym_key == normalize_pseudonym(name))
    ).first()
    if member is None:
        raise AdminError(said("There is no member called {name}.", name=repr(clean_line(name))))
    return member


def _clean_reason(category: str, reason: str) -> tuple[str, str]:
    category = clean_line(category).strip()[:64]
    reason = clean_text(reason).strip()[:REASON_MAX]
    if not category and not reason:
        raise AdminError(said("Every action needs a reason: pick a category or write one."))
    return category, reason


# -- settings -------------------------------------------------------------------------------
def reason_categories(session: Session) -> list[str]:
    """The configured reason categories (one a line in the setting), else the defaults."""
    raw = get_setting(session, "reason_categories")
    found = [clean_line(line).strip() for line in raw.splitlines() if line.strip()]
    return found or list(DEFAULT_REASON_CATEGORIES)


# -- the audit log ------------------------------------------------------------------------
def _audit_view(e: AuditEntry, *, hide_moderator: bool = False) -> AuditView:
    assert e.id is not None
    target = f"{e.target_kind} {e.target_id}" if e.target_kind else ""
    return AuditView(
        e.id,
        e.created_at,
        "a moderator" if hide_moderator else e.actor_name,
        e.action,
        e.member_name,
        target,
        e.category,
        e.reason,
        e.detail,
        None if hide_moderator else e.member_id,
    )


def audit_log(
    session: Session, *, actor_id: int, filters: AuditFilter | None = None, limit: int = 500
) -> list[AuditView]:
    """The audit log, newest first, for staff."""
    require_staff(session, actor_id)
    f = filters or AuditFilter()
    query = select(AuditEntry)
    if f.moderator:
        query = query.where(AuditEntry.actor_name == _member_named(session, f.moderator).pseudonym)
    if f.member:
        query = query.where(AuditEntry.member_name == _member_named(session, f.member).pseudonym)
    if f.action:
        query = query.where(AuditEntry.action == f.action.strip().lower())
    if f.since:
        query = query.where(col(AuditEntry.created_at) >= f.since)
    if f.until:
        query = query.where(col(AuditEntry.created_at) < f.until)
    rows = session.exec(query.order_by(col(AuditEntry.id).desc()).limit(limit)).all()
    return [_audit_view(e) for e in rows]


def audit_csv(entries: list[AuditView]) -> str:
    """The audit entries as CSV (oldest first), for a sysop to keep or show."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "id",
            "when_utc",
            "moderator",
            "action",
            "member",
            "target",
            "category",
            "reason",
            "detail",
        ]
    )
    for e in reversed(entries):
        writer.writerow(
            [
                e.id,
                e.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                e.actor,
                e.action,
                e.member,
                e.target,
                e.category,
                e.reason,
                e.detail,
            ]
        )
    return out.getvalue()


PUBLIC_LOG_SWITCH = "public_moderation_log"
_PUBLIC_ACTIONS = (
    Decision.HIDE,
    Decision.DELETE,
    Decision.WARN,
    Decision.MUTE,
    Decision.SUSPEND,
    Decision.BAN,
    Decision.LIFT,
)


def public_log(session: Session, *, limit: int = 100) -> list[AuditView]:
    """The member-facing moderation log (moderator names hidden), when a sysop turns it on."""
    if get_setting(session, PUBLIC_LOG_SWITCH) != "on":
        return []
    rows = session.exec(
        select(AuditEntry)
        .where(col(AuditEntry.action).in_([d.value for d in _PUBLIC_ACTIONS]))
        .order_by(col(AuditEntry.id).desc())
        .limit(limit)
    ).all()
    return [_audit_view(e, hide_moderator=True) for e in rows]


# -- the queue ----------------------------------------------------------------------------
_REVIEWERS: dict[str, Callable[[Session, int], ModeratedItem]] = {
    FlagTarget.POST.value: lambda s, i: boards.review_post(s, post_id=i),
    FlagTarget.MESSAGE.value: lambda s, i: messages.review_message(s, message_id=i),
    FlagTarget.ROOM_LINE.value: lambda s, i: rooms.review_line(s, line_id=i),
    FlagTarget.CHEER.value: lambda s, i: goals.review_cheer(s, cheer_id=i),
    FlagTarget.CHECK_IN.value: lambda s, i: goals.review_check_in(s, check_in_id=i),
    FlagTarget.GOAL.value: lambda s, i: goals.review_goal(s, goal_id=i),
}
_MODERATORS: dict[str, Callable[[Session, int, ReviewOutcome], None]] = {
    FlagTarget.POST.value: lambda s, i, o: boards.moderate_post(s, post_id=i, outcome=o),
    FlagTarget.MESSAGE.value: lambda s, i, o: messages.moderate_message(s, message_id=i, outcome=o),
    FlagTarget.ROOM_LINE.value: lambda s, i, o: rooms.moderate_line(s, line_id=i, outcome=o),
    FlagTarget.CHEER.value: lambda s, i, o: goals.moderate_cheer(s, cheer_id=i, outcome=o),
}


def _describe(session: Session, flag: ModerationFlag) -> ModeratedItem:
    if flag.kind == FlagKind.APPEAL.value:
        entry = session.get(AuditEntry, flag.target_id)
        if entry is None:
            return GONE
        what = said(
            "{action} by {name} on {when}",
            action=entry.action,
            name=entry.actor_name,
            when=entry.created_at.strftime("%Y-%m-%d %H:%M"),
        )
        return ModeratedItem(
            text=flag.reason,
            where=said("appeal against: {what}", what=what),
            context=(
                said("reason given: {why}", why=why_text(entry.category, entry.reason)),
                said("about: {detail}", detail=entry.detail),
            ),
        )
    reviewer = _REVIEWERS.get(flag.target_kind)
    return reviewer(session, flag.target_id) if reviewer else GONE


def _history(session: Session, member_id: int | None) -> tuple[tuple[str, ...], str]:
    if member_id is None:
        return (), ""
    now = utcnow()
    lines: list[str] = []
    rows = session.exec(
        select(Sanction)
        .where(Sanction.member_id == member_id)
        .order_by(col(Sanction.id).desc())
        .limit(5)
    ).all()
    for row in rows:
        view = sanction_view(row)
        when, why = f"{row.created_at:%Y-%m-%d}", why_text(row.category, row.reason)
        lines.append(
            said("{when} {kind} (in force): {why}", when=when, kind=row.kind, why=why)
            if view.in_force(now)
            else said("{when} {kind} (ended): {why}", when=when, kind=row.kind, why=why)
        )
    flagged = count_rows(session, ModerationFlag, ModerationFlag.author_id == member_id)
    posts = boards.posts_by(session, author_id=member_id, limit=3)
    lines.append(said("flagged {count} time(s) in all", count=int(flagged)))
    lines.extend(
        said("recent post ({status}): {text}", status=p.status.value, text=p.body[:60])
        for p in posts
    )
    return tuple(lines), suggested_step(warning_count(session, member_id, now))


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {
        i: n
        for i, n in session.exec(
            select(Member.id, Member.pseudonym).where(col(Member.id).in_(wanted))
        ).all()
        if i is not None
    }


def review_queue(
    session: Session, *, actor_id: int, limit: int = 50, details: bool = True
) -> list[QueueItem]:
    """Open items: crisis alerts, then reports, then appeals, then holds; oldest first in each."""
    require_staff(session, actor_id)
    rank = case(_KIND_RANK, value=col(ModerationFlag.kind), else_=9)
    flags = session.exec(
        select(ModerationFlag)
        .where(col(ModerationFlag.resolved).is_(False))
        .order_by(rank, col(ModerationFlag.created_at), col(ModerationFlag.id))
        .limit(limit)
    ).all()
    names = _names(session, {f.author_id for f in flags} | {f.reporter_id for f in flags})
    items: list[QueueItem] = []
    for flag in flags:
        assert flag.id is not None
        history, suggestion = _history(session, flag.author_id) if details else ((), "")
        items.append(
            QueueItem(
                flag_id=flag.id,
                kind=FlagKind(flag.kind),
                target_kind=flag.target_kind,
                target_id=flag.target_id,
                author_id=flag.author_id,
                author=names.get(flag.author_id or 0, "(gone)"),
                reporter=names.get(flag.reporter_id or 0, "") if flag.reporter_id else "",
                reason=flag.reason,
                scores=flag.scores,
                created_at=flag.created_at,
                item=_describe(session, flag) if details else GONE,
                history=history,
                suggestion=suggestion,
            )
        )
    return items


def open_crisis_alerts(session: Session) -> int:
    return int(session.exec(select(open_crisis_alerts_counted())).one())


def open_crisis_alerts_counted() -> ScalarSelect[int]:
    """`open_crisis_alerts` as a subquery (the home screen reads its counts at once)."""
    return counted(
        ModerationFlag,
        col(ModerationFlag.resolved).is_(False),
        ModerationFlag.kind == FlagKind.CRISIS.value,
    )


def queue_size(session: Session) -> tuple[int, datetime | None]:
    """How many items are open and when the oldest arrived."""
    count, oldest = session.exec(
        select(func.count(), func.min(ModerationFlag.created_at)).where(
            col(ModerationFlag.resolved).is_(False)
        )
    ).one()
    if isinstance(oldest, str):
        oldest = datetime.fromisoformat(oldest)
    if isinstance(oldest, datetime) and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return int(count), oldest


# -- actions --------------------------------------------------------------------------------
# What a member's text is, as they read it in a notice ("your post").
_WHERE = {
    FlagTarget.POST.value: N_("your post"),
    FlagTarget.MESSAGE.value: N_("your private message"),
    FlagTarget.ROOM_LINE.value: N_("your line in a room"),
    FlagTarget.CHEER.value: N_("your cheer"),
    FlagTarget.CHECK_IN.value: N_("your check-in"),
    FlagTarget.GOAL.value: N_("your goal"),
}
YOUR_TEXT = N_("your text")
APPEAL_HINT = N_("If you think this was a mistake, you can appeal once from your home screen.")
# The kinds of sanction as a member reads them ("A moderator lifted your mute").
_KIND_WORDS = {
    SanctionKind.WARN.value: N_("warn"),
    SanctionKind.MUTE.value: N_("mute"),
    SanctionKind.SUSPEND.value: N_("suspend"),
    SanctionKind.BAN.value: N_("ban"),
}


def _your(target_kind: str) -> str:
    return said(_WHERE.get(target_kind, YOUR_TEXT))


def _resolve_target(session: Session, flag: ModerationFlag) -> None:
    """Close every open flag of the same family on the same thing, decided once: reports
    and holds together; crisis alerts together. Acknowledging a crisis alert never settles
    whether a held text is shown, nor does deciding that answer the alert."""
    crisis = FlagKind.CRISIS.value
    family = (
        col(ModerationFlag.kind) == crisis
        if flag.kind == crisis
        else col(ModerationFlag.kind).not_in((crisis, FlagKind.APPEAL.value))
    )
    for other in session.exec(
        select(ModerationFlag).where(
            col(ModerationFlag.resolved).is_(False),
            family,
            ModerationFlag.target_kind == flag.target_kind,
            ModerationFlag.target_id == flag.target_id,
        )
    ).all():
        other.resolved = True
        session.add(other)
    flag.resolved = True
    session.add(flag)
    session.flush()


def _learn(
    session: Session,
    *,
    flag: ModerationFlag,
    item: ModeratedItem,
    decision: Decision,
    category: str,
    actor: Member,
) -> None:
    """A sysop's decision on a held or reported text becomes a training example."""
    if not item.text.strip() or flag.kind not in (FlagKind.HOLD.value, FlagKind.REPORT.value):
        return
    bad = decision is not Decision.APPROVE
    spam = bad and category.lower().startswith("spam")
    record_decision(
        session,
        text=item.text,
        harassment=bad and not spam,
        spam=spam,
        crisis=False,
        decided_by_id=actor.id,
    )


def _sanction(
    session: Session,
    *,
    actor: Member,
    member: Member,
    kind: SanctionKind,
    length: timedelta | None,
    category: str,
    reason: str,
    flag: ModerationFlag | None = None,
    about: str = "",
) -> AuditEntry:
    if member.id == actor.id:
        raise AdminError(said("You cannot act on your own account."))
    if member.role == Role.SYSOP.value and actor.role != Role.SYSOP.value:
        raise AdminError(said("Only a sysop can act on a sysop."))
    now = utcnow()
    if length is None:
        length = DEFAULT_LENGTHS.get(kind)
    ends = now + length if length is not None and kind is not SanctionKind.WARN else None
    row = Sanction(
        member_id=member.id or 0,
        kind=kind.value,
        category=category,
        reason=reason,
        created_by_id=actor.id,
        created_at=now,
        ends_at=ends,
    )
    session.add(row)
    session.flush()
    detail = "" if kind is SanctionKind.WARN else f"until {until_text(ends)}"
    entry = audit_action(
        session,
        actor=actor,
        action=kind.value,
        member=member,
        flag=flag,
        category=category,
        reason=reason,
        detail=detail,
        sanction_id=row.id,
    )
    why = why_said(category, reason)
    until = until_text(ends)
    told: list[str] = [
        {
            SanctionKind.WARN: said("A moderator has warned you because {why}", why=why),
            SanctionKind.MUTE: said(
                "A moderator has muted you until {until} because {why} "
                "You can still read everything, but not post or chat.",
                until=until,
                why=why,
            ),
            SanctionKind.SUSPEND: said(
                "A moderator has suspended your account until {until} because {why}",
                until=until,
                why=why,
            ),
            SanctionKind.BAN: said("A moderator has banned your account because {why}", why=why),
        }[kind]
    ]
    if kind is SanctionKind.WARN:
        count = warning_count(session, member.id or 0, now)
        if count > 1:
            told.append(
                said(
                    "This is warning {count}: further warnings lead to a mute or suspension.",
                    count=count,
                )
            )
    if about:
        told.append(said("It was about {what}, which is no longer shown to others.", what=about))
    add_notice(
        session,
        member_id=member.id or 0,
        text=sentences(*told, said(APPEAL_HINT)),
        audit_id=entry.id,
        appealable=True,
    )
    if kind is not SanctionKind.WARN:
        announce_access(session, member.id or 0, kind.value, why_text(category, reason))
    return entry


def decide(
    session: Session,
    actor_id: int,
    flag_id: int,
    decision: Decision,
    *,
    category: str = "",
    reason: str = "",
    length: timedelta | None = None,
    support: str = "",
) -> AuditView:
    """Act on one queue item, with a reason; the member is told and the audit log keeps it."""
    actor = require_staff(session, actor_id)
    flag = row_or_raise(
        session, ModerationFlag, flag_id, AdminError(said("That item is no longer in the queue."))
    )
    if flag.resolved:
        raise AdminError(said("Someone has already dealt with that item."))
    if flag.kind == FlagKind.APPEAL.value:
        return _decide_appeal(
            session, actor=actor, flag=flag, decision=decision, category=category, reason=reason
        )
    if flag.kind == FlagKind.CRISIS.value:
        if decision is not Decision.ACKNOWLEDGE:
            raise AdminError(
                said(
                    "A crisis alert is never a strike: acknowledge it, and send support if "
                    "you like."
                )
            )
        return _acknowledge(session, actor=actor, flag=flag, support=support, reason=reason)
    if decision is Decision.ACKNOWLEDGE:
        decision = Decision.APPROVE
    if decision not in _CONTENT and decision not in _SANCTIONS:
        raise AdminError(
            said("{decision} is not something to do with this item.", decision=decision.value)
        )
    category, reason = _clean_reason(category, reason)
    author = session.get(Member, flag.author_id) if flag.author_id else None
    item = _describe(session, flag)
    change = _MODERATORS.get(flag.target_kind)
    outcome = _CONTENT.get(decision, ReviewOutcome.HIDE)
    if change is not None and (decision in _CONTENT or item.status != "deleted"):
        # A sanction taken from the queue also takes the text down: it was the cause.
        change(session, flag.target_id, outcome)
    _resolve_target(session, flag)
    _learn(session, flag=flag, item=item, decision=decision, category=category, actor=actor)
    excerpt = item.text.replace("\n", " ")[:120]
    if decision in _SANCTIONS:
        if author is None:
            raise AdminError(said("The author's account no longer exists."))
        about = said("{what} ({where})", what=_your(flag.target_kind), where=item.where)
        entry = _sanction(
            session,
            actor=actor,
            member=author,
            kind=_SANCTIONS[decision],
            length=length,
            category=category,
            reason=reason,
            flag=flag,
            about=about if item.exists and change is not None else "",
        )
        entry.detail = clean_line(f"{entry.detail} {excerpt}".strip())[:500]
        session.add(entry)
        return _audit_view(entry)
    entry = audit_action(
        session,
        actor=actor,
        action=decision.value,
        member=author,
        flag=flag,
        category=category,
        reason=reason,
        detail=excerpt,
    )
    if author is not None and author.id is not None:
        what = _your(flag.target_kind)
        why = why_said(category, reason)
        if decision is Decision.APPROVE:
            if flag.kind == FlagKind.HOLD.value:
                add_notice(
                    session,
                    member_id=author.id,
                    text=said(
                        "A moderator reviewed {what} held for review and it is now visible. "
                        "Thank you for your patience.",
                        what=what,
                    ),
                )
        else:
            done = (
                said(
                    "A moderator hid {what} ({where}) because {why}",
                    what=what,
                    where=item.where,
                    why=why,
                )
                if decision is Decision.HIDE
                else said(
                    "A moderator removed {what} ({where}) because {why}",
                    what=what,
                    where=item.where,
                    why=why,
                )
            )
            add_notice(
                session,
                member_id=author.id,
                text=sentences(done, said(APPEAL_HINT)),
                audit_id=entry.id,
                appealable=True,
            )
    return _audit_view(entry)


def _acknowledge(
    session: Session, *, actor: Member, flag: ModerationFlag, support: str, reason: str
) -> AuditView:
    member = session.get(Member, flag.author_id) if flag.author_id else None
    item = _describe(session, flag)
    support = clean_text(support).strip()[:SUPPORT_MAX]
    _resolve_target(session, flag)
    if item.text.strip() and flag.reporter_id is None:
        # A person confirmed crisis language the model found: it learns it (never as a
        # strike). A member's worry about someone says nothing about the words themselves.
        record_decision(
            session,
            text=item.text,
            harassment=False,
            spam=False,
            crisis=True,
            decided_by_id=actor.id,
        )
    entry = audit_action(
        session,
        actor=actor,
        action=Decision.ACKNOWLEDGE.value,
        member=member,
        flag=flag,
        category="crisis",
        reason=clean_line(reason)[:REASON_MAX],
        detail="support message sent" if support else "",
    )
    if support and member is not None and member.id is not None:
        add_notice(
            session,
            member_id=member.id,
            text="A message from a moderator, just for you: " + support,
        )
    return _audit_view(entry)


def sanction_member(
    session: Session,
    actor_id: int,
    pseudonym: str,
    kind: SanctionKind,
    *,
    category: str = "",
    reason: str = "",
    length: timedelta | None = None,
) -> AuditView:
    """Warn, mute, suspend or ban a member by name (lookup screen, CLI)."""
    actor = require_staff(session, actor_id)
    category, reason = _clean_reason(category, reason)
    member = _member_named(session, pseudonym)
    return _audit_view(
        _sanction(
            session,
            actor=actor,
            member=member,
            kind=kind,
            length=length,
            category=category,
            reason=reason,
        )
    )


def lift(
    session: Session,
    actor_id: int,
    pseudonym: str,
    kind: SanctionKind | None = None,
    *,
    category: str = "",
    reason: str = "",
) -> AuditView:
    """End a member's sanctions in force (of one kind, or all); the member is told."""
    actor = require_staff(session, actor_id)
    category, reason = _clean_reason(category, reason)
    member = _member_named(session, pseudonym)
    assert member.id is not None
    now = utcnow()
    rows = session.exec(
        select(Sanction).where(Sanction.member_id == member.id, col(Sanction.lifted_at).is_(None))
    ).all()
    # Lifting "everything" ends what restricts the member; warnings only when asked for.
    lifted = [
        v
        for v in map(sanction_view, rows)
        if v.in_force(now)
        and (v.kind is kind if kind is not None else v.kind is not SanctionKind.WARN)
    ]
    if not lifted:
        raise AdminError(said("{name} has nothing in force to lift.", name=member.pseudonym))
    for view in lifted:
        row = session.get(Sanction, view.id)
        assert row is not None
        row.lifted_at = now
        row.lifted_by_id = actor.id
        session.add(row)
    kinds = ", ".join(sorted({v.kind.value for v in lifted}))
    entry = audit_action(
        session,
        actor=actor,
        action=Decision.LIFT.value,
        member=member,
        category=category,
        reason=reason,
        detail=f"lifted {kinds}",
    )
    add_notice(
        session,
        member_id=member.id,
        text=said(
            "A moderator lifted your {kinds} because {why}",
            kinds=listed(
                [said(_KIND_WORDS.get(k, k)) for k in sorted({v.kind.value for v in lifted})]
            ),
            why=why_said(category, reason),
        ),
    )
    announce_access(session, member.id, Decision.LIFT.value, why_text(category, reason))
    return _audit_view(entry)


# -- appeals --------------------------------------------------------------------------------
@dataclass(frozen=True)
class AppealSent:
    """An appeal in the queue, and who will decide it (what the member is told)."""

    flag_id: int
    # False when the moderator who acted is the only one who can decide it.
    another_moderator: bool

    @property
    def message(self) -> str:
        if self.another_moderator:
            return said(
                "Your appeal is with the moderators; a moderator other than the one who "
                "acted will decide it."
            )
        return said(
            "Your appeal is with the moderators. This community has no other moderator, "
            "so the moderator who acted will look at it again, with your words in front "
            "of them."
        )


def _other_deciders(session: Session, *, actor_id: int | None, member_id: int | None) -> int:
    """Moderators and sysops who could decide an appeal other than the one who acted."""
    query = (
        select(func.count())
        .select_from(Member)
        .where(col(Member.role).in_([Role.MODERATOR.value, Role.SYSOP.value]))
    )
    for excluded in (actor_id, member_id):
        if excluded is not None:
            query = query.where(Member.id != excluded)
    return int(session.exec(query).one())


def appeal(session: Session, *, member_id: int, audit_id: int, message: str) -> AppealSent:
    """A member appeals an action about them, once; it lands in the queue."""
    entry = session.get(AuditEntry, audit_id)
    if entry is None or entry.member_id != member_id:
        raise AdminError(said("That action cannot be appealed."))
    text = clean_text(message).strip()[:APPEAL_MAX]
    if not text:
        raise AdminError(said("Please say in a few words why you are appealing."))
    earlier = session.exec(
        select(ModerationFlag.id).where(
            ModerationFlag.kind == FlagKind.APPEAL.value,
            ModerationFlag.target_kind == FlagTarget.ACTION.value,
            ModerationFlag.target_id == audit_id,
        )
    ).first()
    if earlier is not None:
        raise AdminError(
            said("You have already appealed this action; a moderator will look at it.")
        )
    flag = ModerationFlag(
        kind=FlagKind.APPEAL.value,
        priority=2,
        target_kind=FlagTarget.ACTION.value,
        target_id=audit_id,
        author_id=member_id,
        reason=text,
    )
    session.add(flag)
    # The one appeal is used: the notices about this action no longer offer it.
    for notice in session.exec(
        select(ModerationNotice).where(
            ModerationNotice.member_id == member_id, ModerationNotice.audit_id == audit_id
        )
    ):
        notice.appealable = False
        session.add(notice)
    session.flush()
    assert flag.id is not None
    announce_flag(session, flag)
    others = _other_deciders(session, actor_id=entry.actor_id, member_id=member_id)
    return AppealSent(flag.id, another_moderator=others > 0)


# How a member reads the action they appealed against.
_APPEALED_ACTION = {
    Decision.HIDE.value: N_("the hiding of your post"),
    Decision.DELETE.value: N_("the removal of your post"),
    Decision.WARN.value: N_("the warning"),
    Decision.MUTE.value: N_("the mute"),
    Decision.SUSPEND.value: N_("the suspension"),
    Decision.BAN.value: N_("the ban"),
}


def _decide_appeal(
    session: Session,
    *,
    actor: Member,
    flag: ModerationFlag,
    decision: Decision,
    category: str,
    reason: str,
) -> AuditView:
    if decision not in (Decision.UPHOLD, Decision.OVERTURN):
        raise AdminError(said("An appeal is upheld or overturned."))
    category, reason = _clean_reason(category, reason)
    original = row_or_raise(
        session,
        AuditEntry,
        flag.target_id,
        AdminError(said("The action appealed no longer exists.")),
    )
    alone = False
    if original.actor_id == actor.id:
        if _other_deciders(session, actor_id=actor.id, member_id=flag.author_id) > 0:
            raise AdminError(
                said(
                    "Another moderator should decide the appeal of your own action: "
                    "the member was promised someone else would look at it."
                )
            )
        alone = True
    member = session.get(Member, flag.author_id) if flag.author_id else None
    if decision is Decision.OVERTURN:
        if original.sanction_id is not None:
            row = session.get(Sanction, original.sanction_id)
            if row is not None and row.lifted_at is None:
                row.lifted_at = utcnow()
                row.lifted_by_id = actor.id
                session.add(row)
                announce_access(session, row.member_id, Decision.LIFT.value)
        change = _MODERATORS.get(original.target_kind)
        if (
            change is not None
            and original.target_id is not None
            and original.action
            in (
                Decision.HIDE.value,
                Decision.WARN.value,
                Decision.MUTE.value,
                Decision.SUSPEND.value,
                Decision.BAN.value,
            )
        ):
            change(session, original.target_id, ReviewOutcome.SHOW)
    flag.resolved = True
    session.add(flag)
    entry = audit_action(
        session,
        actor=actor,
        action=decision.value,
        member=member,
        flag=flag,
        category=category,
        reason=reason,
        detail=f"appeal of {original.action} #{original.id}",
    )
    if member is not None and member.id is not None:
        known = _APPEALED_ACTION.get(original.action)
        what = said(known) if known else said("the {action}", action=original.action)
        why = why_said(category, reason)
        if decision is Decision.UPHOLD:
            result = said(
                "Your appeal against {what} was not accepted: the action stands, because {why}",
                what=what,
                why=why,
            )
        elif original.action == Decision.DELETE.value:
            # Deleted words are gone for good; the decision is withdrawn all the same.
            result = said(
                "Your appeal against {what} was accepted: the decision is withdrawn, "
                "though the removed text is gone, because {why}",
                what=what,
                why=why,
            )
        else:
            result = said(
                "Your appeal against {what} was accepted: the action was undone, because {why}",
                what=what,
                why=why,
            )
        who = (
            said("The moderator who acted decided it, as this community has no other.")
            if alone
            else ""
        )
        add_notice(session, member_id=member.id, text=sentences(result, who))
    return _audit_view(entry)


# -- member lookup and notes --------------------------------------------------------------
def add_note(session: Session, *, actor_id: int, pseudonym: str, text: str) -> None:
    """A private moderator note on a member (moderators only ever see these)."""
    actor = require_staff(session, actor_id)
    member = _member_named(session, pseudonym)
    cleaned = clean_text(text).strip()[:NOTE_MAX]
    if not cleaned:
        raise AdminError(said("The note is empty."))
    session.add(
        ModeratorNote(
            member_id=member.id or 0, author_id=actor.id, author_name=actor.pseudonym, text=cleaned
        )
    )
    audit_action(
        session,
        actor=actor,
        action=Decision.NOTE.value,
        member=member,
        reason="private note",
        detail=cleaned[:120],
    )


# The kinds of rows a member's record lists the newest of.
Row = TypeVar("Row", Sanction, ModerationFlag, ModeratorNote)


def _latest(session: Session, table: type[Row], where: Any, limit: int = 20) -> Sequence[Row]:
    """The newest `limit` rows of `table` that meet `where`, newest first."""
    return session.exec(
        select(table).where(where).order_by(col(table.id).desc()).limit(limit)
    ).all()


def member_record(session: Session, *, actor_id: int, pseudonym: str) -> MemberRecord:
    """Everything moderators know about a member, for the lookup screen."""
    require_staff(session, actor_id)
    member = _member_named(session, pseudonym)
    assert member.id is not None
    sanctions = _latest(session, Sanction, Sanction.member_id == member.id)
    flags = _latest(session, ModerationFlag, ModerationFlag.author_id == member.id)
    reports = count_rows(session, ModerationFlag, ModerationFlag.reporter_id == member.id)
    notes = _latest(session, ModeratorNote, ModeratorNote.member_id == member.id)
    posts = boards.posts_by(session, author_id=member.id, limit=10)
    return MemberRecord(
        id=member.id,
        pseudonym=member.pseudonym,
        role=member.role,
        created_at=member.created_at,
        last_login_at=member.last_login_at,
        sanctions=tuple(sanction_view(s) for s in sanctions),
        flags=tuple(
            f"{f.created_at:%Y-%m-%d} {f.kind} {f.target_kind}"
            f"{' (open)' if not f.resolved else ''} {f.reason[:60]}"
            for f in flags
        ),
        reports_made=int(reports),
        notes=tuple(f"{n.created_at:%Y-%m-%d} {n.author_name}: {n.text}" for n in notes),
        posts=tuple(f"{p.created_at:%Y-%m-%d} ({p.status.value}) {p.body[:60]}" for p in posts),
        suggestion=suggested_step(warning_count(session, member.id)),
    )


def staff_count(session: Session) -> int:
    return count_rows(
        session, Member, col(Member.role).in_([Role.MODERATOR.value, Role.SYSOP.value])
    )


# -- guidelines versions ----------------------------------------------------------------------
GUIDELINES_VERSION_KEY = "guidelines_version"


def guidelines_version(session: Session) -> int:
    """The current guidelines version: 1 until a sysop publishes a change."""
    return _version(get_setting(session, GUIDELINES_VERSION_KEY, "1"))


def _version(raw: str | None) -> int:
    return int(raw) if raw is not None and raw.isdecimal() else 1


def needs_agreement(session: Session, member_id: int) -> bool:
    """Whether the member has yet to agree to the current guidelines.

    Sign-up agreement counts as version 1 (members signed up before versions were kept
    store 0), so nobody is asked again until a sysop actually changes the guidelines.
    """
    agreed, current = session.exec(
        select(agreed_guidelines(member_id), setting_value(GUIDELINES_VERSION_KEY))
    ).one()
    return agreement_needed(agreed, current)


def agreed_guidelines(member_id: int | BindParameter[int]) -> ScalarSelect[int]:
    """The guidelines version a member agreed to, as a subquery (NULL: no such member)."""
    return select(Member.guidelines_version).where(Member.id == member_id).scalar_subquery()


def agreement_needed(agreed: int | None, current: str | None) -> bool:
    """`needs_agreement` from the member's `agreed_guidelines` and the raw setting."""
    return agreed is not None and max(agreed, 1) < _version(current)


def agree_to_guidelines(session: Session, member_id: int) -> None:
    member = session.get(Member, member_id)
    if member is not None:
        member.guidelines_version = guidelines_version(session)
        session.add(member)
        session.flush()


def publish_guidelines_version(session: Session, *, actor_id: int) -> int:
    """A sysop changed the guidelines text: every member agrees again at their next visit."""
    actor = require_staff(session, actor_id, sysop=True)
    version = guidelines_version(session) + 1
    put_setting(session, GUIDELINES_VERSION_KEY, str(version))
    audit_action(
        session,
        actor=actor,
        action=Decision.SETTING.value,
        reason="guidelines",
        detail=f"guidelines version {version}",
    )
    return version


def decisions_recorded(session: Session) -> int:
    """Every sysop decision kept as a training example (the model panel's count)."""
    from bbs.models import ModerationExample

    return count_rows(session, ModerationExample)

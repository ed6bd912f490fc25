"""The moderation queue: model holds, crisis alerts and member reports, crisis first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

from sqlalchemy import Index
from sqlmodel import Field, Session, col, select

from bbs.events import Event, announce, event_type
from bbs.i18n import N_, said
from bbs.models import Stamped
from bbs.moderation_queue.policy import Action

# Moderators' sessions listen here: a new queue item (a crisis alert first of all) shows
# on every open moderator screen at once, not at the next look.
STAFF_TOPIC = "staff"

REASON_MAX = 500

T = TypeVar("T")


@dataclass(frozen=True)
class Written(Generic[T]):
    """What a member wrote, with what the moderation gate decided about it: the one
    argument that carries writing into the record function storing it."""

    text: T
    action: Action
    # The gate's scores, kept on any flag it raises ("" when unscored).
    scores: str = ""
    # When it was written; None: now, read in the transaction that stores it.
    now: datetime | None = None


class FlagKind(StrEnum):
    """Why something is in the queue; the admin screen lists crisis first."""

    CRISIS = "crisis"
    HOLD = "hold"
    REPORT = "report"
    # A member appealing a moderator's action once (the admin screen).
    APPEAL = "appeal"


class FlagTarget(StrEnum):
    """What kind of thing a flag points at."""

    POST = "post"
    MESSAGE = "message"
    ROOM_LINE = "room_line"
    # Goals: a check-in note (crisis alerts) and a cheer between partners (holds).
    CHECK_IN = "check_in"
    CHEER = "cheer"
    # A goal's title (crisis alerts only: a title others would see is checked on saving).
    GOAL = "goal"
    # An appeal points at the audit entry of the action appealed.
    ACTION = "action"


class ModerationFlag(Stamped, table=True):
    """One item for moderators: what, whose, why, and whether someone has dealt with it."""

    __table_args__ = (Index("ix_moderationflag_open", "resolved", "priority", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    # 0 = crisis, 1 = hold, 2 = report: ordering by it puts people in danger first.
    priority: int = Field(default=2)
    target_kind: str = Field(max_length=16)
    target_id: int
    author_id: int | None = Field(
        default=None, foreign_key="member.id", index=True, ondelete="SET NULL"
    )
    reporter_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    reason: str = Field(default="", max_length=REASON_MAX)
    # The model's scores and the language it read, as "harassment=0.12 spam=0.01
    # crisis=0.80 lang=es" (Scores.summary), for the reviewer.
    scores: str = Field(default="", max_length=200)
    resolved: bool = Field(default=False)


@event_type("staff_alert")
class StaffAlert(Event):
    """Told to moderators online: something new waits in the queue (`about`: its kind)."""

    about: str
    text: str


def announce_flag(session: Session, flag: ModerationFlag) -> None:
    """Tell moderators online about a new queue item once its transaction commits."""
    about = FlagKind(flag.kind)
    text = {
        FlagKind.CRISIS: N_("Crisis alert: someone may be in danger. Press A, then review."),
        FlagKind.HOLD: N_("A post is held for review."),
        FlagKind.REPORT: N_("A member reported something."),
        FlagKind.APPEAL: N_("A member appealed a moderator's action."),
    }[about]
    announce(session, STAFF_TOPIC, StaffAlert(about.value, text))


CONCERN_PREFIX = "A member is worried about this person"


def raise_concern(
    session: Session,
    *,
    target_kind: FlagTarget,
    target_id: int,
    author_id: int | None,
    reporter_id: int,
    note: str = "",
) -> int:
    """A member is worried about the person who wrote something: a crisis alert.

    Never a report against the writer: moderators can only acknowledge it (and send
    support), it is no strike, and the writer is not told who asked. One concern per
    member and thing while it is open.
    """
    if author_id is not None and author_id == reporter_id:
        raise ValueError(
            said(
                "That is your own writing: if you are struggling, F1 has people "
                "you can talk to right now."
            )
        )
    earlier = session.exec(
        select(ModerationFlag.id).where(
            ModerationFlag.kind == FlagKind.CRISIS.value,
            ModerationFlag.target_kind == target_kind.value,
            ModerationFlag.target_id == target_id,
            ModerationFlag.reporter_id == reporter_id,
            col(ModerationFlag.resolved).is_(False),
        )
    ).first()
    if earlier is not None:
        return earlier
    why = CONCERN_PREFIX + (f": {note.strip()}" if note.strip() else ".")
    return add_flag(
        session,
        kind=FlagKind.CRISIS,
        target_kind=target_kind,
        target_id=target_id,
        author_id=author_id,
        reporter_id=reporter_id,
        reason=why,
    )


CONCERN_THANKS = N_(
    "Thank you for looking out for them. The moderators have a priority alert and will "
    "check in with them; they are not told who asked. If someone is in danger right now, "
    "F1 lists crisis lines you can call for them, or for yourself."
)


_PRIORITY = {FlagKind.CRISIS: 0, FlagKind.HOLD: 1, FlagKind.REPORT: 2, FlagKind.APPEAL: 2}


def add_flag(
    session: Session,
    *,
    kind: FlagKind,
    target_kind: FlagTarget,
    target_id: int,
    author_id: int | None,
    reporter_id: int | None = None,
    reason: str = "",
    scores: str = "",
) -> int:
    """Queue one item for moderators; returns its id."""
    flag = ModerationFlag(
        kind=kind.value,
        priority=_PRIORITY[kind],
        target_kind=target_kind.value,
        target_id=target_id,
        author_id=author_id,
        reporter_id=reporter_id,
        reason=reason[:REASON_MAX],
        scores=scores[:200],
    )
    session.add(flag)
    session.flush()
    assert flag.id is not None
    announce_flag(session, flag)
    return flag.id


def flag_verdict(
    session: Session,
    action: Action,
    *,
    target_kind: FlagTarget,
    target_id: int,
    author_id: int | None,
    scores: str = "",
    reason: str = "",
) -> None:
    """Queue what the model's action asks of moderators: a crisis alert for crisis words,
    a hold for a text that waits (both for CRISIS_HOLD, each settled on its own)."""
    kinds = ([FlagKind.CRISIS] if action.is_crisis else []) + (
        [FlagKind.HOLD] if action.holds else []
    )
    for kind in kinds:
        add_flag(
            session,
            kind=kind,
            target_kind=target_kind,
            target_id=target_id,
            author_id=author_id,
            reason=reason,
            scores=scores,
        )


# -- review (the admin screen) ---------------------------------------------------------
# Added for the sysop review queue: each owning module describes and moderates its own
# rows through these shapes, so the admin core never writes another feature's tables.
@dataclass(frozen=True)
class ModeratedItem:
    """What a reviewer sees of a flagged thing: its text, where it is, what surrounds it."""

    text: str
    where: str
    context: tuple[str, ...] = ()
    status: str = ""
    exists: bool = True


GONE = ModeratedItem(text="", where="(no longer exists)", exists=False)


class ReviewOutcome(StrEnum):
    """A moderator's decision on a flagged thing."""

    SHOW = "show"  # visible to everyone (approve)
    HIDE = "hide"  # off the board, kept; the author still sees it as held
    DELETE = "delete"  # gone, a placeholder stays where threads need one

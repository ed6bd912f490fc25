"""Private messages between two members, who may write to whom, and reports on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import (
    BindParameter,
    Index,
    Integer,
    ScalarSelect,
    UniqueConstraint,
    bindparam,
    case,
    func,
    or_,
)
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select

from bbs.accounts.blocks import BlockKind, MemberBlock, has_blocked, has_muted
from bbs.accounts.pseudonyms import normalize_pseudonym
from bbs.boards.records import (
    BODY_MAX,
    PAGE_SIZE,
    PostError,
    PostingRules,
    PostStatus,
    concern_about_writing,
    report_writing,
)
from bbs.i18n import N_, said, said_n
from bbs.models import Member, Role, Stamped, UTCDateTime, count_rows, utcnow
from bbs.moderation_queue.flags import (
    GONE,
    FlagTarget,
    ModeratedItem,
    ReviewOutcome,
    Written,
    flag_verdict,
)
from bbs.moderation_queue.sanctions import mute_decides
from bbs.sysop_settings import new_member_message_wait
from bbs.text_safety import clean_line, clean_text, fitting

# Said the same way for "nobody", "only people I've talked with" and a block, so that a
# blocked member cannot tell they were blocked.
# The other side of a conversation whose account is gone.
GONE_NAME = N_("(gone)")
NOT_ACCEPTING = N_("{name} is not taking private messages from you right now.")


class WhoMayWrite(StrEnum):
    """A member's choice of who may start a conversation with them."""

    EVERYONE = "everyone"
    TALKED = "talked"
    NOBODY = "nobody"


WHO_LABELS = {
    WhoMayWrite.EVERYONE: "everyone",
    WhoMayWrite.TALKED: "people I have talked with",
    WhoMayWrite.NOBODY: "nobody",
}


class MessagePrefs(SQLModel, table=True):
    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    who_may_write: str = Field(default=WhoMayWrite.EVERYONE.value, max_length=16)


class Conversation(SQLModel, table=True):
    """Two members' private conversation; `low_id` < `high_id` so there is one per pair."""

    __table_args__ = (UniqueConstraint("low_id", "high_id", name="uq_conversation_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    low_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    high_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    last_message_id: int = Field(default=0)
    last_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    low_read_id: int = Field(default=0)
    high_read_id: int = Field(default=0)


class PrivateMessage(Stamped, table=True):
    __table_args__ = (
        Index("ix_privatemessage_conversation", "conversation_id", "id"),
        Index("ix_privatemessage_sender_created", "sender_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", ondelete="CASCADE")
    sender_id: int = Field(foreign_key="member.id", ondelete="CASCADE")
    body: str = Field(max_length=BODY_MAX)
    status: str = Field(default=PostStatus.VISIBLE.value, max_length=16)


@dataclass(frozen=True)
class ConversationView:
    id: int
    partner: str
    partner_id: int
    last_at: datetime
    unread: int
    muted: bool
    blocked: bool


@dataclass(frozen=True)
class MessageView:
    id: int
    sender: str
    mine: bool
    body: str
    status: PostStatus
    created_at: datetime


@dataclass(frozen=True)
class MessagePage:
    conversation: ConversationView
    messages: tuple[MessageView, ...]
    has_before: bool


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def who_may_write(session: Session, member_id: int) -> WhoMayWrite:
    prefs = session.get(MessagePrefs, member_id)
    return WhoMayWrite(prefs.who_may_write) if prefs else WhoMayWrite.EVERYONE


def set_who_may_write(session: Session, member_id: int, who: WhoMayWrite) -> None:
    prefs = session.get(MessagePrefs, member_id) or MessagePrefs(member_id=member_id)
    prefs.who_may_write = who.value
    session.add(prefs)
    session.flush()


def find_member(session: Session, pseudonym: str) -> Member:
    key = normalize_pseudonym(clean_line(pseudonym).strip().lstrip("@"))
    member = session.exec(select(Member).where(Member.pseudonym_key == key)).first()
    if member is None:
        raise PostError(said("There is no member by that name. Check the spelling?"))
    return member


def _has_written(session: Session, conversation_id: int | None, sender_id: int) -> bool:
    if conversation_id is None:
        return False
    found = session.exec(
        select(PrivateMessage.id).where(
            PrivateMessage.conversation_id == conversation_id,
            PrivateMessage.sender_id == sender_id,
            col(PrivateMessage.status) == PostStatus.VISIBLE.value,
        )
    ).first()
    return found is not None


def check_may_write(
    session: Session,
    *,
    sender_id: int,
    recipient_id: int,
    rules: PostingRules | None = None,
    now: datetime | None = None,
) -> None:
    """Raise PostError (kindly) unless `sender_id` may send `recipient_id` a message now."""
    rules = rules or PostingRules()
    now = now or utcnow()
    sender = session.get(Member, sender_id)
    recipient = session.get(Member, recipient_id)
    if sender is None or recipient is None:
        raise PostError(said("That member is no longer here."))
    if sender_id == recipient_id:
        raise PostError(said("You can't send a private message to yourself."))
    low, high = _pair(sender_id, recipient_id)
    conv = session.exec(
        select(Conversation).where(Conversation.low_id == low, Conversation.high_id == high)
    ).first()
    conv_id = conv.id if conv else None
    refused = PostError(said(NOT_ACCEPTING, name=recipient.pseudonym))
    if has_blocked(session, recipient_id, sender_id):
        raise refused
    they_wrote = _has_written(session, conv_id, recipient_id)
    if not they_wrote and sender.role not in (Role.MODERATOR.value, Role.SYSOP.value):
        # The sender's own reason comes first: it is the one they can do something about.
        wait = new_member_message_wait(session)
        joined = (
            sender.created_at
            if sender.created_at.tzinfo
            else sender.created_at.replace(tzinfo=now.tzinfo)
        )
        if now - joined < wait:
            raise PostError(new_member_wait_message(joined + wait, wait))
    who = who_may_write(session, recipient_id)
    if who is WhoMayWrite.NOBODY or (who is WhoMayWrite.TALKED and not they_wrote):
        raise refused


def new_member_wait_message(lifts_at: datetime, wait: timedelta) -> str:
    """Why a new member cannot start a conversation yet, and when that changes."""
    hours = round(wait.total_seconds() / 3600)
    return said_n(
        "New members here can start private conversations after their first {count} hour: "
        "yours open at {when} UTC. Until then you can reply when someone writes to you, "
        "and post on the boards. This is a community setting against spam, not about the "
        "person you chose.",
        "New members here can start private conversations after their first {count} "
        "hours: yours open at {when} UTC. Until then you can reply when someone writes to "
        "you, and post on the boards. This is a community setting against spam, not about "
        "the person you chose.",
        hours,
        when=lifts_at.strftime("%Y-%m-%d %H:%M"),
    )


def _check_rate(session: Session, sender: Member, rules: PostingRules, now: datetime) -> None:
    last = session.exec(
        select(func.max(PrivateMessage.created_at)).where(PrivateMessage.sender_id == sender.id)
    ).one()
    seconds, _young = rules.seconds_to_wait(sender.created_at, last, now)
    if seconds:
        raise PostError(
            said_n(
                "Please wait {count} more second before sending again. Your text is still here.",
                "Please wait {count} more seconds before sending again. Your text is still here.",
                seconds,
            )
        )


def clean_message(body: str) -> str:
    return fitting(
        clean_text(body).strip("\n").rstrip(),
        BODY_MAX,
        PostError,
        N_(
            "Messages can be up to {most} characters; yours has {count}. "
            "Your text is still in the editor."
        ),
        missing=N_("Your message is empty."),
    )


def send_message(
    session: Session,
    *,
    sender_id: int,
    recipient_id: int,
    written: Written[str],
    rules: PostingRules | None = None,
) -> MessageView:
    """Store a message as the moderation gate decided (held ones only the sender sees)."""
    rules = rules or PostingRules()
    now = written.now or utcnow()
    body = written.text
    check_may_write(session, sender_id=sender_id, recipient_id=recipient_id, rules=rules, now=now)
    sender = session.get(Member, sender_id)
    assert sender is not None
    # A muted member can read but not write (the admin screen's mute); crisis words wait
    # for a moderator instead of being refused.
    action, muted = mute_decides(session, sender_id, written.action, now)
    if muted is not None:
        raise PostError(muted)
    _check_rate(session, sender, rules, now)
    low, high = _pair(sender_id, recipient_id)
    conv = session.exec(
        select(Conversation).where(Conversation.low_id == low, Conversation.high_id == high)
    ).first()
    if conv is None:
        conv = Conversation(low_id=low, high_id=high, last_at=now)
        session.add(conv)
        session.flush()
    assert conv.id is not None
    status = PostStatus.HELD if action.holds else PostStatus.VISIBLE
    message = PrivateMessage(
        conversation_id=conv.id, sender_id=sender_id, body=body, status=status.value, created_at=now
    )
    session.add(message)
    session.flush()
    assert message.id is not None
    if status is PostStatus.VISIBLE:
        conv.last_message_id = message.id
        conv.last_at = now
    if sender_id == conv.low_id:
        conv.low_read_id = message.id
    else:
        conv.high_read_id = message.id
    session.add(conv)
    flag_verdict(
        session,
        action,
        target_kind=FlagTarget.MESSAGE,
        target_id=message.id,
        author_id=sender_id,
        scores=written.scores,
    )
    session.flush()
    return MessageView(message.id, sender.pseudonym, True, body, status, now)


def _visible_to(member_id: int):  # type: ignore[no-untyped-def]
    return or_(
        col(PrivateMessage.status) == PostStatus.VISIBLE.value,
        col(PrivateMessage.sender_id) == member_id,
    )


def _conversation_view(session: Session, conv: Conversation, member_id: int) -> ConversationView:
    assert conv.id is not None
    partner_id = conv.high_id if conv.low_id == member_id else conv.low_id
    partner = session.get(Member, partner_id)
    read = conv.low_read_id if conv.low_id == member_id else conv.high_read_id
    unread = count_rows(
        session,
        PrivateMessage,
        PrivateMessage.conversation_id == conv.id,
        col(PrivateMessage.id) > read,
        PrivateMessage.sender_id == partner_id,
        PrivateMessage.status == PostStatus.VISIBLE.value,
    )
    return ConversationView(
        conv.id,
        partner.pseudonym if partner else said(GONE_NAME),
        partner_id,
        conv.last_at,
        int(unread),
        has_muted(session, member_id, partner_id),
        has_blocked(session, member_id, partner_id),
    )


def conversations(session: Session, *, member_id: int, limit: int = 50) -> list[ConversationView]:
    """The member's conversations, most recent first."""
    rows = session.exec(
        select(Conversation)
        .where(
            or_(col(Conversation.low_id) == member_id, col(Conversation.high_id) == member_id),
            col(Conversation.last_message_id) > 0,
        )
        .order_by(col(Conversation.last_at).desc())
        .limit(limit)
    ).all()
    views = [_conversation_view(session, c, member_id) for c in rows]
    # A blocked member's messages do not arrive: the conversation shows nothing new.
    return [
        v
        if not v.blocked
        else ConversationView(v.id, v.partner, v.partner_id, v.last_at, 0, v.muted, True)
        for v in views
    ]


def unread_total_counted(me: BindParameter[int]) -> ScalarSelect[int]:
    """What `unread_total` counts, as one subquery: over the member's `conversations`
    (the same 50, most recent first), the partner's visible messages after the member's
    read mark, leaving out partners the member has muted or blocked (`has_muted`).

    `me` is a bind parameter: the member appears several times (the home screen reads
    it beside its other counts)."""
    recent = (
        sa_select(
            col(Conversation.id),
            col(Conversation.low_id),
            col(Conversation.high_id),
            col(Conversation.low_read_id),
            col(Conversation.high_read_id),
        )
        .where(
            or_(col(Conversation.low_id) == me, col(Conversation.high_id) == me),
            col(Conversation.last_message_id) > 0,
        )
        .order_by(col(Conversation.last_at).desc())
        .limit(50)
        .subquery()
    )
    partner = case((recent.c.low_id == me, recent.c.high_id), else_=recent.c.low_id)
    read = case((recent.c.low_id == me, recent.c.low_read_id), else_=recent.c.high_read_id)
    unread = (
        select(func.count())
        .select_from(PrivateMessage)
        .where(
            col(PrivateMessage.conversation_id) == recent.c.id,
            col(PrivateMessage.id) > read,
            col(PrivateMessage.sender_id) == partner,
            col(PrivateMessage.status) == PostStatus.VISIBLE.value,
        )
        .scalar_subquery()
    )
    silenced = (
        select(col(MemberBlock.other_id))
        .where(
            col(MemberBlock.member_id) == me,
            col(MemberBlock.other_id) == partner,
            or_(
                col(MemberBlock.kind) == BlockKind.BLOCK.value,
                col(MemberBlock.kind) == BlockKind.MUTE.value,
            ),
        )
        .exists()
    )
    return (
        sa_select(func.coalesce(func.sum(unread), 0))
        .select_from(recent)
        .where(~silenced)
        .scalar_subquery()
    )


_UNREAD_TOTAL = sa_select(unread_total_counted(bindparam("member_id", type_=Integer)))


def unread_total(session: Session, *, member_id: int) -> int:
    """Unread messages in the member's conversations, leaving out muted and blocked
    partners (a read: one statement, where reading each conversation took four)."""
    return int(session.connection().execute(_UNREAD_TOTAL, {"member_id": member_id}).scalar_one())


def conversation_with(
    session: Session, *, member_id: int, partner_id: int
) -> ConversationView | None:
    low, high = _pair(member_id, partner_id)
    conv = session.exec(
        select(Conversation).where(Conversation.low_id == low, Conversation.high_id == high)
    ).first()
    return None if conv is None else _conversation_view(session, conv, member_id)


def message_page(
    session: Session,
    *,
    member_id: int,
    conversation_id: int,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
    mark_read: bool = True,
) -> MessagePage:
    """The newest page of a conversation (or the page before `before_id`), oldest first."""
    conv = session.get(Conversation, conversation_id)
    if conv is None or member_id not in (conv.low_id, conv.high_id):
        raise PostError(said("That conversation no longer exists."))
    view = _conversation_view(session, conv, member_id)
    query = select(PrivateMessage).where(
        PrivateMessage.conversation_id == conversation_id, _visible_to(member_id)
    )
    if view.blocked:
        # Messages sent after the block never reach the blocker.
        query = query.where(PrivateMessage.sender_id == member_id)
    if before_id is not None:
        query = query.where(col(PrivateMessage.id) < before_id)
    rows = list(session.exec(query.order_by(col(PrivateMessage.id).desc()).limit(limit + 1)).all())
    has_before = len(rows) > limit
    rows = rows[:limit][::-1]
    me = session.get(Member, member_id)
    messages = tuple(
        MessageView(
            m.id or 0,
            (me.pseudonym if me else "") if m.sender_id == member_id else view.partner,
            m.sender_id == member_id,
            m.body,
            PostStatus(m.status),
            m.created_at,
        )
        for m in rows
    )
    if mark_read and rows and before_id is None:
        newest = max(m.id or 0 for m in rows)
        if conv.low_id == member_id:
            conv.low_read_id = max(conv.low_read_id, newest)
        else:
            conv.high_read_id = max(conv.high_read_id, newest)
        session.add(conv)
        session.flush()
    return MessagePage(view, messages, has_before)


def _sender_as_seen_by(session: Session, message_id: int, member_id: int) -> int | None:
    """The sender of a message in one of the member's conversations, else PostError."""
    message = session.get(PrivateMessage, message_id)
    conv = session.get(Conversation, message.conversation_id) if message else None
    if message is None or conv is None or member_id not in (conv.low_id, conv.high_id):
        raise PostError(said("That message no longer exists."))
    return message.sender_id


def raise_concern_for_message(
    session: Session, *, member_id: int, message_id: int, note: str = ""
) -> int:
    """ "I'm worried about this person": a crisis alert about a message's sender."""
    return concern_about_writing(
        session,
        member_id=member_id,
        target=FlagTarget.MESSAGE,
        target_id=message_id,
        author_id=_sender_as_seen_by(session, message_id, member_id),
        note=note,
    )


def report_message(session: Session, *, reporter_id: int, message_id: int, reason: str) -> int:
    return report_writing(
        session,
        reporter_id=reporter_id,
        target=FlagTarget.MESSAGE,
        target_id=message_id,
        reason=reason,
        author_of=lambda: _sender_as_seen_by(session, message_id, reporter_id),
    )


# -- moderators (the admin screen's review queue) --------------------------------------
# How many earlier messages of the conversation a reviewer sees; "What we store" and the
# default guidelines tell members this number in words.
REVIEW_CONTEXT = 3


def review_message(session: Session, *, message_id: int) -> ModeratedItem:
    """A private message as a reviewer sees it, with the few messages before it."""
    message = session.get(PrivateMessage, message_id)
    conv = session.get(Conversation, message.conversation_id) if message else None
    if message is None or conv is None:
        return GONE
    names = dict(
        session.exec(
            select(Member.id, Member.pseudonym).where(
                col(Member.id).in_([conv.low_id, conv.high_id])
            )
        ).all()
    )
    other = conv.high_id if message.sender_id == conv.low_id else conv.low_id
    rows = session.exec(
        select(PrivateMessage)
        .where(PrivateMessage.conversation_id == conv.id, col(PrivateMessage.id) < message_id)
        .order_by(col(PrivateMessage.id).desc())
        .limit(REVIEW_CONTEXT)
    ).all()
    context = tuple(f"{names.get(m.sender_id, '(gone)')}: {m.body[:300]}" for m in reversed(rows))
    return ModeratedItem(
        text=message.body,
        where=f"private message to {names.get(other, '?')}",
        context=context,
        status=message.status,
    )


def moderate_message(session: Session, *, message_id: int, outcome: ReviewOutcome) -> None:
    """A moderator delivers (approves), holds back or deletes a private message."""
    message = session.get(PrivateMessage, message_id)
    conv = session.get(Conversation, message.conversation_id) if message else None
    if message is None or conv is None or message.status == PostStatus.DELETED.value:
        return
    if outcome is ReviewOutcome.SHOW:
        message.status = PostStatus.VISIBLE.value
        if message_id > (conv.last_message_id or 0):
            conv.last_message_id = message_id
            conv.last_at = message.created_at
            session.add(conv)
    elif outcome is ReviewOutcome.HIDE:
        message.status = PostStatus.HIDDEN.value
    else:
        message.status = PostStatus.DELETED.value
        message.body = ""
    session.add(message)
    session.flush()

"""Privacy: what we store about a member, their export, and deleting their account.

Plain functions taking a database session (the PrivacyService in bbs/privacy/service.py is
their async front door). Everything here is generated from the real tables, so the page
"What we store about you" cannot drift from what the store actually holds.

Deleting an account, decided here and tested:
- The member row goes; the database's foreign keys do the rest (CASCADE removes keys,
  goals, check-ins, partnerships, private conversations and their messages, drafts,
  follows, settings...; SET NULL detaches what stays, on SQLite and PostgreSQL alike).
- Posts are either removed (words blanked, a placeholder stays so replies make sense,
  thread titles they wrote cleared) or kept, shown as "a former member".
- The moderation audit log keeps its rows: moderators' decisions must stay accountable.
  Their link to the account becomes NULL (the foreign key says SET NULL) and the names
  copied into them when the action happened stay, as the audit log always does. One row
  "account_deleted" records that the member left, and how (never why).
- The name, and every lookalike of it (its confusable skeleton), cannot be signed up for
  RETIRE_DAYS days: nobody can step into a departed member's name while people know it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, SQLModel, col, or_, select

from bbs.accounts import members as accounts
from bbs.accounts.blocks import MemberBlock
from bbs.accounts.members import AccountError, existing_member
from bbs.admin.review import ModeratorNote
from bbs.boards import search
from bbs.boards.records import (
    QUOTE_REMOVED,
    Board,
    Draft,
    Follow,
    Notification,
    Post,
    PostStatus,
    Reaction,
    ReaderPrefs,
    ReadMark,
    Thread,
    blank_post,
    posts_count,
    quote_head,
    threads_count,
)
from bbs.countries import CountryName
from bbs.goals.records import (
    CheckIn,
    Cheer,
    CheerStatus,
    Goal,
    GoalBadge,
    GoalRest,
    GoalSettings,
    Partnership,
)
from bbs.i18n import LANGUAGE_NAMES, LANGUAGES, Moment, said, said_n, translator
from bbs.mail.records import Conversation, MessagePrefs, PrivateMessage
from bbs.models import Member, MemberKey, ModerationExample, count_rows, utcnow
from bbs.moderation_queue.audit import AuditEntry
from bbs.moderation_queue.flags import ModerationFlag
from bbs.moderation_queue.sanctions import ModerationNotice, Sanction
from bbs.phrases import lines_of
from bbs.resources.records import Resource, ResourceFavourite
from bbs.rooms.records import Room, RoomIgnore, RoomLine, RoomMember, RoomPreference
from bbs.suggestions.records import SuggestionDismissal, SuggestionProfile, SuggestionSettings

EXPORT_FORMAT = 1
RETIRE_DAYS = 30
FORMER_MEMBER = "a former member"
REMOVED_TITLE = "(title removed by its author)"
DELETED_ACTION = "account_deleted"

# Every column that points at a member, and what the export does with it. A table that
# gains such a column must be placed here (a test walks the schema and insists).
EXPORTED_COLUMNS: frozenset[str] = frozenset(
    {
        "memberkey.member_id",
        "thread.author_id",
        "post.author_id",
        "reaction.member_id",
        "readmark.member_id",
        "follow.member_id",
        "notification.member_id",
        "draft.member_id",
        "readerprefs.member_id",
        "messageprefs.member_id",
        "conversation.low_id",
        "conversation.high_id",
        "privatemessage.sender_id",
        "goalsettings.member_id",
        "goal.member_id",
        "checkin.member_id",
        "goalrest.member_id",
        "goalbadge.member_id",
        "partnership.inviter_id",
        "partnership.invitee_id",
        "cheer.sender_id",
        "cheer.recipient_id",
        "roomline.member_id",
        "roompreference.member_id",
        "roomignore.member_id",
        "roommember.member_id",
        "memberblock.member_id",
        "moderationflag.reporter_id",
        "sanction.member_id",
        "moderationnotice.member_id",
        "suggestionsettings.member_id",
        "suggestionprofile.member_id",
        "suggestiondismissal.member_id",
        "resourcefavourite.member_id",
    }
)
# Left out on purpose, and why: these are other people's records or choices.
NOT_EXPORTED_COLUMNS: dict[str, str] = {
    "notification.actor_id": "who caused someone else's notification",
    "memberblock.other_id": "other members' blocks and mutes are their private choice",
    "roomignore.ignored_id": "other members' ignore lists are their private choice",
    "moderationflag.author_id": "reports about you name their reporters; moderators keep them",
    "sanction.created_by_id": "which moderator acted (the notice you received says what)",
    "sanction.lifted_by_id": "which moderator acted",
    "auditentry.actor_id": "the moderators' own record",
    "auditentry.member_id": "the moderators' own record (you received a notice of each action)",
    "moderatornote.member_id": "moderators' private working notes",
    "moderatornote.author_id": "moderators' private working notes",
    "roomevent.host_id": "a public schedule, not about you",
    "moderationexample.decided_by_id": "training texts labelled by a sysop",
}


class DeleteChoice(StrEnum):
    """What happens to a deleted member's posts."""

    REMOVE = "remove"
    ANONYMISE = "anonymise"


@dataclass(frozen=True)
class StoredCounts:
    """How much of each kind the store holds about one member, counted from the tables."""

    pseudonym: str
    created_at: datetime
    last_login_at: datetime | None
    threads: int
    posts: int
    reactions: int
    follows: int
    drafts: int
    notifications: int
    messages_sent: int
    messages_received: int
    conversations: int
    goals: int
    check_ins: int
    partners: int
    cheers_sent: int
    cheers_received: int
    room_lines: int
    reports_filed: int
    blocks: int
    keys: int
    key_logins: int
    moderation_notices: int
    favourites: int
    suggestions_on: bool
    appear_offline: bool
    # The language the member reads in, and the country they said ('' when none).
    language: str = "en"
    country: str = ""


@dataclass(frozen=True)
class KeyView:
    """One SSH key of the member: enough to recognise it, never the private part."""

    algorithm: str
    fingerprint: str
    comment: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class DeletedAccount:
    """What deleting an account did, for the member's last screen and the log."""

    member_id: int
    pseudonym: str
    choice: DeleteChoice
    posts: int
    blocked_until: datetime


def _conversation_ids(session: Session, member_id: int) -> list[int]:
    rows = session.exec(
        select(Conversation.id).where(
            or_(Conversation.low_id == member_id, Conversation.high_id == member_id)
        )
    ).all()
    return [int(r) for r in rows if r is not None]


# -- what we store ----------------------------------------------------------------------
def stored_counts(session: Session, member_id: int) -> StoredCounts:
    """Counts of everything kept about the member, from the live tables."""
    member = existing_member(session, member_id)
    conversations = _conversation_ids(session, member_id)
    visible = PostStatus.VISIBLE.value
    received = 0
    if conversations:
        received = count_rows(
            session,
            PrivateMessage,
            col(PrivateMessage.conversation_id).in_(conversations),
            PrivateMessage.sender_id != member_id,
            PrivateMessage.status == visible,
        )
    keys = session.exec(select(MemberKey).where(MemberKey.member_id == member_id)).all()
    pref = session.get(RoomPreference, member_id)
    suggestion = session.get(SuggestionSettings, member_id)
    return StoredCounts(
        pseudonym=member.pseudonym,
        created_at=member.created_at,
        last_login_at=member.last_login_at,
        threads=count_rows(
            session,
            Thread,
            Thread.author_id == member_id,
            Thread.status != PostStatus.DELETED.value,
        ),
        posts=count_rows(
            session, Post, Post.author_id == member_id, Post.status != PostStatus.DELETED.value
        ),
        reactions=count_rows(session, Reaction, Reaction.member_id == member_id),
        follows=count_rows(session, Follow, Follow.member_id == member_id),
        drafts=count_rows(session, Draft, Draft.member_id == member_id),
        notifications=count_rows(session, Notification, Notification.member_id == member_id),
        messages_sent=count_rows(session, PrivateMessage, PrivateMessage.sender_id == member_id),
        messages_received=received,
        conversations=len(conversations),
        goals=count_rows(session, Goal, Goal.member_id == member_id),
        check_ins=count_rows(session, CheckIn, CheckIn.member_id == member_id),
        partners=count_rows(
            session,
            Partnership,
            or_(Partnership.inviter_id == member_id, Partnership.invitee_id == member_id),
        ),
        cheers_sent=count_rows(session, Cheer, Cheer.sender_id == member_id),
        cheers_received=count_rows(
            session,
            Cheer,
            Cheer.recipient_id == member_id,
            Cheer.status == CheerStatus.VISIBLE.value,
        ),
        room_lines=count_rows(session, RoomLine, RoomLine.member_id == member_id),
        reports_filed=count_rows(session, ModerationFlag, ModerationFlag.reporter_id == member_id),
        blocks=count_rows(session, MemberBlock, MemberBlock.member_id == member_id),
        keys=len(keys),
        key_logins=sum(1 for k in keys if k.last_used_at is not None),
        moderation_notices=count_rows(
            session, ModerationNotice, ModerationNotice.member_id == member_id
        ),
        favourites=count_rows(session, ResourceFavourite, ResourceFavourite.member_id == member_id),
        suggestions_on=bool(suggestion and (suggestion.suggestions or suggestion.peers)),
        appear_offline=bool(pref and pref.appear_offline),
        language=member.language,
        country=member.country,
    )


def describe_storage(
    counts: StoredCounts,
    *,
    chat_days: int,
    log_days: int,
    logs_to_file: bool,
    shared_salt: bool = False,
) -> str:
    """The page "What we store about you", in plain words, from the counts.

    `shared_salt`: several nodes share the source salt in the database (issue 19)."""
    c = counts
    last = Moment(c.last_login_at, "yyyy-MM-dd HH:mm 'UTC'") if c.last_login_at else said("not yet")
    keys = said_n("{count} SSH public key", "{count} SSH public keys", c.keys)
    lines = [
        said("What we keep about you"),
        said(
            "- Your name ({name}), when you joined ({joined}) and when you last logged in "
            "({last}). Only the last login is kept, not a history of them.",
            name=c.pseudonym,
            joined=c.created_at.strftime("%Y-%m-%d"),
            last=last,
        ),
        said(
            "- Your password and recovery code, only as argon2 hashes: nobody here can read them."
        ),
        said(
            "- {keys} that can log you in ({used} used to log in; we keep the time of its "
            "last use only).",
            keys=keys,
            used=c.key_logins,
        )
        if c.keys
        else said("- {keys} that can log you in.", keys=keys),
        said(
            "- {posts} and {threads} you started on the boards, {reactions}, {follows}, "
            "{drafts} and {notifications}.",
            posts=posts_count(c.posts),
            threads=threads_count(c.threads),
            reactions=said_n("{count} reaction", "{count} reactions", c.reactions),
            follows=said_n("{count} follow", "{count} follows", c.follows),
            drafts=said_n("{count} saved draft", "{count} saved drafts", c.drafts),
            notifications=said_n("{count} notification", "{count} notifications", c.notifications),
        ),
        said(
            "- {favourites} in the resource library.",
            favourites=said_n("{count} favourite", "{count} favourites", c.favourites),
        ),
        said(
            "- {sent} you sent and {received} you received, in {conversations}.",
            sent=said_n("{count} private message", "{count} private messages", c.messages_sent),
            received=c.messages_received,
            conversations=said_n("{count} conversation", "{count} conversations", c.conversations),
        ),
        said(
            "- {goals}, {check_ins}, {partners}, {cheers} sent and {received} received.",
            goals=said_n("{count} goal", "{count} goals", c.goals),
            check_ins=said_n("{count} check-in", "{count} check-ins", c.check_ins),
            partners=said_n("{count} partnership", "{count} partnerships", c.partners),
            cheers=said_n("{count} cheer", "{count} cheers", c.cheers_sent),
            received=c.cheers_received,
        ),
        said(
            "- {lines} you said in live rooms (rooms forget lines after {days} days).",
            lines=said_n("{count} line", "{count} lines", c.room_lines),
            days=chat_days,
        ),
        said(
            "- {reports} you made, {blocks} you set, and {notices} sent to you.",
            reports=said_n("{count} report", "{count} reports", c.reports_filed),
            blocks=said_n("{count} block or mute", "{count} blocks and mutes", c.blocks),
            notices=said_n(
                "{count} moderation notice", "{count} moderation notices", c.moderation_notices
            ),
        ),
        said("- Suggestions: on; the themes learned from your writing are kept and shown to you.")
        if c.suggestions_on
        else said("- Suggestions: off; nothing is learned about you."),
        said("- Appear offline: on.") if c.appear_offline else said("- Appear offline: off."),
        said(
            "- Your language ({language}) and your country ({country}, {code}), which you "
            "gave so that help shows its crisis lines; you can remove it on the Profile.",
            language=LANGUAGE_NAMES.get(c.language, c.language),
            country=CountryName(c.country),
            code=c.country,
        )
        if c.country
        else said(
            "- Your language ({language}) and no country: you have not given one (it is "
            "optional, and only chooses which crisis lines help shows).",
            language=LANGUAGE_NAMES.get(c.language, c.language),
        ),
        "",
        said("What we do not keep"),
        said(
            "- No IP addresses. To slow down password guessing we keep a salted, one-way key "
            "of where a connection came from, for at most an hour. This community runs on "
            "several servers, so that key and its salt are kept in the database, in UNLOGGED "
            "tables: left out of its log and backups, but PostgreSQL may still write them to "
            "disk. The salt is replaced every hour and old ones are deleted, after which a key "
            "cannot be linked to an address."
        )
        if shared_salt
        else said(
            "- No IP addresses. To slow down password guessing we keep a salted, one-way key "
            "of where a connection came from, for at most an hour, in memory only; it is gone "
            "when the server restarts."
        ),
        said("- No email, phone number, real name or location beyond the country you gave.")
        if c.country
        else said("- No email, phone number, real name or location."),
        said("- No record of what you read, beyond how far you have read each thread."),
        said(
            "- Server logs never hold passwords, messages or addresses, and are deleted after "
            "{days} days.",
            days=log_days,
        )
        if logs_to_file
        else said(
            "- Server logs never hold passwords, messages or addresses; the host's service "
            "manager keeps them for its own configured time."
        ),
        "",
        said(
            "Moderators keep a log of their own actions (which may name you) so that every "
            "decision stays accountable; it stays if you delete your account."
        ),
    ]
    return lines_of(lines)


# -- export ---------------------------------------------------------------------------
def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_columns(table: type[SQLModel]) -> list[str]:
    """The order an exported row lists `table`'s columns in: the table's own, as declared,
    then those it takes from a base (`Stamped`'s `created_at`), so that the files keep the
    key order they had when every table declared its own creation time last."""
    inherited = {
        name
        for base in table.__mro__[1:]
        if isinstance(base, type) and issubclass(base, SQLModel)
        for name in base.model_fields
    }
    names = list(table.model_fields)
    return [n for n in names if n not in inherited] + [n for n in names if n in inherited]


def _row(obj: SQLModel, *, drop: Iterable[str] = ()) -> dict[str, Any]:
    skip = set(drop)
    return {k: _json(getattr(obj, k)) for k in export_columns(type(obj)) if k not in skip}


def _rows(
    session: Session, table: type[SQLModel], *drop: str, order: Any = None, **match: Any
) -> list[dict[str, Any]]:
    """The rows of `table` whose columns equal `match` (in `order`), as documents without
    the matched columns (the member's own id, say) or `drop`."""
    query = select(table).filter_by(**match)
    if order is not None:
        query = query.order_by(col(order))
    dropped = (*match, *drop)
    return [_row(o, drop=dropped) for o in session.exec(query).all()]


def _names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Member.id, Member.pseudonym).where(col(Member.id).in_(wanted))).all()
    return {int(i): str(n) for i, n in rows if i is not None}


def export_member(session: Session, member_id: int) -> dict[str, Any]:
    """Everything of the member's, as one JSON-ready document (format EXPORT_FORMAT)."""
    member = existing_member(session, member_id)
    me = member_id
    board_names = {b.id: b.name for b in session.exec(select(Board)).all()}
    threads = session.exec(
        select(Thread).where(Thread.author_id == me).order_by(col(Thread.id))
    ).all()
    posts = session.exec(select(Post).where(Post.author_id == me).order_by(col(Post.id))).all()
    thread_titles = (
        dict(
            session.exec(
                select(Thread.id, Thread.title).where(
                    col(Thread.id).in_({p.thread_id for p in posts})
                )
            ).all()
        )
        if posts
        else {}
    )

    conversations = session.exec(
        select(Conversation)
        .where(or_(Conversation.low_id == me, Conversation.high_id == me))
        .order_by(col(Conversation.id))
    ).all()
    partner_ids = [c.high_id if c.low_id == me else c.low_id for c in conversations]
    partnerships = session.exec(
        select(Partnership)
        .where(or_(Partnership.inviter_id == me, Partnership.invitee_id == me))
        .order_by(col(Partnership.id))
    ).all()
    cheers_sent = session.exec(
        select(Cheer).where(Cheer.sender_id == me).order_by(col(Cheer.id))
    ).all()
    cheers_received = session.exec(
        select(Cheer)
        .where(Cheer.recipient_id == me, Cheer.status == CheerStatus.VISIBLE.value)
        .order_by(col(Cheer.id))
    ).all()
    blocks = session.exec(select(MemberBlock).where(MemberBlock.member_id == me)).all()
    ignores = session.exec(select(RoomIgnore).where(RoomIgnore.member_id == me)).all()
    names = _names(
        session,
        [
            *partner_ids,
            *(p.inviter_id for p in partnerships),
            *(p.invitee_id for p in partnerships),
            *(c.recipient_id for c in cheers_sent),
            *(c.sender_id for c in cheers_received),
            *(b.other_id for b in blocks),
            *(i.ignored_id for i in ignores),
        ],
    )

    def name(member_id: int | None) -> str:
        return names.get(member_id or 0, FORMER_MEMBER)

    conversation_docs = []
    for conv, other in zip(conversations, partner_ids, strict=True):
        messages = session.exec(
            select(PrivateMessage)
            .where(PrivateMessage.conversation_id == conv.id)
            .order_by(col(PrivateMessage.id))
        ).all()
        conversation_docs.append(
            {
                "with": name(other),
                "messages": [
                    {
                        "from": "you" if m.sender_id == me else name(other),
                        "body": m.body,
                        "status": m.status,
                        "created_at": _json(m.created_at),
                    }
                    for m in messages
                    # Held or deleted messages of the other member were never theirs to see.
                    if m.sender_id == me or m.status == PostStatus.VISIBLE.value
                ],
            }
        )

    goals = session.exec(select(Goal).where(Goal.member_id == me).order_by(col(Goal.id))).all()
    goal_docs = []
    for goal in goals:
        doc = _row(goal, drop=("member_id",))
        for key, table, order in (
            ("check_ins", CheckIn, CheckIn.local_date),
            ("badges", GoalBadge, GoalBadge.id),
        ):
            doc[key] = _rows(session, table, "member_id", order=order, goal_id=goal.id)
        goal_docs.append(doc)

    room_names = {r.id: r.name for r in session.exec(select(Room)).all()}
    lines = session.exec(
        select(RoomLine).where(RoomLine.member_id == me).order_by(col(RoomLine.id))
    ).all()
    keys = session.exec(
        select(MemberKey).where(MemberKey.member_id == me).order_by(col(MemberKey.id))
    ).all()
    profile = session.get(SuggestionProfile, me)

    def one(model: type[SQLModel]) -> dict[str, Any] | None:
        found = session.get(model, me)
        return None if found is None else _row(found, drop=("member_id",))

    return {
        "format": EXPORT_FORMAT,
        "exported_at": _json(utcnow()),
        "member": {
            "pseudonym": member.pseudonym,
            "role": member.role,
            "created_at": _json(member.created_at),
            "last_login_at": _json(member.last_login_at),
            "guidelines_version": member.guidelines_version,
            "language": member.language,
            "country": member.country,
        },
        "settings": {
            "display": {
                "colour_mode": member.colour_mode,
                "mouse": member.mouse,
                "front_end": member.front_end,
            },
            "reader": one(ReaderPrefs),
            "messages": one(MessagePrefs),
            "goals": one(GoalSettings),
            "rooms": one(RoomPreference),
            "suggestions": one(SuggestionSettings),
        },
        "keys": [
            {
                "algorithm": k.algorithm,
                "fingerprint": k.fingerprint,
                "created_at": _json(k.created_at),
                "last_used_at": _json(k.last_used_at),
            }
            for k in keys
        ],
        "threads": [
            {
                **_row(t, drop=("author_id", "post_count", "last_post_id", "last_post_at")),
                "board": board_names.get(t.board_id, ""),
            }
            for t in threads
        ],
        "posts": [
            {**_row(p, drop=("author_id",)), "thread_title": thread_titles.get(p.thread_id, "")}
            for p in posts
        ],
        "reactions": _rows(session, Reaction, member_id=me),
        "follows": _rows(session, Follow, member_id=me),
        "read_marks": _rows(session, ReadMark, member_id=me),
        "notifications": _rows(
            session, Notification, "actor_id", order=Notification.id, member_id=me
        ),
        "drafts": _rows(session, Draft, order=Draft.id, member_id=me),
        "conversations": conversation_docs,
        "goals": goal_docs,
        "rest_days": _rows(session, GoalRest, order=GoalRest.id, member_id=me),
        "partnerships": [
            {
                "with": name(p.invitee_id if p.inviter_id == me else p.inviter_id),
                "you_asked": p.inviter_id == me,
                "status": p.status,
                "created_at": _json(p.created_at),
                "responded_at": _json(p.responded_at),
                "ended_at": _json(p.ended_at),
            }
            for p in partnerships
        ],
        "cheers_sent": [
            {
                "to": name(c.recipient_id),
                "body": c.body,
                "status": c.status,
                "created_at": _json(c.created_at),
            }
            for c in cheers_sent
        ],
        "cheers_received": [
            {"from": name(c.sender_id), "body": c.body, "created_at": _json(c.created_at)}
            for c in cheers_received
        ],
        "room_lines": [
            {
                "room": room_names.get(ln.room_id, ""),
                "kind": ln.kind,
                "text": ln.text,
                "created_at": _json(ln.created_at),
            }
            for ln in lines
        ],
        "room_invitations": [
            room_names.get(r.room_id, "")
            for r in session.exec(
                select(RoomMember).where(
                    RoomMember.member_id == me, col(RoomMember.invited).is_(True)
                )
            ).all()
        ],
        "blocks": [
            {"member": name(b.other_id), "kind": b.kind, "created_at": _json(b.created_at)}
            for b in blocks
        ],
        "room_ignores": [name(i.ignored_id) for i in ignores],
        "reports_filed": [
            {
                "kind": f.kind,
                "target_kind": f.target_kind,
                "target_id": f.target_id,
                "reason": f.reason,
                "created_at": _json(f.created_at),
            }
            for f in session.exec(
                select(ModerationFlag)
                .where(ModerationFlag.reporter_id == me)
                .order_by(col(ModerationFlag.id))
            ).all()
        ],
        "moderation": {
            "notices": _rows(
                session, ModerationNotice, "audit_id", order=ModerationNotice.id, member_id=me
            ),
            "sanctions": _rows(
                session, Sanction, "created_by_id", "lifted_by_id", order=Sanction.id, member_id=me
            ),
        },
        "resource_favourites": [
            {"slug": slug, "title": title, "created_at": _json(created)}
            for slug, title, created in session.exec(
                select(Resource.slug, Resource.title, ResourceFavourite.created_at)
                .join(Resource, col(Resource.id) == ResourceFavourite.resource_id)
                .where(ResourceFavourite.member_id == me)
                .order_by(col(ResourceFavourite.created_at))
            ).all()
        ],
        "suggestions": {
            "learned_themes": json.loads(profile.themes) if profile else {},
            "dismissed": _rows(session, SuggestionDismissal, member_id=me),
        },
    }


def export_json(session: Session, member_id: int) -> str:
    """The export as text: UTF-8 JSON, indented, ending in a newline."""
    return json.dumps(export_member(session, member_id), ensure_ascii=False, indent=2) + "\n"


# -- keys -----------------------------------------------------------------------------
def list_keys(session: Session, member_id: int) -> list[KeyView]:
    rows = session.exec(
        select(MemberKey).where(MemberKey.member_id == member_id).order_by(col(MemberKey.id))
    ).all()
    views = []
    for row in rows:
        parts = row.public_key.split(None, 2)
        comment = parts[2] if len(parts) > 2 else ""
        views.append(
            KeyView(row.algorithm, row.fingerprint, comment[:60], row.created_at, row.last_used_at)
        )
    return views


# -- deleting an account --------------------------------------------------------------
def delete_account(
    session: Session,
    *,
    member_id: int,
    confirm: str,
    choice: DeleteChoice,
    now: datetime | None = None,
) -> DeletedAccount:
    """Delete the member for good (see the module's docstring for exactly what happens).

    `confirm` must be the member's pseudonym (any case or width), typed by them.
    """
    member = existing_member(session, member_id)
    from bbs.accounts.pseudonyms import normalize_pseudonym

    if normalize_pseudonym(confirm.strip()) != member.pseudonym_key:
        raise AccountError(
            said("To delete your account, type your name exactly as it is. Nothing was deleted.")
        )
    now = now or utcnow()
    name = member.pseudonym
    posts = session.exec(select(Post).where(Post.author_id == member_id)).all()
    if choice is DeleteChoice.REMOVE:
        for post in posts:
            blank_post(session, post)
        for thread in session.exec(select(Thread).where(Thread.author_id == member_id)).all():
            thread.title = REMOVED_TITLE
            thread.warning = ""
            left = count_rows(
                session,
                Post,
                Post.thread_id == thread.id,
                Post.status != PostStatus.DELETED.value,
                or_(col(Post.author_id).is_(None), Post.author_id != member_id),
            )
            if left == 0:
                thread.status = PostStatus.DELETED.value
            session.add(thread)
        session.execute(delete(RoomLine).where(col(RoomLine.member_id) == member_id))
        session.execute(delete(Cheer).where(col(Cheer.sender_id) == member_id))
    else:
        # Kept lines read "a former member" (the line stores its author's name).
        session.execute(
            update(RoomLine)
            .where(col(RoomLine.member_id) == member_id)
            .values(author=FORMER_MEMBER)
        )
    _scrub_quotes(session, name, removed=choice is DeleteChoice.REMOVE)
    until = now + timedelta(days=RETIRE_DAYS)
    accounts.retire_pseudonym(session, member_id, until)
    session.add(
        AuditEntry(
            action=DELETED_ACTION, member_name=name, detail=f"by the member; posts {choice.value}d"
        )
    )
    session.flush()
    # Private conversations, goals, keys and the rest go with the member (CASCADE).
    session.execute(delete(Member).where(col(Member.id) == member_id))
    session.flush()
    session.expunge_all()
    return DeletedAccount(member_id, name, choice, len(posts), until)


def unquote(body: str, name: str, *, removed: bool) -> str:
    """A post's body with quotes of `name` ("NAME wrote:" then "> " lines) made anonymous.

    The attribution (in whichever language the quoting member wrote it) becomes "a former
    member wrote:" in that language; when the member removed their posts, the quoted words
    go too (one "> (removed by its author)" line stays, in that language too).
    """
    heads = {quote_head(name, lang): lang for lang in reversed(LANGUAGES)}
    out: list[str] = []
    quoting = False
    for line in body.split("\n"):
        lang = heads.get(line)
        if lang is not None:
            gettext = translator(lang).gettext
            out.append(quote_head(gettext(FORMER_MEMBER), lang))
            quoting = removed
            if removed:
                out.append(gettext(QUOTE_REMOVED))
            continue
        if quoting and line.startswith(">"):
            continue
        quoting = False
        out.append(line)
    return "\n".join(out)


def _scrub_quotes(session: Session, name: str, *, removed: bool) -> None:
    """Other members' posts that quote the departing member no longer name (or quote) them."""
    pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = session.exec(
        select(Post, Thread)
        .join(Thread, col(Thread.id) == Post.thread_id)
        # The attribution's words differ by language: every post naming them is read.
        .where(col(Post.body).like(pattern + "%", escape="\\"))
    ).all()
    for post, thread in rows:
        body = unquote(post.body, name, removed=removed)
        if body == post.body:
            continue
        post.body = body
        session.add(post)
        assert post.id is not None
        if post.status == PostStatus.VISIBLE.value:
            search.unindex_post(session, post.id)
            search.index_post(
                session, post.id, (thread.title + "\n" if post.seq == 1 else "") + body
            )


# Referenced so the tables' modules count as used (the export test lists them).
_MODERATOR_ONLY = (ModeratorNote, ModerationExample)

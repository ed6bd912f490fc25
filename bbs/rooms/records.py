"""Live rooms in the store: rooms, invitations, history lines, scheduled sessions, preferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Executable, Index, Integer, bindparam, delete
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select

from bbs import places
from bbs.accounts.pseudonyms import normalize_pseudonym
from bbs.events import announce
from bbs.i18n import Moment, said
from bbs.models import Member, Stamped, UTCDateTime, count_rows, row_or_raise, utcnow
from bbs.moderation_queue.flags import GONE, ModeratedItem, ReviewOutcome
from bbs.rooms.events import RoomChangedEvent, room_topic
from bbs.text_safety import clean_line

MAX_LINE_CHARS = 500
MAX_TOPIC_CHARS = 200
MAX_ROOM_NAME_CHARS = 40
HISTORY_LINES = 100
MAX_SLOW_MODE_SECONDS = 3600

DEFAULT_ROOMS: tuple[tuple[str, str], ...] = (
    ("Lobby", "Say hello. Everyone is welcome here."),
    ("Check-in circle", "How are you, really? One line is enough."),
    ("Night owls", "Awake at 3 a.m.? So are we. Be gentle with each other."),
)


class RoomError(ValueError):
    """A room request we cannot carry out; the message is fit to show a member."""


# -- tables ---------------------------------------------------------------------------
class Room(Stamped, table=True):
    """A live chat room; private rooms are open to invited members and staff only."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=MAX_ROOM_NAME_CHARS)
    name_key: str = Field(max_length=2 * MAX_ROOM_NAME_CHARS, unique=True)
    topic: str = Field(default="", max_length=MAX_TOPIC_CHARS)
    private: bool = Field(default=False)
    closed: bool = Field(default=False)
    slow_mode_seconds: int = Field(default=0)
    # The language the room is for (one of bbs.i18n.LANGUAGES), or '' for any.
    language: str = Field(default="", max_length=8)


class RoomMember(SQLModel, table=True):
    """A member's standing in a room: invited (private rooms), and whether they were in it."""

    room_id: int = Field(foreign_key="room.id", primary_key=True, ondelete="CASCADE")
    member_id: int = Field(
        foreign_key="member.id", primary_key=True, index=True, ondelete="CASCADE"
    )
    invited: bool = Field(default=False)
    # True while the member is in the room; a dropped connection leaves it set, so the
    # next visit to Rooms brings them straight back.
    inside: bool = Field(default=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RoomLine(SQLModel, table=True):
    """One line said in a room (held lines are kept for moderators, never shown)."""

    __table_args__ = (Index("ix_roomline_room_id_id", "room_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="room.id", ondelete="CASCADE")
    member_id: int | None = Field(
        default=None, foreign_key="member.id", index=True, ondelete="SET NULL"
    )
    # The pseudonym as it was when said: history reads without a join.
    author: str = Field(max_length=64)
    kind: str = Field(default="say", max_length=8)
    text: str = Field(max_length=MAX_LINE_CHARS)
    held: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class RoomEvent(SQLModel, table=True):
    """A scheduled session in a room: when (UTC), who hosts it, what it is about."""

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="room.id", index=True, ondelete="CASCADE")
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    duration_minutes: int = Field(default=60)
    host_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    topic: str = Field(max_length=MAX_TOPIC_CHARS)


class RoomPreference(SQLModel, table=True):
    """A member's room settings: appearing offline, and whom they ignore."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    appear_offline: bool = Field(default=False)


class RoomIgnore(SQLModel, table=True):
    """`member_id` does not see `ignored_id`'s room lines."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    ignored_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")


# -- views ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RoomView:
    """A room as screens see it."""

    id: int
    name: str
    topic: str
    private: bool
    closed: bool
    slow_mode_seconds: int
    # One of bbs.i18n.LANGUAGES, or '' for any language (bbs.places).
    language: str = ""


@dataclass(frozen=True)
class LineView:
    """One history line as screens see it."""

    id: int
    room_id: int
    member_id: int | None
    author: str
    kind: str
    text: str
    at: datetime


@dataclass(frozen=True)
class RoomEventView:
    """A scheduled session, with its room's and host's names."""

    id: int
    room_id: int
    room_name: str
    starts_at: datetime
    duration_minutes: int
    host_id: int | None
    host_name: str
    topic: str

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def running(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at

    def describe(self) -> str:
        when = Moment(self.starts_at)  # "Fri 19:00", the day in the reader's language
        if self.host_name:
            return said(
                "{when} UTC {room}: {topic}, host {host}",
                when=when,
                room=self.room_name,
                topic=self.topic,
                host=self.host_name,
            )
        return said("{when} UTC {room}: {topic}", when=when, room=self.room_name, topic=self.topic)


def _room_view(room: Room) -> RoomView:
    assert room.id is not None
    return RoomView(
        room.id,
        room.name,
        room.topic,
        room.private,
        room.closed,
        room.slow_mode_seconds,
        room.language,
    )


def _line_view(line: RoomLine) -> LineView:
    assert line.id is not None
    return LineView(
        line.id, line.room_id, line.member_id, line.author, line.kind, line.text, line.created_at
    )


def room_key(name: str) -> str:
    return normalize_pseudonym(name)


def clean_room_name(raw: str) -> str:
    name = clean_line(raw).strip()
    if not name or len(name) > MAX_ROOM_NAME_CHARS:
        raise RoomError(said("A room name needs 1 to {most} characters.", most=MAX_ROOM_NAME_CHARS))
    return name


# -- rooms ----------------------------------------------------------------------------
def seed_default_rooms(session: Session) -> int:
    """Create the default rooms the first time (and never again); returns how many were made."""
    if count_rows(session, Room) > 0:
        return 0
    for name, topic in DEFAULT_ROOMS:
        session.add(Room(name=name, name_key=room_key(name), topic=topic))
    session.flush()
    return len(DEFAULT_ROOMS)


def _language(code: str) -> str:
    try:
        return places.place_language(code)
    except ValueError as error:
        raise RoomError(*error.args) from None


def create_room(
    session: Session, *, name: str, topic: str = "", private: bool = False, language: str = ""
) -> RoomView:
    """A new room; `language` one of bbs.i18n.LANGUAGES or '' (any; '-' and 'any' too)."""
    name = clean_room_name(name)
    if session.exec(select(Room).where(Room.name_key == room_key(name))).first():
        raise RoomError(said("A room called {name} exists already.", name=repr(name)))
    room = Room(
        name=name,
        name_key=room_key(name),
        topic=clean_line(topic, MAX_TOPIC_CHARS),
        private=private,
        language=_language(language),
    )
    session.add(room)
    session.flush()
    view = _room_view(room)
    if view.language:
        places.announce_place(session, places.ROOM, view.id, view.name, view.language)
    return view


def _room(session: Session, room_id: int) -> Room:
    return row_or_raise(session, Room, room_id, RoomError(said("That room does not exist.")))


def room_by_name(session: Session, name: str) -> RoomView | None:
    room = session.exec(select(Room).where(Room.name_key == room_key(name))).first()
    return _room_view(room) if room else None


def get_room(session: Session, room_id: int) -> RoomView | None:
    room = session.get(Room, room_id)
    return _room_view(room) if room else None


def list_rooms(
    session: Session, *, member_id: int | None, staff: bool, include_closed: bool = False
) -> list[RoomView]:
    """Rooms this member may see: public ones, private ones they are invited to; staff see all."""
    rooms = session.exec(select(Room).order_by(col(Room.id))).all()
    invited: set[int] = set()
    if member_id is not None and not staff:
        invited = set(
            session.exec(
                select(RoomMember.room_id).where(
                    RoomMember.member_id == member_id, col(RoomMember.invited).is_(True)
                )
            ).all()
        )
    return [
        _room_view(r)
        for r in rooms
        if (include_closed or not r.closed) and (staff or not r.private or r.id in invited)
    ]


def may_enter(session: Session, room_id: int, *, member_id: int, staff: bool) -> RoomView:
    """The room, if this member may go in; otherwise a RoomError that says why."""
    room = _room(session, room_id)
    if room.closed:
        raise RoomError(said("{name} is closed.", name=room.name))
    if room.private and not staff:
        standing = session.get(RoomMember, (room_id, member_id))
        if standing is None or not standing.invited:
            raise RoomError(said("{name} is private: a host can invite you.", name=room.name))
    return _room_view(room)


def update_room(
    session: Session,
    room_id: int,
    *,
    topic: str | None = None,
    slow_mode_seconds: int | None = None,
    closed: bool | None = None,
    language: str | None = None,
    by: str = "",
) -> RoomView:
    """Change a room's topic, slow mode, open state or language; the members inside hear
    of it once the transaction commits (`by`: the pseudonym that changed it, or "" for a
    sysop's tool), on every node and from a shell too. A new language is also announced
    to every node's room lists (bbs.places.PLACES_TOPIC)."""
    room = _room(session, room_id)
    if topic is not None:
        room.topic = clean_line(topic, MAX_TOPIC_CHARS).strip()
    if slow_mode_seconds is not None:
        if not 0 <= slow_mode_seconds <= MAX_SLOW_MODE_SECONDS:
            raise RoomError(said("Slow mode is 0 to {most} seconds.", most=MAX_SLOW_MODE_SECONDS))
        room.slow_mode_seconds = slow_mode_seconds
    if closed is not None:
        room.closed = closed
    if language is not None:
        room.language = _language(language)
    session.add(room)
    session.flush()
    view = _room_view(room)
    announce(
        session,
        room_topic(view.id),
        RoomChangedEvent(
            view.id, view.topic, view.slow_mode_seconds, view.closed, by, view.language
        ),
    )
    if language is not None:
        places.announce_place(session, places.ROOM, view.id, view.name, view.language)
    return view


def room_closed(session: Session, room_id: int) -> bool:
    """Whether the room is closed now (read in the transaction that would add a line)."""
    closed = session.exec(select(Room.closed).where(col(Room.id) == room_id)).first()
    return closed is None or bool(closed)


def invite(session: Session, room_id: int, member_id: int) -> None:
    _room(session, room_id)
    standing = session.get(RoomMember, (room_id, member_id))
    if standing is None:
        standing = RoomMember(room_id=room_id, member_id=member_id)
    standing.invited = True
    standing.updated_at = utcnow()
    session.add(standing)


def set_inside(session: Session, room_id: int, member_id: int, inside: bool) -> None:
    """Remember whether the member is in the room (kept across a dropped connection)."""
    standing = session.get(RoomMember, (room_id, member_id))
    if standing is None:
        if not inside:
            return
        standing = RoomMember(room_id=room_id, member_id=member_id)
    standing.inside = inside
    standing.updated_at = utcnow()
    session.add(standing)


def rooms_inside(session: Session, member_id: int) -> list[int]:
    """Rooms the member was in when they were last here, most recent first."""
    return list(
        session.exec(
            select(RoomMember.room_id)
            .where(RoomMember.member_id == member_id, col(RoomMember.inside).is_(True))
            .order_by(col(RoomMember.updated_at).desc())
        ).all()
    )


# -- lines ----------------------------------------------------------------------------
def add_line(
    session: Session,
    *,
    room_id: int,
    member_id: int | None,
    author: str,
    kind: str,
    text: str,
    held: bool = False,
) -> LineView:
    line = RoomLine(
        room_id=room_id,
        member_id=member_id,
        author=author[:64],
        kind=kind,
        text=text[:MAX_LINE_CHARS],
        held=held,
    )
    session.add(line)
    session.flush()
    return _line_view(line)


def recent_lines(session: Session, room_id: int, limit: int = HISTORY_LINES) -> list[LineView]:
    """The last `limit` visible lines of a room, oldest first."""
    lines = session.exec(
        select(RoomLine)
        .where(RoomLine.room_id == room_id, col(RoomLine.held).is_(False))
        .order_by(col(RoomLine.id).desc())
        .limit(limit)
    ).all()
    return [_line_view(line) for line in reversed(lines)]


def last_line_by(session: Session, room_id: int, member_id: int) -> LineView | None:
    line = session.exec(
        select(RoomLine)
        .where(
            RoomLine.room_id == room_id,
            RoomLine.member_id == member_id,
            col(RoomLine.held).is_(False),
        )
        .order_by(col(RoomLine.id).desc())
    ).first()
    return _line_view(line) if line else None


def purge_lines_before(session: Session, cutoff: datetime) -> int:
    """Delete room history older than `cutoff`; returns how many lines went."""
    result = session.execute(delete(RoomLine).where(col(RoomLine.created_at) < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


# -- scheduled sessions ---------------------------------------------------------------
def add_event(
    session: Session,
    *,
    room_id: int,
    starts_at: datetime,
    topic: str,
    host_id: int | None,
    duration_minutes: int = 60,
) -> RoomEventView:
    room = _room(session, room_id)
    topic = clean_line(topic, MAX_TOPIC_CHARS).strip()
    if not topic:
        raise RoomError(said("A session needs a topic."))
    if not 5 <= duration_minutes <= 24 * 60:
        raise RoomError(said("A session lasts 5 minutes to 24 hours."))
    event = RoomEvent(
        room_id=room_id,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        host_id=host_id,
        topic=topic,
    )
    session.add(event)
    session.flush()
    return _event_view(session, event, room)


def _event_view(
    session: Session, event: RoomEvent, room: Room, host: Member | None = None
) -> RoomEventView:
    """A scheduled session as members see it (`host` is looked up when not given)."""
    if host is None and event.host_id is not None:
        host = session.get(Member, event.host_id)
    assert event.id is not None and room.id is not None
    return RoomEventView(
        event.id,
        room.id,
        room.name,
        event.starts_at,
        event.duration_minutes,
        event.host_id,
        host.pseudonym if host else "",
        event.topic,
    )


def remove_event(session: Session, event_id: int) -> RoomEventView:
    """Cancel a scheduled session; returns what it was (raises RoomError if unknown)."""
    event = row_or_raise(
        session,
        RoomEvent,
        event_id,
        RoomError(said("There is no scheduled session #{number}.", number=str(event_id))),
    )
    view = _event_view(session, event, _room(session, event.room_id))
    session.delete(event)
    session.flush()
    return view


def events_starting(session: Session, after: datetime, until: datetime) -> list[RoomEventView]:
    """Sessions whose start falls in (after, until], in rooms still open: to announce."""
    return [
        e
        for e in events_between(session, after, until + timedelta(microseconds=1))
        if after < e.starts_at <= until
    ]


def _events_between_statement(one_room: bool) -> Executable:
    """`events_between`'s rows: a session's view columns, in rooms still open."""
    query = (
        sa_select(
            col(RoomEvent.id),
            col(Room.id),
            col(Room.name),
            col(RoomEvent.starts_at),
            col(RoomEvent.duration_minutes),
            col(RoomEvent.host_id),
            col(Member.pseudonym),
            col(RoomEvent.topic),
        )
        .join(Room, col(Room.id) == RoomEvent.room_id)
        .join(Member, col(Member.id) == RoomEvent.host_id, isouter=True)
        .where(
            col(RoomEvent.starts_at) < bindparam("end", type_=UTCDateTime),
            col(RoomEvent.starts_at) >= bindparam("since", type_=UTCDateTime),
            col(Room.closed).is_(False),
        )
        .order_by(col(RoomEvent.starts_at))
    )
    if one_room:
        query = query.where(col(RoomEvent.room_id) == bindparam("room_id", type_=Integer))
    return query


# Built once (the home screen reads today's sessions at every login): any room, one room.
_EVENTS_BETWEEN = (_events_between_statement(False), _events_between_statement(True))


def events_between(
    session: Session, start: datetime, end: datetime, room_id: int | None = None
) -> list[RoomEventView]:
    """Sessions overlapping [start, end), soonest first (only in rooms still open; a read:
    one statement, read as plain rows)."""
    # A session that started up to a day before `start` may still be running.
    params: dict[str, object] = {"end": end, "since": start - timedelta(days=1)}
    if room_id is not None:
        params["room_id"] = room_id
    rows = session.connection().execute(_EVENTS_BETWEEN[room_id is not None], params)
    views = []
    for event_id, room, room_name, starts, minutes, host_id, host, topic in rows:
        view = RoomEventView(event_id, room, room_name, starts, minutes, host_id, host or "", topic)
        if view.ends_at > start:
            views.append(view)
    return views


# -- preferences ----------------------------------------------------------------------
def appear_offline(session: Session, member_id: int) -> bool:
    pref = session.get(RoomPreference, member_id)
    return bool(pref and pref.appear_offline)


def set_appear_offline(session: Session, member_id: int, offline: bool) -> None:
    pref = session.get(RoomPreference, member_id) or RoomPreference(member_id=member_id)
    pref.appear_offline = offline
    session.add(pref)


def ignored_ids(session: Session, member_id: int) -> set[int]:
    return set(
        session.exec(select(RoomIgnore.ignored_id).where(RoomIgnore.member_id == member_id)).all()
    )


def set_ignored(session: Session, member_id: int, ignored_id: int, ignored: bool) -> None:
    row = session.get(RoomIgnore, (member_id, ignored_id))
    if ignored and row is None:
        session.add(RoomIgnore(member_id=member_id, ignored_id=ignored_id))
    elif not ignored and row is not None:
        session.delete(row)


def member_id_by_name(session: Session, name: str) -> tuple[int, str] | None:
    member = session.exec(
        select(Member).where(Member.pseudonym_key == normalize_pseudonym(name))
    ).first()
    if member is None or member.id is None:
        return None
    return member.id, member.pseudonym


# -- moderators (the admin screen's review queue) --------------------------------------
def review_line(session: Session, *, line_id: int) -> ModeratedItem:
    """A room line as a reviewer sees it, with the lines said just before and after."""
    line = session.get(RoomLine, line_id)
    if line is None:
        return GONE
    room = session.get(Room, line.room_id)
    before = session.exec(
        select(RoomLine)
        .where(RoomLine.room_id == line.room_id, col(RoomLine.id) < line_id)
        .order_by(col(RoomLine.id).desc())
        .limit(3)
    ).all()
    after = session.exec(
        select(RoomLine)
        .where(RoomLine.room_id == line.room_id, col(RoomLine.id) > line_id)
        .order_by(col(RoomLine.id))
        .limit(1)
    ).all()
    context = tuple(f"{r.author}: {r.text}" for r in [*reversed(before), *after])
    return ModeratedItem(
        text=line.text,
        where=said("room {name}", name=room.name if room else "?"),
        context=context,
        status="held" if line.held else "visible",
    )


def moderate_line(session: Session, *, line_id: int, outcome: ReviewOutcome) -> None:
    """A moderator shows (approves), hides or deletes a room line (history only: said is said)."""
    line = session.get(RoomLine, line_id)
    if line is None:
        return
    if outcome is ReviewOutcome.DELETE:
        session.delete(line)
    else:
        line.held = outcome is ReviewOutcome.HIDE
        session.add(line)
    session.flush()

"""What happens in rooms, as events on the bus: lines, presence, changes, alerts, sessions.

Each room has its own topic (`room_topic`); members' screens subscribe to it while they
are inside. A room's change is announced by the transaction that makes it
(`records.update_room`), so the room screen, the admin screen and `bbs admin room` in a
shell all reach the members inside the same way.
"""

from __future__ import annotations

from bbs.events import Event, event_type
from bbs.i18n import said


def room_topic(room_id: int) -> str:
    """The bus topic of a room (also its LISTEN/NOTIFY channel name)."""
    return f"room.{room_id}"


# -- events ---------------------------------------------------------------------------
@event_type("room.line")
class RoomLineEvent(Event):
    """A line said in a room; `mentions` are normalised pseudonyms."""

    room_id: int
    line_id: int
    member_id: int | None
    author: str
    line_kind: str
    text: str
    at: str
    mentions: tuple[str, ...] = ()


@event_type("room.presence")
class RoomPresenceEvent(Event):
    """Someone came, went, stepped away or came back."""

    room_id: int
    member_id: int
    name: str
    state: str


@event_type("room.changed")
class RoomChangedEvent(Event):
    """A room's topic, slow mode, open state or language changed."""

    room_id: int
    topic: str
    slow_mode_seconds: int
    closed: bool
    by: str = ""
    # One of bbs.i18n.LANGUAGES, or '' for any language.
    language: str = ""


@event_type("moderation.alert")
class ModerationAlertEvent(Event):
    """Something in a room needs a moderator (crisis first); published on MODERATION_TOPIC."""

    flag: str
    room_id: int
    line_id: int
    author: str


# Live admin screens subscribe here; the stored flag is the record either way.
MODERATION_TOPIC = "moderation"


@event_type("room.session_starting")
class SessionStartingEvent(Event):
    """A scheduled session starts now: said in its room and to everyone online."""

    room_id: int
    room_name: str
    topic: str
    host: str
    minutes: int

    def describe(self) -> str:
        if self.host:
            return said(
                "Starting now in {room}: {topic}, hosted by {host} ({minutes} min).",
                room=self.room_name,
                topic=self.topic,
                host=self.host,
                minutes=self.minutes,
            )
        return said(
            "Starting now in {room}: {topic} ({minutes} min).",
            room=self.room_name,
            topic=self.topic,
            minutes=self.minutes,
        )


# Everyone online hears here when a scheduled session starts (the home screen listens).
SESSIONS_TOPIC = "room_sessions"

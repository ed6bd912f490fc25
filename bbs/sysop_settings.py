"""Community settings a sysop changes while the server runs (admin screen, `bbs admin set`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ScalarSelect
from sqlmodel import Field, Session, SQLModel, select

from bbs.events import Event, announce, event_type
from bbs.i18n import said
from bbs.models import UTCDateTime, utcnow

# The banner everyone online sees, and the topic its changes are told on.
BANNER_KEY = "announcement"
ANNOUNCE_TOPIC = "announcements"

# Hours a new member waits before starting private conversations (replies are always fine).
NEW_MEMBER_MESSAGE_HOURS = "new_member_message_hours"
DEFAULT_NEW_MEMBER_MESSAGE_HOURS = 24
MAX_NEW_MEMBER_MESSAGE_HOURS = 24 * 30


@event_type("announcement")
class AnnouncementChanged(Event):
    """Told to everyone online: the banner changed (empty: taken down)."""

    text: str


class AdminSetting(SQLModel, table=True):
    """A sysop-set value: the on-call note, reason categories, the banner, switches."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", max_length=4000)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(AdminSetting, key)
    return row.value if row is not None else default


def setting_value(key: str) -> ScalarSelect[str]:
    """`get_setting` as a subquery (NULL when unset, for the caller's default)."""
    return select(AdminSetting.value).where(AdminSetting.key == key).scalar_subquery()


def put_setting(session: Session, key: str, value: str) -> None:
    row = session.get(AdminSetting, key) or AdminSetting(key=key)
    row.value = value[:4000]
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    if key == BANNER_KEY:
        # Short enough for any bus: sessions read the banner itself again.
        announce(session, ANNOUNCE_TOPIC, AnnouncementChanged(row.value[:1000]))


def parse_message_hours(raw: str) -> int:
    """The new-member wait as the sysop typed it; raises ValueError with a kind message."""
    text = raw.strip().lower().removesuffix("h").strip()
    try:
        hours = int(text)
    except ValueError:
        raise ValueError(
            said("Type a number of hours, for example 24, or 0 for no wait.")
        ) from None
    if not 0 <= hours <= MAX_NEW_MEMBER_MESSAGE_HOURS:
        raise ValueError(
            said("The wait can be 0 to {most} hours.", most=MAX_NEW_MEMBER_MESSAGE_HOURS)
        )
    return hours


def new_member_message_wait(session: Session) -> timedelta:
    """How long a new member waits before starting a private conversation."""
    raw = get_setting(session, NEW_MEMBER_MESSAGE_HOURS)
    try:
        return (
            timedelta(hours=parse_message_hours(raw))
            if raw.strip()
            else timedelta(hours=DEFAULT_NEW_MEMBER_MESSAGE_HOURS)
        )
    except ValueError:
        return timedelta(hours=DEFAULT_NEW_MEMBER_MESSAGE_HOURS)

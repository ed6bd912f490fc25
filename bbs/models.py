"""Database tables (SQLModel). Times are stored in UTC and always come back timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import DateTime, Dialect, ScalarSelect, TypeDecorator, func
from sqlmodel import Field, Session, SQLModel, select

R = TypeVar("R", bound=SQLModel)


def utcnow() -> datetime:
    """Now, in UTC, timezone-aware."""
    return datetime.now(UTC)


def row_or_raise(session: Session, table: type[R], key: Any, error: Exception) -> R:
    """The row of `table` whose primary key is `key`; `error` is raised when there is none."""
    row = session.get(table, key)
    if row is None:
        raise error
    return row


def count_rows(session: Session, table: type[SQLModel], *where: Any) -> int:
    """How many rows of `table` meet every condition in `where` (all rows without any)."""
    return int(session.exec(select(func.count()).select_from(table).where(*where)).one())


def counted(table: type[SQLModel], *where: Any) -> ScalarSelect[int]:
    """`count_rows` as a subquery, for a read that gathers several counts in one statement."""
    return select(func.count()).select_from(table).where(*where).scalar_subquery()


class UTCDateTime(TypeDecorator[datetime]):
    """A UTC timestamp: SQLite drops tzinfo and PostgreSQL keeps it; both come back aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Stamped(SQLModel):
    """The base of a table whose rows keep when they were made (`created_at`, in UTC).

    Inherited fields come first in the model (the database keeps the migrations' order);
    the export lists them after the table's own (`bbs.privacy.records.export_columns`),
    where they stood before this base."""

    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Role(StrEnum):
    """What a member may do: members post, moderators review, sysops run the place."""

    MEMBER = "member"
    MODERATOR = "moderator"
    SYSOP = "sysop"


class ColourMode(StrEnum):
    """A member's colour choice; auto follows TERM, COLORTERM and NO_COLOR."""

    AUTO = "auto"
    SIXTEEN = "16"
    MONOCHROME = "mono"


class FrontEnd(StrEnum):
    """How a member's sessions look: the full screen, or plain lines (screen readers)."""

    FULL = "full"
    PLAIN = "plain"


class Member(SQLModel, table=True):
    """A person, known only by the pseudonym they chose."""

    id: int | None = Field(default=None, primary_key=True)
    pseudonym: str = Field(max_length=64)
    # NFKC + casefold: unique, so "Robin" and "robin" are one member.
    pseudonym_key: str = Field(max_length=128, unique=True, index=True)
    # Confusable skeleton: blocks "r0bin" beside "robin".
    skeleton: str = Field(max_length=128, index=True)
    password_hash: str = Field(max_length=256)
    recovery_hash: str = Field(max_length=256)
    role: str = Field(default=Role.MEMBER.value, max_length=16)
    colour_mode: str = Field(default=ColourMode.AUTO.value, max_length=8)
    mouse: bool = Field(default=True)
    # The front end a plain `ssh NAME@host` opens (a command or TERM=dumb can choose too).
    front_end: str = Field(default=FrontEnd.FULL.value, max_length=8)
    # The language the member reads the board in: one of bbs.i18n.LANGUAGES.
    language: str = Field(default="en", max_length=8)
    # The country the member said they are in (ISO 3166-1 alpha-2, upper case), or '' when
    # not said: the help shows that country's crisis lines where the sysop wrote them.
    country: str = Field(default="", max_length=2)
    guidelines_version: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MemberKey(SQLModel, table=True):
    """An SSH public key that logs a member in; a key belongs to one member only."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    algorithm: str = Field(max_length=64)
    # SHA256 fingerprint as OpenSSH prints it.
    fingerprint: str = Field(max_length=128, unique=True)
    public_key: str = Field(max_length=16384)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ModerationExample(Stamped, table=True):
    """A text labelled by a person (a sysop's decision), for retraining the model."""

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=20000)
    harassment: bool = Field(default=False)
    spam: bool = Field(default=False)
    crisis: bool = Field(default=False)
    source: str = Field(default="decision", max_length=32)
    decided_by_id: int | None = Field(
        default=None, foreign_key="member.id", index=True, ondelete="SET NULL"
    )


class RetiredPseudonym(SQLModel, table=True):
    """A deleted member's name, held back from sign-up for a while (lookalikes too).

    Only the normalised key and the confusable skeleton are kept, never the password,
    keys or anything else of the account, and the row is ignored once `until` passes.
    """

    id: int | None = Field(default=None, primary_key=True)
    pseudonym_key: str = Field(max_length=128, index=True)
    skeleton: str = Field(max_length=128, index=True)
    until: datetime = Field(sa_type=UTCDateTime, index=True)

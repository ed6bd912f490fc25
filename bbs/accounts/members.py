"""Accounts: members, their keys and roles. Plain functions taking a database session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, String, bindparam, func, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from bbs.accounts.pseudonyms import Pseudonym, normalize_pseudonym
from bbs.i18n import said
from bbs.models import (
    ColourMode,
    FrontEnd,
    Member,
    MemberKey,
    RetiredPseudonym,
    Role,
    UTCDateTime,
    count_rows,
    row_or_raise,
    utcnow,
)


class AccountError(ValueError):
    """An account change that cannot be made; the message is fit to show the person."""


@dataclass(frozen=True)
class PublicKeyInfo:
    """An SSH public key as the core sees it (parsed by the SSH layer)."""

    algorithm: str
    fingerprint: str
    openssh: str


@dataclass(frozen=True)
class MemberView:
    """A read-only view of a member for the UI and the SSH layer."""

    id: int
    pseudonym: str
    role: Role
    colour_mode: ColourMode
    mouse: bool
    created_at: datetime
    last_login_at: datetime | None
    key_count: int = 0
    front_end: FrontEnd = FrontEnd.FULL
    language: str = "en"
    # ISO 3166-1 alpha-2 (upper case), or '' when the member has not said (bbs.countries).
    country: str = ""

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.MODERATOR, Role.SYSOP)


@dataclass(frozen=True)
class Credentials:
    """What password and recovery checks need; kept apart from MemberView on purpose."""

    member_id: int
    password_hash: str
    recovery_hash: str


def _key_count(session: Session, member_id: int | None) -> int:
    return count_rows(session, MemberKey, MemberKey.member_id == member_id)


def _view(member: Member, key_count: int = 0) -> MemberView:
    assert member.id is not None
    return MemberView(
        id=member.id,
        pseudonym=member.pseudonym,
        role=Role(member.role),
        colour_mode=ColourMode(member.colour_mode),
        mouse=member.mouse,
        created_at=member.created_at,
        last_login_at=member.last_login_at,
        key_count=key_count,
        front_end=FrontEnd(member.front_end),
        language=member.language,
        country=member.country,
    )


def _by_name(session: Session, pseudonym: str) -> Member | None:
    key = normalize_pseudonym(pseudonym)
    return session.exec(select(Member).where(Member.pseudonym_key == key)).first()


def get_member(session: Session, pseudonym: str) -> MemberView | None:
    """The member with this pseudonym (any case or width), or None."""
    member = _by_name(session, pseudonym)
    if member is None:
        return None
    return _view(member, _key_count(session, member.id))


def get_member_by_id(session: Session, member_id: int) -> MemberView | None:
    member = session.get(Member, member_id)
    return None if member is None else _view(member, _key_count(session, member_id))


def get_credentials(session: Session, pseudonym: str) -> Credentials | None:
    member = _by_name(session, pseudonym)
    if member is None or member.id is None:
        return None
    return Credentials(member.id, member.password_hash, member.recovery_hash)


def pseudonym_taken(session: Session, pseudonym: Pseudonym) -> bool:
    """True when the name, or a lookalike of it, belongs to someone or was recently retired.

    A deleted account's name (and anything that looks like it) stays unavailable for a
    while, so nobody can step into a departed member's name while people still know it.
    """
    found = session.exec(
        select(Member.id).where(
            or_(Member.pseudonym_key == pseudonym.key, Member.skeleton == pseudonym.skeleton)
        )
    ).first()
    if found is not None:
        return True
    retired = session.exec(
        select(RetiredPseudonym.id).where(
            or_(
                RetiredPseudonym.pseudonym_key == pseudonym.key,
                RetiredPseudonym.skeleton == pseudonym.skeleton,
            ),
            col(RetiredPseudonym.until) > utcnow(),
        )
    ).first()
    return retired is not None


def retire_pseudonym(session: Session, member_id: int, until: datetime) -> None:
    """Hold a member's name (key and skeleton) back from sign-up until `until`."""
    member = session.get(Member, member_id)
    if member is None:
        return
    session.add(
        RetiredPseudonym(pseudonym_key=member.pseudonym_key, skeleton=member.skeleton, until=until)
    )


# The key login's statement, built once (logins pay for every query here): the member's
# view columns, joined to the key, with their count of keys.
_OTHER_KEYS = aliased(MemberKey)
_KEY_LOGIN = (
    sa_select(
        col(Member.id),
        col(Member.pseudonym),
        col(Member.role),
        col(Member.colour_mode),
        col(Member.mouse),
        col(Member.created_at),
        col(Member.last_login_at),
        select(func.count())
        .select_from(_OTHER_KEYS)
        .where(_OTHER_KEYS.member_id == Member.id)
        .correlate(Member)
        .scalar_subquery(),
        col(Member.front_end),
        col(Member.language),
        col(Member.country),
    )
    .join(MemberKey, col(MemberKey.member_id) == col(Member.id))
    .where(
        col(Member.pseudonym_key) == bindparam("pseudonym_key", type_=String),
        col(MemberKey.fingerprint) == bindparam("fingerprint", type_=String),
    )
)


def member_for_key(session: Session, pseudonym: str, fingerprint: str) -> MemberView | None:
    """The member, if this key is bound to them (and only to them).

    One statement, built once, read as plain columns: the member, joined to the key, with
    their count of keys.
    """
    row = (
        session.connection()
        .execute(
            _KEY_LOGIN,
            {"pseudonym_key": normalize_pseudonym(pseudonym), "fingerprint": fingerprint},
        )
        .first()
    )
    if row is None:
        return None
    member_id, name, role, colours, mouse, created, last_login, keys, front, language, country = row
    return MemberView(
        id=member_id,
        pseudonym=name,
        role=Role(role),
        colour_mode=ColourMode(colours),
        mouse=bool(mouse),
        created_at=created,
        last_login_at=last_login,
        key_count=int(keys),
        front_end=FrontEnd(front),
        language=language,
        country=country,
    )


def create_member(
    session: Session,
    *,
    pseudonym: Pseudonym,
    password_hash: str,
    recovery_hash: str,
    role: Role = Role.MEMBER,
    key: PublicKeyInfo | None = None,
    language: str = "en",
    front_end: FrontEnd = FrontEnd.FULL,
    country: str = "",
) -> MemberView:
    """Add a member; raises AccountError when the name or a lookalike is taken."""
    if pseudonym_taken(session, pseudonym):
        raise AccountError(
            said("That name, or one that looks just like it, is taken. Try another.")
        )
    member = Member(
        pseudonym=pseudonym.display,
        pseudonym_key=pseudonym.key,
        skeleton=pseudonym.skeleton,
        password_hash=password_hash,
        recovery_hash=recovery_hash,
        role=role.value,
        language=language,
        country=country,
        front_end=front_end.value,
        # Signing up is the first visit.
        last_login_at=utcnow(),
    )
    session.add(member)
    try:
        session.flush()
    except IntegrityError as error:
        raise AccountError(said("That name was taken a moment ago. Try another.")) from error
    assert member.id is not None
    if key is not None:
        bind_key(session, member_id=member.id, key=key)
    return _view(member, 1 if key else 0)


def bind_key(session: Session, *, member_id: int, key: PublicKeyInfo) -> None:
    """Let this key log the member in; a key already bound to another member is refused."""
    existing = session.exec(
        select(MemberKey).where(MemberKey.fingerprint == key.fingerprint)
    ).first()
    if existing is not None:
        if existing.member_id == member_id:
            return
        raise AccountError(said("That key already belongs to another account."))
    session.add(
        MemberKey(
            member_id=member_id,
            algorithm=key.algorithm,
            fingerprint=key.fingerprint,
            public_key=key.openssh,
        )
    )
    session.flush()


def list_keys(session: Session, member_id: int) -> list[PublicKeyInfo]:
    rows = session.exec(
        select(MemberKey).where(MemberKey.member_id == member_id).order_by(col(MemberKey.id))
    ).all()
    return [PublicKeyInfo(r.algorithm, r.fingerprint, r.public_key) for r in rows]


def remove_key(session: Session, *, member_id: int, fingerprint: str) -> bool:
    """Stop a key logging the member in; False if it was not theirs."""
    key = session.exec(
        select(MemberKey).where(
            MemberKey.member_id == member_id, MemberKey.fingerprint == fingerprint
        )
    ).first()
    if key is None:
        return False
    session.delete(key)
    session.flush()
    return True


def get_credentials_by_id(session: Session, member_id: int) -> Credentials | None:
    member = session.get(Member, member_id)
    if member is None or member.id is None:
        return None
    return Credentials(member.id, member.password_hash, member.recovery_hash)


def list_members(session: Session) -> list[MemberView]:
    members = session.exec(select(Member).order_by(col(Member.pseudonym_key))).all()
    return [_view(m) for m in members]


def _require(session: Session, pseudonym: str) -> Member:
    member = _by_name(session, pseudonym)
    if member is None:
        raise AccountError(said("No member is called {name}.", name=repr(pseudonym)))
    return member


def set_role(session: Session, pseudonym: str, role: Role) -> MemberView:
    member = _require(session, pseudonym)
    member.role = role.value
    session.add(member)
    return _view(member)


def existing_member(session: Session, member_id: int) -> Member:
    """The member's row; AccountError when the account no longer exists."""
    return row_or_raise(
        session, Member, member_id, AccountError(said("That account no longer exists."))
    )


def _update(session: Session, member_id: int, **values: object) -> MemberView:
    """Change some of the member's own settings; the member as it is now."""
    member = existing_member(session, member_id)
    for name, value in values.items():
        setattr(member, name, value)
    session.add(member)
    return _view(member, _key_count(session, member_id))


def set_password(
    session: Session, *, member_id: int, password_hash: str, recovery_hash: str | None = None
) -> None:
    member = existing_member(session, member_id)
    member.password_hash = password_hash
    if recovery_hash is not None:
        member.recovery_hash = recovery_hash
    session.add(member)


# The login record's two UPDATEs, built once (no rows loaded first, no ORM bookkeeping:
# the write transaction holds nothing else).
_MEMBER_ARRIVED = (
    update(Member)
    .where(col(Member.id) == bindparam("member_id", type_=Integer))
    .values(last_login_at=bindparam("at", type_=UTCDateTime))
)
_KEY_USED = (
    update(MemberKey)
    .where(col(MemberKey.fingerprint) == bindparam("key", type_=String))
    .values(last_used_at=bindparam("at", type_=UTCDateTime))
)


def record_login(session: Session, member_id: int, fingerprint: str | None) -> None:
    """Note when a member last arrived (and with which key); nothing about where from."""
    # Two UPDATE statements, no rows loaded first: every login pays for this write.
    now = utcnow()
    connection = session.connection()
    connection.execute(_MEMBER_ARRIVED, {"member_id": member_id, "at": now})
    if fingerprint:
        connection.execute(_KEY_USED, {"key": fingerprint, "at": now})


def update_display_settings(
    session: Session, member_id: int, *, colour_mode: ColourMode, mouse: bool
) -> MemberView:
    return _update(session, member_id, colour_mode=colour_mode.value, mouse=mouse)


def set_front_end(session: Session, member_id: int, front_end: FrontEnd) -> MemberView:
    """Remember which front end the member's next plain `ssh NAME@host` opens."""
    return _update(session, member_id, front_end=front_end.value)


def set_language(session: Session, member_id: int, language: str) -> MemberView:
    """The language the member reads the board in (a code from bbs.i18n.LANGUAGES)."""
    return _update(session, member_id, language=language)


def member_language(session: Session, member_id: int) -> str:
    """The member's language; English for a member who is gone."""
    language = session.exec(select(Member.language).where(Member.id == member_id)).first()
    return language or "en"


def set_country(session: Session, member_id: int, country: str) -> MemberView:
    """The country the member says they are in (a checked code, bbs.countries), or ''."""
    return _update(session, member_id, country=country)


def member_language_and_country(session: Session, member_id: int) -> tuple[str, str]:
    """The member's language and country, for their help and crisis lines; English and
    no country for a member who is gone."""
    row = session.exec(
        select(Member.language, Member.country).where(Member.id == member_id)
    ).first()
    if row is None:
        return "en", ""
    return row[0] or "en", row[1] or ""


def set_recovery(session: Session, *, member_id: int, recovery_hash: str) -> None:
    """Replace the member's recovery code (its hash); the old code stops working."""
    member = existing_member(session, member_id)
    member.recovery_hash = recovery_hash
    session.add(member)

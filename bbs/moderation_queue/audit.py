"""The audit log's table: one thing a moderator did and why.

`bbs.admin.review` writes and reads it; the boards read it too (why a member's own post was
removed), so it lives here, below both, rather than in the moderators' module.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Session, SQLModel

from bbs.i18n import said
from bbs.models import Member, Role, UTCDateTime, utcnow
from bbs.moderation_queue.flags import ModerationFlag
from bbs.moderation_queue.sanctions import REASON_MAX
from bbs.text_safety import clean_line


class AuditEntry(SQLModel, table=True):
    """One thing a moderator did and why. Names are copied so history outlives accounts."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    actor_name: str = Field(default="", max_length=64)
    action: str = Field(max_length=24, index=True)
    member_id: int | None = Field(
        default=None, foreign_key="member.id", index=True, ondelete="SET NULL"
    )
    member_name: str = Field(default="", max_length=64)
    flag_id: int | None = Field(default=None)
    target_kind: str = Field(default="", max_length=16)
    target_id: int | None = Field(default=None)
    sanction_id: int | None = Field(default=None)
    category: str = Field(default="", max_length=64)
    reason: str = Field(default="", max_length=REASON_MAX)
    # What was acted on, briefly (an excerpt of the text, the length of a mute, ...).
    detail: str = Field(default="", max_length=500)


class AdminError(ValueError):
    """An admin request that cannot be carried out; the message is fit to show."""


def require_staff(session: Session, actor_id: int, *, sysop: bool = False) -> Member:
    """The acting member, checked again here: a member who reaches an admin screen does nothing."""
    actor = session.get(Member, actor_id)
    allowed = (Role.SYSOP.value,) if sysop else (Role.MODERATOR.value, Role.SYSOP.value)
    if actor is None or actor.role not in allowed:
        raise AdminError(
            said("Only sysops can do that.")
            if sysop
            else said("Only moderators and sysops can do that.")
        )
    return actor


def audit_action(
    session: Session,
    *,
    actor: Member,
    action: str,
    member: Member | None = None,
    flag: ModerationFlag | None = None,
    category: str = "",
    reason: str = "",
    detail: str = "",
    sanction_id: int | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id,
        actor_name=actor.pseudonym,
        action=action,
        member_id=member.id if member else None,
        member_name=member.pseudonym if member else "",
        flag_id=flag.id if flag else None,
        target_kind=flag.target_kind if flag else "",
        target_id=flag.target_id if flag else None,
        sanction_id=sanction_id,
        category=category,
        reason=reason,
        detail=clean_line(detail)[:500],
    )
    session.add(entry)
    session.flush()
    return entry

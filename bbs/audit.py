"""The audit log's table: one thing a moderator did and why.

`bbs.admin` writes and reads it; the boards read it too (why a member's own post was
removed), so it lives here, below both, rather than in the moderators' module.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bbs.models import UTCDateTime, utcnow
from bbs.sanctions import REASON_MAX


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

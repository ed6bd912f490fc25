"""Blocks and mutes between members: a block holds everywhere, a mute only silences."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, Session, col, select

from bbs.models import Stamped


class BlockKind(StrEnum):
    """A block stops messages, mentions and reactions; a mute only stops notifications."""

    BLOCK = "block"
    MUTE = "mute"


class MemberBlock(Stamped, table=True):
    """`member_id` blocks (or mutes) `other_id`; one row per kind."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    other_id: int = Field(foreign_key="member.id", primary_key=True, index=True, ondelete="CASCADE")
    kind: str = Field(primary_key=True, max_length=8)


def set_block(
    session: Session, *, member_id: int, other_id: int, kind: BlockKind, on: bool
) -> None:
    """Add or lift a block or mute; blocking yourself is quietly ignored."""
    if member_id == other_id:
        return
    row = session.get(MemberBlock, (member_id, other_id, kind.value))
    if on and row is None:
        session.add(MemberBlock(member_id=member_id, other_id=other_id, kind=kind.value))
        session.flush()
    elif not on and row is not None:
        session.delete(row)
        session.flush()


def has_blocked(session: Session, member_id: int, other_id: int) -> bool:
    """True when `member_id` has blocked `other_id`."""
    return session.get(MemberBlock, (member_id, other_id, BlockKind.BLOCK.value)) is not None


def has_muted(session: Session, member_id: int, other_id: int) -> bool:
    """True when `member_id` has blocked or muted `other_id` (a block silences too)."""
    return has_blocked(session, member_id, other_id) or (
        session.get(MemberBlock, (member_id, other_id, BlockKind.MUTE.value)) is not None
    )


def blocked_ids(session: Session, member_id: int) -> set[int]:
    """Everyone `member_id` has blocked."""
    rows = session.exec(
        select(MemberBlock.other_id).where(
            MemberBlock.member_id == member_id, MemberBlock.kind == BlockKind.BLOCK.value
        )
    ).all()
    return set(rows)


def blocks_of(session: Session, member_id: int) -> list[tuple[int, str]]:
    """(other member, kind) for every block and mute `member_id` has set, oldest first."""
    rows = session.exec(
        select(MemberBlock.other_id, MemberBlock.kind)
        .where(MemberBlock.member_id == member_id)
        .order_by(col(MemberBlock.created_at))
    ).all()
    return [(int(o), str(k)) for o, k in rows]

"""Every table module, imported once so SQLModel.metadata (and Alembic) sees the whole schema.

A feature that adds tables in a module of its own adds that module's import here.
"""

from __future__ import annotations

import bbs.accounts.blocks
import bbs.admin.review
import bbs.boards.records
import bbs.goals.records
import bbs.mail.records
import bbs.model_versions
import bbs.models
import bbs.moderation_queue.audit
import bbs.moderation_queue.flags
import bbs.moderation_queue.sanctions
import bbs.posted_events
import bbs.resources.records
import bbs.rooms.records
import bbs.suggestions.records
import bbs.sysop_settings
import bbs.texts.records

# Tables and indexes written by hand in migrations, not generated from the models:
# PostgreSQL's UNLOGGED tables of several nodes (migrations 0015, 0017 and 0018), and
# the full-text tables (any name holding "_fts") with their shadow tables.
HAND_WRITTEN = frozenset(
    {
        "live_event",
        "ix_live_event_at",
        "live_session",
        "ix_live_session_member",
        "ix_live_session_node",
        "live_presence",
        "ix_live_presence_room",
        "door_salt",
        "door_hit",
        "ix_door_hit_source",
        "ix_door_hit_at",
        "room_flood",
    }
)


def from_the_models(_obj: object, name: str | None, type_: str, *_: object) -> bool:
    """Whether a table or index comes from the models (Alembic's `include_object`): the
    hand-written ones are left out of autogeneration and of the models-match check."""
    if type_ in ("table", "index") and name is not None:
        return name not in HAND_WRITTEN and "_fts" not in name
    return True


# `bbs` is exported so that each import above counts as used (they register tables).
__all__ = ["HAND_WRITTEN", "bbs", "from_the_models"]

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

# Exported so that each import above counts as used (they register tables on import).
__all__ = ["bbs"]

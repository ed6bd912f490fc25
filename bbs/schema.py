"""Every table module, imported once so SQLModel.metadata (and Alembic) sees the whole schema.

A feature that adds tables in a module of its own adds that module's import here.
"""

from __future__ import annotations

import bbs.admin
import bbs.audit
import bbs.blocks
import bbs.boards
import bbs.flags
import bbs.goals
import bbs.messages
import bbs.models
import bbs.posted_events
import bbs.resources
import bbs.rooms
import bbs.sanctions
import bbs.suggestions
import bbs.sysop_settings

# Exported so that each import above counts as used (they register tables on import).
__all__ = ["bbs"]

"""Every table module, imported once so SQLModel.metadata (and Alembic) sees the whole schema.

A feature that adds tables in a module of its own adds that module's import here.
"""

from __future__ import annotations

import bbs.models  # noqa: F401

"""posted events: events another process (`bbs admin` in a shell) posts for the server

Revision ID: 0016_posted_events
Revises: 0015_live_events
Create Date: 2026-12-04 10:00:00.000000

A sanction, notice or banner change made by `bbs admin` is written here in the same
transaction as the change; the running server follows the table and publishes each row
on its own bus (bbs.posted_events). Rows are purged after a few minutes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import bbs.models
from alembic import op

revision: str = "0016_posted_events"
down_revision: str | None = "0015_live_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "postedevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
        sa.Column("created_at", bbs.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_postedevent_created_at"), "postedevent", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_postedevent_created_at"), table_name="postedevent")
    op.drop_table("postedevent")

"""shared texts and model versions: help, guidelines and the moderation model in the database

Revision ID: 0019_shared_texts
Revises: 0016_posted_events
Create Date: 2026-12-04 17:00:00.000000

Several nodes share one community: the help text (per language and country), the
guidelines (per language) and the moderation model's versions live here rather than in
each node's data directory. The rows are seeded at start (bbs.texts.records.seed_texts:
the data directory's own files first, else the shipped texts; never over a row) and when
a node first publishes its model (server.model_sync).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import bbs.models
from alembic import op

revision: str = "0019_shared_texts"
down_revision: str | None = "0016_posted_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "community_text",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("updated_at", bbs.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "lang", "country"),
    )
    op.create_table(
        "moderation_model",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("arrays", sa.LargeBinary(), nullable=False),
        sa.Column("arrays_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", bbs.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "moderation_model_in_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("updated_at", bbs.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("moderation_model_in_use")
    op.drop_table("moderation_model")
    op.drop_table("community_text")

"""languages of places and members' countries: a board or room may be marked with a language
('' for any), and a member may say their country ('' when not said) for its crisis lines

Revision ID: 0021_place_language
Revises: 0020_merge_cluster
Create Date: 2026-12-04 19:30:00.000000

Existing boards and rooms are for any language; existing members have said no country.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0021_place_language"
down_revision: str | None = "0020_merge_cluster"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("board", "room"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "language",
                    sqlmodel.sql.sqltypes.AutoString(length=8),
                    nullable=False,
                    server_default="",
                )
            )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "country",
                sqlmodel.sql.sqltypes.AutoString(length=2),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("country")
    for table in ("room", "board"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("language")

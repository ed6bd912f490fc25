"""privacy: deleted members' names held back from sign-up for a while

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-22 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import bbs.models
from alembic import op


revision: str = '0009'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('retiredpseudonym',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pseudonym_key', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('skeleton', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('until', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_retiredpseudonym_pseudonym_key'), 'retiredpseudonym', ['pseudonym_key'], unique=False)
    op.create_index(op.f('ix_retiredpseudonym_skeleton'), 'retiredpseudonym', ['skeleton'], unique=False)
    op.create_index(op.f('ix_retiredpseudonym_until'), 'retiredpseudonym', ['until'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_retiredpseudonym_until'), table_name='retiredpseudonym')
    op.drop_index(op.f('ix_retiredpseudonym_skeleton'), table_name='retiredpseudonym')
    op.drop_index(op.f('ix_retiredpseudonym_pseudonym_key'), table_name='retiredpseudonym')
    op.drop_table('retiredpseudonym')

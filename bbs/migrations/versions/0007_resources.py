"""resource library: entries and members' favourites

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bbs.models

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('resource',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('tags', sqlmodel.sql.sqltypes.AutoString(length=250), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('retired_at', bbs.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    op.create_table('resourcefavourite',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('created_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'resource_id')
    )
    op.create_index(op.f('ix_resourcefavourite_resource_id'), 'resourcefavourite',
                    ['resource_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_resourcefavourite_resource_id'), table_name='resourcefavourite')
    op.drop_table('resourcefavourite')
    op.drop_table('resource')

"""personal suggestions and peer matching: settings, profiles, dismissals, item themes

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-22 08:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import bbs.models
from alembic import op


revision: str = '0008'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('suggestioncursor',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('suggestionitem',
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('themes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('created_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'item_id')
    )
    op.create_index('ix_suggestionitem_kind_created', 'suggestionitem', ['kind', 'created_at'], unique=False)
    op.create_table('suggestiondismissal',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('theme', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('created_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'kind', 'item_id')
    )
    op.create_table('suggestionprofile',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('themes', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('public_themes', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('evidence', sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
    sa.Column('texts_read', sa.Integer(), nullable=False),
    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('refreshed_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id')
    )
    op.create_table('suggestionsettings',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('suggestions', sa.Boolean(), nullable=False),
    sa.Column('peers', sa.Boolean(), nullable=False),
    sa.Column('dirty', sa.Boolean(), nullable=False),
    sa.Column('updated_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id')
    )
    op.create_index(op.f('ix_suggestionsettings_dirty'), 'suggestionsettings', ['dirty'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_suggestionsettings_dirty'), table_name='suggestionsettings')
    op.drop_table('suggestionsettings')
    op.drop_table('suggestionprofile')
    op.drop_table('suggestiondismissal')
    op.drop_index('ix_suggestionitem_kind_created', table_name='suggestionitem')
    op.drop_table('suggestionitem')
    op.drop_table('suggestioncursor')

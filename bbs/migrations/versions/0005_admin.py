"""admin: sanctions, notices to members, audit log, moderator notes, settings

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-22 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import bbs.models
from alembic import op


revision: str = '0005'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('adminsetting',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('updated_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('auditentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('member_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=True),
    sa.Column('target_kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('sanction_id', sa.Integer(), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_auditentry_action'), 'auditentry', ['action'], unique=False)
    op.create_index(op.f('ix_auditentry_created_at'), 'auditentry', ['created_at'], unique=False)
    op.create_index(op.f('ix_auditentry_member_id'), 'auditentry', ['member_id'], unique=False)
    op.create_table('moderationnotice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=True),
    sa.Column('appealable', sa.Boolean(), nullable=False),
    sa.Column('seen', sa.Boolean(), nullable=False),
    sa.Column('created_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_moderationnotice_member_id'), 'moderationnotice', ['member_id'], unique=False)
    op.create_table('moderatornote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('created_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_moderatornote_member_id'), 'moderatornote', ['member_id'], unique=False)
    op.create_table('sanction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', bbs.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lifted_at', bbs.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_sanction_member_kind', 'sanction', ['member_id', 'kind'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_sanction_member_kind', table_name='sanction')
    op.drop_table('sanction')
    op.drop_index(op.f('ix_moderatornote_member_id'), table_name='moderatornote')
    op.drop_table('moderatornote')
    op.drop_index(op.f('ix_moderationnotice_member_id'), table_name='moderationnotice')
    op.drop_table('moderationnotice')
    op.drop_index(op.f('ix_auditentry_member_id'), table_name='auditentry')
    op.drop_index(op.f('ix_auditentry_created_at'), table_name='auditentry')
    op.drop_index(op.f('ix_auditentry_action'), table_name='auditentry')
    op.drop_table('auditentry')
    op.drop_table('adminsetting')

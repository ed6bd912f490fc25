"""live rooms

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22 04:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import bbs.models
from alembic import op


revision: str = '0003'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('room',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('slow_mode_seconds', sa.Integer(), nullable=False),
    sa.Column('created_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name_key')
    )
    op.create_table('roomevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=True),
    sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['host_id'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('roomevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roomevent_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roomevent_starts_at'), ['starts_at'], unique=False)

    op.create_table('roomignore',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('ignored_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ignored_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'ignored_id')
    )
    op.create_table('roomline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('held', sa.Boolean(), nullable=False),
    sa.Column('created_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('roomline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roomline_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_roomline_member_id'), ['member_id'], unique=False)
        batch_op.create_index('ix_roomline_room_id_id', ['room_id', 'id'], unique=False)

    op.create_table('roommember',
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('invited', sa.Boolean(), nullable=False),
    sa.Column('inside', sa.Boolean(), nullable=False),
    sa.Column('updated_at', bbs.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('room_id', 'member_id')
    )
    with op.batch_alter_table('roommember', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roommember_member_id'), ['member_id'], unique=False)

    op.create_table('roompreference',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('appear_offline', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id')
    )


def downgrade() -> None:
    op.drop_table('roompreference')
    with op.batch_alter_table('roommember', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roommember_member_id'))

    op.drop_table('roommember')
    with op.batch_alter_table('roomline', schema=None) as batch_op:
        batch_op.drop_index('ix_roomline_room_id_id')
        batch_op.drop_index(batch_op.f('ix_roomline_member_id'))
        batch_op.drop_index(batch_op.f('ix_roomline_created_at'))

    op.drop_table('roomline')
    op.drop_table('roomignore')
    with op.batch_alter_table('roomevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roomevent_starts_at'))
        batch_op.drop_index(batch_op.f('ix_roomevent_room_id'))

    op.drop_table('roomevent')
    op.drop_table('room')

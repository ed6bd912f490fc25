"""live events: the table several nodes share their live events through (PostgreSQL only)

Revision ID: 0015_live_events
Revises: 0014_language
Create Date: 2026-12-04 04:00:00.000000

Written by hand. `live_event` holds what happens live (room lines, presence, alerts) for a
few minutes so that every node reads it in id order and a node that lost its listening
connection catches up (bbs.events_postgres). UNLOGGED: not written to the WAL, emptied
after a crash, which suits events that matter only now. SQLite serves one process and
needs no such table.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_live_events"
down_revision: str | None = "0014_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE UNLOGGED TABLE live_event ("
        " id bigserial PRIMARY KEY,"
        " topic text NOT NULL,"
        " body text NOT NULL,"
        " at timestamptz NOT NULL DEFAULT now())"
    )
    op.execute("CREATE INDEX ix_live_event_at ON live_event (at)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE live_event")

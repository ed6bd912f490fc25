"""live presence: the live sessions and room presence several nodes share (PostgreSQL only)

Revision ID: 0017_live_presence
Revises: 0016_posted_events
Create Date: 2026-12-04 17:00:00.000000

Written by hand. `live_session` holds every node's connected members' sessions and
`live_presence` who is in which room, each row with the node that holds it and when that
node last said it is alive (bbs.presence_postgres). UNLOGGED, like live_event: not written
to the WAL, emptied after a crash of the database, which suits facts that matter only now.
SQLite serves one process, which keeps these in its memory.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_live_presence"
down_revision: str | None = "0016_posted_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE UNLOGGED TABLE live_session ("
        " session_id text PRIMARY KEY,"
        " node text NOT NULL,"
        " member_id integer NOT NULL,"
        " started_at timestamptz NOT NULL,"
        " width integer NOT NULL,"
        " height integer NOT NULL,"
        " heartbeat timestamptz NOT NULL DEFAULT now())"
    )
    op.execute("CREATE INDEX ix_live_session_member ON live_session (member_id)")
    op.execute("CREATE INDEX ix_live_session_node ON live_session (node)")
    op.execute(
        "CREATE UNLOGGED TABLE live_presence ("
        " node text NOT NULL,"
        " room_id integer NOT NULL,"
        " member_id integer NOT NULL,"
        " name text NOT NULL,"
        " since timestamptz NOT NULL,"
        " sessions integer NOT NULL,"
        " away boolean NOT NULL DEFAULT false,"
        " away_note text NOT NULL DEFAULT '',"
        " hidden boolean NOT NULL DEFAULT false,"
        " heartbeat timestamptz NOT NULL DEFAULT now(),"
        " PRIMARY KEY (node, room_id, member_id))"
    )
    op.execute("CREATE INDEX ix_live_presence_room ON live_presence (room_id, member_id)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE live_presence")
    op.execute("DROP TABLE live_session")

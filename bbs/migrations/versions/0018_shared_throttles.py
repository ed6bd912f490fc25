"""shared throttles: failed logins, sign-ups, the source salt and room flood across nodes

Revision ID: 0018_shared_throttles
Revises: 0016_posted_events
Create Date: 2026-12-04 17:00:00.000000

Written by hand; PostgreSQL only (SQLite serves one process, which keeps these in memory).
Every table is UNLOGGED: not written to the WAL and emptied after a crash, which suits
counters that matter for an hour at most. PostgreSQL may still write an UNLOGGED table's
pages to disk; the privacy text says so.

- `door_salt`: the salt source addresses are hashed with, one row per hour, the same on
  every node (bbs.accounts.door_postgres).
- `door_hit`: one row per failed login ('f') or sign-up ('s') from a source hash.
- `room_flood`: each member's pace in the rooms (bbs.rooms.flood_postgres), checked and
  counted by `room_flood_check` in one statement: the same rules as
  `bbs.rooms.flood.FloodControl`, in one round trip, with the member's row locked.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018_shared_throttles"
down_revision: str | None = "0016_posted_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Times are seconds since the epoch (double precision), from the nodes' clocks.
ROOM_FLOOD_CHECK = """
CREATE FUNCTION room_flood_check(
    p_member integer, p_room integer, p_key text, p_now double precision,
    p_slow double precision, p_exempt boolean,
    p_capacity double precision, p_rate double precision, p_duplicate double precision,
    p_refusal_limit integer, p_refusal_seconds double precision,
    p_cool_off double precision, p_recent integer)
RETURNS TABLE (reason text, retry_after double precision)
LANGUAGE plpgsql AS $$
DECLARE
    s room_flood%ROWTYPE;
    i integer;
    last double precision;
    verdict text := NULL;
    wait double precision := 0;
BEGIN
    INSERT INTO room_flood (member_id) VALUES (p_member) ON CONFLICT (member_id) DO NOTHING;
    SELECT * INTO s FROM room_flood WHERE member_id = p_member FOR UPDATE;
    IF p_now < s.cooling_until THEN
        RETURN QUERY SELECT 'cooling_off'::text, s.cooling_until - p_now;
        RETURN;
    END IF;
    FOR i IN 1 .. coalesce(array_length(s.recent_keys, 1), 0) LOOP
        IF s.recent_keys[i] = p_key AND p_now - s.recent_at[i] < p_duplicate THEN
            verdict := 'duplicate';
            wait := p_duplicate - (p_now - s.recent_at[i]);
            EXIT;
        END IF;
    END LOOP;
    IF verdict IS NULL AND p_slow > 0 AND NOT p_exempt THEN
        last := (s.last_in_room ->> p_room::text)::double precision;
        IF last IS NOT NULL AND p_now - last < p_slow THEN
            RETURN QUERY SELECT 'slow_mode'::text, p_slow - (p_now - last);
            RETURN;
        END IF;
    END IF;
    IF verdict IS NULL THEN
        -- The token bucket: full at first, refilled at p_rate lines a second.
        IF s.tokens < 0 AND s.stamp = 0 THEN
            s.tokens := p_capacity;
        ELSE
            s.tokens := least(p_capacity, s.tokens + (p_now - s.stamp) * p_rate);
        END IF;
        s.stamp := p_now;
        IF s.tokens < 1 THEN
            verdict := 'throttled';
            wait := (1 - s.tokens) / p_rate;
        END IF;
    END IF;
    IF verdict IS NOT NULL THEN
        -- Refused: counted, and too many refusals within the window cool the member off.
        s.refusals := ARRAY(
            SELECT r FROM unnest(array_append(s.refusals, p_now)) AS r
            WHERE p_now - r <= p_refusal_seconds);
        IF coalesce(array_length(s.refusals, 1), 0) >= p_refusal_limit THEN
            s.refusals := '{}';
            s.cooling_until := p_now + p_cool_off;
            verdict := 'cooling_off';
            wait := p_cool_off;
        END IF;
        UPDATE room_flood SET tokens = s.tokens, stamp = s.stamp, refusals = s.refusals,
            cooling_until = s.cooling_until
        WHERE member_id = p_member;
        RETURN QUERY SELECT verdict, wait;
        RETURN;
    END IF;
    s.recent_keys := array_append(s.recent_keys, p_key);
    s.recent_at := array_append(s.recent_at, p_now);
    IF array_length(s.recent_keys, 1) > p_recent THEN
        s.recent_keys := s.recent_keys[array_length(s.recent_keys, 1) - p_recent + 1:];
        s.recent_at := s.recent_at[array_length(s.recent_at, 1) - p_recent + 1:];
    END IF;
    UPDATE room_flood SET tokens = s.tokens - 1, stamp = s.stamp,
        recent_keys = s.recent_keys, recent_at = s.recent_at,
        undo_room = p_room, undo_before = (s.last_in_room ->> p_room::text)::double precision,
        last_in_room = s.last_in_room || jsonb_build_object(p_room::text, p_now)
    WHERE member_id = p_member;
    RETURN QUERY SELECT 'ok'::text, 0::double precision;
END
$$
"""

# A line accepted but then not said: its repeat key goes, its token comes back, and the
# room's slow mode counts from the line before it.
ROOM_FLOOD_UNSAY = """
CREATE FUNCTION room_flood_unsay(p_member integer, p_key text, p_capacity double precision)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    s room_flood%ROWTYPE;
    keys text[] := '{}';
    ats double precision[] := '{}';
    i integer;
BEGIN
    SELECT * INTO s FROM room_flood WHERE member_id = p_member FOR UPDATE;
    IF NOT FOUND OR NOT (p_key = ANY (s.recent_keys)) THEN
        RETURN;
    END IF;
    FOR i IN 1 .. array_length(s.recent_keys, 1) LOOP
        IF s.recent_keys[i] <> p_key THEN
            keys := array_append(keys, s.recent_keys[i]);
            ats := array_append(ats, s.recent_at[i]);
        END IF;
    END LOOP;
    UPDATE room_flood SET recent_keys = keys, recent_at = ats,
        tokens = least(p_capacity, s.tokens + 1),
        last_in_room = CASE
            WHEN s.undo_room IS NULL THEN s.last_in_room
            WHEN s.undo_before IS NULL THEN s.last_in_room - s.undo_room::text
            ELSE s.last_in_room || jsonb_build_object(s.undo_room::text, s.undo_before)
        END,
        undo_room = NULL, undo_before = NULL
    WHERE member_id = p_member;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE UNLOGGED TABLE door_salt ("
        " hour bigint PRIMARY KEY,"  # hours since the epoch
        " salt bytea NOT NULL)"
    )
    op.execute(
        "CREATE UNLOGGED TABLE door_hit ("
        " id bigserial PRIMARY KEY,"
        " kind char(1) NOT NULL,"  # 'f' a failed login, 's' a sign-up
        " source text NOT NULL,"
        " at double precision NOT NULL)"
    )
    op.execute("CREATE INDEX ix_door_hit_source ON door_hit (source, kind, at)")
    op.execute("CREATE INDEX ix_door_hit_at ON door_hit (at)")
    op.execute(
        "CREATE UNLOGGED TABLE room_flood ("
        " member_id integer PRIMARY KEY,"
        " tokens double precision NOT NULL DEFAULT -1,"
        " stamp double precision NOT NULL DEFAULT 0,"
        " recent_keys text[] NOT NULL DEFAULT '{}',"
        " recent_at double precision[] NOT NULL DEFAULT '{}',"
        " last_in_room jsonb NOT NULL DEFAULT '{}',"
        " refusals double precision[] NOT NULL DEFAULT '{}',"
        " cooling_until double precision NOT NULL DEFAULT 0,"
        " undo_room integer,"
        " undo_before double precision)"
    )
    op.execute(ROOM_FLOOD_CHECK)
    op.execute(ROOM_FLOOD_UNSAY)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION room_flood_unsay(integer, text, double precision)")
    op.execute(
        "DROP FUNCTION room_flood_check(integer, integer, text, double precision,"
        " double precision, boolean, double precision, double precision, double precision,"
        " integer, double precision, double precision, integer)"
    )
    op.execute("DROP TABLE room_flood")
    op.execute("DROP TABLE door_hit")
    op.execute("DROP TABLE door_salt")

"""Room flood control shared by several nodes on one PostgreSQL (`RoomFlood`).

A member's pace (the token bucket, their last lines for repeats, each room's slow mode,
refusals and cooling off) is one row of the UNLOGGED table `room_flood`, so a member with
sessions on two nodes gets one pace. A line costs one round trip: the function
`room_flood_check` (migration 0018) applies `FloodControl`'s rules to the locked row and
answers. Lines are kept there only as a short hash, for repeats. Times are the wall clock.

When the database does not answer, this node's own `FloodControl` decides meanwhile (and
the log says so once), so the rooms keep their limits without waiting on it.
"""

from __future__ import annotations

import hashlib
from typing import Unpack

from bbs.clock import Clock
from bbs.pg_link import Connection, LinkDown, PgLink
from bbs.rooms.flood import (
    RECENT_LINES,
    FloodControl,
    FloodLimits,
    FloodReason,
    FloodVerdict,
    LineAttempt,
    repeat_key,
)

__all__ = ["PostgresFlood"]


def _hashed(text: str) -> str:
    return hashlib.blake2b(repeat_key(text).encode(), digest_size=12).hexdigest()


class PostgresFlood:
    """`FloodControl`'s rules with the state in PostgreSQL (see the module's note)."""

    def __init__(
        self,
        url: str,
        clock: Clock,
        *,
        link: PgLink | None = None,
        **limits: Unpack[FloodLimits],
    ) -> None:
        self._clock = clock
        self._link = link or PgLink(url, "room flood control")
        # This node's own, for while the database is away; it holds the settings too.
        self._local = FloodControl(clock, **limits)
        self.max_chars = self._local.max_chars

    async def check(self, line: LineAttempt) -> FloodVerdict:
        if not line.text.strip():
            return FloodVerdict(FloodReason.EMPTY)
        if len(line.text) > self.max_chars:
            return FloodVerdict(FloodReason.TOO_LONG)
        f = self._local
        args = (
            line.member_id,
            line.room_id,
            _hashed(line.text),
            self._clock.now().timestamp(),
            float(line.slow_mode_seconds),
            line.exempt_from_slow_mode,
            float(f.lines),
            f.lines / f.per_seconds,
            f.duplicate_seconds,
            f.refusal_limit,
            f.refusal_seconds,
            f.cool_off_seconds,
            RECENT_LINES,
        )

        async def work(conn: Connection) -> tuple[str, float]:
            cur = await conn.execute(
                "SELECT reason, retry_after FROM room_flood_check("
                "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                args,
            )
            row = await cur.fetchone()
            assert row is not None
            return str(row[0]), float(row[1])

        try:
            reason, retry_after = await self._link.run(work)
        except LinkDown:
            return await f.check(line)
        return FloodVerdict(FloodReason(reason), retry_after)

    async def unsay(self, member_id: int, text: str) -> None:
        key = _hashed(text)
        capacity = float(self._local.lines)

        async def work(conn: Connection) -> None:
            await conn.execute("SELECT room_flood_unsay(%s, %s, %s)", (member_id, key, capacity))

        try:
            await self._link.run(work)
        except LinkDown:
            await self._local.unsay(member_id, text)

    async def forget_idle(self, older_than: float = 3600.0) -> None:
        await self._local.forget_idle(older_than)
        now = self._clock.now().timestamp()

        async def work(conn: Connection) -> None:
            await conn.execute(
                "DELETE FROM room_flood WHERE stamp < %s AND cooling_until <= %s",
                (now - older_than, now),
            )

        try:
            await self._link.run(work)
        except LinkDown:
            pass

    async def close(self) -> None:
        await self._link.close()

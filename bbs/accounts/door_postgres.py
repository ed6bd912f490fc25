"""The door's throttles shared by several nodes on one PostgreSQL (`DoorThrottle`).

Failed logins and sign-ups per source are rows in the UNLOGGED table `door_hit`, so a
source spreading its guesses over the nodes earns one penalty, and its sign-ups count
once. The windows and limits are `LocalDoorThrottle`'s, on the wall clock (every node's).

A source is named by a keyed hash of its address. The key (the salt) is shared: one row
per hour in the UNLOGGED table `door_salt`, made by whichever node needs it first, so an
address hashes the same on every node in the same hour. A source key names the source
under the current hour's salt and, after a dot, under each earlier salt whose rows still
count (one hour back with the default one-hour memory): a failure is recorded under the
current one, and the counts read all of them. Older salts are deleted, and with them any
way to link their rows to an address; old rows are purged.

A database that does not answer never locks members out: the door then admits (no
penalty, sign-ups allowed) and the log says so once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import secrets

from bbs.clock import Clock
from bbs.config import LoginLimits
from bbs.pg_link import Connection, LinkDown, PgLink

__all__ = ["PostgresDoorThrottle"]

log = logging.getLogger(__name__)

HOUR = 3600
SIGNUP_WINDOW = 3600.0
# Salts are looked at again this often (and whenever the next hour's is not known).
REFRESH_SECONDS = 300.0
# A source's count is read up to this many rows: the penalty is capped long before.
MAX_COUNTED = 256


def hash_source(address: str, salt: bytes) -> str:
    return hashlib.blake2b(address.encode(), key=salt, digest_size=12).hexdigest()


class PostgresDoorThrottle:
    """Failed logins and sign-ups per source, counted in PostgreSQL (see the module)."""

    def __init__(
        self, url: str, limits: LoginLimits, clock: Clock, *, link: PgLink | None = None
    ) -> None:
        self.limits = limits
        self._clock = clock
        self._link = link or PgLink(url, "door throttles")
        # Earlier hours whose salts still matter: the longest window, in whole hours.
        longest = max(limits.failure_memory_seconds, SIGNUP_WINDOW)
        self._earlier = max(1, math.ceil(longest / HOUR))
        self._salts: dict[int, bytes] = {}
        # Used only while the current hour's shared salt is unknown (database down).
        self._own_salt = secrets.token_bytes(16)
        self._warned_hour = -1
        self._refreshing: asyncio.Task[None] | None = None
        self._refresher: asyncio.Task[None] | None = None

    def _hour(self) -> int:
        return int(self._clock.now().timestamp() // HOUR)

    def _now(self) -> float:
        return self._clock.now().timestamp()

    # -- source keys ------------------------------------------------------------------
    def source_key(self, address: str) -> str:
        """The source's hash under this hour's shared salt, then under earlier ones."""
        hour = self._hour()
        salt = self._salts.get(hour)
        if salt is None:
            # Not known yet (the database is away): this node's own salt for now.
            salt = self._own_salt
            self._refresh_soon()
            if self._warned_hour != hour:
                self._warned_hour = hour
                log.warning("door throttles: no shared salt for this hour; counting per node")
        keys = [hash_source(address, salt)]
        for earlier in range(hour - 1, hour - 1 - self._earlier, -1):
            if (old := self._salts.get(earlier)) is not None:
                keys.append(hash_source(address, old))
        return ".".join(keys)

    def _refresh_soon(self) -> None:
        if self._refreshing is not None and not self._refreshing.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._refreshing = loop.create_task(self._refresh_quietly())

    async def _refresh_quietly(self) -> None:
        with contextlib.suppress(LinkDown):
            await self.refresh_salts()

    async def refresh_salts(self) -> None:
        """Make sure this hour's, the next hour's and the earlier salts still in use exist
        (the first node to ask makes each), forget older ones, and purge old rows."""
        hour = self._hour()
        first = hour - self._earlier
        fresh = [(h, secrets.token_bytes(16)) for h in range(first, hour + 2)]
        oldest_row = self._now() - max(self.limits.failure_memory_seconds, SIGNUP_WINDOW)

        async def work(conn: Connection) -> list[tuple[int, bytes]]:
            async with conn.cursor() as cur:
                await cur.executemany(
                    "INSERT INTO door_salt (hour, salt) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                    fresh,
                )
                await cur.execute("DELETE FROM door_salt WHERE hour < %s", (first,))
                await cur.execute("DELETE FROM door_hit WHERE at < %s", (oldest_row,))
                await cur.execute("SELECT hour, salt FROM door_salt WHERE hour >= %s", (first,))
                return [(int(h), bytes(s)) for h, s in await cur.fetchall()]

        rows = await self._link.run(work)
        self._salts = {h: s for h, s in rows if first <= h <= hour + 1}

    async def _salts_known(self) -> None:
        # The next hour's salt is fetched ahead, so that nodes change salts together.
        if self._hour() + 1 not in self._salts:
            with contextlib.suppress(LinkDown):
                await self.refresh_salts()

    async def start(self) -> None:
        """Fetch the salts now, then keep them (and the purge) up to date."""
        await self._refresh_quietly()
        self._refresher = asyncio.get_running_loop().create_task(self._refresh_forever())

    async def _refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            await self._refresh_quietly()

    async def close(self) -> None:
        for task in (self._refresher, self._refreshing):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._refresher = self._refreshing = None
        await self._link.close()

    # -- counting ---------------------------------------------------------------------
    async def _record(self, kind: str, source: str) -> None:
        await self._salts_known()
        current = source.split(".", 1)[0]
        now = self._now()

        async def work(conn: Connection) -> None:
            await conn.execute(
                "INSERT INTO door_hit (kind, source, at) VALUES (%s, %s, %s)",
                (kind, current, now),
            )

        with contextlib.suppress(LinkDown):
            await self._link.run(work)

    async def _count(self, kind: str, source: str, window: float) -> int | None:
        """Rows of this kind for the source within the window; None if the database is away."""
        await self._salts_known()
        keys = source.split(".")
        since = self._now() - window

        async def work(conn: Connection) -> int:
            cur = await conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM door_hit"
                " WHERE source = ANY(%s) AND kind = %s AND at >= %s LIMIT %s) AS hit",
                (keys, kind, since, MAX_COUNTED),
            )
            row = await cur.fetchone()
            return int(row[0]) if row else 0

        try:
            return await self._link.run(work)
        except LinkDown:
            return None

    # -- failed logins ----------------------------------------------------------------
    async def record_failure(self, source: str) -> None:
        await self._record("f", source)

    async def penalty(self, source: str) -> float:
        count = await self._count("f", source, self.limits.failure_memory_seconds)
        if count is None:
            return 0.0  # the database is away: admit rather than refuse everyone
        excess = count - self.limits.free_failures_per_source
        if excess <= 0:
            return 0.0
        return float(min(self.limits.max_penalty_seconds, 0.5 * 2 ** (excess - 1)))

    # -- sign-ups ---------------------------------------------------------------------
    async def signup_allowed(self, source: str) -> bool:
        count = await self._count("s", source, SIGNUP_WINDOW)
        return count is None or count < self.limits.signups_per_source_per_hour

    async def record_signup(self, source: str) -> None:
        await self._record("s", source)

"""Jobs that one node runs for the whole community (announcing scheduled room sessions,
refreshing suggestions, purging room history, retraining the moderation model), chosen
among several nodes by PostgreSQL advisory locks.

One node alone runs every job. With [cluster], a node runs a job only while it holds that
job's session-level advisory lock on a connection of its own; when the node stops or dies,
its connection closes, the lock is released, and another node takes the job at its next
check. The lock key is named by the community's schema and the job, so two communities in
one database never block each other.
"""

from __future__ import annotations

import logging
import zlib
from typing import TYPE_CHECKING

from bbs.db import libpq_url

if TYPE_CHECKING:  # psycopg is imported only with [cluster] (a PostgreSQL URL)
    import psycopg
    from psycopg.rows import TupleRow

__all__ = ["Singletons"]

log = logging.getLogger(__name__)


class Singletons:
    """Which of the community's single jobs this node runs now (see the module's note)."""

    def __init__(self, url: str | None) -> None:
        # None: this process is the only node and runs everything.
        self._conninfo = libpq_url(url) if url else None
        self._conn: psycopg.AsyncConnection[TupleRow] | None = None
        self._schema = ""
        self._held: set[str] = set()

    async def runs(self, job: str) -> bool:
        """Whether this node should run `job` now; never raises (a lost database says no)."""
        if self._conninfo is None:
            return True
        import psycopg

        try:
            conn = await self._connection()
            if job in self._held:
                await conn.execute("SELECT 1")  # still connected, so the lock still held
                return True
            key = self._key(job)
            row = await (await conn.execute("SELECT pg_try_advisory_lock(%s)", (key,))).fetchone()
        except psycopg.Error as error:
            log.warning("cluster: could not check who runs %s (%s)", job, error)
            await self.close()
            return False
        if row is not None and row[0]:
            log.info("cluster: this node now runs %s", job)
            self._held.add(job)
            return True
        return False

    async def release(self, job: str) -> None:
        """Let another node take `job` (one that runs on demand, such as retraining)."""
        if self._conninfo is None or job not in self._held:
            return
        self._held.discard(job)
        conn = self._conn
        if conn is None or conn.closed:
            return
        import psycopg

        try:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (self._key(job),))
        except psycopg.Error as error:
            log.warning("cluster: could not release %s (%s)", job, error)
            await self.close()

    def _key(self, job: str) -> int:
        return zlib.crc32(f"{self._schema}:{job}".encode()) - 2**31

    async def _connection(self) -> psycopg.AsyncConnection[TupleRow]:
        if self._conn is not None and self._conn.closed:
            # The connection and every lock on it are gone: start again.
            self._conn, self._held = None, set()
        if self._conn is None:
            assert self._conninfo is not None
            import psycopg

            self._conn = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
            row = await (await self._conn.execute("SELECT current_schema()")).fetchone()
            self._schema = str(row[0]) if row else "public"
        return self._conn

    async def close(self) -> None:
        """Release every job (closing the connection releases its locks)."""
        conn, self._conn, self._held = self._conn, None, set()
        if conn is not None:
            import psycopg

            try:
                await conn.close()
            except psycopg.Error:
                pass

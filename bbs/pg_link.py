"""One PostgreSQL connection for a node's small shared counters (the door's throttles,
room flood control), async on the event loop, with a time limit.

Every call is one or a few short statements in autocommit. When the database does not
answer (down, restarting, a statement past the time limit) the call raises `LinkDown` at
once and the caller falls back to something safe; for a few seconds after a failure no
new connection is tried, so a lost database costs logins and lines nothing but the check.
The log says when the link is lost and when it is back, once each.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import psycopg
from psycopg.rows import TupleRow

from bbs.db import libpq_url

__all__ = ["LinkDown", "PgLink"]

log = logging.getLogger(__name__)

T = TypeVar("T")
Connection = psycopg.AsyncConnection[TupleRow]


class LinkDown(Exception):
    """The database did not answer; the caller falls back."""


class PgLink:
    """A lazily opened connection, one statement at a time (see the module's note)."""

    def __init__(
        self, url: str, what: str, *, timeout: float = 2.0, retry_after: float = 5.0
    ) -> None:
        self._conninfo = libpq_url(url)
        self._what = what
        self._timeout = timeout
        self._retry_after = retry_after
        self._conn: Connection | None = None
        self._lock = asyncio.Lock()
        self._down_until = 0.0
        self._down = False

    async def run(self, work: Callable[[Connection], Awaitable[T]]) -> T:
        """`work` on the connection, within the time limit; `LinkDown` if it fails."""
        if time.monotonic() < self._down_until:
            raise LinkDown(f"{self._what}: the database is not answering")
        async with self._lock:
            try:
                result = await asyncio.wait_for(self._run(work), self._timeout)
            except (psycopg.Error, OSError, TimeoutError) as error:
                await self._lost(error)
                raise LinkDown(f"{self._what}: {error}") from error
        if self._down:
            self._down = False
            log.info("%s: the database answers again", self._what)
        return result

    async def _run(self, work: Callable[[Connection], Awaitable[T]]) -> T:
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(
                self._conninfo, autocommit=True, connect_timeout=max(2, int(self._timeout))
            )
            ms = int(self._timeout * 1000)
            await self._conn.execute(f"SET statement_timeout = {ms}")
        return await work(self._conn)

    async def _lost(self, error: BaseException) -> None:
        self._down_until = time.monotonic() + self._retry_after
        if not self._down:
            self._down = True
            log.warning(
                "%s: the database did not answer (%s); falling back until it does",
                self._what,
                error or type(error).__name__,
            )
        await self.close()

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except psycopg.Error:
                pass

"""Events from other processes: `bbs admin` in a shell reaching the running server.

A command run in a shell (`bbs admin suspend NAME`) has no bus of its own to publish on.
It writes what its transaction announced (`bbs.events.announce`) into `postedevent`, in
the same transaction as the change itself, so the event exists exactly when the change
does. The running server follows the table (`PostedEventFollower`, from the newest id it
found at start) and publishes each row on its own bus, where the members' sessions hear
it as if the server had made the change itself. Rows are kept a few minutes only: they
matter now, not later.

On SQLite the follower looks every half second. On PostgreSQL the posting transaction
also sends a NOTIFY, which PostgreSQL delivers when (and only if) it commits; each node
LISTENs on a connection of its own and reads at once, and looks only every few seconds
otherwise, in case a wake-up was missed while its connection was down. The table stays
the truth: a notification carries nothing but "look now".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from sqlalchemy import delete, func, text
from sqlmodel import Field, Session, SQLModel, col, select

from bbs.events import Event, decode_event, encode_event, take_announcements
from bbs.models import UTCDateTime, utcnow

log = logging.getLogger(__name__)

T = TypeVar("T")

POLL_SECONDS = 0.5
# With a LISTEN connection up, the poll is only a fallback.
LISTENING_POLL_SECONDS = 5.0
# The NOTIFY channel, named by the community's schema (two communities in one database
# never wake each other); PostgreSQL cuts names at 63 bytes, so both sides cut too.
WAKE_CHANNEL = "bbs_posted"
_CHANNEL_SQL = "left(%s || '_' || current_schema(), 63)"
_NOTIFY = text("SELECT pg_notify(left(:prefix || '_' || current_schema(), 63), '')")
KEEP = timedelta(minutes=10)
PURGE_EVERY_SECONDS = 60.0
# A missing id may be a transaction still committing (PostgreSQL hands ids out before
# commit): it is waited for this long before the follower moves past it.
GAP_SECONDS = 2.0
READ_LIMIT = 500


class PostedEvent(SQLModel, table=True):
    """One event posted by another process, for the running server to publish."""

    # AUTOINCREMENT on SQLite: an id is never used twice, even after purging every row.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=200)
    body: str = Field(max_length=8000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


def post(session: Session, topic: str, event: Event) -> None:
    """Post one event in this transaction (raises ValueError if it is too big for a bus)."""
    session.add(PostedEvent(topic=topic[:200], body=encode_event(event)))


def post_announcements(session: Session) -> int:
    """Post what this transaction announced, for the running server; returns how many."""
    announced = take_announcements(session)
    for topic, event in announced:
        post(session, topic, event)
    if announced:
        session.flush()
        if session.get_bind().dialect.name == "postgresql":
            # Sent when this transaction commits; never if it rolls back.
            session.execute(_NOTIFY, {"prefix": WAKE_CHANNEL})
    return len(announced)


def last_id(session: Session) -> int:
    newest = session.exec(select(func.max(PostedEvent.id))).one()
    return int(newest or 0)


def rows_after(session: Session, after: int, limit: int = READ_LIMIT) -> list[tuple[int, str, str]]:
    """(id, topic, body) of the rows after `after`, in id order."""
    rows = session.exec(
        select(PostedEvent.id, PostedEvent.topic, PostedEvent.body)
        .where(col(PostedEvent.id) > after)
        .order_by(col(PostedEvent.id))
        .limit(limit)
    ).all()
    return [(int(i), t, b) for i, t, b in rows if i is not None]


def purge(session: Session, older_than: datetime) -> int:
    result = session.execute(delete(PostedEvent).where(col(PostedEvent.created_at) < older_than))
    return int(getattr(result, "rowcount", 0) or 0)


class Store(Protocol):
    """What the follower needs of the store: reads and writes in a worker thread."""

    def read(self, fn: Callable[[Session], T]) -> Awaitable[T]: ...

    def write(self, fn: Callable[[Session], T]) -> Awaitable[T]: ...


@dataclass(eq=False)
class PostedEventFollower:
    """Publishes on this process's bus what other processes posted, from start on."""

    store: Store
    publish: Callable[[str, Event], object]
    _: KW_ONLY
    # A libpq URL: LISTEN there to be woken at once (PostgreSQL); None polls only.
    listen_url: str | None = None
    interval: float = POLL_SECONDS
    listening_interval: float = LISTENING_POLL_SECONDS
    keep: timedelta = KEEP
    purge_every: float = PURGE_EVERY_SECONDS
    gap_seconds: float = GAP_SECONDS
    last_id: int = field(default=0, init=False)
    delivered: int = field(default=0, init=False)
    _gap_since: float | None = field(default=None, init=False)
    _last_purge: float = field(default=0.0, init=False)
    listening: bool = field(default=False, init=False)
    _task: asyncio.Task[None] | None = field(default=None, init=False)
    _listener: asyncio.Task[None] | None = field(default=None, init=False)
    _wake: asyncio.Event = field(default_factory=asyncio.Event, init=False)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Follow from the newest row now: what was posted before we started is old news."""
        if self._task is not None:
            return
        self.last_id = await self.store.read(last_id)
        self._last_purge = time.monotonic()
        loop = asyncio.get_running_loop()
        if self.listen_url is not None:
            self._listener = loop.create_task(self._listen(), name="bbs-posted-listen")
        self._task = loop.create_task(self._run(), name="bbs-posted-events")

    async def stop(self) -> None:
        tasks = [t for t in (self._task, self._listener) if t is not None]
        self._task = self._listener = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.listening = False

    async def poll_once(self) -> int:
        """Publish the rows posted since the last poll; returns how many were published."""
        rows = await self.store.read(lambda s: rows_after(s, self.last_id))
        published = 0
        for row_id, topic, body in rows:
            if row_id != self.last_id + 1 and not self._gap_waited():
                break  # an earlier id may still be committing: wait for it a little
            self._gap_since = None
            self.last_id = row_id
            try:
                event = decode_event(body)
            except (KeyError, TypeError, ValueError):
                log.warning("posted event %s could not be read; skipped", row_id)
                continue
            self.publish(topic, event)
            published += 1
        self.delivered += published
        return published

    def _gap_waited(self) -> bool:
        now = time.monotonic()
        if self._gap_since is None:
            self._gap_since = now
        return now - self._gap_since >= self.gap_seconds

    async def purge_old(self) -> int:
        """Delete rows older than `keep`; returns how many went."""
        cutoff = utcnow() - self.keep
        return await self.store.write(lambda s: purge(s, cutoff))

    async def _run(self) -> None:
        while True:
            try:
                await self.poll_once()
                if time.monotonic() - self._last_purge >= self.purge_every:
                    self._last_purge = time.monotonic()
                    await self.purge_old()
            except asyncio.CancelledError:
                raise
            except Exception:
                # The store is busy or away for a moment: the next poll tries again.
                log.warning("could not read posted events; trying again", exc_info=True)
            # Woken by a notification, or looking again after a while (sooner while an
            # id is missing, or when no notification can come).
            quiet = self.listening and self._gap_since is None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._wake.wait(), self.listening_interval if quiet else self.interval
                )
            self._wake.clear()

    async def _listen(self) -> None:
        """LISTEN for posting commits; reconnect after 1 s, doubling up to 30 s."""
        import psycopg
        from psycopg import sql

        assert self.listen_url is not None
        delay = 1.0
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self.listen_url, autocommit=True
                ) as conn:
                    row = await (
                        await conn.execute(f"SELECT {_CHANNEL_SQL}", (WAKE_CHANNEL,))
                    ).fetchone()
                    channel = str(row[0]) if row else WAKE_CHANNEL
                    await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    self.listening, delay = True, 1.0
                    self._wake.set()  # what was posted while not listening is read now
                    async for _note in conn.notifies():
                        self._wake.set()
            except psycopg.Error as error:
                log.warning("posted events: LISTEN lost (%s); polling meanwhile", error)
            self.listening = False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)


__all__ = [
    "PostedEvent",
    "PostedEventFollower",
    "last_id",
    "post",
    "post_announcements",
    "purge",
    "rows_after",
]

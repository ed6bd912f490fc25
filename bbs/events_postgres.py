"""The event bus across processes and machines: PostgreSQL behind EventBus.

The database is the truth and NOTIFY only wakes nodes (the pattern of Discourse's
MessageBus). Publishing inserts the event into `live_event` (an UNLOGGED table: events
are fleeting) and notifies the community's channel with its id, in one autocommit
statement on the sender's own connection, never inside a member's write transaction.
Every node then reads the rows after the last id it delivered, in id order, and hands
each to a LocalEventBus, which fans it out to that node's subscribers with the same
bounded queues as a single process. A node receives its own events the same way, so
delivery order is the same everywhere.

Ids are the table's sequence, so a gap is either an event still committing on another
node or a failed insert: a node waits up to GAP_SECONDS for it before moving past. When
the listening connection is lost, the node reconnects (1 s, doubling up to
`reconnect_max`) and reads everything after its last id: nothing said meanwhile is
lost, for as long as events are kept (KEEP_SECONDS). LISTEN needs a session connection
of its own: a transaction-mode pooler (pgbouncer's default) in between breaks it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Unpack

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow

from bbs.db import libpq_url
from bbs.events import (
    Event,
    LocalEventBus,
    SubscribeOptions,
    Subscription,
    decode_event,
    encode_event,
)

log = logging.getLogger(__name__)

CHANNEL = "bbs_events"
# Events waiting to be sent beyond this are dropped (the database is down or slow).
MAX_OUTBOX = 10_000
# How long a starting node waits for its first LISTEN before giving up.
START_SECONDS = 30.0
# How long a missing id is waited for before the node moves past it.
GAP_SECONDS = 2.0
# Events older than this are deleted (by whichever node sends, at most once a minute).
KEEP_SECONDS = 600
PURGE_EVERY_SECONDS = 60.0

_SEND = """
WITH e AS (INSERT INTO live_event (topic, body) VALUES (%s, %s) RETURNING id)
SELECT pg_notify(%s, e.id::text) FROM e
"""
_READ = "SELECT id, topic, body FROM live_event WHERE id > %s ORDER BY id LIMIT 1000"
_PURGE = "DELETE FROM live_event WHERE at < now() - make_interval(secs => %s)"


Connection = psycopg.AsyncConnection[TupleRow]


class PostgresEventBus:
    """EventBus over PostgreSQL; call `start()` on the running loop, `close()` at the end."""

    def __init__(
        self, url: str, *, channel: str | None = None, reconnect_max: float = 30.0
    ) -> None:
        self._conninfo = libpq_url(url)
        # Without a name, the community's schema names it (see `start`): two communities
        # in one database never hear each other.
        self._channel = channel or ""
        self._reconnect_max = reconnect_max
        self._local = LocalEventBus()
        self._outbox: asyncio.Queue[tuple[str, str]] = asyncio.Queue(MAX_OUTBOX)
        self._tasks: list[asyncio.Task[None]] = []
        self._listening = asyncio.Event()
        self._wake = asyncio.Event()
        # Every id up to `_floor` is delivered (or given up); `_pending` holds those read
        # beyond a missing id, waiting for it.
        self._floor = 0
        self._pending: dict[int, tuple[str, str]] = {}
        self._gap_since: float | None = None
        self._last_purge = 0.0
        self.dropped = 0
        self.reconnects = 0
        self.skipped = 0

    @property
    def application_name(self) -> str:
        """How this bus's connections name themselves in pg_stat_activity."""
        return f"bbs live {self._channel}"[:63]

    @property
    def listening(self) -> bool:
        """Whether this node is receiving notifications now."""
        return self._listening.is_set()

    async def start(self) -> None:
        """Connect, LISTEN, and start sending; returns once events will arrive."""
        async with await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True) as conn:
            row = await (await conn.execute("SELECT current_schema()")).fetchone()
            if not self._channel:
                self._channel = f"{CHANNEL}_{row[0] if row else 'public'}"[:63]
            # Events from before this node started are not news to it.
            row = await (
                await conn.execute("SELECT coalesce(max(id), 0) FROM live_event")
            ).fetchone()
            self._floor = int(row[0]) if row else 0
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._listen()),
            loop.create_task(self._read()),
            loop.create_task(self._send()),
        ]
        try:
            await asyncio.wait_for(self._listening.wait(), START_SECONDS)
        except TimeoutError:
            await self.close()
            raise ConnectionError(
                f"live events: could not LISTEN on the database within {START_SECONDS:.0f} s"
            ) from None

    async def _connected(
        self,
        what: str,
        work: Callable[[Connection], Awaitable[None]],
        lost: Callable[[], None] = lambda: None,
    ) -> None:
        """Run `work` on a connection of its own, again on a new one whenever it is lost
        (after 1 s, doubling up to `reconnect_max`), saying so in the log."""
        delay = 1.0
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True, application_name=self.application_name
                ) as conn:
                    delay = 1.0
                    await work(conn)
            except psycopg.Error as error:
                log.warning("live events: %s failed (%s); retrying in %.0f s", what, error, delay)
            lost()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._reconnect_max)

    async def _listen(self) -> None:
        async def listen(conn: Connection) -> None:
            await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
            self._listening.set()
            self._wake.set()  # whatever was said while not listening is read now
            async for _note in conn.notifies():
                self._wake.set()

        def lost() -> None:
            self._listening.clear()
            self.reconnects += 1

        await self._connected("listening", listen, lost)

    async def _read(self) -> None:
        """Deliver what the table holds after the last delivered id, whenever woken."""

        async def read(conn: Connection) -> None:
            # A new connection reads first: a wake-up taken by a read that then failed
            # (the connection was lost under it) must not leave events unread until the
            # next notification, which may never come.
            self._wake.set()
            while True:
                if self._gap_since is None:
                    await self._wake.wait()
                else:
                    # An id is missing: look again shortly, it may be committing.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), 0.1)
                self._wake.clear()
                while await self._read_once(conn):
                    pass

        await self._connected("reading", read)

    async def _read_once(self, conn: Connection) -> bool:
        """One batch; True when there may be more."""
        rows = await (await conn.execute(_READ, (self._floor,))).fetchall()
        for event_id, topic, body in rows:
            self._pending[int(event_id)] = (str(topic), str(body))
        self._deliver()
        return len(rows) == 1000

    def _deliver(self) -> None:
        """Hand over events in id order; wait for a missing id, up to GAP_SECONDS."""
        while True:
            while (item := self._pending.pop(self._floor + 1, None)) is not None:
                self._floor += 1
                topic, body = item
                try:
                    self._local.publish(topic, decode_event(body))
                except (ValueError, KeyError, TypeError):
                    log.warning("ignored a malformed live event %s", self._floor)
            if not self._pending:
                self._gap_since = None
                return
            now = time.monotonic()
            if self._gap_since is None:
                self._gap_since = now
                return
            if now - self._gap_since < GAP_SECONDS:
                return
            # Never committed (a failed insert leaves a hole in the sequence): move on.
            lowest = min(self._pending)
            self.skipped += lowest - self._floor - 1
            self._floor = lowest - 1
            self._gap_since = None

    async def _send(self) -> None:
        item: tuple[str, str] | None = None

        async def send(conn: Connection) -> None:
            nonlocal item
            while True:
                if item is None:
                    item = await self._outbox.get()
                topic, body = item
                await conn.execute(_SEND, (topic, body, self._channel))
                # Only now is it sent: an event in hand when the connection is lost is
                # sent again once connected, so none is lost to a blip.
                item = None
                if time.monotonic() - self._last_purge > PURGE_EVERY_SECONDS:
                    self._last_purge = time.monotonic()
                    await conn.execute(_PURGE, (KEEP_SECONDS,))

        await self._connected("sending", send)

    def publish(self, topic: str, event: Event) -> int:
        """Send the event to every node; returns this node's subscriber count for the topic.

        Raises ValueError for an event too large for the bus (as the local bus would not).
        """
        body = encode_event(event)
        try:
            self._outbox.put_nowait((topic, body))
        except asyncio.QueueFull:
            self.dropped += 1
        return self._local.subscriber_count(topic)

    def publish_local(self, topic: str, event: Event) -> int:
        """Hand the event to this node's subscribers only (each node follows posted events
        itself: bbs.posted_events)."""
        return self._local.publish(topic, event)

    def subscribe(self, topic: str, **options: Unpack[SubscribeOptions]) -> Subscription:
        """This node's subscribers are the local bus's: events from every node reach them."""
        return self._local.subscribe(topic, **options)

    def subscriber_count(self, topic: str) -> int:
        return self._local.subscriber_count(topic)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

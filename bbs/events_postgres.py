"""The event bus across processes and machines: PostgreSQL LISTEN/NOTIFY behind EventBus.

Every node LISTENs on one channel; an event travels as ``{"t": topic, "e": event}``
JSON (under PostgreSQL's 8000-byte NOTIFY limit) and each node hands it to a
LocalEventBus, which fans it out to that node's subscribers with the same bounded
queues as a single process. One channel keeps LISTEN bookkeeping out of the way of
subscribers coming and going; at BBS scale every node seeing every event is cheap.
A node receives its own notifications too, so delivery order is the commit order
everywhere, and `publish` never waits: a sender task drains an outbox.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

import psycopg
from psycopg import sql

from bbs.events import (
    DEFAULT_QUEUE_SIZE,
    MAX_PAYLOAD_BYTES,
    Event,
    LocalEventBus,
    Subscription,
    decode_event,
    encode_event,
)

log = logging.getLogger(__name__)

CHANNEL = "bbs_events"
# Notifications waiting to be sent beyond this are dropped (the database is down or slow).
MAX_OUTBOX = 10_000
# How long a starting node waits for its first LISTEN before giving up.
START_SECONDS = 30.0


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL ("postgresql+psycopg://...") as psycopg wants it."""
    scheme, sep, rest = url.partition("://")
    return ("postgresql" + sep + rest) if scheme.startswith("postgresql") else url


class PostgresEventBus:
    """EventBus over LISTEN/NOTIFY; call `start()` on the running loop, `close()` at the end.

    Either connection may be lost (the database restarts, a network blip): it reconnects
    after 1 s, doubling up to `reconnect_max` seconds, and says so in the log. Events sent
    while this node was not listening are not replayed; what they told is in the database,
    and screens read it again when opened.
    """

    def __init__(
        self, url: str, *, channel: str | None = None, reconnect_max: float = 30.0
    ) -> None:
        self._conninfo = libpq_url(url)
        # Without a name, the community's schema names it (see `start`): two communities
        # in one database never hear each other.
        self._channel = channel or ""
        self._reconnect_max = reconnect_max
        self._local = LocalEventBus()
        self._outbox: asyncio.Queue[str] = asyncio.Queue(MAX_OUTBOX)
        self._tasks: list[asyncio.Task[None]] = []
        self._listening = asyncio.Event()
        self.dropped = 0
        self.reconnects = 0

    @property
    def listening(self) -> bool:
        """Whether this node is receiving notifications now."""
        return self._listening.is_set()

    async def start(self) -> None:
        """Connect, LISTEN, and start sending; returns once notifications will arrive."""
        if not self._channel:
            async with await psycopg.AsyncConnection.connect(
                self._conninfo, autocommit=True
            ) as conn:
                row = await (await conn.execute("SELECT current_schema()")).fetchone()
            self._channel = f"{CHANNEL}_{row[0] if row else 'public'}"[:63]
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._receive()), loop.create_task(self._send())]
        try:
            await asyncio.wait_for(self._listening.wait(), START_SECONDS)
        except TimeoutError:
            await self.close()
            raise ConnectionError(
                f"live events: could not LISTEN on the database within {START_SECONDS:.0f} s"
            ) from None

    async def _pause(self, delay: float) -> float:
        await asyncio.sleep(delay)
        return min(delay * 2, self._reconnect_max)

    async def _receive(self) -> None:
        delay = 1.0
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True
                ) as conn:
                    await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                    self._listening.set()
                    delay = 1.0
                    async for note in conn.notifies():
                        self._deliver(note.payload)
            except psycopg.Error as error:
                log.warning("live events: listening failed (%s); retrying in %.0f s", error, delay)
            self._listening.clear()
            self.reconnects += 1
            delay = await self._pause(delay)

    def _deliver(self, payload: str) -> None:
        try:
            body = json.loads(payload)
            self._local.publish(body["t"], decode_event(body["e"]))
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed event notification")

    async def _send(self) -> None:
        delay = 1.0
        payload: str | None = None
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True
                ) as conn:
                    delay = 1.0
                    while True:
                        if payload is None:
                            payload = await self._outbox.get()
                        await conn.execute("SELECT pg_notify(%s, %s)", (self._channel, payload))
                        payload = None
            except psycopg.Error as error:
                # The payload in hand is sent again once connected: none is lost to a blip.
                log.warning("live events: sending failed (%s); retrying in %.0f s", error, delay)
            delay = await self._pause(delay)

    def publish(self, topic: str, event: Event) -> int:
        """Send the event to every node; returns this node's subscriber count for the topic."""
        payload = json.dumps(
            {"t": topic, "e": encode_event(event)}, separators=(",", ":"), ensure_ascii=False
        )
        if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"{event.kind} event is too large for NOTIFY")
        try:
            self._outbox.put_nowait(payload)
        except asyncio.QueueFull:
            self.dropped += 1
        return self._local.subscriber_count(topic)

    def subscribe(
        self,
        topic: str,
        *,
        maxsize: int = DEFAULT_QUEUE_SIZE,
        on_event: Callable[[], None] | None = None,
    ) -> Subscription:
        return self._local.subscribe(topic, maxsize=maxsize, on_event=on_event)

    def subscriber_count(self, topic: str) -> int:
        return self._local.subscriber_count(topic)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

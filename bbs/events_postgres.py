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


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL ("postgresql+psycopg://...") as psycopg wants it."""
    scheme, sep, rest = url.partition("://")
    return ("postgresql" + sep + rest) if scheme.startswith("postgresql") else url


class PostgresEventBus:
    """EventBus over LISTEN/NOTIFY; call `start()` on the running loop, `close()` at the end."""

    def __init__(self, url: str, *, channel: str = CHANNEL) -> None:
        self._conninfo = libpq_url(url)
        self._channel = channel
        self._local = LocalEventBus()
        self._outbox: asyncio.Queue[str] = asyncio.Queue(MAX_OUTBOX)
        self._tasks: list[asyncio.Task[None]] = []
        self._listening = asyncio.Event()
        self.dropped = 0

    async def start(self) -> None:
        """Connect, LISTEN, and start sending; returns once notifications will arrive."""
        listener = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
        sender = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
        await listener.execute(f"LISTEN {self._channel}")
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._receive(listener)),
                       loop.create_task(self._send(sender))]

    async def _receive(self, conn: psycopg.AsyncConnection[object]) -> None:
        try:
            async for note in conn.notifies():
                try:
                    body = json.loads(note.payload)
                    self._local.publish(body["t"], decode_event(body["e"]))
                except (ValueError, KeyError, TypeError):
                    log.warning("ignored a malformed event notification")
        finally:
            await conn.close()

    async def _send(self, conn: psycopg.AsyncConnection[object]) -> None:
        try:
            while True:
                payload = await self._outbox.get()
                await conn.execute("SELECT pg_notify(%s, %s)", (self._channel, payload))
        finally:
            await conn.close()

    def publish(self, topic: str, event: Event) -> int:
        """Send the event to every node; returns this node's subscriber count for the topic."""
        payload = json.dumps({"t": topic, "e": encode_event(event)}, separators=(",", ":"),
                             ensure_ascii=False)
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

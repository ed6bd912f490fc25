"""The event bus for everything live (room lines, presence, notices): in-process, bounded, JSON.

Publishing never waits for a subscriber. Each subscriber has its own bounded queue;
when a slow subscriber's queue is full its oldest events are dropped and it is told
(`Subscription.overflowed`), so it can reload from the store. Nobody else notices.

Multi-node hosting (several SSH processes over one PostgreSQL) can put a
`PostgresEventBus` behind the same `EventBus` protocol without touching callers:

- a topic maps to a LISTEN/NOTIFY channel (topics are short ASCII names such as
  ``room.12``; a channel name is an identifier of at most 63 bytes);
- an event travels as `encode_event(event)`, a JSON object of at most
  `MAX_PAYLOAD_BYTES` (PostgreSQL's NOTIFY payload limit is 8000 bytes), which is
  why events carry ids and short texts (a room line is at most 500 characters);
- one connection per process LISTENs on the channels that have local subscribers and
  hands each notification to `LocalEventBus.publish` locally; `publish` itself is
  ``SELECT pg_notify(channel, payload)``, so delivery follows the commit order.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, Protocol, TypedDict, TypeVar, dataclass_transform

log = logging.getLogger(__name__)

# PostgreSQL rejects NOTIFY payloads of 8000 bytes or more.
MAX_PAYLOAD_BYTES = 7900
DEFAULT_QUEUE_SIZE = 256

_EVENT_TYPES: dict[str, type[Event]] = {}

E = TypeVar("E", bound="type[Event]")


@dataclass(frozen=True)
class Event:
    """Base of every bus event: small, frozen, and JSON-serialisable field by field."""

    kind: ClassVar[str] = "event"


@dataclass_transform(frozen_default=True)
def event_type(kind: str) -> Callable[[E], E]:
    """Declare an event: a frozen dataclass of `kind`, registered for `decode_event`."""

    def declare(cls: E) -> E:
        cls.kind = kind
        dataclass(frozen=True)(cls)  # in place: no slots
        _EVENT_TYPES[kind] = cls
        return cls

    return declare


def encode_event(event: Event) -> str:
    """The event as compact JSON, with its kind; raises ValueError if too big to NOTIFY."""
    body = {"kind": event.kind, **asdict(event)}
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    if len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"{event.kind} event is too large for the bus")
    return text


def decode_event(text: str) -> Event:
    """Rebuild an event from `encode_event`'s JSON (lists come back as tuples)."""
    body = json.loads(text)
    cls = _EVENT_TYPES[body.pop("kind")]
    names = {f.name for f in fields(cls)}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in body.items() if k in names}
    return cls(**values)


class Subscription:
    """One subscriber's bounded queue of events on one topic.

    Use it as an async iterator, or give `on_event` (called, without arguments, when the
    queue goes from empty to non-empty) and `drain()` the queue yourself: that costs no
    task and no wake-up per event, which matters with hundreds of sessions in a room.

    `on_event` runs in the subscriber's own context, never the publisher's: a subscription
    made inside a running event loop remembers that loop and the context variables of
    the code that subscribed (for a Textual widget: its own app), and each wake-up is
    scheduled there. A member's action thereby never runs another member's screen code
    with the wrong app, member or permissions. Outside a loop it is called at once.
    """

    def __init__(
        self,
        bus: LocalEventBus,
        topic: str,
        maxsize: int,
        on_event: Callable[[], None] | None,
    ) -> None:
        self.topic = topic
        self.maxsize = maxsize
        self.overflowed = False
        self.dropped = 0
        self._queue: deque[Event] = deque()
        self._bus: LocalEventBus | None = bus
        self._on_event = on_event
        self._wakeup: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._context: contextvars.Context | None = None
        self._thread = 0
        if on_event is not None:
            try:
                self._loop = asyncio.get_running_loop()
            except RuntimeError:
                self._loop = None
            else:
                self._context = contextvars.copy_context()
                self._thread = threading.get_ident()

    @property
    def closed(self) -> bool:
        return self._bus is None

    def _offer(self, event: Event) -> None:
        if len(self._queue) >= self.maxsize:
            # This subscriber is behind: it loses its oldest events, nobody waits for it.
            self._queue.popleft()
            self.overflowed = True
            self.dropped += 1
        was_empty = not self._queue
        self._queue.append(event)
        if was_empty:
            if self._on_event is not None:
                self._schedule()
            if self._wakeup is not None:
                self._wakeup.set()

    def _schedule(self) -> None:
        loop = self._loop
        if loop is None:
            self._deliver()
        elif threading.get_ident() == self._thread:
            loop.call_soon(self._deliver, context=self._context)
        elif not loop.is_closed():
            loop.call_soon_threadsafe(self._deliver, context=self._context)

    def _deliver(self) -> None:
        if self._on_event is None or self.closed:
            return
        try:
            self._on_event()
        except Exception:
            log.exception("event subscriber callback failed")

    def drain(self) -> list[Event]:
        """Every queued event, oldest first; clears the overflow mark."""
        events = list(self._queue)
        self._queue.clear()
        self.overflowed = False
        return events

    def unsubscribe(self) -> None:
        bus, self._bus = self._bus, None
        if bus is not None:
            bus._remove(self)
        self._queue.clear()
        self._on_event = None
        if self._wakeup is not None:
            self._wakeup.set()

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Event]:
        if self._wakeup is None:
            self._wakeup = asyncio.Event()
        while not self.closed:
            if not self._queue:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            yield self._queue.popleft()


class _HasInfo(Protocol):
    @property
    def info(self) -> dict[Any, Any]: ...


_OUTBOX = "bbs_outbox"


def announce(session: _HasInfo, topic: str, event: Event) -> None:
    """Publish `event` once the session's transaction has committed, never if it rolls back.

    Core functions run in worker threads inside a transaction; they say what happened
    here and the store's front door publishes it on the event loop after the commit.
    """
    session.info.setdefault(_OUTBOX, []).append((topic, event))


def take_announcements(session: _HasInfo) -> list[tuple[str, Event]]:
    """The events `announce` queued on this session, oldest first (and forget them)."""
    pending: list[tuple[str, Event]] = session.info.pop(_OUTBOX, [])
    return pending


class SubscribeOptions(TypedDict, total=False):
    """How a subscription queues: at most `maxsize` events, `on_event` told of each."""

    maxsize: int
    on_event: Callable[[], None] | None


class EventBus(Protocol):
    """Publish and subscribe by topic; what PostgresEventBus would implement too."""

    def publish(self, topic: str, event: Event) -> int: ...

    def subscribe(
        self,
        topic: str,
        *,
        maxsize: int = DEFAULT_QUEUE_SIZE,
        on_event: Callable[[], None] | None = None,
    ) -> Subscription: ...


@dataclass
class LocalEventBus:
    """The in-process bus: fan-out is a bounded append per subscriber, never an await."""

    _topics: dict[str, set[Subscription]] = field(default_factory=dict)
    published: int = 0

    def publish(self, topic: str, event: Event) -> int:
        """Hand the event to every subscriber of the topic; returns how many got it."""
        self.published += 1
        subscribers = self._topics.get(topic)
        if not subscribers:
            return 0
        for subscription in tuple(subscribers):
            subscription._offer(event)
        return len(subscribers)

    def subscribe(
        self,
        topic: str,
        *,
        maxsize: int = DEFAULT_QUEUE_SIZE,
        on_event: Callable[[], None] | None = None,
    ) -> Subscription:
        subscription = Subscription(self, topic, max(1, maxsize), on_event)
        self._topics.setdefault(topic, set()).add(subscription)
        return subscription

    def subscriber_count(self, topic: str) -> int:
        return len(self._topics.get(topic, ()))

    def _remove(self, subscription: Subscription) -> None:
        subscribers = self._topics.get(subscription.topic)
        if subscribers is not None:
            subscribers.discard(subscription)
            if not subscribers:
                del self._topics[subscription.topic]


__all__ = [
    "MAX_PAYLOAD_BYTES",
    "Event",
    "EventBus",
    "LocalEventBus",
    "SubscribeOptions",
    "Subscription",
    "announce",
    "decode_event",
    "encode_event",
    "event_type",
    "take_announcements",
]

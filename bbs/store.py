"""The store: the database and the worker threads its sessions run in.

Every service reads and writes through it, so no member's query stalls the shared event
loop, and what a write transaction announced (`bbs.events.announce`) is published on the
event bus once it has committed.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from sqlmodel import Session

from bbs.db import Database
from bbs.events import Event, EventBus, take_announcements

P = ParamSpec("P")
T = TypeVar("T")
U = TypeVar("U")


class Store:
    """One database and its pool of worker threads, shared by every service."""

    def __init__(self, database: Database, events: EventBus) -> None:
        self.database = database
        self._events = events
        self._db_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="bbs-db")

    async def _db(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._db_pool, functools.partial(fn, *args, **kwargs))

    def _read(self, fn: Callable[[Session], T]) -> T:
        with self.database.read() as session:
            return fn(session)

    def _write(self, fn: Callable[[Session], T]) -> tuple[T, list[tuple[str, Event]]]:
        with self.database.write() as session:
            result = fn(session)
            announced = take_announcements(session)
        return result, announced

    async def read(self, fn: Callable[[Session], T]) -> T:
        """Run fn with a read session in a worker thread."""
        return await self._db(self._read, fn)

    async def write(self, fn: Callable[[Session], T]) -> T:
        """Run fn in one write transaction in a worker thread.

        What the transaction announced (`bbs.events.announce`) is published here, on the
        event loop, once it has committed.
        """
        result, announced = await self._db(self._write, fn)
        for topic, event in announced:
            self._events.publish(topic, event)
        return result

    async def write_then_read(
        self, write: Callable[[Session], T], read: Callable[[Session], U]
    ) -> tuple[T, U]:
        """Run `write` in one write transaction, then (once it has committed) `read` in a
        read session: one trip to a worker thread, not two.

        What the write announced is published as with `write`. If the write fails, its
        error is raised and nothing is read.
        """
        (result, announced), got = await self._db(self._write_then_read, write, read)
        for topic, event in announced:
            self._events.publish(topic, event)
        return result, got

    def _write_then_read(
        self, write: Callable[[Session], T], read: Callable[[Session], U]
    ) -> tuple[tuple[T, list[tuple[str, Event]]], U]:
        written = self._write(write)
        return written, self._read(read)

    def write_blocking(self, fn: Callable[[Session], T]) -> T:
        """Run fn in one write transaction in the calling thread (seeding at start-up).

        Nothing is published: seeding announces nothing, and no event loop may be running.
        """
        return self._write(fn)[0]

    def close(self) -> None:
        """Wait for the worker threads, then let the database's connections go."""
        self._db_pool.shutdown(wait=True)
        self.database.dispose()


class HasStore(Protocol):
    """A service that reads and writes through its store."""

    _store: Store


StoredMethod = Callable[Concatenate[HasStore, P], Coroutine[Any, Any, T]]


def reads(fn: Callable[Concatenate[Session, P], T]) -> StoredMethod[P, T]:
    """A service method that runs record function `fn` in a read session, taking the
    same arguments as `fn` (less the session): the service need not restate them."""

    async def method(self: HasStore, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._store.read(lambda s: fn(s, *args, **kwargs))

    method.__doc__ = fn.__doc__
    return method


def writes(fn: Callable[Concatenate[Session, P], T]) -> StoredMethod[P, T]:
    """A service method that runs record function `fn` in one write transaction (see
    `reads`)."""

    async def method(self: HasStore, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._store.write(lambda s: fn(s, *args, **kwargs))

    method.__doc__ = fn.__doc__
    return method

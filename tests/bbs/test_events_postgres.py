"""Room events across nodes through PostgreSQL LISTEN/NOTIFY (set BBS_TEST_POSTGRES_URL)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import psycopg
import pytest
from support import cluster_nodes, sign_up, wait_until

from bbs.config import Settings
from bbs.db import Database, libpq_url
from bbs.events_postgres import PostgresEventBus
from bbs.rooms.events import RoomLineEvent, RoomPresenceEvent

POSTGRES_URL = os.environ.get("BBS_TEST_POSTGRES_URL")
# Events between nodes wait on a listener that may be reconnecting: a generous bound.
_until = functools.partial(wait_until, timeout=30.0)


def test_sqlalchemy_urls_become_libpq_urls() -> None:
    assert libpq_url("postgresql+psycopg://bbs@db/bbs") == "postgresql://bbs@db/bbs"
    assert libpq_url("postgresql://bbs@db/bbs") == "postgresql://bbs@db/bbs"


@pytest.fixture
def migrated(postgres_url: str) -> str:
    """A fresh schema with the community's tables (live_event among them)."""
    database = Database(postgres_url)
    database.migrate()
    database.dispose()
    return postgres_url


async def test_an_event_published_on_one_node_reaches_subscribers_on_both(
    migrated: str,
) -> None:
    one, two = PostgresEventBus(migrated), PostgresEventBus(migrated)
    await one.start()
    await two.start()
    try:
        here, there = one.subscribe("room.1"), two.subscribe("room.1")
        elsewhere = two.subscribe("room.2")
        line = RoomLineEvent(
            1, 5, 7, "Ash", "say", "héllo ✨", "2026-01-01T00:00:00+00:00", ("oak",)
        )
        one.publish("room.1", line)
        one.publish("room.1", RoomPresenceEvent(1, 7, "Ash", "away"))
        await _until(lambda: len(there._queue) == 2 and len(here._queue) == 2, "both events")
        assert there.drain() == here.drain() == [line, RoomPresenceEvent(1, 7, "Ash", "away")]
        assert elsewhere.drain() == []
        with pytest.raises(ValueError):
            one.publish("room.1", RoomLineEvent(1, 1, 1, "n", "say", "x" * 9000, "t"))
    finally:
        await one.close()
        await two.close()


async def test_events_said_while_a_node_was_not_listening_arrive_in_order_after(
    migrated: str,
) -> None:
    one = PostgresEventBus(migrated, reconnect_max=1.0)
    two = PostgresEventBus(migrated, reconnect_max=1.0)
    await one.start()
    await two.start()
    try:
        there = two.subscribe("room.1")
        async with await psycopg.AsyncConnection.connect(
            libpq_url(migrated), autocommit=True
        ) as admin:
            # Every connection listening on the channel (both nodes' listeners) is cut...
            cut = await (
                await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = %s",
                    (f'LISTEN "{one._channel}"',),
                )
            ).fetchall()
        assert len(cut) == 2
        # ...and lines are said before anyone listens again.
        lines = [
            RoomLineEvent(1, n, 7, "Ash", "say", f"line {n}", "2026-01-01T00:00:00+00:00")
            for n in range(20)
        ]
        for line in lines:
            one.publish("room.1", line)
        await _until(lambda: two.reconnects >= 1 and two.listening, "node two to listen again")
        await _until(lambda: len(there._queue) >= 20, "the lines on node two")
        assert there.drain() == lines  # none lost, none twice, in order
    finally:
        await one.close()
        await two.close()


async def test_after_every_connection_is_cut_as_a_restart_would_nothing_is_lost(
    migrated: str,
) -> None:
    """A database restart drops the listener, the reader and the sender of every node at
    once: each reconnects, and what was said meanwhile arrives once, in order."""
    one = PostgresEventBus(migrated, reconnect_max=1.0)
    two = PostgresEventBus(migrated, reconnect_max=1.0)
    await one.start()
    await two.start()
    try:
        there, here = two.subscribe("room.1"), one.subscribe("room.1")
        before = RoomLineEvent(1, 0, 7, "Ash", "say", "before", "2026-01-01T00:00:00+00:00")
        one.publish("room.1", before)
        await _until(lambda: len(there._queue) == 1 and len(here._queue) == 1, "the first")
        async with await psycopg.AsyncConnection.connect(
            libpq_url(migrated), autocommit=True
        ) as admin:
            cut = await (
                await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = %s",
                    (one.application_name,),
                )
            ).fetchall()
        assert len(cut) == 6  # three connections a node
        lines = [
            RoomLineEvent(1, n, 7, "Ash", "say", f"line {n}", "2026-01-01T00:00:00+00:00")
            for n in range(1, 21)
        ]
        for line in lines:
            one.publish("room.1", line)
        await _until(lambda: len(there._queue) >= 21 and len(here._queue) >= 21, "the lines")
        assert there.drain() == here.drain() == [before, *lines]  # none lost, none twice
        assert one.reconnects >= 1 and two.reconnects >= 1
    finally:
        await one.close()
        await two.close()


async def test_an_event_whose_read_failed_is_read_again_on_the_new_connection(
    migrated: str,
) -> None:
    """The reader's connection dies unseen; the next notification wakes it, its read
    fails, and no other notification follows: the event still arrives, read again as
    soon as the reader has a connection again."""
    one = PostgresEventBus(migrated, reconnect_max=1.0)
    two = PostgresEventBus(migrated, reconnect_max=1.0)
    await one.start()
    await two.start()
    try:
        there = one.subscribe("room.1")
        first = RoomLineEvent(1, 1, 7, "Ash", "say", "first", "2026-01-01T00:00:00+00:00")
        two.publish("room.1", first)
        await _until(lambda: len(there._queue) == 1, "the first line")
        async with await psycopg.AsyncConnection.connect(
            libpq_url(migrated), autocommit=True
        ) as admin:
            # The readers (both nodes'), idle after their last read: the only bus
            # connections whose last query is the read.
            cut = await (
                await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = %s AND query LIKE %s",
                    (one.application_name, "SELECT id, topic, body FROM live_event%"),
                )
            ).fetchall()
        assert len(cut) == 2
        second = RoomLineEvent(1, 2, 7, "Ash", "say", "second", "2026-01-01T00:00:00+00:00")
        two.publish("room.1", second)
        await _until(lambda: len(there._queue) == 2, "the second line, after the reader's loss")
        assert there.drain() == [first, second]
    finally:
        await one.close()
        await two.close()


async def test_two_communities_with_cluster_settings_share_room_lines_and_alerts(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path) as (a, b):
        assert isinstance(a.events, PostgresEventBus)
        ash = await sign_up(a, "Ash")
        oak = await sign_up(b, "Oak")
        on_a = await a.rooms.enter(1, ash)
        on_b = await b.rooms.enter(1, oak)
        heard = b.rooms.subscribe(on_b, lambda: None)
        await a.rooms.submit(on_a, "hello from node a")
        await _until(
            lambda: any(e.kind == "room.line" for e in list(heard._queue)), "the line on node b"
        )
        [line] = [e for e in heard.drain() if isinstance(e, RoomLineEvent)]
        assert (line.author, line.text) == ("Ash", "hello from node a")

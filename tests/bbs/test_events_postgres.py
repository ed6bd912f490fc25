"""Room events across nodes through PostgreSQL LISTEN/NOTIFY (set BBS_TEST_POSTGRES_URL)."""

from __future__ import annotations

import asyncio
import os

import pytest

from bbs.events_postgres import PostgresEventBus, libpq_url
from bbs.room_service import RoomLineEvent, RoomPresenceEvent

POSTGRES_URL = os.environ.get("BBS_TEST_POSTGRES_URL")


def test_sqlalchemy_urls_become_libpq_urls() -> None:
    assert libpq_url("postgresql+psycopg://bbs@db/bbs") == "postgresql://bbs@db/bbs"
    assert libpq_url("postgresql://bbs@db/bbs") == "postgresql://bbs@db/bbs"


@pytest.mark.skipif(not POSTGRES_URL, reason="set BBS_TEST_POSTGRES_URL")
async def test_an_event_published_on_one_node_reaches_subscribers_on_both() -> None:
    assert POSTGRES_URL
    one, two = PostgresEventBus(POSTGRES_URL), PostgresEventBus(POSTGRES_URL)
    await one.start()
    await two.start()
    try:
        here, there = one.subscribe("room.1"), two.subscribe("room.1")
        elsewhere = two.subscribe("room.2")
        line = RoomLineEvent(1, 5, 7, "Ash", "say", "héllo ✨", "2026-01-01T00:00:00+00:00",
                             ("oak",))
        one.publish("room.1", line)
        one.publish("room.1", RoomPresenceEvent(1, 7, "Ash", "away"))
        deadline = asyncio.get_running_loop().time() + 15  # NOTIFY crosses connections
        while asyncio.get_running_loop().time() < deadline:
            if len(there._queue) == 2 and len(here._queue) == 2:
                break
            await asyncio.sleep(0.02)  # poll interval, not a wait for something to happen
        assert there.drain() == here.drain() == [line, RoomPresenceEvent(1, 7, "Ash", "away")]
        assert elsewhere.drain() == []
        with pytest.raises(ValueError):
            one.publish("room.1", RoomLineEvent(1, 1, 1, "n", "say", "x" * 9000, "t"))
    finally:
        await one.close()
        await two.close()

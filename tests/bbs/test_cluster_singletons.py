"""Single jobs among several nodes: one node runs each, another takes over when it stops
(set BBS_TEST_POSTGRES_URL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from support import cluster_nodes

from bbs.cluster import Singletons
from bbs.config import Settings
from bbs.models import Role, utcnow
from bbs.rooms import records as rooms
from bbs.rooms.events import SESSIONS_TOPIC, SessionStartingEvent


async def test_one_process_alone_runs_every_job() -> None:
    alone = Singletons(None)
    assert await alone.runs("room-sessions") and await alone.runs("suggestions")


async def test_one_node_runs_a_job_and_another_takes_it_when_it_stops(
    postgres_url: str,
) -> None:
    one, two, elsewhere = Singletons(postgres_url), Singletons(postgres_url), None
    try:
        assert await one.runs("room-sessions")
        assert await one.runs("room-sessions")  # still this node's
        assert not await two.runs("room-sessions")
        assert await two.runs("suggestions")  # each job on its own
        assert not await one.runs("suggestions")
        await one.close()  # the node stops (or dies): its locks go with its connection
        # ...once its backend has ended, a moment after the close: two takes it then.
        deadline = asyncio.get_running_loop().time() + 30
        while not await two.runs("room-sessions"):
            assert asyncio.get_running_loop().time() < deadline, "never taken over"
            await asyncio.sleep(0.05)
        # Another community (another schema) in the same database is not blocked.
        elsewhere = Singletons(postgres_url.replace("search_path%3D", "search_path%3Dx"))
        assert await elsewhere.runs("room-sessions")
    finally:
        for node in (one, two, elsewhere):
            if node is not None:
                await node.close()


async def test_a_scheduled_session_is_announced_once_across_two_nodes(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path) as nodes:
        a, b = nodes
        host = (
            await a.accounts.sign_up(
                "Host", "a long enough password", "a long enough password", role=Role.SYSOP
            )
        ).member
        await a.rooms.ensure_ready()
        soon = utcnow() + timedelta(seconds=1)
        await a.write(
            lambda s: rooms.add_event(
                s,
                room_id=1,
                topic="Evening circle",
                starts_at=soon,
                duration_minutes=30,
                host_id=host.id,
            )
        )
        heard = b.events.subscribe(SESSIONS_TOPIC)
        for node in nodes:
            node.rooms.start(interval=0.2)
        deadline = asyncio.get_running_loop().time() + 30
        while not list(heard._queue):
            assert asyncio.get_running_loop().time() < deadline, "never announced"
            await asyncio.sleep(0.05)
        # A negative check: both nodes look every 0.2 s, so a second announcer would have
        # spoken within this second (no event marks "did not announce").
        await asyncio.sleep(1.0)
        said = [e for e in heard.drain() if isinstance(e, SessionStartingEvent)]
        assert len(said) == 1


async def test_an_on_demand_job_is_released_for_another_node(postgres_url: str) -> None:
    one, two = Singletons(postgres_url), Singletons(postgres_url)
    try:
        assert await one.runs("model-retrain")
        assert not await two.runs("model-retrain")  # retraining on one node at a time
        await one.release("model-retrain")
        assert await two.runs("model-retrain")
        assert not await one.runs("model-retrain")
        await Singletons(None).release("model-retrain")  # one process alone: nothing to do
    finally:
        await one.close()
        await two.close()


async def test_room_history_is_purged_by_one_node_only(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path) as nodes:
        a, b = nodes
        await a.rooms.ensure_ready()
        assert await a.rooms.purge_expired() == 0  # nothing old yet; a takes the job
        with a.database.write() as s:
            s.add(
                rooms.RoomLine(
                    room_id=1,
                    author="Old",
                    text="ancient",
                    created_at=utcnow() - timedelta(days=31),
                )
            )
        assert await b.rooms.purge_expired() == 0  # node a purges for everyone
        assert await a.rooms.purge_expired() == 1

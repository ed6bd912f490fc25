"""Presence and live sessions shared by nodes of one cluster through PostgreSQL (issue 19).

Every test runs two or three communities as nodes of one cluster on a fresh schema; they
skip without BBS_TEST_POSTGRES_URL.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from datetime import timedelta
from pathlib import Path

import psycopg
from support import cluster_nodes, sign_up, sign_up_id, wait_until

from bbs.accounts.sessions import SessionInfo
from bbs.community import Community
from bbs.config import ClusterSettings, Settings
from bbs.db import libpq_url
from bbs.models import utcnow
from bbs.presence_postgres import ClusterLive, PostgresPresence
from bbs.privacy.service import DeleteChoice
from bbs.rooms.events import RoomPresenceEvent
from server.wiring import build_community

# Between nodes, a change waits on the bus: "within a second or two", with room to spare
# on a loaded machine.
_until = functools.partial(wait_until, timeout=5.0)
# Short heartbeats, so that a node that stops is gone within seconds.
QUICK = ClusterSettings(heartbeat_seconds=0.3, presence_timeout_seconds=1.5)


class FakeSession:
    """A connected session as the server holds one: it remembers being ended."""

    def __init__(self, session_id: str, width: int = 80, height: int = 24) -> None:
        self.session_id = session_id
        self.size = (width, height)
        self.farewells: list[str] = []

    def info(self) -> SessionInfo:
        return SessionInfo(self.session_id, utcnow() - timedelta(days=9), *self.size)

    def goodbye(self, line: str) -> None:
        self.farewells.append(line)


def _live(node: Community) -> ClusterLive:
    presence = node.services.presence
    assert isinstance(presence, PostgresPresence)
    return presence.live


def _names(node: Community, room_id: int) -> set[str]:
    return {e.name for e in node.rooms.who(room_id)}


def _heard(events: list[object]) -> list[tuple[str, str]]:
    return [(e.name, e.state) for e in events if isinstance(e, RoomPresenceEvent)]


async def test_who_is_here_and_room_counts_agree_on_every_node(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path, count=3) as (a, b, c):
        ash, oak = await sign_up(a, "Ash"), await sign_up(b, "Oak")
        watching = c.rooms.subscribe(await c.rooms.enter(1, await sign_up(c, "Fen")), lambda: None)
        ash_on_a = await a.rooms.enter(1, ash)
        oak_on_b = await b.rooms.enter(1, oak)
        for node in (a, b, c):
            await _until(lambda n=node: _names(n, 1) == {"Ash", "Fen", "Oak"}, "all three")
        listed = dict((room.id, count) for room, count in await a.rooms.list_rooms(ash))
        assert listed[1] == 3
        assert c.rooms.who_line(1) == "Here now (3): Ash, Fen, Oak"
        # A second session of Ash's on another node: still one entry, and no second "join".
        ash_on_b = await b.rooms.enter(1, ash)
        await _until(lambda: (e := a.rooms.presence.entry(1, ash.id)) and e.sessions == 2, "2")
        assert c.rooms.presence.count(1) == 3
        # Away on one node shows on the others.
        await b.rooms.command(oak_on_b, "/away tea")
        await _until(lambda: "Oak (away)" in a.rooms.who_line(1), "Oak away on node a")
        # Ash leaves one session: still here; then the other: gone everywhere.
        await a.rooms.leave(ash_on_a)
        await _until(lambda: (e := c.rooms.presence.entry(1, ash.id)) and e.sessions == 1, "1")
        assert "Ash" in _names(c, 1)
        await b.rooms.leave(ash_on_b)
        for node in (a, b, c):
            await _until(lambda n=node: _names(n, 1) == {"Fen", "Oak"}, "Ash gone")
        await _until(lambda: ("Ash", "leave") in _heard(list(watching._queue)), "the leave")
        assert [h for h in _heard(watching.drain()) if h[0] != "Fen"] == [
            ("Ash", "join"),
            ("Oak", "join"),
            ("Oak", "away"),
            ("Ash", "leave"),
        ]


async def test_appearing_offline_on_one_node_hides_the_member_on_the_others(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path) as (a, b):
        willow = await sign_up(a, "Willow")
        await a.rooms.enter(1, willow)
        await _until(lambda: _names(b, 1) == {"Willow"}, "Willow on node b")
        await b.privacy.set_appear_offline(willow, True)
        await _until(lambda: _names(a, 1) == set(), "Willow hidden on node a")
        assert [e.name for e in a.rooms.presence.who(1, include_hidden=True)] == ["Willow"]
        await b.privacy.set_appear_offline(willow, False)
        await _until(lambda: _names(a, 1) == {"Willow"}, "Willow listed again")


async def test_the_per_member_session_cap_counts_sessions_on_every_node(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path, count=3) as (a, b, c):
        w = await sign_up_id(a, "Willow")
        on_a = [FakeSession("a1"), FakeSession("a2")]
        on_b = [FakeSession("b1"), FakeSession("b2")]
        for session in on_a:
            a.sessions.arrived(session, w)
        for session in on_b:
            b.sessions.arrived(session, w)
        b.sessions.arrived(FakeSession("other"), w + 1)
        for node in (a, b, c):
            await _until(lambda n=node: n.sessions.count_of(w) == 4, "four sessions")
        assert c.sessions.count_of(w + 1) == 1
        a.sessions.ended(on_a[0])
        b.sessions.ended(on_b[0])
        for node in (a, b, c):
            await _until(lambda n=node: n.sessions.count_of(w) == 2, "two sessions left")


async def test_the_session_list_and_end_session_reach_every_node(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path, count=3) as (a, b, c):
        w = await sign_up_id(a, "Willow")
        here, there, third = FakeSession("here"), FakeSession("there", 120, 40), FakeSession("3")
        a.sessions.arrived(here, w)
        b.sessions.arrived(there, w)
        c.sessions.arrived(third, w)
        await _until(lambda: a.sessions.count_of(w) == 3, "three sessions seen on node a")
        listed = await a.privacy.sessions(w)
        assert {(s.session_id, s.width) for s in listed} == {
            ("here", 80),
            ("there", 120),
            ("3", 80),
        }
        # Another member cannot end them; a session that is gone cannot be ended.
        assert not await a.privacy.end_session(w + 1, "there")
        assert not await a.privacy.end_session(w, "nowhere")
        assert await a.privacy.end_session(w, "there")
        await _until(lambda: len(there.farewells) == 1, "the session on node b ended")
        assert "ended" in there.farewells[0]
        assert (here.farewells, third.farewells) == ([], [])
        b.sessions.ended(there)
        # Deleting the account ends the member's sessions on every node.
        willow = await a.accounts.member(w)
        assert willow is not None
        await a.privacy.delete_account(willow, "Willow", DeleteChoice.REMOVE)
        assert len(here.farewells) == 1
        await _until(lambda: len(third.farewells) == 1, "the session on node c ended")
        assert "deleted" in third.farewells[0]
        assert len(there.farewells) == 1


async def _rows(url: str, table: str) -> list[tuple[object, ...]]:
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        cursor = await conn.execute(f"SELECT node FROM {table}")
        return list(await cursor.fetchall())


async def test_a_node_that_stops_heartbeating_is_gone_after_the_timeout(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path, cluster=QUICK) as (a, b):
        ash, oak = await sign_up(a, "Ash"), await sign_up(b, "Oak")
        await a.rooms.enter(1, ash)
        a.sessions.arrived(FakeSession("ash"), ash.id)
        watching = b.rooms.subscribe(await b.rooms.enter(1, oak), lambda: None)
        await _until(lambda: _names(b, 1) == {"Ash", "Oak"}, "Ash on node b")
        await _until(lambda: b.sessions.count_of(ash.id) == 1, "Ash's session on node b")
        # Heartbeats keep a live node's members listed well past the timeout.
        loop = asyncio.get_running_loop()
        began, ticks = loop.time(), _live(b).ticks
        await wait_until(
            lambda: (
                loop.time() > began + 2 * QUICK.presence_timeout_seconds
                and _live(b).ticks > ticks + 3
            ),
            "two timeouts of heartbeats",
        )
        assert _names(b, 1) == {"Ash", "Oak"}
        # Node a crashes: no heartbeat, no goodbye, its rows left behind.
        await _live(a).abandon()
        crashed = loop.time()
        await _until(lambda: _names(b, 1) == {"Oak"}, "Ash gone from node b")
        # The session row's last heartbeat may be a moment younger than the room row's.
        await _until(lambda: b.sessions.count_of(ash.id) == 0, "Ash's session gone from b")
        assert loop.time() - crashed <= QUICK.presence_timeout_seconds + 1.0
        await _until(lambda: ("Ash", "leave") in _heard(list(watching._queue)), "Ash left")
        # Purged from the tables, by the node that noticed.
        assert {row[0] for row in await _rows(postgres_url, "live_presence")} == {_live(b).node}
        assert await _rows(postgres_url, "live_session") == []


async def test_a_node_writes_its_rows_again_when_the_table_lost_them(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path, cluster=QUICK) as (a, b):
        ash = await sign_up(a, "Ash")
        await a.rooms.enter(1, ash)
        resized = FakeSession("ash")
        a.sessions.arrived(resized, ash.id)
        await _until(lambda: b.sessions.count_of(ash.id) == 1, "Ash's session on node b")
        # Its rows gone (purged while it could not reach the database, say), and the
        # window resized meanwhile.
        async with await psycopg.AsyncConnection.connect(
            libpq_url(postgres_url), autocommit=True
        ) as conn:
            await conn.execute("DELETE FROM live_presence")
            await conn.execute("DELETE FROM live_session")
        resized.size = (132, 50)
        ticks = _live(a).ticks
        await _until(lambda: _live(a).ticks > ticks + 1, "two heartbeats of node a")
        assert {row[0] for row in await _rows(postgres_url, "live_presence")} == {_live(a).node}
        await _until(
            lambda: [s.width for r in _live(b).remote_of(ash.id) for s in [r.info]] == [132],
            "the new size on node b",
        )
        assert [s.width for s in await b.privacy.sessions(ash.id)] == [132]
        assert _names(b, 1) == {"Ash"}


async def test_a_restarting_node_clears_the_rows_it_left(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    # A long timeout: only the restart can clear the rows within the test.
    slow = dataclasses.replace(QUICK, presence_timeout_seconds=120.0)
    async with cluster_nodes(settings, postgres_url, tmp_path, cluster=slow) as (a, b):
        ash = await sign_up(a, "Ash")
        await a.rooms.enter(1, ash)
        a.sessions.arrived(FakeSession("ash"), ash.id)
        await _until(lambda: _names(b, 1) == {"Ash"}, "Ash on node b")
        await _until(lambda: b.sessions.count_of(ash.id) == 1, "Ash's session on node b")
        await _live(a).abandon()  # killed
        again = build_community(a.settings)
        try:
            await asyncio.to_thread(again.prepare)
            await again.start_live()
            assert _live(again).node == _live(a).node
            for node in (b, again):
                await _until(lambda n=node: _names(n, 1) == set(), "Ash's old row gone")
                await _until(lambda n=node: n.sessions.count_of(ash.id) == 0, "no session")
            assert {row[0] for row in await _rows(postgres_url, "live_session")} == set()
        finally:
            await again.rooms.stop()
            await again.stop_live()
            await asyncio.to_thread(again.close)


async def test_a_node_that_stops_cleanly_takes_its_members_out_at_once(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    slow = dataclasses.replace(QUICK, presence_timeout_seconds=120.0)
    async with cluster_nodes(settings, postgres_url, tmp_path, cluster=slow) as (a, b):
        ash = await sign_up(a, "Ash")
        await a.rooms.enter(1, ash)
        a.sessions.arrived(FakeSession("ash"), ash.id)
        await _until(lambda: _names(b, 1) == {"Ash"}, "Ash on node b")
        await _until(lambda: b.sessions.count_of(ash.id) == 1, "Ash's session on node b")
        await _live(a).stop()
        await _until(lambda: _names(b, 1) == set(), "Ash gone from node b")
        await _until(lambda: b.sessions.count_of(ash.id) == 0, "Ash's session gone")
        assert await _rows(postgres_url, "live_presence") == []

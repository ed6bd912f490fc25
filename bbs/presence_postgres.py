"""Presence and live sessions shared by several nodes through PostgreSQL.

Each node writes its own members' sessions (`live_session`) and room presence
(`live_presence`) to UNLOGGED tables, every row marked with the node and a heartbeat
time, and refreshes its rows' heartbeat every `heartbeat_seconds`. Rows not refreshed for
`presence_timeout_seconds` belong to a node that died: every node ignores them from then
on, and the first node to purge them tells the rooms those members left. A node starting
up deletes the rows its earlier self left behind (the same node name, a process that no
longer runs here).

The ports' sync reads (`who`, `count`, `entry`, `count_of`) never touch the database:
each node keeps a mirror of the other nodes' rows. A node that changes its rows writes
them (one statement) and then sends the change on the event bus (`LIVE_TOPIC`), which
every node applies to its mirror as it arrives: "who is here" and counts agree across
nodes as soon as the bus delivers, before the room's own presence event (sent after it,
and delivered in the same order everywhere). Every heartbeat each node also reads the
tables afresh, which mends whatever an event lost. A room line never touches them.

Ending a session on another node (the privacy screen's "end session", deleting an
account) is an `EndSessions` event that the node holding the session acts on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import TupleRow

from bbs.accounts.sessions import LiveSession, SessionInfo
from bbs.clock import Clock
from bbs.config import ClusterSettings
from bbs.db import libpq_url
from bbs.events import Event, EventBus, Subscription, event_type
from bbs.rooms.events import RoomPresenceEvent, room_topic
from bbs.rooms.presence import PresenceEntry

__all__ = [
    "LIVE_TOPIC",
    "ClusterLive",
    "EndSessions",
    "PostgresPresence",
    "PostgresSessions",
]

log = logging.getLogger(__name__)

# Every node hears here about the others' sessions and presence.
LIVE_TOPIC = "live"
# A database that does not answer a new connection within this is taken as down.
CONNECT_SECONDS = 10
# The shortest wait between two housekeeping rounds (a row about to expire).
MIN_TICK_SECONDS = 0.1


# -- events ---------------------------------------------------------------------------
@event_type("live.presence")
class PresenceRow(Event):
    """A node's row for one member in one room, as it is now (`sessions` 0: gone)."""

    node: str
    room_id: int
    member_id: int
    name: str
    since: str
    sessions: int
    hidden: bool
    away: bool = False
    away_note: str = ""


@event_type("live.away")
class PresenceAway(Event):
    """A member stepped away from a room (or came back), on whichever node."""

    room_id: int
    member_id: int
    away: bool
    note: str


@event_type("live.hidden")
class PresenceHidden(Event):
    """A member chose to appear offline (or not), everywhere."""

    member_id: int
    hidden: bool


@event_type("live.session")
class SessionRow(Event):
    """A node's session of a member began (`live`) or ended."""

    node: str
    session_id: str
    member_id: int
    started_at: str
    width: int
    height: int
    live: bool


@event_type("live.end_sessions")
class EndSessions(Event):
    """End the member's session `session_id` (empty: every session) wherever it is."""

    node: str
    member_id: int
    session_id: str
    farewell: str


# -- SQL ------------------------------------------------------------------------------
_FRESH = "heartbeat > now() - make_interval(secs => %(timeout)s)"
_AGE = "extract(epoch FROM now() - heartbeat)"

_PRESENCE_UPSERT = """
INSERT INTO live_presence
    (node, room_id, member_id, name, since, sessions, away, away_note, hidden, heartbeat)
VALUES (%(node)s, %(room)s, %(member)s, %(name)s, %(since)s, %(sessions)s, %(away)s,
        %(note)s, %(hidden)s, now())
ON CONFLICT (node, room_id, member_id) DO UPDATE SET
    name = EXCLUDED.name, sessions = EXCLUDED.sessions, hidden = EXCLUDED.hidden,
    heartbeat = now()
"""
_PRESENCE_DELETE = (
    "DELETE FROM live_presence WHERE node = %(node)s AND room_id = %(room)s"
    " AND member_id = %(member)s"
)
_PRESENCE_AWAY = (
    "UPDATE live_presence SET away = %(away)s, away_note = %(note)s"
    " WHERE room_id = %(room)s AND member_id = %(member)s"
)
_PRESENCE_HIDDEN = "UPDATE live_presence SET hidden = %(hidden)s WHERE member_id = %(member)s"
_PRESENCE_ALL = (
    "SELECT node, room_id, member_id, name, since, sessions, away, away_note, hidden, "
    f"{_AGE} FROM live_presence WHERE {_FRESH}"
)
_SESSION_UPSERT = """
INSERT INTO live_session (session_id, node, member_id, started_at, width, height, heartbeat)
VALUES (%(sid)s, %(node)s, %(member)s, %(started)s, %(width)s, %(height)s, now())
ON CONFLICT (session_id) DO UPDATE SET
    width = EXCLUDED.width, height = EXCLUDED.height, heartbeat = now()
"""
_SESSION_DELETE = "DELETE FROM live_session WHERE session_id = %(sid)s AND node = %(node)s"
_SESSION_ALL = (
    "SELECT node, session_id, member_id, started_at, width, height, "
    f"{_AGE} FROM live_session WHERE {_FRESH}"
)
_SESSIONS_OF = (
    "SELECT node, session_id, member_id, started_at, width, height, "
    f"{_AGE} FROM live_session WHERE member_id = %(member)s AND {_FRESH}"
)
_BEAT = (
    "WITH b AS (UPDATE {table} SET heartbeat = now() WHERE node = %(node)s RETURNING 1)"
    " SELECT count(*) FROM b"
)
_PURGE_PRESENCE = (
    f"DELETE FROM live_presence WHERE NOT ({_FRESH}) RETURNING room_id, member_id, name, hidden"
)
_PURGE_SESSIONS = f"DELETE FROM live_session WHERE NOT ({_FRESH}) RETURNING member_id"
_NODES = (
    "SELECT node FROM live_session WHERE left(node, length(%(prefix)s)) = %(prefix)s"
    " UNION SELECT node FROM live_presence WHERE left(node, length(%(prefix)s)) = %(prefix)s"
)
_FORGET_NODE_PRESENCE = (
    "DELETE FROM live_presence WHERE node = %(node)s RETURNING room_id, member_id, name, hidden"
)
_FORGET_NODE_SESSIONS = (
    "DELETE FROM live_session WHERE node = %(node)s RETURNING session_id, member_id"
)


def _process_gone(pid_text: str) -> bool:
    """Whether no process with this id runs on this box (an earlier self of this node)."""
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return True  # this very process, started again (tests): its rows are stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass
class _Held:
    """Another node's row, and until when (this process's monotonic time) it counts."""

    entry: PresenceEntry
    expires: float


@dataclass
class _Remote:
    """Another node's session, and until when it counts."""

    node: str
    info: SessionInfo
    expires: float


def _merge(parts: Iterable[PresenceEntry]) -> PresenceEntry | None:
    """One member's rows on several nodes as one entry (sessions add up)."""
    merged: PresenceEntry | None = None
    for part in parts:
        if merged is None:
            merged = replace(part)
            continue
        merged.sessions += part.sessions
        merged.since = min(merged.since, part.since)
        if part.away and not merged.away:
            merged.away, merged.away_note = True, part.away_note
        merged.hidden = merged.hidden or part.hidden
    return merged


class ClusterLive:
    """This node's share of the live tables: its connection, its heartbeat, the mirror
    of the other nodes' rows, and the two ports built on them (`presence`, `sessions`).

    Call `start()` on the running loop once the event bus has started, `stop()` before
    the bus closes.
    """

    def __init__(self, url: str, cluster: ClusterSettings, events: EventBus, clock: Clock) -> None:
        self.node = cluster.node_id()
        # Earlier processes of this node are named alike ("name:" and their process id).
        self._prefix = self.node.rpartition(":")[0] + ":"
        self._conninfo = libpq_url(url)
        self._heartbeat = cluster.heartbeat_seconds
        self._timeout = cluster.presence_timeout_seconds
        self._events = events
        self.clock = clock
        self._conn: psycopg.AsyncConnection[TupleRow] | None = None
        self._connecting = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []
        self._subscription: Subscription | None = None
        self._wake = asyncio.Event()
        self._writes: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        # This node's own rows: room -> member -> entry (sessions on this node only).
        self.mine: dict[int, dict[int, PresenceEntry]] = {}
        # The other nodes' rows: room -> (node, member) -> row.
        self.rooms: dict[int, dict[tuple[str, int], _Held]] = {}
        # This node's sessions, and the other nodes' by member.
        self.local: dict[LiveSession, tuple[int, datetime]] = {}
        self.remote: dict[int, dict[str, _Remote]] = {}
        self.written_sizes: dict[str, tuple[int, int]] = {}
        # Keys an event changed while a full read was in flight: the read must not undo it.
        self._touched: dict[tuple[Any, ...], float] = {}
        self.presence = PostgresPresence(self)
        self.sessions = PostgresSessions(self)
        self.running = False
        # Housekeeping rounds done (tests wait on it).
        self.ticks = 0

    # -- the connection -----------------------------------------------------------------
    async def _connection(self) -> psycopg.AsyncConnection[TupleRow]:
        async with self._connecting:
            if self._conn is not None and self._conn.closed:
                self._conn = None
            if self._conn is None:
                self._conn = await psycopg.AsyncConnection.connect(
                    self._conninfo,
                    autocommit=True,
                    connect_timeout=CONNECT_SECONDS,
                    # Told apart from the bus's connections in pg_stat_activity.
                    application_name=f"bbs presence {self.node}"[:63],
                )
            return self._conn

    async def execute(self, query: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """One statement on this node's connection; its rows, if it returns any."""
        params = {"node": self.node, "timeout": self._timeout, **params}
        conn = await self._connection()
        try:
            cursor = await conn.execute(query, params)
            return list(await cursor.fetchall()) if cursor.description else []
        except psycopg.OperationalError:
            # The connection may be gone: the next statement opens a new one.
            with contextlib.suppress(psycopg.Error):
                await conn.close()
            raise

    async def try_execute(self, query: str, params: dict[str, Any]) -> bool:
        """As `execute`, saying in the log when the database did not take it."""
        try:
            await self.execute(query, params)
        except psycopg.Error as error:
            log.warning("live presence: a write failed (%s); the heartbeat mends it", error)
            return False
        return True

    def write_behind(self, query: str, params: dict[str, Any]) -> None:
        """Queue a write for the writer task (callers that cannot wait), in order."""
        self._writes.put_nowait((query, params))

    def publish(self, event: Event) -> None:
        self._events.publish(LIVE_TOPIC, event)

    def touch(self, *key: Any) -> None:
        self._touched[key] = time.monotonic()

    # -- starting and stopping ----------------------------------------------------------
    async def start(self) -> None:
        """Clear what an earlier run of this node left, read the others, and follow them."""
        gone = await self._forget_earlier_selves()
        self._subscription = self._events.subscribe(
            LIVE_TOPIC, maxsize=4096, on_event=self._wake.set
        )
        with contextlib.suppress(psycopg.Error):
            await self.refresh()
        self._tell_gone(gone)
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._beat(), name="live-heartbeat"),
            loop.create_task(self._follow(), name="live-follow"),
            loop.create_task(self._write(), name="live-writes"),
        ]
        self.running = True

    async def _forget_earlier_selves(self) -> list[tuple[Any, ...]]:
        """Delete the rows of this node's earlier processes; the room entries deleted."""
        gone: list[tuple[Any, ...]] = []
        try:
            nodes = await self.execute(_NODES, {"prefix": self._prefix})
            for (node,) in nodes:
                if node == self.node or _process_gone(str(node).rpartition(":")[2]):
                    rows = await self.execute(_FORGET_NODE_PRESENCE, {"node": node})
                    sessions = await self.execute(_FORGET_NODE_SESSIONS, {"node": node})
                    log.info("live presence: cleared the rows an earlier %s left", node)
                    # The other nodes drop them now rather than when they would expire.
                    for room_id, member_id, name, hidden in rows:
                        self.publish(PresenceRow(node, room_id, member_id, name, "", 0, hidden))
                    for sid, member_id in sessions:
                        self.publish(SessionRow(node, sid, member_id, "", 0, 0, False))
                    gone += rows
        except psycopg.Error as error:
            log.warning("live presence: could not clear this node's old rows (%s)", error)
        return gone

    async def abandon(self) -> None:
        """Stop as a crashed node would: no more heartbeats, its rows left behind."""
        self.running = False
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self._subscription is not None:
            self._subscription.unsubscribe()
            self._subscription = None
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(psycopg.Error):
                await conn.close()

    async def stop(self) -> None:
        """Stop, removing this node's rows (its members are gone with it)."""
        if not self.running:
            return
        self.running = False
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        conn = self._conn
        if conn is not None and conn.info.transaction_status != TransactionStatus.IDLE:
            # A statement was cut short: a new connection says goodbye.
            with contextlib.suppress(psycopg.Error):
                await conn.close()
        try:
            rows = await self.execute(_FORGET_NODE_PRESENCE, {"node": self.node})
            await self.execute(_FORGET_NODE_SESSIONS, {"node": self.node})
        except psycopg.Error:
            rows = []
        for room_id, member_id, name, hidden in rows:
            self.publish(PresenceRow(self.node, room_id, member_id, name, "", 0, hidden))
        for session, (member_id, started) in list(self.local.items()):
            self.sessions.row(session, member_id, started, on=False, write=False)
        await self.abandon()

    # -- the writer, the follower and the heartbeat -----------------------------------
    async def _write(self) -> None:
        while True:
            query, params = await self._writes.get()
            await self.try_execute(query, params)

    async def _follow(self) -> None:
        """Apply the other nodes' changes as the bus brings them."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            subscription = self._subscription
            if subscription is None:
                return
            if subscription.overflowed:
                subscription.overflowed = False
                with contextlib.suppress(psycopg.Error):
                    await self.refresh()
            for event in subscription.drain():
                try:
                    self.apply(event)
                except Exception:
                    log.exception("live presence: could not apply %s", event.kind)

    def apply(self, event: Event) -> None:
        """One change from the bus, into the mirror (this node's own are already in it)."""
        expires = time.monotonic() + self._timeout
        if isinstance(event, PresenceRow) and event.node != self.node:
            room = self.rooms.setdefault(event.room_id, {})
            key = (event.node, event.member_id)
            self.touch("p", event.room_id, *key)
            if event.sessions <= 0:
                room.pop(key, None)
            else:
                since = datetime.fromisoformat(event.since)
                entry = PresenceEntry(
                    event.member_id,
                    event.name,
                    since,
                    event.sessions,
                    event.away,
                    event.away_note,
                    event.hidden,
                )
                room[key] = _Held(entry, expires)
        elif isinstance(event, PresenceAway):
            self.touch("a", event.room_id, event.member_id)
            for entry in self._entries_of(event.room_id, event.member_id):
                entry.away, entry.away_note = event.away, event.note if event.away else ""
        elif isinstance(event, PresenceHidden):
            self.touch("h", event.member_id)
            for room_id in set(self.mine) | set(self.rooms):
                for entry in self._entries_of(room_id, event.member_id):
                    entry.hidden = event.hidden
        elif isinstance(event, SessionRow) and event.node != self.node:
            self.touch("s", event.member_id, event.session_id)
            theirs = self.remote.setdefault(event.member_id, {})
            if event.live:
                info = SessionInfo(
                    event.session_id,
                    datetime.fromisoformat(event.started_at),
                    event.width,
                    event.height,
                )
                theirs[event.session_id] = _Remote(event.node, info, expires)
            else:
                theirs.pop(event.session_id, None)
        elif isinstance(event, EndSessions) and event.node != self.node:
            self.sessions.end_here(event.member_id, event.session_id, event.farewell)

    def _entries_of(self, room_id: int, member_id: int) -> list[PresenceEntry]:
        found = [
            held.entry
            for (_node, member), held in self.rooms.get(room_id, {}).items()
            if member == member_id
        ]
        own = self.mine.get(room_id, {}).get(member_id)
        return [*found, own] if own is not None else found

    async def _beat(self) -> None:
        while True:
            try:
                await self.tick()
            except psycopg.Error as error:
                log.warning("live presence: heartbeat failed (%s); trying again", error)
            except Exception:
                log.exception("live presence: heartbeat failed")
            await asyncio.sleep(self._next_tick())

    def _next_tick(self) -> float:
        """The heartbeat, or sooner when another node's row is about to expire."""
        now = time.monotonic()
        expiries = [held.expires for room in self.rooms.values() for held in room.values()] + [
            r.expires for theirs in self.remote.values() for r in theirs.values()
        ]
        soonest = min(expiries, default=now + self._heartbeat)
        return max(MIN_TICK_SECONDS, min(self._heartbeat, soonest - now + 0.05))

    async def tick(self) -> None:
        """One round: say this node lives, mend its rows, purge the dead, read afresh."""
        await self._beat_own()
        gone = await self.execute(_PURGE_PRESENCE, {})
        dead_sessions = await self.execute(_PURGE_SESSIONS, {})
        if gone or dead_sessions:
            log.info(
                "live presence: purged %d room entries and %d sessions of a node that stopped",
                len(gone),
                len(dead_sessions),
            )
        await self.refresh()
        self._tell_gone(gone)
        self.ticks += 1

    async def _beat_own(self) -> None:
        """Refresh this node's rows; rewrite them when the table lost some (a failed write,
        or another node purged them while this one could not reach the database)."""
        beat = await self.execute(_BEAT.format(table="live_presence"), {})
        if beat[0][0] != sum(len(room) for room in self.mine.values()):
            await self._rewrite_own_presence()
        held = [(s, member_id, started, s.info()) for s, (member_id, started) in self.local.items()]
        beat = await self.execute(_BEAT.format(table="live_session"), {})
        if beat[0][0] != len(held):
            await self.execute(
                "DELETE FROM live_session WHERE node = %(node)s AND NOT session_id = ANY(%(ids)s)",
                {"ids": [info.session_id for *_, info in held]},
            )
            self.written_sizes = {}
        # Sessions whose window changed size (as the other nodes' lists show them).
        for session, member_id, started, info in held:
            size = (info.width, info.height)
            if session in self.local and self.written_sizes.get(info.session_id) != size:
                await self.execute(_SESSION_UPSERT, self.sessions.params(info, member_id, started))
                self.written_sizes[info.session_id] = size

    async def _rewrite_own_presence(self) -> None:
        """This node's presence rows as its memory holds them (after a lost write, or after
        another node purged them while this one could not reach the database)."""
        keep = [(room_id, member_id) for room_id, room in self.mine.items() for member_id in room]
        await self.execute(
            "DELETE FROM live_presence WHERE node = %(node)s AND NOT EXISTS ("
            " SELECT 1 FROM unnest(%(rooms)s::int[], %(members)s::int[]) AS k (r, m)"
            " WHERE k.r = room_id AND k.m = member_id)",
            {"rooms": [r for r, _ in keep], "members": [m for _, m in keep]},
        )
        for room_id, room in self.mine.items():
            for entry in room.values():
                await self.execute(_PRESENCE_UPSERT, self.presence.params(room_id, entry))

    async def refresh(self) -> None:
        """Read every node's live rows afresh (what events changed meanwhile stands)."""
        started = time.monotonic()
        presence = await self.execute(_PRESENCE_ALL, {})
        sessions = await self.execute(_SESSION_ALL, {})
        now = time.monotonic()
        rooms: dict[int, dict[tuple[str, int], _Held]] = {}
        for node, room_id, member_id, name, since, count, away, note, hidden, age in presence:
            # Away and appearing offline may be set from any node, in every node's rows.
            if self._touched_since(started, "a", room_id, member_id):
                away, note = self._away_now(room_id, member_id)
            if self._touched_since(started, "h", member_id):
                hidden = self._hidden_now(member_id, hidden)
            if node == self.node:
                own = self.mine.get(room_id, {}).get(member_id)
                if own is not None:
                    own.away, own.away_note, own.hidden = away, note, hidden
                continue
            entry = PresenceEntry(member_id, name, since, count, away, note, hidden)
            rooms.setdefault(room_id, {})[(node, member_id)] = _Held(
                entry, now + self._timeout - float(age)
            )
        remote: dict[int, dict[str, _Remote]] = {}
        for node, sid, member_id, started_at, width, height, age in sessions:
            if node != self.node:
                info = SessionInfo(sid, started_at, width, height)
                expires = now + self._timeout - float(age)
                remote.setdefault(member_id, {})[sid] = _Remote(node, info, expires)
        # What an event changed after this read began is newer than the read.
        for key, at in self._touched.items():
            if at < started:
                continue
            if key[0] in ("a", "h"):
                continue
            if key[0] == "p":
                _, room_id, node, member_id = key
                held = self.rooms.get(room_id, {}).get((node, member_id))
                target = rooms.setdefault(room_id, {})
                if held is None:
                    target.pop((node, member_id), None)
                else:
                    target[(node, member_id)] = held
            else:
                _, member_id, sid = key
                was = self.remote.get(member_id, {}).get(sid)
                theirs = remote.setdefault(member_id, {})
                if was is None:
                    theirs.pop(sid, None)
                else:
                    theirs[sid] = was
        self._touched = {k: at for k, at in self._touched.items() if at >= started}
        self.rooms, self.remote = rooms, remote

    def _touched_since(self, started: float, *key: Any) -> bool:
        return self._touched.get(key, 0.0) >= started

    def _away_now(self, room_id: int, member_id: int) -> tuple[bool, str]:
        for entry in self._entries_of(room_id, member_id):
            return entry.away, entry.away_note
        return False, ""

    def _hidden_now(self, member_id: int, default: bool) -> bool:
        for room_id in set(self.mine) | set(self.rooms):
            for entry in self._entries_of(room_id, member_id):
                return entry.hidden
        return default

    def _tell_gone(self, gone: Sequence[tuple[Any, ...]]) -> None:
        """Members of a node that stopped left their rooms: say so in each room where no
        other node holds them (the rooms' own presence event; the other nodes' mirrors
        have let those rows expire by now)."""
        for room_id, member_id, name, hidden in gone:
            if self.presence.entry(room_id, member_id) is None and not hidden:
                self._events.publish(
                    room_topic(room_id), RoomPresenceEvent(room_id, member_id, name, "leave")
                )

    # -- reads --------------------------------------------------------------------------
    def others_in(self, room_id: int) -> list[PresenceEntry]:
        now = time.monotonic()
        return [h.entry for h in self.rooms.get(room_id, {}).values() if h.expires > now]

    def remote_of(self, member_id: int) -> list[_Remote]:
        now = time.monotonic()
        return [r for r in self.remote.get(member_id, {}).values() if r.expires > now]


class PostgresPresence:
    """The `Presence` port over every node's rows (see the module's note)."""

    def __init__(self, live: ClusterLive) -> None:
        self.live = live

    def params(self, room_id: int, entry: PresenceEntry) -> dict[str, Any]:
        return {
            "room": room_id,
            "member": entry.member_id,
            "name": entry.name,
            "since": entry.since,
            "sessions": entry.sessions,
            "away": entry.away,
            "note": entry.away_note,
            "hidden": entry.hidden,
        }

    async def _send(self, room_id: int, member_id: int, entry: PresenceEntry | None) -> None:
        """Write this node's row for the member in the room, then tell the other nodes."""
        live = self.live
        if entry is None:
            await live.try_execute(_PRESENCE_DELETE, {"room": room_id, "member": member_id})
            live.publish(PresenceRow(live.node, room_id, member_id, "", "", 0, False))
        else:
            await live.try_execute(_PRESENCE_UPSERT, self.params(room_id, entry))
            live.publish(
                PresenceRow(
                    live.node,
                    room_id,
                    member_id,
                    entry.name,
                    entry.since.isoformat(),
                    entry.sessions,
                    entry.hidden,
                    entry.away,
                    entry.away_note,
                )
            )

    async def join(self, room_id: int, member_id: int, name: str, *, hidden: bool) -> bool:
        first = self.entry(room_id, member_id) is None
        room = self.live.mine.setdefault(room_id, {})
        entry = room.get(member_id)
        if entry is None:
            entry = room[member_id] = PresenceEntry(member_id, name, self.live.clock.now())
            # Away on another node stays away here (as a second session on one node does).
            for other in self.live.others_in(room_id):
                if other.member_id == member_id and other.away:
                    entry.away, entry.away_note = True, other.away_note
        entry.sessions += 1
        entry.hidden = hidden
        await self._send(room_id, member_id, replace(entry))
        return first

    async def leave(self, room_id: int, member_id: int) -> bool:
        room = self.live.mine.get(room_id)
        entry = room.get(member_id) if room else None
        if room is None or entry is None:
            return False
        entry.sessions -= 1
        if entry.sessions > 0:
            await self._send(room_id, member_id, replace(entry))
            return False
        del room[member_id]
        if not room:
            del self.live.mine[room_id]
        await self._send(room_id, member_id, None)
        return self.entry(room_id, member_id) is None

    async def set_away(self, room_id: int, member_id: int, away: bool, note: str = "") -> None:
        event = PresenceAway(room_id, member_id, away, note if away else "")
        self.live.apply(event)
        params = {"room": room_id, "member": member_id, "away": away, "note": event.note}
        await self.live.try_execute(_PRESENCE_AWAY, params)
        self.live.publish(event)

    async def set_hidden(self, member_id: int, hidden: bool) -> list[int]:
        rooms = set(self.live.mine) | set(self.live.rooms)
        before = {r: e.hidden for r in rooms if (e := self.entry(r, member_id)) is not None}
        self.live.apply(PresenceHidden(member_id, hidden))
        await self.live.try_execute(_PRESENCE_HIDDEN, {"member": member_id, "hidden": hidden})
        self.live.publish(PresenceHidden(member_id, hidden))
        return sorted(r for r, was in before.items() if was != hidden)

    def entry(self, room_id: int, member_id: int) -> PresenceEntry | None:
        own = self.live.mine.get(room_id, {}).get(member_id)
        theirs = [e for e in self.live.others_in(room_id) if e.member_id == member_id]
        return _merge([own, *theirs] if own is not None else theirs)

    def who(self, room_id: int, *, include_hidden: bool = False) -> list[PresenceEntry]:
        by_member: dict[int, list[PresenceEntry]] = {}
        for entry in self.live.mine.get(room_id, {}).values():
            by_member.setdefault(entry.member_id, []).append(entry)
        for entry in self.live.others_in(room_id):
            by_member.setdefault(entry.member_id, []).append(entry)
        merged = [m for parts in by_member.values() if (m := _merge(parts)) is not None]
        return sorted(
            (e for e in merged if include_hidden or not e.hidden), key=lambda e: e.name.casefold()
        )

    def count(self, room_id: int) -> int:
        return len(self.who(room_id))


class PostgresSessions:
    """The `LiveSessions` port over every node's sessions (see the module's note)."""

    def __init__(self, live: ClusterLive) -> None:
        self.live = live

    def params(self, info: SessionInfo, member_id: int, started: datetime) -> dict[str, Any]:
        return {
            "sid": info.session_id,
            "member": member_id,
            "started": started,
            "width": info.width,
            "height": info.height,
        }

    def row(
        self,
        session: LiveSession,
        member_id: int,
        started: datetime,
        *,
        on: bool,
        write: bool = True,
    ) -> None:
        """Record the session's row (behind: callers cannot wait), and tell the nodes."""
        info = session.info()
        live = self.live
        if not write:
            pass
        elif on:
            live.write_behind(_SESSION_UPSERT, self.params(info, member_id, started))
            live.written_sizes[info.session_id] = (info.width, info.height)
        else:
            live.write_behind(_SESSION_DELETE, {"sid": info.session_id})
            live.written_sizes.pop(info.session_id, None)
        live.publish(
            SessionRow(
                live.node,
                info.session_id,
                member_id,
                started.isoformat(),
                info.width,
                info.height,
                on,
            )
        )

    def arrived(self, session: LiveSession, member_id: int) -> None:
        if session in self.live.local:
            return
        started = self.live.clock.now()
        self.live.local[session] = (member_id, started)
        self.row(session, member_id, started, on=True)

    def ended(self, session: LiveSession) -> None:
        held = self.live.local.pop(session, None)
        if held is not None:
            self.row(session, held[0], held[1], on=False)

    def count_of(self, member_id: int) -> int:
        here = sum(1 for owner, _ in self.live.local.values() if owner == member_id)
        return here + len(self.live.remote_of(member_id))

    def _mine(self, member_id: int) -> list[LiveSession]:
        return [s for s, (owner, _) in self.live.local.items() if owner == member_id]

    async def _elsewhere(self, member_id: int) -> list[_Remote]:
        """The member's sessions on other nodes, read from the table (else the mirror)."""
        try:
            rows = await self.live.execute(_SESSIONS_OF, {"member": member_id})
        except psycopg.Error:
            return self.live.remote_of(member_id)
        now = time.monotonic()
        return [
            _Remote(node, SessionInfo(sid, started, width, height), now)
            for node, sid, _member, started, width, height, _age in rows
            if node != self.live.node
        ]

    async def sessions_of(self, member_id: int) -> list[SessionInfo]:
        found = [replace(s.info(), started_at=self.live.local[s][1]) for s in self._mine(member_id)]
        found += [r.info for r in await self._elsewhere(member_id)]
        return sorted(found, key=lambda info: info.started_at)

    def end_here(self, member_id: int, session_id: str, farewell: str) -> int:
        """End this node's sessions of the member (one, or all with no id); how many."""
        mine = [s for s in self._mine(member_id) if session_id in ("", s.session_id)]
        for session in mine:
            session.goodbye(farewell)
        return len(mine)

    async def end_session(self, member_id: int, session_id: str, farewell: str) -> bool:
        if self.end_here(member_id, session_id, farewell):
            return True
        if not any(r.info.session_id == session_id for r in await self._elsewhere(member_id)):
            return False
        self.live.publish(EndSessions(self.live.node, member_id, session_id, farewell))
        return True

    async def end_member_sessions(self, member_id: int, farewell: str) -> int:
        ended = self.end_here(member_id, "", farewell)
        elsewhere = await self._elsewhere(member_id)
        if elsewhere:
            self.live.publish(EndSessions(self.live.node, member_id, "", farewell))
        return ended + len(elsewhere)

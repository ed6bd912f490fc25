"""The live-sessions port in one process: the per-member count, the list, ending sessions."""

from __future__ import annotations

from datetime import timedelta

from bbs.accounts.sessions import LocalSessions, SessionInfo
from bbs.clock import ManualClock
from bbs.models import utcnow


class FakeSession:
    def __init__(self, session_id: str, width: int = 80, height: int = 24) -> None:
        self.session_id = session_id
        self.size = (width, height)
        self.farewells: list[str] = []

    def info(self) -> SessionInfo:
        # The server's own idea of when it started is not what the list shows.
        return SessionInfo(self.session_id, utcnow() - timedelta(days=9), *self.size)

    def goodbye(self, line: str) -> None:
        self.farewells.append(line)


async def test_a_member_is_counted_once_per_session_however_often_told() -> None:
    sessions = LocalSessions(ManualClock())
    one, two = FakeSession("one"), FakeSession("two")
    sessions.arrived(one, 7)
    sessions.arrived(one, 7)  # signed up, then the app started: one session still
    sessions.arrived(two, 7)
    assert sessions.count_of(7) == 2
    assert sessions.count_of(8) == 0
    sessions.ended(one)
    sessions.ended(one)  # ended twice (the app, then the connection): counted out once
    assert sessions.count_of(7) == 1
    sessions.ended(FakeSession("never a member's"))
    sessions.ended(two)
    assert sessions.count_of(7) == 0
    assert await sessions.sessions_of(7) == []


async def test_sessions_are_listed_oldest_first_with_the_time_the_clock_gave() -> None:
    clock = ManualClock()
    sessions = LocalSessions(clock)
    start = clock.now()
    sessions.arrived(FakeSession("later", 120, 40), 7)
    clock.advance(-60)  # the list is ordered by when each arrived, not by when it was told
    sessions.arrived(FakeSession("earlier"), 7)
    listed = await sessions.sessions_of(7)
    assert [(s.session_id, s.started_at, s.width) for s in listed] == [
        ("earlier", start - timedelta(seconds=60), 80),
        ("later", start, 120),
    ]


async def test_only_the_members_own_sessions_are_ended() -> None:
    sessions = LocalSessions(ManualClock())
    mine, theirs, also_mine = FakeSession("a"), FakeSession("b"), FakeSession("c")
    sessions.arrived(mine, 7)
    sessions.arrived(theirs, 8)
    sessions.arrived(also_mine, 7)
    assert not await sessions.end_session(7, "b", "bye")
    assert not await sessions.end_session(7, "zz", "bye")
    assert await sessions.end_session(7, "a", "bye")
    assert (mine.farewells, theirs.farewells) == (["bye"], [])
    assert await sessions.end_member_sessions(7, "deleted") == 2
    assert also_mine.farewells == ["deleted"] and theirs.farewells == []

"""Who is connected now: the live-sessions port (the per-member cap, a member's own
session list, ending a session) and its in-process form."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from bbs.clock import Clock
from bbs.i18n import said


# What the door says to someone it turns away after login, in their language (the
# server says it with bbs.i18n.localise; these live here so the catalogues hold them).
def server_full() -> str:
    return said("The BBS is full right now. Please try again in a few minutes.")


def too_many_sessions(count: int) -> str:
    return said("You already have {count} sessions open here; please close one first.", count=count)


@dataclass(frozen=True)
class SessionInfo:
    """One live session of a member, as the privacy screen lists it."""

    session_id: str
    started_at: datetime
    width: int
    height: int


class LiveSession(Protocol):
    """One connected session, as the server holds it: what the registry may ask of it."""

    @property
    def session_id(self) -> str: ...

    def info(self) -> SessionInfo:
        """Its line in the member's session list (its size now)."""
        ...

    def goodbye(self, line: str) -> None:
        """End it, leaving `line` on the member's terminal."""
        ...


class LiveSessions(Protocol):
    """Every member's live sessions.

    Counting a session in and out, and the count the door checks, are sync: asyncssh's
    `session_requested` and `connection_lost` cannot wait, nor can the screen that signs
    a member up. A shared implementation (several nodes) records them behind and counts
    from this node's sessions and its copy of the other nodes' (bbs.presence_postgres).
    Listing and ending sessions are async: a shared implementation reads the database and
    asks the node that holds a session to end it.
    """

    def arrived(self, session: LiveSession, member_id: int) -> None:
        """The session belongs to this member from now (counted once, however often told)."""
        ...

    def ended(self, session: LiveSession) -> None:
        """The session is over (or was never a member's)."""
        ...

    def count_of(self, member_id: int) -> int:
        """How many sessions the member has open (the door's per-member cap)."""
        ...

    async def sessions_of(self, member_id: int) -> list[SessionInfo]:
        """The member's own sessions, oldest first."""
        ...

    async def end_session(self, member_id: int, session_id: str, farewell: str) -> bool:
        """End one of the member's sessions (never anyone else's); False if it is gone."""
        ...

    async def end_member_sessions(self, member_id: int, farewell: str) -> int:
        """End every session of the member (the account was deleted); how many there were."""
        ...


class LocalSessions:
    """The sessions this process holds (one node)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._members: dict[LiveSession, int] = {}
        self._started: dict[LiveSession, datetime] = {}
        self._per_member: dict[int, int] = {}

    def arrived(self, session: LiveSession, member_id: int) -> None:
        if session in self._members:
            return
        self._members[session] = member_id
        self._started[session] = self._clock.now()
        self._per_member[member_id] = self._per_member.get(member_id, 0) + 1

    def ended(self, session: LiveSession) -> None:
        member_id = self._members.pop(session, None)
        self._started.pop(session, None)
        if member_id is None:
            return
        left = self._per_member[member_id] - 1
        if left > 0:
            self._per_member[member_id] = left
        else:
            del self._per_member[member_id]

    def count_of(self, member_id: int) -> int:
        return self._per_member.get(member_id, 0)

    def _mine(self, member_id: int) -> list[LiveSession]:
        return [s for s, owner in self._members.items() if owner == member_id]

    async def sessions_of(self, member_id: int) -> list[SessionInfo]:
        found = [replace(s.info(), started_at=self._started[s]) for s in self._mine(member_id)]
        return sorted(found, key=lambda info: info.started_at)

    async def end_session(self, member_id: int, session_id: str, farewell: str) -> bool:
        for session in self._mine(member_id):
            if session.session_id == session_id:
                session.goodbye(farewell)
                return True
        return False

    async def end_member_sessions(self, member_id: int, farewell: str) -> int:
        mine = self._mine(member_id)
        for session in mine:
            session.goodbye(farewell)
        return len(mine)

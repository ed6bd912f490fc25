"""Who is in which room, away or appearing offline: the presence port and its in-process form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bbs.clock import Clock


@dataclass
class PresenceEntry:
    """One member in one room; several sessions of the same member count once."""

    member_id: int
    name: str
    # When the member's first session here came in (this entry's age, for a shared store
    # that must tell a live entry from one a dead node left behind).
    since: datetime
    sessions: int = 0
    away: bool = False
    away_note: str = ""
    hidden: bool = False


class Presence(Protocol):
    """Who is in which room.

    Changes are async: a shared implementation (several nodes) records them. Reads are
    sync because screens read presence while they draw, in timer callbacks that cannot
    await; a shared implementation answers them from its own view, which the presence
    events on the bus keep current.
    """

    async def join(self, room_id: int, member_id: int, name: str, *, hidden: bool) -> bool:
        """Count a session in; True if it is the member's first session in the room."""
        ...

    async def leave(self, room_id: int, member_id: int) -> bool:
        """Count a session out; True if that was the member's last session in the room."""
        ...

    async def set_away(self, room_id: int, member_id: int, away: bool, note: str = "") -> None:
        """Mark the member away (with a short note) or back, in one room."""
        ...

    async def set_hidden(self, member_id: int, hidden: bool) -> list[int]:
        """Apply an appear-offline choice everywhere; returns the rooms it changed."""
        ...

    def entry(self, room_id: int, member_id: int) -> PresenceEntry | None:
        """The member's entry in the room, if they are in it."""
        ...

    def who(self, room_id: int, *, include_hidden: bool = False) -> list[PresenceEntry]:
        """Members in the room, by name; members appearing offline are left out."""
        ...

    def count(self, room_id: int) -> int:
        """How many members are listed in the room."""
        ...


class LocalPresence:
    """Presence kept in this process's memory (one node)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._rooms: dict[int, dict[int, PresenceEntry]] = {}

    async def join(self, room_id: int, member_id: int, name: str, *, hidden: bool) -> bool:
        room = self._rooms.setdefault(room_id, {})
        entry = room.get(member_id)
        first = entry is None
        if entry is None:
            entry = room[member_id] = PresenceEntry(member_id, name, self._clock.now())
        entry.sessions += 1
        entry.hidden = hidden
        return first

    async def leave(self, room_id: int, member_id: int) -> bool:
        room = self._rooms.get(room_id)
        entry = room.get(member_id) if room else None
        if room is None or entry is None:
            return False
        entry.sessions -= 1
        if entry.sessions > 0:
            return False
        del room[member_id]
        if not room:
            del self._rooms[room_id]
        return True

    async def set_away(self, room_id: int, member_id: int, away: bool, note: str = "") -> None:
        entry = self._rooms.get(room_id, {}).get(member_id)
        if entry is not None:
            entry.away = away
            entry.away_note = note if away else ""

    async def set_hidden(self, member_id: int, hidden: bool) -> list[int]:
        changed = []
        for room_id, room in self._rooms.items():
            entry = room.get(member_id)
            if entry is not None and entry.hidden != hidden:
                entry.hidden = hidden
                changed.append(room_id)
        return changed

    def entry(self, room_id: int, member_id: int) -> PresenceEntry | None:
        return self._rooms.get(room_id, {}).get(member_id)

    def who(self, room_id: int, *, include_hidden: bool = False) -> list[PresenceEntry]:
        entries = self._rooms.get(room_id, {}).values()
        return sorted(
            (e for e in entries if include_hidden or not e.hidden), key=lambda e: e.name.casefold()
        )

    def count(self, room_id: int) -> int:
        # Every reader of every line may ask: counted, not sorted by name as `who` is.
        return sum(not e.hidden for e in self._rooms.get(room_id, {}).values())

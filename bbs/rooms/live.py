"""What rooms keep in memory per process: presence (who is here, away, hidden) and flood control."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

from bbs.rooms.records import MAX_LINE_CHARS


@dataclass
class PresenceEntry:
    """One member in one room; several sessions of the same member count once."""

    member_id: int
    name: str
    sessions: int = 0
    away: bool = False
    away_note: str = ""
    hidden: bool = False


class Presence:
    """Who is in which room, in this process (a multi-node host shares it over the bus)."""

    def __init__(self) -> None:
        self._rooms: dict[int, dict[int, PresenceEntry]] = {}

    def join(self, room_id: int, member_id: int, name: str, *, hidden: bool) -> bool:
        """Count a session in; True if it is the member's first session in the room."""
        room = self._rooms.setdefault(room_id, {})
        entry = room.get(member_id)
        first = entry is None
        if entry is None:
            entry = room[member_id] = PresenceEntry(member_id, name)
        entry.sessions += 1
        entry.hidden = hidden
        return first

    def leave(self, room_id: int, member_id: int) -> bool:
        """Count a session out; True if that was the member's last session in the room."""
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

    def set_away(self, room_id: int, member_id: int, away: bool, note: str = "") -> None:
        entry = self._rooms.get(room_id, {}).get(member_id)
        if entry is not None:
            entry.away = away
            entry.away_note = note if away else ""

    def set_hidden(self, member_id: int, hidden: bool) -> list[int]:
        """Apply an appear-offline choice everywhere; returns the rooms it changed."""
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
        """Members in the room, by name; members appearing offline are left out."""
        entries = self._rooms.get(room_id, {}).values()
        return sorted(
            (e for e in entries if include_hidden or not e.hidden), key=lambda e: e.name.casefold()
        )

    def count(self, room_id: int) -> int:
        return len(self.who(room_id))


class FloodReason(StrEnum):
    """Why a line was not accepted."""

    OK = "ok"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    DUPLICATE = "duplicate"
    SLOW_MODE = "slow_mode"
    THROTTLED = "throttled"
    # Kept sending after being asked to wait: muted in every room for a short while.
    COOLING_OFF = "cooling_off"


@dataclass(frozen=True)
class FloodVerdict:
    reason: FloodReason
    retry_after: float = 0.0

    @property
    def ok(self) -> bool:
        return self.reason is FloodReason.OK


@dataclass
class TokenBucket:
    """`capacity` lines at once, refilled at `rate` lines a second."""

    capacity: float
    rate: float
    tokens: float = -1.0
    stamp: float = 0.0

    def wait_time(self, now: float) -> float:
        """Seconds until a token is free (0 if one is free now); takes nothing."""
        self._refill(now)
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1.0

    def _refill(self, now: float) -> None:
        if self.tokens < 0.0 and self.stamp == 0.0:
            self.tokens = self.capacity
        else:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now


@dataclass
class _MemberFlood:
    bucket: TokenBucket
    recent: deque[tuple[float, str]] = field(default_factory=lambda: deque(maxlen=4))
    last_in_room: dict[int, float] = field(default_factory=dict)
    # When recent lines were refused for coming too fast or repeating (a bounded window).
    refusals: deque[float] = field(default_factory=deque)
    cooling_until: float = 0.0
    # The room of the last accepted line and when the member spoke there before it: what
    # `unsay` puts back.
    undo_room: tuple[int, float | None] | None = None


class FloodControl:
    """Per-member token bucket, duplicate suppression, a length limit and per-room slow mode.

    A member who keeps sending after being asked to wait (`refusal_limit` refused lines
    within `refusal_seconds`) is muted in every room for `cool_off_seconds`: their lines
    are then refused at once, before any other work, and they are told so once.
    """

    def __init__(
        self,
        *,
        lines: int = 5,
        per_seconds: float = 10.0,
        duplicate_seconds: float = 60.0,
        max_chars: int = MAX_LINE_CHARS,
        refusal_limit: int = 20,
        refusal_seconds: float = 60.0,
        cool_off_seconds: float = 300.0,
    ) -> None:
        self.lines = lines
        self.per_seconds = per_seconds
        self.duplicate_seconds = duplicate_seconds
        self.max_chars = max_chars
        self.refusal_limit = refusal_limit
        self.refusal_seconds = refusal_seconds
        self.cool_off_seconds = cool_off_seconds
        self._members: dict[int, _MemberFlood] = {}

    def _state(self, member_id: int) -> _MemberFlood:
        state = self._members.get(member_id)
        if state is None:
            state = self._members[member_id] = _MemberFlood(
                TokenBucket(float(self.lines), self.lines / self.per_seconds)
            )
        return state

    def check(
        self,
        member_id: int,
        room_id: int,
        text: str,
        *,
        slow_mode_seconds: int = 0,
        exempt_from_slow_mode: bool = False,
        now: float | None = None,
    ) -> FloodVerdict:
        """Accept (and count) a line, or say why not and when to try again."""
        now = time.monotonic() if now is None else now
        stripped = text.strip()
        if not stripped:
            return FloodVerdict(FloodReason.EMPTY)
        if len(text) > self.max_chars:
            return FloodVerdict(FloodReason.TOO_LONG)
        state = self._state(member_id)
        if now < state.cooling_until:
            return FloodVerdict(FloodReason.COOLING_OFF, state.cooling_until - now)
        key = " ".join(stripped.casefold().split())
        for at, said in state.recent:
            if said == key and now - at < self.duplicate_seconds:
                return self._refused(
                    state,
                    now,
                    FloodVerdict(FloodReason.DUPLICATE, self.duplicate_seconds - (now - at)),
                )
        if slow_mode_seconds > 0 and not exempt_from_slow_mode:
            last = state.last_in_room.get(room_id)
            if last is not None and now - last < slow_mode_seconds:
                return FloodVerdict(FloodReason.SLOW_MODE, slow_mode_seconds - (now - last))
        wait = state.bucket.wait_time(now)
        if wait > 0:
            return self._refused(state, now, FloodVerdict(FloodReason.THROTTLED, wait))
        state.bucket.take(now)
        state.recent.append((now, key))
        state.undo_room = (room_id, state.last_in_room.get(room_id))
        state.last_in_room[room_id] = now
        return FloodVerdict(FloodReason.OK)

    def _refused(self, state: _MemberFlood, now: float, verdict: FloodVerdict) -> FloodVerdict:
        refusals = state.refusals
        refusals.append(now)
        while refusals and now - refusals[0] > self.refusal_seconds:
            refusals.popleft()
        if len(refusals) < self.refusal_limit:
            return verdict
        refusals.clear()
        state.cooling_until = now + self.cool_off_seconds
        return FloodVerdict(FloodReason.COOLING_OFF, self.cool_off_seconds)

    def unsay(self, member_id: int, text: str) -> None:
        """A line accepted here but then refused (a mute) or not saved was not said.

        The same line may be sent again; it takes no share of the member's pace, and the
        room's slow mode counts from the line before it.
        """
        state = self._members.get(member_id)
        if state is None:
            return
        key = " ".join(text.strip().casefold().split())
        if not any(item[1] == key for item in state.recent):
            return
        state.recent = deque(
            (item for item in state.recent if item[1] != key), maxlen=state.recent.maxlen
        )
        bucket = state.bucket
        bucket.tokens = min(bucket.capacity, bucket.tokens + 1.0)
        if state.undo_room is not None:
            room_id, before = state.undo_room
            state.undo_room = None
            if before is None:
                state.last_in_room.pop(room_id, None)
            else:
                state.last_in_room[room_id] = before

    def forget_idle(self, older_than: float = 3600.0, now: float | None = None) -> None:
        """Drop state of members who have not spoken for a while (bounded memory)."""
        now = time.monotonic() if now is None else now
        for member_id in [
            m
            for m, s in self._members.items()
            if now - s.bucket.stamp > older_than and now >= s.cooling_until
        ]:
            del self._members[member_id]

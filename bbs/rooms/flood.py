"""Flood control for room lines: the rate-limit port rooms use and its in-process form."""

from __future__ import annotations

from collections import deque
from dataclasses import KW_ONLY, dataclass, field
from enum import StrEnum
from typing import Protocol, TypedDict

from bbs.clock import Clock
from bbs.rooms.records import MAX_LINE_CHARS


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


@dataclass(frozen=True)
class LineAttempt:
    """A line a member wants to say in a room, with the room's slow mode as it applies to
    them: what flood control checks."""

    member_id: int
    room_id: int
    text: str
    _: KW_ONLY
    slow_mode_seconds: int = 0
    # Hosts and moderators steer the room: slow mode does not hold them back.
    exempt_from_slow_mode: bool = False


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


# A member's last lines, checked for repeats.
RECENT_LINES = 4


def repeat_key(text: str) -> str:
    """What counts as the same line: case and spacing aside."""
    return " ".join(text.strip().casefold().split())


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


class RoomFlood(Protocol):
    """How fast, how long and how often a member may speak in the rooms.

    Async: a shared implementation (several nodes) keeps a member's pace in the database,
    so a member with sessions on two nodes still gets one pace.
    """

    # The longest line accepted (a setting, not state: read without waiting).
    max_chars: int

    async def check(self, line: LineAttempt) -> FloodVerdict:
        """Accept (and count) a line, or say why not and when to try again."""
        ...

    async def unsay(self, member_id: int, text: str) -> None:
        """A line accepted but then refused (a mute) or not saved was not said."""
        ...

    async def forget_idle(self, older_than: float = 3600.0) -> None:
        """Drop what is kept about members who have not spoken for a while."""
        ...

    async def close(self) -> None: ...


class FloodLimits(TypedDict, total=False):
    """`FloodControl`'s settings, for a flood control that keeps one (`PostgresFlood`)."""

    lines: int
    per_seconds: float
    duplicate_seconds: float
    max_chars: int
    refusal_limit: int
    refusal_seconds: float
    cool_off_seconds: float


@dataclass(eq=False)
class FloodControl:
    """Room flood control in this process's memory (one node).

    Per-member token bucket, duplicate suppression, a length limit and per-room slow mode.

    A member who keeps sending after being asked to wait (`refusal_limit` refused lines
    within `refusal_seconds`) is muted in every room for `cool_off_seconds`: their lines
    are then refused at once, before any other work, and they are told so once.
    """

    clock: Clock
    _: KW_ONLY
    lines: int = 5
    per_seconds: float = 10.0
    duplicate_seconds: float = 60.0
    max_chars: int = MAX_LINE_CHARS
    refusal_limit: int = 20
    refusal_seconds: float = 60.0
    cool_off_seconds: float = 300.0
    _members: dict[int, _MemberFlood] = field(default_factory=dict, init=False, repr=False)

    def _state(self, member_id: int) -> _MemberFlood:
        state = self._members.get(member_id)
        if state is None:
            state = self._members[member_id] = _MemberFlood(
                TokenBucket(float(self.lines), self.lines / self.per_seconds),
                recent=deque(maxlen=RECENT_LINES),
            )
        return state

    async def check(self, line: LineAttempt) -> FloodVerdict:
        """Accept (and count) a line, or say why not and when to try again."""
        now = self.clock.monotonic()
        stripped = line.text.strip()
        if not stripped:
            return FloodVerdict(FloodReason.EMPTY)
        if len(line.text) > self.max_chars:
            return FloodVerdict(FloodReason.TOO_LONG)
        state = self._state(line.member_id)
        if now < state.cooling_until:
            return FloodVerdict(FloodReason.COOLING_OFF, state.cooling_until - now)
        key = repeat_key(stripped)
        for at, said in state.recent:
            if said == key and now - at < self.duplicate_seconds:
                return self._refused(
                    state,
                    now,
                    FloodVerdict(FloodReason.DUPLICATE, self.duplicate_seconds - (now - at)),
                )
        slow = line.slow_mode_seconds
        if slow > 0 and not line.exempt_from_slow_mode:
            last = state.last_in_room.get(line.room_id)
            if last is not None and now - last < slow:
                return FloodVerdict(FloodReason.SLOW_MODE, slow - (now - last))
        wait = state.bucket.wait_time(now)
        if wait > 0:
            return self._refused(state, now, FloodVerdict(FloodReason.THROTTLED, wait))
        state.bucket.take(now)
        state.recent.append((now, key))
        state.undo_room = (line.room_id, state.last_in_room.get(line.room_id))
        state.last_in_room[line.room_id] = now
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

    async def unsay(self, member_id: int, text: str) -> None:
        """A line accepted here but then refused (a mute) or not saved was not said.

        The same line may be sent again; it takes no share of the member's pace, and the
        room's slow mode counts from the line before it.
        """
        state = self._members.get(member_id)
        if state is None:
            return
        key = repeat_key(text)
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

    async def forget_idle(self, older_than: float = 3600.0) -> None:
        """Drop state of members who have not spoken for a while (bounded memory)."""
        now = self.clock.monotonic()
        for member_id in [
            m
            for m, s in self._members.items()
            if now - s.bucket.stamp > older_than and now >= s.cooling_until
        ]:
            del self._members[member_id]

    async def close(self) -> None:
        pass

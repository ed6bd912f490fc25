"""Per-source throttles at the door: failed logins, unauthenticated connections, sign-ups.

Failed logins and sign-ups go through `DoorThrottle`, the rate-limit port (in-process
here; several nodes share one). Unauthenticated connections are this process's own
sockets, so `LoginGuard` counts them itself.

Sources are kept only as a salted hash: no IP address is stored anywhere. One node keeps
the salt in memory, gone on restart; several nodes share an hourly salt in an UNLOGGED
table (`bbs.accounts.door_postgres`), so that an address hashes the same on every node.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bbs.clock import Clock
from bbs.config import LoginLimits
from bbs.i18n import said

# Bound the memory an attacker can make us spend on remembering sources.
MAX_TRACKED_SOURCES = 50_000


@dataclass(frozen=True)
class Admission:
    """Whether a new connection may start authenticating, and if not, why."""

    allowed: bool
    reason: str = ""
    # Hand back to finished_authenticating(): names this connection's slot.
    ticket: int = 0


class LoginGuard:
    """OpenSSH-style MaxStartups in memory, with the door's throttles (`DoorThrottle`).

    Admitting a connection is sync: asyncssh's `connection_made` cannot wait, and the
    connections counted are this process's own.
    """

    def __init__(
        self,
        limits: LoginLimits,
        *,
        throttle: DoorThrottle,
        rng: random.Random | None = None,
    ) -> None:
        self.limits = limits
        self._throttle = throttle
        self._rng = rng or random.Random()
        self._unauthenticated: dict[str, int] = {}
        # Each admitted connection's slot, oldest first per source, with how to end it.
        self._slots: dict[str, dict[int, Callable[[], None] | None]] = {}
        self._next_ticket = 0
        self.unauthenticated_total = 0

    def source_key(self, address: str) -> str:
        """A short, salted name for a source address (the throttle's salt)."""
        return self._throttle.source_key(address)

    # -- unauthenticated connections (MaxStartups start:rate:full) ------------------
    def admit(self, source: str, on_evict: Callable[[], None] | None = None) -> Admission:
        """Decide whether a new connection from this source may try to log in.

        OpenSSH's MaxStartups alone lets a few addresses that open connections and say
        nothing lock everyone else out. So a source with no connection waiting gets a
        fair share: while another source holds two or more slots, it is admitted, and
        if every slot is taken the hoarder's oldest connection is ended (`on_evict`,
        given when that connection was admitted) to make room. The caps still hold.
        A source that failed too often is turned away by `penalised`, once it can wait.
        """
        limits = self.limits
        held = self._unauthenticated.get(source, 0)
        if held >= limits.unauthenticated_per_source:
            return Admission(False, said("too many connections from your address are logging in"))
        total = self.unauthenticated_total
        hoarder = self._hoarder() if held == 0 and total >= limits.startups_begin else None
        if hoarder is not None and total >= limits.startups_full:
            if not self._evict_oldest(hoarder):
                hoarder = None
        if hoarder is None:
            if total >= limits.startups_full:
                return Admission(False, said("the server is busy; please try again in a minute"))
            if total >= limits.startups_begin:
                span = max(1, limits.startups_full - limits.startups_begin)
                drop = limits.startups_rate + (100 - limits.startups_rate) * (
                    (total - limits.startups_begin) / span
                )
                if self._rng.random() * 100 < drop:
                    return Admission(
                        False, said("the server is busy; please try again in a minute")
                    )
        self._unauthenticated[source] = held + 1
        self.unauthenticated_total += 1
        self._next_ticket += 1
        self._slots.setdefault(source, {})[self._next_ticket] = on_evict
        return Admission(True, ticket=self._next_ticket)

    def _hoarder(self) -> str | None:
        """The source holding the most slots, if it holds two or more."""
        if not self._unauthenticated:
            return None
        source, count = max(self._unauthenticated.items(), key=lambda item: item[1])
        return source if count >= 2 else None

    def _evict_oldest(self, source: str) -> bool:
        """End the oldest connection from `source` that can be ended; False if none can."""
        slots = self._slots.get(source, {})
        ticket = next((t for t, end in slots.items() if end is not None), None)
        if ticket is None:
            return False
        end = slots[ticket]
        self._release(source, ticket)
        assert end is not None
        end()
        return True

    def finished_authenticating(self, source: str, ticket: int | None = None) -> None:
        """A connection admitted by admit() has logged in or gone away.

        With its ticket, a slot already given up (the connection was evicted) is not
        counted twice; without one, any slot of that source is released.
        """
        slots = self._slots.get(source, {})
        if ticket is None:
            ticket = next(iter(slots), None)
        elif ticket not in slots:
            return
        self._release(source, ticket)

    def _release(self, source: str, ticket: int | None) -> None:
        slots = self._slots.get(source)
        if slots is not None and ticket is not None:
            slots.pop(ticket, None)
            if not slots:
                del self._slots[source]
        count = self._unauthenticated.get(source, 0)
        if count <= 1:
            self._unauthenticated.pop(source, None)
        else:
            self._unauthenticated[source] = count - 1
        self.unauthenticated_total = max(0, self.unauthenticated_total - 1)

    # -- the throttles (DoorThrottle), for the door's callers --------------------------
    async def penalised(self, source: str) -> str:
        """Why this source may not try now (it failed too often), or "" if it may."""
        if await self._throttle.penalty(source) >= self.limits.max_penalty_seconds:
            return said("too many failed logins from your address; wait a little")
        return ""

    async def penalty(self, source: str) -> float:
        return await self._throttle.penalty(source)

    async def record_failure(self, source: str) -> None:
        await self._throttle.record_failure(source)

    async def signup_allowed(self, source: str) -> bool:
        return await self._throttle.signup_allowed(source)

    async def record_signup(self, source: str) -> None:
        await self._throttle.record_signup(source)


class DoorThrottle(Protocol):
    """The door's rate limits per source: failed logins and sign-ups.

    Async: a shared implementation (several nodes) counts them in the database, so a
    source cannot spread its guesses over the nodes.
    """

    def source_key(self, address: str) -> str:
        """A short, salted, one-way name for a source address (sync: the door cannot wait)."""
        ...

    async def start(self) -> None:
        """Get ready on the running loop (a shared salt is fetched here)."""
        ...

    async def close(self) -> None: ...

    async def record_failure(self, source: str) -> None:
        """One failed login (a wrong password or recovery code) from the source."""
        ...

    async def penalty(self, source: str) -> float:
        """Seconds to wait before answering this source: doubles per failure past the free ones."""
        ...

    async def signup_allowed(self, source: str) -> bool:
        """Whether the source may make another account this hour."""
        ...

    async def record_signup(self, source: str) -> None:
        """An account was made from the source."""
        ...


class LocalDoorThrottle:
    """The door's rate limits in this process's memory (one node)."""

    def __init__(self, limits: LoginLimits, clock: Clock) -> None:
        self.limits = limits
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._signups: dict[str, deque[float]] = {}
        # In memory for this process only, gone on restart.
        self._salt = secrets.token_bytes(16)

    def source_key(self, address: str) -> str:
        return hashlib.blake2b(address.encode(), key=self._salt, digest_size=12).hexdigest()

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    def _recent(self, table: dict[str, deque[float]], source: str, window: float) -> deque[float]:
        now = self._clock.monotonic()
        entries = table.get(source)
        if entries is None:
            if len(table) >= MAX_TRACKED_SOURCES:
                self._prune(table, window)
            entries = table[source] = deque(maxlen=256)
        while entries and now - entries[0] > window:
            entries.popleft()
        return entries

    def _prune(self, table: dict[str, deque[float]], window: float) -> None:
        now = self._clock.monotonic()
        stale = [k for k, v in table.items() if not v or now - v[-1] > window]
        for key in stale:
            del table[key]
        if len(table) >= MAX_TRACKED_SOURCES:
            # Still full of fresh entries: forget the oldest half rather than grow.
            for key in list(table)[: len(table) // 2]:
                del table[key]

    # -- failed logins (PerSourcePenalties) --------------------------------------------
    async def record_failure(self, source: str) -> None:
        self._recent(self._failures, source, self.limits.failure_memory_seconds).append(
            self._clock.monotonic()
        )

    async def penalty(self, source: str) -> float:
        entries = self._failures.get(source)
        if not entries:
            return 0.0
        count = len(self._recent(self._failures, source, self.limits.failure_memory_seconds))
        excess = count - self.limits.free_failures_per_source
        if excess <= 0:
            return 0.0
        return float(min(self.limits.max_penalty_seconds, 0.5 * 2 ** (excess - 1)))

    # -- sign-ups -----------------------------------------------------------------------
    async def signup_allowed(self, source: str) -> bool:
        entries = self._recent(self._signups, source, 3600.0)
        return len(entries) < self.limits.signups_per_source_per_hour

    async def record_signup(self, source: str) -> None:
        self._recent(self._signups, source, 3600.0).append(self._clock.monotonic())

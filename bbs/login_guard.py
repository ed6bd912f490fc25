"""Per-source throttles at the door: failed logins, unauthenticated connections, sign-ups.

Sources are kept only as a salted hash that lives in memory for this process: no IP
address is stored anywhere, and the salt is gone on restart.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bbs.config import LoginLimits

# Bound the memory an attacker can make us spend on remembering sources.
MAX_TRACKED_SOURCES = 50_000


@dataclass(frozen=True)
class Admission:
    """Whether a new connection may start authenticating, and if not, why."""

    allowed: bool
    reason: str = ""


class LoginGuard:
    """OpenSSH-style MaxStartups, PerSourcePenalties and a sign-up rate, in memory."""

    def __init__(
        self,
        limits: LoginLimits,
        *,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.limits = limits
        self._clock = clock
        self._rng = rng or random.Random()
        self._salt = secrets.token_bytes(16)
        self._failures: dict[str, deque[float]] = {}
        self._signups: dict[str, deque[float]] = {}
        self._unauthenticated: dict[str, int] = {}
        self.unauthenticated_total = 0

    def source_key(self, address: str) -> str:
        """A short, salted, in-memory-only name for a source address."""
        return hashlib.blake2b(address.encode(), key=self._salt, digest_size=12).hexdigest()

    # -- unauthenticated connections (MaxStartups start:rate:full) ------------------
    def admit(self, source: str) -> Admission:
        """Decide whether a new connection from this source may try to log in."""
        limits = self.limits
        if self._unauthenticated.get(source, 0) >= limits.unauthenticated_per_source:
            return Admission(False, "too many connections from your address are logging in")
        total = self.unauthenticated_total
        if total >= limits.startups_full:
            return Admission(False, "the server is busy; please try again in a minute")
        if total >= limits.startups_begin:
            span = max(1, limits.startups_full - limits.startups_begin)
            drop = limits.startups_rate + (100 - limits.startups_rate) * (
                (total - limits.startups_begin) / span
            )
            if self._rng.random() * 100 < drop:
                return Admission(False, "the server is busy; please try again in a minute")
        if self.penalty(source) >= limits.max_penalty_seconds:
            return Admission(False, "too many failed logins from your address; wait a little")
        self._unauthenticated[source] = self._unauthenticated.get(source, 0) + 1
        self.unauthenticated_total += 1
        return Admission(True)

    def finished_authenticating(self, source: str) -> None:
        """A connection admitted by admit() has logged in or gone away."""
        count = self._unauthenticated.get(source, 0)
        if count <= 1:
            self._unauthenticated.pop(source, None)
        else:
            self._unauthenticated[source] = count - 1
        self.unauthenticated_total = max(0, self.unauthenticated_total - 1)

    # -- failed logins (PerSourcePenalties) --------------------------------------------
    def _recent(self, table: dict[str, deque[float]], source: str, window: float) -> deque[float]:
        now = self._clock()
        entries = table.get(source)
        if entries is None:
            if len(table) >= MAX_TRACKED_SOURCES:
                self._prune(table, window)
            entries = table[source] = deque(maxlen=256)
        while entries and now - entries[0] > window:
            entries.popleft()
        return entries

    def _prune(self, table: dict[str, deque[float]], window: float) -> None:
        now = self._clock()
        stale = [k for k, v in table.items() if not v or now - v[-1] > window]
        for key in stale:
            del table[key]
        if len(table) >= MAX_TRACKED_SOURCES:
            # Still full of fresh entries: forget the oldest half rather than grow.
            for key in list(table)[: len(table) // 2]:
                del table[key]

    def record_failure(self, source: str) -> None:
        self._recent(self._failures, source, self.limits.failure_memory_seconds).append(
            self._clock()
        )

    def penalty(self, source: str) -> float:
        """Seconds to wait before answering this source: doubles per failure past the free ones."""
        entries = self._failures.get(source)
        if not entries:
            return 0.0
        count = len(self._recent(self._failures, source, self.limits.failure_memory_seconds))
        excess = count - self.limits.free_failures_per_source
        if excess <= 0:
            return 0.0
        return float(min(self.limits.max_penalty_seconds, 0.5 * 2 ** (excess - 1)))

    # -- sign-ups -----------------------------------------------------------------------
    def signup_allowed(self, source: str) -> bool:
        entries = self._recent(self._signups, source, 3600.0)
        return len(entries) < self.limits.signups_per_source_per_hour

    def record_signup(self, source: str) -> None:
        self._recent(self._signups, source, 3600.0).append(self._clock())

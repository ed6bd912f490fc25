"""The time, as a port: services that read it take a clock, so a test can set it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Protocol

from bbs.models import utcnow


class Clock(Protocol):
    def now(self) -> datetime:
        """The wall time, in UTC (for what is stored and shown)."""
        ...

    def monotonic(self) -> float:
        """Seconds that only go forward (for intervals and rate limits)."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return utcnow()

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told (tests and benchmarks drive time with it)."""

    def __init__(self, now: datetime | None = None, monotonic: float = 1000.0) -> None:
        self._now = now or utcnow()
        self._monotonic = monotonic

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def set(self, monotonic: float) -> None:
        """Jump the monotonic time (and the wall time with it) to `monotonic`."""
        self.advance(monotonic - self._monotonic)

    def advance(self, seconds: float) -> None:
        self._monotonic += seconds
        self._now += timedelta(seconds=seconds)

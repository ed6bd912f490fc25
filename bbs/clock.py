"""The time, as a port: services that read it take a clock, so a test can set it."""

from __future__ import annotations

import time
from datetime import datetime
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

"""A token bucket on the clock port: a burst of `capacity`, refilled at `rate` a second.

One shape for every rate limit that counts per connection (the SSH door's input bytes
and key events, in the full screen and in line mode). The bucket reads the time from the
clock it is given, so a test moves it with `bbs.clock.ManualClock`.
"""

from __future__ import annotations

from bbs.clock import Clock


class TokenBucket:
    """Starts full; `take(n)` spends n tokens if there are that many, else spends none."""

    __slots__ = ("_clock", "_stamp", "capacity", "rate", "tokens")

    def __init__(self, capacity: float, rate: float, clock: Clock) -> None:
        self.capacity = float(capacity)
        self.rate = float(rate)
        self.tokens = self.capacity
        self._clock = clock
        self._stamp = clock.monotonic()

    def refill(self) -> float:
        """Add what the time since the last look earned (up to the burst); the tokens now."""
        now = self._clock.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        return self.tokens

    def take(self, amount: float = 1.0) -> bool:
        """Spend `amount` tokens if there are that many now; whether it did."""
        if amount > self.refill():
            return False
        self.tokens -= amount
        return True

    def empty(self) -> None:
        """Spend every token there is now: what comes next waits for the refill."""
        self.refill()
        self.tokens = 0.0


__all__ = ["TokenBucket"]

"""Door limits: per-source penalties, MaxStartups, sign-up rate, no addresses kept."""

from __future__ import annotations

import random

from bbs.accounts.login_guard import LocalDoorThrottle, LoginGuard
from bbs.clock import ManualClock
from bbs.config import LoginLimits


def _guard(
    limits: LoginLimits, clock: ManualClock | None = None, rng: random.Random | None = None
) -> LoginGuard:
    throttle = LocalDoorThrottle(limits, clock or ManualClock())
    return LoginGuard(limits, throttle=throttle, rng=rng)


async def test_penalty_grows_after_the_free_failures_and_is_capped() -> None:
    clock = ManualClock()
    limits = LoginLimits(free_failures_per_source=3, max_penalty_seconds=30)
    throttle = LocalDoorThrottle(limits, clock)
    source = "source-5"
    penalties = []
    for _ in range(12):
        await throttle.record_failure(source)
        penalties.append(await throttle.penalty(source))
    assert penalties[:3] == [0, 0, 0]
    assert penalties[3] > 0
    assert penalties == sorted(penalties)
    assert max(penalties) == 30
    assert await throttle.penalty("source-6") == 0
    clock.advance(3601)
    assert await throttle.penalty(source) == 0


async def test_failures_older_than_the_memory_stop_counting_one_by_one() -> None:
    clock = ManualClock()
    limits = LoginLimits(
        free_failures_per_source=1, max_penalty_seconds=30, failure_memory_seconds=100
    )
    throttle = LocalDoorThrottle(limits, clock)
    await throttle.record_failure("s")
    clock.advance(60)
    await throttle.record_failure("s")
    assert await throttle.penalty("s") == 0.5  # two failures, one free
    clock.advance(41)  # the first is now 101 s old and forgotten
    assert await throttle.penalty("s") == 0


async def test_the_guard_turns_a_penalised_source_away_until_its_failures_are_old() -> None:
    clock = ManualClock()
    limits = LoginLimits(
        free_failures_per_source=1, max_penalty_seconds=1, failure_memory_seconds=600
    )
    guard = _guard(limits, clock)
    source = guard.source_key("127.0.0.7")
    assert await guard.penalised(source) == ""
    await guard.record_failure(source)
    await guard.record_failure(source)
    assert await guard.penalty(source) == 0.5  # slowed, not yet turned away
    assert await guard.penalised(source) == ""
    await guard.record_failure(source)
    assert "failed logins" in await guard.penalised(source)
    assert await guard.penalised(guard.source_key("127.0.0.8")) == ""
    clock.advance(601)
    assert await guard.penalised(source) == ""


def test_source_keys_are_salted_and_hide_the_address() -> None:
    a, b = _guard(LoginLimits()), _guard(LoginLimits())
    assert a.source_key("10.1.2.3") == a.source_key("10.1.2.3")
    assert a.source_key("10.1.2.3") != b.source_key("10.1.2.3")
    assert "10.1.2.3" not in a.source_key("10.1.2.3")


def test_max_startups_drops_randomly_between_begin_and_full() -> None:
    guard = _guard(
        LoginLimits(
            startups_begin=10, startups_rate=30, startups_full=100, unauthenticated_per_source=1000
        ),
        rng=random.Random(7),
    )
    source = guard.source_key("127.0.0.1")
    admitted = [guard.admit(source).allowed for _ in range(200)]
    assert all(admitted[:10])
    assert guard.unauthenticated_total < 100
    assert not all(admitted[10:])
    for _ in range(guard.unauthenticated_total):
        guard.finished_authenticating(source)
    assert guard.unauthenticated_total == 0
    assert guard.admit(source).allowed


def test_one_source_cannot_hold_every_unauthenticated_slot() -> None:
    guard = _guard(LoginLimits(unauthenticated_per_source=10, startups_begin=50))
    greedy = guard.source_key("127.0.0.2")
    results = [guard.admit(greedy).allowed for _ in range(15)]
    assert results.count(True) == 10
    assert guard.admit(guard.source_key("127.0.0.3")).allowed


async def test_signups_are_limited_per_source_per_hour() -> None:
    clock = ManualClock()
    throttle = LocalDoorThrottle(LoginLimits(signups_per_source_per_hour=3), clock)
    source = "source-9"
    for _ in range(3):
        assert await throttle.signup_allowed(source)
        await throttle.record_signup(source)
    assert not await throttle.signup_allowed(source)
    assert await throttle.signup_allowed("another source")
    clock.advance(3601)
    assert await throttle.signup_allowed(source)

"""Door limits: per-source penalties, MaxStartups, sign-up rate, no addresses kept."""

from __future__ import annotations

import random

from bbs.accounts.login_guard import LoginGuard
from bbs.config import LoginLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_penalty_grows_after_the_free_failures_and_is_capped() -> None:
    clock = Clock()
    guard = LoginGuard(LoginLimits(free_failures_per_source=3, max_penalty_seconds=30), clock=clock)
    source = guard.source_key("127.0.0.5")
    penalties = []
    for _ in range(12):
        guard.record_failure(source)
        penalties.append(guard.penalty(source))
    assert penalties[:3] == [0, 0, 0]
    assert penalties[3] > 0
    assert penalties == sorted(penalties)
    assert max(penalties) == 30
    other = guard.source_key("127.0.0.6")
    assert guard.penalty(other) == 0
    clock.now += 3601
    assert guard.penalty(source) == 0


def test_source_keys_are_salted_and_hide_the_address() -> None:
    a, b = LoginGuard(LoginLimits()), LoginGuard(LoginLimits())
    assert a.source_key("10.1.2.3") == a.source_key("10.1.2.3")
    assert a.source_key("10.1.2.3") != b.source_key("10.1.2.3")
    assert "10.1.2.3" not in a.source_key("10.1.2.3")


def test_max_startups_drops_randomly_between_begin_and_full() -> None:
    guard = LoginGuard(
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
    guard = LoginGuard(LoginLimits(unauthenticated_per_source=10, startups_begin=50))
    greedy = guard.source_key("127.0.0.2")
    results = [guard.admit(greedy).allowed for _ in range(15)]
    assert results.count(True) == 10
    assert guard.admit(guard.source_key("127.0.0.3")).allowed


def test_signups_are_limited_per_source_per_hour() -> None:
    clock = Clock()
    guard = LoginGuard(LoginLimits(signups_per_source_per_hour=3), clock=clock)
    source = guard.source_key("127.0.0.9")
    for _ in range(3):
        assert guard.signup_allowed(source)
        guard.record_signup(source)
    assert not guard.signup_allowed(source)
    clock.now += 3601
    assert guard.signup_allowed(source)

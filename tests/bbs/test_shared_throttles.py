"""The door's throttles, the source salt and room flood control shared by several nodes
on one PostgreSQL (issue 19; set BBS_TEST_POSTGRES_URL)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import text
from support import cluster_nodes, sign_up_id

from bbs.accounts.door_postgres import PostgresDoorThrottle
from bbs.accounts.login_guard import LoginGuard
from bbs.clock import ManualClock
from bbs.community import Community
from bbs.config import LoginLimits, Settings
from bbs.db import Database, alembic_config, libpq_url
from bbs.rooms.flood import FloodControl, FloodReason, LineAttempt, RoomFlood
from bbs.rooms.flood_postgres import PostgresFlood
from bbs.texts.notices import WHAT_WE_STORE

ADDRESS = "203.0.113.9"
# A port nothing listens on: a database that does not answer.
NOWHERE = "postgresql+psycopg://postgres@127.0.0.1:9/none"


@pytest.fixture
def migrated(postgres_url: str) -> str:
    database = Database(postgres_url)
    database.migrate()
    database.dispose()
    return postgres_url


def _count(url: str, sql: str) -> int:
    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute(sql).fetchone()
        return int(row[0]) if row else 0


# -- the door, through two communities as nodes ---------------------------------------
async def test_failed_logins_on_two_nodes_add_up_to_one_penalty(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path) as (one, two):
        source = one.guard.source_key(ADDRESS)
        # One address hashes the same on every node.
        assert two.guard.source_key(ADDRESS) == source
        assert ADDRESS not in source
        free = settings.login.free_failures_per_source
        for i in range(free + 1):
            await (one if i % 2 else two).guard.record_failure(source)
        # Neither node alone saw more than the free failures; together they did.
        assert await one.guard.penalty(source) == 0.5
        assert await two.guard.penalty(source) == 0.5
        await one.guard.record_failure(source)
        assert await two.guard.penalty(source) == 1.0
        assert await two.guard.penalty(two.guard.source_key("203.0.113.10")) == 0.0
        # MaxStartups stays each node's own: no slot taken on one is counted on the other.
        assert one.guard.admit(source).allowed
        assert one.guard.unauthenticated_total == 1 and two.guard.unauthenticated_total == 0


async def test_sign_ups_per_source_are_counted_across_nodes(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path) as (one, two):
        source = one.guard.source_key(ADDRESS)
        limit = settings.login.signups_per_source_per_hour
        for i in range(limit):
            assert await (one if i % 2 else two).guard.signup_allowed(source)
            await (one if i % 2 else two).guard.record_signup(source)
        assert not await one.guard.signup_allowed(source)
        assert not await two.guard.signup_allowed(source)
        assert await one.guard.signup_allowed(one.guard.source_key("203.0.113.10"))


async def test_the_privacy_page_says_where_the_salt_is_kept(
    postgres_url: str, settings: Settings, tmp_path: Path, community: Community
) -> None:
    alone = await community.privacy.what_we_store(await sign_up_id(community, "Wren"))
    assert "in memory only" in alone and "UNLOGGED" not in alone
    async with cluster_nodes(settings, postgres_url, tmp_path / "nodes") as (one, _two):
        shared = " ".join((await one.privacy.what_we_store(await sign_up_id(one, "Ash"))).split())
    assert "in memory only" not in shared
    assert "UNLOGGED tables" in shared and "PostgreSQL may still write them to disk" in shared
    assert "The salt is replaced every hour" in shared
    static = " ".join(WHAT_WE_STORE.split())
    assert "UNLOGGED database tables, which PostgreSQL may still write to disk" in static
    assert "the salt is replaced every hour" in static


# -- the salt, on a clock moved by hand -----------------------------------------------
@pytest.fixture
async def two_doors(migrated: str) -> AsyncIterator[tuple[ManualClock, LoginGuard, LoginGuard]]:
    clock = ManualClock(now=datetime(2026, 12, 4, 10, 50, tzinfo=UTC))
    limits = LoginLimits()
    doors = [PostgresDoorThrottle(migrated, limits, clock) for _ in range(2)]
    for door in doors:
        await door.start()
    try:
        yield clock, LoginGuard(limits, throttle=doors[0]), LoginGuard(limits, throttle=doors[1])
    finally:
        for door in doors:
            await door.close()


async def test_the_shared_salt_rotates_hourly_and_old_rows_stop_counting(
    migrated: str, two_doors: tuple[ManualClock, LoginGuard, LoginGuard]
) -> None:
    clock, one, two = two_doors
    hour = int(clock.now().timestamp() // 3600)
    before = one.source_key(ADDRESS)
    assert two.source_key(ADDRESS) == before
    for _ in range(4):
        await one.record_failure(before)
    assert await two.penalty(two.source_key(ADDRESS)) == 0.5
    # Kept in an UNLOGGED table, never a logged one.
    persistence = _count(
        migrated,
        "SELECT count(*) FROM pg_class WHERE relname IN ('door_salt', 'door_hit', 'room_flood')"
        " AND relpersistence = 'u' AND relnamespace = current_schema()::regnamespace",
    )
    assert persistence == 3

    clock.advance(20 * 60)  # 11:10: a new hour, a new salt, on both nodes alike
    after = one.source_key(ADDRESS)
    assert after == two.source_key(ADDRESS)
    assert after.split(".")[0] != before.split(".")[0]
    # The last hour's failures still count, under the last hour's salt.
    assert after.split(".")[1] == before.split(".")[0]
    assert await two.penalty(after) == 0.5
    await two.record_failure(after)
    assert await one.penalty(one.source_key(ADDRESS)) == 1.0

    clock.advance(45 * 60)  # 11:55: the four from 10:50 are past the hour's memory
    assert await one.penalty(one.source_key(ADDRESS)) == 0.0

    clock.advance(70 * 60)  # 13:05: the salts of 10:00 and 11:00 are gone, rows purged
    assert await two.penalty(two.source_key(ADDRESS)) == 0.0
    oldest = _count(migrated, "SELECT min(hour) FROM door_salt")
    assert oldest == hour + 2  # 12:00, the previous hour's, kept while its rows matter
    assert _count(migrated, "SELECT count(*) FROM door_hit") == 0


async def test_a_database_that_does_not_answer_admits_rather_than_refuses(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = ManualClock()
    door = PostgresDoorThrottle(NOWHERE, LoginLimits(), clock)
    caplog.set_level(logging.WARNING)
    try:
        await door.start()
        source = door.source_key(ADDRESS)
        assert source and ADDRESS not in source
        for _ in range(10):
            await door.record_failure(source)
        assert await door.penalty(source) == 0.0
        assert await door.signup_allowed(source)
        assert "did not answer" in caplog.text
    finally:
        await door.close()


# -- room flood control ---------------------------------------------------------------
async def test_a_members_pace_is_one_across_nodes(
    postgres_url: str, settings: Settings, tmp_path: Path
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path) as (one, two):
        a, b = one.services.flood, two.services.flood
        assert (await a.check(LineAttempt(7, 1, "hello there"))).ok
        # The same line on the other node is a repeat.
        assert (await b.check(LineAttempt(7, 1, "Hello  there"))).reason is FloodReason.DUPLICATE
        for i in range(4):
            assert (await (a if i % 2 else b).check(LineAttempt(7, 1, f"line {i}"))).ok
        # Five lines in ten seconds, spread over two nodes: the sixth waits.
        verdict = await b.check(LineAttempt(7, 1, "one more"))
        assert verdict.reason is FloodReason.THROTTLED and verdict.retry_after > 0
        assert (await a.check(LineAttempt(8, 1, "someone else"))).ok


async def _script(flood: RoomFlood, clock: ManualClock) -> list[tuple[str, float]]:
    """The same lines, pauses and take-backs for either implementation."""
    out: list[tuple[str, float]] = []

    async def say(member: int, room: int, text: str, slow: int = 0) -> None:
        verdict = await flood.check(LineAttempt(member, room, text, slow_mode_seconds=slow))
        out.append((verdict.reason.value, round(verdict.retry_after, 3)))

    await say(1, 1, "")
    await say(1, 1, "x" * 5000)
    await say(1, 1, "first")
    await say(1, 1, "FIRST ")
    await say(1, 2, "in room two", slow=30)
    clock.advance(5)
    await say(1, 2, "again in two", slow=30)
    await flood.unsay(1, "in room two")
    await say(1, 2, "in room two", slow=30)
    for i in range(8):
        clock.advance(0.5)
        await say(1, 1, f"fast {i}")
    for i in range(12):
        await say(1, 1, f"flood {i}")
    clock.advance(10)
    await say(1, 1, "after the flood")
    clock.advance(301)
    await say(1, 1, "cooled down")
    await say(2, 3, "another member")
    clock.advance(1)
    await flood.forget_idle(older_than=0.5)
    await say(1, 1, "cooled down")
    return out


async def test_shared_flood_control_follows_the_local_rules_exactly(migrated: str) -> None:
    start = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    local_clock, shared_clock = ManualClock(now=start), ManualClock(now=start)
    local = await _script(FloodControl(local_clock, refusal_limit=10), local_clock)
    shared_flood = PostgresFlood(migrated, shared_clock, refusal_limit=10)
    try:
        shared = await _script(shared_flood, shared_clock)
    finally:
        await shared_flood.close()
    assert shared == local
    reasons = {reason for reason, _ in local}
    assert reasons >= {"empty", "too_long", "ok", "duplicate", "slow_mode", "throttled"}
    assert "cooling_off" in reasons


async def test_flood_control_falls_back_to_the_nodes_own_when_the_database_is_away() -> None:
    clock = ManualClock(now=datetime.now(UTC) - timedelta(days=1))
    flood = PostgresFlood(NOWHERE, clock)
    try:
        for i in range(5):
            assert (await flood.check(LineAttempt(1, 1, f"line {i}"))).ok
        assert (await flood.check(LineAttempt(1, 1, "sixth"))).reason is FloodReason.THROTTLED
    finally:
        await flood.close()


async def test_a_check_cancelled_midway_leaves_the_connection_usable(
    migrated: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A session that ends while its line is being checked does not cost the others."""
    caplog.set_level(logging.WARNING)
    flood = PostgresFlood(migrated, ManualClock())
    try:
        assert (await flood.check(LineAttempt(1, 1, "warm up"))).ok
        for i in range(30):
            task = asyncio.create_task(flood.check(LineAttempt(2 + i, 1, "cut short")))
            for _ in range(i % 4):
                await asyncio.sleep(0)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        assert (await flood.check(LineAttempt(1, 1, "still counted here"))).ok
        assert "did not answer" not in caplog.text
    finally:
        await flood.close()


def test_the_migration_goes_down_and_up_again(migrated: str) -> None:
    database = Database(migrated)
    try:
        with database.engine.begin() as conn:
            config = alembic_config(migrated)
            config.attributes["connection"] = conn
            command.downgrade(config, "0016_posted_events")
            for table in ("door_salt", "door_hit", "room_flood"):
                assert conn.execute(text(f"SELECT to_regclass('{table}')")).scalar() is None
        database.migrate()
    finally:
        database.dispose()
    assert _count(migrated, "SELECT count(*) FROM room_flood") == 0

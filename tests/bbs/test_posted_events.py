"""Events posted by another process (`bbs admin` in a shell) reach the running server's bus."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from sqlmodel import Session, select
from support import cluster_nodes, wait_until

from bbs import posted_events, sysop_settings
from bbs.accounts import members as accounts
from bbs.accounts.pseudonyms import validate_pseudonym
from bbs.admin import review as admin
from bbs.community import Community
from bbs.config import Settings
from bbs.db import Database
from bbs.events import Event, LocalEventBus, announce
from bbs.models import Role, utcnow
from bbs.moderation_queue.sanctions import AccessChanged, NoticeArrived, SanctionKind, member_topic
from bbs.posted_events import PostedEvent, PostedEventFollower

T = TypeVar("T")


class ThreadStore:
    """A Database behind the follower's Store protocol (reads and writes in a thread)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def read(self, fn: Callable[[Session], T]) -> T:
        def run() -> T:
            with self.database.read() as session:
                return fn(session)

        return await asyncio.to_thread(run)

    async def write(self, fn: Callable[[Session], T]) -> T:
        def run() -> T:
            with self.database.write() as session:
                return fn(session)

        return await asyncio.to_thread(run)


def _members(database: Database) -> tuple[int, int]:
    with database.write() as session:
        sysop = accounts.create_member(
            session,
            pseudonym=validate_pseudonym("Keeper"),
            password_hash="x",
            recovery_hash="x",
            role=Role.SYSOP,
        )
        member = accounts.create_member(
            session, pseudonym=validate_pseudonym("Wren"), password_hash="x", recovery_hash="x"
        )
    return sysop.id, member.id


def _suspend_from_a_shell(database: Database, sysop_id: int, reason: str) -> None:
    """What `bbs admin suspend` does: the sanction and its events in one transaction."""
    with database.write() as session:
        admin.sanction_member(
            session, actor_id=sysop_id, pseudonym="Wren", kind=SanctionKind.SUSPEND, reason=reason
        )
        posted_events.post_announcements(session)


def _collector(bus: LocalEventBus, topic: str) -> list[Event]:
    got: list[Event] = []
    subscription = bus.subscribe(topic)

    def drain() -> None:
        got.extend(subscription.drain())

    subscription._on_event = drain  # called at once: subscribed outside the loop's tasks
    return got


def test_a_sanction_posts_its_events_in_its_own_transaction(store: Database) -> None:
    sysop_id, member_id = _members(store)
    _suspend_from_a_shell(store, sysop_id, "repeated insults")
    with store.read() as session:
        rows = posted_events.rows_after(session, 0)
    kinds = [posted_events.decode_event(body) for _id, _topic, body in rows]
    assert {topic for _id, topic, _body in rows} == {member_topic(member_id)}
    assert NoticeArrived(member_id) in kinds
    assert AccessChanged(member_id, "suspend", "repeated insults") in kinds

    # A command that fails posts nothing: the events exist exactly when the change does.
    with pytest.raises(admin.AdminError), store.write() as session:
        admin.sanction_member(
            session, actor_id=sysop_id, pseudonym="Nobody", kind=SanctionKind.BAN, reason="x"
        )
        posted_events.post_announcements(session)
    with store.read() as session:
        assert posted_events.last_id(session) == rows[-1][0]


async def test_the_follower_publishes_what_is_posted_after_it_started(store: Database) -> None:
    sysop_id, member_id = _members(store)
    _suspend_from_a_shell(store, sysop_id, "before the server started")
    bus = LocalEventBus()
    got = _collector(bus, member_topic(member_id))
    follower = PostedEventFollower(ThreadStore(store), bus.publish, interval=0.05)
    await follower.start()
    try:
        assert follower.running
        with store.write() as session:
            sysop_settings.put_setting(session, sysop_settings.BANNER_KEY, "Welcome back")
            posted_events.post_announcements(session)
        _suspend_from_a_shell(store, sysop_id, "while it runs")
        await wait_until(
            lambda: any(isinstance(e, AccessChanged) for e in got), "the suspension reaches the bus"
        )
        # Only what came after the start, in order, as it was announced.
        assert got == [
            NoticeArrived(member_id),
            AccessChanged(member_id, "suspend", "while it runs"),
        ]
        assert follower.delivered == 3  # the banner went to its own topic
    finally:
        await follower.stop()
    assert not follower.running


async def test_old_rows_are_purged_and_ids_never_come_back(store: Database) -> None:
    sysop_id, member_id = _members(store)
    bus = LocalEventBus()
    got = _collector(bus, member_topic(member_id))
    follower = PostedEventFollower(
        ThreadStore(store), bus.publish, interval=0.05, keep=timedelta(minutes=10)
    )
    await follower.start()
    try:
        _suspend_from_a_shell(store, sysop_id, "first")
        await wait_until(lambda: len(got) == 2, "the first suspension arrives")
        with store.write() as session:
            # Age one row past the keep time; the newer ones stay.
            oldest = session.exec(select(PostedEvent).order_by(PostedEvent.id)).first()
            assert oldest is not None
            oldest.created_at = utcnow() - timedelta(minutes=11)
            session.add(oldest)
        assert await follower.purge_old() == 1
        with store.read() as session:
            assert len(session.exec(select(PostedEvent)).all()) == 1
        follower.keep = timedelta(0)
        assert await follower.purge_old() == 1
        # The table is empty now; a new row still gets a higher id, so it is not missed.
        _suspend_from_a_shell(store, sysop_id, "second")
        await wait_until(lambda: len(got) == 4, "the second suspension arrives after a purge")
        assert got[-1] == AccessChanged(member_id, "suspend", "second")
    finally:
        await follower.stop()


class FakeStore:
    """Rows to hand out as a read would, to show how the follower treats a missing id."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, str, str]] = []

    async def read(self, fn: Callable[[Session], T]) -> T:
        if fn is posted_events.last_id:
            return 0  # type: ignore[return-value]
        return [r for r in self.rows if r[0] > self.after(fn)]  # type: ignore[return-value]

    def after(self, fn: Callable[[Session], T]) -> int:
        closure = fn.__closure__ or ()
        follower = next(
            c.cell_contents for c in closure if isinstance(c.cell_contents, PostedEventFollower)
        )
        return follower.last_id

    async def write(self, fn: Callable[[Session], T]) -> T:
        raise AssertionError("not used")


async def test_a_missing_id_is_waited_for_then_passed() -> None:
    store = FakeStore()
    published: list[tuple[str, Event]] = []
    follower = PostedEventFollower(store, lambda t, e: published.append((t, e)), gap_seconds=0.3)
    body = posted_events.encode_event
    store.rows = [(1, "a", body(NoticeArrived(1))), (3, "a", body(NoticeArrived(3)))]
    assert await follower.poll_once() == 1  # 2 may still be committing: 3 waits
    assert follower.last_id == 1
    store.rows.append((2, "a", body(NoticeArrived(2))))
    store.rows.sort()
    assert await follower.poll_once() == 2  # 2 came: both, in order
    assert [e for _t, e in published] == [NoticeArrived(1), NoticeArrived(2), NoticeArrived(3)]
    store.rows.append((5, "a", body(NoticeArrived(5))))
    assert await follower.poll_once() == 0
    await wait_until(lambda: follower._gap_waited(), "the gap has been waited for")
    assert await follower.poll_once() == 1  # 4 never came (a rolled-back insert): moved past
    assert follower.last_id == 5


async def test_a_running_community_hears_the_shell(community: Community) -> None:
    """Community.start_live follows posted events; stop_live stops following."""
    sysop = (
        await community.accounts.sign_up(
            "Keeper", "a long enough password", "a long enough password", role=Role.SYSOP
        )
    ).member
    member = (
        await community.accounts.sign_up("Wren", "a long enough password", "a long enough password")
    ).member
    got: list[Event] = []
    subscription = community.events.subscribe(
        member_topic(member.id), on_event=lambda: got.extend(sub.drain())
    )
    sub = subscription
    await community.start_live()
    try:
        assert community.posted.running
        started = asyncio.get_running_loop().time()
        await asyncio.to_thread(_suspend_from_a_shell, community.database, sysop.id, "spam")
        await wait_until(
            lambda: any(isinstance(e, AccessChanged) for e in got),
            "the community's bus hears the shell's suspension",
            timeout=2.0,
        )
        assert asyncio.get_running_loop().time() - started < 2.0
    finally:
        await community.stop_live()
        subscription.unsubscribe()
    assert not community.posted.running


def test_announce_without_posting_posts_nothing(store: Database) -> None:
    """Only a shell's transaction posts: the server publishes its own after commit."""
    with store.write() as session:
        announce(session, "x", NoticeArrived(1))
    with store.read() as session:
        assert posted_events.last_id(session) == 0


async def test_every_node_of_a_cluster_hears_the_shell_once(
    settings: Settings, postgres_url: str, tmp_path: Path
) -> None:
    """Each node follows the table itself and publishes to its own sessions only."""
    async with cluster_nodes(settings, postgres_url, tmp_path) as nodes:
        sysop = (
            await nodes[0].accounts.sign_up(
                "Keeper", "a long enough password", "a long enough password", role=Role.SYSOP
            )
        ).member
        member = (
            await nodes[0].accounts.sign_up(
                "Wren", "a long enough password", "a long enough password"
            )
        ).member
        heard: list[list[Event]] = [[] for _ in nodes]
        subscriptions = []
        for node, got in zip(nodes, heard, strict=True):
            sub = node.events.subscribe(member_topic(member.id))
            sub._on_event = (lambda s, g: lambda: g.extend(s.drain()))(sub, got)
            subscriptions.append(sub)
        await asyncio.to_thread(_suspend_from_a_shell, nodes[0].database, sysop.id, "spam")
        await wait_until(
            lambda: all(any(isinstance(e, AccessChanged) for e in got) for got in heard),
            "every node hears the suspension",
        )
        # A marker sent through the cluster's bus now reaches each node after anything
        # the nodes sent through it before (delivery follows the table's order): a copy
        # republished to every node would be heard before it.
        await wait_until(lambda: all(n.posted.delivered == 2 for n in nodes), "both followed")
        marker = NoticeArrived(-1)
        nodes[0].events.publish(member_topic(member.id), marker)
        await wait_until(lambda: all(marker in got for got in heard), "every node hears the marker")
        for got in heard:
            assert [e for e in got if isinstance(e, AccessChanged)] == [
                AccessChanged(member.id, "suspend", "spam")
            ]
        for sub in subscriptions:
            sub.unsubscribe()


async def test_on_postgresql_a_posting_commit_wakes_the_follower_at_once(
    postgres_url: str,
) -> None:
    """NOTIFY, sent when the shell's transaction commits, wakes the follower: with its
    fallback poll a minute away, the suspension still arrives within seconds."""
    from bbs.db import libpq_url

    database = Database(postgres_url)
    database.migrate()
    sysop_id, member_id = _members(database)
    bus = LocalEventBus()
    got = _collector(bus, member_topic(member_id))
    follower = PostedEventFollower(
        ThreadStore(database),
        bus.publish,
        listen_url=libpq_url(postgres_url),
        interval=60.0,
        listening_interval=60.0,
    )
    await follower.start()
    try:
        await wait_until(lambda: follower.listening, "the follower to LISTEN")
        await wait_until(lambda: follower._wake.is_set() is False, "the first look to finish")
        await asyncio.to_thread(_suspend_from_a_shell, database, sysop_id, "woken")
        await wait_until(
            lambda: AccessChanged(member_id, "suspend", "woken") in got,
            "the suspension, long before the next poll",
            timeout=10.0,
        )
    finally:
        await follower.stop()
        database.dispose()
    assert not follower.listening

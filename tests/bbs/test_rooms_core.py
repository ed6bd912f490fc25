"""Rooms core without a terminal: the event bus, presence, flood control, retention, rooms."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from support import FixedScorer, sign_up

from bbs.clock import ManualClock
from bbs.community import Community
from bbs.config import load_settings
from bbs.events import LocalEventBus, decode_event, encode_event
from bbs.models import utcnow
from bbs.rooms.events import RoomChangedEvent, RoomLineEvent, RoomPresenceEvent, room_topic
from bbs.rooms.flood import FloodControl, FloodReason, FloodVerdict, LineAttempt
from bbs.rooms.presence import LocalPresence
from bbs.rooms.records import (
    DEFAULT_ROOMS,
    RoomError,
    RoomLine,
    add_event,
    add_line,
    create_room,
    events_between,
    list_rooms,
    may_enter,
    recent_lines,
    seed_default_rooms,
)
from bbs.rooms.service import mentions_in


def _line(i: int) -> RoomLineEvent:
    return RoomLineEvent(
        1, i, 7, "Robin", "say", f"line {i}", "2026-01-01T00:00:00+00:00", ("ash",)
    )


# -- the bus --------------------------------------------------------------------------
def test_bus_fans_out_to_every_subscriber_of_a_topic_only() -> None:
    bus = LocalEventBus()
    a, b = bus.subscribe("room.1"), bus.subscribe("room.1")
    other = bus.subscribe("room.2")
    assert bus.publish("room.1", _line(1)) == 2
    assert a.drain() == [_line(1)] and b.drain() == [_line(1)]
    assert other.drain() == []


def test_a_slow_subscriber_loses_its_oldest_events_and_nobody_else_notices() -> None:
    bus = LocalEventBus()
    slow = bus.subscribe("room.1", maxsize=3)
    fast = bus.subscribe("room.1", maxsize=100)
    for i in range(10):
        bus.publish("room.1", _line(i))
    assert slow.overflowed and slow.dropped == 7
    assert [e.line_id for e in slow.drain()] == [7, 8, 9]  # type: ignore[attr-defined]
    assert not slow.overflowed
    assert len(fast.drain()) == 10 and not fast.overflowed


def test_on_event_is_called_once_per_batch_and_unsubscribe_stops_delivery() -> None:
    bus = LocalEventBus()
    calls: list[int] = []
    sub = bus.subscribe("room.1", on_event=lambda: calls.append(1))
    bus.publish("room.1", _line(1))
    bus.publish("room.1", _line(2))
    assert calls == [1]
    sub.drain()
    bus.publish("room.1", _line(3))
    assert calls == [1, 1]
    sub.unsubscribe()
    assert bus.publish("room.1", _line(4)) == 0
    assert bus.subscriber_count("room.1") == 0


async def test_subscription_is_an_async_iterator() -> None:
    bus = LocalEventBus()
    sub = bus.subscribe("room.1")

    async def first_two() -> list[int]:
        got = []
        async for event in sub:
            got.append(event.line_id)  # type: ignore[attr-defined]
            if len(got) == 2:
                break
        return got

    task = asyncio.create_task(first_two())
    await asyncio.sleep(0)  # kept: one loop pass, so the reader is waiting before we publish
    bus.publish("room.1", _line(1))
    bus.publish("room.1", _line(2))
    assert await asyncio.wait_for(task, 1) == [1, 2]


def test_events_round_trip_through_json_within_the_notify_limit() -> None:
    event = _line(5)
    text = encode_event(event)
    assert decode_event(text) == event
    presence = RoomPresenceEvent(1, 2, "Ash", "join")
    assert decode_event(encode_event(presence)) == presence
    longest = RoomLineEvent(1, 1, 1, "n" * 64, "say", "\u00e9" * 500, "t", ("x" * 64,) * 20)
    assert len(encode_event(longest).encode()) < 8000
    with pytest.raises(ValueError):
        encode_event(RoomLineEvent(1, 1, 1, "n", "say", "x" * 9000, "t"))
    assert room_topic(12) == "room.12"


# -- presence -------------------------------------------------------------------------
async def test_presence_counts_a_member_once_and_hides_who_appears_offline() -> None:
    presence = LocalPresence(ManualClock())
    assert await presence.join(1, 10, "Ash", hidden=False)
    assert not await presence.join(1, 10, "Ash", hidden=False)  # a second session
    assert await presence.join(1, 11, "birch", hidden=True)
    assert [e.name for e in presence.who(1)] == ["Ash"]
    assert len(presence.who(1, include_hidden=True)) == 2
    await presence.set_away(1, 10, True, "tea")
    assert presence.who(1)[0].away
    assert not await presence.leave(1, 10)
    assert await presence.leave(1, 10)
    assert await presence.set_hidden(11, False) == [1]
    assert [e.name for e in presence.who(1)] == ["birch"]


async def test_presence_stamps_a_members_first_session_with_the_clock() -> None:
    clock = ManualClock()
    presence = LocalPresence(clock)
    joined = clock.now()
    await presence.join(1, 10, "Ash", hidden=False)
    clock.advance(90)
    await presence.join(1, 10, "Ash", hidden=False)  # a second session keeps the first time
    await presence.join(2, 10, "Ash", hidden=False)
    first, other = presence.entry(1, 10), presence.entry(2, 10)
    assert first is not None and other is not None
    assert first.since == joined
    assert other.since == joined + timedelta(seconds=90)
    assert presence.count(1) == 1 and presence.count(3) == 0


# -- flood control --------------------------------------------------------------------
async def test_token_bucket_allows_five_lines_in_ten_seconds() -> None:
    clock = ManualClock()
    flood = FloodControl(clock)

    async def at(now: float, member: int, text: str) -> FloodVerdict:
        clock.set(now)
        return await flood.check(LineAttempt(member, 1, text))

    results = [(await at(100.0 + i * 0.1, 1, f"line {i}")).reason for i in range(7)]
    assert results[:5] == [FloodReason.OK] * 5
    assert results[5:] == [FloodReason.THROTTLED] * 2
    # Another member is not affected by the first one's flood.
    assert (await at(100.7, 2, "hello")).ok
    # Two seconds later one token is back.
    assert (await at(102.6, 1, "later")).ok
    assert not (await at(102.7, 1, "again")).ok


async def test_a_member_who_keeps_flooding_is_muted_in_rooms_for_a_while() -> None:
    clock = ManualClock()
    flood = FloodControl(clock, refusal_limit=10, refusal_seconds=60.0, cool_off_seconds=300.0)
    reasons = []
    for i in range(15):
        clock.set(100.0 + i * 0.05)
        reasons.append((await flood.check(LineAttempt(1, 1, f"spam {i}"))).reason)
    assert reasons[:5] == [FloodReason.OK] * 5
    assert reasons[5:14] == [FloodReason.THROTTLED] * 9
    assert reasons[14] is FloodReason.COOLING_OFF  # the tenth refusal in a minute
    # Muted for five minutes, even once the bucket has refilled; then welcome back.
    clock.set(200.0)
    later = await flood.check(LineAttempt(1, 2, "calm now"))
    assert later.reason is FloodReason.COOLING_OFF and 200 <= later.retry_after <= 201
    assert (await flood.check(LineAttempt(2, 1, "someone else"))).ok
    clock.set(401.0)
    assert (await flood.check(LineAttempt(1, 1, "calm now"))).ok


async def test_refusals_spread_over_time_never_add_up_to_a_mute() -> None:
    clock = ManualClock(monotonic=0.0)
    flood = FloodControl(clock, refusal_limit=10, refusal_seconds=60.0)
    for _ in range(40):  # one refused line every ten seconds, for several minutes
        assert (await flood.check(LineAttempt(1, 1, "same again"))).reason in (
            FloodReason.OK,
            FloodReason.DUPLICATE,
        )
        clock.advance(10.0)


async def test_duplicates_length_and_blank_lines() -> None:
    clock = ManualClock(monotonic=1.0)
    flood = FloodControl(clock)
    assert (await flood.check(LineAttempt(1, 1, "Hello there"))).ok
    clock.set(2.0)
    assert (await flood.check(LineAttempt(1, 1, "hello   THERE"))).reason is FloodReason.DUPLICATE
    clock.set(100.0)
    assert (await flood.check(LineAttempt(1, 1, "hello there"))).ok
    clock.set(101.0)
    assert (await flood.check(LineAttempt(1, 1, "x" * 501))).reason is FloodReason.TOO_LONG
    assert (await flood.check(LineAttempt(1, 1, "x" * 500))).ok
    clock.set(102.0)
    assert (await flood.check(LineAttempt(1, 1, "   "))).reason is FloodReason.EMPTY


async def test_slow_mode_spaces_a_members_lines_unless_exempt() -> None:
    clock = ManualClock(monotonic=10.0)
    flood = FloodControl(clock)
    assert (await flood.check(LineAttempt(1, 1, "one", slow_mode_seconds=30))).ok
    clock.set(20.0)
    verdict = await flood.check(LineAttempt(1, 1, "two", slow_mode_seconds=30))
    assert verdict.reason is FloodReason.SLOW_MODE and round(verdict.retry_after) == 20
    assert (await flood.check(LineAttempt(1, 2, "elsewhere", slow_mode_seconds=30))).ok
    clock.set(21.0)
    assert (
        await flood.check(
            LineAttempt(1, 1, "host", slow_mode_seconds=30, exempt_from_slow_mode=True)
        )
    ).ok
    clock.set(52.0)
    assert (await flood.check(LineAttempt(1, 1, "three", slow_mode_seconds=30))).ok


async def test_members_quiet_for_an_hour_are_forgotten_unless_cooling_off() -> None:
    clock = ManualClock(monotonic=0.0)
    flood = FloodControl(clock, lines=1, per_seconds=60.0)
    assert (await flood.check(LineAttempt(1, 1, "hello"))).ok
    assert (await flood.check(LineAttempt(1, 1, "again"))).reason is FloodReason.THROTTLED
    clock.advance(3601.0)
    await flood.forget_idle()
    # Forgotten: the same line is no repeat, and a fresh bucket is full.
    assert (await flood.check(LineAttempt(1, 1, "hello"))).ok


def test_mentions_are_normalised_names() -> None:
    assert mentions_in("hi @Robin and @ASH, see you") == ("ash", "robin")
    assert mentions_in("no mention here @") == ()


# -- the store ------------------------------------------------------------------------
def test_default_rooms_are_seeded_once(community: Community) -> None:
    # Seeded when the community was prepared (one node at a time), never again.
    with community.database.write() as s:
        assert seed_default_rooms(s) == 0
        names = [r.name for r in list_rooms(s, member_id=None, staff=False)]
    assert names == [name for name, _ in DEFAULT_ROOMS]


async def test_private_rooms_need_an_invitation(community: Community) -> None:
    ash = await sign_up(community, "Ash")
    with community.database.write() as s:
        room = create_room(s, name="Alumni", topic="clinic alumni", private=True)
        with pytest.raises(RoomError):
            create_room(s, name="alumni")
    with community.database.read() as s, pytest.raises(RoomError, match="private"):
        may_enter(s, room.id, member_id=ash.id, staff=False)
    with community.database.read() as s:
        assert may_enter(s, room.id, member_id=ash.id, staff=True).name == "Alumni"
        assert "Alumni" not in [r.name for r in list_rooms(s, member_id=ash.id, staff=False)]
    from bbs.rooms.records import invite

    with community.database.write() as s:
        invite(s, room.id, ash.id)
    with community.database.read() as s:
        assert may_enter(s, room.id, member_id=ash.id, staff=False).private


async def test_history_is_the_last_100_visible_lines_and_retention_purges(
    community: Community,
) -> None:
    await community.rooms.ensure_ready()
    with community.database.write() as s:
        s.add(
            RoomLine(
                room_id=1, author="Old", text="ancient", created_at=utcnow() - timedelta(days=31)
            )
        )
        for i in range(120):
            add_line(s, room_id=1, member_id=None, author="Ash", kind="say", text=f"l{i}")
        add_line(s, room_id=1, member_id=None, author="Ash", kind="say", text="held", held=True)
    with community.database.read() as s:
        lines = recent_lines(s, 1)
    assert len(lines) == 100 and lines[-1].text == "l119" and lines[0].text == "l20"
    assert await community.rooms.purge_expired() == 1
    with community.database.read() as s:
        assert all(line.author != "Old" for line in recent_lines(s, 1, limit=1000))


def test_retention_days_come_from_the_rooms_section(tmp_path: Path) -> None:
    assert load_settings(tmp_path).room_retention_days == 30
    (tmp_path / "config.toml").write_text("[rooms]\nretention_days = 7\n")
    assert load_settings(tmp_path).room_retention_days == 7


async def test_scheduled_sessions_today_and_host_powers(community: Community) -> None:
    host = await sign_up(community, "Juniper")
    guest = await sign_up(community, "Linden")
    await community.rooms.ensure_ready()
    now = utcnow()
    with community.database.write() as s:
        add_event(
            s, room_id=2, starts_at=now - timedelta(minutes=5), topic="Check-in", host_id=host.id
        )
        add_event(s, room_id=2, starts_at=now + timedelta(days=3), topic="Later", host_id=None)
        assert [e.topic for e in events_between(s, now, now + timedelta(hours=1))] == ["Check-in"]
    visit = await community.rooms.enter(2, host)
    other = await community.rooms.enter(2, guest)
    assert "Check-in" in visit.events[0].describe()
    denied = await community.rooms.submit(other, "/slow 30")
    assert "Only staff" in denied.notes[0]
    sub = community.rooms.subscribe(other, lambda: None)
    assert (await community.rooms.submit(visit, "/slow 30")).notes == ()
    assert (await community.rooms.submit(visit, "/topic Sunday circle")).notes == ()
    changed = [e for e in sub.drain() if e.kind == "room.changed"]
    assert changed[-1].topic == "Sunday circle"  # type: ignore[attr-defined]
    assert changed[-1].slow_mode_seconds == 30  # type: ignore[attr-defined]


async def test_held_line_is_not_delivered_and_the_author_is_told_kindly(
    community: Community,
) -> None:
    from bbs.moderation_queue.policy import hold_message

    community.moderation.set_scorer(FixedScorer(harassment=0.99))
    ash = await sign_up(community, "Ash")
    visit = await community.rooms.enter(1, ash)
    sub = community.rooms.subscribe(visit, lambda: None)
    reply = await community.rooms.submit(visit, "something nasty")
    assert reply.notes == (hold_message(),)
    assert [e for e in sub.drain() if e.kind == "room.line"] == []
    with community.database.read() as s:
        assert recent_lines(s, 1) == []


async def test_reports_and_paste_hints(community: Community) -> None:
    ash = await sign_up(community, "Ash")
    oak = await sign_up(community, "Oak")
    a = await community.rooms.enter(1, ash)
    b = await community.rooms.enter(1, oak)
    await community.rooms.submit(b, "a line to report")
    reply = await community.rooms.submit(a, "/report oak unkind")
    assert "went to the moderators" in reply.notes[0]
    hint = await community.rooms.submit(a, "one\ntwo\nthree\nfour\nfive")
    assert "paste had 5 lines" in hint.notes[0]
    await community.rooms.leave(a)
    assert await community.rooms.rooms_to_rejoin(ash) == []
    assert await community.rooms.rooms_to_rejoin(oak) == [1]


async def test_commands_that_name_someone_say_so_when_they_name_nobody(
    community: Community,
) -> None:
    ash = await sign_up(community, "Ash")
    a = await community.rooms.enter(1, ash)
    for command, usage in (
        ("/report", "Type whose line to report: /report NAME [reason]"),
        ("/worried", "Type who you are worried about: /worried NAME [what worries you]"),
        ("/ignore", "Type a name: /ignore NAME"),
        ("/unignore", "Type a name: /unignore NAME"),
    ):
        assert (await community.rooms.submit(a, command)).notes == (usage,)
        named = await community.rooms.submit(a, f"{command} Rowan")
        assert named.notes == ("Nobody here is called Rowan.",)
    # Nobody ignores themselves; reporting or worrying about yourself is another matter.
    assert (await community.rooms.submit(a, "/ignore ash")).notes == ("Nobody here is called ash.",)


async def test_worried_about_someone_in_a_room_raises_a_crisis_alert(
    community: Community,
) -> None:
    from bbs.admin import review as admin
    from bbs.moderation_queue.flags import FlagKind, ModerationFlag

    ash = await sign_up(community, "Ash")
    oak = await sign_up(community, "Oak")
    a = await community.rooms.enter(1, ash)
    b = await community.rooms.enter(1, oak)
    quiet = await community.rooms.submit(a, "/worried oak")
    assert "has said nothing here yet" in quiet.notes[0]
    await community.rooms.submit(b, "whatever, it doesn't matter anymore")
    reply = await community.rooms.submit(a, "/worried Oak they went quiet")
    assert "priority alert" in reply.notes[0] and "not told who asked" in reply.notes[0]
    mine = await community.rooms.submit(a, "/worried ash")
    assert "F1" in mine.notes[0]
    with community.database.read() as s:
        [flag] = s.exec(select(ModerationFlag)).all()
        assert (flag.kind, flag.reporter_id, flag.author_id) == (
            FlagKind.CRISIS.value,
            ash.id,
            oak.id,
        )
        assert admin.open_crisis_alerts(s) == 1


async def test_joining_and_leaving_a_hundred_times_leaves_nothing_behind(
    community: Community,
) -> None:
    ash = await sign_up(community, "Ash")
    oak = await sign_up(community, "Oak")
    watcher = await community.rooms.enter(1, oak)
    seen = community.rooms.subscribe(watcher, lambda: None)
    for _ in range(100):
        visit = await community.rooms.enter(1, ash)
        sub = community.rooms.subscribe(visit, lambda: None)
        sub.unsubscribe()
        departing = community.rooms.depart(visit)
        assert departing is not None
        await departing
    assert [e.name for e in community.rooms.who(1)] == ["Oak"]
    assert community.events.subscriber_count(room_topic(1)) == 1
    states = [e.state for e in seen.drain()]  # type: ignore[attr-defined]
    assert states == ["join", "leave"] * 100


async def test_staff_close_a_room_live_and_nobody_can_speak_or_enter(
    community: Community,
) -> None:
    from bbs.accounts.members import set_role
    from bbs.models import Role

    sysop = await sign_up(community, "Warden")
    with community.database.write() as s:
        sysop = set_role(s, "Warden", Role.MODERATOR)
    ash = await sign_up(community, "Ash")
    visit = await community.rooms.enter(3, ash)
    sub = community.rooms.subscribe(visit, lambda: None)
    staff_visit = await community.rooms.enter(3, sysop)
    assert "Only staff" in (await community.rooms.submit(visit, "/close")).notes[0]
    assert (await community.rooms.submit(staff_visit, "/close")).notes == ()
    [changed] = [e for e in sub.drain() if e.kind == "room.changed"]
    assert changed.closed  # type: ignore[attr-defined]
    assert "closed" in (await community.rooms.submit(visit, "still here?")).notes[0]
    with pytest.raises(RoomError, match="closed"):
        await community.rooms.enter(3, ash)


async def test_a_room_closed_elsewhere_takes_no_more_lines_even_before_the_news_arrives(
    community: Community,
) -> None:
    # Another node, or `bbs admin room close` in a shell, closes the room: this node's
    # bus has not carried the news to the member's screen yet, and the visit still says
    # open; the line is refused by the transaction that would have stored it.
    from bbs.rooms import records as room_records

    ash = await sign_up(community, "Ash")
    visit = await community.rooms.enter(3, ash)
    assert (await community.rooms.submit(visit, "before")).line is not None
    with community.database.write() as s:
        room_records.update_room(s, 3, closed=True)
    assert not visit.room.closed
    reply = await community.rooms.submit(visit, "after")
    assert reply.line is None and "is closed" in reply.notes[0]
    with community.database.read() as s:
        said = [line.text for line in room_records.recent_lines(s, 3)]
    assert said == ["before"]


async def test_a_rooms_change_is_announced_by_the_transaction_that_makes_it(
    community: Community,
) -> None:
    # The room screen's /topic, the admin screen and the shell all change a room through
    # records.update_room; whoever is inside hears it once the change commits.
    from bbs.rooms import records as room_records

    sub = community.events.subscribe(room_topic(3))
    await community.store.write(
        lambda s: room_records.update_room(s, 3, topic="Quiet hour", slow_mode_seconds=9, by="Oak")
    )
    [changed] = sub.drain()
    assert isinstance(changed, RoomChangedEvent)
    assert (changed.topic, changed.slow_mode_seconds, changed.closed, changed.by) == (
        "Quiet hour",
        9,
        False,
        "Oak",
    )
    # Rolled back: never announced.
    with pytest.raises(RoomError):
        await community.store.write(
            lambda s: room_records.update_room(s, 3, topic="x", slow_mode_seconds=-1)
        )
    assert sub.drain() == []

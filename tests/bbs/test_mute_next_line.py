"""A mute holds from the member's next room line, and a refused line was not said."""

from __future__ import annotations

from bbs.clock import ManualClock
from bbs.community import Community
from bbs.models import Role
from bbs.moderation_queue.flags import FlagKind
from bbs.moderation_queue.policy import CRISIS_HOLD_KEPT
from bbs.moderation_queue.sanctions import SanctionKind
from bbs.rooms import records as rooms
from bbs.rooms.events import room_topic
from bbs.rooms.flood import FloodControl, FloodReason, LineAttempt

PASSWORD = "a long enough password"


async def test_a_mute_refuses_the_next_line_and_a_lift_lets_the_same_line_through(
    community: Community,
) -> None:
    sysop = (await community.accounts.sign_up("Keeper", PASSWORD, PASSWORD, role=Role.SYSOP)).member
    member = (await community.accounts.sign_up("Wren", PASSWORD, PASSWORD)).member
    room_id = (await community.rooms.list_rooms(member))[0][0].id
    visit = await community.rooms.enter(room_id, member)
    assert (await community.rooms.say(visit, "hello all")).line is not None

    await community.admin.sanction(
        sysop.id, "Wren", SanctionKind.MUTE, category="Spam", reason="too many links"
    )
    # More lines than the member's pace allows, all refused for the mute.
    for _ in range(community.rooms.flood.lines + 2):
        reply = await community.rooms.say(visit, "are you there?")
        assert reply.line is None and reply.keep_input
        assert "muted" in reply.notes[0] and "too many links" in reply.notes[0]

    await community.admin.lift(sysop.id, "Wren", reason="sorted out")
    # Not a repeat and not too fast: none of the refused lines counted as said.
    reply = await community.rooms.say(visit, "are you there?")
    assert reply.line is not None, reply.notes
    said = await community.read(lambda s: [line.text for line in rooms.recent_lines(s, room_id)])
    assert said.count("are you there?") == 1


async def test_unsay_gives_back_the_pace_the_repeat_and_the_slow_mode() -> None:
    clock = ManualClock(monotonic=100.0)
    flood = FloodControl(clock, lines=1, per_seconds=60.0)
    ok = await flood.check(LineAttempt(1, 7, "first", slow_mode_seconds=30))
    assert ok.reason is FloodReason.OK
    clock.set(101.0)
    second = await flood.check(LineAttempt(1, 7, "second", slow_mode_seconds=30))
    assert second.reason is FloodReason.SLOW_MODE
    await flood.unsay(1, "first")
    clock.set(102.0)
    assert (
        await flood.check(LineAttempt(1, 7, "first", slow_mode_seconds=30))
    ).reason is FloodReason.OK
    # Unsaying a line that was never accepted gives nothing back.
    await flood.unsay(1, "never said")
    clock.set(103.0)
    assert (await flood.check(LineAttempt(1, 8, "other"))).reason is FloodReason.THROTTLED


async def test_a_room_line_is_one_store_transaction_with_the_mute_read_inside_it(
    community: Community,
) -> None:
    member = (await community.accounts.sign_up("Finch", PASSWORD, PASSWORD)).member
    room_id = (await community.rooms.list_rooms(member))[0][0].id
    visit = await community.rooms.enter(room_id, member)
    store = community.store
    calls: list[str] = []
    read, write = store.read, store.write

    async def counted_read(fn):  # type: ignore[no-untyped-def]
        calls.append("read")
        return await read(fn)

    async def counted_write(fn):  # type: ignore[no-untyped-def]
        calls.append("write")
        return await write(fn)

    store.read = counted_read  # type: ignore[method-assign]
    store.write = counted_write  # type: ignore[method-assign]
    try:
        assert (await community.rooms.say(visit, "evening, everyone")).line is not None
    finally:
        del store.read, store.write
    assert calls == ["write"]


async def test_a_muted_members_crisis_words_wait_for_a_moderator_and_bring_the_lines_at_once(
    scored_community: Community,
) -> None:
    community = scored_community
    sysop = (await community.accounts.sign_up("Keeper", PASSWORD, PASSWORD, role=Role.SYSOP)).member
    member = (await community.accounts.sign_up("Sparrow", PASSWORD, PASSWORD)).member
    room_id = (await community.rooms.list_rooms(member))[0][0].id
    visit = await community.rooms.enter(room_id, member)
    await community.admin.sanction(
        sysop.id, "Sparrow", SanctionKind.MUTE, category="Spam", reason="too many links"
    )
    heard = community.events.subscribe(room_topic(room_id), maxsize=16)
    try:
        reply = await community.rooms.say(visit, "I want to end it all tonight")
        # Not refused: kept for a person, with the crisis lines now, and no mute note.
        assert reply.line is not None
        assert CRISIS_HOLD_KEPT in reply.crisis and not reply.notes
        assert heard.drain() == [], "a muted member's line must not reach the room"
    finally:
        heard.unsubscribe()
    shown = await community.read(lambda s: [line.id for line in rooms.recent_lines(s, room_id)])
    assert reply.line.id not in shown
    queue = await community.admin.queue(sysop.id)
    mine = [item for item in queue if item.author == "Sparrow"]
    assert mine and mine[0].kind is FlagKind.CRISIS and queue[0].kind is FlagKind.CRISIS
    # Anything else the muted member says is still refused, as before.
    other = await community.rooms.say(visit, "hello?")
    assert other.line is None and "muted" in other.notes[0]

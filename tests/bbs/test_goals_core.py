"""Goals in the core: bad input, double check-ins, rest, badges, the companion, partners, cheers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select
from support import sign_up_id

from bbs.community import Community
from bbs.config import Settings
from bbs.db import Database
from bbs.goals import companion
from bbs.goals import records as goals
from bbs.goals.records import CheckIn, Cheer
from bbs.goals.streaks import CheckInStatus, GoalError
from bbs.moderation_queue.flags import ModerationFlag
from server.wiring import build_community


def _rows(community: Community, model: type) -> list[dict[str, object]]:
    with community.database.read() as s:
        return [r.model_dump() for r in s.exec(select(model)).all()]


async def test_goal_fields_are_checked_kindly(community: Community) -> None:
    me = await sign_up_id(community, "Ash")
    cases = [
        ({"title": "x" * 10_000}, "120"),
        ({"title": "\x1b\x07\x00\u202e"}, "title"),
        ({"title": "Walk", "cadence": "0"}, "1 to 7"),
        ({"title": "Walk", "cadence": "1000"}, "1 to 7"),
        ({"title": "Walk", "category": "crypto"}, "Category"),
        ({"title": "Walk", "target": "20"}, "measure"),
        ({"title": "Walk", "visibility": "everyone"}, "Visibility"),
    ]
    for fields, words in cases:
        with pytest.raises(GoalError) as error:
            await community.goals.create_goal(me, **fields)
        assert words in str(error.value), fields
    made = await community.goals.create_goal(me, title="\x1b]52;c;aGk=\x07Walk \u202eafter lunch")
    assert "\x1b" not in made.title and "\x07" not in made.title and "\u202e" not in made.title
    assert made.title.endswith("Walk after lunch")
    assert await community.goals.goals(me) != []


async def test_check_ins_in_the_future_or_long_ago_are_refused(community: Community) -> None:
    me = await sign_up_id(community, "Birch")
    goal = await community.goals.create_goal(me, title="Sleep by 11", category="sleep")
    today = await community.goals.today(me)
    for day, words in (
        (today + timedelta(days=1), "hasn't come yet"),
        (today - timedelta(days=730), "two days before"),
        (today - timedelta(days=3), "two days before"),
    ):
        with pytest.raises(GoalError) as error:
            await community.goals.check_in(me, goal.id, CheckInStatus.DONE, day=day)
        assert words in str(error.value)
    for days_ago in (2, 1, 0):
        await community.goals.check_in(me, goal.id, CheckInStatus.DONE, days_ago=days_ago)
    summary = (await community.goals.goals(me))[0]
    assert summary.progress.current_streak == 3
    with pytest.raises(GoalError, match="Mood"):
        await community.goals.check_in(me, goal.id, CheckInStatus.DONE, days_ago=0, mood=9)
    with pytest.raises(GoalError, match="500"):
        await community.goals.check_in(me, goal.id, CheckInStatus.DONE, note="n" * 501)


async def test_time_zone_must_exist_and_moves_the_members_day(community: Community) -> None:
    me = await sign_up_id(community, "Cedar")
    for bad in ("Mars/Olympus", "Europe/Atlantis", "../../etc/passwd"):
        with pytest.raises(GoalError, match="time zone"):
            await community.goals.set_settings(me, time_zone=bad, companion=True)
    assert (await community.goals.settings(me)).time_zone == "UTC"
    await community.goals.set_settings(me, time_zone="Pacific/Kiritimati", companion=False)
    with community.database.read() as s:
        late_utc = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
        assert goals.member_today(s, me, late_utc).isoformat() == "2026-03-02"


@pytest.fixture
def two_connections(settings: Settings, store_url: str) -> Iterator[tuple[Community, Community]]:
    """Two communities (two engines, two pools) on one database: like two server processes,
    on SQLite and again on PostgreSQL."""
    first = build_community(settings, Database(store_url))
    first.prepare()
    second = build_community(settings, Database(store_url))
    yield first, second
    first.close()
    second.close()


async def test_two_connections_checking_in_at_once_store_one_row(
    two_connections: tuple[Community, Community],
) -> None:
    a, b = two_connections
    me = await sign_up_id(a, "Dogwood")
    goal = await a.goals.create_goal(me, title="Walk")
    results = await asyncio.gather(
        *(c.goals.check_in(me, goal.id, CheckInStatus.DONE) for c in (a, b, a, b)),
        return_exceptions=True,
    )
    stored = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(stored) == 1 and len(refused) == 3
    assert all(isinstance(r, GoalError) and "already a check-in" in str(r) for r in refused)
    assert len(_rows(a, CheckIn)) == 1
    assert (await b.goals.goals(me))[0].progress.current_streak == 1


async def test_the_unique_constraint_catches_a_check_in_the_read_missed(
    community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = await sign_up_id(community, "Elm")
    goal = await community.goals.create_goal(me, title="Walk")
    await community.goals.check_in(me, goal.id, CheckInStatus.DONE)
    # As if another connection committed between our read and our insert.
    monkeypatch.setattr(goals, "_check_ins", lambda _s, _g: [])
    with pytest.raises(GoalError, match="already a check-in"):
        await community.goals.check_in(me, goal.id, CheckInStatus.PARTIAL)
    assert len(_rows(community, CheckIn)) == 1


async def test_rest_days_keep_the_streak_and_nothing_is_due(community: Community) -> None:
    me = await sign_up_id(community, "Fir")
    goal = await community.goals.create_goal(me, title="Run")
    now = datetime.now(UTC)
    with community.database.write() as s:
        for back in (2, 1):
            goals.record_check_in(
                s,
                member_id=me,
                goal_id=goal.id,
                status=CheckInStatus.DONE,
                day=goals.member_today(s, me) - timedelta(days=back),
            )
    await community.goals.rest(me, 3)
    with community.database.read() as s:
        later = goals.goal_list(s, member_id=me, now=now + timedelta(days=2))[0].progress
    assert later.resting_today and not later.due_today
    assert later.current_streak == 2 and later.total_check_ins == 2
    assert await community.goals.end_rest(me)
    assert (await community.goals.goals(me))[0].progress.due_today


async def test_badges_for_first_three_and_a_streak_and_sharing_is_a_choice(
    community: Community,
) -> None:
    me = await sign_up_id(community, "Gorse")
    community.moderation.set_scorer(None)
    goal = await community.goals.create_goal(me, title="Meditate", measure="minutes")
    first = await community.goals.check_in(me, goal.id, CheckInStatus.DONE, days_ago=2, value=5)
    assert [b.label() for b in first.result.new_badges] == ["First check-in"]
    await community.goals.check_in(me, goal.id, CheckInStatus.PARTIAL, days_ago=1)
    third = await community.goals.check_in(me, goal.id, CheckInStatus.DONE)
    assert {b.label() for b in third.result.new_badges} == {"3 check-ins", "3-day streak"}
    assert "Milestone" in third.companion and third.companion.startswith("Companion (automated)")
    assert len(await community.goals.badges(me)) == 3
    wins = next(b for b in await community.boards.board_list(me) if b.name == "Wins")
    assert wins.threads == 0  # nothing is announced unless the member asks
    community.boards.rules = type(community.boards.rules)(
        interval=timedelta(0), new_account_interval=timedelta(0)
    )
    outcome = await community.goals.announce(me, third.result.new_badges[0], "day")
    assert outcome.post is not None and "Meditate" in outcome.post.body


async def test_low_mood_and_crisis_notes_bring_help_and_crisis_alerts_moderators(
    scored_community: Community,
) -> None:
    community = scored_community
    me = await sign_up_id(community, "Hawthorn")
    goal = await community.goals.create_goal(me, title="Get outside")
    low = await community.goals.check_in(
        me, goal.id, CheckInStatus.MISSED, days_ago=1, mood=1, note="heavy day"
    )
    assert not low.crisis and "talk to" in low.help
    assert "help screen" in low.companion and "(automated)" in low.companion
    assert _rows(community, ModerationFlag) == []
    await community.goals.set_settings(me, time_zone="UTC", companion=False)
    crisis = await community.goals.check_in(
        me, goal.id, CheckInStatus.MISSED, note="I want to end it all"
    )
    assert crisis.crisis and crisis.companion == ""  # companion off; help never is
    assert "not in trouble" in crisis.help
    for word in ("fail", "should", "lazy"):
        assert word not in crisis.help.lower() and word not in low.companion.lower()
    [flag] = _rows(community, ModerationFlag)
    assert (flag["kind"], flag["target_kind"], flag["author_id"]) == ("crisis", "check_in", me)
    assert flag["target_id"] == crisis.result.check_in.id


async def test_partners_invite_accept_see_shared_goals_cheer_and_end(
    scored_community: Community,
) -> None:
    community = scored_community
    ivy = await sign_up_id(community, "Ivy")
    jay = await sign_up_id(community, "Jay")
    shared = await community.goals.create_goal(ivy, title="Swim", visibility="partners")
    await community.goals.create_goal(ivy, title="Private one")
    await community.goals.check_in(ivy, shared.id, CheckInStatus.DONE, mood=4)
    with pytest.raises(GoalError):
        await community.goals.partner_goals(jay, ivy)
    with pytest.raises(GoalError, match="no member"):
        await community.goals.invite(ivy, "nobody")
    with pytest.raises(GoalError, match="own partner"):
        await community.goals.invite(ivy, "ivy")
    invite = await community.goals.invite(ivy, "JAY")
    with pytest.raises(GoalError, match="waiting"):
        await community.goals.invite(ivy, "jay")
    [incoming] = await community.goals.partnerships(jay)
    assert incoming.incoming and incoming.other == "Ivy"
    await community.goals.answer(jay, invite.id, True)
    seen = await community.goals.partner_goals(jay, ivy)
    assert [s.goal.title for s in seen] == ["Swim"]
    detail = await community.goals.detail(jay, shared.id)
    assert detail.recent[0].mood == 4 and detail.owner == "Ivy"
    # A note the model would hold is the author's alone; the check-in itself is shared.
    await community.goals.check_in(
        ivy, shared.id, CheckInStatus.DONE, days_ago=1, note="my idiot boss"
    )
    theirs = (await community.goals.detail(jay, shared.id)).recent
    mine = (await community.goals.detail(ivy, shared.id)).recent
    assert [c.note for c in theirs] == ["", ""] and mine[1].note == "my idiot boss"
    cheer = await community.goals.cheer(jay, ivy, "Proud of you!", goal_id=shared.id)
    assert not cheer.cheer.held and cheer.note == ""
    held = await community.goals.cheer(jay, ivy, "you idiot")
    assert held.cheer.held and "moderator" in held.note
    assert [c.body for c in await community.goals.cheers(ivy)] == ["Proud of you!"]
    assert await community.goals.unseen_cheers(ivy) == 0
    assert [f["target_kind"] for f in _rows(community, ModerationFlag)] == ["cheer"]
    await community.goals.end_partnership(ivy, invite.id)
    with pytest.raises(GoalError):
        await community.goals.detail(jay, shared.id)
    with pytest.raises(GoalError, match="partners only"):
        await community.goals.cheer(jay, ivy, "still here")
    assert len(_rows(community, Cheer)) == 2


async def test_a_blocked_member_can_neither_invite_nor_cheer(community: Community) -> None:
    from bbs.accounts.blocks import BlockKind

    kim = await sign_up_id(community, "Kim")
    lee = await sign_up_id(community, "Lee")
    invite = await community.goals.invite(kim, "lee")
    await community.goals.answer(lee, invite.id, True)
    await community.mail.set_block(lee, kim, BlockKind.BLOCK, True)
    with pytest.raises(GoalError):
        await community.goals.cheer(kim, lee, "go go go")
    await community.goals.end_partnership(lee, invite.id)
    with pytest.raises(GoalError, match="can't invite"):
        await community.goals.invite(kim, "lee")
    with pytest.raises(GoalError, match="can't invite"):
        await community.goals.invite(lee, "kim")  # blocking works both ways for partners


async def test_a_declined_invitation_cannot_be_repeated_at_once(community: Community) -> None:
    nia = await sign_up_id(community, "Nia")
    oak = await sign_up_id(community, "Oak")
    invite = await community.goals.invite(nia, "oak")
    await community.goals.answer(oak, invite.id, False)
    assert await community.goals.partnerships(nia) == []
    with pytest.raises(GoalError, match="recently"):
        await community.goals.invite(nia, "oak")
    invite_back = await community.goals.invite(oak, "nia")  # they may still ask, though
    assert invite_back.other == "Nia"


async def test_greeting_names_what_is_due_and_is_silent_when_turned_off(
    community: Community,
) -> None:
    me = await sign_up_id(community, "Maple")
    # The words vary by day (chosen per member and date): any of the "nothing due" ones.
    nothing = (await community.goals.greeting(me, "Maple")).text
    assert any(words in nothing for words in companion._NOTHING_DUE), nothing
    await community.goals.create_goal(me, title="Journal")
    hello = await community.goals.greeting(me, "Maple")
    assert [s.goal.title for s in hello.due] == ["Journal"]
    assert hello.text.startswith("Companion (automated):") and "Journal" in hello.text
    await community.goals.set_settings(me, time_zone="Europe/Berlin", companion=False)
    quiet = await community.goals.greeting(me, "Maple")
    assert quiet.text == "" and len(quiet.due) == 1


async def test_community_goals_show_progress_to_all_but_moods_and_notes_to_partners(
    community: Community,
) -> None:
    from bbs.accounts.blocks import BlockKind

    pia = await sign_up_id(community, "Pia")
    quinn = await sign_up_id(community, "Quinn")
    open_goal = await community.goals.create_goal(pia, title="Couch to 5k", visibility="community")
    await community.goals.create_goal(pia, title="Just mine")
    await community.goals.check_in(pia, open_goal.id, CheckInStatus.DONE, mood=2, note="tired")
    seen = await community.goals.shared_goals(quinn, pia)
    assert [s.goal.title for s in seen] == ["Couch to 5k"]
    detail = await community.goals.detail(quinn, open_goal.id)
    assert detail.summary.progress.current_streak == 1
    assert detail.recent[0].note == "" and detail.recent[0].mood is None
    assert all(m.mood is None for m in detail.marks)
    await community.mail.set_block(pia, quinn, BlockKind.BLOCK, True)
    assert await community.goals.shared_goals(quinn, pia) == []
    with pytest.raises(GoalError):
        await community.goals.detail(quinn, open_goal.id)


async def test_a_crisis_check_in_gets_the_crisis_note_alone(scored_community: Community) -> None:
    community = scored_community
    me = await sign_up_id(community, "Hawthorn")
    goal = await community.goals.create_goal(me, title="Get outside")
    # A first check-in earns a badge: normally a milestone and an offer to share it.
    outcome = await community.goals.check_in(
        me, goal.id, CheckInStatus.DONE, note="I want to end it all tonight"
    )
    assert outcome.crisis and outcome.result.new_badges
    assert outcome.companion == ""  # no "a fresh start is still a start", no milestone
    assert "not in trouble" in outcome.help and "Milestone" not in outcome.help


@pytest.mark.parametrize("typed", ["²", "³x", "½", "1²"])
def test_digit_like_characters_that_are_no_number_get_the_kind_message(typed: str) -> None:
    # str.isdigit() says yes to superscripts, and int() then raised ValueError.
    with pytest.raises(GoalError, match="Cadence can be"):
        goals.clean_goal(title="Walk", cadence=typed)
    with pytest.raises(GoalError, match="Target is a whole number"):
        goals.clean_goal(title="Walk", measure="count", target=typed)


def test_numbers_in_other_scripts_are_still_numbers() -> None:
    draft = goals.clean_goal(title="Walk", cadence="٣", measure="count", target="१२")
    assert draft.cadence.required == 3
    assert draft.target == 12

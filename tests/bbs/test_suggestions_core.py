"""Suggestions in the core: opt-in, opt-out deletion, explanations, dismissal, peer privacy."""

from __future__ import annotations

import pytest
from sqlmodel import select
from support import NO_WAIT, board_id, post_in, sign_up_id

from bbs.accounts.blocks import BlockKind
from bbs.community import Community
from bbs.goals.streaks import CheckInStatus
from bbs.suggestions.records import (
    NO_THEMES,
    NOTHING_YET,
    OPT_IN_TEXT,
    SuggestionDismissal,
    SuggestionError,
    SuggestionProfile,
)
from suggest.engine import SeedThemeEngine


@pytest.fixture
def town(store_community: Community) -> Community:
    """A community with the theme engine and no posting intervals, on SQLite and again on
    PostgreSQL when BBS_TEST_POSTGRES_URL is set."""
    store_community.suggestions.set_engine(SeedThemeEngine())
    store_community.boards.rules = NO_WAIT
    return store_community


async def _opt_in(community: Community, member_id: int, *, peers: bool = False) -> None:
    await community.suggestions.set_settings(member_id, suggestions_on=True, peers=peers)


def _count(community: Community, model: type, member_id: int) -> int:
    with community.database.read() as s:
        return len(s.exec(select(model).where(model.member_id == member_id)).all())  # type: ignore[attr-defined]


async def test_suggestions_and_peer_matching_are_off_until_a_member_says_yes(
    town: Community,
) -> None:
    me = await sign_up_id(town, "Ada")
    await post_in(town, me, "Sleep", "Awake at 3am", "I cannot sleep, insomnia every night.")
    settings = await town.suggestions.settings(me)
    assert not settings.suggestions and not settings.peers
    shown = await town.suggestions.for_you(me)
    assert not shown.enabled and shown.suggestions == ()
    await town.suggestions.refresh_pass()  # the background pass reads no one who said no
    assert _count(town, SuggestionProfile, me) == 0
    # Peer matching alone is not possible: it needs suggestions on.
    view = await town.suggestions.set_settings(me, suggestions_on=False, peers=True)
    assert not view.peers
    assert "Nothing leaves" in OPT_IN_TEXT and "check-in notes" in OPT_IN_TEXT


async def test_a_sleep_post_brings_the_sleep_board_and_says_why(town: Community) -> None:
    me = await sign_up_id(town, "Bea")
    await post_in(
        town, me, "Off-topic", "Nights", "I cannot sleep. Awake at 3am, so tired, insomnia again."
    )
    await _opt_in(town, me)
    shown = await town.suggestions.for_you(me)
    boards = [s for s in shown.suggestions if s.kind == "board"]
    assert boards[0].title == "Sleep"
    assert boards[0].why == "because you wrote about sleep"
    assert shown.themes[0] == "sleep"


async def test_a_goal_explains_itself_as_a_goal(town: Community) -> None:
    me = await sign_up_id(town, "Cai")
    await town.goals.create_goal(me, title="Stay off the booze", category="sobriety")
    await _opt_in(town, me)
    shown = await town.suggestions.for_you(me)
    recovery = next(s for s in shown.suggestions if s.title == "Recovery")
    assert recovery.why == "because your goal is sobriety"


async def test_nothing_written_is_an_honest_nothing_yet(town: Community) -> None:
    me = await sign_up_id(town, "Dee")
    await _opt_in(town, me)
    shown = await town.suggestions.for_you(me)
    assert shown.enabled and shown.message == NOTHING_YET and shown.suggestions == ()


async def test_another_language_falls_back_to_popular_places_and_says_so(town: Community) -> None:
    me = await sign_up_id(town, "Eli")
    await post_in(town, me, "Off-topic", "Nuits", "Je ne dors plus, je me réveille à trois heures.")
    await post_in(town, me, "Off-topic", "眠れない", "毎晩三時に目が覚めます。")
    await _opt_in(town, me)
    shown = await town.suggestions.for_you(me)
    assert shown.message == NO_THEMES
    assert shown.suggestions and all(s.why for s in shown.suggestions)
    assert {s.why for s in shown.suggestions} <= {
        "popular here this month",
        "a good place to start",
    }


async def test_turning_suggestions_off_deletes_what_they_learned(town: Community) -> None:
    me = await sign_up_id(town, "Fay")
    await post_in(town, me, "Sleep", "Awake", "insomnia and nightmares, awake all night")
    await _opt_in(town, me)
    shown = await town.suggestions.for_you(me)
    first = shown.suggestions[0]
    await town.suggestions.dismiss(me, first.kind, first.item_id, first.theme)
    assert _count(town, SuggestionProfile, me) == 1
    assert _count(town, SuggestionDismissal, me) == 1
    await town.suggestions.set_settings(me, suggestions_on=False, peers=False)
    assert _count(town, SuggestionProfile, me) == 0
    assert _count(town, SuggestionDismissal, me) == 0
    assert not (await town.suggestions.for_you(me)).enabled
    with pytest.raises(SuggestionError):
        await town.suggestions.dismiss(me, "board", 1, "sleep")


async def test_a_dismissed_item_never_comes_back_and_its_theme_weighs_less(town: Community) -> None:
    me = await sign_up_id(town, "Gus")
    other = await sign_up_id(town, "Hope")
    thread = await post_in(town, other, "Sleep", "Sleep routine", "A bedtime routine for insomnia")
    await post_in(
        town,
        me,
        "Off-topic",
        "Two things",
        "I cannot sleep at night, insomnia. And work: my boss and my job and the office shifts.",
    )
    await post_in(town, me, "Off-topic", "Nights", "Awake again at 4am, so tired, no sleep.")
    await _opt_in(town, me)
    before = await town.suggestions.for_you(me)
    assert before.themes[:2] == ("sleep", "work")
    sleep_board = next(s for s in before.suggestions if s.title == "Sleep")
    sleep_thread = next(s for s in before.suggestions if s.item_id == thread)
    await town.suggestions.dismiss(me, "board", sleep_board.item_id, sleep_board.theme)
    await town.suggestions.dismiss(me, "thread", sleep_thread.item_id, sleep_thread.theme)
    after = await town.suggestions.for_you(me)
    assert {(s.kind, s.item_id) for s in after.suggestions}.isdisjoint(
        {("board", sleep_board.item_id), ("thread", thread)}
    )
    # Two dismissals for sleep: work now weighs more for this member than sleep does.
    assert after.themes[:2] == ("work", "sleep")


async def test_threads_respect_holds_blocks_and_authors(town: Community) -> None:
    me = await sign_up_id(town, "Hal")
    other = await sign_up_id(town, "Ivy")
    blocked = await sign_up_id(town, "Jo")
    await post_in(town, me, "Sleep", "My nights", "insomnia, awake at 3am, tired")
    open_thread = await post_in(
        town,
        other,
        "Sleep",
        "Sleep hygiene that helped",
        "A bedtime routine and no caffeine helped my insomnia.",
    )
    blocked_thread = await post_in(
        town, blocked, "Sleep", "Nightmares", "Nightmares wake me, I cannot sleep after."
    )
    warned = await town.boards.create_thread(
        other,
        await board_id(town, other, "Sleep"),
        title="Bad nights",
        body="insomnia and nightmares every night",
        warning="self-harm",
    )
    assert warned.post is not None
    held = await post_in(town, other, "Sleep", "Sleepless", "awake at 3am, insomnia, tired")
    with town.database.write() as s:
        from bbs.boards.records import Thread

        row = s.get(Thread, held)
        assert row is not None
        row.status = "held"  # as the moderation gate holds a thread for review
        s.add(row)
    await town.mail.set_block(blocked, me, BlockKind.BLOCK, True)
    await _opt_in(town, me)
    shown = await town.suggestions.for_you(me)
    threads = {s.item_id for s in shown.suggestions if s.kind == "thread"}
    assert held not in threads
    assert open_thread in threads
    assert blocked_thread not in threads
    assert warned.post.thread_id not in threads  # content warnings are opened by choice
    assert all(s.title != "My nights" for s in shown.suggestions)  # not my own thread


async def test_new_writing_refreshes_in_the_background_pass(town: Community) -> None:
    me = await sign_up_id(town, "Kit")
    await _opt_in(town, me)
    assert (await town.suggestions.for_you(me)).message == NOTHING_YET
    await post_in(town, me, "Off-topic", "Grief", "My mum died last month and the grief is heavy.")
    assert await town.suggestions.refresh_pass() == 1
    shown = await town.suggestions.for_you(me)
    assert "grief" in shown.themes


async def test_thousands_of_posts_read_only_the_most_recent(town: Community) -> None:
    from bbs.suggestions import records as suggestions

    me = await sign_up_id(town, "Lou")
    board = await board_id(town, me, "Off-topic")
    with town.database.write() as s:
        from bbs.boards.records import Post, Thread

        thread = Thread(board_id=board, author_id=me, title="Diary", post_count=3000)
        s.add(thread)
        s.flush()
        for seq in range(1, 3001):
            s.add(
                Post(
                    thread_id=thread.id,
                    seq=seq,
                    author_id=me,  # type: ignore[arg-type]
                    body=f"day {seq}: could not sleep, awake all night",
                )
            )
    with town.database.read() as s:
        texts = suggestions.member_texts(s, me)
    assert len(texts.texts) == suggestions.MAX_POSTS
    await _opt_in(town, me)
    assert (await town.suggestions.for_you(me)).themes[0] == "sleep"


# -- peers ----------------------------------------------------------------------------
async def _sleepers(town: Community, names: list[str], *, peers: bool = True) -> list[int]:
    ids = []
    for name in names:
        member = await sign_up_id(town, name)
        await post_in(
            town,
            member,
            "Sleep",
            f"{name}'s nights",
            "Insomnia again, awake at 3am, so tired. Any sleep routine tips?",
        )
        await _opt_in(town, member, peers=peers)
        ids.append(member)
    await town.suggestions.refresh_pass()
    return ids


async def test_peers_are_matched_only_when_both_opted_in(town: Community) -> None:
    me, friend = await _sleepers(town, ["Max", "Ned"])
    shy = await sign_up_id(town, "Oli")
    await post_in(town, shy, "Sleep", "Nights", "Insomnia, awake at 3am, cannot sleep.")
    # Shy opted in to suggestions but not to peer matching.
    await _opt_in(town, shy, peers=False)
    await town.suggestions.refresh_pass()
    shown = await town.suggestions.for_you(me)
    names = {p.pseudonym for p in shown.peers}
    assert names == {"Ned"}
    assert shown.peers[0].shared == ("sleep",)
    # A member without peer matching sees nobody either.
    assert (await town.suggestions.for_you(shy)).peers == ()
    # And once Ned turns peer matching off, he is gone at once.
    await town.suggestions.set_settings(friend, suggestions_on=True, peers=False)
    assert (await town.suggestions.for_you(me)).peers == ()


async def test_blocked_members_are_never_matched(town: Community) -> None:
    me, _friend, other = await _sleepers(town, ["Pam", "Quin", "Ray"])
    await town.mail.set_block(other, me, BlockKind.BLOCK, True)
    names = {p.pseudonym for p in (await town.suggestions.for_you(me)).peers}
    assert names == {"Quin"}
    assert "Pam" not in {p.pseudonym for p in (await town.suggestions.for_you(other)).peers}


async def test_private_check_in_notes_of_others_never_show_as_shared_themes(
    town: Community,
) -> None:
    me = await sign_up_id(town, "Sal")
    await post_in(town, me, "Off-topic", "Loss", "Grief since my dad died; I miss him.")
    await post_in(town, me, "Sleep", "Nights", "Insomnia, awake at 3am.")
    other = await sign_up_id(town, "Tam")
    await post_in(town, other, "Sleep", "Nights", "Insomnia, awake at 3am, tired.")
    goal = await town.goals.create_goal(other, title="Walk daily")
    await town.goals.check_in(
        other,
        goal.id,
        CheckInStatus.DONE,
        note="grief today, my dad died, funeral, miss him so much",
    )
    await _opt_in(town, me, peers=True)
    await _opt_in(town, other, peers=True)
    await town.suggestions.refresh_pass()
    [match] = (await town.suggestions.for_you(me)).peers
    assert match.pseudonym == "Tam"
    assert "grief" not in match.shared and match.shared == ("sleep",)
    # Tam's own suggestions may use Tam's notes: they are Tam's.
    assert "grief" in (await town.suggestions.for_you(other)).themes


async def test_a_private_goal_is_not_a_shared_theme_but_a_community_goal_is(
    town: Community,
) -> None:
    me = await sign_up_id(town, "Uma")
    await town.goals.create_goal(
        me, title="Stay sober", category="sobriety", visibility="community"
    )
    hidden = await sign_up_id(town, "Val")
    await town.goals.create_goal(hidden, title="Stay sober", category="sobriety")
    shown = await sign_up_id(town, "Wes")
    await town.goals.create_goal(
        shown, title="Stay sober", category="sobriety", visibility="community"
    )
    for m in (me, hidden, shown):
        await _opt_in(town, m, peers=True)
    await town.suggestions.refresh_pass()
    assert {p.pseudonym for p in (await town.suggestions.for_you(me)).peers} == {"Wes"}


async def test_invite_and_message_go_through_goals_and_message_rules(town: Community) -> None:
    from bbs.boards.records import PostError
    from bbs.mail.records import WhoMayWrite

    me, friend = await _sleepers(town, ["Xia", "Yan"])
    partnership = await town.suggestions.invite_peer(me, friend)
    assert partnership.other == "Yan"
    await town.mail.set_who_may_write(friend, WhoMayWrite.NOBODY)
    with pytest.raises(PostError):
        await town.suggestions.peer_to_write(me, friend)
    outsider = await sign_up_id(town, "Zed")
    with pytest.raises(SuggestionError):
        await town.suggestions.invite_peer(me, outsider)


async def test_the_dashboard_names_this_weeks_themes_from_threads(town: Community) -> None:
    from bbs.models import Role

    sysop = await sign_up_id(town, "Harbour", Role.SYSOP)
    writer = await sign_up_id(town, "Ash")
    for title in ("Awake at 3am", "Insomnia again", "No sleep"):
        await post_in(town, writer, "Off-topic", title, "cannot sleep, awake all night, tired")
    await post_in(town, writer, "Off-topic", "Boss", "my boss and my job and the office")
    stats = await town.admin.dashboard(sysop)
    assert stats.themes == ()  # nobody opted in, but threads are public: the pass reads them
    await town.suggestions.refresh_pass()
    stats = await town.admin.dashboard(sysop)
    assert stats.themes[0] == ("sleep", 3)
    assert ("work", 1) in stats.themes

"""Crisis words that also read as harassment (CRISIS_HOLD): the text waits for a person, the
writer gets the crisis lines at once, moderators get a crisis alert at the top of the queue,
and each of the two queue items is settled on its own (issue 17)."""

from __future__ import annotations

import pytest
from support import let_new_members_write, sign_up

from bbs.admin.review import Decision
from bbs.boards.records import PostError, PostStatus
from bbs.community import Community
from bbs.goals.streaks import GoalError
from bbs.models import Role
from bbs.moderation_queue.flags import FlagKind
from bbs.moderation_queue.policy import CRISIS_HOLD_KEPT, Action
from bbs.moderation_queue.sanctions import SanctionKind

# The stand-in model (tests/conftest.py): "idiot" is abuse, "end it all" a crisis.
ABUSE_AND_CRISIS = "you idiot, and I want to end it all tonight"


async def _board(community: Community, member_id: int) -> int:
    return (await community.boards.board_list(member_id))[0].id


async def test_a_post_with_crisis_and_abuse_waits_and_its_writer_gets_the_lines(
    scored_community: Community,
) -> None:
    community = scored_community
    writer = await sign_up(community, "Rowan")
    reader = await sign_up(community, "Sorrel")
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    board = await _board(community, writer.id)

    outcome = await community.boards.create_thread(
        writer.id, board, title="tonight", body=ABUSE_AND_CRISIS
    )

    assert outcome.action is Action.CRISIS_HOLD and outcome.held
    assert CRISIS_HOLD_KEPT in outcome.note
    assert "crisis" in outcome.note.lower() or "talk to someone" in outcome.note
    assert outcome.post is not None and outcome.post.status is PostStatus.HELD
    # Nobody else sees it yet.
    threads = (await community.boards.thread_list(reader.id, board)).threads
    assert all(t.title != "tonight" for t in threads)
    # The crisis alert comes first in the queue; the hold is there too.
    queue = await community.admin.queue(sysop.id)
    kinds = [i.kind for i in queue if i.author == "Rowan"]
    assert kinds[0] is FlagKind.CRISIS and FlagKind.HOLD in kinds
    assert queue[0].kind is FlagKind.CRISIS

    # Acknowledging the alert does not settle whether the post is shown...
    crisis = next(i for i in queue if i.kind is FlagKind.CRISIS)
    await community.admin.decide(sysop.id, crisis.flag_id, Decision.ACKNOWLEDGE)
    left = [i.kind for i in await community.admin.queue(sysop.id) if i.author == "Rowan"]
    assert left == [FlagKind.HOLD]
    # ...and deciding the hold does: here the moderator hides it.
    hold = next(i for i in await community.admin.queue(sysop.id) if i.author == "Rowan")
    await community.admin.decide(
        sysop.id, hold.flag_id, Decision.HIDE, category="harassment", reason="insult"
    )
    assert not [i for i in await community.admin.queue(sysop.id) if i.author == "Rowan"]
    threads = (await community.boards.thread_list(reader.id, board)).threads
    assert all(t.title != "tonight" for t in threads)


async def test_crisis_words_alone_are_published_with_the_lines(
    scored_community: Community,
) -> None:
    community = scored_community
    writer = await sign_up(community, "Rowan")
    reader = await sign_up(community, "Sorrel")
    board = await _board(community, writer.id)

    outcome = await community.boards.create_thread(
        writer.id, board, title="tonight", body="I want to end it all tonight"
    )

    assert outcome.action is Action.CRISIS and not outcome.held
    assert outcome.post is not None and outcome.post.status is PostStatus.VISIBLE
    assert CRISIS_HOLD_KEPT not in outcome.note
    threads = (await community.boards.thread_list(reader.id, board)).threads
    assert any(t.title == "tonight" for t in threads)


async def test_a_private_message_with_crisis_and_abuse_waits(
    scored_community: Community,
) -> None:
    community = scored_community
    let_new_members_write(community.database)
    writer = await sign_up(community, "Rowan")
    reader = await sign_up(community, "Sorrel")
    sysop = await sign_up(community, "Keeper", Role.SYSOP)

    outcome = await community.mail.send_message(writer.id, reader.id, ABUSE_AND_CRISIS)

    assert outcome.action is Action.CRISIS_HOLD and CRISIS_HOLD_KEPT in outcome.note
    assert outcome.message is not None and outcome.message.status is PostStatus.HELD
    kinds = {i.kind for i in await community.admin.queue(sysop.id) if i.author == "Rowan"}
    assert kinds == {FlagKind.CRISIS, FlagKind.HOLD}


async def test_a_goal_title_with_crisis_and_abuse_is_saved_private_and_alerted(
    scored_community: Community,
) -> None:
    community = scored_community
    writer = await sign_up(community, "Rowan")
    sysop = await sign_up(community, "Keeper", Role.SYSOP)

    goal = await community.goals.create_goal(
        writer.id,
        title=ABUSE_AND_CRISIS,
        category="mood",
        cadence="daily",
        measure="",
        target="",
        visibility="community",
    )

    assert goal.crisis and goal.visibility.value == "private"
    kinds = [i.kind for i in await community.admin.queue(sysop.id) if i.author == "Rowan"]
    assert kinds == [FlagKind.CRISIS]


async def test_the_help_texts_lines_reach_the_scorer(scored_community: Community) -> None:
    community = scored_community
    seen: list[str] = []

    class Trusting:
        def score(self, texts: object) -> list[object]:
            return []

        def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
            return {}

        def set_trusted_text(self, text: str) -> None:
            seen.append(text)

    community.moderation.set_scorer(Trusting())  # type: ignore[arg-type]
    help_text = await community.texts.help_text()
    # Every language's help is trusted, the default (English) one first.
    assert seen and seen[-1].startswith(help_text)
    for lang in ("es", "fr", "de", "pt"):
        assert (await community.texts.help_text(lang)).strip() in seen[-1]
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    await community.admin.set_help_text(sysop.id, "Call 988 any time.")
    assert seen[-1].startswith("Call 988 any time.")


async def test_a_room_line_with_crisis_and_abuse_is_not_delivered(
    scored_community: Community,
) -> None:
    community = scored_community
    writer = await sign_up(community, "Rowan")
    listener = await sign_up(community, "Sorrel")
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    visit = await community.rooms.enter(1, writer)
    other = await community.rooms.enter(1, listener)
    sub = community.rooms.subscribe(other, lambda: None)

    reply = await community.rooms.submit(visit, ABUSE_AND_CRISIS)

    assert CRISIS_HOLD_KEPT in reply.crisis
    assert [e for e in sub.drain() if e.kind == "room.line"] == []
    kinds = {i.kind for i in await community.admin.queue(sysop.id) if i.author == "Rowan"}
    assert kinds == {FlagKind.CRISIS, FlagKind.HOLD}


async def test_a_muted_members_crisis_post_and_message_wait_for_a_moderator(
    scored_community: Community,
) -> None:
    """A mute refuses what a member writes, but never crisis words: those wait for a
    person as a priority crisis alert and the writer gets the crisis lines at once."""
    community = scored_community
    let_new_members_write(community.database)
    writer = await sign_up(community, "Rowan")
    reader = await sign_up(community, "Sorrel")
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    board = await _board(community, writer.id)
    await community.admin.sanction(
        sysop.id, "Rowan", SanctionKind.MUTE, category="Spam", reason="too many links"
    )

    post = await community.boards.create_thread(
        writer.id, board, title="tonight", body="I want to end it all tonight"
    )
    assert post.action is Action.CRISIS_HOLD and CRISIS_HOLD_KEPT in post.note
    assert post.post is not None and post.post.status is PostStatus.HELD
    threads = (await community.boards.thread_list(reader.id, board)).threads
    assert all(t.title != "tonight" for t in threads)

    sent = await community.mail.send_message(writer.id, reader.id, "I want to end it all")
    assert sent.action is Action.CRISIS_HOLD and CRISIS_HOLD_KEPT in sent.note
    assert sent.message is not None and sent.message.status is PostStatus.HELD

    queue = await community.admin.queue(sysop.id)
    assert queue[0].kind is FlagKind.CRISIS
    kinds = [i.kind for i in queue if i.author == "Rowan"]
    assert kinds.count(FlagKind.CRISIS) == 2
    # Anything else stays refused while the mute lasts.
    with pytest.raises(PostError, match="muted"):
        await community.boards.create_thread(writer.id, board, title="hi", body="hello all")
    with pytest.raises(PostError, match="muted"):
        await community.mail.send_message(writer.id, reader.id, "hello")


async def test_a_muted_partners_crisis_cheer_waits_and_brings_the_lines(
    scored_community: Community,
) -> None:
    community = scored_community
    ivy = await sign_up(community, "Ivy")
    jay = await sign_up(community, "Jay")
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    invite = await community.goals.invite(ivy.id, "Jay")
    await community.goals.answer(jay.id, invite.id, True)
    await community.admin.sanction(
        sysop.id, "Jay", SanctionKind.MUTE, category="Spam", reason="too many links"
    )

    cheer = await community.goals.cheer(jay.id, ivy.id, "I want to end it all tonight")

    assert cheer.cheer.held and CRISIS_HOLD_KEPT in cheer.note
    assert await community.goals.cheers(ivy.id) == []
    queue = await community.admin.queue(sysop.id)
    assert queue[0].kind is FlagKind.CRISIS and queue[0].author == "Jay"
    with pytest.raises(GoalError, match="muted"):
        await community.goals.cheer(jay.id, ivy.id, "well done!")

"""Boards, threads, posts, search, drafts and messages in the core, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select
from support import NO_WAIT, add_member

from bbs.accounts import blocks
from bbs.accounts.blocks import BlockKind
from bbs.boards import records as boards
from bbs.boards.records import PostError, PostingRules, PostStatus, search
from bbs.db import Database
from bbs.mail import records as messages
from bbs.mail.records import WhoMayWrite
from bbs.models import Member, Role, utcnow
from bbs.moderation_queue.flags import ModerationFlag, Written
from bbs.moderation_queue.policy import Action


@pytest.fixture
def db(store: Database) -> Database:
    return store


def _board(db: Database, name: str = "Anxiety") -> int:
    with db.read() as session:
        return next(b.id for b in boards.all_boards(session) if b.name == name)


def _thread(
    db: Database,
    author: int,
    title: str = "Hello",
    body: str = "First post",
    *,
    warning: str = "",
    action: Action = Action.ALLOW,
    board: str = "Anxiety",
) -> boards.PostView:
    board_id = _board(db, board)
    with db.write() as session:
        return boards.create_thread(
            session,
            author_id=author,
            board_id=board_id,
            written=Written(boards.clean_post(title, body, warning), action),
            rules=NO_WAIT,
        )


def _reply(
    db: Database,
    author: int,
    thread_id: int,
    body: str = "A reply",
    *,
    action: Action = Action.ALLOW,
    warning: str = "",
) -> boards.PostView:
    with db.write() as session:
        return boards.create_reply(
            session,
            author_id=author,
            thread_id=thread_id,
            written=Written(boards.clean_post(None, body, warning), action),
            rules=NO_WAIT,
        )


def _page(db: Database, member: int, thread_id: int, **kw: int) -> boards.ThreadPage:
    with db.read() as session:
        return boards.thread_page(session, member_id=member, thread_id=thread_id, **kw)


def _flags(db: Database) -> list[tuple[str, int]]:
    with db.read() as session:
        return [(f.kind, f.target_id) for f in session.exec(select(ModerationFlag)).all()]


def test_default_boards_exist_once_and_sysops_manage_them(db: Database) -> None:
    with db.write() as session:
        assert boards.ensure_default_boards(session) == 0  # the migration seeded them
        names = [b.name for b in boards.all_boards(session)]
        assert names[:3] == ["Introductions", "Anxiety", "Low mood"] and len(names) == 8
        boards.add_board(session, "Grief", "Loss and missing people")
        boards.rename_board(session, "grief", "Grief and loss")
        boards.move_board(session, "Grief and loss", 1)
        boards.archive_board(session, "Off-topic")
        with pytest.raises(PostError):
            boards.add_board(session, "anxiety")
    with db.read() as session:
        listed = [b.name for b in boards.board_list(session, member_id=1)]
    assert listed[0] == "Grief and loss" and "Off-topic" not in listed


def test_unread_counts_and_jump_to_first_unread(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    first = _thread(db, alice)
    for n in range(4):
        _reply(db, alice, first.thread_id, f"reply {n}")
    with db.read() as session:
        anxiety = next(b for b in boards.board_list(session, member_id=bea) if b.name == "Anxiety")
        mine = next(b for b in boards.board_list(session, member_id=alice) if b.name == "Anxiety")
    assert (anxiety.threads, anxiety.unread) == (1, 5)
    assert mine.unread == 0
    page = _page(db, bea, first.thread_id, limit=2)
    assert [p.seq for p in page.posts] == [1, 2] and page.has_after
    with db.write() as session:
        boards.mark_read(session, member_id=bea, thread_id=first.thread_id, seq=3)
        boards.mark_read(session, member_id=bea, thread_id=first.thread_id, seq=1)  # no going back
    page = _page(db, bea, first.thread_id)
    # Opened at the first unread post (4) with the posts before it: from the first post.
    assert [p.seq for p in page.posts] == [1, 2, 3, 4, 5] and page.last_read_seq == 3
    assert page.first is None and not page.has_before
    with db.read() as session:
        listing = boards.thread_list(session, member_id=bea, board_id=_board(db))
    assert listing.threads[0].unread == 2


def test_pages_are_keyset_both_ways(db: Database) -> None:
    alice = add_member(db, "Alice")
    made = [_thread(db, alice, f"thread {n}") for n in range(5)]
    with db.read() as session:
        one = boards.thread_list(session, member_id=alice, board_id=_board(db), limit=2)
        two = boards.thread_list(
            session, member_id=alice, board_id=_board(db), limit=2, before=one.older
        )
        back = boards.thread_list(
            session, member_id=alice, board_id=_board(db), limit=2, after=two.newer
        )
    assert [t.title for t in one.threads] == ["thread 4", "thread 3"]
    assert [t.title for t in two.threads] == ["thread 2", "thread 1"]
    assert [t.title for t in back.threads] == ["thread 4", "thread 3"]
    for n in range(6):
        _reply(db, alice, made[0].thread_id, f"r{n}")
    page = _page(db, alice, made[0].thread_id, after_seq=0, limit=3)
    before = _page(db, alice, made[0].thread_id, before_seq=7, limit=3)
    assert [p.seq for p in page.posts] == [1, 2, 3]
    assert [p.seq for p in before.posts] == [4, 5, 6] and before.has_before


def test_a_long_thread_opens_with_its_first_post_and_the_unread_in_context(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    first = _thread(db, alice, body="the question")
    for n in range(2, 31):
        _reply(db, alice, first.thread_id, f"post {n}")
    with db.write() as session:
        boards.mark_read(session, member_id=bea, thread_id=first.thread_id, seq=25)
    page = _page(db, bea, first.thread_id)
    # The question, then two posts already read, then the five unread ones.
    assert page.first is not None and page.first.body == "the question"
    assert [p.seq for p in page.posts] == list(range(24, 31))
    assert page.has_before and not page.has_after
    # All read: the last page, still under its question.
    with db.write() as session:
        boards.mark_read(session, member_id=bea, thread_id=first.thread_id, seq=30)
    page = _page(db, bea, first.thread_id)
    assert page.first is not None and page.first.seq == 1
    assert [p.seq for p in page.posts] == list(range(11, 31)) and page.has_before
    # Opened at a post (a search result): that post with the two before it.
    page = _page(db, bea, first.thread_id, at_seq=15)
    assert page.first is not None and [p.seq for p in page.posts][:3] == [13, 14, 15]
    # Paging on shows no first post apart; asking for it keeps it on a page read again.
    assert _page(db, bea, first.thread_id, after_seq=12).first is None
    again = _page(db, bea, first.thread_id, after_seq=12, with_first=True)
    assert again.first is not None and again.first.seq == 1
    previous = _page(db, bea, first.thread_id, before_seq=13)
    assert [p.seq for p in previous.posts] == list(range(1, 13)) and not previous.has_before


def test_a_thread_whose_only_unread_post_is_held_opens_on_what_can_be_read(db: Database) -> None:
    alice, bea, cy = add_member(db, "Alice"), add_member(db, "Bea"), add_member(db, "Cy")
    first = _thread(db, alice)
    _reply(db, alice, first.thread_id, "a reply")
    with db.write() as session:
        boards.mark_read(session, member_id=bea, thread_id=first.thread_id, seq=2)
    _reply(db, cy, first.thread_id, "held for review", action=Action.HOLD)
    page = _page(db, bea, first.thread_id)
    assert [p.seq for p in page.posts] == [1, 2]
    assert not page.has_after and not page.has_before
    # Nothing gives the held post away: not the counts, not a next page.
    with db.read() as session:
        [listed] = boards.thread_list(session, member_id=bea, board_id=_board(db)).threads
        [board] = [b for b in boards.board_list(session, member_id=bea) if b.name == "Anxiety"]
        [own] = boards.thread_list(session, member_id=cy, board_id=_board(db)).threads
    assert (listed.post_count, listed.unread, board.unread) == (2, 0, 0)
    assert _page(db, bea, first.thread_id, before_seq=2).has_after is True
    assert _page(db, bea, first.thread_id, before_seq=3).has_after is False
    assert own.post_count == 3  # its author sees it, held
    assert [p.seq for p in _page(db, cy, first.thread_id, after_seq=0).posts] == [1, 2, 3]


@pytest.mark.parametrize(
    ("title", "body", "warning", "needle"),
    [
        ("x" * 121, "body", "", "up to 120"),
        ("", "body", "", "needs a title"),
        ("title", "   \n\n  ", "", "empty"),
        ("title", "y" * 20_001, "", "20,000"),
        ("title", "z" * 5_000_000, "", "still in the editor"),
        ("title", "body", "w" * 81, "warnings can be up to"),
    ],
)
def test_bad_posts_get_a_kind_message(title: str, body: str, warning: str, needle: str) -> None:
    with pytest.raises(PostError, match=needle):
        boards.clean_post(title, body, warning)


def test_hostile_text_is_stored_literal_and_clean() -> None:
    cleaned = boards.clean_post(
        "\x1b]52;c;aGk=\x07T\u202eitle[/]", "b\x9b2Jody\x1bP+q\x1b\\ [@click=app.quit]", ""
    )
    assert "\x1b" not in cleaned.title + cleaned.body and "\u202e" not in cleaned.title
    assert "\x9b" not in cleaned.body and "[@click=app.quit]" in cleaned.body
    assert cleaned.title.endswith("Title[/]")


def test_posting_too_fast_is_refused_with_the_wait(db: Database) -> None:
    old, new = add_member(db, "Oak"), add_member(db, "Sprout", age=timedelta(hours=1))
    rules = PostingRules()
    board = _board(db)
    now = utcnow()
    with db.write() as session:
        boards.create_thread(
            session,
            author_id=old,
            board_id=board,
            written=Written(boards.clean_post("t", "b", ""), Action.ALLOW, now=now),
            rules=rules,
        )
        boards.create_thread(
            session,
            author_id=new,
            board_id=board,
            written=Written(boards.clean_post("t", "b", ""), Action.ALLOW, now=now),
            rules=rules,
        )
    for member, later, ok in ((old, 3, False), (old, 6, True), (new, 20, False), (new, 31, True)):
        with db.write() as session:
            attempt = lambda s=session, m=member, t=later: boards.create_thread(  # noqa: E731
                s,
                author_id=m,
                board_id=board,
                written=Written(
                    boards.clean_post("t", "b", ""), Action.ALLOW, now=now + timedelta(seconds=t)
                ),
                rules=rules,
            )
            if ok:
                attempt()
            else:
                with pytest.raises(PostError, match="wait"):
                    attempt()


def test_held_posts_are_hidden_from_others_and_flagged(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    held_thread = _thread(db, alice, "held", "nasty", action=Action.HOLD)
    ok = _thread(db, alice, "ok")
    held_reply = _reply(db, alice, ok.thread_id, "held reply", action=Action.HOLD)
    crisis = _reply(db, alice, ok.thread_id, "I can't go on", action=Action.CRISIS)
    with db.read() as session:
        others = boards.thread_list(session, member_id=bea, board_id=_board(db))
        own = boards.thread_list(session, member_id=alice, board_id=_board(db))
        with pytest.raises(PostError):
            boards.get_thread(session, member_id=bea, thread_id=held_thread.thread_id)
    assert [t.title for t in others.threads] == ["ok"]
    assert {t.title for t in own.threads} == {"ok", "held"}
    assert [p.id for p in _page(db, bea, ok.thread_id, after_seq=0).posts] == [ok.id, crisis.id]
    assert held_reply.id in [p.id for p in _page(db, alice, ok.thread_id, after_seq=0).posts]
    flags = _flags(db)
    assert ("hold", held_thread.id) in flags and ("hold", held_reply.id) in flags
    assert ("crisis", crisis.id) in flags
    # A held post is not news to anyone but its author: it is not counted as unread.
    with db.read() as session:
        [listed] = boards.thread_list(session, member_id=bea, board_id=_board(db)).threads
        [board] = [b for b in boards.board_list(session, member_id=bea) if b.name == "Anxiety"]
    assert listed.unread == 2 and board.unread == 2


def test_edit_within_window_is_marked_and_moderated_again(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    post = _thread(db, alice)
    with db.write() as session:
        with pytest.raises(PostError, match="own"):
            boards.edit_post(
                session,
                member_id=bea,
                post_id=post.id,
                written=Written(boards.clean_post(None, "mine now", ""), Action.ALLOW),
            )
        edited = boards.edit_post(
            session,
            member_id=alice,
            post_id=post.id,
            written=Written(boards.clean_post("Hello again", "better words", ""), Action.HOLD),
        )
    assert edited.edited and edited.status is PostStatus.HELD
    assert ("hold", post.id) in _flags(db)
    with db.write() as session, pytest.raises(PostError, match="30 minutes"):
        boards.edit_post(
            session,
            member_id=alice,
            post_id=post.id,
            written=Written(
                boards.clean_post(None, "late", ""),
                Action.ALLOW,
                now=utcnow() + timedelta(minutes=31),
            ),
        )


def test_delete_leaves_a_placeholder_and_replies_to_a_gone_thread_fail(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    post = _thread(db, alice)
    reply = _reply(db, bea, post.thread_id)
    with db.write() as session:
        boards.delete_post(session, member_id=bea, post_id=reply.id)
    [first, gone] = _page(db, alice, post.thread_id, after_seq=0).posts
    assert gone.status is PostStatus.DELETED and gone.body == ""
    lonely = _thread(db, alice, "lonely")
    with db.write() as session:
        boards.delete_post(session, member_id=alice, post_id=lonely.id)
    with pytest.raises(PostError, match="removed while you were writing"):
        _reply(db, bea, lonely.thread_id)
    assert first.status is PostStatus.VISIBLE


def test_a_post_the_moderators_removed_says_so_and_tells_its_author_why(db: Database) -> None:
    from bbs.admin import review as admin
    from bbs.admin.review import Decision
    from bbs.models import Role

    alice, bea, keeper = add_member(db, "Alice"), add_member(db, "Bea"), add_member(db, "Keeper")
    with db.write() as session:
        moderator = session.get(Member, keeper)
        assert moderator is not None
        moderator.role = Role.MODERATOR.value
        session.add(moderator)
    post = _thread(db, alice)
    reply = _reply(db, alice, post.thread_id, "something cruel")
    with db.write() as session:
        flag = boards.report_post(session, reporter_id=bea, post_id=reply.id, reason="cruel")
    with db.write() as session:
        admin.decide(
            session,
            actor_id=keeper,
            flag_id=flag,
            decision=Decision.DELETE,
            category="Harassment",
            reason="name-calling",
        )
    [_, seen_by_bea] = _page(db, bea, post.thread_id, after_seq=0).posts
    [_, seen_by_alice] = _page(db, alice, post.thread_id, after_seq=0).posts
    assert seen_by_bea.status is PostStatus.REMOVED and seen_by_bea.body == ""
    assert seen_by_bea.removed_because == ""
    assert seen_by_alice.removed_because == "Harassment: name-calling"
    # Gone for good: its author can no longer edit or delete it.
    with db.write() as session, pytest.raises(PostError, match="no longer exists"):
        boards.delete_post(session, member_id=alice, post_id=reply.id)


def test_reactions_count_who_and_blocks(db: Database) -> None:
    alice, bea, cy = add_member(db, "Alice"), add_member(db, "Bea"), add_member(db, "Cy")
    post = _thread(db, alice)
    with db.write() as session:
        assert boards.toggle_reaction(session, member_id=bea, post_id=post.id, kind="hug")
        assert boards.toggle_reaction(session, member_id=cy, post_id=post.id, kind="hug")
        assert boards.toggle_reaction(session, member_id=bea, post_id=post.id, kind="proud")
        assert not boards.toggle_reaction(session, member_id=bea, post_id=post.id, kind="proud")
        with pytest.raises(PostError):
            boards.toggle_reaction(session, member_id=bea, post_id=post.id, kind="angry")
        blocks.set_block(session, member_id=alice, other_id=cy, kind=BlockKind.BLOCK, on=True)
        with pytest.raises(PostError):
            boards.toggle_reaction(session, member_id=cy, post_id=post.id, kind="thanks")
    [seen] = _page(db, bea, post.thread_id, after_seq=0).posts
    [hug] = seen.reactions
    assert (hug.label, hug.count, hug.who, hug.mine) == ("hug", 2, ("Bea", "Cy"), True)


def test_mentions_replies_and_followed_boards_reach_home_but_not_past_blocks(db: Database) -> None:
    alice, bea, cy = add_member(db, "Alice"), add_member(db, "Bea"), add_member(db, "Cy")
    with db.write() as session:
        boards.set_follow(session, member_id=bea, kind="board", target_id=_board(db), on=True)
        blocks.set_block(session, member_id=bea, other_id=cy, kind=BlockKind.BLOCK, on=True)
    post = _thread(db, alice, "New here", "hi @bea and @nobody and @ALICE")
    _reply(db, bea, post.thread_id, "welcome @alice")
    _reply(db, cy, post.thread_id, "hey @Bea")
    with db.read() as session:
        bea_news = boards.whats_new(session, member_id=bea)
        alice_news = boards.whats_new(session, member_id=alice)
    assert [(n.kind, n.actor) for n in bea_news] == [("mention", "Alice")]
    assert [(n.kind, n.actor) for n in alice_news] == [("reply", "Cy"), ("mention", "Bea")]
    _page(db, alice, post.thread_id)
    with db.write() as session:
        boards.mark_news_seen(session, member_id=alice, thread_id=post.thread_id)
        assert boards.whats_new(session, member_id=alice) == []


def test_a_held_reply_tells_its_mentions_and_the_thread_author_when_approved(
    db: Database,
) -> None:
    alice, bea, cy = add_member(db, "Alice"), add_member(db, "Bea"), add_member(db, "Cy")
    post = _thread(db, alice, "Rough week", "anyone else?")
    held = _reply(db, cy, post.thread_id, "same here @bea", action=Action.HOLD)
    with db.read() as session:
        assert boards.whats_new(session, member_id=bea) == []
        assert boards.whats_new(session, member_id=alice) == []
    with db.write() as session:
        boards.moderate_post(session, post_id=held.id, outcome=boards.ReviewOutcome.SHOW)
    with db.read() as session:
        assert [(n.kind, n.actor) for n in boards.whats_new(session, member_id=bea)] == [
            ("mention", "Cy")
        ]
        assert [(n.kind, n.actor) for n in boards.whats_new(session, member_id=alice)] == [
            ("reply", "Cy")
        ]
    # Approving again (after a hide and a change of mind) tells nobody twice.
    with db.write() as session:
        boards.moderate_post(session, post_id=held.id, outcome=boards.ReviewOutcome.HIDE)
        boards.moderate_post(session, post_id=held.id, outcome=boards.ReviewOutcome.SHOW)
    with db.read() as session:
        assert len(boards.whats_new(session, member_id=bea)) == 1


def test_an_edit_tells_newly_mentioned_members_and_nobody_twice(db: Database) -> None:
    alice, bea, cy = add_member(db, "Alice"), add_member(db, "Bea"), add_member(db, "Cy")
    post = _thread(db, alice, "Plans", "walk tomorrow, @bea?")
    with db.write() as session:
        boards.edit_post(
            session,
            member_id=alice,
            post_id=post.id,
            written=Written(
                boards.clean_post("Plans", "walk tomorrow, @bea and @cy?", ""), Action.ALLOW
            ),
            rules=NO_WAIT,
        )
    with db.read() as session:
        assert [n.kind for n in boards.whats_new(session, member_id=cy)] == ["mention"]
        assert [n.kind for n in boards.whats_new(session, member_id=bea)] == ["mention"]


def test_content_warnings_collapse_as_the_reader_chose(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    post = _thread(db, alice, warning="self-harm mention")
    _reply(db, alice, post.thread_id, "about a relapse", warning="Relapse")
    first, second = _page(db, bea, post.thread_id, after_seq=0).posts
    assert (first.collapsed, second.collapsed) == ("self-harm mention", "Relapse")
    with db.write() as session:
        boards.set_reader_prefs(session, bea, expand_warnings=True, always_collapsed=["relapse"])
    first, second = _page(db, bea, post.thread_id, after_seq=0).posts
    assert (first.collapsed, second.collapsed) == ("", "Relapse")


def test_blocked_members_posts_are_collapsed_for_the_blocker(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    post = _thread(db, alice)
    with db.write() as session:
        blocks.set_block(session, member_id=bea, other_id=alice, kind=BlockKind.BLOCK, on=True)
    assert _page(db, bea, post.thread_id, after_seq=0).posts[0].collapsed == "blocked"
    assert _page(db, alice, post.thread_id, after_seq=0).posts[0].collapsed == ""


def test_search_ranks_highlights_and_respects_visibility(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    _thread(
        db, alice, "Sleep hygiene", "Nothing helps my insomnia, insomnia every night", board="Sleep"
    )
    other = _thread(db, alice, "Walks", "A walk helped my insomnia once")
    _thread(db, alice, "Hidden", "insomnia secret", action=Action.HOLD)
    with db.read() as session:
        hits = search.search_posts(session, member_id=bea, query='"Insomnia*" ^ -')
    assert len(hits) == 2 and other.id in [h.post_id for h in hits]
    top = hits[0]
    assert top.board_name == "Sleep"
    assert {top.snippet[a:b].lower() for a, b in top.spans} == {"insomnia"}
    with db.write() as session:
        boards.delete_post(session, member_id=alice, post_id=other.id)
        assert len(search.search_posts(session, member_id=bea, query="insomnia")) == 1
        assert search.search_posts(session, member_id=bea, query="  ") == []


def test_search_keeps_a_warned_post_folded_as_the_reader_chose(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    _thread(db, alice, "Bad night", "The relapse details, insomnia and all", warning="relapse")
    _thread(db, alice, "Walks", "A walk helped my insomnia once")
    with db.read() as session:
        hits = boards.search_posts(session, member_id=bea, query="insomnia")
    folded = next(h for h in hits if h.thread_title == "Bad night")
    assert folded.folded and folded.warning == "relapse"
    assert folded.snippet == "" and folded.spans == ()
    assert not next(h for h in hits if h.thread_title == "Walks").folded
    with db.write() as session:
        boards.set_reader_prefs(session, bea, expand_warnings=True, always_collapsed=[])
        [opened] = [h for h in boards.search_posts(session, member_id=bea, query="relapse")]
    assert not opened.folded and "relapse" in opened.snippet


def test_reports_go_to_the_queue(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    post = _thread(db, alice)
    with db.write() as session:
        with pytest.raises(PostError, match="few words"):
            boards.report_post(session, reporter_id=bea, post_id=post.id, reason=" ")
        boards.report_post(session, reporter_id=bea, post_id=post.id, reason="unkind")
    assert ("report", post.id) in _flags(db)


def test_drafts_are_kept_until_sent(db: Database) -> None:
    alice = add_member(db, "Alice")
    with db.write() as session:
        boards.save_draft(
            session,
            member_id=alice,
            context="reply:1",
            label="Reply",
            title="",
            body="half a thought",
            warning="",
        )
        boards.save_draft(
            session,
            member_id=alice,
            context="reply:1",
            label="Reply",
            title="",
            body="a whole thought",
            warning="",
        )
    with db.read() as session:
        [draft] = boards.drafts(session, member_id=alice)
    assert draft.body == "a whole thought"
    with db.write() as session:
        boards.delete_draft(session, member_id=alice, context="reply:1")
        assert boards.get_draft(session, member_id=alice, context="reply:1") is None


def _send(
    session: Session, sender: int, recipient: int, body: str = "hi", action: Action = Action.ALLOW
) -> messages.MessageView:
    return messages.send_message(
        session,
        sender_id=sender,
        recipient_id=recipient,
        written=Written(body, action),
        rules=NO_WAIT,
    )


def test_private_messages_respect_privacy_blocks_and_new_accounts(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    newbie = add_member(db, "Newbie", age=timedelta(hours=2))
    with db.write() as session:
        with pytest.raises(PostError, match="first 24 hours: yours open at"):
            _send(session, newbie, alice)
        _send(session, alice, newbie, "welcome!")
        _send(session, newbie, alice, "thanks")  # replying is fine on day one
        messages.set_who_may_write(session, bea, WhoMayWrite.TALKED)
        with pytest.raises(PostError, match="not taking"):
            _send(session, alice, bea)
        _send(session, bea, alice, "hello alice")
        _send(session, alice, bea, "hello bea")  # bea wrote first, so alice may answer
        messages.set_who_may_write(session, bea, WhoMayWrite.NOBODY)
        with pytest.raises(PostError, match="not taking"):
            _send(session, alice, bea)
        messages.set_who_may_write(session, bea, WhoMayWrite.EVERYONE)
        blocks.set_block(session, member_id=bea, other_id=alice, kind=BlockKind.BLOCK, on=True)
        with pytest.raises(PostError, match="not taking"):
            _send(session, alice, bea)
        with pytest.raises(PostError, match="yourself"):
            _send(session, alice, alice)


def test_the_new_member_wait_is_a_community_setting_staff_never_wait(db: Database) -> None:
    from bbs import sysop_settings

    alice = add_member(db, "Alice")
    newbie = add_member(db, "Newbie", age=timedelta(hours=2))
    keeper = add_member(db, "Keeper", age=timedelta(minutes=5))
    fresh = add_member(db, "Fresh", age=timedelta(minutes=1))
    with db.write() as session:
        session.get(Member, keeper).role = Role.MODERATOR.value  # type: ignore[union-attr]
        messages.set_who_may_write(session, alice, WhoMayWrite.TALKED)
        # The newcomer hears their own reason first, not that Alice is "not taking" it.
        with pytest.raises(PostError, match="not about the person you chose"):
            _send(session, newbie, alice)
        messages.set_who_may_write(session, alice, WhoMayWrite.EVERYONE)
        _send(session, keeper, alice, "welcome from the moderators")
        sysop_settings.put_setting(session, sysop_settings.NEW_MEMBER_MESSAGE_HOURS, "1")
        _send(session, newbie, alice, "an hour was enough here")
        sysop_settings.put_setting(session, sysop_settings.NEW_MEMBER_MESSAGE_HOURS, "0")
        _send(session, fresh, alice, "no wait at all")
    with pytest.raises(ValueError, match="0 to 720"):
        sysop_settings.parse_message_hours("1000")
    assert sysop_settings.parse_message_hours(" 48h ") == 48


def test_held_messages_reach_only_the_sender_and_reports_queue(db: Database) -> None:
    alice, bea = add_member(db, "Alice"), add_member(db, "Bea")
    with db.write() as session:
        _send(session, alice, bea, "kind words")
        held = _send(session, alice, bea, "cruel words", Action.HOLD)
        [conv] = messages.conversations(session, member_id=bea)
        assert conv.unread == 1 and conv.partner == "Alice"
        seen = messages.message_page(session, member_id=bea, conversation_id=conv.id)
        mine = messages.message_page(session, member_id=alice, conversation_id=conv.id)
        assert [m.body for m in seen.messages] == ["kind words"]
        assert [m.body for m in mine.messages] == ["kind words", "cruel words"]
        assert messages.conversations(session, member_id=bea)[0].unread == 0
        messages.report_message(
            session, reporter_id=bea, message_id=seen.messages[0].id, reason="creepy"
        )
    flags = _flags(db)
    assert ("hold", held.id) in flags and ("report", seen.messages[0].id) in flags


def test_sysops_manage_boards_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from server.cli import main

    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["admin", "board", "add", "Grief", "--description", "Loss", *data]) == 0
    assert main(["admin", "board", "move", "grief", "1", *data]) == 0
    assert main(["admin", "board", "rename", "Grief", "Grief and loss", *data]) == 0
    assert main(["admin", "board", "archive", "Wins", *data]) == 0
    assert main(["admin", "board", "archive", "No such board", *data]) == 1
    capsys.readouterr()
    assert main(["admin", "board", "list", *data]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "Grief and loss" in lines[1] and any("Wins" in x and "archived" in x for x in lines)

"""Pilot tests: composing, drafts, content warnings, reactions, unread marks and the home screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import NO_WAIT, board_id, drawn_lines, let_new_members_write, settle, sign_up, text_of
from textual.widgets import OptionList

from bbs.accounts.members import MemberView
from bbs.boards.records import PostError
from bbs.community import Community
from bbs.moderation_queue.flags import Written
from screens.app import BBSApp, SessionContext
from screens.boards import BoardsScreen, PostWidget, ThreadListScreen, ThreadScreen
from screens.compose import ComposeScreen, NoteScreen, PostEditor
from screens.home import WhatsNew
from screens.menu import MainMenuScreen
from screens.widgets import TextField


async def _members(community: Community, *names: str) -> list[MemberView]:
    community.boards.rules = NO_WAIT
    return [await sign_up(community, n) for n in names]


async def _settle(pilot, until, tries: int = 250) -> None:  # type: ignore[no-untyped-def]
    from textual.css.query import NoMatches

    def ready() -> bool:
        try:
            return bool(until())
        except NoMatches:  # the screen is up but its widgets are not mounted yet
            return False

    await settle(pilot, ready, f"the screen to settle (at {pilot.app.screen})")


async def _open_board(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot.press("b")
    await _settle(
        pilot,
        lambda: (
            isinstance(app.screen, BoardsScreen)
            and app.screen.query_one("#boards", OptionList).option_count > 0
        ),
    )
    options = app.screen.query_one("#boards", OptionList)
    index = next(
        i
        for i in range(options.option_count)
        if str(options.get_option_at_index(i).prompt).startswith(name)
    )
    options.highlighted = index
    await pilot.press("enter")
    await _settle(pilot, lambda: isinstance(app.screen, ThreadListScreen))


async def _nights(
    community: Community, author: MemberView, posts: int, warnings: dict[int, str] | None = None
) -> None:
    """A thread "Nights" on Sleep of `posts` posts reading "post N", some behind warnings."""
    warnings = warnings or {}
    board = await board_id(community, author.id, "Sleep")
    first = await community.boards.create_thread(
        author.id, board, title="Nights", body="post 1", warning=warnings.get(1, "")
    )
    assert first.post is not None
    for n in range(2, posts + 1):
        await community.boards.reply(
            author.id, first.post.thread_id, body=f"post {n}", warning=warnings.get(n, "")
        )


async def _open_thread(pilot, board: str, shown: int) -> list[PostWidget]:  # type: ignore[no-untyped-def]
    """Open the board's first thread; the widgets of the `shown` posts on its page."""
    app = pilot.app
    await _open_board(pilot, board)
    await pilot.press("enter")
    await _settle(
        pilot,
        lambda: isinstance(app.screen, ThreadScreen) and len(app.screen.query(PostWidget)) == shown,
    )
    return list(app.screen.query(PostWidget))


async def _reply(pilot, text: str, seq: int) -> None:  # type: ignore[no-untyped-def]
    """Reply on the open thread through the editor; back on the page ending with post `seq`."""
    app = pilot.app
    await pilot.press("r")
    await _settle(
        pilot,
        lambda: (
            isinstance(app.screen, ComposeScreen) and isinstance(app.screen.focused, PostEditor)
        ),
    )
    await pilot.press(*text, "ctrl+s")
    await _settle(
        pilot,
        lambda: (
            isinstance(app.screen, ThreadScreen)
            and app.screen.query(PostWidget).last().post.seq == seq
        ),
    )


async def test_compose_a_thread_with_errors_kept_text_and_preview(community: Community) -> None:
    [robin] = await _members(community, "Robin")
    app = BBSApp(SessionContext(community.services, robin))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_board(pilot, "Sleep")
        await pilot.press("n")
        await _settle(pilot, lambda: isinstance(app.screen, ComposeScreen))
        screen = app.screen
        editor = screen.query_one("#body", PostEditor)
        assert editor.cursor_blink is False
        editor.insert("Cannot sleep [/] \x1b[2J again")
        await pilot.press("ctrl+s")
        await _settle(pilot, lambda: "needs a title" in text_of(app, "#status"))
        assert "Cannot sleep" in editor.text  # nothing lost
        screen.query_one("#title", TextField).value = "Nights"
        await pilot.press("f2")
        await pilot.pause()
        assert "Cannot sleep [/] [2J again" in text_of(app, "#preview-text")
        await pilot.press("f2")
        await pilot.press("ctrl+s")
        await _settle(pilot, lambda: isinstance(app.screen, ThreadListScreen))
        await _settle(pilot, lambda: app.screen.query_one("#threads", OptionList).option_count == 1)
        await pilot.press("enter")
        await _settle(
            pilot,
            lambda: isinstance(app.screen, ThreadScreen) and len(app.screen.query(PostWidget)) == 1,
        )
        assert "Cannot sleep [/] [2J again" in str(app.screen.query_one(PostWidget).render())


async def test_a_new_thread_is_typed_title_first_and_a_reply_straight_into_the_text(
    community: Community,
) -> None:
    ash, bo = await _members(community, "Ash", "Bo")
    board = await board_id(community, ash.id, "Sleep")
    await community.boards.create_thread(ash.id, board, title="Awake again", body="3am")
    app = BBSApp(SessionContext(community.services, bo))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_board(pilot, "Sleep")
        await pilot.press("n")
        await _settle(
            pilot,
            lambda: (
                isinstance(app.screen, ComposeScreen) and isinstance(app.screen.focused, TextField)
            ),
        )
        await pilot.press(*"Nights", "tab", "tab", *"hard")
        await pilot.pause()
        assert app.screen.query_one("#title", TextField).value == "Nights"
        assert app.screen.query_one("#warning", TextField).value == ""
        assert app.screen.query_one("#body", PostEditor).text == "hard"
        await pilot.press("escape")  # the draft is kept
        await _settle(pilot, lambda: isinstance(app.screen, ThreadListScreen))
        await pilot.press("n")
        await _settle(
            pilot,
            lambda: (
                isinstance(app.screen, ComposeScreen)
                and app.screen.query_one("#title", TextField).value == "Nights"
            ),
        )
        # The draft already has its title: carry on in the text.
        assert isinstance(app.screen.focused, PostEditor)
        await pilot.press("escape")
        await _settle(pilot, lambda: isinstance(app.screen, ThreadListScreen))
        await _settle(pilot, lambda: app.screen.query_one("#threads", OptionList).option_count)
        await pilot.press("enter")
        await _settle(
            pilot,
            lambda: isinstance(app.screen, ThreadScreen) and len(app.screen.query(PostWidget)) == 1,
        )
        await pilot.press("r")
        await _settle(
            pilot, lambda: isinstance(app.screen, ComposeScreen) and app.screen.focused is not None
        )
        assert isinstance(app.screen.focused, PostEditor)


async def test_an_editor_is_freed_once_its_post_is_sent(community: Community) -> None:
    import gc
    import weakref

    ash, bo = await _members(community, "Ash", "Bo")
    board = await board_id(community, ash.id, "Sleep")
    await community.boards.create_thread(ash.id, board, title="Awake again", body="3am")
    app = BBSApp(SessionContext(community.services, bo))
    editors: list[weakref.ref[PostEditor]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_board(pilot, "Sleep")
        await pilot.press("enter")
        await _settle(
            pilot,
            lambda: isinstance(app.screen, ThreadScreen) and len(app.screen.query(PostWidget)) == 1,
        )
        for n in (2, 3):
            await pilot.press("r")
            await _settle(
                pilot,
                lambda: (
                    isinstance(app.screen, ComposeScreen)
                    and isinstance(app.screen.focused, PostEditor)
                ),
            )
            editors.append(weakref.ref(app.screen.query_one("#body", PostEditor)))
            await pilot.press(*"me too")
            await pilot.press("ctrl+s")
            await _settle(
                pilot,
                lambda n=n: (
                    isinstance(app.screen, ThreadScreen) and len(app.screen.query(PostWidget)) == n
                ),
            )
        await pilot.pause()
        gc.collect()
        # Textual keeps a TextArea watching the app's theme until the theme changes; the
        # server's patches let it go with its screen, undo history and all.
        assert [ref() for ref in editors] == [None, None]


async def test_a_reply_keeps_the_page_s_widgets_and_moves_it_on_by_one(
    community: Community,
) -> None:
    ash, bo = await _members(community, "Ash", "Bo")
    await _nights(community, ash, 20, {5: "relapse"})  # exactly one full page
    app = BBSApp(SessionContext(community.services, bo))
    async with app.run_test(size=(80, 24)) as pilot:
        before = await _open_thread(pilot, "Sleep", 20)
        before[4].focus()
        await pilot.press("o")  # Bo opens post 5
        await _settle(pilot, lambda: "post 5" in str(before[4].render()))
        await _reply(pilot, "post 21", 21)
        after = list(app.screen.query(PostWidget))
        # The page that ends with the reply: posts 2-21 in order, in the same 20 widgets.
        assert [w.post.seq for w in after] == list(range(2, 22))
        assert after == before
        assert [f"post {w.post.seq}" in str(w.render()) for w in after] == [True] * 20
        # Post 5, now fourth on the page, is still open as Bo left it.
        assert after[3].post.seq == 5 and after[3].opened
        assert app.screen.focused is after[-1]


async def test_a_reply_far_down_a_busy_thread_is_scrolled_into_view(community: Community) -> None:
    ash, bo = await _members(community, "Ash", "Bo")
    await _nights(community, ash, 31)  # Bo opens at post 1; the page after the reply is 13-32
    app = BBSApp(SessionContext(community.services, bo))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_thread(pilot, "Sleep", 20)
        await _reply(pilot, "my reply", 32)
        reply = app.screen.query(PostWidget).last()
        box = app.screen.query_one("#posts")
        # Shown in a widget that sat near the top of the old page: the view follows it.
        await _settle(pilot, lambda: box.region.contains_region(reply.region))
        # Kept: a negative check over time (no later scroll moves the view off the reply).
        await pilot.pause(0.3)
        assert box.region.contains_region(reply.region)
        assert app.screen.focused is reply


async def test_turning_pages_reuses_widgets_and_folds_what_the_new_post_needs(
    community: Community,
) -> None:
    ash, bo = await _members(community, "Ash", "Bo")
    # A full page of 20, then 5 more.
    await _nights(community, ash, 25, {1: "rough night", 23: "relapse"})
    app = BBSApp(SessionContext(community.services, bo))
    async with app.run_test(size=(80, 24)) as pilot:
        page_one = await _open_thread(pilot, "Sleep", 20)
        app.screen.action_open()  # post 1 is folded; the reader opens it
        await pilot.pause()
        assert "post 1" in str(page_one[0].render())
        await pilot.press("n")
        await _settle(pilot, lambda: app.screen.query(PostWidget).first().post.seq == 21)
        page_two = list(app.screen.query(PostWidget))
        # Five posts shown in the first five of the old widgets; the other fifteen gone.
        assert [w.post.seq for w in page_two] == [21, 22, 23, 24, 25]
        assert page_two == page_one[:5]
        shown = [f"post {w.post.seq}" in str(w.render()) for w in page_two]
        # Post 23 has a warning: folded, whatever the widget showed before.
        assert shown == [True, True, False, True, True]
        assert "relapse" in str(page_two[2].render())
        await pilot.press("p")
        await _settle(pilot, lambda: len(app.screen.query(PostWidget)) == 20)
        back = list(app.screen.query(PostWidget))
        assert [w.post.seq for w in back] == list(range(1, 21))
        assert back[:5] == page_two
        # Post 1 is folded again: a fresh look at it, not the old page's opened state.
        assert "rough night" in str(back[0].render())
        assert "post 1" not in str(back[0].render())


async def test_a_draft_survives_leaving_and_is_offered_on_the_home_screen(
    community: Community,
) -> None:
    [robin] = await _members(community, "Robin")
    app = BBSApp(SessionContext(community.services, robin))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_board(pilot, "Wins")
        await pilot.press("n")
        await _settle(pilot, lambda: isinstance(app.screen, ComposeScreen))
        app.screen.query_one("#body", PostEditor).insert("I went outside today")
        await pilot.press("escape")
        await _settle(pilot, lambda: isinstance(app.screen, ThreadListScreen))
    [draft] = await community.boards.drafts(robin.id)
    assert draft.body == "I went outside today"
    app = BBSApp(SessionContext(community.services, robin))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot, lambda: "Unsent draft" in str(app.screen.query_one(WhatsNew).render()))
        await pilot.press("1")
        await _settle(
            pilot,
            lambda: (
                isinstance(app.screen, ComposeScreen)
                and "outside" in app.screen.query_one("#body", PostEditor).text
            ),
        )
        app.screen.query_one("#title", TextField).value = "Outside"
        await pilot.press("ctrl+s")
        await _settle(pilot, lambda: isinstance(app.screen, MainMenuScreen))
    assert await community.boards.drafts(robin.id) == []


async def test_warned_posts_open_on_purpose_and_reactions_count(community: Community) -> None:
    ash, bo = await _members(community, "Ash", "Bo")
    board = await board_id(community, ash.id, "Recovery")
    await community.boards.create_thread(
        ash.id, board, title="Day 30", body="The details of the relapse", warning="relapse"
    )
    app = BBSApp(SessionContext(community.services, bo))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_board(pilot, "Recovery")
        await pilot.press("enter")
        await _settle(
            pilot,
            lambda: isinstance(app.screen, ThreadScreen) and len(app.screen.query(PostWidget)) == 1,
        )
        post = app.screen.query_one(PostWidget)
        assert "relapse" in str(post.render()) and "The details" not in str(post.render())
        await pilot.press("o")
        await pilot.pause()
        assert "The details of the relapse" in str(post.render())
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("1")
        await _settle(
            pilot, lambda: "hug 1 (you)" in str(app.screen.query_one(PostWidget).render())
        )
        # The page read again after the reaction keeps the post as the reader left it: open.
        assert app.screen.query_one(PostWidget) is post
        assert "The details of the relapse" in str(post.render())


async def test_unread_marks_clear_when_read_and_home_shows_replies(community: Community) -> None:
    ash, bo = await _members(community, "Ash", "Bo")
    board = await board_id(community, ash.id, "Anxiety")
    started = await community.boards.create_thread(
        ash.id, board, title="Panic at work", body="It happened again"
    )
    assert started.post is not None
    app = BBSApp(SessionContext(community.services, bo))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await _settle(
            pilot,
            lambda: (
                isinstance(app.screen, BoardsScreen)
                and app.screen.query_one("#boards", OptionList).option_count > 0
            ),
        )
        listing = app.screen.query_one("#boards", OptionList)
        anxiety = next(
            str(listing.get_option_at_index(i).prompt)
            for i in range(listing.option_count)
            if str(listing.get_option_at_index(i).prompt).startswith("Anxiety")
        )
        assert "1 new" in anxiety
        await pilot.press("escape")
        await _open_board(pilot, "Anxiety")
        await pilot.press("enter")
        await _settle(
            pilot,
            lambda: isinstance(app.screen, ThreadScreen) and len(app.screen.query(PostWidget)) == 1,
        )
        await pilot.press("r")
        await _settle(pilot, lambda: isinstance(app.screen, ComposeScreen))
        app.screen.query_one("#body", PostEditor).insert("You are not alone, @Ash")
        await pilot.press("ctrl+s")
        await _settle(
            pilot,
            lambda: isinstance(app.screen, ThreadScreen) and len(app.screen.query(PostWidget)) == 2,
        )
    [board_view] = [b for b in await community.boards.board_list(bo.id) if b.name == "Anxiety"]
    assert board_view.unread == 0
    app = BBSApp(SessionContext(community.services, ash))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(
            pilot, lambda: "Bo mentioned you" in str(app.screen.query_one(WhatsNew).render())
        )
        await pilot.press("1")
        await _settle(
            pilot,
            lambda: isinstance(app.screen, ThreadScreen) and len(app.screen.query(PostWidget)) >= 1,
        )
        assert app.screen.focused is not None
        assert "not alone" in str(app.screen.focused.render())  # type: ignore[attr-defined]


async def test_crisis_posts_are_published_and_the_author_gets_lines(community: Community) -> None:
    from bbs.moderation_queue.policy import Scores

    class CrisisScorer:
        def score(self, texts: list[str]) -> list[Scores]:
            return [Scores(0.0, 0.0, 0.9 if "end it" in t else 0.0) for t in texts]

        def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
            return {}

    community.moderation.set_scorer(CrisisScorer())
    [robin] = await _members(community, "Robin")
    app = BBSApp(SessionContext(community.services, robin))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_board(pilot, "Low mood")
        await pilot.press("n")
        await _settle(pilot, lambda: isinstance(app.screen, ComposeScreen))
        app.screen.query_one("#title", TextField).value = "Tonight"
        app.screen.query_one("#body", PostEditor).insert("I want to end it tonight")
        await pilot.press("ctrl+s")
        await _settle(pilot, lambda: isinstance(app.screen, NoteScreen))
        note = text_of(app, "#note-text")
        assert "findahelpline.com" in note and "posted" in note


async def test_a_dropped_connection_mid_compose_keeps_the_draft(community: Community) -> None:
    import asyncio

    [robin] = await _members(community, "Robin")
    app = BBSApp(SessionContext(community.services, robin))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_board(pilot, "Habits")
        await pilot.press("n")
        await _settle(
            pilot,
            lambda: (
                isinstance(app.screen, ComposeScreen) and isinstance(app.screen.focused, TextField)
            ),
        )
        await pilot.press(*"Day 1", "tab", "tab", *"day one")
        app.exit(1)  # what a dropped SSH connection does, before the debounced save
    deadline = asyncio.get_running_loop().time() + 10  # the save on exit runs after the app
    while asyncio.get_running_loop().time() < deadline:
        if await community.boards.drafts(robin.id):
            break
        await asyncio.sleep(0.02)  # poll interval, not a wait for something to happen
    [draft] = await community.boards.drafts(robin.id)
    assert draft.title == "Day 1" and draft.body == "day one"
    assert draft.context.startswith("thread:")


async def test_private_messages_from_home_to_conversation_and_block(community: Community) -> None:
    from bbs.boards.records import PostingRules as Rules
    from screens.messages import ConversationScreen, MessagesScreen, MessageWidget

    ash, bo = await _members(community, "Ash", "Bo")
    # Day-old accounts: new ones may not start conversations.
    community.boards.rules = Rules(
        interval=timedelta(0), new_account_interval=timedelta(0), new_account_age=timedelta(0)
    )
    let_new_members_write(community.database)
    app = BBSApp(SessionContext(community.services, ash))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await _settle(pilot, lambda: isinstance(app.screen, MessagesScreen))
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"bo", "enter")
        await _settle(pilot, lambda: isinstance(app.screen, ComposeScreen))
        app.screen.query_one("#body", PostEditor).insert("How did the interview go?")
        await pilot.press("ctrl+s")
        await _settle(
            pilot,
            lambda: (
                isinstance(app.screen, MessagesScreen)
                and "Bo" in _first_option(app, "#conversations")
            ),
        )
        assert "No conversations" not in text_of(app, "#status")
    app = BBSApp(SessionContext(community.services, bo))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(
            pilot, lambda: "1 new private message" in str(app.screen.query_one(WhatsNew).render())
        )
        await pilot.press("1")
        await _settle(
            pilot,
            lambda: (
                isinstance(app.screen, MessagesScreen)
                and "Ash" in _first_option(app, "#conversations")
            ),
        )
        await pilot.press("enter")
        await _settle(
            pilot,
            lambda: (
                isinstance(app.screen, ConversationScreen)
                and len(app.screen.query(MessageWidget)) == 1
            ),
        )
        assert "interview" in str(app.screen.query_one(MessageWidget).render())
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("y")
        await _settle(pilot, lambda: "(blocked)" in text_of(app, "#partner"))
    with pytest.raises(PostError, match="not taking"):
        await community.mail.send_message(ash.id, bo.id, "hello?")


def _first_option(app: BBSApp, selector: str) -> str:
    options = app.screen.query_one(selector, OptionList)
    return str(options.get_option_at_index(0).prompt) if options.option_count else ""


async def test_a_new_member_is_told_why_they_cannot_start_a_conversation_yet(
    community: Community,
) -> None:
    from screens.messages import MessagesScreen

    newbie, _bo = await _members(community, "Newbie", "Bo")
    app = BBSApp(SessionContext(community.services, newbie))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await _settle(
            pilot,
            lambda: (
                isinstance(app.screen, MessagesScreen)
                and "No conversations yet" in _first_option(app, "#conversations")
            ),
        )
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"bo", "enter")
        await _settle(pilot, lambda: "first 24 hours" in text_of(app, "#status"))
        # The list reloads when the question closes; what the member was told stays.
        await app.screen.reload()  # type: ignore[attr-defined]
        status = text_of(app, "#status")
        assert "yours open at" in status and "not about the person you chose" in status


def _screen_text(app: BBSApp) -> str:
    """The screen as drawn: what the member sees, not what widgets would render."""
    return "\n".join(drawn_lines(app.screen))


async def _held_reply(community: Community, author: MemberView, thread_id: int) -> None:
    from bbs.boards import records as boards
    from bbs.moderation_queue.policy import Action

    with community.database.write() as session:
        boards.create_reply(
            session,
            author_id=author.id,
            thread_id=thread_id,
            written=Written(boards.clean_post(None, "held words", ""), Action.HOLD),
            rules=NO_WAIT,
        )


async def test_a_thread_whose_only_unread_post_is_held_opens_on_what_there_is(
    community: Community,
) -> None:
    ash, bo, cy = await _members(community, "Ash", "Bo", "Cy")
    await _nights(community, ash, 2)
    [listed] = (
        await community.boards.thread_list(bo.id, await board_id(community, bo.id, "Sleep"))
    ).threads
    await community.boards.thread_page(bo.id, listed.id, before_seq=10**9)  # Bo read it all
    await _held_reply(community, cy, listed.id)
    app = BBSApp(SessionContext(community.services, bo))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await _settle(
            pilot, lambda: isinstance(app.screen, BoardsScreen) and "Sleep" in _screen_text(app)
        )
        sleep = next(line for line in _screen_text(app).splitlines() if "Sleep" in line)
        assert "new" not in sleep  # nothing there for Bo: no count gives the held post away
        await pilot.press("escape")
        await _open_board(pilot, "Sleep")
        await _settle(pilot, lambda: "Nights" in _screen_text(app))
        line = next(line for line in _screen_text(app).splitlines() if "Nights" in line)
        assert "2 posts" in line and "new" not in line
        widgets = await _open_thread_here(pilot, 2)
        assert [w.post.seq for w in widgets] == [1, 2]
        assert "Nothing to show here" not in text_of(app, "#status")
        assert "held words" not in _screen_text(app)


async def _open_thread_here(pilot, shown: int) -> list[PostWidget]:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot.press("enter")
    await _settle(
        pilot,
        lambda: isinstance(app.screen, ThreadScreen) and len(app.screen.query(PostWidget)) == shown,
    )
    return list(app.screen.query(PostWidget))


async def test_a_long_thread_opens_with_its_first_post_and_the_unread_in_context(
    community: Community,
) -> None:
    ash, bo = await _members(community, "Ash", "Bo")
    await _nights(community, ash, 30)
    [listed] = (
        await community.boards.thread_list(bo.id, await board_id(community, bo.id, "Sleep"))
    ).threads
    await community.boards.thread_page(bo.id, listed.id, after_seq=5)  # Bo read up to 25
    app = BBSApp(SessionContext(community.services, bo))
    async with app.run_test(size=(80, 24)) as pilot:
        widgets = await _open_thread(pilot, "Sleep", 8)
        # The question, then the two posts before the first unread one, then the unread.
        assert [w.post.seq for w in widgets] == [1, *range(24, 31)]
        assert "earlier pages" in str(widgets[0].render())
        assert app.screen.focused is widgets[3]  # post 26, the first unread
        await _settle(pilot, lambda: "post 26" in _screen_text(app))
        assert "5 new" in text_of(app, "#status")


async def test_a_post_removed_by_the_moderators_says_so_and_its_author_reads_why(
    community: Community,
) -> None:
    from bbs.admin.review import Decision
    from bbs.models import Role

    ash, bo = await _members(community, "Ash", "Bo")
    keeper = await sign_up(community, "Keeper", Role.MODERATOR)
    await _nights(community, ash, 2)
    [listed] = (
        await community.boards.thread_list(bo.id, await board_id(community, bo.id, "Sleep"))
    ).threads
    page = await community.boards.thread_page(bo.id, listed.id, after_seq=0, mark_read=False)
    await community.boards.report_post(bo.id, page.posts[1].id, "cruel")
    [item] = await community.admin.queue(keeper.id)
    await community.admin.decide(
        keeper.id,
        item.flag_id,
        Decision.DELETE,
        category="Harassment",
        reason="[b]name-calling[/b]",
    )
    for member, why in ((bo, False), (ash, True)):
        app = BBSApp(SessionContext(community.services, member))
        async with app.run_test(size=(80, 24)) as pilot:
            await _open_thread(pilot, "Sleep", 2)
            await _settle(pilot, lambda: "removed by the moderators" in _screen_text(pilot.app))
            screen = _screen_text(app)
            assert "deleted by its author" not in screen and "post 2" not in screen
            assert ("Harassment: [b]name-calling[/b]" in screen) is why, screen


async def test_w_on_a_post_tells_the_moderators_someone_is_worried_about_its_author(
    community: Community,
) -> None:
    from bbs.admin import review as admin
    from screens.compose import AskScreen

    ash, bo = await _members(community, "Ash", "Bo")
    await _nights(community, ash, 1)
    app = BBSApp(SessionContext(community.services, bo))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_thread(pilot, "Sleep", 1)
        await pilot.press("w")
        await _settle(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press(*"quiet lately", "enter")
        await _settle(pilot, lambda: "priority alert" in text_of(app, "#status"))
    with community.database.read() as session:
        assert admin.open_crisis_alerts(session) == 1

"""Boards over real SSH: one member posts, another sees it unread and replies; hostile text."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from support import SSH_PASSWORD as PASSWORD

from bbs.boards.records import PostError, PostingRules
from bbs.community import Community
from server.ssh_server import RunningServer

TAB = "\t"
CTRL_S = "\x13"
DOWN = "\x1b[B"


async def _member(server: RunningServer, name: str) -> int:
    community: Community = server.registry.community
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    # Scoring is tested elsewhere; here the model must not hold the test's own words.
    community.moderation.set_scorer(None)
    return (await community.accounts.sign_up(name, PASSWORD, PASSWORD)).member.id


async def test_a_post_is_unread_for_another_member_who_opens_and_replies(
    connect: Any, server: RunningServer
) -> None:
    await _member(server, "Alder")
    await _member(server, "Birch")
    alder = await connect("alder", password=PASSWORD)
    await alder.wait_for("welcome, Alder")
    await alder.type("b")
    await alder.wait_for("Introductions")
    await alder.type(DOWN + "\r")  # Anxiety, the second board
    await alder.wait_for("No threads yet")
    await alder.type("n")
    await alder.wait_for("New thread in Anxiety")
    # A new thread starts at its title; Tab goes on to the warning, then the text.
    await alder.type("Meetings and panic")
    await alder.type(TAB + TAB)
    await alder.type("My chest gets tight before meetings")
    await alder.type(CTRL_S)
    await alder.wait_for("Meetings and panic")
    await alder.wait_for("1 post")

    birch = await connect("birch", password=PASSWORD)
    await birch.wait_for("welcome, Birch")
    await birch.type("b")
    screen = await birch.wait_for("Anxiety")
    assert any("Anxiety" in line and "1 new" in line for line in screen.splitlines()), screen
    await birch.type(DOWN + "\r")
    await birch.wait_for("* Meetings and panic")
    await birch.type("\r")
    await birch.wait_for("My chest gets tight before meetings")
    await birch.type("r")
    await birch.wait_for("Reply to: Meetings and panic")
    await birch.type("Breathing out slowly helps me, you are not alone")
    await birch.type(CTRL_S)
    await birch.wait_for("you are not alone")
    await birch.wait_for("#2 Birch")
    await birch.type("\x1b")
    await birch.wait_for("2 posts")
    assert "* Meetings" not in birch.text()  # read now

    await alder.type("\x1b")  # back to the board list, then home: the reply is news
    await alder.wait_for("Boards")
    await alder.type("\x1b")
    await alder.wait_for("Birch replied in")


HOSTILE = [
    "\x1b]52;c;aGVsbG8=\x07",  # OSC 52: write the clipboard
    "\x1b]0;pwned title\x1b\\",  # set the window title
    "\x1bP+q544e\x1b\\",  # DCS: terminal queries
    "\x1b[2J\x1b[H",  # clear the screen
    "\x9b31m",  # C1 CSI
    "\x85\x90\x9d",  # other C1 controls
    "\u202eevil\u202c \u2066iso\u2069",  # bidi override and isolates
    "zero\u200bwidth\ufeff",  # zero-width space and BOM
    "[@click=app.quit]click me[/]",  # console markup
    "[bold red]loud[/bold red] [/]",
    "\x07bell",
]


async def test_hostile_strings_reach_another_member_as_literal_text_only(
    connect: Any, server: RunningServer
) -> None:
    alder = await _member(server, "Alder")
    await _member(server, "Birch")
    community: Community = server.registry.community
    boards = await community.boards.board_list(alder)
    wins = next(b.id for b in boards if b.name == "Wins")
    body = "\n".join(HOSTILE) + "\nEND-MARKER"
    await community.boards.create_thread(
        alder, wins, title="T " + "".join(HOSTILE[:3]) + "[/]", body=body
    )

    # A 1 MB line is refused by the post limits (and by the driver's input flood limit, over
    # SSH); a 100 KB paste gets through the driver and is refused whole, with a message.
    with pytest.raises(PostError, match="still in the editor"):
        await community.boards.create_thread(alder, wins, title="big", body="y" * 1_000_000)
    term_a = await connect("alder", password=PASSWORD)
    await term_a.wait_for("welcome, Alder")
    await term_a.type("b")
    await term_a.wait_for("Wins")
    await term_a.type(DOWN * 6 + "\r")
    await term_a.wait_for("T ]52;c;")
    await term_a.type("n")
    await term_a.wait_for("New thread in Wins")
    await term_a.type(TAB + TAB)  # from the title to the text
    term_a.send(b"\x1b[200~" + b"x" * 100_000 + b"\x1b[201~")
    await term_a.wait_for("so nothing was", timeout=20)

    birch = await connect("birch", password=PASSWORD)
    await birch.wait_for("welcome, Birch")
    await birch.type("b")
    await birch.wait_for("Wins")
    await birch.type(DOWN * 6 + "\r")
    await birch.wait_for("T ]52;c;")
    await birch.type("\r")
    await birch.wait_for("END-MARKER")
    await birch.wait_for("zerowidth")  # the whole post, not only its end, has been drawn
    await birch.wait_for("[bold red]loud[/bold red] [/]")
    screen = birch.text()
    assert "[@click=app.quit]click me[/]" in screen
    assert "[bold red]loud[/bold red] [/]" in screen
    assert "zerowidth" in screen and "evil" in screen
    # Textual itself sets the mouse pointer's shape (OSC 22, a fixed word): the only OSC
    # allowed, and none of it comes from a member.
    received = re.sub(rb"\x1b\]22;[a-z-]{1,20}\x07", b"", bytes(birch.received))
    decoded = received.decode("utf-8", errors="replace")
    assert b"\x1b]" not in received  # no OSC: clipboard, title, hyperlinks
    assert b"\x1bP" not in received  # no DCS
    assert b"\x1b^" not in received and b"\x1b_" not in received  # no PM / APC
    assert "\x9b" not in decoded and "\x90" not in decoded and "\x9d" not in decoded
    assert "\x07" not in decoded
    assert "\u202e" not in decoded and "\u2066" not in decoded and "\u200b" not in decoded
    assert not birch.closed.is_set()


async def _nights(server: RunningServer, author: int, posts: int, *, warning: str = "") -> int:
    """A thread "Nights" on Sleep of `posts` posts reading "post N"; its id."""
    community: Community = server.registry.community
    sleep = next(b.id for b in await community.boards.board_list(author) if b.name == "Sleep")
    first = await community.boards.create_thread(
        author, sleep, title="Nights", body="post 1", warning=warning
    )
    assert first.post is not None
    for n in range(2, posts + 1):
        await community.boards.reply(author, first.post.thread_id, body=f"post {n}")
    return first.post.thread_id


async def _open_sleep_thread(terminal: Any) -> None:
    await terminal.type("b")
    await terminal.wait_for("Sleep")
    await terminal.type(DOWN * 4 + "\r")  # Sleep, the fifth board
    await terminal.wait_for("Nights")
    await terminal.type("\r")


async def test_the_last_page_of_a_long_thread_is_drawn_once_at_its_place(
    connect: Any, server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyte

    from server.frame_filter import FrameFilter

    alder = await _member(server, "Alder")
    birch = await _member(server, "Birch")
    thread = await _nights(server, alder, 30)
    community: Community = server.registry.community
    await community.boards.thread_page(birch, thread, before_seq=10**9)  # all read
    frames: list[str] = []  # each one channel write: what the client is sent, frame by frame
    original = FrameFilter.filter

    def recording(self: FrameFilter, data: str) -> str:
        sent = original(self, data)
        frames.append(sent)
        return sent

    monkeypatch.setattr(FrameFilter, "filter", recording)
    term = await connect("birch", password=PASSWORD)
    await term.wait_for("welcome, Birch")
    await _open_sleep_thread(term)
    await term.wait_for("post 30")
    await term.wait_for("P previous page")  # the status comes with the page: it is settled
    screen = pyte.Screen(80, 24)
    stream = pyte.Stream(screen)
    drawn: list[str] = []
    for frame in frames:
        stream.feed(frame)
        drawn.append("\n".join(screen.display))
    assert "post 30" in drawn[-1] and "post 11" not in drawn[-1]
    # The page starts at post 11 (under the thread's first post) but opens at its end:
    # no frame ever showed its top.
    assert not [d for d in drawn if "post 11" in d or "#11 " in d]


async def test_a_reaction_shows_on_the_post_and_its_confirmation_stays(
    connect: Any, server: RunningServer
) -> None:
    alder = await _member(server, "Alder")
    await _member(server, "Birch")
    await _nights(server, alder, 1, warning="relapse")
    term = await connect("birch", password=PASSWORD)
    await term.wait_for("welcome, Birch")
    await _open_sleep_thread(term)
    await term.wait_for("Press O to open it")
    await term.type("o")
    await term.wait_for("post 1")
    await term.type("a")
    await term.wait_for("React to this post")
    await term.type("1")
    # The post grows by its reaction line on screen, and the confirmation is still
    # there once the page has been read again (the reaction count comes with it).
    screen = await term.wait_for("hug 1 (you)")
    assert "You sent 'hug'." in screen, screen


async def test_search_keeps_warned_posts_folded_in_its_results(
    connect: Any, server: RunningServer
) -> None:
    alder = await _member(server, "Alder")
    await _member(server, "Birch")
    await _nights(server, alder, 1, warning="relapse")
    term = await connect("birch", password=PASSWORD)
    await term.wait_for("welcome, Birch")
    await term.type("s")
    await term.wait_for("Search the boards")
    await term.type("post\r")
    screen = await term.wait_for("1 found")
    assert "Content warning: relapse" in screen and "post 1" not in screen, screen
    await term.type("\r")
    await term.wait_for("#1 Alder")
    await term.wait_for("Press O to open it")  # opened at the post, folded as in the result


async def test_one_enter_opens_a_search_result_even_typed_ahead(
    connect: Any, server: RunningServer
) -> None:
    alder = await _member(server, "Alder")
    await _member(server, "Birch")
    await _nights(server, alder, 3)
    term = await connect("birch", password=PASSWORD)
    await term.wait_for("welcome, Birch")
    await term.type("s")
    await term.wait_for("Search the boards")
    # Words, Enter, and Enter again at once, before the results are drawn (a quick
    # typist, a slow link): that second Enter opens the first result.
    term.send("post 2\r\r")
    await term.wait_for("#2 Alder")

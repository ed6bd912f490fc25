"""Boards over real SSH: one member posts, another sees it unread and replies; hostile text."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any

import pytest

from bbs.boards import PostError, PostingRules
from bbs.community import Community
from server.ssh_server import RunningServer

PASSWORD = "correct horse battery"
TAB = "\t"
CTRL_S = "\x13"
DOWN = "\x1b[B"


async def _member(server: RunningServer, name: str) -> int:
    community: Community = server.registry.community
    community.boards.rules = PostingRules(interval=timedelta(0),
                                          new_account_interval=timedelta(0))
    # Scoring is tested elsewhere; here the model must not hold the test's own words.
    community.moderation.set_scorer(None)
    return (await community.sign_up(name, PASSWORD, PASSWORD)).member.id


async def test_a_post_is_unread_for_another_member_who_opens_and_replies(
        connect: Any, server: RunningServer) -> None:
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
        connect: Any, server: RunningServer) -> None:
    alder = await _member(server, "Alder")
    await _member(server, "Birch")
    community: Community = server.registry.community
    boards = await community.boards.board_list(alder)
    wins = next(b.id for b in boards if b.name == "Wins")
    body = "\n".join(HOSTILE) + "\nEND-MARKER"
    await community.boards.create_thread(alder, wins, title="T " + "".join(HOSTILE[:3]) + "[/]",
                                         body=body)

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
    await asyncio.sleep(0.3)
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

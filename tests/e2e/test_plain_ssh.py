"""Plain line mode over real SSH, every journey read as a screen reader reads it.

Clients connect with asyncssh and a pty (TERM=dumb, or `plain` as the command), or with
OpenSSH itself (`ssh -tt HOST plain` in tmux). Every byte the server sends is checked
as it arrives (plain_reader.py): no escape sequence, no control byte but CR, LF and BEL.
Tests wait for prompts, never for fixed times.
"""

from __future__ import annotations

import asyncio
import gc
import re
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from plain_reader import PlainTerminal, bad_bytes, open_plain
from support import SSH_PASSWORD as PASSWORD
from support import let_new_members_write, wait_until

from bbs.boards.records import PostingRules
from bbs.community import Community
from bbs.config import with_overrides
from bbs.models import FrontEnd, Role
from bbs.moderation_queue.sanctions import SanctionKind
from server.plain_io import LIVE_PLAIN
from server.session import LIVE_APPS
from server.ssh_server import RunningServer

RECOVERY_CODE = r"[A-Z2-9]{5}(-[A-Z2-9]{5}){4}"
MENU = "Main menu: type a number"
# The room's prompt, at the start of its row (help texts hold "> " too).
ROOM = "\n> "
CRISIS = "I want to kill myself tonight"
LANGUAGE_PROMPT = "1-5, Enter = English: "

Connect = Callable[..., Awaitable[PlainTerminal]]


@pytest.fixture
def plain(server: RunningServer) -> AsyncIterator[Connect]:
    opened: list[PlainTerminal] = []

    async def _open(username: str, **kwargs: Any) -> PlainTerminal:
        terminal = await open_plain(server.port, username, **kwargs)
        opened.append(terminal)
        return terminal

    yield _open  # type: ignore[misc]
    for terminal in opened:
        terminal.check()
        terminal.conn.close()


def _community(server: RunningServer) -> Community:
    community = server.registry.community
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    let_new_members_write(community.database)
    return community


async def _member(server: RunningServer, name: str, role: Role = Role.MEMBER) -> int:
    community = _community(server)
    return (await community.accounts.sign_up(name, PASSWORD, PASSWORD, role=role)).member.id


async def _login(plain: Connect, name: str, **kwargs: Any) -> PlainTerminal:
    term = await plain(name.lower(), password=PASSWORD, **kwargs)
    await term.expect(f"welcome, {name}.")
    await term.expect(MENU)
    return term


# -- arriving -------------------------------------------------------------------------
async def test_sign_up_in_line_mode_then_log_in_with_the_password(
    plain: Connect, server: RunningServer
) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    new = await plain("new", client_keys=[key], term_type="xterm-256color", command="plain")
    # The language first, each named in its own words; Enter keeps English.
    read = await new.answer(LANGUAGE_PROMPT, "")
    assert "1: English" in read and "2: Español" in read and "5: Português" in read
    read = await new.expect("Welcome to Harbour.")
    await new.expect("Community guidelines")
    # The guidelines and what we store page; nothing scrolls away unread.
    read = await new.page_through("Type A to agree")
    assert "What we store about you" in read and read.count("-- More") >= 1
    new.send("a\r")
    await new.answer("Pseudonym: ", "Wren")
    await new.answer("Password: ", "short")
    await new.answer("The same password again: ", "short")
    await new.expect("at least 10 characters")
    await new.answer("Password: ", PASSWORD)
    await new.answer("The same password again: ", PASSWORD)
    await new.expect("May that key log you in")
    await new.answer("Type Y for yes or N for no: ", "n")
    read = await new.expect("Press Enter when you have noted it: ")
    code = re.search(RECOVERY_CODE, read)
    assert code is not None and "it is shown only" in read
    # The password typed was never echoed.
    assert PASSWORD not in new.text()
    new.send("\r")
    await new.expect("Harbour: welcome, Wren.")
    await new.answer(MENU, "0")
    await new.expect("Goodbye. Take care of yourself.")
    assert await new.wait_closed() == 0

    # TERM=dumb logs in to plain lines with no command; the key was not kept.
    member = await server.registry.community.accounts.member_for_key("Wren", key.get_fingerprint())
    assert member is None
    again = await _login(plain, "Wren")
    assert "Last visit:" in again.text()
    again.send("0\r")
    assert await again.wait_closed() == 0
    # Signed up in line mode: line mode it stays, even from a terminal that could draw
    # the full screen and without the `plain` command.
    back = await plain("wren", password=PASSWORD, term_type="xterm-256color")
    await back.expect("Harbour: welcome, Wren.")
    await back.answer(MENU, "0")
    assert await back.wait_closed() == 0


async def test_recovery_with_the_code_in_line_mode(plain: Connect, server: RunningServer) -> None:
    community = _community(server)
    code = (await community.accounts.sign_up("Heron", PASSWORD, PASSWORD)).recovery_code
    new = await plain("new")
    await new.answer(LANGUAGE_PROMPT, "1")
    await new.page_through("Type A to agree")
    new.send("r\r")
    await new.answer("Your pseudonym: ", "heron")
    await new.answer("Your recovery code: ", code.lower())
    await new.answer("New password (not shown as you type): ", "a brand new password")
    await new.answer("The same password again: ", "a brand new password")
    read = await new.expect("Press Enter when you have noted it: ")
    assert "New password set, Heron." in read and re.search(RECOVERY_CODE, read)
    new.send("\r")
    await new.answer(MENU, "0")
    assert await new.wait_closed() == 0
    assert (
        await community.accounts.authenticate_password("Heron", "a brand new password") is not None
    )


async def test_sign_up_has_its_time_limit_in_line_mode(
    plain: Connect, server: RunningServer
) -> None:
    community = server.registry.community
    community.settings = with_overrides(
        community.settings, login=replace(community.settings.login, signup_seconds=1.0)
    )
    new = await plain("new")
    await new.expect("Sign-up has a time limit and it ran out", timeout=10)
    assert await new.wait_closed() == 1


async def test_the_profile_choice_and_the_commands_choose_the_front_end(
    plain: Connect, server: RunningServer, connect: Any
) -> None:
    await _member(server, "Egret")
    # An ordinary terminal with no command: the full screen (escape sequences and all).
    full = await connect("egret", password=PASSWORD)
    await full.wait_for("welcome, Egret")
    await full.close()
    # Choose plain lines on the profile, from plain mode itself.
    term = await _login(plain, "Egret", term_type="xterm-256color", command="plain")
    term.send("9\r")
    await term.answer("Profile: type a number", "1")
    await term.answer("Type 1 or 2, or 0 to keep the full screen: ", "1")
    await term.expect("Saved: your next login opens plain lines.")
    member = await server.registry.community.accounts.member(
        (await server.registry.community.accounts.authenticate_password("Egret", PASSWORD)).id
    )  # type: ignore[union-attr]
    assert member is not None and member.front_end is FrontEnd.PLAIN
    term.conn.close()
    # Now an ordinary xterm login opens plain lines...
    again = await _login(plain, "Egret", term_type="xterm-256color")
    again.send("0\r")
    await again.wait_closed()
    # ...and `full` still opens the full screen.
    screen = await connect("egret", password=PASSWORD, command="full")
    await screen.wait_for("welcome, Egret")


async def test_without_a_pty_plain_reads_lines_and_does_not_echo(
    plain: Connect, server: RunningServer
) -> None:
    await _member(server, "Ibis")
    term = await plain("ibis", password=PASSWORD, term_type=None, command="plain")
    await term.expect(MENU)
    term.send("8\n")
    await term.expect("Help and crisis lines")
    await term.page_through("Help: R for the resource library")
    term.send("0\n")
    await term.answer(MENU, "0")
    assert await term.wait_closed() == 0
    term.width = 1000  # the client's own terminal echoed the Enters: rows join here
    # Our own typing came back only as the menu's answer, never echoed.
    assert "Help: R for the resource library" in term.text()
    assert not re.search(r"(?m)\): 8$", term.text())


# -- boards ---------------------------------------------------------------------------
async def test_boards_threads_folded_warnings_reactions_replies_and_pages(
    plain: Connect, server: RunningServer
) -> None:
    await _member(server, "Alder")
    birch_id = await _member(server, "Birch")
    community = server.registry.community
    alder = await _login(plain, "Alder")
    alder.send("2\r")
    read = await alder.expect("Boards: type a board's number")
    assert "2. Anxiety: Worry, panic, and what helps. 0 threads" in read
    alder.send("2\r")
    await alder.answer("Threads: type a thread's number", "n")
    await alder.answer("Title (up to 120 characters), or 0 to go back: ", "Meetings and panic")
    await alder.answer("Content warning, if your post needs one", "panic attacks")
    await alder.answer("Text, or . to send: ", "My chest gets tight before meetings.")
    await alder.answer("Text, or . to send: ", "Does anyone else get this?")
    await alder.answer("Text, or . to send: ", ".")
    await alder.expect("Your thread is posted.")
    read = await alder.expect("Threads: type")
    assert "1. Meetings and panic, by Alder. 1 post. Content warning: panic attacks." in read

    birch = await _login(plain, "Birch")
    birch.send("2\r")
    await birch.answer("Boards: type", "2")
    await birch.answer("Threads: type", "1")
    read = await birch.expect("Thread: Enter for the next posts")
    assert "Post 1 by Alder" in read
    assert "Content warning: panic attacks." in read
    assert "Folded because of the warning: type 1 to open it." in read
    assert "My chest gets tight" not in read
    birch.send("1\r")
    read = await birch.expect("Thread: Enter")
    assert "My chest gets tight before meetings.\nDoes anyone else get this?" in read
    birch.send("a1\r")
    read = await birch.answer("Type a reaction's number", "1")
    assert "1. hug\n2. me too" in read
    await birch.expect("You sent hug.")
    birch.send("r\r")
    await birch.answer("Content warning, if your post needs one", "")
    await birch.answer("Text, or . to send: ", "Breathing out slowly helps me.")
    await birch.answer("Text, or . to send: ", ".")
    await birch.expect("Your reply is posted as post 2.")
    birch.send("0\r")

    # Birch's reply is news for the thread's starter; choosing it opens the thread there.
    alder.send("0\r")
    await alder.answer("Boards: type", "0")
    await alder.expect(MENU)
    alder.send("\r")  # Enter alone lists the choices again, with what is new counted
    read = await alder.answer(MENU, "1")
    assert "1. What is new for you (1 new)" in read
    read = await alder.answer("Type a number to read it, or 0", "1")
    assert "1. Birch replied in Meetings and panic (Anxiety)" in read
    read = await alder.page_through("Thread: Enter for the next posts")
    assert "Post 2 by Birch" in read and "Breathing out slowly helps me." in read
    alder.send("0\r")
    await alder.expect("Nothing new for you on the boards right now.")
    await alder.expect(MENU)

    # Many posts: pages from the first unread with the two posts before it for context
    # (a line marks where the new ones begin), "more" between screenfuls.
    page = await community.boards.thread_list(birch_id, 2)
    for i in range(3, 26):
        await community.boards.reply(
            birch_id, page.threads[0].id, body=f"Reply number {i}, thanks for the tips."
        )
    alder.send("2\r")
    await alder.answer("Boards: type", "2")
    await alder.answer("Threads: type", "1")
    read = await alder.page_through("Thread: Enter for the next posts")
    assert "-- More" in read
    assert read.index("Post 2 by") < read.index("New since you last read")
    assert read.index("New since you last read") < read.index("Post 3 by Birch")
    assert "Reply number 20," in read and "Reply number 21," not in read
    alder.send("\r")
    read = await alder.page_through("Thread: Enter for the next posts")
    assert "Reply number 23," in read and "Reply number 25," in read
    alder.send("\r")
    await alder.expect("That is the last post for now.")
    await alder.answer("Thread: Enter", "p")  # the page before
    read = await alder.page_through("Thread: Enter for the next posts")
    assert "Post 3 by Birch" in read and "Reply number 23," not in read
    alder.send("0\r0\r0\r")
    await alder.expect(MENU)
    await birch.answer("Threads: type", "0")


async def test_a_crisis_post_prints_the_crisis_message_at_once(
    plain: Connect, server: RunningServer
) -> None:
    await _member(server, "Cedar")
    term = await _login(plain, "Cedar")
    term.send("2\r")
    await term.answer("Boards: type", "3")
    await term.answer("Threads: type", "n")
    await term.answer("Title (up to 120 characters)", "Tonight")
    await term.answer("Content warning", "")
    await term.answer("Text, or . to send: ", CRISIS)
    await term.answer("Text, or . to send: ", ".")
    read = await term.page_through("Threads: type")
    assert "Your message is posted, just as you wrote it. Only you can see this note." in read
    assert "you don't have to face this alone" in read
    assert "Your thread is posted." not in read


# -- private messages -----------------------------------------------------------------
async def test_private_messages_written_read_and_answered(
    plain: Connect, server: RunningServer
) -> None:
    await _member(server, "Dunlin")
    await _member(server, "Eider")
    dunlin = await _login(plain, "Dunlin")
    dunlin.send("3\r")
    read = await dunlin.answer("Messages: type", "n")
    assert "No conversations yet." in read
    await dunlin.answer("Write to whom?", "eider")
    await dunlin.answer("Text, or . to send: ", "Hello Eider, how was the week?")
    await dunlin.answer("Text, or . to send: ", ".")
    await dunlin.expect("Sent to Eider.")

    eider = await _login(plain, "Eider")
    assert "You have 1 unread private message" in eider.text()
    eider.send("3\r")
    read = await eider.answer("Messages: type", "1")
    assert "1. Dunlin, last" in read and "1 new" in read
    read = await eider.answer("Conversation: R to reply", "r")
    assert "1. Dunlin," in read and "Hello Eider, how was the week?" in read
    await eider.answer("Text, or . to send: ", "Better, thank you.")
    await eider.answer("Text, or . to send: ", ".")
    await eider.expect("Sent to Dunlin.")
    eider.send("0\r0\r0\r")
    await eider.wait_closed()


async def test_worried_about_a_posts_author_and_a_messages_sender(
    plain: Connect, server: RunningServer
) -> None:
    """W, as on the full screen: a priority alert for the moderators, never a report."""
    community = _community(server)
    keeper = await _member(server, "Keeper", Role.MODERATOR)
    fen_id = await _member(server, "Fen")
    gale_id = await _member(server, "Gale")
    boards = await community.boards.board_list(fen_id)
    anxiety = next(b for b in boards if b.name == "Anxiety")
    await community.boards.create_thread(
        fen_id, anxiety.id, title="Rough week", body="I do not see the point of much lately."
    )
    await community.mail.send_message(fen_id, gale_id, "I have been giving my things away.")

    gale = await _login(plain, "Gale")
    gale.send("2\r")
    await gale.answer("Boards: type", "2")
    await gale.answer("Threads: type", "1")
    await gale.answer("Thread: Enter for the next posts", "k")
    read = await gale.answer("Thread: Enter", "w1")
    assert "W and a number: you are worried about that post's author" in read
    await gale.answer("Worried about Fen?", "they sound very low")
    await gale.expect("Thank you for looking out for them.")
    gale.send("0\r0\r0\r")
    await gale.expect(MENU)
    gale.send("3\r")
    await gale.answer("Messages: type", "1")
    await gale.answer("Conversation: R to reply", "w")
    await gale.answer("Worried about Fen?", "")
    await gale.expect("type help for crisis lines")

    queue = await community.admin.queue(keeper)
    concerns = [q for q in queue if q.author == "Fen"]
    assert {q.target_kind for q in concerns} == {"post", "message"}
    assert all(q.kind.value == "crisis" for q in concerns)
    assert "they sound very low" in " ".join(q.reason for q in concerns)


# -- rooms ----------------------------------------------------------------------------
async def _enter_lobby(term: PlainTerminal) -> None:
    term.send("5\r")
    read = await term.answer("Rooms: type a room's number", "1")
    assert "1. Lobby:" in read
    await term.expect("You are in Lobby")
    await term.expect(ROOM)


async def test_a_room_line_arrives_with_who_said_it_and_keeps_a_half_typed_line(
    plain: Connect, server: RunningServer
) -> None:
    await _member(server, "Finch")
    await _member(server, "Grebe")
    finch = await _login(plain, "Finch")
    grebe = await _login(plain, "Grebe")
    await _enter_lobby(finch)
    await _enter_lobby(grebe)
    await finch.expect("Grebe came in.")
    finch.send("I was just typ")
    await finch.expect("I was just typ")
    grebe.send("hello everyone\r")
    # Finch's screen: the line on its own row, then the prompt and the half-typed text.
    await finch.expect("Grebe: hello everyone\n> I was just typ")
    finch.send("ing this\r")
    await grebe.expect("Finch: I was just typing this")
    # Nothing is shown twice: Finch's own line is not printed back to Finch (checked
    # below, once later lines have come).
    grebe.send("/me waves\r")
    await finch.expect("* Grebe waves")
    finch.send("/who\r")
    read = await finch.expect("Here now (2): Finch, Grebe")
    assert "Finch: I was just typing this" not in finch.text()
    finch.send("leave\r")
    await finch.expect("You left Lobby.")
    await grebe.expect("Finch left.")
    await finch.expect("Rooms: type")
    finch.send("0\r")
    await finch.expect(MENU)
    grebe.send("/leave\r")
    await grebe.expect("You left Lobby.")
    assert "\x1b" not in read


async def test_rooms_hold_flood_limits_mutes_and_crisis_lines_as_the_full_screen_does(
    plain: Connect, server: RunningServer
) -> None:
    sysop = await _member(server, "Gannet", Role.SYSOP)
    await _member(server, "Hobby")
    await _member(server, "Jackdaw")
    community = server.registry.community
    hobby = await _login(plain, "Hobby")
    await _enter_lobby(hobby)
    # A crisis line: published as written, and the crisis lines at once, privately.
    hobby.send(CRISIS + "\r")
    read = await hobby.page_through(ROOM, timeout=20)
    assert "Your message is posted, just as you wrote it. Only you can see this note." in read
    # Flood control, as on the full screen: told once, kindly.
    for i in range(7):
        hobby.send(f"line number {i}\r")
    await hobby.expect("That is a lot of lines quickly")
    # A muted member reads along; the line typed stays in the line to send later.
    await community.admin.sanction(
        sysop, "Jackdaw", SanctionKind.MUTE, reason="a pause", length=timedelta(hours=1)
    )
    jackdaw = await _login(plain, "Jackdaw")
    await _enter_lobby(jackdaw)
    jackdaw.send("still here\r")
    await jackdaw.expect("You are muted until")
    await jackdaw.expect("\n> still here")
    jackdaw.send("\x15/leave\r")  # Ctrl+U empties the line first
    await jackdaw.expect("You left Lobby.")
    assert "Jackdaw: still here" not in hobby.text()


async def test_a_suspension_ends_a_plain_session_with_its_reason(
    plain: Connect, server: RunningServer
) -> None:
    sysop = await _member(server, "Harrier", Role.SYSOP)
    await _member(server, "Jay")
    jay = await _login(plain, "Jay")
    await server.registry.community.admin.sanction(
        sysop, "Jay", SanctionKind.SUSPEND, reason="cooling off", length=timedelta(days=1)
    )
    await jay.expect("suspended")
    assert await jay.wait_closed() == 1


async def test_hide_prints_one_neutral_line_until_back(
    plain: Connect, server: RunningServer
) -> None:
    await _member(server, "Kite")
    await _member(server, "Lark")
    kite = await _login(plain, "Kite")
    lark = await _login(plain, "Lark")
    await _enter_lobby(kite)
    await _enter_lobby(lark)
    kite.send("hide\r")
    await kite.expect("System status: all services are operating normally.")
    hidden_at = len(kite.text())
    lark.send("a line while Kite is away\r")
    await lark.expect(ROOM)
    # The line reached Kite's session, which keeps it while hidden (and prints nothing).
    console = _plain_console(server, "Kite")
    await wait_until(lambda: console.waiting > 0, "the line to reach the hidden session")
    assert "Lark" not in kite.text()[hidden_at:]
    kite.send("back\r")
    await kite.expect("You are back.")
    await kite.expect("Lark: a line while Kite is away")
    kite.send("/leave\r")
    await kite.expect("You left Lobby.")
    tail = kite.text()[:hidden_at].rstrip("\n").split("\n")
    assert tail[-1].startswith("System status")
    assert tail[-23:-1] == [""] * 22  # the screen above was emptied by blank rows


def _plain_console(server: RunningServer, name: str) -> Any:
    for session in server.registry.sessions:
        run = session._plain
        member = session._member
        if run is not None and run.session is not None and member and member.pseudonym == name:
            return run.session.console
    raise AssertionError(f"no plain session of {name}")


# -- goals ----------------------------------------------------------------------------
async def test_goals_check_in_with_mood_and_note_and_the_companion_answers(
    plain: Connect, server: RunningServer
) -> None:
    await _member(server, "Merlin")
    term = await _login(plain, "Merlin")
    term.send("6\r")
    read = await term.answer("Goals: a goal's number", "n")
    assert "No goals yet." in read
    await term.answer("Title (up to 120 characters)", "Walk outside")
    await term.answer("Category:", "movement")
    await term.answer("How often:", "daily")
    await term.answer("Measured in minutes or count", "minutes")
    await term.answer("Target per check-in", "20")
    await term.answer("Who sees it:", "")
    await term.expect("Goal set: Walk outside.")
    read = await term.answer("Goals: a goal's number", "c1")
    assert "1. Walk outside: daily, private. No streak yet. Due today." in read
    await term.answer("How did it go?", "d")
    await term.answer("Your mood, from 1", "4")
    await term.answer("How many minutes?", "25")
    await term.answer("Which day?", "")
    await term.answer("A note, if you like", "Sunny by the river")
    read = await term.answer("Type W to share it on the Wins board", "")
    assert "Checked in for" in read and ": done." in read
    assert "Companion (automated):" in read and "First" in read
    await term.expect("Goals: a goal's number")
    term.send("1\r")
    read = await term.expect("Goal: C to check in")
    assert "25 minutes, mood 4: Sunny by the river" in read
    term.send("0\r")
    # Editing: Enter keeps each field as it is.
    await term.answer("Goals: a goal's number", "e1")
    await term.answer("Title [Walk outside]: ", "Walk by the river")
    for field in ("Category", "How often", "Measured in", "Target", "Who sees it"):
        await term.answer(field, "")
    await term.expect("Saved.")
    read = await term.expect("Goals: a goal's number")
    assert "1. Walk by the river: daily, private. Streak 1 day (best 1). Done for today." in read
    term.send("0\r")
    await term.expect(MENU)


async def test_a_crisis_check_in_note_gets_the_crisis_note_alone(
    plain: Connect, server: RunningServer
) -> None:
    member_id = await _member(server, "Osprey")
    await server.registry.community.goals.create_goal(
        member_id,
        title="Sleep by midnight",
        category="sleep",
        cadence="daily",
        measure="",
        target="",
        visibility="private",
    )
    term = await _login(plain, "Osprey")
    term.send("6\r")
    await term.answer("Goals: a goal's number", "c1")
    await term.answer("How did it go?", "m")
    await term.answer("Your mood, from 1", "1")
    await term.answer("Which day?", "")
    await term.answer("A note, if you like", CRISIS)
    read = await term.page_through("Goals: a goal's number", timeout=20)
    assert "Your check-in is saved. Only you can see this note." in read
    assert "Companion (automated)" not in read and "Checked in for" not in read


# -- help, suggestions, privacy, goodbye ----------------------------------------------
async def test_help_and_crisis_lines_from_any_prompt(plain: Connect, server: RunningServer) -> None:
    await _member(server, "Plover")
    term = await _login(plain, "Plover")
    term.send("help\r")
    read = await term.page_through(MENU)
    assert "Help and crisis lines" in read and "findahelpline.com" in read
    assert "That was the help." in read
    term.send("2\r")
    await term.answer("Boards: type", "1")
    await term.answer("Threads: type", "?")
    read = await term.page_through("Threads: type")
    assert "Help and crisis lines" in read
    term.send("0\r0\r8\r")
    await term.page_through("Help: R for the resource library")
    term.send("r\r")
    read = await term.answer("Library: type an entry's number", "1")
    assert "The resource library:" in read
    read = await term.expect("Library: type")
    assert "Source:" in read
    term.send("0\r0\r")
    await term.expect(MENU)


async def test_suggestions_are_off_until_the_member_says_yes(
    plain: Connect, server: RunningServer
) -> None:
    await _member(server, "Quail")
    term = await _login(plain, "Quail")
    term.send("7\r")
    read = await term.answer("For you: a suggestion's number", "o")
    assert "Suggestions are off." in read
    read = await term.expect("Type Y for yes or N for no: ")
    assert "Suggestions for you" in read and "Turn suggestions on?" in read
    term.send("y\r")
    await term.answer("Type Y for yes or N for no: ", "n")
    await term.expect("Saved.")
    read = await term.expect("For you: a suggestion's number")
    assert "Suggestions are off." not in read
    assert "Peer matching is off" in read
    term.send("0\r")
    await term.expect(MENU)


async def test_privacy_what_we_store_export_password_and_delete(
    plain: Connect, server: RunningServer
) -> None:
    await _member(server, "Rail")
    term = await _login(plain, "Rail")
    other = await _login(plain, "Rail")
    term.send("9\r")
    read = await term.answer("Profile: type a number", "2")
    assert "Profile: Rail. Role: member." in read and "10. Delete my account" in read
    read = await term.page_through("Profile: type")
    assert "What we keep about you" in read and "Your name (Rail)" in read
    term.send("3\r")
    read = await term.expect("Profile: type")
    assert re.search(r"ssh -p \d+ Rail@localhost export > mine.json", read)
    term.send("4\r")
    await term.answer("Your current password (not shown): ", PASSWORD)
    await term.answer("New password, at least 10 characters (not shown): ", "another long one")
    await term.answer("The new password again: ", "another long one")
    await term.expect("Your password is changed.")
    # Your sessions: this one marked, the other one ended from here.
    term.send("7\r")
    read = await term.answer("Sessions: E and a number ends that session", "e2")
    assert "1. Since" in read and "2. Since" in read
    assert read.count("(this one)") == 1 and "window 80 by 24" in read
    assert "2. Since" not in read.split("(this one)")[0]  # the older one, this, is first
    await other.expect("You ended this session from another one.")
    assert await other.wait_closed() == 0
    await term.expect("Ended.")
    await term.answer("Sessions: E and a number", "0")
    term.send("10\r")
    await term.answer("Type 1 or 2, or 0 to go back without deleting: ", "2")
    await term.answer("To confirm, type your name (Rail), or 0 to go back: ", "Robin")
    await term.expect("type your name exactly")
    await term.answer("To confirm, type your name (Rail)", "rail")
    await term.expect("Your account has been deleted.")
    assert await term.wait_closed() == 0
    assert (
        await server.registry.community.accounts.authenticate_password("Rail", "another long one")
        is None
    )


async def test_no_plain_session_outlives_its_connection(
    plain: Connect, server: RunningServer
) -> None:
    await _member(server, "Swift")
    for _ in range(5):
        term = await _login(plain, "Swift")
        await _enter_lobby(term)
        term.conn.close()
        await term.wait_closed()

    def all_collected() -> bool:
        gc.collect()
        return not LIVE_PLAIN and not LIVE_APPS

    await wait_until(all_collected, "every plain session to be collected", timeout=30)
    assert len(LIVE_PLAIN) == 0
    assert server.registry.community.rooms.who(1) == []


async def test_other_scripts_arrive_as_utf8_and_hostile_text_as_plain_text(
    plain: Connect, server: RunningServer
) -> None:
    writer = await _member(server, "Stilt")
    await _member(server, "Tern")
    community = server.registry.community
    community.moderation.set_scorer(None)  # the words, not the model, are under test here
    await community.boards.create_thread(
        writer,
        1,
        title="Привет \x1b]0;pwned\x07 café",
        warning="",
        body="☕ \x1b[2J\x1b[31mred\x1b[0m \x9b31m and \u202eevil\x1b]52;c;aGk=\x07 done",
    )
    term = await plain("tern", password=PASSWORD, allow_utf8=True)
    await term.answer(MENU, "2")
    await term.answer("Boards: type", "1")
    read = await term.answer("Threads: type", "1")
    assert "1. Привет ]0;pwned café, by Stilt." in read
    read = await term.expect("Thread: Enter")
    assert "☕ [2J[31mred[0m 31m and evil]52;c;aGk= done" in read
    # Bytes 0x80-0x9F only inside UTF-8 characters (checked as they came), no C1 control.
    assert not term.problems
    assert "\x1b" not in bytes(term.raw).decode() and "\u202e" not in bytes(term.raw).decode()
    term.send("0\r0\r0\r0\r")
    await term.wait_closed()


# -- OpenSSH ----------------------------------------------------------------------------
@pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("ssh") is None,
    reason="needs tmux and OpenSSH's ssh (apt-get install tmux openssh-client)",
)
async def test_openssh_ssh_t_host_plain(server: RunningServer, tmp_path: Path) -> None:
    await _member(server, "Wigeon")
    pane = f"bbs-plain-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "out.bin"
    options = (
        "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "
        "-o PubkeyAuthentication=no -o PreferredAuthentications=password -F /dev/null"
    )
    try:
        await _tmux(
            "new-session",
            "-d",
            "-s",
            pane,
            "-x",
            "80",
            "-y",
            "24",
            "env",
            "TERM=xterm-256color",
            "sh",
            "-c",
            f"ssh -tt -p {server.port} {options} wigeon@127.0.0.1 plain; sleep 30",
        )
        await _pane_wait(pane, "[Pp]assword:")
        await _tmux("pipe-pane", "-o", "-t", pane, f"cat >> {log}")
        await _tmux("send-keys", "-t", pane, "-l", PASSWORD)
        await _tmux("send-keys", "-t", pane, "Enter")
        await _pane_wait(pane, "Main menu: type a number")
        await _tmux("send-keys", "-t", pane, "-l", "help")
        await _tmux("send-keys", "-t", pane, "Enter")
        while "That was the help" not in await _pane_wait(pane, "That was the help|More: Enter"):
            await _tmux("send-keys", "-t", pane, "Enter")
        await _tmux("send-keys", "-t", pane, "-l", "0")
        await _tmux("send-keys", "-t", pane, "Enter")
        await _pane_wait(pane, "Goodbye. Take care of yourself.")
    finally:
        await _tmux("kill-session", "-t", pane)
    sent = log.read_bytes()
    assert b"Help and crisis lines" in sent
    assert not bad_bytes(sent), sent[:400]


async def _tmux(*args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        "tmux", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, _err = await proc.communicate()
    return out.decode(errors="replace")


async def _pane_wait(pane: str, pattern: str, timeout: float = 15.0) -> str:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    screen = ""
    while loop.time() < deadline:
        screen = await _tmux("capture-pane", "-p", "-t", pane)
        if re.search(pattern, screen):
            return screen
        await asyncio.sleep(0.1)  # poll interval, not a wait for something to happen
    raise AssertionError(f"{pattern!r} never appeared in the ssh window:\n{screen}")


async def test_a_country_in_the_profile_brings_its_crisis_lines_to_help(
    plain: Connect, server: RunningServer
) -> None:
    community = _community(server)
    keeper = await _member(server, "Warden", Role.SYSOP)
    await community.admin.set_help_text(keeper, "Help in Ireland: call Pieta.", country="IE")
    await _member(server, "Tern")
    term = await _login(plain, "Tern")
    term.send("9\r")
    read = await term.answer("Profile: type a number", "12")
    assert "12. Country: now not given" in read
    # A code that names no country: said kindly, nothing saved, the menu again.
    await term.answer("Your country as two letters", "QQ")
    await term.expect("We do not know the country QQ")
    term.send("12\r")
    await term.answer("Your country as two letters", "ie")
    read = await term.expect("Profile: type")
    assert "Saved: help shows the crisis lines for Ireland where we have them." in read
    term.send("0\r")
    await term.answer(MENU, "8")
    read = await term.page_through("Help: R for the resource library")
    assert "Help in Ireland: call Pieta." in read

"""Hostile text, sent everywhere a member can write, reaches others only as literal text.

The sender uses the core services (driving the UI for thirty strings in seven places
would take minutes; the UI's own input path is covered by tests/e2e), but the readers
are real SSH sessions: every byte they receive is tokenized, and every escape sequence
in it must be one of our own kinds (colours, cursor moves, erases, scroll regions, the
private modes our driver and Textual set). Their screens (pyte) must show the cleaned,
literal text, and both sessions must still answer afterwards.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import pytest
from hostile_corpus import (
    CORPUS,
    HOSTILE_NAMES,
    ONE_MB_LINE,
    Hostile,
    forbidden_sequences,
    tokenize,
)
from support import SSH_PASSWORD as PASSWORD
from support import wait_until

from bbs.accounts.members import AccountError
from bbs.accounts.pseudonyms import PseudonymError
from bbs.boards.records import PostError, PostingRules
from bbs.clock import SystemClock
from bbs.community import Community
from bbs.goals.streaks import GoalError
from bbs.models import Role
from bbs.rooms.flood import FloodControl
from bbs.text_safety import clean_line
from server.ssh_server import RunningServer

DOWN = "\x1b[B"
SHIFT_TAB = "\x1b[Z"
SIZE = (160, 60)


def _flat(term: Any) -> str:
    """The screen as one line of words: wrapped text reads on across rows."""
    return " ".join(" ".join(row.split()) for row in term.screen.display)


def _assert_shown(term: Any, items: list[Hostile], *, multiline: bool = False) -> None:
    flat = _flat(term).replace("\u200c", "").replace("\u200d", "")
    expected = [s for h in items for s in (h.shown_lines if multiline else [h.shown])]
    missing = [s for s in expected if s not in flat and not _cut_shown(s, flat)]
    assert not missing, f"not shown literally: {missing}\n{term.text()}"


async def _shows(term: Any, items: list[Hostile], *, multiline: bool = False) -> None:
    """Wait (with a deadline) until every item is shown literally: a big frame may arrive
    in several reads after the marker a test waited for."""
    deadline = time.monotonic() + 10.0
    while True:
        try:
            _assert_shown(term, items, multiline=multiline)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(0.02)  # poll interval, not a wait for something to happen


def _cut_shown(text: str, flat: str) -> bool:
    """A list column may cut a long title: its start, then an ellipsis, is literal too."""
    return any(text[:k].rstrip() + "\u2026" in flat for k in range(12, len(text)))


def _assert_only_our_sequences(term: Any) -> None:
    received = bytes(term.received)
    assert received, "nothing was received"
    bad = forbidden_sequences(received)
    assert not bad, f"forbidden sequences reached the terminal: {bad[:10]}"


async def _back_to_menu(term: Any, name: str) -> None:
    for _ in range(5):
        if f"welcome, {name}" in term.text():
            return
        term.send("\x1b")
        # Kept: Escs spaced past the driver's escape timeout, so each is a key of its own.
        await asyncio.sleep(0.4)
    await term.wait_for(f"welcome, {name}")


def test_the_tokenizer_fails_on_every_hostile_kind_and_passes_our_own() -> None:
    ours = (
        b"\x1b[?1049h\x1b[?1000h\x1b[?1006h\x1b[?25l\x1b[?2026$p\x1b[?2004h\x1b[?7l"
        b"\x1b[1;1H\x1b[38;2;10;20;30;48;5;17;1mhi \xe2\x94\x80\x1b[0m\x1b[K\x1b[2J"
        b"\x1b[3;20r\x1b[3;1H\x1b[1M\x1b[r\x1b]22;default\x07\r\n"
    )
    assert forbidden_sequences(ours) == []
    assert [t.kind for t in tokenize(b"\x1b[1;1Hx")] == ["csi"]
    # Raw, most of the corpus is caught at the byte level; the rest (erase, SGR, modes a
    # member might send) looks like our own and is caught by the screen checks instead.
    flagged = {h.tag for h in CORPUS if forbidden_sequences(h.text.encode("utf-8"))}
    expected = {f"H{n:02d}" for n in (*range(2, 18), 23, 24)}
    assert expected <= flagged, sorted(expected - flagged)
    for kind, raw in (
        ("c1", "\x9b".encode()),
        ("osc", b"\x1b]0;x\x07"),
        ("dcs", b"\x1bP$qm\x1b\\"),
        ("apc", b"\x1b_x\x1b\\"),
        ("pm", b"\x1b^x\x1b\\"),
        ("csi", b"\x1b[21t"),
        ("esc", b"\x1bc"),
        ("bad-utf8", b"\x9b31m"),
        ("c0", b"\x07"),
    ):
        bad = forbidden_sequences(raw)
        assert bad and bad[0].kind == kind, (kind, bad)


async def test_hostile_names_are_refused_kindly_or_cleaned(server: RunningServer) -> None:
    community: Community = server.registry.community
    await community.accounts.sign_up("Rose", PASSWORD, PASSWORD)
    for name in [*HOSTILE_NAMES, "R\u043ese", "ROSE"]:  # and a Cyrillic o in a taken name
        try:
            result = await community.accounts.sign_up(name, PASSWORD, PASSWORD)
        except (PseudonymError, AccountError) as error:
            message = str(getattr(error, "message", "") or error)
            assert 10 < len(message) < 300 and "\x1b" not in message, message
            assert name[:50] not in message or name[:50] == clean_line(name[:50])
        else:
            shown = result.member.pseudonym
            assert shown == clean_line(shown).strip() and not forbidden_sequences(shown.encode()), (
                repr(shown)
            )
            assert "[" not in shown and "\u0430" not in shown, repr(shown)


async def test_a_hostile_pseudonym_at_ssh_sign_up_gets_a_kind_message(connect: Any) -> None:
    term = await connect("new", size=SIZE)
    await term.past_language()
    await term.type("a")
    await term.wait_for("Choose how you will be known here")
    term.send("\u0430dmin\r")  # the UI's own path: the lookalike of a reserved name
    await term.type(PASSWORD + "\r" + PASSWORD + "\r")
    await term.wait_for("looks too much like one")
    # Back to the name (focus stays on the last field), clear it, try markup; the
    # passwords typed are kept.
    await term.type(SHIFT_TAB + SHIFT_TAB)
    await term.type("\x15[@click=app.quit]x\x1b]52;c;aGk=\x07\r\r\r")
    # The name shown literally, and the refusal (not a hint that was already on screen).
    await term.wait_for("[@click=app.quit]x")
    await term.wait_for_match(r"(?i)can.t be used|start with a letter")
    assert not term.closed.is_set()
    _assert_only_our_sequences(term)
    # Still usable: a good name goes through.
    await term.type(SHIFT_TAB + SHIFT_TAB)
    await term.type("\x15Willow\r\r\r")
    await term.wait_for_match(r"[A-Z2-9]{5}(-[A-Z2-9]{5}){4}", timeout=15)


async def test_hostile_text_everywhere_reaches_others_as_literal_text(
    connect: Any, server: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    community: Community = server.registry.community
    community.moderation.set_scorer(None)  # scoring is tested elsewhere; hold nothing here
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    community.rooms.flood = FloodControl(SystemClock(), lines=1000, per_seconds=1.0)
    alder = (await community.accounts.sign_up("Alder", PASSWORD, PASSWORD)).member
    birch = (await community.accounts.sign_up("Birch", PASSWORD, PASSWORD)).member
    await community.accounts.sign_up("Warden", PASSWORD, PASSWORD, role=Role.SYSOP)

    # -- chat lines in a room, arriving live -------------------------------------------
    viewer = await connect("birch", password=PASSWORD, size=SIZE)
    await viewer.wait_for("welcome, Birch")
    await viewer.type("r")
    await viewer.wait_for("Lobby (")
    await viewer.type("\r")
    await viewer.wait_for("You are in Lobby", timeout=15)
    rooms = await community.rooms.list_rooms(alder)
    lobby = next(room for room, _ in rooms if room.name == "Lobby")
    visit = await community.rooms.enter(lobby.id, alder)
    for item in CORPUS:
        reply = await community.rooms.say(visit, item.text)
        assert reply.line is not None, (item.tag, reply)
    refused = await community.rooms.say(visit, ONE_MB_LINE)
    assert refused.line is None and "up to" in " ".join(refused.notes)
    await viewer.wait_for(f"Alder: {CORPUS[-1].shown}")
    await _shows(viewer, CORPUS)
    await community.rooms.leave(visit)
    await _back_to_menu(viewer, "Birch")

    # -- thread titles and a post --------------------------------------------------------
    boards = await community.boards.board_list(alder.id)
    wins_index = next(i for i, b in enumerate(boards) if b.name == "Wins")
    wins = boards[wins_index].id
    for item in CORPUS:
        await community.boards.create_thread(alder.id, wins, title=item.text, body="x")
    with pytest.raises(PostError):
        await community.boards.create_thread(alder.id, wins, title="big", body=ONE_MB_LINE)
    body = "\n".join(item.text for item in CORPUS) + "\nEND-MARKER"
    thread = await community.boards.create_thread(alder.id, wins, title="Body of it all", body=body)
    await viewer.type("b")
    await viewer.wait_for("Wins")
    await viewer.type(DOWN * wins_index + "\r")
    await viewer.wait_for("Body of it all")
    # Threads come in pages: the newest here, the oldest one page on. The first page is
    # whole once the same ten or more are shown twice running.
    seen: list[list[Hostile]] = []

    def first_page() -> bool:
        seen.append([h for h in CORPUS if h.tag + " " in viewer.text()])
        return len(seen) > 1 and len(seen[-1]) >= 10 and seen[-1] == seen[-2]

    await wait_until(first_page, "the first page of threads", detail=viewer.text)
    on_first = seen[-1]
    assert len(on_first) >= 10, viewer.text()
    _assert_shown(viewer, on_first)
    await viewer.type("]")
    await viewer.wait_for(CORPUS[0].shown)
    await _shows(viewer, [h for h in CORPUS if h not in on_first])
    await viewer.type("[")
    await viewer.wait_for("Body of it all")
    await _shows(viewer, on_first)  # the first page is back before Enter opens its top
    await viewer.type("\r")
    await viewer.wait_for("END-MARKER")
    await _shows(viewer, CORPUS, multiline=True)
    await _back_to_menu(viewer, "Birch")

    # -- goal titles a partner sees, and cheers ---------------------------------------------
    invite = await community.goals.invite(alder.id, "birch")
    await community.goals.answer(birch.id, invite.id, True)
    for item in CORPUS:
        await community.goals.create_goal(alder.id, title=item.text, visibility="partners")
    with pytest.raises(GoalError):
        await community.goals.create_goal(alder.id, title=ONE_MB_LINE, visibility="partners")
    pairs = [CORPUS[i : i + 2] for i in range(0, len(CORPUS), 2)]
    for pair in pairs:
        await community.goals.cheer(alder.id, birch.id, " ".join(h.text for h in pair))
    with pytest.raises(GoalError):
        await community.goals.cheer(alder.id, birch.id, ONE_MB_LINE)
    await viewer.type("g")
    await viewer.wait_for("Goals and check-ins")
    await viewer.type("p")
    await viewer.wait_for("Cheers for you")
    await _shows(viewer, CORPUS)
    await viewer.type("\r")
    await viewer.wait_for("Goals Alder shares with you")
    await viewer.wait_for(CORPUS[-1].shown)
    await _shows(viewer, CORPUS)
    # A cheer arriving live is a notification on the open screen.
    await community.goals.cheer(alder.id, birch.id, "H50 live [@click=app.quit]y[/] \x1b]0;t\x07")
    await viewer.wait_for("Alder cheered you on: H50 live [@click=app.quit]y[/] ]0;t")
    await _back_to_menu(viewer, "Birch")

    # -- a report's reason (a 1 MB one, cut), shown to a sysop with the reported post ------
    assert thread.post is not None
    reason = " ".join(h.text for h in CORPUS[:8]) + " " + ONE_MB_LINE
    await community.boards.report_post(birch.id, thread.post.id, reason)
    sysop = await connect("warden", password=PASSWORD, size=SIZE)
    await sysop.wait_for("welcome, Warden")
    await sysop.type("a")
    await sysop.wait_for("Reported by Birch")
    await sysop.wait_for("END-MARKER")
    await _shows(sysop, CORPUS, multiline=True)
    assert "H99 ]52;c;AAAA" in _flat(sysop)
    assert len(bytes(sysop.received)) < 2_000_000
    _assert_only_our_sequences(sysop)

    # -- both sessions still answer, and received only our own sequences -----------------
    await viewer.type("p")
    await viewer.wait_for("Profile: Birch")
    await _back_to_menu(viewer, "Birch")
    await sysop.type("\x1b")
    await sysop.wait_for("welcome, Warden")
    _assert_only_our_sequences(viewer)
    assert not viewer.closed.is_set() and not sysop.closed.is_set()
    assert not [
        r
        for r in caplog.records
        if r.name.startswith(("server.session", "screens")) and r.levelname in ("ERROR", "CRITICAL")
    ]

"""A full disk, simulated with a size cap: a kind error, nothing half-saved, recovery after.

SQLite's max_page_count (Database.set_size_limit) makes the store fail exactly as a full
disk does ("database or disk is full", SQLITE_FULL); PostgreSQL's disk-full is SQLSTATE
53100. Both become StoreFullError, a StoreBusyError, so every screen keeps the member's text.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import select
from support import SSH_PASSWORD as PASSWORD
from support import wait_until

from bbs.boards import records as boards
from bbs.boards.records import PostingRules
from bbs.community import Community
from bbs.db import Database, store_error
from bbs.errors import StoreBusyError, StoreFullError
from bbs.models import Member
from server.ssh_server import RunningServer

TAB = "\t"
CTRL_S = "\x13"
DOWN = "\x1b[B"
# Needs fresh pages: overflow pages for the body, and the search index's.
BIG_BODY = " ".join(f"word{i} steady breathing helps me" for i in range(500))


def _counts(database: Database) -> tuple[int, int, int]:
    with database.read() as session:
        threads = session.execute(text("SELECT count(*) FROM thread")).scalar_one()
        posts = session.execute(text("SELECT count(*) FROM post")).scalar_one()
        orphans = session.execute(
            text(
                "SELECT count(*) FROM thread t WHERE NOT EXISTS "
                "(SELECT 1 FROM post p WHERE p.thread_id = t.id AND p.seq = 1)"
            )
        ).scalar_one()
    return threads, posts, orphans


def _fill_to_the_brim(database: Database) -> None:
    """Cap the store at its present size: the next write that needs a page fails."""
    with database.read() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar_one()
        page_size = session.execute(text("PRAGMA page_size")).scalar_one()
    database.set_size_limit(pages * page_size)


def _loosen(community: Community) -> None:
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    community.moderation.set_scorer(None)


async def test_a_full_store_refuses_whole_posts_kindly_and_recovers(community: Community) -> None:
    _loosen(community)
    member = (await community.accounts.sign_up("Alder", PASSWORD, PASSWORD)).member.id
    board = (await community.boards.board_list(member))[0].id
    first = await community.boards.create_thread(member, board, title="Before", body="hello")
    assert first.post is not None
    before = _counts(community.database)

    _fill_to_the_brim(community.database)
    with pytest.raises(StoreFullError) as caught:
        await community.boards.create_thread(member, board, title="Full", body=BIG_BODY)
    assert isinstance(caught.value, StoreBusyError)  # every busy handler keeps the text
    assert "your text is kept" in str(caught.value)
    with pytest.raises(StoreFullError):
        await community.boards.reply(member, first.post.thread_id, body=BIG_BODY)
    # Nothing half-written: no thread without its first post, no stray post.
    assert _counts(community.database) == before
    # Reading still works while full.
    assert next(b.id for b in await community.boards.board_list(member)) == board

    community.database.set_size_limit(None)  # space returns
    again = await community.boards.create_thread(member, board, title="Full", body=BIG_BODY)
    assert again.post is not None
    await community.boards.reply(member, first.post.thread_id, body=BIG_BODY)
    threads, posts, orphans = _counts(community.database)
    assert (threads, posts, orphans) == (before[0] + 1, before[1] + 2, 0)
    with community.database.read() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"


def test_postgres_disk_full_and_sqlite_full_are_store_full_errors() -> None:
    pg = OperationalError("INSERT", {}, psycopg.errors.DiskFull("could not extend file"))
    assert isinstance(store_error(pg), StoreFullError)
    import sqlite3

    lite = OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
    assert isinstance(store_error(lite), StoreFullError)
    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    busy = store_error(locked)
    assert isinstance(busy, StoreBusyError) and not isinstance(busy, StoreFullError)
    other = OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))
    assert store_error(other) is None


def _focused_id(server: RunningServer) -> str | None:
    for session in server.registry.sessions:
        app = session._app
        if app is not None and app.focused is not None:
            return app.focused.id
    return None


def _draft_has(community: Community, text: str) -> bool:
    with community.database.read() as session:
        return any(
            text in draft.body
            for member in session.exec(select(Member)).all()
            for draft in boards.drafts(session, member_id=member.id)
        )


async def test_a_member_sees_the_full_disk_keeps_their_text_and_sends_it_later(
    connect: Any, server: RunningServer
) -> None:
    community: Community = server.registry.community
    _loosen(community)
    await community.accounts.sign_up("Alder", PASSWORD, PASSWORD)
    alder = await connect("alder", password=PASSWORD)
    await alder.wait_for("welcome, Alder")
    await alder.type("b")
    await alder.wait_for("Introductions")
    await alder.type(DOWN + "\r")  # Anxiety, the second board
    await alder.wait_for("No threads yet")
    await alder.type("n")
    await alder.wait_for("New thread in Anxiety")
    await alder.type("Meetings and panic")
    await alder.type(TAB + TAB)
    await wait_until(lambda: _focused_id(server) == "body", "the body field to have focus")
    # A long post (pasted), so that saving it needs fresh pages in the store.
    alder.send(("\x1b[200~" + BIG_BODY + " my chest gets tight\x1b[201~").encode())
    await alder.wait_for("my chest gets tight")
    # The draft is saved (a timer after the last change) before the disk fills.
    await wait_until(lambda: _draft_has(community, "my chest gets tight"), "the draft to be saved")
    before = _counts(community.database)

    _fill_to_the_brim(community.database)
    await alder.type(CTRL_S)
    await alder.wait_for("storage is full")
    await wait_until(
        lambda: "your text is kept" in " ".join(alder.text().split()), "the whole message"
    )
    screen = " ".join(alder.text().split())  # the message wraps
    assert "your text is kept" in screen
    assert "steady breathing helps me" in screen  # still in the editor
    assert "New thread in Anxiety" in screen
    assert _counts(community.database) == before

    community.database.set_size_limit(None)
    await alder.type(CTRL_S)
    await alder.wait_for("1 post")
    await alder.wait_for("Meetings and panic")
    threads, posts, orphans = _counts(community.database)
    assert (threads, posts, orphans) == (before[0] + 1, before[1] + 1, 0)
    with community.database.read() as session:  # every word the member typed was kept
        body = session.execute(text("SELECT body FROM post ORDER BY id DESC")).scalars().first()
    assert body == BIG_BODY + " my chest gets tight"


def _fill_room_lines_completely(database: Database) -> None:
    """Cap the store, then fill the room lines' own pages too, as a full disk leaves no room.

    (A size cap stops new pages only; a line could still fit in a page with space left.)
    Fillers are held lines, which are never shown.
    """
    _fill_to_the_brim(database)
    fill = text(
        "INSERT INTO roomline (room_id, member_id, author, kind, text, held, created_at) "
        "SELECT room_id, member_id, author, 'say', :t, 1, created_at FROM roomline "
        "ORDER BY id DESC LIMIT 1"
    )
    for size in (400, 100, 20, 1):
        for _ in range(100_000):
            try:
                with database.write() as session:
                    assert session.connection().execute(fill, {"t": "f" * size}).rowcount == 1
            except StoreFullError:
                break
        else:
            raise AssertionError("the store never filled up")


async def test_a_room_line_on_a_full_disk_goes_back_in_the_box_and_is_said_later(
    connect: Any, server: RunningServer
) -> None:
    community: Community = server.registry.community
    _loosen(community)
    await community.accounts.sign_up("Alder", PASSWORD, PASSWORD)
    alder = await connect("alder", password=PASSWORD)
    await alder.wait_for("welcome, Alder")
    await alder.type("r")
    await alder.wait_for("Lobby (")
    await alder.type("\r")
    await alder.wait_for("You are in Lobby")
    await alder.type("hi all\r")
    await alder.wait_for("Alder: hi all")

    _fill_room_lines_completely(community.database)
    await alder.type("a quiet hello to everyone here\r")
    await alder.wait_for("storage is full")
    await alder.wait_for("a quiet hello to everyone here")  # back in the box, unsaid
    with community.database.read() as session:
        said = session.execute(
            text("SELECT count(*) FROM roomline WHERE text = 'a quiet hello to everyone here'")
        ).scalar_one()
    assert said == 0

    community.database.set_size_limit(None)
    await alder.type("\r")
    await alder.wait_for("Alder: a quiet hello")
    with community.database.read() as session:
        said = session.execute(
            text("SELECT count(*) FROM roomline WHERE text = 'a quiet hello to everyone here'")
        ).scalar_one()
    assert said == 1
    assert not alder.closed.is_set()

"""Moving a SQLite community into an empty PostgreSQL database (bbs.move_store) and the
`bbs admin migrate-to-postgres` command around it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from support import NO_WAIT, PASSWORD

from bbs.accounts import members as accounts
from bbs.accounts.members import PublicKeyInfo
from bbs.accounts.pseudonyms import validate_pseudonym
from bbs.admin import review as admin
from bbs.boards import records as boards
from bbs.boards import search
from bbs.config import Settings, with_overrides
from bbs.db import Database
from bbs.mail import records as messages
from bbs.models import Member, utcnow
from bbs.moderation_queue.flags import Written
from bbs.moderation_queue.policy import Action
from bbs.move_store import MoveError, move_to_postgres, tables_in_order
from bbs.node_lock import hold_server_lock
from bbs.rooms import records as rooms
from bbs.sysop_settings import put_setting
from server.cli import main
from server.wiring import build_community

KEY = PublicKeyInfo("ssh-ed25519", "SHA256:movingkey", "ssh-ed25519 AAAAmoving robin@home")


def _community(settings: Settings) -> dict[str, int]:
    """A small lived-in SQLite community; returns some ids worth checking after the move."""
    community = build_community(settings)
    community.prepare()
    hasher = community.services.hasher.passwords
    db = community.database
    try:
        with db.write() as session:
            ids = {}
            for name, role in (("Robin", "sysop"), ("Café_Sam", "member"), ("Lee", "member")):
                view = accounts.create_member(
                    session,
                    pseudonym=validate_pseudonym(name, allow_reserved=True),
                    password_hash=hasher.hash(PASSWORD),
                    recovery_hash="r",
                    key=None,
                )
                member = session.get(Member, view.id)
                assert member is not None
                member.role = role
                member.created_at = utcnow() - timedelta(days=10)
                ids[name] = view.id
            accounts.bind_key(session, member_id=ids["Robin"], key=KEY)
            board = next(b.id for b in boards.all_boards(session) if b.name == "Sleep")
            thread = boards.create_thread(
                session,
                author_id=ids["Café_Sam"],
                board_id=board,
                written=Written(
                    boards.clean_post("Crème brûlée nights", "Sleeping badly at the café", ""),
                    Action.ALLOW,
                ),
                rules=NO_WAIT,
            )
            boards.create_reply(
                session,
                author_id=ids["Lee"],
                thread_id=thread.thread_id,
                written=Written(boards.clean_post(None, "Same here, insomnia", ""), Action.ALLOW),
                rules=NO_WAIT,
            )
            boards.create_reply(
                session,
                author_id=ids["Lee"],
                thread_id=thread.thread_id,
                written=Written(boards.clean_post(None, "held words", ""), Action.HOLD),
                rules=NO_WAIT,
            )
            messages.send_message(
                session,
                sender_id=ids["Lee"],
                recipient_id=ids["Café_Sam"],
                written=Written("hello there", Action.ALLOW),
                rules=NO_WAIT,
            )
            rooms.seed_default_rooms(session)
            lobby = rooms.room_by_name(session, "Lobby")
            assert lobby is not None
            rooms.add_line(
                session,
                room_id=lobby.id,
                member_id=ids["Lee"],
                author="Lee",
                kind="say",
                text="evening all",
            )
            robin = session.get(Member, ids["Robin"])
            lee = session.get(Member, ids["Lee"])
            assert robin is not None and lee is not None
            admin.audit_action(
                session, actor=robin, action="warn", member=lee, category="other", reason="be kind"
            )
            put_setting(session, "announcement", "Welcome to the new home")
            ids["thread"] = thread.thread_id
            ids["post"] = thread.id
        return ids
    finally:
        community.close()


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar_one()
                for t in tables_in_order()
            }
    finally:
        engine.dispose()


def test_a_community_moves_whole_and_works_there(settings: Settings, postgres_url: str) -> None:
    ids = _community(settings)
    before = _counts(settings.database_url)
    source = Database(settings.database_url)
    try:
        report = move_to_postgres(source, postgres_url)
    finally:
        source.dispose()
    assert {t.name for t in report.tables} == {t.name for t in tables_in_order()}
    assert all(t.source_rows == t.target_rows for t in report.tables)
    assert _counts(postgres_url) == before
    for table in (
        "member",
        "memberkey",
        "post",
        "thread",
        "privatemessage",
        "roomline",
        "auditentry",
        "adminsetting",
        "resource",
        "board",
        "room",
        "community_text",  # help and guidelines, every language
    ):
        assert before[table] > 0, table
    assert report.indexed_posts == 2  # the held reply is not searchable, as before

    target = Database(postgres_url)
    try:
        with target.read() as session:
            # Ids kept; search, the audit log, settings and keys came along.
            hits = search.search_posts(session, member_id=ids["Lee"], query="creme cafe")
            assert [h.post_id for h in hits] == [ids["post"]]
            robin = session.get(Member, ids["Robin"])
            assert robin is not None and robin.role == "sysop"
            assert robin.created_at.tzinfo is not None
            [entry] = admin.audit_log(session, actor_id=ids["Robin"])
            assert (entry.action, entry.reason) == ("warn", "be kind")
            assert accounts.member_for_key(session, "robin", KEY.fingerprint) is not None
        # Sequences continue after the copied ids.
        with target.write() as session:
            reply = boards.create_reply(
                session,
                author_id=ids["Robin"],
                thread_id=ids["thread"],
                written=Written(boards.clean_post(None, "welcome", ""), Action.ALLOW),
                rules=NO_WAIT,
            )
            assert reply.id > ids["post"] + 2
            member = accounts.create_member(
                session,
                pseudonym=validate_pseudonym("Newcomer"),
                password_hash="h",
                recovery_hash="r",
            )
            assert member.id > max(ids["Robin"], ids["Café_Sam"], ids["Lee"])
    finally:
        target.dispose()
    # A server started on it seeds nothing twice, and the copied password still works.
    pg_settings = with_overrides(settings, database_url=postgres_url)
    community = build_community(pg_settings)
    try:
        community.prepare()
        assert _counts(postgres_url)["board"] == before["board"]
        assert _counts(postgres_url)["resource"] == before["resource"]
    finally:
        community.close()


async def test_the_copied_password_logs_in(settings: Settings, postgres_url: str) -> None:
    _community(settings)
    source = Database(settings.database_url)
    try:
        move_to_postgres(source, postgres_url)
    finally:
        source.dispose()
    community = build_community(with_overrides(settings, database_url=postgres_url))
    try:
        assert await community.accounts.authenticate_password("robin", PASSWORD) is not None
        assert await community.accounts.authenticate_password("robin", "wrong password") is None
    finally:
        community.close()


def test_a_target_that_is_not_empty_is_refused(settings: Settings, postgres_url: str) -> None:
    _community(settings)
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE something_else (id integer)"))
    engine.dispose()
    source = Database(settings.database_url)
    try:
        with pytest.raises(MoveError, match="not empty: it has 1 tables \\(something_else\\)"):
            move_to_postgres(source, postgres_url)
    finally:
        source.dispose()


def test_a_failed_copy_leaves_the_target_empty(settings: Settings, postgres_url: str) -> None:
    _community(settings)
    # A body longer than PostgreSQL's column allows (SQLite never checks lengths).
    engine = create_engine(settings.database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE post SET warning = :w"), {"w": "x" * 500})
    engine.dispose()
    source = Database(settings.database_url)
    try:
        with pytest.raises(Exception, match="too long"):
            move_to_postgres(source, postgres_url)
    finally:
        source.dispose()
    check = create_engine(postgres_url)
    with check.connect() as conn:
        left = conn.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        ).scalar_one()
    check.dispose()
    assert left == 0


def test_the_command_refuses_kindly(
    settings: Settings, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(settings.data_dir)]
    assert main(["admin", "migrate-to-postgres", postgres_url, *data]) == 1
    assert "no SQLite community" in capsys.readouterr().err
    _community(settings)
    assert main(["admin", "migrate-to-postgres", "sqlite:///elsewhere.db", *data]) == 1
    assert "must be a PostgreSQL URL" in capsys.readouterr().err
    lock = hold_server_lock(settings.database_url)  # as `bbs serve` does
    try:
        assert main(["admin", "migrate-to-postgres", postgres_url, *data]) == 1
        assert "stop it first" in capsys.readouterr().err
    finally:
        lock.release()
    assert (
        main(
            [
                "admin",
                "migrate-to-postgres",
                postgres_url,
                "--data-dir",
                str(settings.data_dir),
                "--database-url",
                postgres_url,
            ]
        )
        == 1
    )
    assert "already uses PostgreSQL" in capsys.readouterr().err


def test_the_command_copies_and_says_what_next(
    settings: Settings, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _community(settings)
    code = main(
        ["admin", "migrate-to-postgres", postgres_url, "--data-dir", str(settings.data_dir)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "every count matches" in out
    assert "auditentry" in out and "Next:" in out
    assert "database_url" in out and "pg_dump" in out and "--workers" in out
    # Run again, the target is no longer empty: refused, nothing touched.
    assert (
        main(["admin", "migrate-to-postgres", postgres_url, "--data-dir", str(settings.data_dir)])
        == 1
    )
    assert "not empty" in capsys.readouterr().err

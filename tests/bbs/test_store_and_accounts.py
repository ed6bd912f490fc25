"""The store and accounts, on SQLite and (when BBS_TEST_POSTGRES_URL is set) PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import SQLModel, select

from bbs.accounts import members as accounts
from bbs.accounts.members import AccountError, PublicKeyInfo
from bbs.accounts.pseudonyms import validate_pseudonym
from bbs.db import Database, StoreBusyError, alembic_config
from bbs.models import ColourMode, Member, MemberKey, Role
from bbs.schema import from_the_models


@pytest.fixture
def database(store: Database) -> Database:
    return store


def _add(
    database: Database, name: str, role: Role = Role.MEMBER, key: PublicKeyInfo | None = None
) -> accounts.MemberView:
    with database.write() as session:
        return accounts.create_member(
            session,
            pseudonym=validate_pseudonym(name),
            password_hash="h",
            recovery_hash="r",
            role=role,
            key=key,
        )


KEY = PublicKeyInfo("ssh-ed25519", "SHA256:abc", "ssh-ed25519 AAAA")


def test_migrations_match_the_models(database: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with database.engine.connect() as conn:
        # Full-text tables and indexes ("_fts") are hand-written, as bbs/migrations/env.py says.
        context = MigrationContext.configure(conn, opts={"include_object": from_the_models})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
    assert database.current_revision() is not None
    assert alembic_config(database.url).get_main_option("script_location")


def test_member_round_trip_with_aware_utc_times(database: Database) -> None:
    created = _add(database, "Robin", key=KEY)
    with database.read() as session:
        found = accounts.get_member(session, "ROBIN")
    assert found is not None and found.id == created.id
    assert found.created_at.tzinfo is not None
    assert found.created_at.utcoffset() == UTC.utcoffset(None)
    assert found.key_count == 1
    assert found.colour_mode is ColourMode.AUTO


def test_names_and_lookalikes_are_unique(database: Database) -> None:
    _add(database, "Robin")
    for name in ("robin", "R0bin", "ROBIN"):
        with pytest.raises(AccountError), database.write() as session:
            accounts.create_member(
                session, pseudonym=validate_pseudonym(name), password_hash="h", recovery_hash="r"
            )


def test_a_key_belongs_to_one_member_only(database: Database) -> None:
    first = _add(database, "Alder", key=KEY)
    second = _add(database, "Birch")
    with pytest.raises(AccountError), database.write() as session:
        accounts.bind_key(session, member_id=second.id, key=KEY)
    with database.read() as session:
        by_key = accounts.member_for_key(session, "alder", KEY.fingerprint)
        # The profile says how many keys can log in: a key login counts its own key.
        assert by_key is not None and by_key.key_count == 1
        assert accounts.member_for_key(session, "birch", KEY.fingerprint) is None
        assert accounts.member_for_key(session, "nobody", KEY.fingerprint) is None
    assert first.id != second.id


def test_a_key_login_counts_every_key_and_is_recorded(database: Database) -> None:
    other = PublicKeyInfo("ssh-ed25519", "SHA256:def", "ssh-ed25519 BBBB")
    alder = _add(database, "Alder", key=KEY)
    birch = _add(database, "Birch", key=PublicKeyInfo("ssh-ed25519", "SHA256:x", "ssh-ed25519 X"))
    with database.write() as session:
        accounts.bind_key(session, member_id=alder.id, key=other)
        accounts.record_login(session, alder.id, other.fingerprint)
    with database.read() as session:
        found = accounts.member_for_key(session, "ALDER", other.fingerprint)
        assert found is not None and found.id == alder.id and found.key_count == 2
        alder_row = session.get(Member, alder.id)
        birch_row = session.get(Member, birch.id)
        assert alder_row is not None and birch_row is not None
        assert alder_row.last_login_at is not None and alder_row.last_login_at > alder.created_at
        assert birch_row.last_login_at == birch.last_login_at  # nobody else's login moved
        used = {k.fingerprint: k.last_used_at for k in session.exec(select(MemberKey)).all()}
    assert used[other.fingerprint] is not None
    assert used[KEY.fingerprint] is None and used["SHA256:x"] is None


def test_roles_and_listing(database: Database) -> None:
    _add(database, "Cedar")
    with database.write() as session:
        accounts.set_role(session, "cedar", Role.MODERATOR)
    with database.read() as session:
        [member] = accounts.list_members(session)
    assert member.role is Role.MODERATOR and member.is_staff
    with pytest.raises(AccountError), database.write() as session:
        accounts.set_role(session, "nobody", Role.SYSOP)


def test_a_failed_write_leaves_nothing_half_written(database: Database) -> None:
    with pytest.raises(RuntimeError), database.write() as session:
        session.add(
            Member(
                pseudonym="Half",
                pseudonym_key="half",
                skeleton="half",
                password_hash="h",
                recovery_hash="r",
            )
        )
        session.flush()
        raise RuntimeError("crash mid-transaction")
    with database.read() as session:
        assert accounts.get_member(session, "half") is None


def test_naive_datetimes_are_refused(database: Database) -> None:
    with pytest.raises(Exception, match="naive"), database.write() as session:
        session.add(
            Member(
                pseudonym="N",
                pseudonym_key="n",
                skeleton="n",
                password_hash="h",
                recovery_hash="r",
                created_at=datetime(2020, 1, 1),
            )
        )
        session.flush()


def test_sqlite_is_tuned_for_safety(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'tuned.sqlite3'}")
    db.migrate()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    db.dispose()


def test_a_locked_sqlite_database_gives_a_clear_busy_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite3"
    db = Database(f"sqlite:///{path}", busy_timeout_ms=200)
    db.migrate()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusyError, match="busy"), db.write() as session:
            session.add(
                Member(
                    pseudonym="L",
                    pseudonym_key="l",
                    skeleton="l",
                    password_hash="h",
                    recovery_hash="r",
                )
            )
            session.flush()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        db.dispose()


def test_concurrent_writers_wait_instead_of_failing(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'busy.sqlite3'}", pool_size=8)
    db.migrate()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with db.write() as session:
                    # Read, then write, in one transaction: BEGIN IMMEDIATE makes it safe.
                    accounts.get_member(session, f"w{n}x{i}")
                    accounts.create_member(
                        session,
                        pseudonym=validate_pseudonym(f"w{n}x{i}"),
                        password_hash="h",
                        recovery_hash="r",
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.read() as session:
        assert len(accounts.list_members(session)) == 60
    db.dispose()


def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    db.migrate()
    _add(db, "Rowan")
    target = tmp_path / "copy.sqlite3"
    db.backup(target)
    copy = Database(f"sqlite:///{target}")
    with copy.read() as session:
        assert accounts.get_member(session, "rowan") is not None
    copy.dispose()
    db.dispose()


async def test_a_login_is_noted_and_the_home_screen_read_in_one_trip(database: Database) -> None:
    from bbs.events import LocalEventBus
    from bbs.home import HomeService
    from bbs.store import Store

    alder = _add(database, "Alder", key=KEY)
    store = Store(database, LocalEventBus())
    trips: list[str] = []
    db = store._db

    async def counting(fn: object, *args: object) -> object:
        trips.append(getattr(fn, "__name__", "?"))
        return await db(fn, *args)  # type: ignore[arg-type]

    store._db = counting  # type: ignore[method-assign, assignment]
    home = HomeService(store=store)
    try:
        arrived = await home.arrive(alder, KEY.fingerprint)
        assert trips == ["_write_then_read"]
        assert arrived == await home.snapshot(alder)
        with database.read() as session:
            row = session.get(Member, alder.id)
            assert row is not None and row.last_login_at is not None
            key_row = session.exec(select(MemberKey)).one()
            assert key_row.last_used_at == row.last_login_at
        # A read sees what the write before it committed; a failed write reads nothing.
        read: list[int] = []

        def fails(_session: object) -> None:
            raise ValueError("no")

        def reads(session: object) -> int:
            read.append(1)
            return 1

        with pytest.raises(ValueError):
            await store.write_then_read(fails, reads)
        assert read == []
        written, seen = await store.write_then_read(
            lambda s: accounts.set_language(s, alder.id, "de"),
            lambda s: accounts.member_language(s, alder.id),
        )
        assert written.language == seen == "de"
    finally:
        store.close()

"""The store: one engine per database, SQLite tuned for safety, Alembic migrations."""

from __future__ import annotations

import ast
import fcntl
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event, inspect, make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from bbs.errors import BUSY_MESSAGE, StoreBusyError, StoreFullError

if TYPE_CHECKING:  # Alembic (with Mako and Pygments, about 12 MiB) is imported only to migrate
    from alembic.config import Config

log = logging.getLogger(__name__)

__all__ = ["Database", "StoreBusyError", "StoreFullError", "alembic_config"]

SQLITE_BUSY_TIMEOUT_MS = 5000
# SQLite's own ceiling for max_page_count: "no limit" in practice.
SQLITE_NO_PAGE_LIMIT = 4294967294
# The first key of every advisory lock this program takes ("bbs" in ASCII); the second
# names the job (Database.one_at_a_time).
ADVISORY_NAMESPACE = 0x626273
# PostgreSQL's SQLSTATE for "disk full" (class 53, insufficient resources).
PG_DISK_FULL = "53100"


def store_error(error: OperationalError) -> StoreBusyError | None:
    """The core's error for a full or locked store, or None for anything else."""
    orig = error.orig
    text = str(orig).lower()
    if (
        getattr(orig, "sqlstate", None) == PG_DISK_FULL
        or getattr(orig, "sqlite_errorname", None) == "SQLITE_FULL"
        or "database or disk is full" in text
    ):
        log.error("the store is full: writes fail until space returns")
        return StoreFullError()
    if "locked" in text or "busy" in text:
        return StoreBusyError(BUSY_MESSAGE)
    return None


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _write_lock_path(url: str) -> Path | None:
    """Beside a SQLite file, the lock file its writing processes take turns on."""
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name + ".write-lock")


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event emit BEGIN itself, so writes can BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # FULL: a committed post survives power loss too, not only a crash (an fsync a commit).
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return on_connect


def _sqlite_on_begin(conn: Connection) -> None:
    # A deferred read-then-write upgrade fails with SQLITE_BUSY at once, without
    # waiting on busy_timeout; write transactions therefore take the lock up front.
    if conn.get_execution_options().get("bbs_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


class Database:
    """An engine for the configured URL, with separate read and write sessions."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 8,
        busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
        max_size_bytes: int | None = None,
    ) -> None:
        self.url = url
        self.is_sqlite = _is_sqlite(url)
        self._max_pages = SQLITE_NO_PAGE_LIMIT
        # SQLite has one writer at a time. Writers of this process take turns on this lock
        # (woken as soon as it is free) instead of polling SQLite's busy handler, whose
        # sleeps let a waiter lose again and again until busy_timeout ("database is
        # locked"). Other processes still meet us through busy_timeout.
        self._write_turn = threading.RLock()
        self._write_wait = busy_timeout_ms / 1000
        # Processes (the server, `bbs admin`, a second tool) take turns the same way, on a
        # lock file the kernel queues them on: SQLite's own busy handler polls with
        # growing sleeps, and a process that writes without pause starves the others.
        self._lock_path = _write_lock_path(url) if self.is_sqlite else None
        self._lock_fd: int | None = None
        self._turn_depth = 0
        if self.is_sqlite:
            self.engine: Engine = create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
                pool_size=pool_size,
                max_overflow=0,
            )
            event.listen(self.engine, "connect", _sqlite_pragmas(busy_timeout_ms))
            event.listen(self.engine, "begin", _sqlite_on_begin)
            event.listen(self.engine, "checkout", self._apply_size_limit)
            if max_size_bytes is not None:
                self.set_size_limit(max_size_bytes)
        else:
            self.engine = create_engine(
                url, pool_size=pool_size, max_overflow=2, pool_pre_ping=True
            )
        self._write_engine = self.engine.execution_options(bbs_write=True)

    # -- a size cap (SQLite): for hosts with a small disk, and for full-disk tests ------
    def set_size_limit(self, max_bytes: int | None) -> None:
        """Cap the SQLite file's size; past it, writes fail with StoreFullError.

        SQLite's max_page_count, applied to every pooled connection at its next use; None
        lifts the cap. A full disk behaves the same way, so tests use this to simulate one.
        """
        if not self.is_sqlite:
            raise ValueError("a size cap is for SQLite; PostgreSQL has its own quotas")
        if max_bytes is None:
            self._max_pages = SQLITE_NO_PAGE_LIMIT
            return
        with self.engine.connect() as conn:
            page_size = int(conn.exec_driver_sql("PRAGMA page_size").scalar_one())
        self._max_pages = max(1, max_bytes // page_size)

    def _apply_size_limit(self, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if record.info.get("bbs_max_pages") != self._max_pages:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA max_page_count={int(self._max_pages)}")
            cursor.close()
            record.info["bbs_max_pages"] = self._max_pages

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                try:
                    yield session
                finally:
                    session.rollback()
        except OperationalError as error:
            mapped = store_error(error)
            if mapped is None:
                raise
            raise mapped from error

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction, committed when the block ends without an exception.

        Raises StoreBusyError if the store stayed locked, StoreFullError if it could not
        grow; either way the whole transaction is rolled back, nothing half-written.
        """
        if not self.is_sqlite:
            with self._session_for_write() as session:
                yield session
            return
        self._take_turn()
        try:
            with self._session_for_write() as session:
                # BEGIN IMMEDIATE now: the write lock is held before the caller's code runs,
                # so times it takes (a post's created_at) follow the order of commits.
                session.connection()
                yield session
        finally:
            self._end_turn()

    def _take_turn(self) -> None:
        if not self._write_turn.acquire(timeout=self._write_wait):
            raise StoreBusyError(BUSY_MESSAGE)
        if self._turn_depth == 0 and self._lock_path is not None:
            try:
                if self._lock_fd is None:
                    self._lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
                # One thread of this process waits here at a time (the others wait on
                # _write_turn); holders keep it for one transaction only.
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            except OSError:
                # No lock file (a read-only directory): SQLite's busy_timeout still guards.
                log.warning("could not take the write lock file %s", self._lock_path)
        self._turn_depth += 1

    def _end_turn(self) -> None:
        self._turn_depth -= 1
        if self._turn_depth == 0 and self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        self._write_turn.release()

    @contextmanager
    def _session_for_write(self) -> Iterator[Session]:
        try:
            with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
                yield session
        except OperationalError as error:
            mapped = store_error(error)
            if mapped is None:
                raise
            raise mapped from error

    def migrate(self) -> None:
        """Bring the schema up to the newest migration (creating it on first start).

        One process at a time: nodes started together on an empty database would each
        try to create the same tables. A database already at the shipped heads (every
        restart) is left alone without importing Alembic.
        """
        if self.at_shipped_heads():
            return
        from alembic import command

        with self.one_at_a_time("migrate"), self.engine.begin() as conn:
            config = alembic_config(self.url)
            config.attributes["connection"] = conn
            # "heads": features may add migrations side by side before a merge revision.
            command.upgrade(config, "heads")

    @contextmanager
    def one_at_a_time(self, job: str) -> Iterator[None]:
        """Run the block in one process at a time, across every node on this database.

        PostgreSQL: a session advisory lock named by the job and the schema, held on a
        connection of its own (so the block's transactions commit as usual) and released
        if the process dies. SQLite: the write turn every process on the file takes.
        For start-up work (migrations, seeding): other nodes wait, however long it takes.
        """
        if self.is_sqlite:
            self._take_turn()
            try:
                yield
            finally:
                self._end_turn()
            return
        key = f"{ADVISORY_NAMESPACE}, hashtext(coalesce(current_schema(), '') || ':' || :job)"
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if not conn.execute(
                text(f"SELECT pg_try_advisory_lock({key})"), {"job": job}
            ).scalar_one():
                log.info("another node is running %s; waiting for it to finish", job)
                conn.execute(text(f"SELECT pg_advisory_lock({key})"), {"job": job})
            try:
                yield
            finally:
                conn.execute(text(f"SELECT pg_advisory_unlock({key})"), {"job": job})

    def at_shipped_heads(self) -> bool:
        """Whether the schema already carries every migration that ships (and no other)."""
        shipped = shipped_heads()
        if shipped is None:
            return False
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return False
            stored = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return frozenset(stored) == shipped

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            # Side-by-side feature migrations (before their merge) are several heads.
            heads = MigrationContext.configure(conn).get_current_heads()
            return ",".join(sorted(heads)) or None

    def backup(self, target: Path) -> None:
        """A consistent copy of a SQLite database, safe while the server runs."""
        if not self.is_sqlite:
            raise ValueError("backup here is for SQLite; use pg_dump for PostgreSQL")
        # VACUUM cannot run inside the transaction SQLAlchemy would begin: use the raw
        # connection, which is in autocommit mode (isolation_level=None).
        raw = self.engine.raw_connection()
        try:
            raw.cursor().execute("VACUUM INTO ?", (str(target),))
        finally:
            raw.close()

    def dispose(self) -> None:
        self.engine.dispose()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL ("postgresql+psycopg://...") as psycopg wants it."""
    scheme, sep, rest = url.partition("://")
    return ("postgresql" + sep + rest) if scheme.startswith("postgresql") else url


def shipped_heads() -> frozenset[str] | None:
    """The head revisions of bbs/migrations/versions, read from each file's `revision` and
    `down_revision` assignments without importing Alembic; None when a file does not say
    them as plain literals (then Alembic decides)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (resources.files("bbs") / "migrations" / "versions").iterdir():
        if not path.name.endswith(".py") or path.name == "__init__.py":
            continue
        said: dict[str, Any] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets: list[ast.expr]
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            elif isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            else:
                continue
            for target in targets:
                if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                    try:
                        said[target.id] = ast.literal_eval(value)
                    except ValueError:
                        return None
        revision, down = said.get("revision"), said.get("down_revision")
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        revised.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions - revised) or None


def alembic_config(url: str) -> Config:
    """An Alembic configuration pointing at our migrations, for the given URL."""
    from alembic.config import Config

    config = Config()
    location = resources.files("bbs") / "migrations"
    config.set_main_option("script_location", str(location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config

"""The store: one engine per database, SQLite tuned for safety, Alembic migrations."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from bbs.errors import StoreBusyError

log = logging.getLogger(__name__)

__all__ = ["Database", "StoreBusyError", "alembic_config"]

SQLITE_BUSY_TIMEOUT_MS = 5000


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


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
        self, url: str, *, pool_size: int = 8, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS
    ) -> None:
        self.url = url
        self.is_sqlite = _is_sqlite(url)
        if self.is_sqlite:
            self.engine: Engine = create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
                pool_size=pool_size,
                max_overflow=0,
            )
            event.listen(self.engine, "connect", _sqlite_pragmas(busy_timeout_ms))
            event.listen(self.engine, "begin", _sqlite_on_begin)
        else:
            self.engine = create_engine(
                url, pool_size=pool_size, max_overflow=2, pool_pre_ping=True
            )
        self._write_engine = self.engine.execution_options(bbs_write=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction, committed when the block ends without an exception."""
        try:
            with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
                yield session
        except OperationalError as error:
            if "locked" in str(error).lower() or "busy" in str(error).lower():
                raise StoreBusyError("the database is busy; please try again") from error
            raise

    def migrate(self) -> None:
        """Bring the schema up to the newest migration (creating it on first start)."""
        with self.engine.begin() as conn:
            config = alembic_config(self.url)
            config.attributes["connection"] = conn
            # "heads": features may add migrations side by side before a merge revision.
            command.upgrade(config, "heads")

    def current_revision(self) -> str | None:
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


def alembic_config(url: str) -> Config:
    """An Alembic configuration pointing at our migrations, for the given URL."""
    config = Config()
    location = resources.files("bbs") / "migrations"
    config.set_main_option("script_location", str(location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config

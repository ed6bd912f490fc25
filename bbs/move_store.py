"""Moving a community from its SQLite file into an empty PostgreSQL database.

Everything the database holds is copied: every table in dependency order (members, posts,
rooms, goals, the audit log, moderation decisions and examples, settings), ids kept, each
sequence set past the highest id copied, then the search index is built and every table's
row count is compared. It is one PostgreSQL transaction, schema included: if anything
fails, the target is left as empty as it was found.

The SQLite source is read in one transaction (one consistent snapshot) after being
brought up to the newest migration, so both sides have the same tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from alembic import command
from sqlalchemy import Connection, Integer, Table, func, make_url, select, text
from sqlmodel import Session, SQLModel

import bbs.schema  # noqa: F401  (registers every table on SQLModel.metadata)
from bbs.boards import search
from bbs.db import Database, alembic_config

BATCH_ROWS = 1000
# In the SQLite file but not copied: the search index is built afresh on PostgreSQL,
# and the schema version is the target's own (the same newest migration).
NOT_COPIED = ("post_fts", "alembic_version", "sqlite_sequence")


class MoveError(ValueError):
    """The community cannot be moved as asked; the message says why and what to do."""


@dataclass(frozen=True)
class TableCopy:
    name: str
    source_rows: int
    target_rows: int


@dataclass(frozen=True)
class MoveReport:
    tables: tuple[TableCopy, ...]
    indexed_posts: int
    revision: str

    @property
    def rows(self) -> int:
        return sum(t.target_rows for t in self.tables)


def safe_url(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def tables_in_order() -> list[Table]:
    """Every table of the schema, each after the tables it refers to."""
    return list(SQLModel.metadata.sorted_tables)


def _target_tables(conn: Connection) -> list[str]:
    schema = conn.execute(text("SELECT current_schema()")).scalar()
    if schema is None:
        raise MoveError(
            "the target's search_path names no schema that exists; create one "
            "or fix the URL's options"
        )
    return list(
        conn.execute(
            text(
                "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        ).scalars()
    )


def _rows(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    query = select(table).order_by(*table.primary_key.columns)
    result = conn.execution_options(stream_results=True).execute(query)
    for batch in result.mappings().partitions(BATCH_ROWS):
        yield [dict(row) for row in batch]


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _reset_sequence(conn: Connection, table: Table) -> None:
    """Set a serial id's sequence past the highest id copied (no-op for other keys)."""
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not isinstance(keys[0].type, Integer) or keys[0].autoincrement is False:
        return
    quote = conn.dialect.identifier_preparer.quote
    quoted, column = quote(table.name), keys[0].name
    conn.execute(
        text(
            f"SELECT setval(seq, coalesce((SELECT max({quote(column)}) FROM {quoted}), 0) + 1, "
            "false) FROM pg_get_serial_sequence(:table, :column) seq WHERE seq IS NOT NULL"
        ),
        {"table": quoted, "column": column},
    )


def move_to_postgres(source: Database, target_url: str) -> MoveReport:
    """Copy the SQLite community `source` into the empty PostgreSQL database `target_url`.

    Raises MoveError (nothing written) for a wrong source or target, or a target that is
    not empty; any failure while copying rolls the whole copy back.
    """
    if not source.is_sqlite:
        raise MoveError(
            "this community already uses PostgreSQL; to copy one PostgreSQL "
            "database to another, use pg_dump and pg_restore"
        )
    if make_url(target_url).get_backend_name() != "postgresql":
        raise MoveError(
            "the target must be a PostgreSQL URL, e.g. postgresql+psycopg://bbs@db.example/bbs"
        )
    source.migrate()
    target = Database(target_url, pool_size=1)
    try:
        with target.engine.connect() as check:
            existing = _target_tables(check)
        if existing:
            shown = ", ".join(existing[:5]) + (", ..." if len(existing) > 5 else "")
            raise MoveError(
                f"the target database is not empty: it has {len(existing)} tables ({shown}). "
                "Give an empty database (createdb NAME) or an empty schema; nothing was "
                "written."
            )
        # One read transaction on SQLite: one snapshot of the whole community.
        with source.engine.connect() as src, src.begin(), target.engine.begin() as dst:
            config = alembic_config(target_url)
            config.attributes["connection"] = dst
            command.upgrade(config, "heads")
            tables = tables_in_order()
            for table in reversed(tables):  # rows the migrations seeded (default boards)
                dst.execute(table.delete())
            copies = []
            for table in tables:
                expected = _count(src, table)
                for batch in _rows(src, table):
                    dst.execute(table.insert(), batch)
                _reset_sequence(dst, table)
                copied = _count(dst, table)
                copies.append(TableCopy(table.name, expected, copied))
            mismatched = [c for c in copies if c.source_rows != c.target_rows]
            if mismatched:
                raise MoveError(
                    "row counts differ after copying ("
                    + ", ".join(f"{c.name} {c.source_rows} -> {c.target_rows}" for c in mismatched)
                    + "); nothing was kept"
                )
            with Session(bind=dst) as session:
                indexed = search.rebuild_index(session)
            revision = ",".join(
                sorted(dst.execute(text("SELECT version_num FROM alembic_version")).scalars())
            )
        return MoveReport(tuple(copies), indexed, revision)
    finally:
        target.dispose()


__all__ = [
    "NOT_COPIED",
    "MoveError",
    "MoveReport",
    "TableCopy",
    "move_to_postgres",
    "safe_url",
    "tables_in_order",
]

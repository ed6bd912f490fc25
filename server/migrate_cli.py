"""`bbs admin migrate-to-postgres URL`: move a SQLite community into an empty PostgreSQL."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import make_url

from bbs.config import default_data_dir, load_settings
from bbs.db import Database
from bbs.move_store import NOT_COPIED, MoveError, MoveReport, move_to_postgres, safe_url
from bbs.node_lock import NodeLockError, hold_server_lock

HELP = "copy this SQLite community into an empty PostgreSQL database (the server stopped)"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def next_steps(report: MoveReport, target_url: str, data_dir: Path, sqlite_file: str) -> str:
    """What was copied, then what the sysop does next, in order."""
    width = max(len(t.name) for t in report.tables)
    lines = [f"{'table':<{width}}  rows"]
    lines += [
        f"{t.name:<{width}}  {t.target_rows}" for t in sorted(report.tables, key=lambda t: t.name)
    ]
    lines += [
        "",
        f"Copied {len(report.tables)} tables, {report.rows} rows, into "
        f"{safe_url(target_url)}: every count matches the SQLite file. Search indexes "
        f"{report.indexed_posts} posts; schema revision {report.revision}. Not copied: "
        f"{', '.join(NOT_COPIED)} (the search index was built there; the schema version "
        "is its own).",
        "",
        "Next:",
        f"  1. Point the community at PostgreSQL: in {data_dir / 'config.toml'}, under",
        "     [server], set database_url to the URL you gave (or keep its password in",
        "     ~/.pgpass or $PGPASSWORD), or start with --database-url / $BBS_DATABASE_URL.",
        "  2. The data directory keeps what the database does not: the host key, help.txt,",
        "     guidelines.txt and the moderation model's versions (moderation/). Every node",
        "     needs the same copy (one host key for all nodes).",
        '  3. Start it: bbs serve (one node), or bbs serve --workers N; README, "Several',
        '     nodes".',
        f"  4. Keep {sqlite_file} as a backup until you are happy; it is no longer",
        "     written. Back up PostgreSQL with pg_dump (README).",
    ]
    return "\n".join(lines)


def cmd_migrate_to_postgres(args: argparse.Namespace) -> int:
    settings = load_settings(args.data_dir or default_data_dir(), database_url=args.database_url)
    source_url = settings.database_url
    try:
        if not source_url.startswith("sqlite"):
            raise MoveError(
                "this community already uses PostgreSQL "
                f"({safe_url(source_url)}); to copy it elsewhere use pg_dump"
            )
        sqlite_file = make_url(source_url).database or ""
        if not Path(sqlite_file).is_file():
            raise MoveError(
                f"there is no SQLite community at {sqlite_file}; "
                "give --data-dir (or --database-url) of the one to move"
            )
        try:
            lock = hold_server_lock(source_url)
        except NodeLockError:
            raise MoveError(
                "`bbs serve` is running on this community: stop it first, or what members "
                "write after the copy would be left behind. Nothing was copied."
            ) from None
        try:
            source = Database(source_url, pool_size=1)
            try:
                report = move_to_postgres(source, args.url)
            finally:
                source.dispose()
        finally:
            lock.release()
    except MoveError as error:
        sys.stderr.write(f"bbs: {error}\n")
        return 1
    _out(next_steps(report, args.url, settings.data_dir, sqlite_file))
    return 0


def register(admin_sub: Any, data_dir_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add `migrate-to-postgres` under `bbs admin`."""
    parser = admin_sub.add_parser(
        "migrate-to-postgres",
        help=HELP,
        description=(
            HELP + ". Every table is copied in one transaction with its ids, sequences are "
            "reset, the search index is built and row counts are checked; a target that is "
            "not empty is refused. A password may come from ~/.pgpass or $PGPASSWORD."
        ),
    )
    parser.add_argument(
        "url", metavar="URL", help="the empty target, e.g. postgresql+psycopg://bbs@db.example/bbs"
    )
    data_dir_option(parser)
    parser.set_defaults(func=cmd_migrate_to_postgres)

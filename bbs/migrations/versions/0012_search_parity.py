"""search parity: PostgreSQL matches prefixes, ignores accents and searches thread titles

Revision ID: 0012
Revises: 0011_notify
Create Date: 2026-12-04 09:00:00.000000

Written by hand (full-text objects are outside autogenerate: names contain "_fts").

SQLite already searched this way and keeps its FTS5 table: `unicode61 remove_diacritics 2`,
every word a prefix query, and a thread's title indexed with its opening post.

PostgreSQL used an expression index on `to_tsvector('simple', body)` with plainto_tsquery:
no prefixes, no accent folding, no titles. It now mirrors SQLite's shape:
- post_fts: one stored tsvector per searchable post, written where SQLite writes its FTS5
  row (bbs.boards.search.index_post), so an opening post's document holds its thread's title;
- bbs_search_document(text) and bbs_search_query(text): how text and queries are
  normalised. With the unaccent extension (trusted since PostgreSQL 13, so a database
  owner may create it) they use a `bbs_search` text search configuration, `simple` with
  the unaccent dictionary on words; if the extension cannot be created, they fold Latin
  accents with translate() instead (a warning says so).
Every name inside the functions is schema-qualified: they survive pg_dump/restore, which
runs with an empty search_path.
"""

import logging
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011_notify'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

# Latin letters with diacritics (Latin-1, Extended-A and -B, Extended Additional), each
# to its base letter. Canonical decompositions are frozen by Unicode's stability policy,
# so this table is the same on every Python.
_LATIN_RANGES = (range(0xC0, 0x250), range(0x1E00, 0x1F00))


def _accent_table() -> tuple[str, str]:
    accented = plain = ""
    for block in _LATIN_RANGES:
        for code in block:
            char = chr(code)
            base = "".join(c for c in unicodedata.normalize("NFD", char)
                           if not unicodedata.combining(c))
            if base != char and len(base) == 1 and base.isascii() and base.isalpha():
                accented += char
                plain += base
    return accented, plain


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def search_functions(schema: str, unaccent_schema: str | None) -> list[str]:
    """The statements creating the normalisation: with unaccent, or with translate()."""
    s = _ident(schema)
    if unaccent_schema is not None:
        config = f"{s}.bbs_search"
        regconfig = _literal(f"{s}.bbs_search") + "::pg_catalog.regconfig"
        return [
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}",
            f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = pg_catalog.simple)",
            f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR hword, hword_part, "
            f"word WITH {_ident(unaccent_schema)}.unaccent, pg_catalog.simple",
            f"CREATE OR REPLACE FUNCTION {s}.bbs_search_document(doc text) RETURNS tsvector "
            "LANGUAGE sql STABLE STRICT PARALLEL SAFE "
            f"AS $$ SELECT pg_catalog.to_tsvector({regconfig}, doc) $$",
            f"CREATE OR REPLACE FUNCTION {s}.bbs_search_query(query text) RETURNS tsquery "
            "LANGUAGE sql STABLE STRICT PARALLEL SAFE "
            f"AS $$ SELECT pg_catalog.to_tsquery({regconfig}, query) $$",
        ]
    accented, plain = (_literal(part) for part in _accent_table())
    simple = "'pg_catalog.simple'::pg_catalog.regconfig"
    # translate() maps letters to letters one for one: a quoted tsquery stays well formed.
    return [
        f"CREATE OR REPLACE FUNCTION {s}.bbs_search_document(doc text) RETURNS tsvector "
        "LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$ SELECT pg_catalog.to_tsvector("
        f"{simple}, pg_catalog.translate(doc, {accented}, {plain})) $$",
        f"CREATE OR REPLACE FUNCTION {s}.bbs_search_query(query text) RETURNS tsquery "
        "LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$ SELECT pg_catalog.to_tsquery("
        f"{simple}, pg_catalog.translate(query, {accented}, {plain})) $$",
    ]


def _unaccent_schema(bind: sa.engine.Connection) -> str | None:
    """Where the unaccent extension lives, creating it here if we may; None if we cannot."""
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    except sa.exc.DBAPIError as error:
        log.warning("the unaccent extension could not be created (%s); search folds Latin "
                    "accents itself. For full accent folding, have a superuser run CREATE "
                    "EXTENSION unaccent in this database before the first start.",
                    str(error.orig).strip())
        return None
    return bind.exec_driver_sql(
        "SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n "
        "ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'").scalar_one()


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # FTS5 already matches prefixes, folds diacritics and holds opening posts' titles.
        return
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
    for statement in search_functions(schema, _unaccent_schema(bind)):
        op.execute(statement)
    op.execute(
        "CREATE TABLE post_fts ("
        "post_id integer PRIMARY KEY REFERENCES post (id) ON DELETE CASCADE, "
        "document tsvector NOT NULL)"
    )
    op.execute("CREATE INDEX ix_post_fts_document ON post_fts USING gin (document)")
    # Every post SQLite would hold in its index: visible ones, an opening post with its title.
    op.execute(
        "INSERT INTO post_fts (post_id, document) "
        "SELECT p.id, bbs_search_document(CASE WHEN p.seq = 1 "
        "THEN t.title || E'\\n' || p.body ELSE p.body END) "
        "FROM post p JOIN thread t ON t.id = p.thread_id WHERE p.status = 'visible'"
    )
    op.execute("DROP INDEX IF EXISTS ix_post_fts_body")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS post_fts")
    op.execute("DROP FUNCTION IF EXISTS bbs_search_document(text)")
    op.execute("DROP FUNCTION IF EXISTS bbs_search_query(text)")
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS bbs_search")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_post_fts_body ON post "
        "USING gin (to_tsvector('simple', body))"
    )

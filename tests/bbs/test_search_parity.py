"""Search behaves the same on SQLite and PostgreSQL: prefixes, accents and thread titles.

Every case runs on both stores (the `store` fixture). The PostgreSQL-only cases check
migration 0012: posts written before it are found after it, its fallback without the
unaccent extension, its downgrade, and that the GIN index serves the query.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from alembic import command
from sqlalchemy import text
from support import NO_WAIT, add_member

from bbs.boards import records as boards
from bbs.boards import search
from bbs.db import Database, alembic_config
from bbs.models import utcnow
from bbs.moderation_queue.flags import Written
from bbs.moderation_queue.policy import Action

MIGRATION = Path(__file__).parents[2] / "bbs" / "migrations" / "versions" / "0012_search_parity.py"


def _thread(
    db: Database, author: int, title: str, body: str, action: Action = Action.ALLOW
) -> boards.PostView:
    with db.read() as session:
        board_id = next(b.id for b in boards.all_boards(session) if b.name == "Sleep")
    with db.write() as session:
        return boards.create_thread(
            session,
            author_id=author,
            board_id=board_id,
            written=Written(boards.clean_post(title, body, ""), action),
            rules=NO_WAIT,
        )


def _reply(db: Database, author: int, thread_id: int, body: str) -> boards.PostView:
    with db.write() as session:
        return boards.create_reply(
            session,
            author_id=author,
            thread_id=thread_id,
            written=Written(boards.clean_post(None, body, ""), Action.ALLOW),
            rules=NO_WAIT,
        )


def _found(db: Database, member: int, query: str) -> set[int]:
    with db.read() as session:
        return {h.post_id for h in search.search_posts(session, member_id=member, query=query)}


def test_words_match_as_prefixes(store: Database) -> None:
    alice = add_member(store, "Alice")
    post = _thread(store, alice, "Nights", "I keep sleeping through my alarms")
    assert _found(store, alice, "sleep") == {post.id}
    assert _found(store, alice, "SLEEP alarm") == {post.id}
    assert _found(store, alice, "sleepy") == set()
    assert _found(store, alice, "sleep zebra") == set()  # every word must match


def test_accents_are_ignored_both_ways(store: Database) -> None:
    alice = add_member(store, "Alice")
    cafe = _thread(store, alice, "Mornings", "Met a friend at the café today")
    naive = _thread(store, alice, "Evenings", "A naive plan, but it was CAFE time")
    assert _found(store, alice, "cafe") == {cafe.id, naive.id}
    assert _found(store, alice, "Café") == {cafe.id, naive.id}
    assert _found(store, alice, "naïve") == {naive.id}
    assert _found(store, alice, "caf") == {cafe.id, naive.id}


def test_thread_titles_are_searched_with_the_opening_post(store: Database) -> None:
    alice, bea = add_member(store, "Alice"), add_member(store, "Bea")
    opening = _thread(store, alice, "Insomnia tips wanted", "Anything helps, honestly")
    reply = _reply(store, bea, opening.thread_id, "Warm milk, and no screens")
    assert _found(store, bea, "insomnia") == {opening.id}
    # Words may be split between the title and the opening post, not a reply.
    assert _found(store, bea, "tips honestly") == {opening.id}
    assert _found(store, bea, "insomnia screens") == set()
    assert _found(store, bea, "screens") == {reply.id}
    with store.read() as session:
        [hit] = search.search_posts(session, member_id=bea, query="insomnia")
    assert hit.thread_title == "Insomnia tips wanted"


def test_an_edited_title_is_what_search_finds(store: Database) -> None:
    alice = add_member(store, "Alice")
    post = _thread(store, alice, "Insomnia again", "Another long night")
    with store.write() as session:
        boards.edit_post(
            session,
            member_id=alice,
            post_id=post.id,
            written=Written(
                boards.clean_post("Restless again", "Another long night", ""), Action.ALLOW
            ),
            rules=NO_WAIT,
        )
    assert _found(store, alice, "insomnia") == set()
    assert _found(store, alice, "restless") == {post.id}


def test_held_and_deleted_posts_are_not_found(store: Database) -> None:
    alice, bea = add_member(store, "Alice"), add_member(store, "Bea")
    held = _thread(store, alice, "Quiet", "sleepless and held", action=Action.HOLD)
    shown = _thread(store, alice, "Loud", "sleepless and shown")
    assert _found(store, bea, "sleepless") == {shown.id}
    with store.write() as session:
        boards.delete_post(session, member_id=alice, post_id=shown.id)
    assert _found(store, bea, "sleepless") == set()
    assert held.id not in _found(store, alice, "held")


@pytest.mark.parametrize(
    "query",
    [
        "a' | b",
        "!night",
        "night:*",
        "(night",
        "night <-> day",
        "'",
        "\\",
        "&&",
        "night:A",
        "\u0149ight",  # ŉ: unaccent maps it to "'n", which must never become tsquery syntax
        "_ night __",
    ],
)
def test_operators_in_a_query_are_only_words(store: Database, query: str) -> None:
    alice = add_member(store, "Alice")
    post = _thread(store, alice, "Day and night", "a b night day")
    found = _found(store, alice, query)  # never an error
    if "night" in query:
        assert found == {post.id}


def test_highlights_and_snippets_ignore_accents(store: Database) -> None:
    alice = add_member(store, "Alice")
    _thread(store, alice, "Mornings", "Long before anything else, the Café opened early")
    with store.read() as session:
        [hit] = search.search_posts(session, member_id=alice, query="cafe")
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["Café"]


def test_prefix_tsquery_quotes_every_term() -> None:
    assert search.prefix_tsquery(["sleep", "o'k", "a\\b"]) == ("'sleep':* & 'o''k':* & 'a\\\\b':*")


def test_fold_keeps_positions() -> None:
    for value in ("Café au lait", "STRASSE straße", "İstanbul", "ŉ", "ǅ"):
        assert len(search.fold(value)) == len(value)
    assert search.fold("Crème Brûlée") == "creme brulee"


# -- PostgreSQL: the migration itself ------------------------------------------------------
def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("search_parity_migration", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _raw_thread(db: Database, title: str, body: str) -> int:
    """A member, thread and opening post written with SQL, as an older version left them."""
    now = utcnow()
    with db.engine.begin() as conn:
        member = conn.execute(
            text(
                "INSERT INTO member (pseudonym, pseudonym_key, skeleton, role, password_hash, "
                "recovery_hash, colour_mode, mouse, guidelines_version, created_at) VALUES "
                "('Old', 'old', 'old', 'member', 'h', 'r', 'auto', false, 0, :now) RETURNING id"
            ),
            {"now": now},
        ).scalar_one()
        board = conn.execute(text("SELECT id FROM board ORDER BY id LIMIT 1")).scalar_one()
        thread = conn.execute(
            text(
                "INSERT INTO thread (board_id, author_id, title, warning, status, post_count, "
                "last_post_id, last_post_at, created_at) VALUES (:b, :m, :title, '', 'visible', "
                "1, 0, :now, :now) RETURNING id"
            ),
            {"b": board, "m": member, "title": title, "now": now},
        ).scalar_one()
        return int(
            conn.execute(
                text(
                    "INSERT INTO post (thread_id, seq, author_id, body, warning, status, "
                    "created_at) VALUES (:t, 1, :m, :body, '', 'visible', :now) RETURNING id"
                ),
                {"t": thread, "m": member, "body": body, "now": now},
            ).scalar_one()
        )


def test_posts_written_before_the_migration_are_found_after_it(postgres_url: str) -> None:
    database = Database(postgres_url)
    try:
        with database.engine.begin() as conn:
            config = alembic_config(postgres_url)
            config.attributes["connection"] = conn
            command.upgrade(config, "0011_notify")
        post_id = _raw_thread(database, "Café nights", "sleeping badly")
        database.migrate()
        member = add_member(database, "Reader")
        assert _found(database, member, "cafe sleep") == {post_id}
    finally:
        database.dispose()


def test_downgrade_and_upgrade_again(postgres_url: str) -> None:
    database = Database(postgres_url)
    try:
        database.migrate()
        with database.engine.begin() as conn:
            config = alembic_config(postgres_url)
            config.attributes["connection"] = conn
            command.downgrade(config, "0011_notify")
            assert conn.execute(text("SELECT to_regclass('post_fts')")).scalar() is None
        database.migrate()
        member = add_member(database, "Reader")
        post = _thread(database, member, "Back again", "sleeping fine")
        assert _found(database, member, "sleep") == {post.id}
    finally:
        database.dispose()


def test_without_unaccent_latin_accents_are_still_folded(postgres_url: str) -> None:
    database = Database(postgres_url)
    try:
        database.migrate()
        with database.engine.begin() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            for statement in _migration().search_functions(schema, None):
                conn.exec_driver_sql(statement)
            # The fallback does not go through the text search configuration.
            conn.exec_driver_sql("DROP TEXT SEARCH CONFIGURATION bbs_search")
        member = add_member(database, "Reader")
        post = _thread(database, member, "Crème brûlée", "Café, naïve, SLEEPING")
        for query in ("creme brulee", "cafe naive", "sleep", "CAFÉ", "caf"):
            assert _found(database, member, query) == {post.id}, query
    finally:
        database.dispose()


def test_the_gin_index_serves_the_search(postgres_url: str) -> None:
    database = Database(postgres_url)
    try:
        database.migrate()
        with database.engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = "\n".join(
                conn.execute(
                    text(
                        "EXPLAIN SELECT f.post_id FROM post_fts f, "
                        "(SELECT bbs_search_query(:q) AS query) q WHERE f.document @@ q.query"
                    ),
                    {"q": search.prefix_tsquery(["sleep"])},
                ).scalars()
            )
        assert "ix_post_fts_document" in plan, plan
    finally:
        database.dispose()


def test_rebuilding_the_index_finds_the_same_posts(store: Database) -> None:
    alice = add_member(store, "Alice")
    opening = _thread(store, alice, "Café mornings", "coffee and sleeping in")
    reply = _reply(store, alice, opening.thread_id, "sleepless here")
    _thread(store, alice, "Held", "sleepy but held", action=Action.HOLD)
    before = _found(store, alice, "cafe"), _found(store, alice, "sleep")
    with store.write() as session:
        assert search.rebuild_index(session) == 2
    assert (_found(store, alice, "cafe"), _found(store, alice, "sleep")) == before
    assert before == ({opening.id}, {opening.id, reply.id})

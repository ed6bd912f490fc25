"""Fixtures shared by every test: fast password hashing and a fresh data directory."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from bbs.community import Community
from bbs.config import Argon2Cost, Settings, load_settings, with_overrides
from bbs.db import Database
from bbs.moderation_policy import Scores
from server.textual_patches import apply_textual_patches
from server.wiring import build_community

# Helpers shared by tests in several folders (driver_harness.py) are imported by name.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))

# Screens are tested as they run in the server: with its process-wide Textual patches.
apply_textual_patches()

# Real argon2id, at a cost a test suite can afford; production keeps argon2-cffi's defaults.
FAST_ARGON2 = Argon2Cost(time_cost=1, memory_cost_kib=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _no_developer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a developer's own settings out of the tests."""
    for name in ("BBS_DATA_DIR", "BBS_DATABASE_URL", "NO_COLOR", "COLORTERM", "TEXTUAL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    base = load_settings(tmp_path / "data", port=0)
    return with_overrides(base, argon2=FAST_ARGON2)


@pytest.fixture
def community(settings: Settings) -> Iterator[Community]:
    c = build_community(settings)
    c.prepare()
    yield c
    c.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL into a fresh, empty PostgreSQL schema (dropped afterwards), or a clear skip."""
    base = os.environ.get("BBS_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("set BBS_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1/test)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        # Search's accent folding uses unaccent (migration 0011). Installed once in public,
        # as a host's DBA would: created inside a test schema, it would be dropped with it.
        try:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public"))
        except DBAPIError:
            pass  # not available here: the migration falls back to its own folding
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    database = Database(url)
    database.migrate()
    yield database
    database.dispose()


class WordScorer:
    """A stand-in moderation model: "idiot" is abuse, "end it all" a crisis, "pills" spam."""

    def score(self, texts: Sequence[str]) -> list[Scores]:
        return [Scores(0.9 if "idiot" in t else 0.0, 0.9 if "cheap pills" in t else 0.0,
                       0.9 if "end it all" in t else 0.0) for t in texts]

    def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        return {}


@pytest.fixture
def scored_community(settings: Settings) -> Iterator[Community]:
    """A community whose texts pass `WordScorer`, so tests choose what is flagged."""
    c = build_community(settings, scorer=WordScorer())
    c.prepare()
    yield c
    c.close()


"""Fixtures shared by every test: fast password hashing and a fresh data directory."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from bbs.community import Community
from bbs.config import Settings, load_settings, with_overrides
from bbs.db import Database
from server.textual_patches import apply_textual_patches
from server.wiring import build_community

# Helpers shared by tests in several folders (support.py, driver_harness.py) are imported
# by name.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))

# Screens are tested as they run in the server: with its process-wide Textual patches.
apply_textual_patches()

from support import FAST_ARGON2, WordScorer  # noqa: E402  (found through the path above)


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
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty store, once on SQLite and once on PostgreSQL (skipped without
    BBS_TEST_POSTGRES_URL)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Database]:
    """A migrated store, once on SQLite and once on PostgreSQL."""
    database = Database(store_url)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture
def scored_community(settings: Settings) -> Iterator[Community]:
    """A community whose texts pass `WordScorer`, so tests choose what is flagged."""
    c = build_community(settings, scorer=WordScorer())
    c.prepare()
    yield c
    c.close()

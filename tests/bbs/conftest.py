"""Fixtures of the core's tests: a store with the default boards, and a community on each store.

Plain helpers (members, passwords, posting rules) are in tests/support.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bbs.boards import records as boards
from bbs.community import Community
from bbs.config import Settings, with_overrides
from bbs.db import Database
from server.wiring import build_community


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite store with the default boards."""
    database = Database(f"sqlite:///{tmp_path / 'core.sqlite3'}")
    database.migrate()
    with database.write() as session:
        boards.ensure_default_boards(session)
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """The test settings as they are (SQLite), and again on a fresh PostgreSQL schema when
    BBS_TEST_POSTGRES_URL is set (skipped otherwise)."""
    if request.param == "postgresql":
        return with_overrides(settings, database_url=request.getfixturevalue("postgres_url"))
    return settings


@pytest.fixture
def store_community(store_settings: Settings) -> Iterator[Community]:
    """A prepared community on SQLite, and again on PostgreSQL."""
    community = build_community(store_settings)
    community.prepare()
    yield community
    community.close()

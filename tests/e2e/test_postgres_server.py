"""The same server on PostgreSQL: sign up and log in over real SSH with --database-url."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import create_engine, text

from bbs.community import Community
from bbs.config import Settings, with_overrides
from server.ssh_server import RunningServer, start_server
from server.textual_patches import apply_textual_patches

POSTGRES_URL = os.environ.get("BBS_TEST_POSTGRES_URL")
PASSWORD = "a long postgres password"


@pytest.fixture
def pg_url() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("set BBS_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1/test)")
    schema = f"e2e_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
async def pg_server(settings: Settings, pg_url: str) -> AsyncIterator[RunningServer]:
    apply_textual_patches()
    pg_settings = with_overrides(settings, database_url=pg_url)
    running = await start_server(pg_settings, Community(pg_settings))
    try:
        yield running
    finally:
        await running.shutdown(grace=2.0)


async def test_sign_up_and_log_in_on_postgresql(pg_server: RunningServer, ssh_to: object) -> None:
    open_terminal = ssh_to
    term = await open_terminal(pg_server.port, "new")  # type: ignore[operator]
    await term.wait_for("I agree")
    await term.type("a")
    await term.wait_for("Choose how you will be known here")
    await term.type("Pelican\r" + PASSWORD + "\r" + PASSWORD + "\r")
    await term.wait_for_match(r"[A-Z2-9]{5}(-[A-Z2-9]{5}){4}", timeout=15)
    await term.close()
    again = await open_terminal(pg_server.port, "pelican", password=PASSWORD)  # type: ignore[operator]
    await again.wait_for("welcome, Pelican")
    assert pg_server.registry.community.database.is_sqlite is False

"""The same server on PostgreSQL: sign up and log in over real SSH with --database-url."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bbs.config import Settings, with_overrides
from server.ssh_server import RunningServer, start_server
from server.textual_patches import apply_textual_patches
from server.wiring import build_community

PASSWORD = "a long postgres password"


@pytest.fixture
async def pg_server(settings: Settings, postgres_url: str) -> AsyncIterator[RunningServer]:
    apply_textual_patches()
    pg_settings = with_overrides(settings, database_url=postgres_url)
    running = await start_server(pg_settings, build_community(pg_settings))
    try:
        yield running
    finally:
        await running.shutdown(grace=2.0)


async def test_sign_up_and_log_in_on_postgresql(pg_server: RunningServer, ssh_to: object) -> None:
    open_terminal = ssh_to
    term = await open_terminal(pg_server.port, "new")  # type: ignore[operator]
    await term.past_language()
    await term.type("a")
    await term.wait_for("Choose how you will be known here")
    await term.type("Pelican\r" + PASSWORD + "\r" + PASSWORD + "\r")
    await term.wait_for_match(r"[A-Z2-9]{5}(-[A-Z2-9]{5}){4}", timeout=15)
    await term.close()
    again = await open_terminal(pg_server.port, "pelican", password=PASSWORD)  # type: ignore[operator]
    await again.wait_for("welcome, Pelican")
    assert pg_server.registry.community.database.is_sqlite is False

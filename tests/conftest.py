"""Fixtures shared by every test: fast password hashing and a fresh data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bbs.community import Community
from bbs.config import Argon2Cost, Settings, load_settings, with_overrides

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
    c = Community(settings)
    c.prepare()
    yield c
    c.close()

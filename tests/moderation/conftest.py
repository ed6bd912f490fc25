"""Shared fixtures: the shipped model (loaded once) and a data dir with one trained version."""

from __future__ import annotations

import pytest

from moderation.model import ModerationModel
from moderation.store import load_shipped


@pytest.fixture(scope="session")
def shipped() -> ModerationModel:
    return load_shipped()

"""Shared fixtures: the shipped model (loaded once) and a data dir with one trained version."""

from __future__ import annotations

import pytest

from moderation.model import ModerationModel
from moderation.store import load_shipped


@pytest.fixture(scope="session")
def shipped() -> ModerationModel:
    return load_shipped()


@pytest.fixture(scope="session")
def weak_model() -> ModerationModel:
    """Deliberately worse, and quick: trained on a sliver of the training split."""
    from moderation.dataset import load_training, split
    from moderation.train import train

    return train(split(load_training())[0][::25], folds=2)

"""Retraining from sysop decisions: train on seed + decisions, keep the result only if no worse."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bbs.moderation_policy import LabelledText, ModerationThresholds
from moderation.dataset import Example, load_seed, split
from moderation.evaluate import SetMetrics, evaluate_predictions, no_worse
from moderation.model import ModerationModel, load_model, train_seed_model
from moderation.store import ModelStore

__all__ = ["RetrainResult", "retrain", "validation_metrics"]

log = logging.getLogger(__name__)


@dataclass
class RetrainResult:
    """What retraining did: whether the new model was kept, and the figures that decided it."""

    kept: bool
    version: str | None
    current: str
    new: SetMetrics
    old: SetMetrics
    reasons: list[str] = field(default_factory=list)
    n_extra: int = 0


def validation_metrics(model: ModerationModel, thresholds: ModerationThresholds) -> SetMetrics:
    _, val = split(load_seed())
    return evaluate_predictions(
        "seed validation", val, model.probabilities([e.text for e in val]), thresholds
    )


def retrain(
    data_dir: Path,
    extra: Sequence[LabelledText],
    thresholds: ModerationThresholds | None = None,
    candidate: ModerationModel | None = None,
) -> RetrainResult:
    """Train on the seed training split plus `extra`, and keep it only if no worse.

    "No worse" is judged on the seed validation split against the model in use now (see
    moderation.evaluate.no_worse). A kept model becomes a new version and the current one;
    earlier versions stay on disk for rollback. `candidate` lets tests inject a model.
    """
    t = thresholds or ModerationThresholds()
    store = ModelStore.for_data_dir(data_dir)
    examples = [Example.from_labelled(x) for x in extra if x.text.strip()]
    new_model = candidate if candidate is not None else train_seed_model(examples)
    old_model = load_model(data_dir)
    new_m = validation_metrics(new_model, t)
    old_m = validation_metrics(old_model, t)
    ok, reasons = no_worse(new_m, old_m)
    if not ok:
        log.info("moderation retrain: kept %s; new model worse: %s", store.current(), reasons)
        return RetrainResult(False, None, store.current(), new_m, old_m, reasons, len(examples))
    version = store.save(
        new_model,
        extra={
            "n_extra": len(examples),
            "validation": {
                label: {"roc_auc": m.roc_auc, "recall": m.recall, "precision": m.precision}
                for label, m in new_m.labels.items()
            },
            "replaced": store.current(),
        },
    )
    return RetrainResult(True, version, version, new_m, old_m, [], len(examples))

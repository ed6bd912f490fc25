"""Retraining from sysop decisions: train on the training split + decisions, keep the result
only if no worse on the validation split of the training data (moderation.evaluate.no_worse).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bbs.moderation_queue.policy import LabelledText, ModerationThresholds
from moderation.dataset import Example
from moderation.evaluate import (
    AUC_TOLERANCE,
    RATE_TOLERANCE,
    SetMetrics,
    no_worse,
    validation_metrics,
)
from moderation.model import ModerationModel, load_model
from moderation.store import ModelStore

__all__ = ["RetrainResult", "decided_by", "retrain", "validation_metrics"]

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

    @property
    def decision(self) -> str:
        return decided_by(self.new, self.old, self.reasons)


def decided_by(new: SetMetrics, old: SetMetrics, reasons: Sequence[str]) -> str:
    """One line naming the figure that decided: the first one worse than its tolerance, or,
    when kept, the figure that came closest to its tolerance."""
    if reasons:
        return "refused by " + reasons[0]
    margins = [
        (
            (new.labels[label].roc_auc - old.labels[label].roc_auc) + AUC_TOLERANCE,
            f"{label} ROC-AUC {old.labels[label].roc_auc:.4f} -> {new.labels[label].roc_auc:.4f}",
        )
        for label in ("harassment", "spam")
    ]
    margins += [
        (
            (new.crisis_recall - old.crisis_recall) + RATE_TOLERANCE,
            f"crisis recall {old.crisis_recall:.3f} -> {new.crisis_recall:.3f}",
        ),
        (
            (old.hard_negative_held - new.hard_negative_held) + RATE_TOLERANCE,
            f"hard negatives held {old.hard_negative_held:.3f} -> {new.hard_negative_held:.3f}",
        ),
        (
            (old.hard_negative_crisis - new.hard_negative_crisis) + RATE_TOLERANCE,
            f"hard negatives as crisis {old.hard_negative_crisis:.3f} -> "
            f"{new.hard_negative_crisis:.3f}",
        ),
    ]
    closest = min(margins, key=lambda m: m[0])
    return f"kept: every figure within tolerance; closest: {closest[1]}"


def retrain(
    data_dir: Path,
    extra: Sequence[LabelledText],
    thresholds: ModerationThresholds | None = None,
    candidate: ModerationModel | None = None,
) -> RetrainResult:
    """Train on the training split plus `extra`, and keep it only if no worse.

    "No worse" is judged on the validation split of the training data against the model in
    use now (moderation.evaluate.no_worse, with its tolerances). A kept model becomes a new
    version and the current one; earlier versions stay on disk for rollback. `candidate`
    lets tests inject a model. The independent test set is never used here.
    """
    t = thresholds or ModerationThresholds()
    store = ModelStore.for_data_dir(data_dir)
    examples = [Example.from_labelled(x) for x in extra if x.text.strip()]
    if candidate is None:
        from moderation.train import train_default_model

        new_model = train_default_model(examples)
    else:
        new_model = candidate
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
            "decision": decided_by(new_m, old_m, []),
            "replaced": store.current(),
        },
    )
    return RetrainResult(True, version, version, new_m, old_m, [], len(examples))

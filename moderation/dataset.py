"""Labelled examples: loading the seed set and its deterministic train/validation split."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bbs.moderation_queue.policy import LABELS, LabelledText

__all__ = [
    "CHALLENGE_PATH",
    "SEED_PATH",
    "VALIDATION_FRACTION",
    "Example",
    "cv_folds",
    "is_hard_negative",
    "load_examples",
    "load_seed",
    "load_training",
    "split",
]

DATA_DIR = Path(__file__).with_name("data")
SEED_PATH = DATA_DIR / "seed.jsonl"
CHALLENGE_PATH = DATA_DIR / "challenge.jsonl"
WRITTEN_DIR = DATA_DIR / "written"
INDEPENDENT_DIR = DATA_DIR / "independent"
VALIDATION_FRACTION = 0.2

# Kinds with no label that are not hard: small talk says little about false positives.
_EASY_NEGATIVE_KINDS = frozenset({"everyday_chat", "benign"})


@dataclass(frozen=True)
class Example:
    """One labelled text with where it came from (kind) and what it was varied from (group)."""

    text: str
    harassment: bool
    spam: bool
    crisis: bool
    kind: str = "unknown"
    group: str = ""
    # The language it is written in (the seed set is English) and its pattern family.
    lang: str = "en"
    family: str = ""

    def label(self, name: str) -> bool:
        return bool(getattr(self, name))

    @property
    def labels(self) -> tuple[bool, bool, bool]:
        return (self.harassment, self.spam, self.crisis)

    @classmethod
    def from_labelled(cls, item: LabelledText, kind: str = "sysop_decision") -> Example:
        return cls(
            text=item.text,
            harassment=bool(item.harassment),
            spam=bool(item.spam),
            crisis=bool(item.crisis),
            kind=kind,
            group=f"{kind}:{hashlib.sha256(item.text.encode('utf-8', 'replace')).hexdigest()}",
        )


def is_hard_negative(example: Example) -> bool:
    """No label, and not plain small talk: the venting, swearing and recovery we must allow."""
    return not any(example.labels) and example.kind not in _EASY_NEGATIVE_KINDS


def _parse_flag(row: dict[str, object], key: str, where: str) -> bool:
    value = row.get(key, 0)
    if value in (0, 1, True, False):
        return bool(value)
    raise ValueError(f"{where}: {key!r} must be 0 or 1, got {value!r}")


def load_examples(path: Path) -> list[Example]:
    """Read a JSON-lines file of {"text", "harassment", "spam", "crisis", "kind", "group"}."""
    out: list[Example] = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError(f"{where}: expected an object with a string 'text'")
            kind = str(row.get("kind", "unknown"))
            out.append(
                Example(
                    text=row["text"],
                    harassment=_parse_flag(row, "harassment", where),
                    spam=_parse_flag(row, "spam", where),
                    crisis=_parse_flag(row, "crisis", where),
                    kind=kind,
                    # Without a group every row stands alone.
                    group=str(row.get("group") or f"{kind}:{n}"),
                    lang=str(row.get("lang") or "en"),
                    family=str(row.get("family") or ""),
                )
            )
    return out


def load_seed() -> list[Example]:
    return load_examples(SEED_PATH)


def load_training() -> list[Example]:
    """All training data: the seed set and every file in data/written/ (five languages).

    Never the independent test set (data/independent/), which is only ever evaluated on.
    Groups are prefixed with their file so that two files' group ids never collide.
    """
    out = load_seed()
    for path in sorted(WRITTEN_DIR.glob("*.jsonl")):
        for ex in load_examples(path):
            out.append(replace(ex, group=f"{path.stem}:{ex.group}"))
    return out


def _bucket(group: str) -> float:
    # A hash, not a random draw: the split never changes when rows are added or reordered,
    # and every variant of one base sentence (same group) lands on the same side.
    digest = hashlib.sha256(group.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    """Deterministic (train, validation) split by group, about 80/20."""
    train: list[Example] = []
    val: list[Example] = []
    for ex in examples:
        (val if _bucket(ex.group) < VALIDATION_FRACTION else train).append(ex)
    return train, val


def cv_folds(examples: Sequence[Example], k: int = 5) -> list[tuple[list[int], list[int]]]:
    """Deterministic k-fold (train indices, test indices) by group."""
    fold_of = [min(int(_bucket("cv:" + ex.group) * k), k - 1) for ex in examples]
    folds: list[tuple[list[int], list[int]]] = []
    for f in range(k):
        test = [i for i, g in enumerate(fold_of) if g == f]
        train = [i for i, g in enumerate(fold_of) if g != f]
        folds.append((train, test))
    return folds


def label_matrix(examples: Iterable[Example]) -> list[tuple[bool, bool, bool]]:
    return [ex.labels for ex in examples]


assert LABELS == ("harassment", "spam", "crisis")

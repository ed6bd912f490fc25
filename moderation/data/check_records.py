"""Checks hand-written moderation records (JSON lines) against the label rules in LABELS.md.

Run: .venv/bin/python moderation/data/check_records.py FILE [FILE ...]
Prints counts per language and kind, and every line that breaks a rule; exits 1 on any.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

LANGS = {"en", "es", "fr", "de", "pt"}
KINDS = {"crisis", "harassment", "spam", "sad_venting", "hard_negative", "benign"}


def problems(record: dict[str, object]) -> list[str]:
    """What is wrong with one record, if anything."""
    found: list[str] = []
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        found.append("text must be a non-empty string")
    if record.get("lang") not in LANGS:
        found.append(f"lang must be one of {sorted(LANGS)}")
    labels = {}
    for label in ("harassment", "spam", "crisis"):
        value = record.get(label)
        if value not in (0, 1):
            found.append(f"{label} must be 0 or 1")
        labels[label] = value
    kind = record.get("kind")
    if kind not in KINDS:
        found.append(f"kind must be one of {sorted(KINDS)}")
    expected = {
        "crisis": labels["crisis"] == 1,
        "harassment": labels["harassment"] == 1 and labels["crisis"] == 0,
        "spam": labels["spam"] == 1,
        "sad_venting": not any(labels.values()),
        "hard_negative": not any(labels.values()),
        "benign": not any(labels.values()),
    }
    if kind in expected and not expected[str(kind)]:
        found.append(f"labels do not fit kind {kind!r} (see LABELS.md)")
    return found


def main(paths: list[str]) -> int:
    counts: Counter[tuple[str, str]] = Counter()
    texts: Counter[str] = Counter()
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    print(f"{path}:{number}: not JSON: {error}")
                    bad += 1
                    continue
                for problem in problems(record):
                    print(f"{path}:{number}: {problem}")
                    bad += 1
                counts[(str(record.get("lang")), str(record.get("kind")))] += 1
                texts[str(record.get("text", "")).strip().lower()] += 1
    duplicates = sum(n - 1 for n in texts.values() if n > 1)
    for (lang, kind), n in sorted(counts.items()):
        print(f"{lang}\t{kind}\t{n}")
    print(f"total\t{sum(counts.values())}\texact duplicates\t{duplicates}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

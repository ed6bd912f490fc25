"""The moderation policy: thresholds, one action per message, and the author-facing messages."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Sequence

import pytest

from bbs.moderation_queue.policy import (
    HOLD_MESSAGE,
    Action,
    LabelledText,
    ModerationThresholds,
    Scores,
    TextScorer,
    crisis_message,
    decide,
    hold_message,
)

T = ModerationThresholds(harassment=0.5, spam=0.6, crisis=0.3)


@pytest.mark.parametrize(
    ("scores", "action"),
    [
        (Scores(0.0, 0.0, 0.0), Action.ALLOW),
        (Scores(0.49, 0.59, 0.29), Action.ALLOW),
        (Scores(0.5, 0.0, 0.0), Action.HOLD),
        (Scores(0.0, 0.6, 0.0), Action.HOLD),
        (Scores(0.0, 0.0, 0.3), Action.CRISIS),
        # Crisis alone is published with the crisis lines, never held for its own words.
        (Scores(0.4, 0.0, 0.35), Action.CRISIS),  # harassment under its threshold
        (Scores(0.3, 0.99, 0.31), Action.CRISIS),  # spam never outranks crisis
        # Crisis and harassment both over: it waits for a person, the writer gets the lines.
        (Scores(0.99, 0.0, 0.9), Action.CRISIS_HOLD),
        (Scores(0.6, 0.0, 0.6), Action.CRISIS_HOLD),
        (Scores(0.99, 0.99, 0.31), Action.CRISIS_HOLD),
        (Scores(0.5, 0.0, 0.3), Action.CRISIS_HOLD),
    ],
)
def test_decide(scores: Scores, action: Action) -> None:
    assert decide(scores, T) is action


def test_action_predicates() -> None:
    assert [a for a in Action if a.holds] == [Action.HOLD, Action.CRISIS_HOLD]
    assert [a for a in Action if a.is_crisis] == [Action.CRISIS, Action.CRISIS_HOLD]


def test_a_retired_threshold_in_an_old_config_is_accepted_and_ignored() -> None:
    t = ModerationThresholds.from_mapping({"crisis_certain": "0.7", "crisis": 0.3})
    assert t.crisis == 0.3
    with pytest.raises(ValueError, match="crisis_cert"):
        ModerationThresholds.from_mapping({"crisis_cert": 0.5})


def test_nan_harassment_never_blocks_crisis() -> None:
    assert decide(Scores(math.nan, 0.0, 0.31), T) is Action.CRISIS
    assert decide(Scores(0.9, 0.0, math.nan), T) is Action.HOLD
    assert decide(Scores(0.9, 0.0, 0.31), T) is Action.CRISIS_HOLD


def test_decide_default_thresholds_and_nan() -> None:
    assert decide(Scores(0.0, 0.0, 0.0)) is Action.ALLOW
    assert decide(Scores(math.nan, math.nan, math.nan), T) is Action.ALLOW
    assert decide(Scores(math.nan, 0.0, 0.9), T) is Action.CRISIS


def test_action_values() -> None:
    assert [a.value for a in Action] == ["allow", "hold", "crisis", "crisis_hold"]
    assert Action("hold") is Action.HOLD


def test_thresholds_from_mapping() -> None:
    t = ModerationThresholds.from_mapping({"harassment": 0.7, "crisis": "0.2", "spam": 1})
    assert t == ModerationThresholds(harassment=0.7, spam=1.0, crisis=0.2)
    assert ModerationThresholds.from_mapping({}) == ModerationThresholds()


@pytest.mark.parametrize(
    ("mapping", "fragment"),
    [
        ({"harassment": 1.5}, "harassment"),
        ({"spam": -0.1}, "spam"),
        ({"crisis": "lots"}, "crisis"),
        ({"crisis": True}, "crisis"),
        ({"crisis": None}, "crisis"),
        ({"crisis": math.nan}, "crisis"),
        ({"toxicity": 0.5}, "toxicity"),
    ],
)
def test_thresholds_reject_bad_values(mapping: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        ModerationThresholds.from_mapping(mapping)


def test_thresholds_constructor_validates() -> None:
    with pytest.raises(ValueError):
        ModerationThresholds(crisis=2.0)


def test_hold_message_is_kind() -> None:
    msg = hold_message()
    assert msg == HOLD_MESSAGE
    low = msg.lower()
    assert "person" in low and "review" in low
    assert "shown to others" in low or "hasn't been shown" in low
    for word in ("violat", "banned", "offensive", "abuse", "punish"):
        assert word not in low


def test_crisis_message_includes_lines() -> None:
    lines = "Samaritans: 116 123 (free, 24/7)"
    msg = crisis_message(lines)
    assert lines in msg
    assert "only you can see" in msg.lower()
    assert "emergency" in crisis_message("   ").lower()


def test_text_scorer_protocol_and_labelled_text() -> None:
    class Fake:
        def score(self, texts: Sequence[str]) -> list[Scores]:
            return [Scores(0.0, 0.0, 0.0) for _ in texts]

        def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
            return {"harassment": [], "spam": [], "crisis": []}

    assert isinstance(Fake(), TextScorer)
    item = LabelledText("hi", harassment=False, spam=True, crisis=False)
    assert item.spam and not item.crisis


def test_policy_imports_no_heavy_dependencies() -> None:
    code = (
        "import sys, bbs.moderation_queue.policy\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('sklearn', 'textual', 'asyncssh',"
        " 'numpy', 'scipy')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

"""The shipped model: crisis vs hard negatives, evasions, bad input, explanations, threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bbs.moderation_queue.policy import Action, ModerationThresholds, Scores, TextScorer, decide
from moderation.model import ModerationModel

CRISIS = [
    "I want to kill myself tonight",
    "I cut myself again last night",
    "i don't want to be alive anymore",
    "I can't go on, I'm going to end it all",
    "my boyfriend hit me again and I'm scared to go home",
]
HARD_NEGATIVES = [
    "I was so low last year I self-harmed, 2 years clean today",
    "please don't hurt yourself, we're here",
    "this fucking week man, so tired",
    "relapsed after 30 days sober, back at it tomorrow",
    "my dad died last month and I miss him so much",
    "the new dose of sertraline makes me sleepy",
    "this exam is killing me",
    "new report says suicide rates among young men are rising",
]
HOLD = [
    "you are a worthless piece of shit",
    "kys",
    "k i l l y o u r s e l f",
    "go k1ll urself loser",
    "f*ck off you stupid b!tch",
    "DM me for cheap xanax, no prescription 💊",
    "Earn $5000 a week from home!!! click www.easy-cash.biz",
]
BAD_INPUT = [
    "",
    " ",
    "\n\t  \n",
    "x" * 100_000,
    "kill " * 20_000,
    "\x00\x01\x02\xff\xfe binary \x7f",
    "\ud800",
    "lone \udfff surrogate",
    "😭😭😭🙂",
    "🫂",
    "שלום, אני מרגיש רע היום",
    "\u202eevil rtl override\u202c",
]


def test_satisfies_protocol(shipped: ModerationModel) -> None:
    assert isinstance(shipped, TextScorer)


@pytest.mark.parametrize("text", CRISIS)
def test_crisis(shipped: ModerationModel, text: str) -> None:
    assert decide(shipped.score_one(text)) is Action.CRISIS


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_allowed(shipped: ModerationModel, text: str) -> None:
    assert decide(shipped.score_one(text)) is Action.ALLOW


@pytest.mark.parametrize("text", HOLD)
def test_abuse_and_spam_held(shipped: ModerationModel, text: str) -> None:
    assert decide(shipped.score_one(text)) is Action.HOLD


def test_evasion_scores_like_plain(shipped: ModerationModel) -> None:
    plain = shipped.score_one("kill yourself").harassment
    for evaded in ("k i l l  y o u r s e l f", "kіll уоursеlf", "ki\u200bll your\u200bself"):
        assert shipped.score_one(evaded).harassment == pytest.approx(plain, abs=0.02)


@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_gets_scores_and_action(shipped: ModerationModel, text: str) -> None:
    (scores,) = shipped.score([text])
    for v in scores.as_dict().values():
        assert 0.0 <= v <= 1.0
    assert decide(scores) in set(Action)
    why = shipped.explain(text)
    assert set(why) == {"harassment", "spam", "crisis"}


def test_batch_matches_single(shipped: ModerationModel) -> None:
    texts = CRISIS + HARD_NEGATIVES + HOLD
    batch = shipped.score(texts)
    for text, s in zip(texts, batch, strict=True):
        single = shipped.score_one(text)
        assert s.crisis == pytest.approx(single.crisis, abs=1e-6)
        assert s.harassment == pytest.approx(single.harassment, abs=1e-6)
    assert shipped.score([]) == []


def test_explain_returns_terms(shipped: ModerationModel) -> None:
    why = shipped.explain("I want to kill myself tonight", top=5)
    assert 0 < len(why["crisis"]) <= 5
    terms = [t for t, _ in why["crisis"]]
    weights = [w for _, w in why["crisis"]]
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
    assert any(word in " ".join(terms) for word in ("kill", "myself", "tonight", "die"))
    spam = shipped.explain("DM me for cheap xanax www.pills-now.biz", top=3)["spam"]
    assert spam and len(spam) <= 3
    assert shipped.explain("hello", top=0)["crisis"] == []


def test_concurrent_scoring_is_consistent(shipped: ModerationModel) -> None:
    texts = CRISIS + HARD_NEGATIVES + HOLD
    expected = shipped.score(texts)

    def work(i: int) -> list[Scores]:
        return shipped.score(texts[i % 3 :] + texts[: i % 3])

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(32)))
    for i, got in enumerate(results):
        k = i % 3
        assert got == expected[k:] + expected[:k]


def test_thresholds_change_the_action(shipped: ModerationModel) -> None:
    s = shipped.score_one("you are a worthless piece of shit")
    assert decide(s, ModerationThresholds(harassment=1.0)) is Action.ALLOW

"""The theme engine: themes found in plain texts, odd input survived, nearest peers by cosine."""

from __future__ import annotations

import pytest

from suggest.engine import MAX_TEXT_CHARS, CosinePeerIndex, SeedThemeEngine, analyse
from suggest.themes import THEMES


@pytest.fixture(scope="module")
def engine() -> SeedThemeEngine:
    return SeedThemeEngine()


def _top(engine: SeedThemeEngine, text: str) -> str:
    [scores] = engine.score_texts([text])
    best = max(range(len(scores)), key=lambda i: scores[i])
    return engine.themes[best] if scores[best] > 0 else ""


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("I can't sleep, awake at 3am every night and exhausted all day", "sleep"),
        ("Day 40 sober today. The cravings for a drink are quieter", "recovery"),
        ("My heart was pounding and I couldn't breathe, a panic attack on the bus", "panic"),
        ("Everything feels grey and heavy, I cry and have no energy", "low mood"),
        ("My boss piled more onto my workload and the office is tense", "work"),
        ("My dad died in spring and the grief comes in waves", "grief"),
        ("Nobody to talk to this weekend, I feel so isolated and alone", "loneliness"),
        ("Small win: I finally went for that interview and I am proud", "wins"),
    ],
)
def test_plain_texts_find_their_theme(engine: SeedThemeEngine, text: str, theme: str) -> None:
    assert _top(engine, text) == theme


def test_default_board_descriptions_name_their_themes(engine: SeedThemeEngine) -> None:
    assert _top(engine, "Sleep\nNights, rest and routines.") == "sleep"
    assert _top(engine, "Low mood\nThe heavy days, and getting through them.") == "low mood"
    assert _top(engine, "Recovery\nStaying on the road, one day at a time.") == "recovery"
    assert _top(engine, "Introductions\nSay hello, if you like.") == ""


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Je ne dors plus la nuit",
        "眠れない夜が続く",
        "\x1b[31m\x00\x07 [b]bold[/b]",
        "\ud800 lone surrogate",
        "a" * 200_000,
    ],
)
def test_odd_input_scores_zero_without_error(engine: SeedThemeEngine, text: str) -> None:
    [scores] = engine.score_texts([text])
    assert len(scores) == len(THEMES)
    assert all(0.0 <= s <= 1.0 + 1e-9 for s in scores)


def test_long_texts_are_read_on_their_first_part_only() -> None:
    words = analyse("sleep " * 10 + "x " * MAX_TEXT_CHARS + "grief")
    assert "grief" not in words and "sleep" in words


def test_stemming_joins_word_forms_and_small_words_only_count_in_pairs() -> None:
    assert set(analyse("sleeping")) == set(analyse("sleep")) == {"sleep"}
    assert "what if" in analyse("what if it goes wrong") and "if" not in analyse("what if")


def test_goal_categories_name_themes(engine: SeedThemeEngine) -> None:
    assert engine.goal_theme("sobriety") == "recovery"
    assert engine.goal_theme("custom") is None


def test_peer_index_finds_the_nearest_by_cosine() -> None:
    index = CosinePeerIndex([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.7, 0.7, 0.0], [0.0, 0.0, 1.0]])
    nearest = index.nearest([1.0, 0.1, 0.0], 2)
    assert [p for p, _s in nearest] == [0, 2]
    assert nearest[0][1] > nearest[1][1] > 0.5
    assert index.nearest([0.0, 0.0, 0.0], 3) == []  # no themes: nobody is "near"
    assert CosinePeerIndex([]).nearest([1.0], 3) == []
    assert len(index.nearest([0.0, 0.0, 1.0], 10)) == 4


def test_scores_and_neighbours_are_scikit_learns(engine: SeedThemeEngine) -> None:
    """The numpy engine computes what TfidfVectorizer and NearestNeighbors did (it replaced
    them so that the server need not import scikit-learn and SciPy)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.neighbors import NearestNeighbors

    from suggest.themes import THEME_SEEDS

    texts = [
        "I can't sleep, awake at 3am every night and exhausted all day",
        "Day 40 sober today. The cravings for a drink are quieter, one day at a time",
        "what if it goes wrong at work, my boss, the office, the workload",
        "grief grief grief and missing my mum, loss, funeral",
        "",
        "Je ne dors plus la nuit",
        "sleep sleeping slept sleepless insomnia routine routine",
    ]
    reference = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, norm="l2")
    seeds = reference.fit_transform(list(THEME_SEEDS.values()))
    expected = (reference.transform(texts) @ seeds.T.tocsr()).toarray()
    assert np.allclose(np.array(engine.score_texts(texts)), expected, atol=1e-12)

    rng = np.random.default_rng(7)
    vectors = rng.random((40, len(engine.themes))) * (rng.random((40, len(engine.themes))) > 0.6)
    vectors[3] = 0.0  # a member with no themes
    index = engine.peer_index(vectors.tolist())
    sk = NearestNeighbors(metric="cosine", algorithm="brute").fit(vectors)
    for query in vectors[:10]:
        if not query.any():
            continue
        got = index.nearest(query.tolist(), 5)
        distances, positions = sk.kneighbors([query], n_neighbors=5)
        assert [p for p, _s in got] == [int(p) for p in positions[0]]
        assert np.allclose([s for _p, s in got], 1.0 - distances[0], atol=1e-6)


def test_the_server_starts_its_theme_engine_without_scikit_learn_or_scipy() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "import server.ssh_server as s\n"
        "engine = s._load_theme_engine()\n"
        "assert engine is not None and engine.score_texts(['I cannot sleep'])\n"
        "engine.peer_index([[1.0, 0.0], [0.0, 1.0]]).nearest([1.0, 0.0], 1)\n"
        "print(sorted({k.split('.')[0] for k in sys.modules} & {'sklearn', 'scipy'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr

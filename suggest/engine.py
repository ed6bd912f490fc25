"""The theme engine: TF-IDF against fixed theme seeds, and cosine nearest neighbours for peers.

Everything runs locally and in memory; nothing is trained on members' texts, so there is
nothing to leak between members: a text's themes depend on that text and the seeds only.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from suggest.themes import GOAL_CATEGORY_THEMES, THEME_SEEDS

__all__ = ["MAX_TEXT_CHARS", "CosinePeerIndex", "SeedThemeEngine", "analyse"]

# A text longer than this is read on its first part: themes show early, and work stays bounded.
MAX_TEXT_CHARS = 4000
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Longest first: "ies" before "s". Crude on purpose: seeds and texts are cut the same way.
_SUFFIXES = ("ingly", "ness", "ing", "ies", "ied", "ed", "ly", "es", "s")
# Small words mean something only inside a pair ("what if", "break up", "one day at a time").
_PAIR_ONLY = frozenset(
    """
a about all an and are as at be but by can day do for from get go going i if in into is it
its just me much my no not of off on one or out so some talk the them this time to too up
very was what with you your
""".split()
)


def _stem(word: str) -> str:
    word = word.replace("'", "")
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            stem = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                stem += "y"
            # "running" -> "runn" -> "run": one doubled final consonant goes.
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                stem = stem[:-1]
            return stem
    return word


def analyse(text: str) -> list[str]:
    """Stemmed words and adjacent pairs of a text (lower case, ASCII letters and digits)."""
    words = [_stem(w) for w in _WORD.findall(text[:MAX_TEXT_CHARS].lower().replace("-", " "))]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return [w for w in words if w not in _PAIR_ONLY] + pairs


class CosinePeerIndex:
    """Members' public theme vectors; the nearest ones to a query by cosine similarity."""

    def __init__(self, vectors: Sequence[Sequence[float]]) -> None:
        self.size = len(vectors)
        self._index: NearestNeighbors | None = None
        if self.size:
            matrix = np.asarray(vectors, dtype=np.float32)
            self._index = NearestNeighbors(metric="cosine", algorithm="brute").fit(matrix)

    def nearest(self, query: Sequence[float], k: int) -> list[tuple[int, float]]:
        """(position, similarity) of up to k vectors most like `query`, most alike first."""
        if self._index is None or k <= 0 or not any(query):
            return []
        vector = np.asarray([query], dtype=np.float32)
        distances, positions = self._index.kneighbors(vector, n_neighbors=min(k, self.size))
        return [(int(p), float(1.0 - d)) for d, p in zip(distances[0], positions[0], strict=True)]


class SeedThemeEngine:
    """Scores texts against each theme's seed words (TF-IDF, cosine); thread-safe."""

    def __init__(
        self, seeds: dict[str, str] | None = None, goal_categories: dict[str, str] | None = None
    ) -> None:
        seeds = seeds or THEME_SEEDS
        self.themes: tuple[str, ...] = tuple(seeds)
        self._goal_categories = dict(goal_categories or GOAL_CATEGORY_THEMES)
        # Words that appear in several seeds (e.g. "routine") count for less, through IDF.
        self._vectorizer = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, norm="l2")
        seed_matrix = self._vectorizer.fit_transform(list(seeds.values()))
        self._themes_t = seed_matrix.T.tocsr()
        self._lock = threading.Lock()

    def goal_theme(self, category: str) -> str | None:
        """The theme a goal category names outright ("sobriety" -> "recovery"), if any."""
        return self._goal_categories.get(category)

    def score_texts(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        """For each text, its similarity to each theme in `themes` order (0 to 1)."""
        if not texts:
            return []
        with self._lock:  # the vectorizer is shared between executor threads
            matrix = self._vectorizer.transform([t[:MAX_TEXT_CHARS] for t in texts])
        scores = (matrix @ self._themes_t).toarray()
        return [tuple(float(x) for x in row) for row in scores]

    def peer_index(self, vectors: Sequence[Sequence[float]]) -> CosinePeerIndex:
        return CosinePeerIndex(vectors)

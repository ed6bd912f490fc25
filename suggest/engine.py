"""The theme engine: TF-IDF against fixed theme seeds, and cosine nearest neighbours for peers.

Everything runs locally and in memory; nothing is trained on members' texts, so there is
nothing to leak between members: a text's themes depend on that text and the seeds only.

Plain numpy, computed as scikit-learn's TfidfVectorizer(sublinear_tf=True, norm="l2")
and NearestNeighbors(metric="cosine") do (a test checks the two agree): importing
scikit-learn and SciPy for this cost the server about 100 MiB at start.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

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
        matrix = np.asarray(vectors, dtype=np.float64).reshape(self.size, -1 if self.size else 0)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        # A vector of zeros is like nothing (similarity 0), as in scikit-learn.
        self._unit = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)

    def nearest(self, query: Sequence[float], k: int) -> list[tuple[int, float]]:
        """(position, similarity) of up to k vectors most like `query`, most alike first."""
        if not self.size or k <= 0 or not any(query):
            return []
        vector = np.asarray(query, dtype=np.float64)
        similarity = self._unit @ (vector / np.linalg.norm(vector))
        # Most alike first; among equals, the earlier position.
        order = np.lexsort((np.arange(self.size), -similarity))[: min(k, self.size)]
        return [(int(p), float(similarity[p])) for p in order]


class SeedThemeEngine:
    """Scores texts against each theme's seed words (TF-IDF, cosine); thread-safe."""

    def __init__(
        self, seeds: dict[str, str] | None = None, goal_categories: dict[str, str] | None = None
    ) -> None:
        seeds = seeds or THEME_SEEDS
        self.themes: tuple[str, ...] = tuple(seeds)
        self._goal_categories = dict(goal_categories or GOAL_CATEGORY_THEMES)
        seed_terms = [Counter(analyse(text)) for text in seeds.values()]
        self._columns = {t: i for i, t in enumerate(sorted(set().union(*seed_terms)))}
        # Words that appear in several seeds (e.g. "routine") count for less: smoothed IDF.
        documents = np.zeros(len(self._columns))
        for terms in seed_terms:
            for term in terms:
                documents[self._columns[term]] += 1
        self._idf = np.log((1 + len(seed_terms)) / (1 + documents)) + 1.0
        # Read-only after this: threads share it without a lock.
        self._seeds = np.array([self._vector(terms) for terms in seed_terms])

    def _vector(self, terms: Counter[str]) -> np.ndarray:
        """A text's TF-IDF over the seeds' words: 1 + ln(count), times IDF, unit length."""
        vector = np.zeros(len(self._columns))
        for term, count in terms.items():
            column = self._columns.get(term)
            if column is not None:
                vector[column] = (1.0 + math.log(count)) * self._idf[column]
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector

    def goal_theme(self, category: str) -> str | None:
        """The theme a goal category names outright ("sobriety" -> "recovery"), if any."""
        return self._goal_categories.get(category)

    def score_texts(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        """For each text, its similarity to each theme in `themes` order (0 to 1)."""
        return [
            tuple(float(x) for x in self._seeds @ self._vector(Counter(analyse(text))))
            for text in texts
        ]

    def peer_index(self, vectors: Sequence[Sequence[float]]) -> CosinePeerIndex:
        return CosinePeerIndex(vectors)

"""A small language identifier for en/es/fr/de/pt: naive Bayes over hashed character n-grams.

Why not py3langid: restricted to five languages it still loads its full 97-language tables,
about 75 MiB of resident memory (measured: 45 -> 120 MiB RSS), against a budget of 120 MiB
for a whole server. This one is trained with the model on the same labelled texts (their
`lang` field), lives in the same .npz file (2^16 x 5 float32, 1.3 MB) and costs a few
numpy calls per batch. Numpy only: no scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from moderation.features import char_grams

__all__ = ["LANGS", "LANG_BITS", "LANG_NGRAMS", "LanguageIdentifier", "train_language_identifier"]

LANGS: tuple[str, ...] = ("en", "es", "fr", "de", "pt")
LANG_BITS = 16
LANG_NGRAMS = (1, 2, 3, 4)
# Texts with fewer character n-grams than this say too little to tell languages apart.
MIN_GRAMS = 12

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


class LanguageIdentifier:
    """Reads text folded by moderation.normalize.fold_for_lang (accents kept)."""

    def __init__(
        self,
        log_probs: np.ndarray[Any, Any],
        langs: Sequence[str] = LANGS,
        unsure_below: float = 0.9,
        bits: int = LANG_BITS,
        ngrams: Sequence[int] = LANG_NGRAMS,
    ) -> None:
        if log_probs.shape != (1 << bits, len(langs)):
            raise ValueError(f"language table shape {log_probs.shape} does not match")
        self.log_probs = np.asarray(log_probs, dtype=np.float32)
        self.langs = tuple(langs)
        self.unsure_below = float(unsure_below)
        self.bits = bits
        self.ngrams = tuple(ngrams)

    def posteriors(self, folded: Sequence[str]) -> tuple[FloatArray, FloatArray]:
        """(n, languages) posteriors (uniform prior, tempered by 1/sqrt(#n-grams)) and the
        number of n-grams of each text."""
        n = len(folded)
        doc, bucket, _, _ = char_grams(folded, self.ngrams, self.bits)
        k = len(self.langs)
        scores = np.zeros((n, k), dtype=np.float64)
        if len(doc):
            lp = self.log_probs[bucket].astype(np.float64)
            for j in range(k):
                scores[:, j] = np.bincount(doc, lp[:, j], minlength=n)
        count = np.bincount(doc, minlength=n).astype(np.float64)
        scores = scores / np.sqrt(np.maximum(count, 1.0))[:, None]
        scores -= scores.max(axis=1, keepdims=True)
        post = np.exp(scores)
        post /= post.sum(axis=1, keepdims=True)
        return post, count

    def identify(self, folded: Sequence[str]) -> list[tuple[str, bool]]:
        """(best guess, sure) per text; unsure when short or the best posterior is low."""
        if not folded:
            return []
        post, count = self.posteriors(folded)
        best = post.argmax(axis=1)
        top = post[np.arange(len(folded)), best]
        return [
            (self.langs[int(b)], bool(c >= MIN_GRAMS and p >= self.unsure_below))
            for b, p, c in zip(best, top, count, strict=True)
        ]


def train_language_identifier(
    folded: Sequence[str], langs: Sequence[str], alpha: float = 0.1
) -> LanguageIdentifier:
    """Multinomial naive Bayes from texts and their language codes (numpy only)."""
    index = {lang: j for j, lang in enumerate(LANGS)}
    y = np.array([index[lang] for lang in langs], dtype=np.int64)
    doc, bucket, _, _ = char_grams(folded, LANG_NGRAMS, LANG_BITS)
    counts = np.zeros((1 << LANG_BITS, len(LANGS)), dtype=np.float64)
    np.add.at(counts, (bucket, y[doc]), 1.0)
    # Each language weighs the same however many texts it has (uniform prior).
    smoothed = counts + alpha
    log_probs = np.log(smoothed / smoothed.sum(axis=0, keepdims=True))
    return LanguageIdentifier(log_probs.astype(np.float32))

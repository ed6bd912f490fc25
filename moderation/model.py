"""The moderation model at scoring time: numpy only, portable files, thread-safe scoring.

Scoring never imports scikit-learn (training does, in moderation.train): a model is a
manifest (JSON: feature settings, patterns, calibration, thresholds, metadata) and one
.npz of numpy arrays (weights, idf, the language table), loaded with allow_pickle=False.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bbs.moderation_queue.policy import LABELS, Scores
from moderation.features import (
    CHAR_BITS,
    CHAR_NGRAMS,
    WORD_BITS,
    PatternFeatures,
    char_grams,
    word_grams,
)
from moderation.langid import LANG_BITS, LANG_NGRAMS, LANGS, LanguageIdentifier
from moderation.normalize import (
    TrustedItems,
    fold_for_lang,
    normalize_folded,
    trusted_items,
)

__all__ = [
    "ARRAYS_FILE",
    "FORMAT_VERSION",
    "MANIFEST_FILE",
    "FeatureSpace",
    "ModerationModel",
    "load_model",
]

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
MANIFEST_FILE = "manifest.json"
ARRAYS_FILE = "model.npz"
_ARRAY_NAMES = ("weights", "bias", "calibration", "idf", "lang_log_probs", "reference_scores")

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]


def _sigmoid(z: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0))), dtype=np.float64)


class FeatureSpace:
    """Texts -> sparse feature triplets (row, column, value), shared by training and scoring.

    Columns: hashed char_wb 2-5-grams (tf-idf, l2 per block), hashed word 1-2-grams (tf-idf,
    l2 per block), binary phrase patterns and their pairs. The language read is not a
    column: as a one-hot it learned "too short to tell" = harassment (a proxy).
    """

    def __init__(
        self,
        patterns: PatternFeatures,
        langid: LanguageIdentifier,
        idf: np.ndarray[Any, Any] | None = None,
        char_bits: int = CHAR_BITS,
        word_bits: int = WORD_BITS,
        char_ngrams: Sequence[int] = CHAR_NGRAMS,
    ) -> None:
        self.patterns = patterns
        self.langid = langid
        self.char_bits = char_bits
        self.word_bits = word_bits
        self.char_ngrams = tuple(char_ngrams)
        self.n_char = 1 << char_bits
        self.n_word = 1 << word_bits
        self.off_pattern = self.n_char + self.n_word
        self.off_lang = self.off_pattern + len(patterns)
        self.n_features = self.off_lang
        self.idf = np.ones(self.off_pattern, dtype=np.float32) if idf is None else idf
        self._trusted = TrustedItems()

    @property
    def idf(self) -> np.ndarray[Any, np.dtype[np.float32]]:
        """The idf of each n-gram column (float32), as trained and saved."""
        if self._idf_codes is None:
            return self._idf_values
        return np.take(self._idf_values, self._idf_codes)

    @idf.setter
    def idf(self, idf: np.ndarray[Any, Any]) -> None:
        values = np.asarray(idf, dtype=np.float32)
        if values.shape != (self.off_pattern,):
            raise ValueError(f"idf shape {values.shape} does not match the feature space")
        # An idf takes one value per document frequency, so a few thousand distinct
        # values at most: kept as a uint16 index into them (1 MiB, not 2), the same numbers.
        distinct, codes = np.unique(values, return_inverse=True)
        self._idf_values: np.ndarray[Any, np.dtype[np.float32]]
        self._idf_codes: np.ndarray[Any, np.dtype[np.uint16]] | None
        if len(distinct) <= 1 << 16:
            self._idf_values, self._idf_codes = distinct, codes.astype(np.uint16)
        else:
            self._idf_values, self._idf_codes = values, None

    def idf_of(self, cols: IntArray) -> np.ndarray[Any, np.dtype[np.float32]]:
        """The idf of n-gram columns `cols` (the values `idf[cols]` holds)."""
        if self._idf_codes is None:
            return self._idf_values[cols]
        return self._idf_values[self._idf_codes[cols]]

    def set_trusted(self, trusted: TrustedItems) -> None:
        self._trusted = trusted  # one attribute swap: scoring threads see old or new, whole

    def prepare(
        self, texts: Sequence[str], langs: Sequence[tuple[str, bool]] | None = None
    ) -> tuple[list[str], list[tuple[str, bool]]]:
        """Normalised texts and (language guess, sure) for each; `langs` skips identifying
        (sentences of a text are read in the text's language)."""
        folded = [fold_for_lang(t) for t in texts]
        langs = self.langid.identify(folded) if langs is None else list(langs)
        trusted = self._trusted
        # English-only steps run when the text reads as English, or when unsure (short chat
        # such as "kys" or "u r a loser" is English far more often than not here).
        normed = [
            normalize_folded(f, lang == "en" or not sure, trusted)
            for f, (lang, sure) in zip(folded, langs, strict=True)
        ]
        return normed, langs

    def raw_counts(
        self, normed: Sequence[str], langs: Sequence[tuple[str, bool]]
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Triplets with raw counts for the n-gram blocks (before idf), 1.0 for the rest."""
        c_doc, c_bucket, _, _ = char_grams(normed, self.char_ngrams, self.char_bits)
        w_docs: list[int] = []
        w_cols: list[int] = []
        p_docs: list[int] = []
        p_cols: list[int] = []
        for i, doc in enumerate(normed):
            hashes, _ = word_grams(doc, self.word_bits)
            w_docs.extend([i] * len(hashes))
            w_cols.extend(hashes)
            lang, sure = langs[i]
            cols = self.patterns.columns(doc, lang == "en" or not sure)
            p_docs.extend([i] * len(cols))
            p_cols.extend(cols)
        rows = np.concatenate(
            [c_doc, np.asarray(w_docs, dtype=np.int64), np.asarray(p_docs, dtype=np.int64)]
        )
        cols_all = np.concatenate(
            [
                c_bucket,
                np.asarray(w_cols, dtype=np.int64) + self.n_char,
                np.asarray(p_cols, dtype=np.int64) + self.off_pattern,
            ]
        )
        # Sum duplicates: one entry per (row, column) with its count.
        keys = rows * self.n_features + cols_all
        uniq, counts = np.unique(keys, return_counts=True)
        return uniq // self.n_features, uniq % self.n_features, counts.astype(np.float64)

    def weigh(self, rows: IntArray, cols: IntArray, counts: FloatArray, n: int) -> FloatArray:
        """tf-idf with sublinear tf, l2-normalised per text within the char and word blocks;
        pattern and language columns stay 1."""
        vals = counts.copy()
        ngram = cols < self.off_pattern
        vals[ngram] = (1.0 + np.log(counts[ngram])) * self.idf_of(cols[ngram]).astype(np.float64)
        for lo, hi in ((0, self.n_char), (self.n_char, self.off_pattern)):
            block = (cols >= lo) & (cols < hi)
            norms = np.bincount(rows[block], vals[block] ** 2, minlength=n)
            norms = np.sqrt(np.where(norms > 0, norms, 1.0))
            vals[block] = vals[block] / norms[rows[block]]
        return vals

    def transform(
        self, texts: Sequence[str], langs: Sequence[tuple[str, bool]] | None = None
    ) -> tuple[IntArray, IntArray, FloatArray, list[str]]:
        normed, langs = self.prepare(texts, langs)
        rows, cols, counts = self.raw_counts(normed, langs)
        return (
            rows,
            cols,
            self.weigh(rows, cols, counts, len(normed)),
            [lang if sure else "" for lang, sure in langs],
        )


class ModerationModel:
    """Scores texts for harassment, spam and crisis; satisfies
    bbs.moderation_queue.policy.TextScorer and TrustsText.

    Immutable after construction except for the trusted text (swapped whole), so concurrent
    score() calls from worker threads are safe.
    """

    def __init__(
        self,
        space: FeatureSpace,
        weights: np.ndarray[Any, Any],
        bias: np.ndarray[Any, Any],
        calibration: np.ndarray[Any, Any],
        thresholds: dict[str, float] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        if weights.shape != (space.n_features, len(LABELS)):
            raise ValueError(f"weights shape {weights.shape} does not match the features")
        self.space = space
        # Most hashed columns never met a training text: their weights are all zero. Only
        # the other rows are kept (3 MiB instead of 6.3 for the shipped model), with the
        # sorted columns they belong to; a column not among them weighs zero, as before.
        dense = np.asarray(weights, dtype=np.float32)
        kept = np.flatnonzero(np.any(dense != 0, axis=1))
        self._w_cols = kept.astype(np.int32 if len(dense) < 2**31 else np.int64)
        self._w_rows = np.vstack([dense[kept], np.zeros((1, dense.shape[1]), np.float32)])
        self._w_shape = dense.shape
        self._bias = np.asarray(bias, dtype=np.float64)
        self._calibration = np.asarray(calibration, dtype=np.float64)  # rows: (slope, offset)
        self.thresholds: dict[str, float] = dict(thresholds or {})
        self.meta: dict[str, Any] = dict(meta or {})
        self._trusted_text = ""
        self._lock = threading.Lock()

    # -- trusted text ---------------------------------------------------------------------

    def set_trusted_text(self, text: str) -> None:
        """The community's help text: its numbers, links and domains never count toward
        spam (they become a neutral token before any feature is computed)."""
        with self._lock:
            self._trusted_text = text
            self.space.set_trusted(trusted_items(text))

    # -- scoring ---------------------------------------------------------------------------

    def _raw_decision(
        self, texts: Sequence[str], langs: Sequence[tuple[str, bool]] | None = None
    ) -> tuple[FloatArray, list[str]]:
        n = len(texts)
        rows, cols, vals, read = self.space.transform(texts, langs)
        z = np.tile(self._bias, (n, 1))
        contrib = vals[:, None] * self._weights_of(cols).astype(np.float64)
        for li in range(len(LABELS)):
            z[:, li] += np.bincount(rows, contrib[:, li], minlength=n)
        # A text with no feature at all (empty, only symbols) says nothing: score it 0.
        z[np.bincount(rows, minlength=n) == 0] = -np.inf
        return z, read

    def _weights_of(self, cols: IntArray) -> np.ndarray[Any, np.dtype[np.float32]]:
        """The weight rows of columns `cols` (n, 3): zeros for a column none was kept for."""
        # Needles of the haystack's dtype: numpy would otherwise convert all of it per call.
        at = np.searchsorted(self._w_cols, cols.astype(self._w_cols.dtype, copy=False))
        last = len(self._w_cols)
        found = at < last
        found[found] = self._w_cols[at[found]] == cols[found]
        at[~found] = last  # the zero row
        return self._w_rows[at]

    @property
    def weights(self) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Every column's weights (n_features, 3), as trained and saved."""
        dense = np.zeros(self._w_shape, dtype=np.float32)
        dense[self._w_cols] = self._w_rows[:-1]
        return dense

    def decision(self, texts: Sequence[str]) -> tuple[FloatArray, list[str]]:
        """Uncalibrated log-odds (n, 3) and the language read for each text ("" if unsure)."""
        return self._raw_decision(texts)

    def probabilities_and_langs(self, texts: Sequence[str]) -> tuple[FloatArray, list[str]]:
        if len(texts) == 0:
            return np.zeros((0, len(LABELS))), []
        z, langs = self.decision(list(texts))
        p = _sigmoid(z * self._calibration[:, 0] + self._calibration[:, 1])
        return np.asarray(np.nan_to_num(p, nan=0.0), dtype=np.float64), langs

    def probabilities(self, texts: Sequence[str]) -> FloatArray:
        """(n, 3) calibrated probabilities in LABELS order."""
        return self.probabilities_and_langs(texts)[0]

    def score(self, texts: Sequence[str]) -> list[Scores]:
        """Scores for each text, in order, with the language read ("" when unsure).

        Never raises on odd text (empty, binary, surrogates)."""
        p, langs = self.probabilities_and_langs(texts)
        return [
            Scores(float(r[0]), float(r[1]), float(r[2]), lang)
            for r, lang in zip(p, langs, strict=True)
        ]

    def score_one(self, text: str) -> Scores:
        return self.score([text])[0]

    # -- explanations ----------------------------------------------------------------------

    def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        """For each label, the readable terms that pushed its score up, strongest first.

        A term's weight is its contribution to the label's calibrated log-odds (feature value
        x coefficient x calibration slope). Character n-grams are credited to the word they
        come from, word n-grams and patterns are named as they are.
        """
        space = self.space
        normed, langs = space.prepare([text])
        rows, cols, counts = space.raw_counts(normed, langs)
        vals = space.weigh(rows, cols, counts, 1)
        value = dict(zip(cols.tolist(), vals.tolist(), strict=True))
        weight = dict(zip(cols.tolist(), self._weights_of(cols).tolist(), strict=True))
        doc = normed[0]
        # Which words each char bucket came from (one share per occurrence).
        _, c_bucket, c_word, words = char_grams([doc], space.char_ngrams, space.char_bits)
        owners: dict[int, list[int]] = {}
        for b, w in zip(c_bucket.tolist(), c_word.tolist(), strict=True):
            owners.setdefault(b, []).append(w)
        w_hashes, w_names = word_grams(doc, space.word_bits)
        word_cols: dict[int, str] = {}
        for h, name in zip(w_hashes, w_names, strict=True):
            word_cols.setdefault(space.n_char + h, name)
        pattern_names = space.patterns.names
        doc_words = words[0]
        out: dict[str, list[tuple[str, float]]] = {}
        for li, label in enumerate(LABELS):
            slope = float(self._calibration[li, 0])
            terms: dict[str, float] = {}

            def add(term: str, c: float, terms: dict[str, float] = terms) -> None:
                if term:
                    terms[term] = terms.get(term, 0.0) + c

            for col, v in value.items():
                c = v * float(weight[col][li]) * slope
                if col < space.n_char:
                    ws = owners.get(col, [])
                    for w in ws:
                        add(_display_word(doc_words[w]), c / len(ws))
                elif col < space.off_pattern:
                    add(word_cols.get(col, ""), c)
                elif col < space.off_lang:
                    add(pattern_names[col - space.off_pattern], c)
            ranked = sorted(
                ((t, round(w, 4)) for t, w in terms.items() if w > 0 and math.isfinite(w)),
                key=lambda tw: (-tw[1], tw[0]),
            )
            out[label] = ranked[: max(0, top)]
        return out

    # -- persistence -----------------------------------------------------------------------

    def arrays(self) -> dict[str, np.ndarray[Any, Any]]:
        ref = self.meta.get("reference_texts", [])
        return {
            "weights": self.weights,
            "bias": self._bias,
            "calibration": self._calibration,
            "idf": self.space.idf,
            "lang_log_probs": self.space.langid.log_probs,
            "reference_scores": (
                self.probabilities([str(t) for t in ref]) if ref else np.zeros((0, len(LABELS)))
            ),
        }

    def spec(self) -> dict[str, Any]:
        """Everything but the arrays, as plain JSON data."""
        space = self.space
        return {
            "format": FORMAT_VERSION,
            "labels": list(LABELS),
            "char_bits": space.char_bits,
            "word_bits": space.word_bits,
            "char_ngrams": list(space.char_ngrams),
            "langs": list(space.langid.langs),
            "lang_bits": space.langid.bits,
            "lang_ngrams": list(space.langid.ngrams),
            "lang_unsure_below": space.langid.unsure_below,
            # The pattern sources travel with the weights, so a file always scores the same
            # way even after the code's pattern list changes.
            "patterns": [list(p) for p in space.patterns.patterns],
            "neutral_patterns": sorted(space.patterns.neutral),
            "thresholds": self.thresholds,
            "meta": self.meta,
        }

    def save(self, directory: Path, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """Write model.npz and manifest.json (with the arrays file's sha256) into `directory`.

        Returns the manifest. Files are written whole then renamed into place."""
        from moderation.store import atomic_write

        directory.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        np.savez_compressed(buf, allow_pickle=False, **self.arrays())
        payload = buf.getvalue()
        manifest = self.spec()
        manifest["arrays_sha256"] = hashlib.sha256(payload).hexdigest()
        manifest["arrays_bytes"] = len(payload)
        if extra:
            manifest.update(extra)
        atomic_write(directory / ARRAYS_FILE, payload)
        atomic_write(
            directory / MANIFEST_FILE,
            json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8"),
        )
        return manifest

    @classmethod
    def load(cls, directory: Path) -> ModerationModel:
        """Rebuild a model from its manifest and arrays; checks the checksum and format."""
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError(f"{directory}: unsupported model format {manifest.get('format')!r}")
        if list(manifest.get("labels", [])) != list(LABELS):
            raise ValueError(f"{directory}: labels {manifest.get('labels')!r} != {LABELS!r}")
        payload = (directory / ARRAYS_FILE).read_bytes()
        if hashlib.sha256(payload).hexdigest() != manifest.get("arrays_sha256"):
            raise ValueError(f"{directory / ARRAYS_FILE}: checksum does not match its manifest")
        with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
            arrays = {name: np.asarray(npz[name]) for name in _ARRAY_NAMES}
        langid = LanguageIdentifier(
            arrays["lang_log_probs"],
            langs=[str(x) for x in manifest.get("langs", LANGS)],
            unsure_below=float(manifest["lang_unsure_below"]),
            bits=int(manifest.get("lang_bits", LANG_BITS)),
            ngrams=[int(x) for x in manifest.get("lang_ngrams", LANG_NGRAMS)],
        )
        patterns = PatternFeatures(
            [(str(n), str(p)) for n, p in manifest["patterns"]],
            neutral=frozenset(str(x) for x in manifest.get("neutral_patterns", [])),
        )
        space = FeatureSpace(
            patterns,
            langid,
            arrays["idf"],
            char_bits=int(manifest["char_bits"]),
            word_bits=int(manifest["word_bits"]),
            char_ngrams=[int(x) for x in manifest["char_ngrams"]],
        )
        thresholds = {str(k): float(v) for k, v in manifest.get("thresholds", {}).items()}
        meta = dict(manifest.get("meta", {}))
        model = cls(
            space, arrays["weights"], arrays["bias"], arrays["calibration"], thresholds, meta
        )
        model.meta["reference_scores"] = arrays["reference_scores"].tolist()
        model.meta.setdefault("source", str(directory))
        return model


def _display_word(word: str) -> str:
    return word.strip(".,;:!?\"'()[]{}<>")


def load_model(data_dir: Path | None = None) -> ModerationModel:
    """The model to serve: the data dir's current version if it loads, else the shipped one.

    Never needs the network and never trains (training imports scikit-learn). A version
    that fails to load (corrupt, an old pickle) is logged and skipped rather than taking
    the board down.
    """
    from moderation.store import ModelStore, load_shipped

    if data_dir is not None:
        store = ModelStore.for_data_dir(data_dir)
        store.warn_about_pickles()
        try:
            current = store.load_current()
        except Exception as exc:  # a broken version must not stop moderation
            log.warning(
                "moderation: cannot load current model in %s (%s); using the shipped model",
                store.root,
                exc,
            )
            current = None
        if current is not None:
            return current
    return load_shipped()

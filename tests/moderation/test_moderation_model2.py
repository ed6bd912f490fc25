"""The second-generation model (issue 17): languages, portable files, no sklearn when scoring,
trusted help text, crisis-hold, the frozen independent set, and the retrain check.

The non-English crisis sentences here were written for this test (not taken from any data
file). Like every text in this project they say *that* someone wants to die, never how.
"""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bbs.moderation_queue.policy import (
    Action,
    ModerationThresholds,
    TextScorer,
    TrustsText,
    decide,
)
from moderation.dataset import INDEPENDENT_DIR
from moderation.evaluate import AUC_TOLERANCE, LabelMetrics, SetMetrics, no_worse, verify_frozen
from moderation.model import ModerationModel
from moderation.normalize import normalize
from moderation.store import SHIPPED_DIR, load_dir, save_dir

REPO = Path(__file__).resolve().parents[2]

OWN_CRISIS = {
    "es": "ya no aguanto más, esta noche quiero morirme y desaparecer para siempre",
    "fr": "je n'en peux plus, je veux mourir ce soir, personne ne me manquera",
    "de": "ich kann nicht mehr, ich will heute Nacht sterben, alle wären ohne mich besser dran",
    "pt": "não aguento mais, quero morrer hoje à noite, ninguém vai sentir minha falta",
}


def test_shipped_model_is_json_and_npz_without_pickle() -> None:
    names = sorted(p.name for p in SHIPPED_DIR.iterdir() if p.is_file())
    assert names == ["manifest.json", "model.npz"]
    with np.load(SHIPPED_DIR / "model.npz", allow_pickle=False) as npz:
        assert "weights" in npz.files
    json.loads((SHIPPED_DIR / "manifest.json").read_text(encoding="utf-8"))


def test_no_pickle_files_in_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [p for p in tracked if p.endswith((".pkl", ".pickle", ".joblib"))]
    source = (REPO / "moderation" / "store.py").read_text(encoding="utf-8")
    source += (REPO / "moderation" / "model.py").read_text(encoding="utf-8")
    assert "pickle.load" not in source and "import pickle" not in source


def test_scoring_imports_no_sklearn() -> None:
    code = (
        "import sys\n"
        "from moderation.model import load_model\n"
        "m = load_model(None)\n"
        "m.set_trusted_text('call 988')\n"
        "s = m.score(['I want to die', 'hola'])\n"
        "m.explain('kys')\n"
        "import server.model_ops\n"
        "print(sorted(k for k in sys.modules if k == 'sklearn' or k.startswith('sklearn.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_shipped_files_reproduce_training_time_scores(shipped: ModerationModel) -> None:
    texts = [str(t) for t in shipped.meta["reference_texts"]]
    stored = np.asarray(shipped.meta["reference_scores"], dtype=np.float64)
    assert len(texts) >= 24 and stored.shape == (len(texts), 3)
    np.testing.assert_allclose(shipped.probabilities(texts), stored, rtol=0, atol=1e-6)


def test_a_loaded_model_keeps_every_weight_and_idf_of_its_file(shipped: ModerationModel) -> None:
    # Only the non-zero weight rows are held in memory, and the idf as indices into its
    # few distinct values: what the model would save again is its file's arrays exactly.
    from moderation.model import ARRAYS_FILE
    from moderation.store import SHIPPED_DIR

    with np.load(SHIPPED_DIR / ARRAYS_FILE, allow_pickle=False) as npz:
        weights, idf = npz["weights"], npz["idf"]
    arrays = shipped.arrays()
    assert arrays["weights"].dtype == weights.dtype and arrays["idf"].dtype == idf.dtype
    assert np.array_equal(arrays["weights"], weights)
    assert np.array_equal(arrays["idf"], idf)
    assert np.count_nonzero(np.any(weights != 0, axis=1)) < len(weights) // 2


def test_portable_round_trip(tmp_path: Path, shipped: ModerationModel) -> None:
    save_dir(shipped, tmp_path / "m")
    again = load_dir(tmp_path / "m")
    texts = ["I want to die", "kys", "hola, ¿qué tal?", OWN_CRISIS["de"], ""]
    np.testing.assert_allclose(
        again.probabilities(texts), shipped.probabilities(texts), rtol=0, atol=1e-12
    )
    assert again.thresholds == shipped.thresholds


def test_policy_defaults_are_the_shipped_thresholds(shipped: ModerationModel) -> None:
    t = ModerationThresholds()
    assert shipped.thresholds == {
        "harassment": t.harassment,
        "spam": t.spam,
        "crisis": t.crisis,
    }


def test_spanish_ya_is_not_rewritten() -> None:
    assert normalize("ya me voy a dormir", english=False) == "ya me voy a dormir"
    # English chat shorthand still works on English text.
    assert normalize("ya r a loser", english=True) == "you are a loser"


def test_language_is_reported(shipped: ModerationModel) -> None:
    scores = shipped.score([*OWN_CRISIS.values(), "I really need to talk to someone tonight"])
    assert [s.lang for s in scores] == [*OWN_CRISIS, "en"]
    (short,) = shipped.score(["ok"])
    assert short.lang == ""  # too short to tell


@pytest.mark.parametrize("lang", sorted(OWN_CRISIS))
def test_crisis_in_other_languages(shipped: ModerationModel, lang: str) -> None:
    s = shipped.score_one(OWN_CRISIS[lang])
    assert s.lang == lang
    assert s.crisis >= ModerationThresholds().crisis
    assert decide(s).is_crisis


def test_spaced_letters_rejoined_in_any_language(shipped: ModerationModel) -> None:
    assert normalize("quiero m u e r t e", english=False).endswith("muerte")


@pytest.mark.parametrize(
    "abuse",
    [
        "you are a worthless piece of shit and everyone here hates you",
        "go kill yourself you pathetic freak",
    ],
)
def test_crisis_words_appended_to_abuse_are_crisis_hold(
    shipped: ModerationModel, abuse: str
) -> None:
    text = abuse + ". anyway I want to kill myself tonight"
    action = decide(shipped.score_one(text))
    assert action is Action.CRISIS_HOLD


def test_sad_venting_with_you_is_not_held(shipped: ModerationModel) -> None:
    for text in (
        "honestly you all are the only ones I can tell, I feel so empty and tired lately",
        "I miss you mum, today was your birthday and I cried in the car",
    ):
        assert not decide(shipped.score_one(text)).holds, text


def test_a_mention_is_not_what_gets_a_line_held(shipped: ModerationModel) -> None:
    # Whom a chat line is aimed at is left out of the features: the same words score the
    # same with or without "@name", and ordinary lines to someone pass.
    for text in ("are you still there?", "node three hears you", "you coming to the quiz?"):
        alone = shipped.score_one(text)
        for aimed in (f"@Moss {text}", f"{text} @river_k"):
            assert shipped.score_one(aimed) == alone, aimed
        assert not decide(alone).holds, text
        assert not decide(shipped.score_one(f"@Ada, {text}")).holds, text
    assert decide(shipped.score_one("@Moss you absolute waste of space, get lost")).holds


HELP_TEXT = (
    "If you are in danger call 988 or 111. Samaritans: 116 123. "
    "Find a line near you: https://findahelpline.com"
)


def test_trusted_help_text_is_not_spam(shipped: ModerationModel) -> None:
    assert isinstance(shipped, TrustsText) and isinstance(shipped, TextScorer)
    shared = "you can call 116 123 any time, or look at https://findahelpline.com for your area"
    pitch = "make $500 a day from home, sign up now at https://quick-cash-club.example/join"
    try:
        shipped.set_trusted_text(HELP_TEXT)
        s_shared, s_pitch = shipped.score([shared, pitch])
        assert not decide(s_shared).holds
        assert s_shared.spam < ModerationThresholds().spam
        assert decide(s_pitch) is Action.HOLD
    finally:
        shipped.set_trusted_text("")


def test_frozen_independent_set_matches_its_sums() -> None:
    files = verify_frozen()
    assert len(files) == 5
    for line in (INDEPENDENT_DIR / "FROZEN.sha256").read_text(encoding="utf-8").splitlines():
        digest, name = line.split()
        assert hashlib.sha256((INDEPENDENT_DIR / name).read_bytes()).hexdigest() == digest


def _metrics(h_auc: float, s_auc: float, recall: float, held: float, crisis: float) -> SetMetrics:
    def lm(label: str, auc: float) -> LabelMetrics:
        return LabelMetrics(label, 0.9, 0.9, 0.9, auc, 10, 100)

    return SetMetrics(
        name="validation",
        n=100,
        labels={
            "harassment": lm("harassment", h_auc),
            "spam": lm("spam", s_auc),
            "crisis": lm("crisis", 0.95),
        },
        hard_negatives=50,
        hard_negative_held=held,
        hard_negative_crisis=crisis,
        action_accuracy=0.9,
        crisis_recall=recall,
    )


def test_no_worse_refuses_a_label_worse_beyond_tolerance() -> None:
    old = _metrics(0.980, 0.990, 0.95, 0.02, 0.10)
    ok, reasons = no_worse(_metrics(0.975, 0.990, 0.95, 0.02, 0.10), old)
    assert not ok and len(reasons) == 1
    assert "harassment ROC-AUC" in reasons[0]
    ok, reasons = no_worse(_metrics(0.980, 0.990, 0.93, 0.02, 0.10), old)
    assert not ok and len(reasons) == 1 and "crisis recall" in reasons[0]
    ok, reasons = no_worse(_metrics(0.980, 0.990, 0.95, 0.02, 0.12), old)
    assert not ok and "treated as crisis" in reasons[0]


def test_no_worse_keeps_within_tolerance() -> None:
    old = _metrics(0.980, 0.990, 0.95, 0.02, 0.10)
    new = _metrics(0.980 - AUC_TOLERANCE / 2, 0.989, 0.945, 0.025, 0.105)
    assert no_worse(new, old) == (True, [])
    assert no_worse(_metrics(math.nan, 0.99, 0.95, 0.02, 0.1), old)[0]

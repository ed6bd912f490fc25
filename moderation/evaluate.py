"""Quality metrics (independent test set first, training-data validation split second), the
retraining check and the model card. Imports scikit-learn (metrics): never on the scoring path.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

from bbs.moderation_queue.policy import LABELS, Action, ModerationThresholds, Scores, decide
from moderation.dataset import (
    INDEPENDENT_DIR,
    Example,
    is_hard_negative,
    load_examples,
    load_training,
    split,
)
from moderation.model import ModerationModel

__all__ = [
    "AUC_TOLERANCE",
    "RATE_TOLERANCE",
    "EvalReport",
    "LabelMetrics",
    "SetMetrics",
    "evaluate_all",
    "evaluate_predictions",
    "format_report",
    "load_independent",
    "model_card",
    "no_worse",
    "targets",
    "verify_frozen",
]

# Retraining keeps a new model only if, on the validation split of the training data, it is
# worse than the current one by no more than these on any figure (noise between two fits on
# nearly the same data): ROC-AUC of harassment and spam, and the policy's rates (crisis
# recall; hard negatives held and treated as crisis).
AUC_TOLERANCE = 0.002
RATE_TOLERANCE = 0.01
MIN_GROUP = 50


@dataclass(frozen=True)
class LabelMetrics:
    label: str
    precision: float
    recall: float
    f1: float
    roc_auc: float
    positives: int
    n: int


@dataclass
class SetMetrics:
    """Metrics of one model on one set of examples, at the policy thresholds."""

    name: str
    n: int
    labels: dict[str, LabelMetrics]
    hard_negatives: int
    hard_negative_held: float
    hard_negative_crisis: float
    action_accuracy: float
    # Through decide(): crisis texts that got the crisis lines, and how many of the texts
    # that got them were crisis texts; crisis texts not labelled harassment that were held.
    crisis_recall: float = math.nan
    crisis_precision: float = math.nan
    crisis_held_not_harassment: int = 0
    harassment_held: float = math.nan
    spam_held: float = math.nan
    sad_venting: int = 0
    sad_venting_held: float = math.nan
    by_lang: dict[str, dict[str, tuple[float, int]]] = field(default_factory=dict)
    errors: list[tuple[str, str, str, Scores]] = field(default_factory=list)


@dataclass
class EvalReport:
    thresholds: ModerationThresholds
    sets: list[SetMetrics]
    model_meta: dict[str, Any]

    def get(self, name: str) -> SetMetrics | None:
        return next((s for s in self.sets if s.name.startswith(name)), None)


def _expected(ex: Example) -> Action:
    if ex.crisis:
        return Action.CRISIS_HOLD if ex.harassment else Action.CRISIS
    if ex.harassment or ex.spam:
        return Action.HOLD
    return Action.ALLOW


def _safe_auc(y: np.ndarray[Any, Any], p: np.ndarray[Any, Any]) -> float:
    if len(set(y.tolist())) < 2:
        return math.nan
    return float(roc_auc_score(y, p))


def _rate(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else math.nan


def _policy_rates(
    examples: Sequence[Example],
    actions: Sequence[Action],
    hard: Callable[[Example], bool],
) -> dict[str, tuple[float, int]]:
    """Each policy figure as (rate, n texts it is over)."""
    idx = range(len(examples))
    crisis = [i for i in idx if examples[i].crisis]
    flagged = [i for i in idx if actions[i].is_crisis]
    harassment = [i for i in idx if examples[i].harassment and not examples[i].crisis]
    spam = [i for i in idx if examples[i].spam]
    hard_i = [i for i in idx if hard(examples[i])]
    venting = [i for i in idx if examples[i].kind == "sad_venting"]
    return {
        "crisis recall": (_rate([actions[i].is_crisis for i in crisis]), len(crisis)),
        "crisis precision": (_rate([examples[i].crisis for i in flagged]), len(flagged)),
        "harassment held": (_rate([actions[i].holds for i in harassment]), len(harassment)),
        "spam held": (_rate([actions[i].holds for i in spam]), len(spam)),
        "hard negatives held": (_rate([actions[i].holds for i in hard_i]), len(hard_i)),
        "hard negatives as crisis": (_rate([actions[i].is_crisis for i in hard_i]), len(hard_i)),
        "sad venting held": (_rate([actions[i].holds for i in venting]), len(venting)),
    }


def evaluate_predictions(
    name: str,
    examples: Sequence[Example],
    probs: np.ndarray[Any, Any],
    thresholds: ModerationThresholds,
    hard: Callable[[Example], bool] = is_hard_negative,
) -> SetMetrics:
    """Per-label metrics at the policy thresholds, and what the policy does to each kind."""
    labels: dict[str, LabelMetrics] = {}
    for li, label in enumerate(LABELS):
        y = np.array([ex.label(label) for ex in examples], dtype=int)
        pred = (probs[:, li] >= getattr(thresholds, label)).astype(int)
        labels[label] = LabelMetrics(
            label=label,
            precision=float(precision_score(y, pred, zero_division=0)),
            recall=float(recall_score(y, pred, zero_division=0)),
            f1=float(f1_score(y, pred, zero_division=0)),
            roc_auc=_safe_auc(y, probs[:, li]),
            positives=int(y.sum()),
            n=len(y),
        )
    actions = [
        decide(Scores(float(row[0]), float(row[1]), float(row[2])), thresholds) for row in probs
    ]
    rates = _policy_rates(examples, actions, hard)
    by_lang: dict[str, dict[str, tuple[float, int]]] = {}
    langs = sorted({ex.lang for ex in examples})
    groups = [(lang, {lang}) for lang in langs]
    if len(langs) > 2:
        # The four non-English languages together, where one alone holds too few texts.
        groups.append(("non-en", set(langs) - {"en"}))
    for group_name, members in groups:
        sel = [i for i, ex in enumerate(examples) if ex.lang in members]
        by_lang[group_name] = _policy_rates(
            [examples[i] for i in sel], [actions[i] for i in sel], hard
        )
    errors = [
        (
            ex.text,
            _expected(ex).value,
            actions[i].value,
            Scores(float(probs[i, 0]), float(probs[i, 1]), float(probs[i, 2])),
        )
        for i, ex in enumerate(examples)
        if actions[i] is not _expected(ex)
    ]
    hard_n = rates["hard negatives held"][1]
    return SetMetrics(
        name=name,
        n=len(examples),
        labels=labels,
        hard_negatives=hard_n,
        hard_negative_held=_zero_nan(rates["hard negatives held"][0]),
        hard_negative_crisis=_zero_nan(rates["hard negatives as crisis"][0]),
        action_accuracy=(len(examples) - len(errors)) / len(examples) if examples else 0.0,
        crisis_recall=rates["crisis recall"][0],
        crisis_precision=rates["crisis precision"][0],
        crisis_held_not_harassment=sum(
            1
            for i, ex in enumerate(examples)
            if ex.crisis and not ex.harassment and actions[i] is Action.CRISIS_HOLD
        ),
        harassment_held=rates["harassment held"][0],
        spam_held=rates["spam held"][0],
        sad_venting=rates["sad venting held"][1],
        sad_venting_held=rates["sad venting held"][0],
        by_lang=by_lang,
        errors=errors,
    )


def _zero_nan(x: float) -> float:
    return 0.0 if math.isnan(x) else x


# ---- the independent test set ----------------------------------------------------------------


def verify_frozen(directory: Path = INDEPENDENT_DIR) -> list[Path]:
    """The independent set's files, after checking each against FROZEN.sha256."""
    files: list[Path] = []
    for line in (directory / "FROZEN.sha256").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        digest, name = line.split(maxsplit=1)
        path = directory / name.strip()
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != digest:
            raise ValueError(f"{path}: sha256 {actual} does not match FROZEN.sha256 ({digest})")
        files.append(path)
    if not files:
        raise ValueError(f"{directory}: FROZEN.sha256 lists no files")
    return files


def load_independent(directory: Path = INDEPENDENT_DIR) -> list[Example]:
    """The frozen independent test set (sha256-checked). For evaluation only."""
    out: list[Example] = []
    for path in verify_frozen(directory):
        out.extend(load_examples(path))
    return out


def _independent_hard(ex: Example) -> bool:
    # The independent set names its look-alikes: kind "hard_negative" (LABELS.md).
    return ex.kind == "hard_negative"


def evaluate_all(
    model: ModerationModel,
    thresholds: ModerationThresholds | None = None,
    independent: bool = True,
) -> EvalReport:
    """The independent test set (when asked), then the validation split of the training data."""
    t = thresholds or ModerationThresholds()
    sets: list[SetMetrics] = []
    if independent:
        test = load_independent()
        sets.append(
            evaluate_predictions(
                "independent test set (frozen, never trained on)",
                test,
                model.probabilities([e.text for e in test]),
                t,
                hard=_independent_hard,
            )
        )
    sets.append(validation_metrics(model, t))
    return EvalReport(t, sets, dict(model.meta))


def validation_metrics(model: ModerationModel, thresholds: ModerationThresholds) -> SetMetrics:
    """The validation split of the training data (20% of groups, never trained on)."""
    _, val = split(load_training())
    return evaluate_predictions(
        "training-data validation split",
        val,
        model.probabilities([e.text for e in val]),
        thresholds,
    )


# ---- retraining ------------------------------------------------------------------------------


def no_worse(new: SetMetrics, old: SetMetrics) -> tuple[bool, list[str]]:
    """Whether `new` is no worse than `old` on the same set; every figure is checked and
    each one worse by more than its tolerance is named (label and figure)."""
    reasons: list[str] = []
    for label in ("harassment", "spam"):
        a, b = new.labels[label].roc_auc, old.labels[label].roc_auc
        if math.isfinite(a) and math.isfinite(b) and a < b - AUC_TOLERANCE:
            reasons.append(
                f"{label} ROC-AUC fell from {b:.4f} to {a:.4f} (tolerance {AUC_TOLERANCE})"
            )
    checks = (
        ("crisis recall at the policy", new.crisis_recall, old.crisis_recall, -1),
        ("hard negatives held", new.hard_negative_held, old.hard_negative_held, 1),
        ("hard negatives treated as crisis", new.hard_negative_crisis, old.hard_negative_crisis, 1),
    )
    for figure, a, b, worse_if in checks:
        if math.isfinite(a) and math.isfinite(b) and (a - b) * worse_if > RATE_TOLERANCE:
            verb = "fell" if worse_if < 0 else "rose"
            reasons.append(f"{figure} {verb} from {b:.3f} to {a:.3f} (tolerance {RATE_TOLERANCE})")
    return (not reasons, reasons)


# ---- reports ---------------------------------------------------------------------------------


def _fmt(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{x:.3f}"


_POLICY_ROWS = (
    "crisis recall",
    "crisis precision",
    "harassment held",
    "spam held",
    "hard negatives held",
    "hard negatives as crisis",
    "sad venting held",
)


def _lang_table(s: SetMetrics) -> list[str]:
    langs = list(s.by_lang)
    out = [
        "| figure (at the policy) | all | " + " | ".join(langs) + " |",
        "|---|---|" + "---|" * len(langs),
    ]
    overall = {
        "crisis recall": s.crisis_recall,
        "crisis precision": s.crisis_precision,
        "harassment held": s.harassment_held,
        "spam held": s.spam_held,
        "hard negatives held": s.hard_negative_held,
        "hard negatives as crisis": s.hard_negative_crisis,
        "sad venting held": s.sad_venting_held,
    }
    for row in _POLICY_ROWS:
        cells = []
        for lang in langs:
            rate, n = s.by_lang[lang][row]
            # A language is reported on its own where its group holds enough texts.
            cells.append(f"{_fmt(rate)} (n={n})" if n >= MIN_GROUP else f"- (n={n})")
        out.append(f"| {row} | {_fmt(overall[row])} | " + " | ".join(cells) + " |")
    return out


def format_report(report: EvalReport, errors: int = 0) -> str:
    """A plain-text table per evaluated set (also valid Markdown)."""
    t = report.thresholds
    out = [
        f"thresholds: harassment {t.harassment:.2f}, spam {t.spam:.2f}, crisis {t.crisis:.2f}",
        "",
    ]
    for s in report.sets:
        out.append(f"### {s.name} (n={s.n})")
        out.append("")
        out.append("| label | precision | recall | F1 | ROC-AUC | positives |")
        out.append("|---|---|---|---|---|---|")
        for label in LABELS:
            m = s.labels[label]
            out.append(
                f"| {label} | {_fmt(m.precision)} | {_fmt(m.recall)} | {_fmt(m.f1)} "
                f"| {_fmt(m.roc_auc)} | {m.positives} |"
            )
        out.append("")
        out.extend(_lang_table(s))
        out.append("")
        out.append(
            f"crisis texts (not harassment) held as CRISIS_HOLD: {s.crisis_held_not_harassment}; "
            f"action accuracy {s.action_accuracy:.1%}"
        )
        if errors and s.errors:
            out.append("")
            out.append(f"first {min(errors, len(s.errors))} wrong actions (expected -> got):")
            for text, exp, got, sc in s.errors[:errors]:
                out.append(
                    f"- {exp} -> {got} (h={sc.harassment:.2f} s={sc.spam:.2f} "
                    f"c={sc.crisis:.2f}): {text[:100]}"
                )
        out.append("")
    return "\n".join(out)


def targets(s: SetMetrics) -> list[tuple[str, str, bool]]:
    """The issue's quality targets on one set: (target, measured, met)."""
    rows: list[tuple[str, str, bool]] = []

    def add(name: str, value: float, ok: bool) -> None:
        rows.append((name, _fmt(value), bool(ok) and math.isfinite(value)))

    add("crisis recall >= 0.95 (policy)", s.crisis_recall, s.crisis_recall >= 0.95)
    add("crisis precision >= 0.70 (policy)", s.crisis_precision, s.crisis_precision >= 0.70)
    for lang, r in s.by_lang.items():
        rate, n = r["crisis recall"]
        if n >= MIN_GROUP and lang != "non-en":
            add(f"crisis recall {lang} >= 0.90", rate, rate >= 0.90)
    rows.append(
        (
            "crisis texts (not harassment) held: 0",
            str(s.crisis_held_not_harassment),
            s.crisis_held_not_harassment == 0,
        )
    )
    for label in ("harassment", "spam"):
        auc = s.labels[label].roc_auc
        add(f"{label} ROC-AUC >= 0.97", auc, auc >= 0.97)
    add("harassment held >= 0.85 (policy)", s.harassment_held, s.harassment_held >= 0.85)
    add("hard negatives held <= 3%", s.hard_negative_held, s.hard_negative_held <= 0.03)
    add("hard negatives as crisis <= 5%", s.hard_negative_crisis, s.hard_negative_crisis <= 0.05)
    add("sad venting held <= 2%", s.sad_venting_held, s.sad_venting_held <= 0.02)
    return rows


def format_targets(s: SetMetrics) -> str:
    out = ["| target | measured | |", "|---|---|---|"]
    for name, value, ok in targets(s):
        out.append(f"| {name} | {value} | {'MET' if ok else 'MISSED'} |")
    return "\n".join(out)


def _audit_table(audit: Sequence[dict[str, Any]]) -> str:
    cols = ("crisis", "harassment", "spam", "hard negative")
    out = [
        "| pattern | " + " | ".join(cols) + " | status |",
        "|---|" + "---|" * (len(cols) + 1),
    ]
    for row in audit:
        cells = " | ".join(f"{100 * float(row[c]):.1f}%" for c in cols)
        out.append(f"| `{row['pattern']}` | {cells} | {row.get('status', 'kept')} |")
    return "\n".join(out)


def model_card(
    report: EvalReport, audit: Sequence[dict[str, Any]] = (), title: str = "Moderation model"
) -> str:
    meta = report.model_meta
    oof = meta.get("threshold_oof", {})
    rules = meta.get("threshold_rules", {})
    independent = report.get("independent")
    validation = report.get("training-data")
    lines = [f"# {title}", ""]
    lines += [
        "Local model (numpy at scoring time; scikit-learn only to train) that scores each post "
        "and chat line for `harassment`, `spam` and `crisis` (the writer or someone they tell "
        "of is in danger now), in English, Spanish, French, German and Portuguese. Scores go "
        "to `bbs.moderation_queue.policy.decide`: allow, hold (harassment, spam), crisis "
        "(published, "
        "the writer privately gets the crisis lines) or crisis-hold (crisis words and "
        "harassment over its threshold: held, and the writer still gets the crisis lines).",
        "",
    ]
    if independent is not None:
        lines += [
            "## Independent test set (reported first)",
            "",
            "`moderation/data/independent/` (1,520 texts: 720 en, 200 each es/fr/de/pt), "
            "written by two authors who never saw the training data, sha256-checked against "
            "`FROZEN.sha256` before use. It was never trained on and never used to choose "
            "anything (no feature, threshold, or hyper-parameter). **Only this one final model "
            "was scored on it in this session**: candidates were compared on training-data "
            "folds only. Hard negatives here are the records of kind `hard_negative`; sad "
            "venting those of kind `sad_venting`. A language is shown on its own where its "
            "group holds at least 50 texts of that kind.",
            "",
            "### Targets",
            "",
            format_targets(independent),
            "",
        ]
    lines += ["## Results", "", format_report(report), ""]
    if validation is not None and independent is not None:
        lines += [
            "The validation split (20% of the training data's groups, never trained on; every "
            "variant of a text stays on one side) is written by the same authors as the "
            "training data, so it is the optimistic figure; the independent set is the fair one.",
            "",
        ]
    lines += [
        "## Model",
        "",
        "- Language: a small naive-Bayes identifier over hashed character 1-4-grams, trained "
        "with the model on the texts' `lang` fields (`moderation/langid.py`; py3langid was "
        "measured at +75 MiB RSS, too heavy for a 120 MiB server). `Scores.lang` is its guess, "
        'or "" when unsure (fewer than 12 n-grams, or posterior < '
        f"{meta.get('lang_unsure_below', 0.9)}).",
        "- Normalisation (`moderation/normalize.py`): NFKC, lookalike letters, invisible "
        "characters, accents, leetspeak, links/e-mails/phones/money as tokens, spaced-out "
        "letters joined (any language). English only (text read as English or unsure): the "
        'chat-shorthand table ("u" -> "you"; Spanish "ya" stays "ya"), masked and '
        "stretched English words, English re-splitting of spaced letters.",
        "- Trusted text: numbers (3+ digits), links and domains in the community's own help "
        "text become a neutral token before any feature (`set_trusted_text`).",
        f"- Features ({meta.get('n_features', '?')} columns): hashed char_wb 2-5-grams "
        "(2^18 buckets) and hashed word 1-2-grams (2^18, crc32), tf-idf with sublinear tf and "
        "l2 per block; the English phrase patterns kept by the audit below, with their pairwise "
        "ANDs (on English or unsure text; `[question]` on any). The language read is not a "
        'feature: as a one-hot, "too short to tell" learned to mean harassment.',
        "- Appended crisis: "
        f"{meta.get('n_augmented', '?')} training texts are built from the training split by "
        "appending a crisis text of the same language to abuse (labelled harassment and "
        "crisis) or to venting and look-alikes (crisis only), so crisis words appended to "
        "abuse give CRISIS_HOLD instead of diluting the abuse. Thresholds are chosen on the "
        "written texts only.",
        "- One logistic regression per label (liblinear, balanced class weights, "
        f"C={meta.get('C', {})}); Platt calibration on out-of-fold decision values "
        f"({meta.get('cv_folds', '?')} group folds of the training split). Sample weights "
        f"{meta.get('sample_weights', {})}: in the crisis fit each look-alike (a hard "
        "negative other than venting) counts 6 times, chosen in cross-validation on the "
        "training split by the look-alikes over the 95%-recall threshold (16.2% -> 14.2%). "
        "The fits run on two threads.",
        f"- Trained on {meta.get('n_examples', '?')} examples ({meta.get('n_by_lang', {})}) "
        f"in {meta.get('train_seconds', '?')} s; scikit-learn {meta.get('sklearn_version', '?')}.",
        "- Files: `moderation/model/manifest.json` (settings, patterns, calibration, "
        "thresholds, metadata) and `model.npz` (numpy arrays, loaded with "
        "`allow_pickle=False`). No pickle. A test re-scores reference texts stored at "
        "training time to 1e-6, so scikit-learn may move within the range in pyproject.toml.",
        "",
        "## Thresholds (chosen on out-of-fold training scores only)",
        "",
    ]
    for label in LABELS:
        lines.append(f"- {label}: {rules.get(label, '?')} -> {oof.get(label, {})}")
    lines += [
        "",
        "These are the defaults of `bbs.moderation_queue.policy.ModerationThresholds`.",
        "",
        "## Data",
        "",
        "- `seed.jsonl` (4,678 English texts, the first generation's set, written by the "
        "project; see `data/DATASHEET.md`).",
        "- `written/en_crisis_side.jsonl` (3,002) and `written/en_abuse_side.jsonl` (3,000): "
        "English, each written by hand by a helper author (an AI writing session) that never "
        "opened the independent set; the crisis side covers indirect, misspelt, angry, "
        "third-person and late-revealed crisis and its look-alikes; the abuse side breaks the "
        '"you" = harassment and link/number/"free" = spam shortcuts.',
        "- `written/es.jsonl`, `pt.jsonl`, `fr.jsonl`, `de.jsonl` (1,200 each): written "
        "directly in each language by helper authors (not translated), regional voices; "
        "see `written/README_*.md`.",
        "- `written/extra_{en,es,fr,de,pt}.jsonl` (1,204 in all, 228-281 per language): a "
        "second pass by one helper author that never opened the independent set, written "
        "after the first model's aggregate misses: look-alikes in every language (moving, "
        "batteries, weekends away, finished work, retirement, idioms, recovery day counts, "
        "grief, reassurance), the crisis posts they mirror, angry crisis posts that insult "
        'no member, harassment with and without "you" (group hate, dog-whistles, mocking '
        "self-harm, incitement, short insults); see `written/README_extra.md`.",
        "- `written/extra2_{en,es,fr,de,pt}.jsonl` (1,492 in all, 191-330 per language): a "
        "third pass by one helper author that never opened the independent set, written "
        "after the second model's aggregate misses: look-alikes in every language's own "
        'idiom ("I can\'t anymore" about chores, endings, leaving, goodbyes at work, medical '
        "news taken calmly, gallows humour, relief, recovery milestones, grief, support and "
        "crisis lines given to others, dark songs and books), the crisis posts they mirror, "
        'and harassment mostly without "you" (members insulted in the third person, group '
        "hate with masked slurs, dog-whistles, mocking people who struggle, incitement) with "
        "its look-alikes (abuser venting, swearing, banter); see `written/README_extra2.md`.",
        "- `written/abuse4_*`, `crisis4_*`, `you5_*`, `links5_*` and `chat6_*` (1,323, 1,409,"
        " 1,215, 1,260 and 1,136; 226-298 per language each): a fourth pass by five helper "
        "authors that never opened the independent set, given only findings on the training "
        "data's validation split and the product's own tests: harassment without \"you\" and "
        "its look-alikes; everyday look-alikes of crisis and the crisis posts close to them; "
        'warm and joking posts to "you" against harassment aimed at "you"; members\' links, '
        "helplines, money talk and free groups against promotion and scams; short chat-room "
        "lines with and without @mentions; see "
        "`written/README_{abuse4,crisis4,you5,links5,chat6}.md`.",
        "- All variants of one text share a `group` and stay on one side of every split.",
        "",
        "## Pattern audit",
        "",
        "Share of texts each hand-written pattern fires on, per label, on the training data "
        "(crisis; harassment that is not crisis; spam; hard negatives = unlabelled texts that "
        "are not small talk). A pattern that is not itself the label's concept and fires on "
        "more than 3x as many texts of a label as of hard negatives is a proxy: dropped.",
        "",
        _audit_table(audit) if audit else "(run `bbs moderation evaluate --shipped` to fill)",
        "",
        "## Limits",
        "",
        "- A bag of n-grams and phrase patterns: indirect goodbyes, sarcasm and quoted abuse "
        "remain the hardest cases (see the per-language figures above).",
        "- The written training data and the independent set were both written by AI helper "
        "sessions from the same label rules; real posts will differ. Retraining from sysop "
        "decisions (`bbs moderation retrain`) is how it improves.",
        "- No native speaker reviewed the non-English texts (see the datasheets).",
        "- Crisis is recall-first: at the threshold that finds >= 95% of crisis texts out of "
        "fold, many look-alikes (recovery stories, dark idioms, ordinary goodbyes, calm "
        "wills and retirements) also get the private crisis note, more in es/fr/de/pt, which "
        'have about 2,600-2,700 texts each against 10,700 in English (see "hard negatives '
        "as crisis\" above against the 5% target). On the training data's validation split "
        "the share is about 12-13% at the threshold that finds 95% out of fold: a bag of "
        'n-grams cannot tell "I won\'t need them" from "I won\'t need it in the new flat" '
        "often enough. The note is kind and hides nothing.",
        "- Harassment is held at the lowest threshold that holds <= 3% of the training "
        "split's look-alikes and <= 2% of its sad venting out of fold (the targets); the "
        'training look-alikes (abuser venting with quoted abuse, supportive "you", '
        "swearing) are hard, so that threshold is high, and short insults without context "
        "and group hate in other languages are the misses.",
        "- Tried and not kept (compared on training-data folds or the validation split "
        "only): harassment as the highest of each sentence's score (out-of-fold recall at 2% "
        "unlabelled fell from 0.75 to 0.49); scoring harassment on the text without its "
        "crisis sentences (held 11 instead of 3 crisis texts of the validation split); "
        "per-language crisis offsets (no gain); a language one-hot feature (a proxy); "
        "crisis C of 1, 4, 8 or 64 instead of 16, naive-Bayes scaled features, and a 10x "
        "look-alike weight (no gain out of fold); moving hold budget from spam to "
        "harassment (out-of-fold harassment recall 0.74 -> 0.78 at the cost of spam recall "
        "0.89 -> 0.75).",
        "- Long texts are scored on their first 6,000 and last 2,000 characters.",
        "",
    ]
    return "\n".join(lines)

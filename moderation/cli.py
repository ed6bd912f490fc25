"""`bbs moderation ...` subcommands: train, evaluate, score, retrain, rollback, versions."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bbs.moderation_queue.policy import LabelledText, ModerationThresholds, decide

__all__ = ["load_decisions", "main", "register"]

Handler = Callable[[argparse.Namespace], int]
PACKAGE_DIR = Path(__file__).parent
SHIPPED_CARD = PACKAGE_DIR / "MODEL_CARD.md"


def _default_data_dir() -> Path:
    return Path(os.environ.get("BBS_DATA_DIR") or "./bbs-data")


# ---- integration point ----------------------------------------------------------------------
def load_decisions(data_dir: Path) -> list[LabelledText]:
    """Labelled examples from sysop decisions on held or reported items, from the database."""
    from bbs.moderation_queue.examples import load_labelled_examples

    return list(load_labelled_examples(data_dir))


# ---------------------------------------------------------------------------------------------


def _thresholds(args: argparse.Namespace) -> ModerationThresholds:
    values: dict[str, object] = {}
    for label in ("harassment", "spam", "crisis"):
        v = getattr(args, f"{label}_threshold", None)
        if v is not None:
            values[label] = v
    return ModerationThresholds.from_mapping(values)


def _add_common(p: argparse.ArgumentParser, thresholds: bool = False) -> None:
    p.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="data directory holding moderation/ versions (default: $BBS_DATA_DIR or ./bbs-data)",
    )
    if thresholds:
        for label in ("harassment", "spam", "crisis"):
            p.add_argument(
                f"--{label}-threshold",
                type=float,
                default=None,
                metavar="P",
                help=f"{label} score in [0,1] at or above which the policy acts "
                "(default: the policy default)",
            )


def _data_dir(args: argparse.Namespace) -> Path:
    d: Path | None = args.data_dir
    return d if d is not None else _default_data_dir()


def cmd_train(args: argparse.Namespace) -> int:
    from moderation.store import SHIPPED_DIR, ModelStore, save_dir
    from moderation.train import train_default_model

    started = time.perf_counter()
    model = train_default_model()
    took = time.perf_counter() - started
    if args.ship:
        save_dir(model, SHIPPED_DIR)
        print(f"trained in {took:.1f} s; wrote the shipped model to {SHIPPED_DIR}")
        return 0
    store = ModelStore.for_data_dir(_data_dir(args))
    version = store.save(model, extra={"n_extra": 0}, make_current=not args.no_activate)
    state = "now current" if not args.no_activate else "not activated"
    print(f"trained in {took:.1f} s; saved {version} in {store.root} ({state})")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from moderation.dataset import load_training
    from moderation.evaluate import evaluate_all, format_report, format_targets, model_card
    from moderation.model import load_model
    from moderation.store import load_shipped
    from moderation.train import pattern_audit

    if args.shipped:
        model = load_shipped()
        card = args.card or SHIPPED_CARD
    else:
        data_dir = _data_dir(args)
        model = load_model(data_dir)
        card = args.card or (data_dir / "moderation" / "MODEL_CARD.md")
    report = evaluate_all(model, _thresholds(args), independent=not args.no_independent)
    independent = report.get("independent")
    if independent is not None:
        print("## Targets on the independent test set")
        print(format_targets(independent))
        print()
    print(format_report(report, errors=args.errors))
    card.parent.mkdir(parents=True, exist_ok=True)
    card.write_text(model_card(report, pattern_audit(load_training())), encoding="utf-8")
    print(f"model card written to {card}")
    return 0


def _score_stream(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from moderation.model import load_model

    model = load_model(_data_dir(args))
    thresholds = _thresholds(args)
    # Lines are scored in batches: far faster than one at a time, still streaming.
    batch: list[str] = []

    def flush() -> None:
        for text, scores in zip(batch, model.score(batch), strict=True):
            row = {
                "text": text,
                "scores": {k: round(v, 4) for k, v in scores.as_dict().items()},
                "action": decide(scores, thresholds).value,
                "why": model.explain(text, top=args.top) if args.top > 0 else {},
            }
            stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        stdout.flush()
        batch.clear()

    for line in stdin:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= 256:
            flush()
    if batch:
        flush()
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    # Undecodable bytes must not stop the stream: replace them like any other odd input.
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    return _score_stream(args, stdin, sys.stdout)


def cmd_retrain(args: argparse.Namespace) -> int:
    from moderation.retrain import retrain

    data_dir = _data_dir(args)
    extra = load_decisions(data_dir)
    result = retrain(data_dir, extra, _thresholds(args))
    print(f"examples from sysop decisions: {result.n_extra}")
    print("training-data validation split    new      current")
    for label in ("harassment", "spam", "crisis"):
        n, o = result.new.labels[label], result.old.labels[label]
        print(f"  {label:<12} ROC-AUC         {n.roc_auc:.4f}   {o.roc_auc:.4f}")
    new, old = result.new, result.old
    print(f"  crisis recall (policy)       {new.crisis_recall:.4f}   {old.crisis_recall:.4f}")
    print(
        f"  hard negatives held          {new.hard_negative_held:.4f}   "
        f"{old.hard_negative_held:.4f}"
    )
    print(
        f"  hard negatives as crisis     {new.hard_negative_crisis:.4f}   "
        f"{old.hard_negative_crisis:.4f}"
    )
    print(f"decided by: {result.decision}")
    if result.kept:
        print(f"kept: new model saved as {result.version} and made current")
        return 0
    print("not kept: " + "; ".join(result.reasons))
    print(f"current model stays {result.current}")
    return 0 if not args.strict else 3


def cmd_rollback(args: argparse.Namespace) -> int:
    from moderation.store import ModelStore

    store = ModelStore.for_data_dir(_data_dir(args))
    before = store.current()
    try:
        after = store.rollback(args.to)
    except ValueError as exc:
        print(f"rollback failed: {exc}", file=sys.stderr)
        return 2
    print(f"current model: {before} -> {after}")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from moderation.store import ModelStore

    store = ModelStore.for_data_dir(_data_dir(args))
    versions = store.versions()
    cur = store.current()
    print(f"{'*' if cur == 'shipped' else ' '} shipped (in the package)")
    for v in versions:
        saved = v.manifest.get("saved_at", "?")
        n_extra = v.manifest.get("n_extra", "?")
        print(f"{'*' if v.current else ' '} {v.name}  saved {saved}  sysop examples {n_extra}")
    return 0


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    func: Handler,
    *,
    help: str,
    description: str,
    thresholds: bool = False,
) -> argparse.ArgumentParser:
    """One subcommand: its help, the options every command takes, and what it runs."""
    p = sub.add_parser(name, help=help, description=description)
    _add_common(p, thresholds=thresholds)
    p.set_defaults(func=func)
    return p


def _flag(p: argparse.ArgumentParser, name: str, help: str) -> None:
    p.add_argument(name, action="store_true", help=help)


def register(parser: argparse.ArgumentParser) -> None:
    """Add the moderation subcommands to the `bbs moderation` parser."""
    sub = parser.add_subparsers(dest="moderation_command", metavar="COMMAND", required=True)

    p = _command(
        sub,
        "train",
        cmd_train,
        help="train the model on the training data and save it as a new version",
        description="Train on the training split of all training data (seed + written, five "
        "languages; deterministic, a minute or two) and save it as a new version in the data "
        "directory, made current.",
    )
    _flag(
        p,
        "--ship",
        "write the shipped model in the package (moderation/model/) instead (maintainers)",
    )
    _flag(p, "--no-activate", "save the version without making it current")

    p = _command(
        sub,
        "evaluate",
        cmd_evaluate,
        help="print per-label precision/recall/F1/ROC-AUC and write a model card",
        description="Evaluate the current model on the frozen independent test set (first; "
        "sha256-checked) and the validation split of the training data; print the targets "
        "and tables and write a model card (Markdown).",
        thresholds=True,
    )
    _flag(p, "--shipped", "evaluate the shipped model and write moderation/MODEL_CARD.md")
    p.add_argument("--card", type=Path, default=None, help="where to write the model card")
    _flag(p, "--no-independent", "skip the independent test set (validation split only)")
    p.add_argument(
        "--errors", type=int, default=0, metavar="N", help="also list N wrong actions per set"
    )

    p = _command(
        sub,
        "score",
        cmd_score,
        help="score one text per stdin line, one JSON object per stdout line",
        description='Read one text per line on stdin; write {"text", "scores", "action", '
        '"why"} as one JSON object per line.',
        thresholds=True,
    )
    p.add_argument(
        "--top",
        type=int,
        default=5,
        metavar="N",
        help="terms per label in the explanation ('why'); 0 to skip (faster)",
    )

    p = _command(
        sub,
        "retrain",
        cmd_retrain,
        help="train on the training data + sysop decisions; keep only if no worse",
        description="Train on the training split plus labelled sysop decisions. The new "
        "model is kept (as a new, current version) only if it is no worse than the current "
        "one on the validation split of the training data (ROC-AUC of harassment and spam "
        "within 0.002; crisis recall and hard-negative rates within 0.01); the output names "
        "the figure that decided. Earlier versions are kept for rollback.",
        thresholds=True,
    )
    _flag(p, "--strict", "exit with status 3 when the new model is not kept")

    p = _command(
        sub,
        "rollback",
        cmd_rollback,
        help="go back to the previous model version (or a named one)",
        description="Point the current model at the version before it, or at --to VERSION "
        "('shipped' for the model in the package). Versions are never deleted.",
    )
    p.add_argument("--to", default=None, metavar="VERSION", help="e.g. v0002 or shipped")

    _command(
        sub,
        "versions",
        cmd_versions,
        help="list saved model versions; * marks the current one",
        description="List the shipped model and the versions in the data directory.",
    )


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m moderation.cli ...`) for use before the bbs CLI exists."""
    parser = argparse.ArgumentParser(prog="bbs moderation", description="Moderation model tools.")
    register(parser)
    args = parser.parse_args(argv)
    func: Handler = args.func
    return func(args)


if __name__ == "__main__":
    raise SystemExit(main())

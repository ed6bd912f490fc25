"""`bbs moderation` subcommands: parser wiring, score JSON lines, train/versions/rollback."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from moderation import cli
from moderation.model import ModerationModel
from moderation.store import ModelStore


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bbs moderation")
    cli.register(parser)
    return parser


def test_register_adds_subcommands_with_help() -> None:
    parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {"train", "evaluate", "score", "retrain", "rollback"} <= set(sub.choices)
    for choice in sub._choices_actions:
        assert choice.help
    for name in ("train", "evaluate", "score", "retrain", "rollback"):
        args = parser.parse_args([name, "--data-dir", "/tmp/x"])
        assert callable(args.func) and args.data_dir == Path("/tmp/x")


def test_data_dir_default_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BBS_DATA_DIR", "/srv/bbs")
    args = _parser().parse_args(["rollback"])
    assert cli._data_dir(args) == Path("/srv/bbs")
    monkeypatch.delenv("BBS_DATA_DIR")
    assert cli._data_dir(args) == Path("./bbs-data")


def test_score_json_lines(tmp_path: Path) -> None:
    args = _parser().parse_args(["score", "--data-dir", str(tmp_path), "--top", "3"])
    stdin = io.StringIO("I want to kill myself tonight\n\nkys loser\nhello friends 🙂\n")
    out = io.StringIO()
    assert cli._score_stream(args, stdin, out) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["text"] for r in rows] == [
        "I want to kill myself tonight",
        "",
        "kys loser",
        "hello friends 🙂",
    ]
    for r in rows:
        assert set(r) == {"text", "scores", "action", "why"}
        assert set(r["scores"]) == {"harassment", "spam", "crisis"}
        assert r["action"] in {"allow", "hold", "crisis", "crisis_hold"}
        assert set(r["why"]) == {"harassment", "spam", "crisis"}
        assert all(len(v) <= 3 for v in r["why"].values())
    assert [r["action"] for r in rows] == ["crisis", "allow", "hold", "allow"]
    assert rows[0]["why"]["crisis"] and isinstance(rows[0]["why"]["crisis"][0][0], str)


def test_bad_threshold_flag_is_an_error(tmp_path: Path) -> None:
    args = _parser().parse_args(["score", "--data-dir", str(tmp_path), "--crisis-threshold", "2"])
    with pytest.raises(ValueError, match="crisis"):
        cli._score_stream(args, io.StringIO("hi\n"), io.StringIO())


def test_train_versions_rollback(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    weak_model: ModerationModel,
) -> None:
    import moderation.train

    def small() -> ModerationModel:
        # The command's wiring is under test; the shipped recipe takes a minute or two.
        return weak_model

    monkeypatch.setattr(moderation.train, "train_default_model", small)
    parser = _parser()
    args = parser.parse_args(["train", "--data-dir", str(tmp_path)])
    assert args.func(args) == 0
    store = ModelStore.for_data_dir(tmp_path)
    assert store.current() == "v0001"
    args = parser.parse_args(["versions", "--data-dir", str(tmp_path)])
    assert args.func(args) == 0
    assert "* v0001" in capsys.readouterr().out
    args = parser.parse_args(["rollback", "--data-dir", str(tmp_path)])
    assert args.func(args) == 0
    assert store.current() == "shipped"
    assert args.func(args) == 2  # nothing older than shipped


def test_load_decisions_falls_back_to_empty(tmp_path: Path) -> None:
    assert isinstance(cli.load_decisions(tmp_path), list)

"""Versioned models in the data dir: save, current pointer, rollback, retrain keep/reject."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from bbs.moderation_queue.policy import LabelledText
from moderation.dataset import Example
from moderation.model import ModerationModel, load_model
from moderation.retrain import retrain
from moderation.store import SHIPPED_DIR, ModelStore, load_dir, save_dir


def test_save_list_current_rollback(tmp_path: Path, shipped: ModerationModel) -> None:
    store = ModelStore.for_data_dir(tmp_path)
    assert store.current() == "shipped" and store.versions() == []
    assert load_model(tmp_path).meta.get("version") == "shipped"
    v1 = store.save(shipped)
    v2 = store.save(shipped)
    assert (v1, v2) == ("v0001", "v0002")
    assert store.current() == v2
    assert [v.name for v in store.versions()] == [v1, v2]
    assert [v.current for v in store.versions()] == [False, True]
    assert load_model(tmp_path).meta["version"] == v2
    assert store.rollback() == v1
    assert load_model(tmp_path).meta["version"] == v1
    assert store.rollback() == "shipped"
    with pytest.raises(ValueError):
        store.rollback()
    assert store.rollback(to=v2) == v2
    with pytest.raises(ValueError):
        store.rollback(to="v0099")
    # Every version is still there.
    assert [v.name for v in store.versions()] == [v1, v2]


def test_loaded_model_scores_like_saved(tmp_path: Path, shipped: ModerationModel) -> None:
    save_dir(shipped, tmp_path / "m")
    again = load_dir(tmp_path / "m")
    texts = ["I want to die", "kys", "hello"]
    assert again.score(texts) == shipped.score(texts)


def test_corrupt_version_falls_back(tmp_path: Path, shipped: ModerationModel) -> None:
    store = ModelStore.for_data_dir(tmp_path)
    v = store.save(shipped)
    (store.versions_dir / v / "model.npz").write_bytes(b"not numpy")
    with pytest.raises(ValueError, match="checksum"):
        store.load(v)
    # The board keeps running on the shipped model.
    assert load_model(tmp_path).meta.get("version") == "shipped"


def test_retrain_rejects_worse_model(tmp_path: Path, weak_model: ModerationModel) -> None:
    result = retrain(tmp_path, [], candidate=weak_model)
    assert not result.kept and result.reasons
    # The output names the label and the figure that decided.
    assert result.decision.startswith("refused by ")
    assert any(word in result.decision for word in ("harassment", "spam", "crisis", "hard"))
    assert ModelStore.for_data_dir(tmp_path).current() == "shipped"
    assert ModelStore.for_data_dir(tmp_path).versions() == []


def test_retrain_keeps_no_worse_model_and_prior_versions(
    tmp_path: Path, shipped: ModerationModel
) -> None:
    store = ModelStore.for_data_dir(tmp_path)
    first = store.save(shipped)
    result = retrain(tmp_path, [], candidate=shipped)
    assert result.kept and result.version == "v0002"
    assert store.current() == "v0002"
    assert [v.name for v in store.versions()] == [first, "v0002"]
    assert store.rollback() == first


def test_retrain_with_decisions_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, weak_model: ModerationModel
) -> None:
    import moderation.train

    seen: list[int] = []

    def small(extra: Sequence[Example] = ()) -> ModerationModel:
        # The shipped recipe takes a minute or two; the wiring is what is under test here.
        seen.append(len(extra))
        return weak_model

    monkeypatch.setattr(moderation.train, "train_default_model", small)
    decisions = [
        LabelledText("ur posts are trash, go away", harassment=True, spam=False, crisis=False),
        LabelledText("fuck this rain, so done with it", harassment=False, spam=False, crisis=False),
        LabelledText("selling cheap phone cases, dm", harassment=False, spam=True, crisis=False),
        LabelledText("i'm going to end it after work", harassment=False, spam=False, crisis=True),
    ]
    result = retrain(tmp_path, decisions)
    assert result.n_extra == 4 and seen == [4]
    store = ModelStore.for_data_dir(tmp_path)
    assert not result.kept and store.current() == "shipped" and result.reasons


def test_shipped_model_is_small() -> None:
    size = sum(p.stat().st_size for p in SHIPPED_DIR.iterdir() if p.is_file())
    assert size <= 20 * 1024 * 1024


def test_copy_of_data_dir_loads(tmp_path: Path, shipped: ModerationModel) -> None:
    store = ModelStore.for_data_dir(tmp_path / "a")
    store.save(shipped)
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    assert load_model(tmp_path / "b").meta["version"] == "v0001"


def test_old_pickle_version_is_never_loaded(
    tmp_path: Path, shipped: ModerationModel, caplog: pytest.LogCaptureFixture
) -> None:
    store = ModelStore.for_data_dir(tmp_path)
    old = store.versions_dir / "v0001"
    old.mkdir(parents=True)
    (old / "manifest.json").write_text("{}", encoding="utf-8")
    (old / "model.pkl").write_bytes(b"\x80\x04 old pickle")
    (store.root / "CURRENT").write_text("v0001\n", encoding="utf-8")
    with caplog.at_level("WARNING"):
        model = load_model(tmp_path)
    assert model.meta["version"] == "shipped"
    assert "not loaded" in caplog.text and "retrain" in caplog.text
    with pytest.raises(ValueError, match="pickle"):
        load_dir(old)

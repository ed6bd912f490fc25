"""The moderation model's versions shared through the database (issue 19): a version
published or rolled back on one node (or from a shell) is loaded by every node; a node that
starts takes the shared version; the first node gives the database the versions it had."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from support import cluster_nodes, wait_until

from bbs import model_versions
from bbs.community import Community
from bbs.config import Settings
from moderation.model import ModerationModel, load_model
from moderation.store import ModelStore, load_shipped
from server.cli import main
from server.model_sync import SharedModel, push


@pytest.fixture(scope="module")
def shipped() -> ModerationModel:
    return load_shipped()


def _shared(node: Community) -> SharedModel:
    data_dir = node.settings.data_dir
    return SharedModel(
        node.store, node.events, data_dir, node.moderation, lambda: load_model(data_dir)
    )


def _version_in_use(node: Community) -> str:
    return str(getattr(node.moderation.scorer, "meta", {}).get("version", ""))


async def test_a_model_published_on_one_node_is_used_on_another(
    postgres_url: str, settings: Settings, tmp_path: Path, shipped: ModerationModel
) -> None:
    async with cluster_nodes(settings, postgres_url, tmp_path) as nodes:
        one, two = nodes
        models = [_shared(one), _shared(two)]
        try:
            for node, model in zip(nodes, models, strict=True):
                assert await model.start() == "shipped"
                node.moderation.set_scorer(load_model(node.settings.data_dir))
                model.follow()
            assert _version_in_use(two) == "shipped"
            # Node one retrains (as `bbs moderation retrain` would) and publishes.
            one_dir = one.settings.data_dir
            name = await asyncio.to_thread(
                ModelStore.for_data_dir(one_dir).save, shipped, {"n_extra": 3}
            )
            assert await one.store.write(lambda s: push(s, one_dir))
            await wait_until(
                lambda: _version_in_use(two) == name, f"node two using {name}", timeout=15
            )
            assert ModelStore.for_data_dir(two.settings.data_dir).current() == name
            await wait_until(lambda: _version_in_use(one) == name, "node one using it too")
            # Rolled back on node one: node two goes back as well.
            await asyncio.to_thread(ModelStore.for_data_dir(one_dir).rollback)
            await one.store.write(lambda s: push(s, one_dir))
            await wait_until(
                lambda: _version_in_use(two) == "shipped", "node two back on shipped", timeout=15
            )
            # A node starting later takes the shared version, whatever its own files say.
            await one.store.write(lambda s: model_versions.use(s, name))
            late = ModelStore(tmp_path / "late" / "moderation")
            late_node = SharedModel(
                two.store, two.events, tmp_path / "late", two.moderation, lambda: None
            )
            assert await late_node.start() == name
            assert late.current() == name
        finally:
            for model in models:
                await model.stop()


async def test_the_first_node_shares_the_versions_it_had(
    community: Community, shipped: ModerationModel
) -> None:
    data_dir = community.settings.data_dir
    # A community from before this issue: a retrained version in its data directory.
    name = await asyncio.to_thread(ModelStore.for_data_dir(data_dir).save, shipped)
    model = _shared(community)
    assert await model.start() == name
    with community.database.read() as session:
        assert model_versions.in_use(session) == name
        assert model_versions.names(session) == [name]
    # And a second start changes nothing.
    assert await model.start() == name


async def test_a_rollback_from_the_shell_reaches_the_running_node(
    community: Community, shipped: ModerationModel
) -> None:
    data_dir = community.settings.data_dir
    store = ModelStore.for_data_dir(data_dir)
    first = await asyncio.to_thread(store.save, shipped)
    second = await asyncio.to_thread(store.save, shipped)
    model = _shared(community)
    assert await model.start() == second
    community.moderation.set_scorer(load_model(data_dir))
    await community.start_live()  # follows what the shell posts
    model.follow()
    try:
        code = await asyncio.to_thread(
            main, ["moderation", "rollback", "--to", first, "--data-dir", str(data_dir)]
        )
        assert code == 0
        await wait_until(lambda: _version_in_use(community) == first, f"the node using {first}")
        with community.database.read() as session:
            assert model_versions.in_use(session) == first
    finally:
        await model.stop()
        await community.stop_live()


async def test_the_model_panel_retrains_on_one_node_at_a_time(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collections.abc import Callable

    from bbs.cluster import Singletons
    from bbs.moderation_queue.gate import ModerationGate
    from server.model_ops import RETRAIN_JOB, ServerModelOperations

    other, mine = Singletons(postgres_url), Singletons(postgres_url)
    gate = ModerationGate(None)
    runs: list[tuple[str, ...]] = []

    async def child(*args: str, on_line: Callable[[str], None]) -> int:
        runs.append(args)  # stands in for minutes of `bbs moderation retrain`
        on_line("kept: new model saved as v0001 and made current")
        return 0

    ops = ServerModelOperations(tmp_path, gate, lambda: None, singletons=mine)
    monkeypatch.setattr(ops, "_run", child)
    try:
        assert await other.runs(RETRAIN_JOB)  # another node is retraining
        said: list[str] = []
        assert not await ops.retrain(said.append)
        assert runs == [] and "Another node is retraining" in said[0]
        await other.release(RETRAIN_JOB)
        assert await ops.retrain(said.append)
        assert runs == [("retrain",)]
        assert await other.runs(RETRAIN_JOB)  # released once done
    finally:
        await other.close()
        await mine.close()
        gate.close()


async def test_a_local_version_numbered_like_a_shared_one_is_kept_aside(
    community: Community, shipped: ModerationModel
) -> None:
    import hashlib
    import json

    from server.model_sync import pull

    data_dir = community.settings.data_dir
    store = ModelStore.for_data_dir(data_dir)
    local = await asyncio.to_thread(store.save, shipped)  # this node's own v0001
    arrays = b"another node's arrays"
    manifest = json.dumps({"arrays_sha256": hashlib.sha256(arrays).hexdigest()})
    with community.database.write() as session:
        model_versions.add_version(session, local, manifest, arrays)
        model_versions.use(session, local)
        assert pull(session, data_dir) == local
    assert (store.versions_dir / local / "model.npz").read_bytes() == arrays
    kept = [p.name for p in store.versions_dir.iterdir() if p.name.startswith(f"{local}.local-")]
    assert len(kept) == 1 and (store.versions_dir / kept[0] / "model.npz").is_file()
    # The database's name is never taken over by this node's different one.
    with community.database.write() as session, pytest.raises(ValueError, match="other contents"):
        model_versions.add_version(session, local, "{}", b"yet another")

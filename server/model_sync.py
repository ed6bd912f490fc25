"""The moderation model's versions shared through the database (bbs.model_versions).

The database holds every retrained version and names the one in use; each node's data
directory (`moderation/versions/`, `CURRENT`) is that node's copy, which the model loader
reads. `pull` brings a node's copy up to the database's; `push` gives the database what a
retrain or rollback made here and names it in use, announcing `ModelChanged` so every node
pulls and loads it. All of it is blocking: run it in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bbs import model_versions
from bbs.db import Database
from bbs.events import EventBus, Subscription
from bbs.moderation_queue.gate import ModerationGate
from bbs.posted_events import post_announcements
from bbs.store import Store
from moderation.model import ARRAYS_FILE, MANIFEST_FILE
from moderation.store import ModelStore

log = logging.getLogger(__name__)


def _local_sha(store: ModelStore, name: str) -> str | None:
    try:
        manifest = json.loads((store.versions_dir / name / MANIFEST_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    digest = manifest.get("arrays_sha256")
    return str(digest) if digest else None


def _write_version(store: ModelStore, version: model_versions.StoredVersion) -> None:
    """Put a version from the database into this node's copy (whole, or not at all).

    Workers of one `bbs serve --workers N` share a data directory and may copy the same
    version at once: whoever lands first wins, the others find it there.
    """
    digest = hashlib.sha256(version.arrays).hexdigest()
    store.versions_dir.mkdir(parents=True, exist_ok=True)
    target = store.versions_dir / version.name
    if _local_sha(store, version.name) == digest:
        return
    if target.exists():
        # This node numbered a model of its own alike: keep it aside, never loaded.
        aside = target.with_name(f"{version.name}.local-{int(time.time())}-{os.getpid()}")
        log.warning("moderation: local %s differs from the shared one; kept as %s", target, aside)
        with contextlib.suppress(FileNotFoundError):
            os.replace(target, aside)
    tmp = Path(tempfile.mkdtemp(dir=store.versions_dir, prefix=".incoming-"))
    try:
        (tmp / ARRAYS_FILE).write_bytes(version.arrays)
        (tmp / MANIFEST_FILE).write_text(version.manifest, encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if _local_sha(store, version.name) != digest:
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def pull(session: Session, data_dir: Path) -> str | None:
    """Copy the database's versions this node lacks and point CURRENT at the one in use.

    Returns the version in use, or None when none was ever published (this node's own
    copy then stands, until `push`).
    """
    store = ModelStore.for_data_dir(data_dir)
    for held in model_versions.names(session):
        if _local_sha(store, held) != model_versions.sha256(session, held):
            version = model_versions.fetch(session, held)
            if version is not None:
                _write_version(store, version)
    name = model_versions.in_use(session)
    if name is not None and store.current() != name:
        store.set_current(name)
    return name


def push(session: Session, data_dir: Path) -> bool:
    """Give the database this node's versions it lacks and name this node's current one in
    use (announced: every node loads it). True if the version in use changed."""
    store = ModelStore.for_data_dir(data_dir)
    for info in store.versions():
        try:
            arrays = (info.path / ARRAYS_FILE).read_bytes()
            manifest = (info.path / MANIFEST_FILE).read_text(encoding="utf-8")
        except OSError:
            continue  # an old pickle or a broken version: never shared
        if hashlib.sha256(arrays).hexdigest() != info.manifest.get("arrays_sha256"):
            log.warning("moderation: %s does not match its manifest; not shared", info.path)
            continue
        try:
            model_versions.add_version(session, info.name, manifest, arrays)
        except ValueError as error:
            log.warning("moderation: %s", error)
    current = store.current()
    if current != model_versions.SHIPPED and model_versions.sha256(session, current) != _local_sha(
        store, current
    ):
        return False  # another node's model holds that name: the database's stands
    return model_versions.use(session, current)


def start(session: Session, data_dir: Path) -> str:
    """At a node's start: the first node gives the database its versions; every later one
    takes the database's. Returns the version in use."""
    if model_versions.in_use(session) is None:
        push(session, data_dir)
    return pull(session, data_dir) or model_versions.SHIPPED


@contextmanager
def shared(database: Database, data_dir: Path) -> Iterator[None]:
    """Around `bbs moderation train|retrain|rollback` in a shell (or the server's child):
    start from the shared version, one node at a time, and share the result, which every
    running node then loads (bbs.posted_events)."""

    @contextmanager
    def one_at_a_time() -> Iterator[None]:
        # SQLite is one node (and its turn would stall the server's writes for minutes).
        if database.is_sqlite:
            yield
        else:
            with database.one_at_a_time("model-retrain"):
                yield

    with one_at_a_time():
        with database.write() as session:
            pull(session, data_dir)
        yield
        with database.write() as session:
            push(session, data_dir)
            post_announcements(session)


class SharedModel:
    """This node's end of the shared model: at start it agrees with the database (the
    first node gives it its versions), and whenever any node publishes or rolls back a
    version (`ModelChanged`, through the bus or from a shell) it copies that version and
    loads it."""

    def __init__(
        self,
        store: Store,
        events: EventBus,
        data_dir: Path,
        gate: ModerationGate,
        loader: Callable[[], Any],
    ) -> None:
        self._store = store
        self._events = events
        self._data_dir = data_dir
        self._gate = gate
        self._loader = loader
        self._subscription: Subscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._again = False
        # The version this node has loaded (None until `start`).
        self.loaded: str | None = None

    async def start(self) -> str:
        """Agree with the database (blocking work in worker threads); returns the version
        in use. Load the model after this, then `follow()`."""
        data_dir, database = self._data_dir, self._store.database

        def agree() -> str:
            # Nodes started together: one at a time, so one alone gives its versions.
            with database.one_at_a_time("model-start"):
                return self._store.write_blocking(lambda s: start(s, data_dir))

        try:
            self.loaded = await asyncio.to_thread(agree)
        except Exception:
            log.exception("moderation: could not agree on the shared model; using this node's")
            self.loaded = ModelStore.for_data_dir(data_dir).current()
        return self.loaded

    def follow(self) -> None:
        """Load every version published from now on (call on the event loop)."""
        if self._subscription is None:
            self._subscription = self._events.subscribe(
                model_versions.MODEL_TOPIC, maxsize=8, on_event=self._changed
            )

    def _changed(self) -> None:
        if self._subscription is not None:
            self._subscription.drain()
        if self._task is not None and not self._task.done():
            self._again = True  # one more look once this load is done
            return
        self._task = asyncio.get_running_loop().create_task(self._load(), name="model-sync")

    async def _load(self) -> None:
        data_dir = self._data_dir
        while True:
            self._again = False
            try:
                name = await self._store.read(lambda s: pull(s, data_dir))
                if name is not None and name != self.loaded:
                    self._gate.set_scorer(await asyncio.to_thread(self._loader))
                    self.loaded = name
                    log.info("moderation: now using model %s", name)
            except Exception:
                log.exception("moderation: could not load the shared model; keeping this one")
            if not self._again:
                return

    async def stop(self) -> None:
        if self._subscription is not None:
            self._subscription.unsubscribe()
            self._subscription = None
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


__all__ = ["SharedModel", "pull", "push", "shared", "start"]

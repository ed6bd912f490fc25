"""The model panel's operations: status from the model store, retrain and roll back in a child.

The child (`bbs moderation retrain|rollback`) starts from the version every node shares and
shares its result through the database (server.model_sync), which every node then loads.
Retraining runs on one node at a time: the holder of the "model-retrain" single job.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bbs.admin.service import ModelStatus
from bbs.cluster import Singletons
from bbs.moderation_queue.gate import ModerationGate

LABELS = ("harassment", "spam", "crisis")
# The single job (bbs.cluster) a node holds while it retrains.
RETRAIN_JOB = "model-retrain"


class ServerModelOperations:
    """Retraining runs as `bbs moderation retrain` in a child process: minutes of CPU there
    never stall the event loop every member shares; the new model is loaded afterwards."""

    def __init__(
        self,
        data_dir: Path,
        gate: ModerationGate,
        loader: Callable[[], Any],
        *,
        database_url: str | None = None,
        singletons: Singletons | None = None,
        on_loaded: Callable[[str], None] | None = None,
    ) -> None:
        self._data_dir = data_dir
        self._gate = gate
        self._loader = loader
        self._lock = asyncio.Lock()
        # The child opens the same database (a --database-url given to `bbs serve` too).
        self._database_url = database_url
        self._singletons = singletons or Singletons(None)
        self._on_loaded = on_loaded

    def _status_now(self) -> ModelStatus:
        from moderation.store import ModelStore

        store = ModelStore.for_data_dir(self._data_dir)
        current = store.current()
        versions = store.versions()
        manifest: dict[str, Any] = next((v.manifest for v in versions if v.current), {})
        validation = manifest.get("validation", {})
        evaluation = tuple(
            f"{label:<11} ROC-AUC {validation[label].get('roc_auc', 0):.3f}  "
            f"recall {validation[label].get('recall', 0):.3f}  "
            f"precision {validation[label].get('precision', 0):.3f}"
            for label in LABELS
            if isinstance(validation.get(label), dict)
        )
        return ModelStatus(
            current=current,
            versions=(ModelStore.SHIPPED, *(v.name for v in versions)),
            evaluation=evaluation or ("the shipped model: see moderation/MODEL_CARD.md",),
            examples_used=int(manifest.get("n_extra", 0)),
        )

    async def status(self) -> ModelStatus:
        return await asyncio.to_thread(self._status_now)

    async def _run(self, *args: str, on_line: Callable[[str], None]) -> int:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server.cli",
            "moderation",
            *args,
            "--data-dir",
            str(self._data_dir),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, "BBS_DATABASE_URL": self._database_url}
            if self._database_url
            else None,
        )
        assert child.stdout is not None
        async for raw in child.stdout:
            on_line(raw.decode("utf-8", "replace").rstrip())
        return await child.wait()

    async def _reload(self) -> None:
        self._gate.set_scorer(await asyncio.to_thread(self._loader))
        if self._on_loaded is not None:
            self._on_loaded((await self.status()).current)

    async def retrain(self, on_line: Callable[[str], None]) -> bool:
        async with self._lock:
            if not await self._singletons.runs(RETRAIN_JOB):
                on_line("Another node is retraining the model now; try again when it is done.")
                return False
            try:
                lines: list[str] = []

                def keep(line: str) -> None:
                    lines.append(line)
                    on_line(line)

                code = await self._run("retrain", on_line=keep)
                kept = code == 0 and any(line.startswith("kept:") for line in lines)
                if kept:
                    await self._reload()
                return kept
            finally:
                await self._singletons.release(RETRAIN_JOB)

    async def rollback(self) -> str:
        async with self._lock:
            code = await self._run("rollback", on_line=lambda _line: None)
            if code != 0:
                raise ValueError("There is no earlier model to roll back to.")
            await self._reload()
            return (await self.status()).current

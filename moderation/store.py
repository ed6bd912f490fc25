"""Versioned model files: the shipped model, and `<data_dir>/moderation/` versions + pointer."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moderation.model import ARRAYS_FILE, MANIFEST_FILE, ModerationModel

__all__ = [
    "SHIPPED_DIR",
    "ModelStore",
    "VersionInfo",
    "atomic_write",
    "load_dir",
    "load_shipped",
    "save_dir",
]

log = logging.getLogger(__name__)

SHIPPED_DIR = Path(__file__).with_name("model")
MODEL_FILE = ARRAYS_FILE
# Models before format 2 were pickles. They are never loaded (a pickle runs code, and it
# tied the model to one scikit-learn version): a version holding one is skipped.
LEGACY_PICKLE = "model.pkl"
_VERSION_RE = re.compile(r"^v(\d{4,})$")


def save_dir(model: ModerationModel, directory: Path, extra: dict[str, Any] | None = None) -> None:
    """Write model.npz and manifest.json (with the arrays' sha256) into `directory`."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    model.save(directory, {"saved_at": stamp, **(extra or {})})


def load_dir(directory: Path) -> ModerationModel:
    """Load a model directory (JSON + .npz, no pickle), refusing a mismatched checksum."""
    if not (directory / MODEL_FILE).is_file() and (directory / LEGACY_PICKLE).is_file():
        raise ValueError(
            f"{directory} holds an old pickled model, which is no longer loaded; "
            "retrain (`bbs moderation train` or `retrain`) to replace it"
        )
    return ModerationModel.load(directory)


def load_shipped() -> ModerationModel:
    model = load_dir(SHIPPED_DIR)
    model.meta["version"] = "shipped"
    return model


def atomic_write(path: Path, data: bytes) -> None:
    # Write-then-rename, so a crash never leaves a half-written model or pointer behind.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        # Model files ship in the package: readable by whoever runs the server.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class VersionInfo:
    """One saved model version and what was recorded about it."""

    name: str
    path: Path
    manifest: dict[str, Any]
    current: bool


class ModelStore:
    """Versions under `<data_dir>/moderation/versions/vNNNN/`, with `CURRENT` naming the one in use.

    No `CURRENT` (or `CURRENT` = "shipped") means the model shipped in the package.
    Versions are never deleted by this class, so a rollback can always go back.
    """

    SHIPPED = "shipped"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.versions_dir = root / "versions"
        self.pointer = root / "CURRENT"

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> ModelStore:
        return cls(Path(data_dir) / "moderation")

    def versions(self) -> list[VersionInfo]:
        if not self.versions_dir.is_dir():
            return []
        current = self.current()
        out: list[VersionInfo] = []
        for path in sorted(self.versions_dir.iterdir()):
            if not (_VERSION_RE.match(path.name) and (path / MANIFEST_FILE).is_file()):
                continue
            try:
                manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                manifest = {"error": "unreadable manifest"}
            out.append(VersionInfo(path.name, path, manifest, path.name == current))
        return sorted(out, key=lambda v: int(v.name[1:]))

    def current(self) -> str:
        """Name of the version in use, or "shipped"."""
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return self.SHIPPED
        if name == self.SHIPPED or (self.versions_dir / name / MODEL_FILE).is_file():
            return name
        return self.SHIPPED

    def save(
        self, model: ModerationModel, extra: dict[str, Any] | None = None, make_current: bool = True
    ) -> str:
        """Save `model` as the next version (and point CURRENT at it unless told not to)."""
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        numbers = [
            int(m.group(1)) for p in self.versions_dir.iterdir() if (m := _VERSION_RE.match(p.name))
        ]
        name = f"v{(max(numbers) + 1) if numbers else 1:04d}"
        # Build in a hidden temporary directory and rename it into place in one step.
        tmp = Path(tempfile.mkdtemp(dir=self.versions_dir, prefix=".incoming-"))
        try:
            save_dir(model, tmp, {"version": name, **(extra or {})})
            os.replace(tmp, self.versions_dir / name)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if make_current:
            self.set_current(name)
        return name

    def set_current(self, name: str) -> None:
        if name != self.SHIPPED and not (self.versions_dir / name / MODEL_FILE).is_file():
            raise ValueError(f"no such model version: {name!r}")
        self.root.mkdir(parents=True, exist_ok=True)
        history = self.root / "HISTORY"
        with history.open("a", encoding="utf-8") as f:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            f.write(f"{stamp} {self.current()} -> {name}\n")
        atomic_write(self.pointer, (name + "\n").encode("utf-8"))

    def rollback(self, to: str | None = None) -> str:
        """Point CURRENT at `to`, or at the version before the current one (or shipped)."""
        if to is None:
            names = [v.name for v in self.versions()]
            cur = self.current()
            if cur == self.SHIPPED:
                raise ValueError("already using the shipped model; nothing older to roll back to")
            older = [n for n in names if int(n[1:]) < int(cur[1:])]
            to = older[-1] if older else self.SHIPPED
        self.set_current(to)
        return to

    def warn_about_pickles(self) -> None:
        """Say in the log when versions here are old pickles, which are never loaded."""
        if not self.versions_dir.is_dir():
            return
        old = sorted(
            p.name
            for p in self.versions_dir.iterdir()
            if (p / LEGACY_PICKLE).is_file() and not (p / MODEL_FILE).is_file()
        )
        if old:
            log.warning(
                "moderation: %s in %s are old pickled models and are not loaded; the shipped "
                "model is used until you retrain (`bbs moderation retrain` or `train`)",
                ", ".join(old),
                self.versions_dir,
            )

    def load(self, name: str) -> ModerationModel:
        if name == self.SHIPPED:
            return load_shipped()
        model = load_dir(self.versions_dir / name)
        model.meta["version"] = name
        return model

    def load_current(self) -> ModerationModel | None:
        """The data dir's current version, or None when the shipped model is in use."""
        name = self.current()
        if name == self.SHIPPED:
            return None
        return self.load(name)

"""The moderation model's versions, held in the database so every node uses the same one.

Each retrained version is a row: its manifest (JSON text) and its arrays file (model.npz,
a few MB) as bytes, with their sha256. The version in use is one row of its own
(`ModelInUse`; none, or "shipped", means the model that ships in the package). Publishing
or rolling back announces `ModelChanged` in the same transaction, so every node (through
the bus, or `bbs.posted_events` from a shell) copies the version into its data directory
and loads it; a starting node checks too.

The core only moves bytes: reading and checking a model is the moderation package's work.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import LargeBinary, Text
from sqlmodel import Field, Session, SQLModel, col, select

from bbs.events import Event, announce, event_type
from bbs.models import Stamped, UTCDateTime, utcnow

SHIPPED = "shipped"
MODEL_TOPIC = "moderation_model"
_IN_USE = 1


@event_type("model_changed")
class ModelChanged(Event):
    """Another model version is in use now: load it."""

    name: str


class ModelVersion(Stamped, table=True):
    """One retrained model version: manifest.json and model.npz as they were written."""

    __tablename__ = "moderation_model"

    name: str = Field(primary_key=True, max_length=16)
    manifest: str = Field(sa_type=Text)
    arrays: bytes = Field(sa_type=LargeBinary)
    arrays_sha256: str = Field(max_length=64)


class ModelInUse(SQLModel, table=True):
    """The one row naming the version every node uses."""

    __tablename__ = "moderation_model_in_use"

    id: int = Field(default=_IN_USE, primary_key=True)
    name: str = Field(default=SHIPPED, max_length=16)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


@dataclass(frozen=True)
class StoredVersion:
    name: str
    manifest: str
    arrays: bytes


def in_use(session: Session) -> str | None:
    """The version every node uses, or None when none was ever published."""
    row = session.get(ModelInUse, _IN_USE)
    return row.name if row is not None else None


def names(session: Session) -> list[str]:
    """The versions held, oldest first."""
    return list(session.exec(select(ModelVersion.name).order_by(col(ModelVersion.name))).all())


def sha256(session: Session, name: str) -> str | None:
    """The held version's arrays checksum (without reading its bytes), or None."""
    found = session.exec(
        select(ModelVersion.arrays_sha256).where(col(ModelVersion.name) == name)
    ).first()
    return str(found) if found is not None else None


def fetch(session: Session, name: str) -> StoredVersion | None:
    row = session.get(ModelVersion, name)
    return None if row is None else StoredVersion(row.name, row.manifest, row.arrays)


def add_version(session: Session, name: str, manifest: str, arrays: bytes) -> bool:
    """Keep a version (once: a name held already is left as it is); True if added.

    Raises ValueError when a version of that name is held with other arrays: two nodes
    numbered different models alike, and neither may silently replace the other.
    """
    digest = hashlib.sha256(arrays).hexdigest()
    row = session.get(ModelVersion, name)
    if row is not None:
        if row.arrays_sha256 != digest:
            raise ValueError(f"model version {name} is already held with other contents")
        return False
    session.add(ModelVersion(name=name, manifest=manifest, arrays=arrays, arrays_sha256=digest))
    session.flush()
    return True


def use(session: Session, name: str) -> bool:
    """Make `name` (a held version, or "shipped") the one every node uses; True if changed."""
    if name != SHIPPED and session.get(ModelVersion, name) is None:
        raise ValueError(f"no such model version: {name!r}")
    row = session.get(ModelInUse, _IN_USE)
    if row is not None and row.name == name:
        return False
    row = row or ModelInUse(id=_IN_USE)
    row.name = name
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    announce(session, MODEL_TOPIC, ModelChanged(name))
    return True


__all__ = [
    "MODEL_TOPIC",
    "SHIPPED",
    "ModelChanged",
    "ModelInUse",
    "ModelVersion",
    "StoredVersion",
    "add_version",
    "fetch",
    "in_use",
    "names",
    "sha256",
    "use",
]

"""One server on a SQLite file: a second `bbs serve` on the same database is refused.

SQLite is the single-process default: two servers on one file would be two communities
that only share a database (separate rooms, presence and limits). `bbs serve` therefore
holds an exclusive lock on a file beside the database for its whole life. It is not the
write-turn lock (bbs.db), which every process takes for one transaction at a time: `bbs
admin ...` commands never take this one, so they keep working beside a running server.

The kernel drops the lock when the process ends, however it ends; the file itself stays
(removing it would let a starting server lock a file another is about to delete).
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

SUFFIX = ".server-lock"


class NodeLockError(RuntimeError):
    """Another server already serves this SQLite database."""


@dataclass
class NodeLock:
    """The lock a running server holds; release it when the server stops."""

    path: Path | None
    fd: int | None = None

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def lock_path(database_url: str) -> Path | None:
    """The server lock file of a SQLite database file; None for anything else."""
    url = make_url(database_url)
    name = url.database
    if url.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return None
    if name.startswith("file:"):
        return None
    return Path(name + SUFFIX)


def hold_server_lock(database_url: str) -> NodeLock:
    """Take the SQLite server lock, or raise NodeLockError saying what to do instead.

    PostgreSQL databases need no lock here: several nodes may serve one of those.
    """
    path = lock_path(database_url)
    if path is None:
        return NodeLock(None)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise NodeLockError(f"cannot create the server lock {path}: {error.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        os.close(fd)
        process = f" (process {holder})" if holder.isdigit() else ""
        raise NodeLockError(
            f"another `bbs serve`{process} is already running on {path.name[: -len(SUFFIX)]} "
            f"in {path.parent}. A SQLite community is served by one process: stop the "
            "other server first, or give this one its own --data-dir. To run several nodes "
            "of one community, move it to PostgreSQL (`bbs admin migrate-to-postgres`; "
            'README, "Several nodes"). `bbs admin ...` commands work beside the running '
            "server."
        ) from None
    except BaseException:
        os.close(fd)
        raise
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return NodeLock(path, fd)


__all__ = ["NodeLock", "NodeLockError", "hold_server_lock", "lock_path"]

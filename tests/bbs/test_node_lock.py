"""The SQLite server lock: one `bbs serve` per database file, released when it stops."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bbs.node_lock import NodeLockError, hold_server_lock, lock_path


def test_a_second_hold_is_refused_until_the_first_is_released(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bbs.sqlite3'}"
    first = hold_server_lock(url)
    try:
        with pytest.raises(NodeLockError, match="already running") as refused:
            hold_server_lock(url)
        message = str(refused.value)
        assert "PostgreSQL" in message and "bbs admin" in message
        assert str(tmp_path) in message
    finally:
        first.release()
    hold_server_lock(url).release()


def test_the_refusal_names_the_process_holding_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bbs.sqlite3'}"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from bbs.node_lock import hold_server_lock
            lock = hold_server_lock({url!r})
            print("held", flush=True)
            sys.stdin.read()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(NodeLockError, match=f"process {holder.pid}"):
            hold_server_lock(url)
    finally:
        holder.kill()
        holder.wait()
    # The kernel let go when the process died: a new server may start.
    hold_server_lock(url).release()


def test_only_sqlite_files_are_locked(tmp_path: Path) -> None:
    assert lock_path("sqlite://") is None
    assert lock_path("sqlite:///:memory:") is None
    assert lock_path("postgresql+psycopg://bbs@db/bbs") is None
    assert lock_path(f"sqlite:///{tmp_path}/x.sqlite3") == tmp_path / "x.sqlite3.server-lock"
    hold_server_lock("postgresql+psycopg://bbs@db/bbs").release()  # nothing to hold


def test_an_unwritable_place_is_said_plainly(tmp_path: Path) -> None:
    with pytest.raises(NodeLockError, match="cannot create the server lock"):
        hold_server_lock(f"sqlite:///{tmp_path}/missing/dir/bbs.sqlite3")

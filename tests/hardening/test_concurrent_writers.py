"""The server's store, a second process and `bbs admin` commands writing at once: no
"database is locked" (StoreBusyError) and no lost write, over 2,000 writes here; the full
10,000 run is bench/bench_concurrent_writes.py."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[2] / "bench"
WRITES = 2_000


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location(
        "bench_concurrent_writes_module", BENCH / "bench_concurrent_writes.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


async def test_two_thousand_writes_from_three_kinds_of_writer_meet_no_lock_error(
    tmp_path: Path,
) -> None:
    bench = _bench()
    data_dir = tmp_path / "data"
    sources = await bench.run(data_dir, WRITES)
    summary = bench.table(sources, 0.0)
    boards, rooms, second, cli = sources
    assert [s.errors for s in sources] == [[], [], [], []], summary
    assert boards.writes + rooms.writes + second.writes == WRITES, summary
    assert cli.writes >= 2, summary  # the CLI did write while the others were writing
    conn = sqlite3.connect(data_dir / "bbs.sqlite3")
    try:
        posts = conn.execute("SELECT count(*) FROM post").fetchone()[0]
        lines = conn.execute("SELECT count(*) FROM roomline").fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert posts == boards.writes + second.writes + 1, summary  # + the thread's first post
    assert lines >= rooms.writes, summary  # (presence lines are stored as well)

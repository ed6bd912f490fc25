"""kill -9 of the server while members post over SSH: every post an author saw accepted
survives, and the database passes integrity_check (bench/crash_safety.py, fewer kills)."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _crash_safety() -> Any:
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_crash_safety", BENCH / "crash_safety.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


async def test_posts_seen_accepted_survive_three_kill_9s(tmp_path: Path) -> None:
    crash = _crash_safety()
    data_dir = tmp_path / "data"
    authors = await asyncio.to_thread(crash.prepare, data_dir, 5)
    rounds = await crash.run_rounds(data_dir, authors, 3)
    summary = crash.table(rounds, authors)
    assert len(rounds) == 3
    for r in rounds:
        assert r.integrity == "ok", summary
        assert r.lost == [], summary
        assert r.accepted > 0, summary  # each kill came while posts were being accepted
    assert rounds[-1].found == rounds[-1].accepted >= 5, summary

"""Several nodes started together on one empty database all come up, with one schema.

Migrations and the first start's seeding run one node at a time (a PostgreSQL advisory
lock; on SQLite, the write turn every process already takes).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bbs.boards.records import DEFAULT_BOARDS
from bbs.db import Database

# Each node: import everything first, wait for the common start time, then start up as
# `bbs serve` does (data directory, migrations, default boards and resources).
NODE = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from server.wiring import build_community
    from bbs.config import load_settings, with_overrides
    settings = load_settings(Path(sys.argv[1]), database_url=sys.argv[2])
    community = build_community(settings)
    time.sleep(max(0.0, float(sys.argv[3]) - time.time()))  # kept: processes start together
    community.prepare()
    community.close()
    print("up")
""")


def _start_together(urls: list[str], tmp_path: Path) -> list[subprocess.CompletedProcess[str]]:
    start_at = time.time() + 4.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", NODE, str(tmp_path / f"node{i}"), url, str(start_at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, url in enumerate(urls)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=90)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


def _counts(url: str) -> tuple[int, int, int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one(),
                conn.execute(text("SELECT count(*) FROM board")).scalar_one(),
                conn.execute(text("SELECT count(DISTINCT name) FROM board")).scalar_one(),
                conn.execute(text("SELECT count(*) FROM resource")).scalar_one(),
            )
    finally:
        engine.dispose()


def test_three_nodes_migrate_one_empty_postgresql_at_once(
    postgres_url: str, tmp_path: Path
) -> None:
    results = _start_together([postgres_url] * 3, tmp_path)
    for result in results:
        assert result.returncode == 0, result.stderr[-3000:]
        assert result.stdout.strip() == "up"
    versions, boards, names, resources = _counts(postgres_url)
    assert versions == 1
    assert boards == names == len(DEFAULT_BOARDS)
    single = tmp_path / "single"
    reference = Database(f"sqlite:///{single}.sqlite3")
    try:
        reference.migrate()
        from bbs.resources import records as library

        with reference.write() as session:
            expected = library.seed_default_resources(session)
    finally:
        reference.dispose()
    assert resources == expected > 0


def test_three_processes_start_one_new_sqlite_file_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    results = _start_together([url] * 3, tmp_path)
    for result in results:
        assert result.returncode == 0, result.stderr[-3000:]
    versions, boards, names, _ = _counts(url)
    assert versions == 1 and boards == names == len(DEFAULT_BOARDS)


def test_a_waiting_node_says_why(postgres_url: str, caplog: pytest.LogCaptureFixture) -> None:
    first, second = Database(postgres_url), Database(postgres_url)
    try:
        with first.one_at_a_time("migrate"):
            import threading

            done = threading.Event()

            def migrate() -> None:
                second.migrate()
                done.set()

            worker = threading.Thread(target=migrate)
            with caplog.at_level("INFO", logger="bbs.db"):
                worker.start()
                assert not done.wait(1.0)  # blocked behind the first node
        worker.join(30)
        assert done.is_set()
        assert "another node is running migrate" in caplog.text
    finally:
        first.dispose()
        second.dispose()

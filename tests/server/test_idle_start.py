"""What a server holds before the first connection, in a fresh process: no PostgreSQL
driver on SQLite, English alone of the languages, and on a restart no Alembic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from bbs.db import alembic_config, shipped_heads

# Modules a SQLite server loads only for some work: psycopg (PostgreSQL, 10 MiB), Alembic
# with Mako and Pygments (migrations, 12 MiB), scikit-learn and SciPy (training).
OPTIONAL = ["alembic", "mako", "psycopg", "pygments", "scipy", "sklearn"]

START = """
import asyncio, dataclasses, json, sys
from pathlib import Path


async def main() -> None:
    from bbs import i18n
    from bbs.config import load_settings
    from server.ssh_server import migrate_apart, start_server
    from server.wiring import build_community

    settings = dataclasses.replace(load_settings(Path(sys.argv[1])), port=0)
    if sys.argv[3] == "apart":
        await asyncio.to_thread(migrate_apart, settings)  # as `bbs serve` does
    running = await start_server(settings, build_community(settings))
    try:
        loaded = {name.split(".")[0] for name in sys.modules}
        print(json.dumps({
            "optional": sorted(loaded & set(json.loads(sys.argv[2]))),
            "languages": sorted(i18n.loaded_languages()),
            "read_on_event_loop": i18n.read_on_event_loop,
        }))
    finally:
        await running.shutdown(grace=1.0)


asyncio.run(main())
"""


def _start(data: Path, *, apart: bool = False) -> dict[str, list[str]]:
    how = "apart" if apart else "here"
    out = subprocess.run(
        [sys.executable, "-c", START, str(data), json.dumps(OPTIONAL), how],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
        timeout=90,
    )
    found: dict[str, list[str]] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def test_a_sqlite_server_starts_without_psycopg_and_with_english_alone(tmp_path: Path) -> None:
    first = _start(tmp_path)  # a new data directory: the migrations run (Alembic)
    assert "psycopg" not in first["optional"]
    assert first["languages"] == ["en"]
    assert first["read_on_event_loop"] == []
    again = _start(tmp_path)  # a restart: the schema is at the shipped heads already
    assert again["optional"] == []
    assert again["languages"] == ["en"]


def test_bbs_serve_migrates_a_new_data_directory_in_a_child_process(tmp_path: Path) -> None:
    first = _start(tmp_path, apart=True)
    assert first["optional"] == []
    assert first["languages"] == ["en"]


def test_the_shipped_heads_are_read_as_alembic_reads_them() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert shipped_heads() == frozenset(script.get_heads())


def test_a_database_behind_the_shipped_heads_is_still_migrated(tmp_path: Path) -> None:
    from alembic import command

    from bbs.db import Database

    database = Database(f"sqlite:///{tmp_path / 'bbs.db'}")
    try:
        with database.engine.begin() as conn:
            config = alembic_config(database.url)
            config.attributes["connection"] = conn
            command.upgrade(config, "0020_merge_cluster")
        assert not database.at_shipped_heads()
        database.migrate()
        assert database.at_shipped_heads()
        assert database.current_revision() == ",".join(sorted(shipped_heads() or ()))
    finally:
        database.dispose()

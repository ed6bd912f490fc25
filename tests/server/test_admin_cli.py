"""The admin CLI twins: queue, sanctions, lift, audit (and its CSV export), settings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bbs.accounts import members as accounts
from bbs.accounts.pseudonyms import validate_pseudonym
from bbs.admin import review as admin
from bbs.config import load_settings
from bbs.db import Database
from bbs.models import Role
from bbs.moderation_queue import sanctions
from server.cli import main


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    database = Database(load_settings(path).database_url)
    database.migrate()
    with database.write() as session:
        for name, role in (("Harbourmaster", Role.SYSOP), ("Thorn", Role.MEMBER)):
            accounts.create_member(
                session,
                pseudonym=validate_pseudonym(name),
                password_hash="h",
                recovery_hash="r",
                role=role,
            )
    database.dispose()
    return path


def _run(data_dir: Path, *args: str) -> int:
    return main(["admin", *args, "--data-dir", str(data_dir)])


def _database(data_dir: Path) -> Database:
    return Database(load_settings(data_dir).database_url)


def test_suspend_lift_and_audit_export(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(data_dir, "suspend", "thorn", "--reason", "cooling off", "--for", "3d") == 0
    assert "suspend: Thorn until" in capsys.readouterr().out
    database = _database(data_dir)
    with database.read() as session:
        thorn = accounts.get_member(session, "Thorn")
        assert thorn is not None
        line = sanctions.login_block(session, thorn.id)
    assert line is not None and "cooling off" in line
    assert _run(data_dir, "lift", "Thorn", "--reason", "early release") == 0
    with database.read() as session:
        assert sanctions.login_block(session, thorn.id) is None
    assert _run(data_dir, "audit", "--action", "suspend") == 0
    out = capsys.readouterr().out
    assert "Harbourmaster" in out and "suspend" in out and "1 entries." in out
    target = tmp_path / "audit.csv"
    assert _run(data_dir, "audit", "export", str(target)) == 0
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert [r[3] for r in rows[1:]] == ["suspend", "lift"]
    assert target.stat().st_mode & 0o077 == 0
    database.dispose()


def test_ban_queue_and_settings(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(data_dir, "ban", "Thorn", "--reason", "threats", "--category", "Harassment") == 0
    assert _run(data_dir, "queue") == 0
    assert "0 open." in capsys.readouterr().out
    assert _run(data_dir, "set", "on-call", "Sam is on call tonight") == 0
    database = _database(data_dir)
    with database.read() as session:
        thorn = accounts.get_member(session, "Thorn")
        assert thorn is not None and sanctions.is_banned(session, thorn.id)
        assert admin.get_setting(session, "on_call_note") == "Sam is on call tonight"
    database.dispose()


def test_refusals_are_one_line_and_status_1(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(data_dir, "ban", "nobody", "--reason", "x") == 1
    assert _run(data_dir, "lift", "Thorn", "--reason", "x") == 1
    assert _run(data_dir, "mute", "Thorn", "--reason", "x", "--for", "forever") == 1
    assert _run(data_dir, "set", "on-call", "x", "--as", "Thorn") == 1
    err = capsys.readouterr().err
    assert "no member called" in err and "nothing in force" in err and "90m" in err
    assert "Only sysops" in err


async def test_model_operations_read_the_store_and_refuse_an_empty_rollback(tmp_path: Path) -> None:
    from bbs.moderation_queue.gate import ModerationGate
    from server.model_ops import ServerModelOperations

    gate = ModerationGate(None)
    ops = ServerModelOperations(tmp_path, gate, lambda: None)
    status = await ops.status()
    assert status.current == "shipped" and status.versions == ("shipped",)
    assert status.examples_used == 0
    with pytest.raises(ValueError, match="no earlier model"):
        await ops.rollback()
    gate.close()

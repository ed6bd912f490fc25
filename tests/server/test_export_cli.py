"""`bbs admin export NAME [--output FILE]`: one member's data, and only theirs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bbs.accounts import members as accounts
from bbs.accounts.pseudonyms import validate_pseudonym
from bbs.boards import records as boards
from bbs.boards.records import PostingRules
from bbs.config import load_settings
from bbs.db import Database
from bbs.moderation_queue.flags import Written
from bbs.moderation_queue.policy import Action
from server.cli import main


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    database = Database(load_settings(path).database_url)
    database.migrate()
    with database.write() as session:
        boards.ensure_default_boards(session)
        board = boards.all_boards(session)[0].id
        for name in ("Willow", "Ash"):
            member = accounts.create_member(
                session, pseudonym=validate_pseudonym(name), password_hash="h", recovery_hash="r"
            )
            boards.create_thread(
                session,
                author_id=member.id,
                board_id=board,
                written=Written(
                    boards.clean_post(f"{name}'s title", f"{name} wrote this", ""), Action.ALLOW
                ),
                rules=PostingRules(),
            )
    database.dispose()
    return path


def test_export_to_stdout_holds_that_member_only(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["admin", "export", "willow", "--data-dir", str(data_dir)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == 1 and doc["member"]["pseudonym"] == "Willow"
    assert [p["body"] for p in doc["posts"]] == ["Willow wrote this"]
    assert "Ash wrote this" not in json.dumps(doc)


def test_export_to_a_private_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "ash.json"
    assert (
        main(["admin", "export", "Ash", "--output", str(target), "--data-dir", str(data_dir)]) == 0
    )
    assert "Wrote Ash's data" in capsys.readouterr().err
    assert json.loads(target.read_text(encoding="utf-8"))["member"]["pseudonym"] == "Ash"
    assert target.stat().st_mode & 0o077 == 0


def test_export_of_nobody_says_so(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "export", "Nobody", "--data-dir", str(data_dir)]) == 1
    captured = capsys.readouterr()
    assert "No member is called 'Nobody'" in captured.err and captured.out == ""


def test_log_files_are_kept_for_the_configured_days_only(tmp_path: Path) -> None:
    import logging

    from server.logs import JSONFormatter, log_handler

    target = tmp_path / "logs" / "bbs.log"
    handler = log_handler(target, retention_days=2)
    assert isinstance(handler, logging.handlers.TimedRotatingFileHandler)
    handler.setFormatter(JSONFormatter())
    for day in range(1, 6):  # five old days of logs lying around
        (target.parent / f"bbs.log.2026-01-0{day}").write_text("old\n")
    handler.emit(logging.LogRecord("bbs", logging.INFO, "", 0, "a line", None, None))
    handler.doRollover()  # what midnight does
    handler.close()
    kept = sorted(p.name for p in target.parent.iterdir() if p.name != "bbs.log")
    assert len(kept) == 2 and "bbs.log.2026-01-01" not in kept
    assert log_handler(None, 14).__class__ is logging.StreamHandler

"""`bbs admin room ...`: sysops manage rooms and scheduled sessions from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bbs.db import Database
from bbs.rooms.records import events_between, list_rooms, room_by_name
from server.cli import main


def _run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str]:
    code = main(["admin", "room", *argv, "--data-dir", str(data)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_room_admin_commands_change_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code, out = _run(capsys, data, "list")
    assert code == 0 and "Lobby" in out and "Night owls" in out
    assert _run(capsys, data, "add", "Alumni", "--topic", "clinic alumni", "--private")[0] == 0
    assert _run(capsys, data, "theme", "lobby", "Hello all")[0] == 0
    assert _run(capsys, data, "slow", "Lobby", "15")[0] == 0
    assert _run(capsys, data, "close", "night owls")[0] == 0
    code, out = _run(
        capsys,
        data,
        "event",
        "add",
        "Check-in circle",
        "2030-01-06 19:00",
        "Sunday check-in circle",
        "--minutes",
        "90",
    )
    assert code == 0 and "Sunday check-in circle" in out
    code, out = _run(capsys, data, "add", "alumni")
    assert code == 1 and "exists" in out
    code, out = _run(capsys, data, "event", "add", "Lobby", "soon", "x")
    assert code == 1 and "YYYY-MM-DD" in out

    database = Database(f"sqlite:///{(data / 'bbs.sqlite3').resolve()}")
    with database.read() as s:
        lobby = room_by_name(s, "Lobby")
        assert lobby is not None and lobby.topic == "Hello all" and lobby.slow_mode_seconds == 15
        owls = room_by_name(s, "Night owls")
        assert owls is not None and owls.closed
        assert [r.name for r in list_rooms(s, member_id=None, staff=False)] == [
            "Lobby",
            "Check-in circle",
        ]
        from datetime import UTC, datetime

        start = datetime(2030, 1, 6, tzinfo=UTC)
        [event] = events_between(s, start, start.replace(day=7))
        assert event.duration_minutes == 90 and event.room_name == "Check-in circle"
    database.dispose()


def test_a_scheduled_session_can_be_cancelled_from_the_shell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code, out = _run(capsys, data, "event", "add", "Lobby", "2030-01-06 19:00", "Quiz night")
    assert code == 0
    number = int(out.split("#", 1)[1].split(":", 1)[0])
    code, out = _run(capsys, data, "event", "remove", str(number))
    assert code == 0 and "Cancelled" in out and "Quiz night" in out
    code, out = _run(capsys, data, "event", "remove", str(number))
    assert code == 1 and f"no scheduled session #{number}" in out
    code, out = _run(capsys, data, "list", "--days", "3650")
    assert "Quiz night" not in out

"""`bbs serve --workers N`: N processes share one port on PostgreSQL; SQLite is refused."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listeners(port: int) -> int:
    """Listening TCP sockets on `port` in this network namespace (/proc/net/tcp)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            for row in handle.readlines()[1:]:
                fields = row.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                    count += 1
    return count


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_text()


async def _serve(
    data_dir: Path, *args: str, env: dict[str, str] | None = None
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server.cli",
        "serve",
        "--data-dir",
        str(data_dir),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )


async def _banner(proc: asyncio.subprocess.Process) -> str:
    assert proc.stdout is not None
    lines = []
    while True:
        line = (await asyncio.wait_for(proc.stdout.readline(), 120)).decode()
        assert line, "bbs serve exited early:\n" + "".join(lines)
        lines.append(line)
        if line.startswith("Log in:"):
            return "".join(lines)


async def test_three_workers_share_the_port_on_postgresql(
    postgres_url: str, tmp_path: Path, ssh_to: Any
) -> None:
    port = _free_port()
    proc = await _serve(
        tmp_path / "data",
        "--workers",
        "3",
        "--port",
        str(port),
        env={"BBS_DATABASE_URL": postgres_url},
    )
    try:
        banner = await _banner(proc)
        found = re.search(r"with 3 workers \(processes (\d+), (\d+), (\d+)\)", banner)
        assert found, banner
        assert f"ssh -p {port} new@localhost" in banner
        assert _listeners(port) == 3  # one SO_REUSEPORT socket per worker
        # The database URL is in the workers' environment, not on their command lines.
        for pid in found.groups():
            assert "postgresql" not in _cmdline(int(pid))
        terms = [await ssh_to(port, "new") for _ in range(6)]
        for term in terms:
            await term.past_language()
            await term.close()
        # A worker that dies is replaced.
        try:
            os.kill(int(found.group(2)), signal.SIGKILL)
        except ProcessLookupError:
            pytest.fail("worker 2 had already ended before it was killed")
        deadline = time.monotonic() + 60
        assert proc.stdout is not None
        restarted = ""
        while "restarted" not in restarted and time.monotonic() < deadline:
            restarted = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
        assert "worker 2 restarted" in restarted
        assert _listeners(port) == 3
    finally:
        if proc.returncode is None:  # else it ended by itself: what it said is below
            proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert "Stopped." in out.decode()
    assert _listeners(port) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "2", "--port", "2299"], "--workers needs PostgreSQL"),
        (["--workers", "0", "--port", "2299"], "--workers takes 1 to 64"),
    ],
)
async def test_workers_are_refused_with_sqlite_or_nonsense(
    tmp_path: Path, args: list[str], message: str
) -> None:
    proc = await _serve(tmp_path / "data", *args)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 1
    assert message in err.decode() and "Traceback" not in err.decode()
    assert not out


async def test_workers_need_a_fixed_port(tmp_path: Path) -> None:
    proc = await _serve(
        tmp_path / "data",
        "--workers",
        "2",
        "--port",
        "0",
        env={"BBS_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1/x"},
    )
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 1 and "fixed --port" in err.decode()

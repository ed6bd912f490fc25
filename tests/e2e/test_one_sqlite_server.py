"""A second `bbs serve` on the same SQLite data directory is refused, kindly and at once,
while `bbs admin` commands keep working beside the running server."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _bbs(data_dir: Path, *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
    env = {**os.environ, "BBS_DATA_DIR": str(data_dir)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server.cli",
        *args,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin), 60)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_a_second_server_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "bbs-data"
    env = {**os.environ, "BBS_DATA_DIR": str(data_dir)}
    first = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server.cli",
        "serve",
        "--port",
        str(_free_port()),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert first.stdout is not None
        while not (await asyncio.wait_for(first.stdout.readline(), 60)).startswith(b"Log in:"):
            pass
        code, out, err = await _bbs(data_dir, "serve", "--port", str(_free_port()))
        assert code == 1, (out, err)
        assert f"another `bbs serve` (process {first.pid}) is already running" in err
        assert "PostgreSQL" in err and "Traceback" not in err
        assert "listening" not in out
        # The shell's commands are not servers: they work beside the running one.
        code, out, err = await _bbs(
            data_dir,
            "admin",
            "user",
            "add",
            "sysop",
            "--role",
            "sysop",
            "--password-stdin",
            stdin=b"a long sysop password\n",
        )
        assert code == 0, err
        code, out, err = await _bbs(data_dir, "admin", "user", "list")
        assert code == 0 and "sysop" in out, err
    finally:
        first.send_signal(signal.SIGTERM)
        await asyncio.wait_for(first.communicate(), 30)
    assert first.returncode == 0

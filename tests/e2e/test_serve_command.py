"""`bbs serve` as a host runs it: first start, the printed ssh command, restart, clean shutdown."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import stat
import sys
from pathlib import Path
from typing import Any

PASSWORD = "a long sysop password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _serve(data_dir: Path, port: int) -> tuple[asyncio.subprocess.Process, str]:
    env = {**os.environ, "BBS_DATA_DIR": str(data_dir)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server.cli",
        "serve",
        "--port",
        str(port),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    lines = []
    while True:
        line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
        assert line, "bbs serve exited early"
        lines.append(line)
        if line.startswith("Log in:"):
            return proc, "".join(lines)


async def _stop(proc: asyncio.subprocess.Process) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_first_start_restart_and_goodbye_on_sigterm(tmp_path: Path, ssh_to: Any) -> None:
    data_dir = tmp_path / "bbs-data"
    port = _free_port()
    proc, banner = await _serve(data_dir, port)
    try:
        fingerprint = re.search(r"Host key fingerprint: ED25519 (SHA256:\S+)", banner)
        assert fingerprint, banner
        assert f"ssh -p {port} new@localhost" in banner
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        key = data_dir / "ssh_host_ed25519_key"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert (data_dir / "bbs.sqlite3").exists()
        # Help and guidelines live in the database now, not in files to edit here.
        assert not (data_dir / "help.txt").exists()

        term = await ssh_to(port, "new")
        await term.past_language()
    except BaseException:
        proc.kill()
        raise
    status, _out, err = await _stop(proc)
    assert status == 0
    # The member's screen is restored and told why the connection ended.
    await term.wait_closed()
    assert b"shutting down" in bytes(term.received)
    assert "password" not in err.lower()
    assert "127.0.0.1" not in err

    proc, banner = await _serve(data_dir, port)
    try:
        assert fingerprint.group(1) in banner
    finally:
        await _stop(proc)


async def test_admin_commands_work_while_serving(tmp_path: Path, ssh_to: Any) -> None:
    data_dir = tmp_path / "bbs-data"
    port = _free_port()
    proc, _banner = await _serve(data_dir, port)
    env = {**os.environ, "BBS_DATA_DIR": str(data_dir)}

    async def bbs(*args: str, stdin: bytes = b"") -> tuple[int, str]:
        cli = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server.cli",
            *args,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(cli.communicate(stdin), 60)
        return cli.returncode or 0, out.decode()

    try:
        code, out = await bbs(
            "admin",
            "user",
            "add",
            "sysop",
            "--role",
            "sysop",
            "--password-stdin",
            stdin=PASSWORD.encode() + b"\n",
        )
        assert code == 0, out
        assert re.search(r"[A-Z2-9]{5}(-[A-Z2-9]{5}){4}", out)
        code, out = await bbs("admin", "user", "list")
        assert code == 0 and "sysop" in out
        term = await ssh_to(port, "sysop", password=PASSWORD)
        await term.wait_for("welcome, sysop")
        code, out = await bbs("admin", "user", "role", "sysop", "moderator")
        assert code == 0 and "moderator" in out
        code, out = await bbs("admin", "user", "role", "nobody", "sysop")
        assert code == 1 and "No member" in out
        code, out = await bbs("admin", "user", "add", "x", "--password-stdin", stdin=b"short\n")
        assert code == 1
    finally:
        await _stop(proc)


async def test_help_on_every_command() -> None:
    for args in (
        ["--help"],
        ["serve", "--help"],
        ["admin", "user", "add", "--help"],
        ["moderation", "--help"],
    ):
        cli = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server.cli",
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await cli.communicate()
        assert cli.returncode == 0 and b"usage: bbs" in out, args

"""Two `bbs serve` nodes on one PostgreSQL database with [cluster]: what one member says
in a room on one node reaches a member on the other, live, over real SSH, and failed
logins on both add up to one penalty."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import asyncssh
import psycopg
import pytest
from support import SSH_PASSWORD as PASSWORD

from bbs.accounts.door_postgres import PostgresDoorThrottle
from bbs.clock import SystemClock
from bbs.config import LoginLimits, Settings
from server.wiring import build_community


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_config(data_dir: Path, name: str) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "config.toml").write_text(f'[cluster]\nnode_name = "{name}"\n')


async def _node(data_dir: Path, url: str, name: str) -> tuple[asyncio.subprocess.Process, int]:
    _write_config(data_dir, name)
    port = _free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server.cli",
        "serve",
        "--data-dir",
        str(data_dir),
        "--port",
        str(port),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "BBS_DATABASE_URL": url},
    )
    assert proc.stdout is not None
    said = []
    while True:
        line = (await asyncio.wait_for(proc.stdout.readline(), 120)).decode()
        assert line, f"node {name} exited early:\n" + "".join(said)
        said.append(line)
        if line.startswith("Log in:"):
            return proc, port


async def _listeners(url: str, *, terminate: bool = False) -> int:
    """Connections listening for this community's live events (and cut them if asked)."""
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    # The channel is named after the community's schema (bbs.events_postgres).
    found = re.search(r"search_path%3D(\w+)", url)
    assert found, url
    listen = f'LISTEN "bbs_events_{found.group(1)}"'
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        call = "pg_terminate_backend(pid)" if terminate else "pid"
        rows = await (
            await conn.execute(f"SELECT {call} FROM pg_stat_activity WHERE query = %s", (listen,))
        ).fetchall()
    return len(rows)


async def _stop(proc: asyncio.subprocess.Process) -> bytes:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    return err


async def _into_lobby(ssh_to: Any, port: int, name: str) -> Any:
    term = await ssh_to(port, name.lower(), password=PASSWORD)
    await term.wait_for("welcome, " + name, timeout=30)
    await term.type("r")
    await term.wait_for("Lobby (", timeout=15)
    await term.type("\r")
    await term.wait_for("You are in Lobby", timeout=15)
    return term


async def test_a_room_line_said_on_one_node_is_seen_on_the_other(
    postgres_url: str, settings: Settings, tmp_path: Path, ssh_to: Any
) -> None:
    one, port_one = await _node(tmp_path / "one", postgres_url, "one")
    nodes = [one]
    try:
        two, port_two = await _node(tmp_path / "two", postgres_url, "two")
        nodes.append(two)
        # Members, written through the core into the nodes' shared database.
        writer = build_community(dataclasses.replace(settings, database_url=postgres_url))
        try:
            for name in ("Ada", "Bea"):
                await writer.accounts.sign_up(name, PASSWORD, PASSWORD)
        finally:
            await asyncio.to_thread(writer.close)
        ada = await _into_lobby(ssh_to, port_one, "Ada")
        bea = await _into_lobby(ssh_to, port_two, "Bea")
        await ada.type("hello from node one\r")
        await bea.wait_for("Ada: hello from node one", timeout=15)
        await bea.type("and back from node two\r")
        await ada.wait_for("Bea: and back from node two", timeout=15)
        # The database drops both nodes' listening connections: they listen again, and
        # the room carries on.
        assert await _listeners(postgres_url, terminate=True) == 2
        deadline = asyncio.get_running_loop().time() + 30
        while await _listeners(postgres_url) < 2:
            assert asyncio.get_running_loop().time() < deadline, "the nodes never listened again"
            await asyncio.sleep(0.1)
        await ada.type("still here after the blip\r")
        await bea.wait_for("Ada: still here after the blip", timeout=15)
    finally:
        errors = [await _stop(proc) for proc in nodes]
    for err in errors:
        assert b"Traceback" not in err, err.decode()[-2000:]


async def _fail_login(port: int) -> None:
    """One wrong password on a connection of its own."""
    with pytest.raises((asyncssh.PermissionDenied, asyncssh.DisconnectError)):
        async with asyncssh.connect(
            "127.0.0.1",
            port,
            username="nobody",
            password="wrong",
            known_hosts=None,
            agent_path=None,
            client_keys=[],
            preferred_auth="password",
        ):
            pass


async def test_failed_ssh_logins_on_two_nodes_add_up_to_one_penalty(
    postgres_url: str, tmp_path: Path
) -> None:
    one, port_one = await _node(tmp_path / "one", postgres_url, "one")
    nodes = [one]
    # A third party on the same database, reading what the nodes counted, as a node would.
    observer = PostgresDoorThrottle(postgres_url, LoginLimits(), SystemClock())
    try:
        two, port_two = await _node(tmp_path / "two", postgres_url, "two")
        nodes.append(two)
        await observer.start()
        source = observer.source_key("127.0.0.1")
        for _ in range(2):
            await _fail_login(port_one)
        # Two failures (fewer than the free ones) on one node: no penalty yet.
        assert await observer.penalty(source) == 0.0
        for _ in range(2):
            await _fail_login(port_two)
        # Two more on the other node: together past the free three.
        assert await observer.penalty(observer.source_key("127.0.0.1")) == 0.5
    finally:
        await observer.close()
        errors = [await _stop(proc) for proc in nodes]
    for err in errors:
        assert b"Traceback" not in err, err.decode()[-2000:]

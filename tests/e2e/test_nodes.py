"""`bbs serve` nodes on one PostgreSQL database with [cluster], over real SSH.

Two nodes: what one member says in a room on one node reaches a member on the other,
live, and again after the database cut both listening connections. Three nodes, started
together on an empty database, are one community: room lines, mentions and /who, a
private message written on one and waiting on another, a room's topic and closing, a
banner, and suspensions from a shell and from a sysop's screen on another node (the
member's session ends within 2 s). A node killed mid-room: its members leave the others'
lists and come back through another node. Failed logins on two nodes add up to one
penalty."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

import asyncssh
import psycopg
import pytest
from plain_reader import open_plain
from support import SSH_PASSWORD as PASSWORD
from support import let_new_members_write

from bbs.accounts.door_postgres import PostgresDoorThrottle
from bbs.clock import SystemClock
from bbs.config import LoginLimits, Settings
from server.wiring import build_community


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_config(data_dir: Path, name: str, cluster: str = "") -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "config.toml").write_text(f'[cluster]\nnode_name = "{name}"\n{cluster}')


async def _node(
    data_dir: Path, url: str, name: str, cluster: str = ""
) -> tuple[asyncio.subprocess.Process, int]:
    _write_config(data_dir, name, cluster)
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


ENDS_WITHIN = 2.0


async def _bbs(url: str, data_dir: Path, *args: str) -> str:
    """The real `bbs` command in a shell of its own, on the nodes' database."""
    cli = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server.cli",
        *args,
        env={**os.environ, "BBS_DATA_DIR": str(data_dir), "BBS_DATABASE_URL": url},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(cli.communicate(), 60)
    assert cli.returncode == 0, out.decode()
    return out.decode()


async def _logged_in(ssh_to: Any, port: int, name: str) -> Any:
    term = await ssh_to(port, name.lower(), password=PASSWORD)
    await term.wait_for("welcome, " + name, timeout=30)
    return term


def _ended_at(term: Any) -> asyncio.Task[float]:
    async def ended() -> float:
        await term.closed.wait()
        return time.time()

    return asyncio.get_running_loop().create_task(ended())


async def test_three_nodes_are_one_community(
    postgres_url: str, settings: Settings, tmp_path: Path, ssh_to: Any
) -> None:
    # Started at once on an empty database: migrations and seeding run one node at a
    # time, and every node comes up.
    started = await asyncio.gather(
        *(_node(tmp_path / name, postgres_url, name) for name in ("one", "two", "three")),
        return_exceptions=True,
    )
    procs = [s[0] for s in started if not isinstance(s, BaseException)]
    try:
        failed = [s for s in started if isinstance(s, BaseException)]
        assert not failed, failed
        ports = [s[1] for s in started if not isinstance(s, BaseException)]
        writer = build_community(dataclasses.replace(settings, database_url=postgres_url))
        try:
            from bbs.models import Role

            keeper = (
                await writer.accounts.sign_up("Keeper", PASSWORD, PASSWORD, role=Role.SYSOP)
            ).member
            for name in ("Ada", "Bea", "Cid", "Moss", "Dee"):
                await writer.accounts.sign_up(name, PASSWORD, PASSWORD)
            let_new_members_write(writer.database)  # minutes-old accounts may write

            # One room across three nodes: lines and mentions.
            ada = await _into_lobby(ssh_to, ports[0], "Ada")
            bea = await _into_lobby(ssh_to, ports[1], "Bea")
            cid = await _into_lobby(ssh_to, ports[2], "Cid")
            await ada.type("hello from node one\r")
            await bea.wait_for("Ada: hello from node one", timeout=15)
            await cid.wait_for("Ada: hello from node one", timeout=15)
            await cid.type("@Ada node three hears you\r")
            await ada.wait_for("Cid: @Ada node three hears you", timeout=15)
            await ada.wait_for("You were mentioned.", timeout=15)
            # Who is here: everyone, whichever node they came through.
            await bea.type("/who\r")
            await bea.wait_for("Here now (3): Ada, Bea, Cid", timeout=15)

            # A private message written on node one (in line mode) waits for Moss, who
            # logs in on node two.
            dee = await open_plain(ports[0], "dee", password=PASSWORD)
            await dee.expect("Main menu: type a number")
            dee.send("3\r")
            await dee.answer("Messages: type", "n")
            await dee.answer("Write to whom?", "moss")
            await dee.answer("Text, or . to send: ", "Hello from node one")
            await dee.answer("Text, or . to send: ", ".")
            await dee.expect("Sent to Moss.")
            dee.conn.close()
            # A banner and a room's topic from a shell reach every node.
            moss = await _logged_in(ssh_to, ports[1], "Moss")
            await moss.wait_for("1 new private message", timeout=15)
            shell = tmp_path / "shell"
            await _bbs(postgres_url, shell, "admin", "set", "announcement", "Picnic at noon")
            await moss.wait_for("Announcement: Picnic at noon", timeout=15)
            await _bbs(postgres_url, shell, "admin", "room", "theme", "Lobby", "Quiet hour")
            for term in (ada, bea, cid):
                await term.wait_for("set the topic: Quiet hour", timeout=15)

            # A suspension from a shell ends a session on node two.
            moss_end = _ended_at(moss)
            await _bbs(
                postgres_url, shell, "admin", "suspend", "moss", "--for", "7d", "--reason", "spam"
            )
            took = await _took(writer, keeper.id, "Moss", moss_end)
            print(f"\nshell suspension ended a session on node two in {took:.2f} s")

            # A sysop on node three suspends a member who is on node two.
            sysop = await _logged_in(ssh_to, ports[2], "Keeper")
            await sysop.type("a")
            await sysop.wait_for("Review queue", timeout=15)
            await sysop.type("l")
            await sysop.wait_for("Member lookup")
            await sysop.type("Bea\r")
            await sysop.wait_for("Bea (member)", timeout=15)
            await sysop.type("s")
            await sysop.wait_for("Suspend")
            await sysop.type("\r")
            await sysop.wait_for("Category: ")
            await sysop.type("insults in the lobby\r")
            bea_end = _ended_at(bea)
            sysop.send("3d\r")
            took = await _took(writer, keeper.id, "Bea", bea_end)
            print(f"screen suspension on node three ended a session on node two in {took:.2f} s")

            # Closed from a shell: closed on every node.
            await _bbs(postgres_url, shell, "admin", "room", "close", "Lobby")
            for term in (ada, cid):
                await term.wait_for("This room has been closed", timeout=15)
        finally:
            await asyncio.to_thread(writer.close)
    finally:
        errors = [await _stop(proc) for proc in procs]
    for err in errors:
        assert b"Traceback" not in err, err.decode()[-2000:]


async def _took(writer: Any, sysop_id: int, name: str, end: asyncio.Task[float]) -> float:
    """Seconds from the sanction's commit to the member's session ending (at most 2)."""
    ended = await asyncio.wait_for(end, ENDS_WITHIN + 10)
    record = await writer.admin.member_record(sysop_id, name)
    made = max(s.created_at for s in record.sanctions).timestamp()
    took = float(ended - made)
    assert took <= ENDS_WITHIN, f"{name}'s session ended {took:.2f} s after the sanction"
    return took


# Short heartbeats: a node killed mid-room is gone from the others within seconds.
QUICK = "heartbeat_seconds = 0.5\npresence_timeout_seconds = 3\n"


async def test_a_node_killed_mid_room_drops_its_members_and_they_come_back_on_another(
    postgres_url: str, settings: Settings, tmp_path: Path, ssh_to: Any
) -> None:
    one, port_one = await _node(tmp_path / "one", postgres_url, "one", QUICK)
    nodes = [one]
    try:
        two, port_two = await _node(tmp_path / "two", postgres_url, "two", QUICK)
        nodes.append(two)
        writer = build_community(dataclasses.replace(settings, database_url=postgres_url))
        try:
            for name in ("Ada", "Bea"):
                await writer.accounts.sign_up(name, PASSWORD, PASSWORD)
        finally:
            await asyncio.to_thread(writer.close)
        await _into_lobby(ssh_to, port_one, "Ada")
        bea = await _into_lobby(ssh_to, port_two, "Bea")
        await bea.type("/who\r")
        await bea.wait_for("Here now (2): Ada, Bea", timeout=15)
        one.send_signal(signal.SIGKILL)  # no goodbye, no cleanup: its rows stay behind
        killed = asyncio.get_running_loop().time()
        # The room hears Ada leave once node two purges node one's rows...
        await bea.wait_for("Here (1): Bea", timeout=15)
        # ...and /who no longer lists her, within the (shortened) presence timeout.
        await bea.type("/who\r")
        await bea.wait_for("Here now (1): Bea", timeout=15)
        assert asyncio.get_running_loop().time() - killed < 3 + 2
        # Ada comes back through node two and into the Lobby, and reads what was said
        # while she was away: each line once.
        for n in (1, 2):
            await bea.type(f"said while you were away {n}\r")
        await bea.wait_for("Bea: said while you were away 2", timeout=15)
        ada = await ssh_to(port_two, "ada", password=PASSWORD)
        await ada.wait_for("welcome, Ada", timeout=30)
        await ada.type("r")
        found = await ada.wait_for_match(r"You are in Lobby|Lobby \(", timeout=15)
        if found.group(0) != "You are in Lobby":  # not taken straight back in: go in
            await ada.type("\r")
        screen = await ada.wait_for("Bea: said while you were away 2", timeout=15)
        for n in (1, 2):
            assert screen.count(f"Bea: said while you were away {n}") == 1, screen
        await bea.wait_for("Ada came in", timeout=15)
    finally:
        errors = [await _stop(proc) for proc in nodes]
    # Node one was killed; node two carried on without a fault.
    for err in errors[1:]:
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

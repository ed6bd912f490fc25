"""Privacy over real SSH: `ssh NAME@host export` gives that member's JSON and only theirs;
deleting an account ends every session of it and the name cannot be signed up again."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import asyncssh
import pytest
from support import SSH_PASSWORD as PASSWORD

from bbs.accounts.members import AccountError
from bbs.community import Community
from server.ssh_server import RunningServer


async def _setup(server: RunningServer) -> Community:
    community: Community = server.registry.community
    community.moderation.set_scorer(None)
    willow = (await community.accounts.sign_up("Willow", PASSWORD, PASSWORD)).member
    ash = (await community.accounts.sign_up("Ash", PASSWORD, PASSWORD)).member
    await community.goals.create_goal(willow.id, title="Willow walks")
    await community.goals.create_goal(ash.id, title="Ash's secret goal")
    return community


async def _run(port: int, user: str, command: str, *, pty: bool) -> asyncssh.SSHCompletedProcess:
    async with asyncssh.connect(
        "127.0.0.1",
        port,
        username=user,
        password=PASSWORD,
        client_keys=[],
        known_hosts=None,
        agent_path=None,
        preferred_auth=("password",),
    ) as conn:
        return await asyncio.wait_for(
            conn.run(command, term_type="xterm" if pty else None, encoding=None), 20
        )


async def test_export_over_ssh_is_that_members_json_only(server: RunningServer) -> None:
    await _setup(server)
    result = await _run(server.port, "willow", "export", pty=False)
    assert result.exit_status == 0
    assert isinstance(result.stdout, bytes)
    doc = json.loads(result.stdout.decode())
    assert doc["format"] == 1 and doc["member"]["pseudonym"] == "Willow"
    assert [g["title"] for g in doc["goals"]] == ["Willow walks"]
    assert b"Ash's secret goal" not in result.stdout
    # With a pty too (ssh -t), the same document and nothing else.
    with_pty = await _run(server.port, "willow", "export", pty=True)
    assert with_pty.exit_status == 0
    assert isinstance(with_pty.stdout, bytes)
    assert json.loads(with_pty.stdout.decode())["member"]["pseudonym"] == "Willow"


async def test_other_commands_and_wrong_passwords_get_no_export(server: RunningServer) -> None:
    await _setup(server)
    other = await _run(server.port, "willow", "cat /etc/passwd", pty=False)
    assert other.exit_status == 1
    assert isinstance(other.stdout, bytes)
    assert b"needs a terminal" in other.stdout and b"{" not in other.stdout
    with pytest.raises(asyncssh.PermissionDenied):
        async with asyncssh.connect(
            "127.0.0.1",
            server.port,
            username="willow",
            password="not the password",
            client_keys=[],
            known_hosts=None,
            agent_path=None,
            preferred_auth=("password",),
        ) as conn:
            await conn.run("export")


async def test_deleting_over_ssh_ends_every_session_and_blocks_the_name(
    connect: Any, server: RunningServer
) -> None:
    community = await _setup(server)
    other = await connect("willow", password=PASSWORD)
    await other.wait_for("welcome, Willow")
    term = await connect("willow", password=PASSWORD)
    await term.wait_for("welcome, Willow")
    await term.type("p")
    await term.wait_for("Profile: Willow")
    await term.type("p")
    await term.wait_for("Privacy and your data")
    assert f"ssh -p {server.port} Willow@localhost export > mine.json" in term.text()
    # The other session is listed, and this one is marked.
    await term.type("s")
    screen = await term.wait_for("(this one)")
    assert screen.count("since ") == 2
    await term.type("\x1b")
    await term.wait_for("Delete my account")
    await term.type("d")
    await term.wait_for("cannot be")
    await term.type("\t")  # from the choice to the name field
    await term.type("Willow\r")
    assert await term.wait_closed() == 0
    assert b"Your account has been deleted" in term.received
    assert await other.wait_closed() == 0
    assert await community.accounts.member_for_key("Willow", "x") is None
    for name in ("Willow", "wi11ow"):
        with pytest.raises(AccountError, match="taken"):
            await community.accounts.check_pseudonym(name)
    with pytest.raises(asyncssh.PermissionDenied):
        await _run(server.port, "willow", "export", pty=False)

"""Admin over real SSH: a CLI-made sysop hides a held post, the author is told, then banned."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import asyncssh
import pytest
from support import SSH_PASSWORD as PASSWORD

from bbs.boards.records import PostingRules
from bbs.community import Community
from bbs.moderation_queue.policy import Scores
from server.ssh_server import RunningServer, key_info

TAB = "\t"
CTRL_S = "\x13"


class HoldsInsults:
    """A stand-in model: "worthless" is harassment, everything else is fine."""

    def score(self, texts: Sequence[str]) -> list[Scores]:
        return [Scores(0.95 if "worthless" in t else 0.0, 0.0, 0.0) for t in texts]

    def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        return {"harassment": [("worthless", 2.5)]} if "worthless" in text else {}


async def _bbs(server: RunningServer, *args: str, stdin: bytes = b"") -> tuple[int, str]:
    """The real `bbs` command, against the running server's data directory."""
    env = {**os.environ, "BBS_DATA_DIR": str(server.registry.settings.data_dir)}
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


def _prepare(server: RunningServer) -> Community:
    community: Community = server.registry.community
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    community.moderation.set_scorer(HoldsInsults())
    return community


async def test_sysop_hides_a_held_post_author_is_told_then_banned_author_refused(
    connect: Any, server: RunningServer
) -> None:
    community = _prepare(server)
    code, out = await _bbs(
        server,
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
    await community.accounts.sign_up("Thorn", PASSWORD, PASSWORD)

    thorn = await connect("thorn", password=PASSWORD)
    await thorn.wait_for("welcome, Thorn")
    assert "Admin" not in thorn.text()
    await thorn.type("b")
    await thorn.wait_for("Introductions")
    await thorn.type("\r")
    await thorn.wait_for("No threads yet")
    await thorn.type("n")
    await thorn.wait_for("New thread in Introductions")
    await thorn.type("About you")
    await thorn.type(TAB + TAB)
    await thorn.type("you are all worthless")
    await thorn.type(CTRL_S)
    await thorn.wait_for("hasn't been shown to others yet")

    sysop = await connect("sysop", password=PASSWORD)
    await sysop.wait_for("A  Admin")
    await sysop.type("a")
    await sysop.wait_for("Review queue: 1 open, 0 crisis")
    await sysop.wait_for("Model scores: harassment=0.95")
    screen = await sysop.wait_for("  you are all worthless")
    assert "HOLD  post by Thorn" in screen and "Introductions" in screen
    await sysop.wait_for("Terms behind them: harassment: worthless")
    await sysop.type("h")
    await sysop.wait_for("Category (Up/Down, Enter)")
    await sysop.type("\r")  # Harassment, the first category
    await sysop.wait_for("Category: Harassment")
    await sysop.type("calling everyone names\r")
    await sysop.wait_for("Review queue: 0 open")
    await sysop.type("t")
    # The action column is as wide as the language's longest action: the reason is cut.
    screen = await sysop.wait_for("Harassment: calling")
    assert "sysop" in screen and "hide" in screen and "Thorn" in screen

    # The author is told, without the moderator's name, and can appeal from there.
    await thorn.type("\x1b")
    await asyncio.sleep(0.3)  # kept: Escs spaced past the escape timeout, each a key
    await thorn.type("\x1b")
    await asyncio.sleep(0.3)  # kept: Escs spaced past the escape timeout, each a key
    await thorn.type("\x1b")
    await thorn.wait_for("1 note from the moderators")
    await thorn.type("n")
    screen = await thorn.wait_for("Harassment: calling everyone names")
    assert "sysop" not in screen.split("Notes from the moderators", 1)[1]
    await thorn.close()

    await sysop.type("\x1b")
    await sysop.wait_for("Review queue: 0 open")
    await sysop.type("l")
    await sysop.wait_for("Member lookup")
    await sysop.type("Thorn\r")
    await sysop.wait_for("Thorn (member)")
    await sysop.type("b")
    await sysop.wait_for("Ban: Thorn")
    await sysop.type("\r")
    await sysop.type("threatened members\r")
    await sysop.wait_for("ban IN FORCE")

    with pytest.raises(asyncssh.PermissionDenied):
        await connect("thorn", password=PASSWORD)
    code, out = await _bbs(server, "admin", "audit", "--member", "Thorn")
    assert code == 0 and "hide" in out and "ban" in out and "threatened members" in out


async def test_suspended_member_is_told_until_when_and_leaves_with_status_1(
    connect: Any, server: RunningServer
) -> None:
    community = _prepare(server)
    await community.accounts.sign_up("Moss", PASSWORD, PASSWORD)
    code, out = await _bbs(
        server,
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
    code, out = await _bbs(
        server, "admin", "suspend", "moss", "--for", "7d", "--reason", "spamming the boards"
    )
    assert code == 0, out
    moss = await connect("moss", password=PASSWORD)
    screen = await moss.wait_for("suspended until")
    assert "because spamming the boards" in screen
    assert await moss.wait_closed() == 1
    code, out = await _bbs(server, "admin", "lift", "moss", "--reason", "talked it through")
    assert code == 0, out
    again = await connect("moss", password=PASSWORD)
    await again.wait_for("welcome, Moss")


async def test_a_banned_members_keys_are_refused_like_unknown_ones(
    connect: Any, server: RunningServer
) -> None:
    community = _prepare(server)
    key = asyncssh.generate_private_key("ssh-ed25519")
    await community.accounts.sign_up("Bramble", PASSWORD, PASSWORD, key=key_info(key))
    await (await connect("bramble", client_keys=[key])).close()
    code, out = await _bbs(
        server,
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
    code, out = await _bbs(server, "admin", "ban", "bramble", "--reason", "threats")
    assert code == 0, out
    with pytest.raises(asyncssh.PermissionDenied):
        await connect("bramble", client_keys=[key])
    with pytest.raises(asyncssh.PermissionDenied):
        await connect("bramble", password=PASSWORD)

"""The resource library over SSH: F1 help, R, the grounding entry; hostile text stays literal."""

from __future__ import annotations

import asyncio
from typing import Any

from support import SSH_PASSWORD as PASSWORD

from bbs.community import Community
from bbs.models import Role
from server.ssh_server import RunningServer

F1 = "\x1bOP"
ESC = "\x1b"
END = "\x1b[F"
HOSTILE_BODY = "[bold red]not markup[/] [@click=app.quit]x[/]\n\x1b[2J\x1b]0;pwned\x07still here"


async def test_member_reads_the_grounding_entry_and_a_hostile_one_literally(
    connect: Any, server: RunningServer
) -> None:
    community: Community = server.registry.community
    sysop = (await community.accounts.sign_up("Keeper", PASSWORD, PASSWORD, role=Role.SYSOP)).member
    await community.resources.add(
        sysop.id,
        title="Zz [b]odd[/b] entry",
        body=HOSTILE_BODY,
        source="[i]test[/i]",
        tags="stress",
    )
    member = (await community.accounts.sign_up("Rowan", PASSWORD, PASSWORD)).member

    term = await connect("rowan", password=PASSWORD)
    await term.wait_for("welcome, Rowan")
    await term.type(F1)
    await term.wait_for("Help and crisis lines")
    await term.wait_for("R resource library")
    await term.type("r")
    screen = await term.wait_for("5-4-3-2-1 grounding")
    assert "Resource library" in screen and "Box breathing" in screen
    await term.type("\r")
    screen = await term.wait_for("Notice 5 things you can see")
    assert "5-4-3-2-1 grounding" in screen and "Tags: grounding" in screen
    await term.type("f")
    await term.wait_for("Saved. One of your favourites")
    assert [v.title for v in await community.resources.favourites(member.id)] == [
        "5-4-3-2-1 grounding"
    ]

    # The sysop's entry with markup and escape sequences shows exactly as written.
    await term.type(ESC)
    await term.wait_for("* 5-4-3-2-1 grounding")
    await asyncio.sleep(0.2)  # kept: spaces the Esc from END's sequence (escape timeout)
    await term.type(END)
    await asyncio.sleep(0.2)  # kept: the highlight moving has no marker on screen
    await term.type("\r")
    screen = await term.wait_for("still here")
    assert "[bold red]not markup[/] [@click=app.quit]x[/]" in screen
    assert "Zz [b]odd[/b] entry" in screen
    # The escape characters were dropped: the rest is plain text on the screen, not a
    # cleared screen or a new window title.
    assert "[2J]0;pwned" in screen
    await term.type(ESC)
    await term.wait_for("Resource library")

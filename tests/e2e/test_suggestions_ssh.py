"""Suggestions over real SSH: a member opts in, writes about sleep, and is offered Sleep help."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from support import SSH_PASSWORD as PASSWORD

from bbs.boards.records import PostingRules
from bbs.community import Community
from bbs.resources import records as resources
from server.ssh_server import RunningServer

TAB = "\t"
CTRL_S = "\x13"
ESC = "\x1b"


async def test_a_member_opts_in_writes_about_sleep_and_is_offered_sleep_help(
    connect: Any, server: RunningServer
) -> None:
    community: Community = server.registry.community
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    community.moderation.set_scorer(None)
    assert community.suggestions.engine is not None  # the server injected it
    # The resource library's default set (seeded once; a no-op if the server did it).
    await community.write(resources.seed_default_resources)
    await community.accounts.sign_up("Wren", PASSWORD, PASSWORD)

    term = await connect("wren", password=PASSWORD)
    await term.wait_for("welcome, Wren")
    await term.type("f")
    await term.wait_for("Suggestions are off")
    await term.type("o")
    await term.wait_for("Nothing leaves it")
    await term.type(" ")  # tick "Suggestions for me"
    await term.type(CTRL_S)
    await term.wait_for("Suggestions are on")
    await term.type(ESC)
    await term.wait_for("Nothing yet")
    await term.type(ESC)
    await term.wait_for("Goodbye")  # home again (a lone Esc must land before the next key)

    await term.type("b")
    await term.wait_for("Introductions")
    await term.type("\r")
    await term.wait_for("No threads yet")
    await term.type("n")
    await term.wait_for("New thread in Introductions")
    await term.type("Hi from a night owl")
    await term.type(TAB + TAB)
    await term.type("Hello. I cannot sleep: awake at 3am most nights, insomnia, so tired.")
    await term.type(CTRL_S)
    await term.wait_for("1 post")
    await term.type(ESC)
    await term.wait_for("W content warnings")
    await term.type(ESC)
    await term.wait_for("Goodbye")

    # Opening For you refreshes a profile that is out of date, in the engine's worker.
    await term.type("f")
    screen = await term.wait_for("because you wrote about sleep")
    assert "Your themes: sleep" in screen
    lines = screen.splitlines()
    board = next(i for i, line in enumerate(lines) if line.strip().startswith("Board"))
    assert "Sleep" in lines[board]
    assert "because you wrote about sleep" in lines[board + 1]
    resource = next(i for i, line in enumerate(lines) if line.strip().startswith("Resource"))
    assert "because you wrote about sleep" in lines[resource + 1]
    tags = await community.read(lambda s: _resource_tags(s, lines[resource]))
    assert "sleep" in tags


def _resource_tags(session: Any, line: str) -> tuple[str, ...]:
    title = line.strip().removeprefix("Resource").strip()
    for found in resources.active_resources(session):
        if found.title.startswith(title.rstrip("…").strip()):
            return tuple(found.tags)
    return ()

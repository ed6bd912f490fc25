"""A room in a real terminal: OpenSSH's ssh in tmux shows exactly what the feed holds."""

from __future__ import annotations

import asyncio
import re
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from support import wait_until

from screens.rooms import RoomScreen
from server.ssh_server import RunningServer

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("ssh") is None,
    reason="needs tmux and OpenSSH's ssh (apt-get install tmux openssh-client)",
)

PASSWORD = "a quiet harbour at night"


async def _tmux(*args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        "tmux", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, _err = await proc.communicate()
    return out.decode(errors="replace")


@pytest.fixture
async def pane() -> AsyncIterator[str]:
    name = f"bbs-room-{uuid.uuid4().hex[:8]}"
    yield name
    await _tmux("kill-session", "-t", name)


async def _wait(pane: str, pattern: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = await _tmux("capture-pane", "-p", "-t", pane)
        if re.search(pattern, screen):
            return screen
        await asyncio.sleep(0.1)  # poll interval, not a wait for something to happen
    raise AssertionError(f"{pattern!r} never appeared in the ssh window:\n{screen}")


def _presence_settled(server: RunningServer, count: int) -> bool:
    screens = [s._app.screen for s in server.registry.sessions if s._app is not None]
    rooms = [screen for screen in screens if isinstance(screen, RoomScreen)]
    return len(rooms) == count and all(r._presence_handle is None for r in rooms)


async def test_scrolled_feed_in_tmux_matches_the_feed(
    server: RunningServer, connect: Any, pane: str
) -> None:
    community = server.registry.community
    for name in ("Kestrel", "Plover", "Curlew", "Dunlin"):
        await community.accounts.sign_up(name, PASSWORD, PASSWORD)
    options = (
        "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "
        "-o PubkeyAuthentication=no -o PreferredAuthentications=password -F /dev/null"
    )
    await _tmux(
        "new-session",
        "-d",
        "-s",
        pane,
        "-x",
        "80",
        "-y",
        "24",
        "env",
        "TERM=xterm-256color",
        "sh",
        "-c",
        f"ssh -tt -p {server.port} {options} kestrel@127.0.0.1; sleep 30",
    )
    await _wait(pane, "[Pp]assword:")
    await _tmux("send-keys", "-t", pane, "-l", PASSWORD)
    await _tmux("send-keys", "-t", pane, "Enter")
    await _wait(pane, "welcome, Kestrel")
    await _tmux("send-keys", "-t", pane, "r")
    await _wait(pane, "Lobby \\(")
    await _tmux("send-keys", "-t", pane, "Enter")
    await _wait(pane, "You are in Lobby")

    senders = []
    for name in ("Plover", "Curlew", "Dunlin"):
        term = await connect(name.lower(), password=PASSWORD)
        await term.wait_for("welcome, " + name)
        await term.type("r")
        await term.wait_for("Lobby (")
        await term.type("\r")
        await term.wait_for("You are in Lobby")
        senders.append(term)
    # Every presence line has been redrawn (each waits PRESENCE_SECONDS after a join).
    await wait_until(lambda: _presence_settled(server, 4), "the presence lines to settle")
    await _wait(pane, "Here \\(4\\)")
    for i in range(12):
        # Some lines wrap, so the feed scrolls by one, two or three rows at a time.
        text = f"line {i} " + "and more words " * (i % 3) * 3
        await senders[i % 3].type(text + "\r")
        await _wait(pane, f"(?m)line {i}( |$)")

    feed = None
    for session in server.registry.sessions:
        app = session._app
        if app is not None and app.member is not None and app.member.pseudonym == "Kestrel":
            assert isinstance(app.screen, RoomScreen)
            feed = app.screen.feed
    assert feed is not None and feed.fast_updates >= 10
    held = [row.rstrip() for row in feed.visible_text().split("\n")]
    deadline = time.monotonic() + 10
    while True:  # the pane catches up with the last frame; then it must match exactly
        screen = (await _tmux("capture-pane", "-p", "-t", pane)).split("\n")
        shown = [row.rstrip() for row in screen[feed.region.y : feed.region.bottom]]
        if shown == held or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)  # poll interval, not a wait for something to happen
    assert shown == held

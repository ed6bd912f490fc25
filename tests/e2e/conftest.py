"""A real server on a free port, and real SSH clients (asyncssh with a pty; OpenSSH in tmux)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import asyncssh
import pyte
import pytest

from bbs.config import Settings
from screens.signup import LANGUAGE_TITLE as LANGUAGE_QUESTION
from server.ssh_server import RunningServer, start_server
from server.textual_patches import apply_textual_patches
from server.wiring import build_community


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[RunningServer]:
    apply_textual_patches()
    running = await start_server(settings, build_community(settings))
    try:
        yield running
    finally:
        await running.shutdown(grace=2.0)


@dataclass
class Terminal:
    """One SSH session seen through a terminal emulator, as a member would see it."""

    conn: asyncssh.SSHClientConnection
    process: asyncssh.SSHClientProcess[bytes]
    width: int = 80
    height: int = 24
    screen: pyte.Screen = field(init=False)
    stream: pyte.ByteStream = field(init=False)
    received: bytearray = field(default_factory=bytearray)
    reader: asyncio.Task[None] | None = None
    closed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        # The emulator never needs more than the server will draw (it clamps sizes).
        self.screen = pyte.Screen(min(self.width, 400), min(self.height, 150))
        self.stream = pyte.ByteStream(self.screen)

    async def _read(self) -> None:
        try:
            while True:
                data = await self.process.stdout.read(65536)
                if not data:
                    break
                self.received += data
                self.stream.feed(data)
        except (asyncssh.Error, OSError):
            pass
        finally:
            self.closed.set()

    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, needle: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return self.text()
            if self.closed.is_set():
                break
            await asyncio.sleep(0.02)  # poll interval, not a wait for something to happen
        raise AssertionError(f"{needle!r} never appeared on screen:\n{self.text()}")

    async def wait_for_match(self, pattern: str, timeout: float = 10.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text())
            if found:
                return found
            if self.closed.is_set():
                break
            await asyncio.sleep(0.02)  # poll interval, not a wait for something to happen
        raise AssertionError(f"{pattern!r} never appeared on screen:\n{self.text()}")

    async def past_language(self) -> str:
        """Sign-up asks the language first: choose English (1) and wait for the guidelines."""
        await self.wait_for(LANGUAGE_QUESTION)
        self.send("1")
        return await self.wait_for("I agree")

    async def wait_closed(self, timeout: float = 10.0) -> int | None:
        await asyncio.wait_for(self.closed.wait(), timeout)
        await asyncio.wait_for(self.process.wait_closed(), timeout)
        return self.process.exit_status

    def send(self, data: str | bytes) -> None:
        self.process.stdin.write(data.encode() if isinstance(data, str) else data)

    async def type(self, text: str) -> None:
        self.send(text)
        await asyncio.sleep(0.05)  # kept: paces typing like a person's (each call one read)

    async def close(self) -> None:
        self.conn.close()
        await self.conn.wait_closed()


async def open_terminal(
    port: int,
    username: str,
    *,
    password: str | None = None,
    client_keys: list[asyncssh.SSHKey] | None = None,
    term_type: str = "xterm-256color",
    size: tuple[int, int] = (80, 24),
    pty: bool = True,
    command: str | None = None,
    env: dict[str, str] | None = None,
) -> Terminal:
    if username == "new" and password is None:
        # Any client way in works for sign-up; asyncssh's client needs something to send.
        password = ""
    conn = await asyncssh.connect(
        "127.0.0.1",
        port,
        username=username,
        password=password,
        client_keys=client_keys or [],
        known_hosts=None,
        agent_path=None,
        preferred_auth=("publickey", "keyboard-interactive", "password")
        if username == "new"
        else ("publickey", "password"),
    )
    process = await conn.create_process(
        command,
        term_type=term_type if pty else None,
        term_size=size if pty else None,
        encoding=None,
        env=env or {},
    )
    terminal = Terminal(conn, process, width=size[0], height=size[1])
    terminal.reader = asyncio.get_running_loop().create_task(terminal._read())
    return terminal


@pytest.fixture
def connect(server: RunningServer) -> Any:
    opened: list[Terminal] = []

    async def _connect(username: str, **kwargs: Any) -> Terminal:
        terminal = await open_terminal(server.port, username, **kwargs)
        opened.append(terminal)
        return terminal

    yield _connect
    for terminal in opened:
        terminal.conn.close()


@pytest.fixture
def ssh_to() -> Any:
    """open_terminal(port, username, ...) for servers a test starts itself."""
    opened: list[Terminal] = []

    async def _open(port: int, username: str, **kwargs: Any) -> Terminal:
        terminal = await open_terminal(port, username, **kwargs)
        opened.append(terminal)
        return terminal

    yield _open
    for terminal in opened:
        terminal.conn.close()

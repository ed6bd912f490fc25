"""The main member paths with OpenSSH's own `ssh` client, in a real terminal (tmux)."""

from __future__ import annotations

import asyncio
import re
import shutil
import time
import uuid
from collections.abc import AsyncIterator

import pytest

from server.ssh_server import RunningServer

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("ssh") is None,
    reason="needs tmux and OpenSSH's ssh (apt-get install tmux openssh-client)",
)

PASSWORD = "a quiet harbour at night"
RECOVERY_CODE = r"[A-Z2-9]{5}(-[A-Z2-9]{5}){4}"


async def _tmux(*args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        "tmux", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, _err = await proc.communicate()
    return out.decode(errors="replace")


class TmuxSSH:
    """An OpenSSH client running in an 80x24 tmux pane."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def start(self, port: int, user: str, *, keys: bool = False) -> None:
        options = [
            "-o StrictHostKeyChecking=no",
            "-o UserKnownHostsFile=/dev/null",
            "-o LogLevel=ERROR",
            "-o PubkeyAuthentication=no" if not keys else "",
            "-o PreferredAuthentications=keyboard-interactive,password",
            "-o NumberOfPasswordPrompts=3",
            "-F /dev/null",
        ]
        command = (
            f"ssh -tt -p {port} {' '.join(o for o in options if o)} {user}@127.0.0.1; "
            "echo EXIT=$?; sleep 30"
        )
        await _tmux(
            "new-session",
            "-d",
            "-s",
            self.name,
            "-x",
            "80",
            "-y",
            "24",
            "env",
            "TERM=xterm-256color",
            "sh",
            "-c",
            command,
        )

    async def screen(self) -> str:
        return await _tmux("capture-pane", "-p", "-t", self.name)

    async def wait_for(self, pattern: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = await self.screen()
            if re.search(pattern, screen):
                return screen
            await asyncio.sleep(0.1)  # poll interval, not a wait for something to happen
        raise AssertionError(f"{pattern!r} never appeared in the ssh window:\n{screen}")

    async def past_language(self) -> str:
        """Sign-up asks the language first: choose English (1) and wait for the guidelines."""
        await self.wait_for("Language")
        await self.keys("1")
        return await self.wait_for("I agree")

    async def keys(self, *keys: str) -> None:
        await _tmux("send-keys", "-t", self.name, *keys)
        await asyncio.sleep(0.15)  # kept: keys paced like a person's (one read each)

    async def literal(self, text: str) -> None:
        await _tmux("send-keys", "-t", self.name, "-l", text)
        await asyncio.sleep(0.15)  # kept: keys paced like a person's (one read each)

    async def kill(self) -> None:
        await _tmux("kill-session", "-t", self.name)


@pytest.fixture
async def tmux() -> AsyncIterator[list[TmuxSSH]]:
    windows: list[TmuxSSH] = []
    yield windows
    for window in windows:
        await window.kill()


def _window(tmux: list[TmuxSSH]) -> TmuxSSH:
    window = TmuxSSH(f"bbs-test-{uuid.uuid4().hex[:8]}")
    tmux.append(window)
    return window


async def test_openssh_signup_quit_login_and_wrong_password(
    server: RunningServer, tmux: list[TmuxSSH]
) -> None:
    signup = _window(tmux)
    await signup.start(server.port, "new")
    await signup.past_language()
    await signup.keys("a")
    await signup.wait_for("Choose how you will be known here")
    await signup.literal("Heron")
    await signup.keys("Enter")
    await signup.literal(PASSWORD)
    await signup.keys("Enter")
    await signup.literal(PASSWORD)
    await signup.keys("Enter")
    await signup.wait_for(RECOVERY_CODE)
    await signup.keys("Enter")
    await signup.wait_for("welcome, Heron")
    await signup.keys("q")
    screen = await signup.wait_for("EXIT=")
    assert "EXIT=0" in screen

    login = _window(tmux)
    await login.start(server.port, "heron")
    await login.wait_for("[Pp]assword:")
    await login.literal(PASSWORD)
    await login.keys("Enter")
    await login.wait_for("welcome, Heron")
    await login.wait_for("Last visit:")
    await login.keys("F1")
    await login.wait_for("crisis lines")
    await login.keys("Escape")
    await login.keys("q")
    assert "EXIT=0" in await login.wait_for("EXIT=")

    # Keyboard-interactive and then password prompts: the server ends it at 6 failures,
    # answering each later one more slowly.
    wrong = _window(tmux)
    await wrong.start(server.port, "heron")
    attempts = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        screen = await wrong.screen()
        if "EXIT=" in screen:
            break
        prompts = [line for line in screen.splitlines() if line.rstrip().endswith("assword:")]
        if len(prompts) > attempts:
            await wrong.literal("not my password")
            await wrong.keys("Enter")
            attempts += 1
        await asyncio.sleep(0.2)  # poll interval, not a wait for something to happen
    screen = await wrong.wait_for("EXIT=")
    assert "EXIT=255" in screen
    assert attempts == 6
    assert "Too many authentication failures" in screen or "Permission denied" in screen


async def test_openssh_signup_pasted_with_tabs_fills_each_field(
    server: RunningServer, tmux: list[TmuxSSH]
) -> None:
    # A password manager's "name<Tab>password<Tab>password<Enter>": one write to the pty.
    signup = _window(tmux)
    await signup.start(server.port, "new")
    await signup.past_language()
    await signup.keys("a")
    await signup.wait_for("Choose how you will be known here")
    await _tmux("send-keys", "-t", signup.name, "-l", f"Egret\t{PASSWORD}\t{PASSWORD}\r")
    await signup.wait_for(RECOVERY_CODE)
    member = await server.registry.community.accounts.authenticate_password("egret", PASSWORD)
    assert member is not None and member.pseudonym == "Egret"

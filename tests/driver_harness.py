"""A fake SSH channel and a tiny recording app, for tests that drive SSHDriver directly."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

from server.driver import SSHDriver, TerminalLink
from server.textual_patches import apply_textual_patches


class Channel:
    def __init__(self, backlog: int = 0) -> None:
        self.data = bytearray()
        self.backlog = backlog

    def write(self, data: bytes) -> None:
        self.data += data

    def get_write_buffer_size(self) -> int:
        return self.backlog


class Recorder(App[None]):
    """A tiny app that records what the driver delivers."""

    def __init__(self, link: TerminalLink) -> None:
        super().__init__(driver_class=SSHDriver)
        self.terminal_link = link
        self.keys: list[str] = []
        self.pastes: list[str] = []
        self.sizes: list[tuple[int, int]] = []
        # Keys and pastes in the order they arrived.
        self.inputs: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Static("hello")

    def on_key(self, event: events.Key) -> None:
        self.keys.append(event.key)
        self.inputs.append(("key", event.key))

    def on_paste(self, event: events.Paste) -> None:
        self.pastes.append(event.text)
        self.inputs.append(("paste", event.text))

    def on_resize(self, event: events.Resize) -> None:
        self.sizes.append((event.size.width, event.size.height))


async def run_with(link: TerminalLink, script: Callable[[Recorder], Awaitable[None]]) -> Recorder:
    apply_textual_patches()
    app = Recorder(link)

    async def drive() -> None:
        await wait_until(lambda: started(app, link), what="the app to start")
        try:
            await script(app)
        finally:
            app.exit()

    task = asyncio.get_running_loop().create_task(drive())
    await app.run_async()
    await task
    return app


def started(app: App[object], link: TerminalLink) -> bool:
    """The app runs behind our driver and its first screen is mounted."""
    if link.driver is None or not app.is_running or not app.screen_stack:
        return False
    return bool(app.screen.is_mounted)


def input_idle(link: TerminalLink) -> bool:
    """Everything fed has been parsed, handed to the app and handled (or dropped)."""
    driver = link.driver
    return driver is not None and not driver._draining and not driver._pending


def driver_of(link: TerminalLink) -> SSHDriver:
    assert link.driver is not None
    return link.driver


async def wait_until(
    condition: Callable[[], object], timeout: float = 10.0, what: str = "the condition"
) -> None:
    """Wait on a condition (checked every loop pass or so), never a fixed time."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)  # poll interval, not a wait for something to happen

"""A widget whose content grows is drawn at its new height, however a loaded loop
interleaves the work: the screen a client is sent matches a fresh screen's render."""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

import pyte
import pytest
from driver_harness import Channel
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from server.driver import SSHDriver, TerminalLink
from server.textual_patches import apply_textual_patches

WIDTH, HEIGHT = 60, 30
PLACES = 4


class Growing(App[None]):
    """A status line above a column of texts, each as tall as its lines."""

    def __init__(
        self,
        status: list[str],
        texts: list[list[str]],
        link: TerminalLink | None = None,
        overflow: str = "auto",
    ) -> None:
        super().__init__(driver_class=SSHDriver if link is not None else None)
        if link is not None:
            self.terminal_link = link
        self.status = status
        self.texts = texts
        self.overflow = overflow

    def compose(self) -> ComposeResult:
        yield Static("\n".join(self.status), id="status", markup=False)
        column = VerticalScroll(id="column")
        column.styles.overflow_y = self.overflow  # type: ignore[assignment]
        with column:
            for n, lines in enumerate(self.texts):
                yield Static("\n".join(lines), id=f"text{n}", markup=False)


def _busy(seconds: float) -> None:
    """Other sessions' work: the loop is busy with them for a while."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def _settled(app: Growing) -> bool:
    """Nothing left to do: no message waiting, no layout or repaint asked, the frame sent."""
    screen = app.screen
    driver: Any = app._driver
    pumps = [app, screen, *screen.walk_children()]
    if any(not pump._message_queue.empty() for pump in pumps):
        return False
    if screen._scroll_required or screen._dirty_widgets:
        return False
    if any(p._layout_required or p._repaint_required for p in pumps[1:]):  # type: ignore[attr-defined]
        return False
    return not driver._flush_scheduled and not driver._out


async def _wait(condition: Any, what: str, seconds: float = 5.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return
        await asyncio.sleep(0)  # every loop pass: a state that lasts one pass is seen
    raise AssertionError(f"never {what}")


async def _fresh_render(status: list[str], texts: list[list[str]], overflow: str) -> list[str]:
    """What a new screen showing the same text draws (nothing cached, nothing skipped)."""
    app = Growing(list(status), [list(t) for t in texts], overflow=overflow)
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await pilot.pause()
        return [
            "".join(s.text for s in strip).rstrip()
            for strip in app.screen._compositor.render_strips()
        ]


@pytest.mark.parametrize("overflow", ["auto", "scroll"])
async def test_growing_texts_are_drawn_whole_on_a_busy_loop(overflow: str) -> None:
    """Texts grow (past the view, in time) while the loop is busy elsewhere; after each
    change the screen sent must be the one a fresh screen draws. `scroll` keeps the
    column's scroll bar whatever its content, as the thread page's does."""
    apply_textual_patches()
    rng = random.Random(16)
    status = ["status"]
    texts = [[f"text {n} line 0"] for n in range(PLACES)]
    channel = Channel()
    app = Growing(
        list(status),
        [list(t) for t in texts],
        TerminalLink(channel=channel, width=WIDTH, height=HEIGHT),
        overflow,
    )
    terminal = pyte.Screen(WIDTH, HEIGHT)
    stream = pyte.ByteStream(terminal)
    wrong: list[str] = []

    async def grow(place: int, busy: bool) -> None:
        # Something else on the screen asks for a layout first (the status line changes)...
        status[:] = ["status"] * rng.randint(1, 2)
        app.query_one("#status", Static).update("\n".join(status))
        await _wait(lambda: app.screen._layout_required, "asked the screen for a layout")
        if busy:
            asyncio.get_running_loop().call_soon(_busy, 0.04)
        # ...while the session waits on a thread (a database read) and the loop is busy;
        await asyncio.to_thread(time.sleep, 0.002)
        # back from it, one text grows (or starts again short).
        lines = texts[place]
        if len(lines) >= 9:  # four texts of up to nine lines: past the view, then back
            del lines[:-1]
        lines.append(f"text {place} line {len(lines)}")
        app.query_one(f"#text{place}", Static).update("\n".join(lines))

    async def drive() -> None:
        try:
            await _wait(lambda: app.is_running and _settled(app), "started")
            for round_ in range(24):
                await grow(rng.randrange(PLACES), busy=round_ % 4 != 3)
                await _wait(lambda: _settled(app), "settled")
                stream.feed(bytes(channel.data))
                channel.data.clear()
                sent = [line.rstrip() for line in terminal.display]
                fresh = await _fresh_render(status, texts, overflow)
                if sent != fresh:
                    wrong.append(
                        f"round {round_}, sent:\n"
                        + "\n".join(sent[:12])
                        + "\nwhere a fresh screen draws:\n"
                        + "\n".join(fresh[:12])
                    )
        finally:
            app.exit()

    task = asyncio.get_running_loop().create_task(drive())
    await app.run_async()
    await task
    assert not wrong, "\n".join(wrong[:2])

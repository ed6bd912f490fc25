"""Our Textual driver over an SSH channel: bounded output, throttled input, clamped sizes."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from driver_harness import Channel, Recorder, driver_of, input_idle, run_with, started, wait_until
from textual.app import App, ComposeResult
from textual.widgets import Static

from bbs.clock import ManualClock
from server.driver import OUTPUT_STALL_SECONDS, SSHDriver, TerminalLink
from server.textual_patches import apply_textual_patches


async def test_keys_and_a_lone_escape_arrive() -> None:
    link = TerminalLink(Channel(), 80, 24)

    async def script(app: Recorder) -> None:
        driver_of(link).feed(b"ab")
        driver_of(link).feed(b"\x1b")
        await wait_until(lambda: len(app.keys) >= 3, what="a, b and the lone escape")

    app = await run_with(link, script)
    assert app.keys[:3] == ["a", "b", "escape"]


async def test_bracketed_paste_arrives_whole_and_in_slices() -> None:
    link = TerminalLink(Channel(), 80, 24)
    text = "line\n" * 4000  # 20,000 characters: parsed over several loop passes

    async def script(app: Recorder) -> None:
        driver_of(link).feed(b"\x1b[200~" + text.encode() + b"\x1b[201~")
        await wait_until(lambda: app.pastes and input_idle(link), what="the paste")

    app = await run_with(link, script)
    assert app.pastes == [text]


async def test_a_keystroke_flood_is_dropped_and_said_once() -> None:
    dropped: list[int] = []
    link = TerminalLink(
        Channel(),
        80,
        24,
        max_input_bytes_per_second=10_000,
        max_input_byte_burst=10_000,
        on_input_dropped=lambda: dropped.append(1),
    )

    elapsed: list[float] = []

    async def script(app: Recorder) -> None:
        start = time.monotonic()
        for _ in range(100):
            driver_of(link).feed(b"x" * 1000)
        elapsed.append(time.monotonic() - start)
        await wait_until(lambda: dropped and input_idle(link), what="the flood to be handled")

    app = await run_with(link, script)
    assert len(dropped) == 1
    # The first second's budget, plus what refilled while the flood was being fed.
    allowed = 10_000 + 10_000 * elapsed[0] + 1000
    assert 5 <= app.keys.count("x") <= allowed < 100_000


async def test_the_input_limits_read_the_sessions_clock() -> None:
    # The byte bucket: a burst of 10,000, refilled at 10,000 a second, by the clock given.
    clock = ManualClock()
    dropped: list[int] = []
    link = TerminalLink(
        Channel(),
        80,
        24,
        max_input_bytes_per_second=10_000,
        max_input_byte_burst=10_000,
        max_input_events_per_second=100_000,
        max_input_event_burst=100_000,
        on_input_dropped=lambda: dropped.append(1),
        clock=clock,
    )

    async def script(app: Recorder) -> None:
        for _ in range(11):  # the eleventh thousand is over the burst: dropped
            driver_of(link).feed(b"x" * 1000)
        await wait_until(lambda: dropped and input_idle(link), what="the burst")
        await wait_until(lambda: app.keys.count("x") == 10_000, what="the burst's keys")
        driver_of(link).feed(b"y")  # no time has passed: still nothing left
        clock.advance(0.5)  # half a second earns 5,000 bytes
        driver_of(link).feed(b"z" * 5000)
        await wait_until(lambda: app.keys.count("z") == 5000, what="half a second's keys")

    app = await run_with(link, script)
    assert app.keys.count("x") == 10_000 and "y" not in app.keys


async def test_a_client_that_stops_reading_is_cut_off_not_buffered() -> None:
    overflowed: list[int] = []
    channel = Channel(backlog=10_000_000)
    link = TerminalLink(
        channel, 80, 24, max_output_buffer=1_000_000, on_overflow=lambda: overflowed.append(1)
    )

    async def script(app: Recorder) -> None:
        app.refresh()
        await wait_until(lambda: overflowed, what="the overflow")

    await run_with(link, script)
    assert overflowed
    assert len(channel.data) == 0


async def test_a_client_behind_on_its_output_gets_the_latest_screen_whole_not_every_frame() -> None:
    # Output waits in the channel only when the client's SSH window is full. Frames made
    # meanwhile are not queued behind it, and its keys wait (typed ahead, in order): when
    # it has read what waited, the screen goes whole, as it is then, and the keys follow.
    clock = ManualClock()
    channel = Channel()
    overflowed: list[int] = []
    link = TerminalLink(channel, 80, 24, clock=clock, on_overflow=lambda: overflowed.append(1))

    async def script(app: Recorder) -> None:
        await wait_until(lambda: b"hello" in channel.data, what="the first screen")
        driver = driver_of(link)
        static = app.screen.query_one(Static)
        channel.backlog = 1
        sent = len(channel.data)
        static.update("frame one")
        await wait_until(lambda: driver._held, what="the output held")
        static.update("frame two")
        driver.feed(b"ab")
        assert app.keys == [] and driver._pending
        static.update("frame three")
        await wait_until(lambda: not static._repaint_required, what="the last frame made")
        assert len(channel.data) == sent
        channel.backlog = 0
        await wait_until(lambda: b"frame three" in channel.data, what="the repaint")
        repaint = bytes(channel.data[sent:])
        assert b"frame one" not in repaint and b"frame two" not in repaint
        # Whole: every row of the screen, the filter having forgotten what it showed.
        rows = {int(row) for row in re.findall(rb"\x1b\[(\d+);1H", repaint)}
        assert rows >= set(range(1, 25)), sorted(rows)
        await wait_until(lambda: app.keys == ["a", "b"], what="the keys typed ahead")
        # A client that takes nothing of what waits for OUTPUT_STALL_SECONDS is cut off.
        channel.backlog = 2
        static.update("frame four")
        await wait_until(lambda: driver._held, what="the output held again")
        clock.advance(OUTPUT_STALL_SECONDS / 2)
        channel.backlog = 1  # it read some: not cut off yet
        await wait_until(lambda: driver._held_backlog == 1, what="the progress seen")
        clock.advance(OUTPUT_STALL_SECONDS - 1)
        assert not overflowed
        clock.advance(2)
        await wait_until(lambda: overflowed, what="the cut-off")

    await run_with(link, script)
    assert b"frame four" not in channel.data


async def test_window_sizes_are_clamped_and_storms_coalesced() -> None:
    link = TerminalLink(Channel(), 65535, 65535)

    async def script(app: Recorder) -> None:
        assert app.size.width == 400 and app.size.height == 150
        before = len(app.sizes)
        for n in range(1000):
            driver_of(link).resize(80 + n % 7, 24)
        driver_of(link).resize(100, 30)
        await wait_until(lambda: app.sizes[-1] == (100, 30), what="the last size")
        assert len(app.sizes) - before <= 3
        assert app.sizes[-1] == (100, 30)

    await run_with(link, script)


async def test_idle_sends_nothing() -> None:
    channel = Channel()
    link = TerminalLink(channel, 80, 24)

    async def script(app: Recorder) -> None:
        await wait_until(lambda: b"hello" in channel.data, what="the first frame")
        # Kept: the first frame may still be finishing (no marker for its last byte).
        await asyncio.sleep(0.5)
        before = len(channel.data)
        await asyncio.sleep(1.5)  # kept: a negative check, nothing may be sent while idle
        assert len(channel.data) == before

    await run_with(link, script)


class CountedChannel(Channel):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> None:
        super().write(data)
        self.writes.append(data)


async def test_the_modes_a_session_starts_with_leave_with_its_first_frame() -> None:
    # One channel write (one SSH packet) for the modes, the pointer shape and the frame,
    # in that order; what is written afterwards goes out as before, in its loop pass.
    channel = CountedChannel()
    link = TerminalLink(channel, 80, 24)

    async def script(app: Recorder) -> None:
        await wait_until(lambda: b"hello" in channel.data, what="the first frame")
        first = channel.writes[0]
        assert first.startswith(b"\x1b[?1049h")
        assert b"\x1b[?2004h" in first and b"\x1b[?7l" in first
        assert first.index(b"\x1b[?7l") < first.index(b"hello")
        assert len(channel.writes) == 1
        app.bell()
        await wait_until(lambda: len(channel.writes) == 2, what="the bell")
        assert channel.writes[1] == b"\x07"

    await run_with(link, script)


async def test_modes_written_before_a_session_ends_unpainted_still_go_in_order() -> None:
    channel = CountedChannel()
    link = TerminalLink(channel, 80, 24)
    app = Recorder(link)
    driver = SSHDriver(app)
    driver.start_application_mode()
    await asyncio.sleep(0)  # kept: a loop pass, in which nothing may be sent yet
    assert channel.writes == []
    driver.stop_application_mode()
    assert len(channel.writes) == 1
    data = channel.writes[0]
    assert data.index(b"\x1b[?1049h") < data.index(b"\x1b[?1049l")


async def test_the_event_loop_is_not_stalled_by_a_big_paste() -> None:
    link = TerminalLink(
        Channel(), 80, 24, max_input_bytes_per_second=2_000_000, max_input_byte_burst=2_000_000
    )
    lateness: list[float] = []

    async def ticker() -> None:
        for _ in range(150):
            start = time.perf_counter()
            await asyncio.sleep(0.002)  # kept: this measures how late the loop wakes us
            lateness.append(time.perf_counter() - start - 0.002)

    async def script(app: Recorder) -> None:
        tick = asyncio.get_running_loop().create_task(ticker())
        driver_of(link).feed(b"\x1b[200~" + b"y" * 500_000 + b"\x1b[201~")
        await tick

    app: Any = await run_with(link, script)
    assert max(lateness) < 0.25, f"loop stalled {max(lateness) * 1000:.0f} ms"
    assert app.pastes and len(app.pastes[0]) == 500_000


async def test_synchronized_output_is_used_once_the_terminal_says_it_supports_it() -> None:
    channel = Channel()
    link = TerminalLink(channel, 80, 24)

    async def script(app: Recorder) -> None:
        await wait_until(lambda: b"hello" in channel.data, what="the first frame")
        assert b"\x1b[?2026$p" in channel.data  # the question
        assert b"\x1b[?2026h" not in channel.data
        driver_of(link).feed(b"\x1b[?2026;1$y")  # the terminal's answer: supported
        await wait_until(lambda: input_idle(link), what="the answer to be read")
        app.query_one(Static).update("changed")
        await wait_until(lambda: b"\x1b[?2026l" in channel.data, what="a synchronized frame")
        assert b"\x1b[?2026h" in channel.data and b"\x1b[?2026l" in channel.data

    await run_with(link, script)


async def test_mouse_reporting_is_clicks_only_and_optional() -> None:
    with_mouse, without = Channel(), Channel()

    async def nothing(app: Recorder) -> None:
        return None  # run_with has waited for the app to start: its modes are set by then

    await run_with(TerminalLink(with_mouse, 80, 24), nothing)
    await run_with(TerminalLink(without, 80, 24, mouse=False), nothing)
    assert b"\x1b[?1000h" in with_mouse.data and b"\x1b[?1006h" in with_mouse.data
    assert b"\x1b[?1003h" not in with_mouse.data and b"\x1b[?1002h" not in with_mouse.data
    assert b"\x1b[?1000h" not in without.data


async def test_field_shortcuts_and_text_typed_in_one_burst_keep_their_order() -> None:
    from screens.widgets import TextField

    class Form(App[None]):
        def __init__(self, link: TerminalLink) -> None:
            super().__init__(driver_class=SSHDriver)
            self.terminal_link = link

        def compose(self) -> ComposeResult:
            yield TextField(id="one")
            yield TextField(id="two")

    apply_textual_patches()
    link = TerminalLink(Channel(), 80, 24)
    app = Form(link)

    async def drive() -> None:
        await wait_until(lambda: started(app, link), what="the form to start")
        # old text, Ctrl+U (clear), new text, Enter, text for the second field: one burst.
        driver_of(link).feed(b"old\x15new\rsecond")
        await wait_until(lambda: input_idle(link), what="the burst to be handled")
        values.extend(app.query_one(f"#{n}", TextField).value for n in ("one", "two"))
        app.exit()

    values: list[str] = []
    task = asyncio.get_running_loop().create_task(drive())
    await app.run_async()
    await task
    assert values == ["new", "second"]


async def test_a_paste_cut_by_the_input_limit_is_skipped_whole_and_typing_goes_on() -> None:
    dropped: list[int] = []
    link = TerminalLink(
        Channel(),
        80,
        24,
        max_input_bytes_per_second=50_000,
        max_input_byte_burst=50_000,
        on_input_dropped=lambda: dropped.append(1),
    )

    async def script(app: Recorder) -> None:
        driver_of(link).feed(b"\x1b[200~" + b"a" * 40_000)  # fits the budget
        driver_of(link).feed(b"b" * 40_000)  # over budget: dropped
        driver_of(link).feed(b"c" * 100 + b"\x1b[201~xy")  # still over; its end marker counts
        await wait_until(lambda: app.keys[-1:] == ["y"] and input_idle(link), what="x and y")
        driver_of(link).feed(b"z")
        await wait_until(lambda: app.keys[-1:] == ["z"] and input_idle(link), what="z")

    app = await run_with(link, script)
    assert dropped
    assert app.pastes == []
    assert app.keys[-3:] == ["x", "y", "z"]

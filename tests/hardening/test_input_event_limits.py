"""The driver's input-event limits: a keystroke flood cannot hold the shared event loop.

Each key costs the app 0.1-0.3 ms and Textual handles everything queued without
yielding, so the driver hands the app a few events per loop pass and drops keys beyond
a burst and a rate, before they are parsed (parsing a key costs the loop ~12 us too).
"""

from __future__ import annotations

import asyncio
import itertools

from driver_harness import Channel, Recorder, driver_of, input_idle, run_with, wait_until

from bbs.clock import ManualClock
from server.driver import DROPPED_NOTE_SECONDS, EVENTS_PER_PASS, MAX_PASTE_BYTES, TerminalLink


async def test_a_burst_of_keys_reaches_the_app_a_few_at_a_time() -> None:
    link = TerminalLink(Channel(), 80, 24, max_input_bytes_per_second=1_000_000)
    steps: list[int] = []

    async def script(app: Recorder) -> None:
        driver_of(link).feed(b"k" * 3000)
        # Between two of our turns on the loop, the app got only a pass's worth.
        while len(app.keys) < 3000:
            steps.append(len(app.keys))
            await asyncio.sleep(0)  # kept: one loop pass, the unit this test measures
        steps.append(len(app.keys))

    app = await run_with(link, script)
    assert app.keys == ["k"] * 3000
    jumps = [b - a for a, b in itertools.pairwise(steps)]
    assert max(jumps) <= 2 * EVENTS_PER_PASS, max(jumps)


async def test_keys_beyond_the_burst_are_dropped_said_once_and_typing_resumes() -> None:
    dropped: list[int] = []
    link = TerminalLink(
        Channel(),
        80,
        24,
        max_input_events_per_second=20,
        max_input_event_burst=100,
        on_input_dropped=lambda: dropped.append(1),
    )

    async def script(app: Recorder) -> None:
        for _ in range(200):
            driver_of(link).feed(b"x" * 50)  # 10,000 keys at once
        await wait_until(lambda: input_idle(link), what="the allowed keys to be handled")
        assert 100 <= len(app.keys) < 200, len(app.keys)
        await asyncio.sleep(0.5)  # kept: ten events' worth of refill (the bucket reads the clock)
        driver_of(link).feed(b"yz")
        driver_of(link).feed(b"\x1b[200~a paste is one event\x1b[201~")
        await wait_until(lambda: app.pastes and input_idle(link), what="y, z and the paste")

    app = await run_with(link, script)
    assert len(dropped) == 1
    assert app.keys[-2:] == ["y", "z"]
    assert app.pastes == ["a paste is one event"]


async def test_a_read_bigger_than_the_allowance_is_skipped_whole_before_parsing() -> None:
    clock = ManualClock()
    dropped: list[int] = []
    link = TerminalLink(Channel(), 80, 24, on_input_dropped=lambda: dropped.append(1), clock=clock)

    async def script(app: Recorder) -> None:
        driver_of(link).feed(b"q" * 32 * 1024)  # a flooder's burst: over the 4,096 allowed
        await wait_until(lambda: input_idle(link), what="the driver to be idle")
        assert app.keys == []  # none of it was parsed into keys
        clock.advance(0.1)  # the allowance it spent refills: 20 events
        driver_of(link).feed(b"\x1b[200~" + b"a long paste " * 5000 + b"\x1b[201~")
        driver_of(link).feed(b"ok")
        await wait_until(lambda: app.keys[-1:] == ["k"] and input_idle(link), what="o and k")

    app = await run_with(link, script)
    assert dropped == [1]
    assert app.pastes == ["a long paste " * 5000]  # a paste is one event, however long
    assert app.keys == ["o", "k"]


async def test_an_endless_paste_is_held_to_a_bound_and_skipped() -> None:
    dropped: list[int] = []
    link = TerminalLink(
        Channel(),
        80,
        24,
        max_input_bytes_per_second=64 * 1024 * 1024,
        max_input_byte_burst=64 * 1024 * 1024,
        on_input_dropped=lambda: dropped.append(1),
    )
    piece = b"p" * (256 * 1024)

    async def script(app: Recorder) -> None:
        driver = driver_of(link)
        driver.feed(b"\x1b[200~" + piece)
        for _ in range(2 * MAX_PASTE_BYTES // len(piece)):
            driver.feed(piece)  # the paste never ends; past the bound it is dropped
            await asyncio.sleep(0)  # kept: a loop pass between reads, as from a socket
        await wait_until(lambda: dropped, what="the paste past its bound to be dropped")
        driver.feed(piece + b"\x1b[201~hi")
        # The megabyte held is parsed a slice a loop pass.
        await wait_until(lambda: len(app.keys) >= 2 and input_idle(link), what="h and i")

    app = await run_with(link, script)
    assert dropped == [1]
    assert app.pastes == []  # it lost its middle, so none of it is pasted
    assert app.keys == ["h", "i"]


async def test_a_flood_that_goes_on_is_told_again_only_every_few_seconds() -> None:
    # Each note is a widget mounted and removed on the shared loop: a flooder's bursts,
    # a second apart, are told once, and again only after DROPPED_NOTE_SECONDS.
    clock = ManualClock()
    dropped: list[int] = []
    link = TerminalLink(Channel(), 80, 24, on_input_dropped=lambda: dropped.append(1), clock=clock)

    async def burst(app: Recorder, word: str) -> None:
        driver_of(link).feed(b"q" * 32 * 1024)  # over the burst allowed: skipped whole
        clock.advance(0.1)  # the allowance it spent refills a little: 20 keys
        driver_of(link).feed(word.encode())  # typing after it arrives
        await wait_until(lambda: "".join(app.keys).endswith(word) and input_idle(link), what=word)

    async def script(app: Recorder) -> None:
        await burst(app, "one")
        for word in ("two", "three", "four"):
            clock.advance(1.0)
            await burst(app, word)
        assert dropped == [1]
        clock.advance(DROPPED_NOTE_SECONDS)
        await burst(app, "five")

    app = await run_with(link, script)
    assert dropped == [1, 1]
    assert "".join(app.keys) == "onetwothreefourfive"


async def test_a_flooders_small_reads_behind_its_big_ones_are_skipped_too() -> None:
    # The abuse bench's flooder: every second a 32 KB burst, then a paste and chat lines.
    # The burst is over the allowance; what follows it at once must not get through on
    # the allowance the burst did not spend, or the flood buys Textual work every second.
    clock = ManualClock()
    dropped: list[int] = []
    link = TerminalLink(Channel(), 80, 24, on_input_dropped=lambda: dropped.append(1), clock=clock)

    async def script(app: Recorder) -> None:
        for n in range(5):
            driver_of(link).feed(b"x" * 32 * 1024)
            driver_of(link).feed(b"\x1b[200~paste\x1b[201~" + b"spam %d\r" % n)
            await wait_until(lambda: input_idle(link), what="the flood to be handled")
            clock.advance(1.0)
        assert app.keys == [] and app.pastes == []
        # The flood over, the allowance refills at its rate and typing goes on.
        clock.advance(0.1)
        driver_of(link).feed(b"\x1b[200~kept\x1b[201~")
        driver_of(link).feed(b"ok")
        await wait_until(lambda: app.keys[-1:] == ["k"] and input_idle(link), what="o and k")

    app = await run_with(link, script)
    assert dropped
    assert app.pastes == ["kept"] and app.keys == ["o", "k"]


async def test_a_skipped_read_with_a_whole_paste_hands_over_none_of_it() -> None:
    # A read over the byte allowance holding a paste that begins and ends in it, and keys
    # after: none of it is parsed (the keys after its end used to go through unpaid).
    clock = ManualClock()
    dropped: list[int] = []
    link = TerminalLink(
        Channel(),
        80,
        24,
        max_input_bytes_per_second=100,
        max_input_byte_burst=100,
        on_input_dropped=lambda: dropped.append(1),
        clock=clock,
    )

    async def script(app: Recorder) -> None:
        driver_of(link).feed(b"\x1b[200~" + b"p" * 200 + b"\x1b[201~spam\r")
        await wait_until(lambda: dropped and input_idle(link), what="the read to be skipped")
        clock.advance(1.0)
        driver_of(link).feed(b"\x1b[200~kept\x1b[201~ok")
        await wait_until(lambda: app.keys[-1:] == ["k"] and input_idle(link), what="o and k")

    app = await run_with(link, script)
    assert app.pastes == ["kept"] and app.keys == ["o", "k"]

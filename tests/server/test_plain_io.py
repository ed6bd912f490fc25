"""The SSH side of plain line mode: which front end a session gets, and SSHLineIO's limits
(output filter, a reader that stops reading, input floods, end of input)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bbs.accounts.members import MemberView
from bbs.clock import ManualClock
from bbs.config import TerminalLimits
from bbs.models import ColourMode, FrontEnd, Role
from plain.io import EndOfInput, Hangup
from server.plain_io import FLOOD_NOTE, SSHLineIO, front_end_for, safe_output


class Channel:
    """What SSHLineIO writes to, with a write buffer the test controls."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.backlog = 0

    def write(self, data: bytes) -> None:
        self.data += data

    def get_write_buffer_size(self) -> int:
        return self.backlog


def _member(front_end: FrontEnd) -> MemberView:
    return MemberView(
        1,
        "Robin",
        Role.MEMBER,
        ColourMode.AUTO,
        True,
        datetime(2026, 1, 1, tzinfo=UTC),
        None,
        front_end=front_end,
    )


def test_which_front_end_a_session_gets() -> None:
    full, plain = _member(FrontEnd.FULL), _member(FrontEnd.PLAIN)
    assert front_end_for(None, "xterm-256color", True, full) is FrontEnd.FULL
    assert front_end_for(None, "xterm-256color", True, plain) is FrontEnd.PLAIN
    assert front_end_for(None, "dumb", True, full) is FrontEnd.PLAIN
    assert front_end_for(None, "DUMB", True, None) is FrontEnd.PLAIN
    assert front_end_for("plain", "xterm", True, full) is FrontEnd.PLAIN
    assert front_end_for(" plain ", None, False, None) is FrontEnd.PLAIN
    assert front_end_for("full", "dumb", True, plain) is FrontEnd.FULL
    assert front_end_for("full", None, False, plain) is None
    assert front_end_for(None, None, False, full) is None
    assert front_end_for("ls -la", "xterm", True, full) is None


def test_the_output_filter_keeps_cr_lf_and_bel_only() -> None:
    hostile = "a\x1b[2Jb\x9bc\x07d\r\ne\x00f\x7fg\x08h\u0085i"
    assert safe_output(hostile) == "a[2Jbc\x07d\r\nefghi"
    assert safe_output("café ☕") == "café ☕"


def _io(
    channel: Channel, *, echo: bool = True, clock: ManualClock | None = None, **limits: int
) -> tuple[SSHLineIO, list[bool]]:
    overflowed: list[bool] = []
    io = SSHLineIO(
        channel,
        TerminalLimits(**limits),
        width=80,
        height=24,
        echo=echo,
        on_overflow=lambda: overflowed.append(True),
        clock=clock,
    )
    return io, overflowed


async def test_a_line_is_read_echoed_and_written_in_one_write_per_pass() -> None:
    channel = Channel()
    io, _ = _io(channel)
    reading = asyncio.ensure_future(io.read_line("Name: "))
    await asyncio.sleep(0)  # kept: one loop pass, so the read is waiting (the unit tested)
    io.feed(b"Robin\r")
    assert await reading == "Robin"
    await asyncio.sleep(0)  # kept: one loop pass: its writes go out in one
    assert bytes(channel.data) == b"Name: Robin\r\n"


async def test_a_client_that_stops_reading_is_cut_off() -> None:
    channel = Channel()
    io, overflowed = _io(channel, max_output_buffer=1000)
    channel.backlog = 990
    io.write("x" * 50)
    await asyncio.sleep(0)  # kept: one loop pass, when the write is flushed
    assert overflowed == [True] and not channel.data
    with pytest.raises(Hangup):
        await io.read_line("> ")


async def test_an_input_flood_is_dropped_and_said_once() -> None:
    channel = Channel()
    io, _ = _io(channel, max_input_byte_burst=100, max_input_bytes_per_second=1)
    reading = asyncio.ensure_future(io.read_line("> "))
    await asyncio.sleep(0)  # kept: one loop pass, so the read is waiting
    for _ in range(5):
        io.feed(b"y" * 90)
    await asyncio.sleep(0)  # kept: one loop pass, when the note is flushed
    assert bytes(channel.data).count(FLOOD_NOTE.encode()) == 1
    io.feed(b"\r")
    assert await reading == "y" * 90


async def test_piped_input_is_read_to_its_end_then_reads_end() -> None:
    channel = Channel()
    io, _ = _io(channel, echo=False)
    io.feed(b"2\n0\n")
    io.eof()
    assert await io.read_line("> ") == "2"
    assert await io.read_line("> ") == "0"
    with pytest.raises(Hangup):
        await io.read_line("> ")
    assert b"2" not in bytes(channel.data).replace(b"> ", b"")  # no echo without a pty


async def test_ctrl_c_ends_and_hangup_wakes_a_waiting_read() -> None:
    channel = Channel()
    io, _ = _io(channel)
    reading = asyncio.ensure_future(io.read_line("> "))
    await asyncio.sleep(0)  # kept: one loop pass, so the read is waiting
    io.feed(b"\x03")
    with pytest.raises(EndOfInput):
        await reading
    waiting = asyncio.ensure_future(io.read_line("> "))
    await asyncio.sleep(0)  # kept: one loop pass, so the read is waiting
    io.hangup()
    with pytest.raises(Hangup):
        await waiting


async def test_the_input_limit_refills_by_the_sessions_clock() -> None:
    clock = ManualClock()
    channel = Channel()
    io, _ = _io(channel, clock=clock, max_input_byte_burst=100, max_input_bytes_per_second=10)
    reading = asyncio.ensure_future(io.read_line("> "))
    await asyncio.sleep(0)  # kept: one loop pass, so the read is waiting
    io.feed(b"a" * 100)  # the whole burst
    io.feed(b"b")  # no time has passed: dropped
    clock.advance(1.0)  # a second earns 10 bytes
    io.feed(b"c" * 9 + b"\r")
    assert await reading == "a" * 100 + "c" * 9

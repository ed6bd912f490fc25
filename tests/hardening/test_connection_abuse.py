"""Connection abuse at the door and inside sessions, on loopback, against a real server.

Linux routes all of 127/8 to lo, so binding a client socket to 127.0.0.N makes the
server see N different source addresses. Full-size counts and timings are in
bench/bench_connection_abuse.py; counts here are the issue's own where they are cheap
(300 silent connections from 30 sources, 10 sources x 20 wrong passwords, a 1 MB flood)
and smaller where each step costs a repaint (resizes: 1000 a second for two seconds).
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import re
import socket
import time
from typing import Any

import asyncssh
import pytest
from hostile_corpus import forbidden_sequences
from support import SSH_PASSWORD as PASSWORD

from bbs.config import LoginLimits, Settings, TerminalLimits, with_overrides
from server.ssh_server import RunningServer

# The ordinary wait of tests/e2e/conftest.py: a functional bound, not a measurement.
WAIT = 10.0


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Penalties as the defaults (3 free failures, then doubling from 0.5 s) but capped at
    # 1 s, so a source is refused at the door after its 6th failure instead of 30 s later.
    # A client that stops reading is cut off at 256 KiB (1 MiB by default) to keep it short.
    return with_overrides(
        settings,
        login=LoginLimits(max_penalty_seconds=1.0),
        terminal=TerminalLimits(max_output_buffer=256 * 1024),
    )


async def _silent(port: int, source: str, *, say_version: bool) -> socket.socket:
    """A TCP connection from `source` that (optionally) sends its SSH version, then nothing."""
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    sock.bind((source, 0))
    await loop.sock_connect(sock, ("127.0.0.1", port))
    if say_version:
        await loop.sock_sendall(sock, b"SSH-2.0-Silent_1.0\r\n")
    return sock


async def _still_open(sock: socket.socket) -> bool:
    """Read what the server sent; False once it has hung up."""
    loop = asyncio.get_running_loop()
    try:
        while True:
            data = await asyncio.wait_for(loop.sock_recv(sock, 65536), 0.05)
            if not data:
                return False
    except TimeoutError:
        return True
    except OSError:
        return False


async def _login(
    port: int,
    name: str,
    source: str = "127.0.0.1",
    *,
    read: bool = True,
    size: tuple[int, int] = (80, 24),
    window: int = 2 * 1024 * 1024,
    **kwargs: Any,
) -> Any:
    terminal_class = importlib.import_module("hardening_e2e_fixtures").Terminal
    conn = await asyncssh.connect(
        "127.0.0.1",
        port,
        username=name,
        password=PASSWORD,
        client_keys=[],
        known_hosts=None,
        agent_path=None,
        preferred_auth=("password",),
        local_addr=(source, 0),
        **kwargs,
    )
    process = await conn.create_process(
        term_type="xterm-256color", term_size=size, encoding=None, window=window
    )
    term = terminal_class(conn, process, width=size[0], height=size[1])
    if read:
        term.reader = asyncio.get_running_loop().create_task(term._read())
    return term


async def test_300_silent_connections_from_30_sources_hold_no_more_than_the_caps(
    server: RunningServer, settings: Settings
) -> None:
    community = server.registry.community
    await community.accounts.sign_up("Quince", PASSWORD, PASSWORD)
    limits = settings.login
    sources = [f"127.0.0.{n}" for n in range(1, 31)]
    socks: list[tuple[str, socket.socket]] = []
    for round_ in range(10):
        batch = await asyncio.gather(
            *(
                _silent(server.port, source, say_version=(round_ + n) % 2 == 0)
                for n, source in enumerate(sources)
            )
        )
        socks.extend(zip(sources, batch, strict=True))
    assert len(socks) == 300
    # The server turns the extra ones away in its own time: look until it has (a hung-up
    # socket stays hung up), with a deadline.
    deadline = time.monotonic() + WAIT
    while True:
        open_flags = await asyncio.gather(*(_still_open(sock) for _, sock in socks))
        held = [source for (source, _), still in zip(socks, open_flags, strict=True) if still]
        if len(held) <= limits.startups_full or time.monotonic() > deadline:
            break
    assert 0 < len(held) <= limits.startups_full
    assert max(held.count(s) for s in sources) <= limits.unauthenticated_per_source
    assert community.guard.unauthenticated_total <= limits.startups_full
    try:
        # A member from another address still gets in, and to the menu, while they wait.
        async def arrive() -> None:
            term = await _login(server.port, "quince", "127.0.0.99")
            await term.wait_for("welcome, Quince", timeout=5.0)
            term.conn.close()

        await asyncio.wait_for(arrive(), 5.0)
        assert community.guard.unauthenticated_total <= limits.startups_full
    finally:
        for _, sock in socks:
            sock.close()


class _WrongPasswords(asyncssh.SSHClient):
    """Offers wrong password after wrong password, counting them."""

    def __init__(self) -> None:
        self.tries = 0

    def password_auth_requested(self) -> str | None:
        self.tries += 1
        return f"wrong guess {self.tries}"


async def _guess(port: int, source: str) -> tuple[str, int]:
    """One connection's worth of wrong passwords: how it ended and after how many."""
    client = _WrongPasswords()
    try:
        conn, _ = await asyncssh.create_connection(
            lambda: client,
            "127.0.0.1",
            port,
            username="victim",
            client_keys=[],
            known_hosts=None,
            agent_path=None,
            preferred_auth=("password",),
            local_addr=(source, 0),
        )
    except asyncssh.PermissionDenied:
        return "cut", client.tries
    except (asyncssh.DisconnectError, asyncssh.ConnectionLost, ConnectionError) as error:
        return ("refused" if client.tries == 0 else f"other:{error}"), client.tries
    conn.close()
    return "logged in", client.tries


async def test_ten_sources_guessing_twenty_passwords_are_cut_at_six_and_slowed(
    server: RunningServer,
) -> None:
    community = server.registry.community
    await community.accounts.sign_up("Victim", "the real password here", "the real password here")
    await community.accounts.sign_up("Quince", PASSWORD, PASSWORD)

    async def source(n: int) -> list[tuple[str, int]]:
        outcomes: list[tuple[str, int]] = []
        guesses = 0
        while guesses < 20:
            outcome = await _guess(server.port, f"127.0.1.{n}")
            outcomes.append(outcome)
            guesses += max(1, outcome[1])
        return outcomes

    results = await asyncio.gather(*(source(n) for n in range(1, 11)))
    for outcomes in results:
        # The first connection is cut after exactly six wrong passwords...
        assert outcomes[0] == ("cut", 6), outcomes
        # ...and the source is then slowed: refused at the door until its penalty passes.
        assert all(kind == "refused" for kind, _ in outcomes[1:]), outcomes
        assert sum(tries for _, tries in outcomes) == 6
    # Someone else, from another address, logs in at once.
    term = await _login(server.port, "quince", "127.0.1.99")
    await term.wait_for("welcome, Quince")
    term.conn.close()


def test_a_fresh_source_takes_a_hoarders_oldest_slot_and_nothing_is_counted_twice() -> None:
    from bbs.accounts.login_guard import LocalDoorThrottle, LoginGuard
    from bbs.clock import ManualClock

    limits = LoginLimits(startups_begin=4, startups_full=4, unauthenticated_per_source=10)
    guard = LoginGuard(limits, throttle=LocalDoorThrottle(limits, ManualClock()))
    hoarder, fresh = guard.source_key("127.0.0.1"), guard.source_key("127.0.0.2")
    ended: list[int] = []
    tickets = [guard.admit(hoarder, on_evict=functools.partial(ended.append, n)) for n in range(6)]
    assert [t.allowed for t in tickets] == [True] * 4 + [False] * 2
    newcomer = guard.admit(fresh, on_evict=functools.partial(ended.append, 99))
    assert newcomer.allowed and ended == [0]  # the oldest waiting connection made room
    assert guard.unauthenticated_total == 4
    guard.finished_authenticating(hoarder, tickets[0].ticket)  # its late goodbye: no-op
    assert guard.unauthenticated_total == 4
    # A source already holding a slot gets no special treatment, nor does one when no
    # source holds two.
    assert not guard.admit(fresh).allowed
    for ticket in tickets[1:4]:
        guard.finished_authenticating(hoarder, ticket.ticket)
    guard.finished_authenticating(fresh, newcomer.ticket)
    assert guard.unauthenticated_total == 0
    assert ended == [0]


_POSITION = re.compile(rb"\x1b\[(\d+);(\d+)H")


def _positions(data: bytes) -> list[tuple[int, int]]:
    return [(int(m.group(1)), int(m.group(2))) for m in _POSITION.finditer(data)]


async def _quiet(term: Any, seconds: float = 0.4) -> None:
    """Wait until the server has sent nothing for a moment (bounded by WAIT)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        before = len(term.received)
        await asyncio.sleep(seconds)  # kept: "nothing sent for a moment" is measured in time
        if len(term.received) == before:
            return
    raise AssertionError("the server never stopped sending")


async def test_a_resize_storm_is_clamped_coalesced_and_drawn_at_the_final_size(
    server: RunningServer,
) -> None:
    await server.registry.community.accounts.sign_up("Rowan", PASSWORD, PASSWORD)
    term = await _login(server.port, "rowan")
    await term.wait_for("welcome, Rowan")
    await _quiet(term)
    start = len(term.received)
    hostile = [(65535, 65535), (1, 1), (0, 0), (500, 200), (81, 25), (399, 151), (200, 60)]
    # 1000 window changes a second for two seconds.
    for n in range(2000):
        term.process.change_terminal_size(*hostile[n % len(hostile)])
        if n % 50 == 49:
            await asyncio.sleep(0.05)  # kept: paces the flood at 1000 changes a second
    term.screen.resize(43, 132)
    term.process.change_terminal_size(132, 43)
    await _quiet(term)
    storm = bytes(term.received[start:])
    positions = _positions(storm)
    assert positions and max(r for r, _ in positions) <= 150
    assert max(c for _, c in positions) <= 400
    # Coalesced: a repaint per burst, not one per window change (2000).
    assert storm.count(b"\x1b[1;1H") <= 200, storm.count(b"\x1b[1;1H")
    assert not forbidden_sequences(storm)
    # Responsive, and drawn at the final size: the key bar is on row 43 of 132 columns.
    mark = len(term.received)
    await term.type("p")
    await term.wait_for("Profile: Rowan")
    await _quiet(term)
    frame = _positions(bytes(term.received[mark:]))
    assert max(r for r, _ in frame) == 43 and max(c for _, c in frame) <= 132
    assert term.screen.display[42].strip(), term.text()
    assert not term.closed.is_set()


async def test_a_client_that_stops_reading_is_cut_off_and_others_carry_on(
    server: RunningServer,
) -> None:
    community = server.registry.community
    await community.accounts.sign_up("Sloth", PASSWORD, PASSWORD)
    await community.accounts.sign_up("Quince", PASSWORD, PASSWORD)
    other = await _login(server.port, "quince")
    await other.wait_for("welcome, Quince")
    # A small SSH window (asyncssh's is 2 MiB) so the server's own buffer fills sooner.
    slow = await _login(server.port, "sloth", read=False, window=64 * 1024)
    sessions = len(server.registry.sessions)
    assert sessions == 2
    # The slow client reads nothing; each window change makes the server repaint all of
    # a 400x150 screen, until the SSH window and then our buffer are full.
    deadline = time.monotonic() + WAIT * 3
    flip = False
    while len(server.registry.sessions) == sessions and time.monotonic() < deadline:
        flip = not flip
        slow.process.change_terminal_size(400 if flip else 399, 150)
        await asyncio.sleep(0.07)  # kept: the pace of a deadline loop that also drives it
    assert len(server.registry.sessions) == sessions - 1, "the slow reader was never cut off"
    # When it reads again it finds what was already in flight (a couple of SSH windows),
    # then the end: the 256 KiB that waited in the server were dropped, not delivered.
    slow.reader = asyncio.get_running_loop().create_task(slow._read())
    await asyncio.wait_for(slow.closed.wait(), WAIT)
    assert len(slow.received) < 256 * 1024, len(slow.received)
    await other.type("p")
    await other.wait_for("Profile: Quince")
    assert not other.closed.is_set()


async def test_a_one_megabyte_keystroke_flood_is_throttled_and_others_keep_going(
    server: RunningServer,
) -> None:
    community = server.registry.community
    await community.accounts.sign_up("Flood", PASSWORD, PASSWORD)
    await community.accounts.sign_up("Quince", PASSWORD, PASSWORD)
    other = await _login(server.port, "quince")
    await other.wait_for("welcome, Quince")
    flooder = await _login(server.port, "flood")
    await flooder.wait_for("welcome, Flood")
    await flooder.type("r")
    await flooder.wait_for("Lobby (")
    await flooder.type("\r")
    await flooder.wait_for("You are in Lobby", timeout=15)

    async def flood() -> None:
        chunk = b"a" * 65536
        for _ in range(16):  # 1 MiB of keystrokes, as fast as SSH takes it
            flooder.process.stdin.write(chunk)
            await flooder.process.stdin.drain()

    loop = asyncio.get_running_loop()
    # The note is a toast that goes after a few seconds: watch for it while flooding.
    told = loop.create_task(flooder.wait_for("of it was skipped", timeout=WAIT * 3))
    flooding = loop.create_task(flood())
    trips = 0
    while not flooding.done() or trips < 2:
        # A round trip for the other member: a screen there and back.
        await other.type("p")
        await other.wait_for("Profile: Quince", timeout=WAIT)
        await other.type("\x1b")
        await other.wait_for("welcome, Quince", timeout=WAIT)
        trips += 1
    await flooding
    # The flooder is told, stays connected, and the room still takes a line from them.
    await told
    await _quiet(flooder)
    await flooder.type("\x15hello after the flood\r")
    await flooder.wait_for("Flood: hello after the flood", timeout=WAIT)
    assert not flooder.closed.is_set() and not other.closed.is_set()

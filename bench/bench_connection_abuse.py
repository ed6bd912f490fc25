"""Connection abuse benchmark: the door's caps and the sessions' limits at full size.

Starts the real server (default limits) in a child process on a free loopback port and
abuses it from many loopback source addresses (Linux routes all of 127/8 to lo):

- 300 silent connections from 30 sources (half TCP only, half after the SSH version),
  then a member logging in from 127.0.0.99;
- 10 sources x 20 wrong passwords (default penalties: this phase takes ~35 s);
- 1000 window changes a second for 2 s;
- a client that stops reading (default 1 MiB buffer, default 2 MiB SSH window);
- a 1 MiB keystroke flood while another member makes round trips.

It prints a table: what held, how long members waited, and the server's event-loop
stalls (measured inside the server every 10 ms) during each phase.

    .venv/bin/python bench/bench_connection_abuse.py [--skip-brute-force]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncssh
import pyte
from server_process import ServerProcess

PASSWORD = "correct horse battery"

HARNESS = r"""
import asyncio, json, sys, time
from pathlib import Path
from bbs.config import load_settings
from server.wiring import build_community
from server.ssh_server import start_server, tune_garbage_collector
from server.textual_patches import apply_textual_patches

def rss_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

async def main():
    apply_textual_patches()
    settings = load_settings(Path(sys.argv[1]), port=0)
    community = build_community(settings)
    running = await start_server(settings, community)
    for name in ("Bench", "Other", "Flood", "Sloth", "Victim"):
        await community.accounts.sign_up(name, "correct horse battery", "correct horse battery")
    tune_garbage_collector()
    lags = []

    async def ticker():
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - start - 0.01)

    asyncio.get_running_loop().create_task(ticker())
    print(json.dumps({"port": running.port}), flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line or line.strip() == b"quit":
            break
        window = sorted(lags) or [0.0]
        lags.clear()
        print(json.dumps({
            "rss_kib": rss_kib(),
            "sessions": len(running.registry.sessions),
            "unauthenticated": community.guard.unauthenticated_total,
            "lag_max_ms": int(window[-1] * 1000),
            "lag_p99_ms": int(window[int(len(window) * 0.99)] * 1000),
        }), flush=True)
    await running.shutdown(grace=1.0)

asyncio.run(main())
"""

Row = tuple[str, str, str]


class Term:
    """A pty session seen through pyte."""

    def __init__(
        self,
        conn: asyncssh.SSHClientConnection,
        process: asyncssh.SSHClientProcess[bytes],
        size: tuple[int, int],
    ) -> None:
        self.conn = conn
        self.process = process
        self.screen = pyte.Screen(*size)
        self.stream = pyte.ByteStream(self.screen)
        self.received = bytearray()
        self.closed = asyncio.Event()
        self.reader: asyncio.Task[None] | None = None

    def start_reading(self) -> None:
        self.reader = asyncio.get_running_loop().create_task(self._read())

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

    async def wait_for(self, needle: str, timeout: float = 30.0) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if needle in self.text():
                return time.perf_counter() - start
            await asyncio.sleep(0.005)
        raise TimeoutError(f"{needle!r} never appeared")


async def login(
    port: int,
    name: str,
    source: str,
    *,
    read: bool = True,
    size: tuple[int, int] = (80, 24),
    window: int = 2 * 1024 * 1024,
) -> Term:
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
    )
    process = await conn.create_process(
        term_type="xterm-256color", term_size=size, encoding=None, window=window
    )
    term = Term(conn, process, size)
    if read:
        term.start_reading()
    return term


async def timed_login(port: int, name: str, source: str) -> float:
    start = time.perf_counter()
    term = await login(port, name, source)
    await term.wait_for(f"welcome, {name.capitalize()}")
    elapsed = time.perf_counter() - start
    term.conn.close()
    return elapsed


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# -- phases -------------------------------------------------------------------------------
async def silent_connections(server: ServerProcess) -> list[Row]:
    loop = asyncio.get_running_loop()
    await server.stats()

    async def one(source: str, version: bool) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.bind((source, 0))
        await loop.sock_connect(sock, ("127.0.0.1", server.port))
        if version:
            await loop.sock_sendall(sock, b"SSH-2.0-Silent_1.0\r\n")
        return sock

    async def is_open(sock: socket.socket) -> bool:
        try:
            while True:
                if not await asyncio.wait_for(loop.sock_recv(sock, 65536), 0.05):
                    return False
        except TimeoutError:
            return True
        except OSError:
            return False

    sources = [f"127.0.0.{n}" for n in range(1, 31)]
    start = time.perf_counter()
    socks: list[socket.socket] = []
    for round_ in range(10):
        socks += await asyncio.gather(
            *(one(s, (round_ + i) % 2 == 0) for i, s in enumerate(sources))
        )
    opened = time.perf_counter() - start
    await asyncio.sleep(1.0)
    held = sum(await asyncio.gather(*(is_open(s) for s in socks)))
    during = await server.stats()
    logins = [await timed_login(server.port, "bench", "127.0.0.99") for _ in range(5)]
    after = await server.stats()
    for sock in socks:
        sock.close()
    return [
        ("silent: 300 connections from 30 sources opened in", ms(opened), ""),
        ("silent: connections the server still holds", str(held), "<= 100 (startups_full)"),
        ("silent: unauthenticated slots counted", str(during["unauthenticated"]), "<= 100"),
        (
            "silent: member from 127.0.0.99 to menu, 5 logins",
            f"max {ms(max(logins))}, median {ms(statistics.median(logins))}",
            "< 5 s",
        ),
        ("silent: loop stall max / p99", f"{after['lag_max_ms']} / {after['lag_p99_ms']} ms", ""),
    ]


class _Wrong(asyncssh.SSHClient):
    def __init__(self) -> None:
        self.tries = 0
        self.times: list[float] = []

    def password_auth_requested(self) -> str:
        self.times.append(time.perf_counter())
        self.tries += 1
        return f"wrong {self.tries}"


async def brute_force(server: ServerProcess) -> list[Row]:
    await server.stats()

    async def one_connection(source: str) -> tuple[str, _Wrong]:
        client = _Wrong()
        try:
            conn, _ = await asyncssh.create_connection(
                lambda: client,
                "127.0.0.1",
                server.port,
                username="victim",
                client_keys=[],
                known_hosts=None,
                agent_path=None,
                preferred_auth=("password",),
                local_addr=(source, 0),
            )
        except asyncssh.PermissionDenied:
            return "cut", client
        except (asyncssh.Error, OSError):
            return ("refused" if client.tries == 0 else "lost"), client
        conn.close()
        return "in", client

    async def source(n: int) -> dict[str, Any]:
        addr = f"127.0.2.{n}"
        result: dict[str, Any] = {"cut_at": [], "refused": 0, "tries": 0, "gaps": []}
        start = time.perf_counter()
        while result["tries"] + result["refused"] < 20:
            kind, client = await one_connection(addr)
            result["tries"] += client.tries
            if kind == "refused":
                result["refused"] += 1
                await asyncio.sleep(0.5)
            elif kind == "cut":
                result["cut_at"].append(client.tries)
            gaps = [b - a for a, b in zip(client.times, client.times[1:], strict=False)]
            result["gaps"].extend(gaps)
        result["elapsed"] = time.perf_counter() - start
        return result

    results = await asyncio.gather(*(source(n) for n in range(1, 11)))
    other = await timed_login(server.port, "bench", "127.0.2.99")
    stats = await server.stats()
    cuts = sorted({c for r in results for c in r["cut_at"]})
    gaps = sorted(g for r in results for g in r["gaps"])
    return [
        (
            "brute: wrong passwords per connection before the cut",
            ", ".join(map(str, cuts)),
            "6 (max_auth_tries)",
        ),
        (
            "brute: passwords tried / refused at the door, per source",
            f"{min(r['tries'] for r in results)}-{max(r['tries'] for r in results)} / "
            f"{min(r['refused'] for r in results)}-{max(r['refused'] for r in results)}",
            "",
        ),
        (
            "brute: longest wait between two tries",
            ms(gaps[-1] if gaps else 0.0),
            "doubling from 0.5 s",
        ),
        ("brute: time for a source's 20 attempts", ms(max(r["elapsed"] for r in results)), ""),
        ("brute: another member's login meanwhile", ms(other), ""),
        ("brute: loop stall max / p99", f"{stats['lag_max_ms']} / {stats['lag_p99_ms']} ms", ""),
    ]


_POSITION = re.compile(rb"\x1b\[(\d+);(\d+)H")


async def quiet(term: Term, seconds: float = 0.4) -> None:
    while True:
        before = len(term.received)
        await asyncio.sleep(seconds)
        if len(term.received) == before:
            return


async def resize_storm(server: ServerProcess) -> list[Row]:
    term = await login(server.port, "bench", "127.0.3.1")
    await term.wait_for("welcome, Bench")
    await quiet(term)
    await server.stats()
    start_bytes = len(term.received)
    hostile = [(65535, 65535), (1, 1), (0, 0), (500, 200), (81, 25), (399, 151), (200, 60)]
    start = time.perf_counter()
    for n in range(2000):
        term.process.change_terminal_size(*hostile[n % len(hostile)])
        if n % 10 == 9:
            await asyncio.sleep(max(0.0, start + (n + 1) / 1000 - time.perf_counter()))
    storm_time = time.perf_counter() - start
    term.screen.resize(43, 132)
    final = time.perf_counter()
    term.process.change_terminal_size(132, 43)
    await quiet(term, 0.3)
    settle = time.perf_counter() - final - 0.3
    storm = bytes(term.received[start_bytes:])
    positions = [(int(a), int(b)) for a, b in _POSITION.findall(storm)]
    stats = await server.stats()
    mark = len(term.received)
    round_trip = time.perf_counter()
    term.process.stdin.write(b"p")
    await term.wait_for("Profile: Bench")
    round_trip = time.perf_counter() - round_trip
    await quiet(term, 0.2)
    frame = [(int(a), int(b)) for a, b in _POSITION.findall(bytes(term.received[mark:]))]
    term.conn.close()
    return [
        ("resize: 2000 window changes sent in", ms(storm_time), "1000 a second"),
        ("resize: full repaints drawn (coalesced)", str(storm.count(b"\x1b[1;1H")), "<< 2000"),
        ("resize: bytes sent during the storm", f"{len(storm) / 1024:.0f} KiB", ""),
        ("resize: largest row addressed", str(max(r for r, _ in positions)), "<= 150"),
        ("resize: settled after the last change", ms(max(0.0, settle)), ""),
        (
            "resize: next screen at the final size",
            f"{max(r for r, _ in frame)} rows, drawn in {ms(round_trip)}",
            "43 rows",
        ),
        ("resize: loop stall max / p99", f"{stats['lag_max_ms']} / {stats['lag_p99_ms']} ms", ""),
    ]


async def round_trip(term: Term, name: str) -> float:
    start = time.perf_counter()
    term.process.stdin.write(b"p")
    await term.wait_for(f"Profile: {name}")
    term.process.stdin.write(b"\x1b")
    await term.wait_for(f"welcome, {name}")
    return time.perf_counter() - start


async def slow_reader(server: ServerProcess) -> list[Row]:
    other = await login(server.port, "other", "127.0.4.1")
    await other.wait_for("welcome, Other")
    slow = await login(server.port, "sloth", "127.0.4.2", read=False)
    await asyncio.sleep(1.0)
    slow.process.stdin.write(b"h")  # the help screen: more text to repaint than the menu
    await asyncio.sleep(0.5)
    base = (await server.stats())["sessions"]
    lag_max = 0
    start = time.perf_counter()
    flip = False
    trips: list[float] = []
    resizes = 0
    while time.perf_counter() - start < 180:
        stats = await server.stats()
        lag_max = max(lag_max, stats["lag_max_ms"])
        if stats["sessions"] != base:
            break
        for _ in range(10):
            flip = not flip
            slow.process.change_terminal_size(400 if flip else 399, 150)
            resizes += 1
            await asyncio.sleep(0.055)
        trips.append(await round_trip(other, "Other"))
    cut_after = time.perf_counter() - start
    slow.start_reading()
    await asyncio.wait_for(slow.closed.wait(), 30)
    other.conn.close()
    slow.conn.close()
    return [
        (
            "slow reader: cut off after",
            f"{ms(cut_after)} ({resizes} repaints asked)",
            "1 MiB buffer + 2 MiB window",
        ),
        (
            "slow reader: bytes it got when it read again",
            f"{len(slow.received) / 1024:.0f} KiB",
            "bounded: SSH window + socket buffers",
        ),
        ("slow reader: other member's round trip max", ms(max(trips)) if trips else "-", ""),
        ("slow reader: loop stall max", f"{lag_max} ms", ""),
    ]


async def keystroke_flood(server: ServerProcess) -> list[Row]:
    other = await login(server.port, "other", "127.0.5.1")
    await other.wait_for("welcome, Other")
    flooder = await login(server.port, "flood", "127.0.5.2")
    await flooder.wait_for("welcome, Flood")
    flooder.process.stdin.write(b"r")
    await flooder.wait_for("Lobby (")
    flooder.process.stdin.write(b"\r")
    await flooder.wait_for("You are in Lobby")
    await quiet(flooder)
    baseline = [await round_trip(other, "Other") for _ in range(3)]
    await server.stats()

    async def flood() -> float:
        start = time.perf_counter()
        for _ in range(16):
            flooder.process.stdin.write(b"a" * 65536)
            await flooder.process.stdin.drain()
        return time.perf_counter() - start

    told = asyncio.get_running_loop().create_task(flooder.wait_for("of it was skipped"))
    flooding = asyncio.get_running_loop().create_task(flood())
    trips: list[float] = []
    while not flooding.done() or len(trips) < 5:
        trips.append(await round_trip(other, "Other"))
    sent_in = await flooding
    stats = await server.stats()
    note = await told
    await quiet(flooder)
    flooder.process.stdin.write(b"\x15after the flood\r")
    after = await flooder.wait_for("Flood: after the flood")
    other.conn.close()
    flooder.conn.close()
    return [
        ("flood: 1 MiB of keystrokes accepted by SSH in", ms(sent_in), ""),
        ("flood: other member's round trip, idle median", ms(statistics.median(baseline)), ""),
        (
            "flood: other member's round trip during, median / max",
            f"{ms(statistics.median(trips))} / {ms(max(trips))} ({len(trips)} trips)",
            "< 10 s (test bound)",
        ),
        ("flood: flooder told input was skipped after", ms(note), ""),
        ("flood: flooder's next line (once quiet) shown after", ms(after), ""),
        ("flood: loop stall max / p99", f"{stats['lag_max_ms']} / {stats['lag_p99_ms']} ms", ""),
    ]


async def run(skip_brute_force: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(Path(tmp) / "data", HARNESS)
        await server.start()
        rows: list[Row] = []
        try:
            rows += await silent_connections(server)
            rows += await resize_storm(server)
            rows += await slow_reader(server)
            rows += await keystroke_flood(server)
            if not skip_brute_force:
                rows += await brute_force(server)
            rows.append(
                (
                    "server memory at the end",
                    f"{(await server.stats())['rss_kib'] / 1024:.0f} MiB",
                    "",
                )
            )
        finally:
            await server.stop()
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'value':<{value_width}}  target")
    print(f"{'-' * width}  {'-' * value_width}  ------")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<{value_width}}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--skip-brute-force", action="store_true", help="leave out the ~35 s wrong-password phase"
    )
    args = parser.parse_args()
    asyncio.run(run(args.skip_brute_force))


if __name__ == "__main__":
    main()

"""Plain line mode against the full screen, measured the same way in one run; prints a table.

For each front end in turn, a fresh server in a child process (its own data directory,
one key per member) and real asyncssh sessions with an 80x24 pty that read all their
output: the full screen with TERM=xterm-256color, plain lines with TERM=dumb. Then:

- memory per session: server RSS with --members sessions at the main menu, and again
  with them all in the Lobby, over the empty server's RSS;
- a chat: members take turns saying a line (round robin, so nobody trips flood control)
  at --rate lines a second for --seconds; per delivered line per recipient, the bytes
  every member received meanwhile and the server's CPU (/proc/<pid>/stat utime+stime
  delta), and post-to-visible latency (send until the line's token shows up).

A plain reader presses Enter when the room says more lines are waiting (a screenful
came in since they last typed), as a person reading along would; that is in the figures.

    .venv/bin/python bench/bench_plain.py [--members 50] [--rate 5] [--seconds 30]

BENCH_PROFILE=/tmp/p writes a cProfile of each server to /tmp/p.xterm-256color and /tmp/p.dumb.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import asyncssh
from server_process import ServerProcess

HARNESS = r"""
import asyncio, gc, json, sys
from pathlib import Path
from bbs.config import load_settings, with_overrides, LoginLimits
from server.ssh_server import start_server, tune_garbage_collector
from server.session import LIVE_APPS
from server.plain_io import LIVE_PLAIN
from server.textual_patches import apply_textual_patches

def rss_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

async def main():
    import os
    profile = None
    if os.environ.get("BENCH_PROFILE_FILE"):
        import cProfile
        profile = cProfile.Profile()
    apply_textual_patches()
    settings = load_settings(Path(sys.argv[1]), port=0)
    settings = with_overrides(settings, login=LoginLimits(max_sessions_per_member=10000,
        startups_begin=50, startups_full=200, unauthenticated_per_source=50))
    running = await start_server(settings)
    tune_garbage_collector()  # as `bbs serve` does
    print(json.dumps({"port": running.port}), flush=True)
    if profile is not None:
        profile.enable()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line or line.strip() == b"quit":
            break
        gc.collect()
        print(json.dumps({"rss_kib": rss_kib(), "live_apps": len(LIVE_APPS),
                          "live_plain": len(LIVE_PLAIN),
                          "sessions": len(running.registry.sessions)}), flush=True)
    if profile is not None:
        profile.disable()
        profile.dump_stats(os.environ["BENCH_PROFILE_FILE"])
    await running.shutdown(grace=1.0)

asyncio.run(main())
"""

TOKEN = re.compile(rb"tok(\d{6})z")
CLOCK_TICK = os.sysconf("SC_CLK_TCK")
WAITING = b"more lines: Enter shows them"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICK


@dataclass(frozen=True)
class Mode:
    """How one front end is reached and walked into the Lobby."""

    name: str
    term: str
    home: bytes
    to_rooms: str
    rooms: bytes
    to_lobby: str
    inside: bytes


FULL = Mode(
    "full screen", "xterm-256color", b"welcome, ", "r", b"Lobby (", "\r", b"You are in Lobby"
)
PLAIN = Mode(
    "plain lines",
    "dumb",
    b"Main menu: type a number",
    "5\r",
    b"Rooms: type a room's number",
    "1\r",
    b"You are in Lobby",
)


class Member:
    """One member's SSH session: reads everything, notes when each line's token arrives."""

    def __init__(self, name: str, key: asyncssh.SSHKey, mode: Mode) -> None:
        self.name = name
        self.key = key
        self.mode = mode
        self.conn: asyncssh.SSHClientConnection | None = None
        self.process: asyncssh.SSHClientProcess[bytes] | None = None
        self.received = 0
        self.arrivals: dict[int, float] = {}
        self.enters = 0
        self._tail = b""
        self._screen = bytearray()
        self._watch: tuple[bytes, asyncio.Event] | None = None
        self._reader: asyncio.Task[None] | None = None

    async def open(self, port: int) -> None:
        self.conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            username=self.name,
            client_keys=[self.key],
            known_hosts=None,
            agent_path=None,
            preferred_auth=("publickey",),
        )
        self.process = await self.conn.create_process(
            term_type=self.mode.term, term_size=(80, 24), encoding=None
        )
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        assert self.process is not None
        while True:
            data = await self.process.stdout.read(65536)
            if not data:
                return
            now = time.perf_counter()
            self.received += len(data)
            chunk = self._tail + data
            for match in TOKEN.finditer(chunk):
                self.arrivals.setdefault(int(match.group(1)), now)
            if WAITING in chunk:
                # A person reading along presses Enter for the lines waiting.
                self.enters += 1
                self.send("\r")
            self._tail = chunk[-48:]
            if self._watch is not None:
                self._screen += data
                needle, event = self._watch
                if needle in self._screen:
                    event.set()

    async def wait_for(self, needle: bytes, timeout: float = 60) -> None:
        event = asyncio.Event()
        self._screen = bytearray()
        self._watch = (needle, event)
        try:
            await asyncio.wait_for(event.wait(), timeout)
        finally:
            self._watch = None

    def send(self, text: str) -> None:
        assert self.process is not None
        self.process.stdin.write(text.encode())

    async def step(self, keys: str, needle: bytes) -> None:
        waiting = asyncio.ensure_future(self.wait_for(needle))
        await asyncio.sleep(0)
        if keys:
            self.send(keys)
        await waiting

    async def log_in(self, port: int) -> None:
        waiting = asyncio.ensure_future(self.wait_for(self.mode.home))
        await asyncio.sleep(0)
        await self.open(port)
        await waiting

    async def enter_lobby(self) -> None:
        await self.step(self.mode.to_rooms, self.mode.rooms)
        await self.step(self.mode.to_lobby, self.mode.inside)

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            await self.conn.wait_closed()
        if self._reader is not None:
            self._reader.cancel()


def prepare_members(data_dir: Path, count: int) -> list[tuple[str, asyncssh.SSHKey]]:
    """Members with one key each, written through the core before the server starts."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return members_in(f"sqlite:///{data_dir / 'bbs.sqlite3'}", count)


def members_in(url: str, count: int) -> list[tuple[str, asyncssh.SSHKey]]:
    """The schema at `url` brought up to date, and `count` members with one key each."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bbs.accounts import members as accounts
    from bbs.accounts.pseudonyms import validate_pseudonym
    from bbs.db import Database
    from server.ssh_server import key_info

    database = Database(url)
    database.migrate()
    digits = max(3, len(str(count - 1)))  # member000, or member0000 past a thousand
    members = []
    with database.write() as session:
        for i in range(count):
            name = f"member{i:0{digits}d}"
            key = asyncssh.generate_private_key("ssh-ed25519")
            accounts.create_member(
                session,
                pseudonym=validate_pseudonym(name),
                password_hash="x",
                recovery_hash="x",
                key=key_info(key),
            )
            members.append((name, key))
    database.dispose()
    return members


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * share + 0.5) - 1))]


async def measure(mode: Mode, count: int, rate: float, seconds: float) -> dict[str, str]:
    """One front end on a fresh server: memory per session, then the chat."""
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        credentials = prepare_members(data_dir, count)
        if os.environ.get("BENCH_PROFILE"):
            # BENCH_PROFILE=/tmp/p writes /tmp/p.xterm-256color and /tmp/p.dumb (cProfile).
            os.environ["BENCH_PROFILE_FILE"] = f"{os.environ['BENCH_PROFILE']}.{mode.term}"
        server = ServerProcess(data_dir, HARNESS)
        await server.start()
        members = [Member(name, key, mode) for name, key in credentials]
        try:
            # Warm the server up with one session (imports, first-use caches), as both do.
            warm = Member(credentials[0][0], credentials[0][1], mode)
            await warm.log_in(server.port)
            await warm.close()
            await asyncio.sleep(1.0)
            base = await server.stats()
            gate = asyncio.Semaphore(8)

            async def log_in(member: Member) -> None:
                async with gate:
                    await member.log_in(server.port)

            await asyncio.gather(*(log_in(m) for m in members))
            await asyncio.sleep(1.0)
            at_menu = await server.stats()

            async def enter(member: Member) -> None:
                async with gate:
                    await member.enter_lobby()

            await asyncio.gather(*(enter(m) for m in members))
            await asyncio.sleep(3.0)  # presence lines settle
            in_room = await server.stats()

            total = int(rate * seconds)
            sent: dict[int, float] = {}
            bytes_before = sum(m.received for m in members)
            cpu_before = cpu_seconds(server.pid)
            t0 = time.perf_counter()
            for k in range(total):
                delay = t0 + k / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                sent[k] = time.perf_counter()
                members[k % count].send(f"feeling a bit better today, thanks all tok{k:06d}z\r")
            deadline = time.perf_counter() + 15
            while time.perf_counter() < deadline:
                if all(len(m.arrivals) >= total for m in members):
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)
            cpu_used = cpu_seconds(server.pid) - cpu_before
            bytes_used = sum(m.received for m in members) - bytes_before
            latencies = [
                (m.arrivals[k] - sent[k]) * 1000
                for m in members
                for k in range(total)
                if k in m.arrivals
            ]
            delivered = max(1, len(latencies))
            out["deliveries seen / expected"] = f"{len(latencies)} / {total * count}"
            out["bytes per room line per recipient"] = f"{bytes_used / delivered:.0f} B"
            out["server CPU per room line per recipient"] = f"{cpu_used * 1000 / delivered:.3f} ms"
            out["post-to-visible p50 / p99"] = (
                f"{statistics.median(latencies):.0f} / {percentile(latencies, 0.99):.0f} ms"
                if latencies
                else "-"
            )
            out["memory per session at the main menu"] = (
                f"{(at_menu['rss_kib'] - base['rss_kib']) / count:.0f} KiB"
            )
            out["memory per session in the room"] = (
                f"{(in_room['rss_kib'] - base['rss_kib']) / count:.0f} KiB"
            )
            out["Enter pressed for waiting lines"] = str(sum(m.enters for m in members))
            for m in members:
                await m.close()
            await asyncio.sleep(2.0)
            final = await server.stats()
            out["sessions alive after all disconnect"] = str(
                final["live_apps"] + final["live_plain"]
            )
        finally:
            await server.stop()
    return out


async def run(count: int, rate: float, seconds: float) -> None:
    results = [(mode, await measure(mode, count, rate, seconds)) for mode in (FULL, PLAIN)]
    names = list(results[0][1])
    width = max(len(n) for n in names)
    header = f"{'measure':<{width}}  " + "  ".join(f"{m.name:>20}" for m, _r in results)
    print(f"{count} members in one room at 80x24, {rate:g} lines/s for {seconds:g} s")
    print(header)
    print("-" * len(header))
    for name in names:
        print(f"{name:<{width}}  " + "  ".join(f"{r[name]:>20}" for _m, r in results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--members", type=int, default=50, help="members in the room")
    parser.add_argument("--rate", type=float, default=5.0, help="lines a second, room-wide")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long they chat")
    args = parser.parse_args()
    asyncio.run(asyncio.wait_for(run(args.members, args.rate, args.seconds), 1800))


if __name__ == "__main__":
    main()

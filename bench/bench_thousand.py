"""A thousand members on one small box (issue 21): the headline run; prints a table.

Starts the real server in a child process (its own data directory, SQLite) pinned to
core 0 with `taskset -c 0`, and drives real asyncssh clients (80x24 pty, key auth) from
this process pinned to core 1. In order:

1. memory before the first connection: the sum of PSS (/proc/PID/smaps_rollup) over
   the server process and every process under it (RSS and private memory beside it);
2. --sessions members log in by key, --parallel at a time, and stay on the home screen
   (full screen first, then line-mode ones if --plain-share > 0): memory again, and per
   home-screen session (for each front end, from the step it added);
3. --in-rooms of them go into two rooms (half each); --speakers in each room take turns
   saying lines at --rate lines/s in all (alternating rooms, round robin, so nobody
   trips flood control) for --seconds: fan-out latency (send until the line's token is
   in a recipient's output), screen bytes and server CPU (/proc/PID/stat utime+stime)
   per delivered line per recipient;
4. with the chat still going, --paint more members log in by key, 8 at a time: first
   paint p50/p95 (connect until the home screen is complete) and server CPU per session
   start (the CPU over the logins, less the chat's CPU rate measured in step 3). Each
   login keeps its slot --hold seconds after its paint (0.3, as bench_sessions.py does);
   --hold 0 keeps 8 logins in flight all the time.
5. everyone disconnects: the server must end every session (if an app outlives its
   session, a last line says which screen it was on and what holds it).

Members are written through the core before the server starts, one ed25519 key each and
a dummy password hash: no argon2 at sign-up or login. Every session is a different
member. The clients' own memory (asyncssh in this process) is not counted anywhere.

    .venv/bin/python bench/bench_thousand.py [--sessions 1000] [--in-rooms 100]
        [--plain-share 0] [--paint 100] [--seconds 30]

BENCH_DEBUG=1 shows the server's stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import asyncssh
from bench_plain import prepare_members
from server_process import ServerProcess

HARNESS = r"""
import resource
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
import asyncio, gc, json, os, sys
from pathlib import Path
from bbs.config import load_settings, with_overrides, LoginLimits
from server.ssh_server import start_server, tune_garbage_collector
from server.session import LIVE_APPS
from server.plain_io import LIVE_PLAIN
from server.textual_patches import apply_textual_patches

def count_screens():
    # In a function of its own: a loop variable left in main() would keep an app alive.
    screens = {}
    for app in list(LIVE_APPS):
        try:
            name = type(app.screen).__name__
        except Exception as error:
            name = type(error).__name__
        screens[name] = screens.get(name, 0) + 1
    return screens

def root_chain(target):
    # Breadth-first up the referrers from a leaked object to a module, a class or a task.
    import types
    ignore = {id(sys._getframe()), id(sys._getframe(1))}
    seen = {id(target)}
    queue = [(target, [])]
    visited = 0
    done = []
    while queue and visited < 20000:
        obj, path = queue.pop(0)
        done.append(path[-1] if path else "app")
        visited += 1
        for ref in gc.get_referrers(obj):
            if id(ref) in seen or id(ref) in ignore:
                continue
            if isinstance(ref, types.FrameType):
                name = "frame " + ref.f_code.co_qualname + ":" + str(ref.f_lineno)
                seen.add(id(ref))
                queue.append((ref, path + [name]))
                continue
            if ref is queue or ref is done or (isinstance(ref, tuple) and len(ref) == 2
                                               and ref[0] is obj):
                continue
            seen.add(id(ref))
            name = type(ref).__name__
            if isinstance(ref, dict):
                keys = [str(k) for k, v in ref.items() if v is obj][:2]
                name += "[" + ",".join(keys)[:50] + "]"
                if "__name__" in ref and "__builtins__" in ref:
                    return path + [name, "module " + str(ref["__name__"])]
            elif isinstance(ref, type) or isinstance(ref, asyncio.Task):
                return path + [name + " " + repr(ref)[:80]]
            elif hasattr(ref, "__qualname__"):
                name += " " + str(ref.__qualname__)
            queue.append((ref, path + [name]))
    return ["no root found", visited, done[:60]]

async def main():
    max_sessions = int(sys.argv[2])
    apply_textual_patches()
    settings = load_settings(Path(sys.argv[1]), port=0)
    settings = with_overrides(settings, login=LoginLimits(max_sessions=max_sessions,
        max_sessions_per_member=10, startups_begin=50, startups_full=200,
        unauthenticated_per_source=50))
    running = await start_server(settings)
    tune_garbage_collector()  # as `bbs serve` does
    print(json.dumps({"port": running.port}), flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line or line.strip() == b"quit":
            break
        gc.collect()
        screens = count_screens()
        held = []
        if not running.registry.sessions and LIVE_APPS:
            # Who still holds a finished app (two levels of referrers, by type).
            for app in list(LIVE_APPS)[:2]:
                try:
                    held.append("member " + app.context.member.pseudonym)
                except Exception as error:
                    held.append("member ? " + repr(error))
            screens["held"] = held
            screens["chain"] = root_chain(list(LIVE_APPS)[0])
            del app
        print(json.dumps({"live_apps": len(LIVE_APPS), "live_plain": len(LIVE_PLAIN),
                          "screens": screens,
                          "sessions": len(running.registry.sessions),
                          "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
                          "affinity": sorted(os.sched_getaffinity(0))}), flush=True)
    await running.shutdown(grace=1.0)

asyncio.run(main())
"""

TOKEN = re.compile(rb"tok(\d{6})z")
CLOCK_TICK = os.sysconf("SC_CLK_TCK")
WAITING = b"more lines: Enter shows them"
ROOMS = ("Lobby", "Check-in circle")
SERVER_CORE = 0
CLIENT_CORE = 1


@dataclass(frozen=True)
class Mode:
    """How one front end is reached: its terminal, its home mark, its way into a room."""

    name: str
    term: str
    home: bytes
    to_rooms: str
    rooms: bytes
    pick: tuple[str, str]  # keys choosing the first or the second room in the list


FULL = Mode("full screen", "xterm-256color", b"F1 help", "r", b"Lobby (", ("\r", "\x1b[B\r"))
PLAIN = Mode(
    "plain lines",
    "dumb",
    b"Main menu: type a number",
    "5\r",
    b"Rooms: type a room's number",
    ("1\r", "2\r"),
)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICK


def descendants(pid: int) -> list[int]:
    """The process and every process under it (children, their children...)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def memory_kib(pid: int) -> dict[str, int]:
    """Pss, Rss and private (Private_Clean + Private_Dirty) summed over the process tree."""
    total = {"pss": 0, "rss": 0, "private": 0, "processes": 0}
    for each in descendants(pid):
        try:
            text = Path(f"/proc/{each}/smaps_rollup").read_text()
        except OSError:
            continue
        total["processes"] += 1
        for line in text.splitlines():
            name, _, rest = line.partition(":")
            value = rest.split()
            if not value or not value[0].isdigit():
                continue
            if name == "Pss":
                total["pss"] += int(value[0])
            elif name == "Rss":
                total["rss"] += int(value[0])
            elif name in ("Private_Clean", "Private_Dirty"):
                total["private"] += int(value[0])
    return total


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * share + 0.5) - 1))]


class PinnedServer(ServerProcess):
    """The benchmark server under `taskset -c 0`, told how many sessions to allow."""

    def __init__(self, data_dir: Path, harness: str, max_sessions: int) -> None:
        super().__init__(data_dir, harness)
        self.max_sessions = max_sessions

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            "taskset",
            "-c",
            str(SERVER_CORE),
            sys.executable,
            "-c",
            self.harness,
            str(self.data_dir),
            str(self.max_sessions),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=None if os.environ.get("BENCH_DEBUG") else asyncio.subprocess.DEVNULL,
        )
        self.port = json.loads(await self._line())["port"]


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
        self.first_paint: float | None = None
        self.room = -1
        self._tail = b""
        self._screen = bytearray()
        self._watch: tuple[bytes, asyncio.Event] | None = None
        self._reader: asyncio.Task[None] | None = None

    async def log_in(self, port: int) -> None:
        """Connect by key and wait for the complete home screen; time it."""
        start = time.perf_counter()
        event = asyncio.Event()
        self._screen = bytearray()
        self._watch = (self.mode.home, event)
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
        try:
            await asyncio.wait_for(event.wait(), 60)
        finally:
            self._watch = None
        self.first_paint = time.perf_counter() - start

    async def _read(self) -> None:
        assert self.process is not None
        while True:
            data = await self.process.stdout.read(65536)
            if not data:
                return
            now = time.perf_counter()
            self.received += len(data)
            chunk = self._tail + data
            if b"tok" in chunk:
                for match in TOKEN.finditer(chunk):
                    self.arrivals.setdefault(int(match.group(1)), now)
            if WAITING in chunk:
                self.send("\r")  # a plain reader asks for the lines waiting
            self._tail = chunk[-48:]
            if self._watch is not None:
                self._screen += data
                needle, event = self._watch
                if needle in self._screen:
                    event.set()

    async def step(self, keys: str, needle: bytes, timeout: float = 60) -> None:
        event = asyncio.Event()
        self._screen = bytearray()
        self._watch = (needle, event)
        try:
            self.send(keys)
            await asyncio.wait_for(event.wait(), timeout)
        finally:
            self._watch = None

    async def enter_room(self, index: int) -> None:
        await self.step(self.mode.to_rooms, self.mode.rooms)
        await asyncio.sleep(0.2)  # the list gets its highlight
        await self.step(self.mode.pick[index], f"You are in {ROOMS[index]}".encode())
        self.room = index

    def send(self, text: str) -> None:
        assert self.process is not None
        self.process.stdin.write(text.encode())

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            await self.conn.wait_closed()
        if self._reader is not None:
            self._reader.cancel()


def is_plain(index: int, share: float) -> bool:
    """Spread line-mode sessions evenly: index i is plain when i*share crosses an integer."""
    return int((index + 1) * share) > int(index * share)


async def gather_limited(parallel: int, jobs: list) -> float:  # type: ignore[type-arg]
    """Run coroutine factories `parallel` at a time; return the seconds it took."""
    gate = asyncio.Semaphore(parallel)

    async def one(job) -> None:  # type: ignore[no-untyped-def]
        async with gate:
            await job()

    started = time.perf_counter()
    await asyncio.gather(*(one(job) for job in jobs))
    return time.perf_counter() - started


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, name: str, value: str, target: str = "") -> None:
        self.rows.append((name, value, target))
        print(f"  {name}: {value}  {target}", file=sys.stderr, flush=True)

    def show(self) -> None:
        width = max(len(r[0]) for r in self.rows)
        vwidth = max(len(r[1]) for r in self.rows)
        print(f"{'measure':<{width}}  {'measured':>{vwidth}}  target")
        print(f"{'-' * width}  {'-' * vwidth}  ------")
        for name, value, target in self.rows:
            print(f"{name:<{width}}  {value:>{vwidth}}  {target}")


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


async def run(args: argparse.Namespace) -> None:
    count, in_rooms, paint = args.sessions, args.in_rooms, args.paint
    table = Table()
    table.add("load average before the run (1/5/15 min, 2 cores shared)", load_average())
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        made = time.perf_counter()
        credentials = prepare_members(data_dir, count + paint + 2)
        print(
            f"{count + paint} members made in {time.perf_counter() - made:.1f} s", file=sys.stderr
        )
        server = PinnedServer(data_dir, HARNESS, count + paint + 10)
        await server.start()
        members = [
            Member(name, key, PLAIN if is_plain(i, args.plain_share) else FULL)
            for i, (name, key) in enumerate(credentials[:count])
        ]
        late = [
            Member(name, key, PLAIN if is_plain(i, args.plain_share) else FULL)
            for i, (name, key) in enumerate(credentials[count : count + paint])
        ]
        warm = [Member(*credentials[-2], FULL), Member(*credentials[-1], PLAIN)]
        chat_task: asyncio.Task[None] | None = None
        leaks = ""
        try:
            await asyncio.sleep(2.0)  # start-up tasks (suggestions, model) settle
            stats = await server.stats()
            table.add(
                "server: processes, cores, open files allowed",
                f"{memory_kib(server.pid)['processes']}, {stats['affinity']}, {stats['nofile']}",
            )
            before = memory_kib(server.pid)
            table.add(
                "PSS before the first connection (RSS, private)",
                f"{mib(before['pss'])} ({mib(before['rss'])}, {mib(before['private'])})",
                "<= 120 MiB",
            )

            # One session of each kind in and out (first-use caches), then the baseline.
            for m in warm:
                await m.log_in(server.port)
                await asyncio.sleep(0.3)
                await m.close()
            await asyncio.sleep(2.0)
            await server.stats()
            warmed = memory_kib(server.pid)
            table.add("PSS after one session of each kind came and went", mib(warmed["pss"]))

            # Home-screen sessions, one front end after the other.
            cpu_start = cpu_seconds(server.pid)
            last = warmed
            for mode in (FULL, PLAIN):
                group = [m for m in members if m.mode is mode]
                if not group:
                    continue
                took = await gather_limited(
                    args.parallel, [lambda m=m: m.log_in(server.port) for m in group]
                )
                await asyncio.sleep(2.0)
                await server.stats()  # a collection first, as the other benches do
                now = memory_kib(server.pid)
                table.add(
                    f"{len(group)} {mode.name} sessions logged in ({args.parallel} at a time)",
                    f"{took:.1f} s",
                )
                table.add(
                    f"  PSS per {mode.name} home session",
                    f"{(now['pss'] - last['pss']) / len(group) / 1024:.3f} MiB",
                    "<= 0.3 MiB" if mode is FULL else "",
                )
                last = now
            connected_cpu = cpu_seconds(server.pid) - cpu_start
            after = last
            stats = await server.stats()
            table.add(
                f"PSS with {count} connected (RSS, private)",
                f"{mib(after['pss'])} ({mib(after['rss'])}, {mib(after['private'])})",
                "<= 768 MiB (with 100 in rooms)",
            )
            table.add(
                "PSS per home-screen session (all kinds, over the warmed server; over none)",
                f"{(after['pss'] - warmed['pss']) / count / 1024:.3f} MiB; "
                f"{(after['pss'] - before['pss']) / count / 1024:.3f} MiB",
                "<= 0.3 MiB",
            )
            table.add(
                "server CPU per session start during the bulk login",
                f"{connected_cpu * 1000 / count:.1f} ms",
            )
            table.add("sessions the server holds", str(stats["sessions"]))

            # Idle CPU and bytes with everyone on the home screen.
            idle_cpu0, idle_bytes0 = cpu_seconds(server.pid), sum(m.received for m in members)
            await asyncio.sleep(args.idle)
            idle_cpu = (cpu_seconds(server.pid) - idle_cpu0) / args.idle
            idle_bytes = (sum(m.received for m in members) - idle_bytes0) / args.idle
            table.add(
                f"server CPU and bytes/s with {count} idle (over {args.idle:g} s)",
                f"{idle_cpu * 100:.1f}% of a core, {idle_bytes:.0f} B/s",
            )

            # Two rooms.
            roomers = members[:in_rooms]
            rooms: list[list[Member]] = [roomers[0::2], roomers[1::2]]
            took = await gather_limited(
                8,
                [lambda m=m, r=r: m.enter_room(r) for r, group in enumerate(rooms) for m in group],
            )
            await asyncio.sleep(3.0)  # presence lines settle
            await server.stats()
            in_room_mem = memory_kib(server.pid)
            table.add(f"{in_rooms} members entered two rooms (8 at a time)", f"{took:.1f} s")
            table.add(
                f"PSS with {count} connected, {in_rooms} in rooms (RSS)",
                f"{mib(in_room_mem['pss'])} ({mib(in_room_mem['rss'])})",
                "<= 768 MiB",
            )
            table.add(
                "  PSS per member moved into a room (over the home screen)",
                f"{(in_room_mem['pss'] - after['pss']) / in_rooms / 1024:.3f} MiB",
            )

            # The chat: line k in room k % 2, said by that room's speakers in turn.
            speakers = [group[: args.speakers] for group in rooms]
            sent: dict[int, tuple[float, int]] = {}

            async def chat() -> None:
                t0 = time.perf_counter()
                k = 0
                while True:
                    delay = t0 + k / args.rate - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    room = k % 2
                    who = speakers[room][(k // 2) % len(speakers[room])]
                    sent[k] = (time.perf_counter(), room)
                    who.send(f"feeling a bit better today, thanks all tok{k:06d}z\r")
                    k += 1

            def window(first: int, last_k: int) -> dict[str, float]:
                """Deliveries of lines first..last_k-1, per recipient."""
                lat: list[float] = []
                for k in range(first, last_k):
                    at, room = sent[k]
                    for m in rooms[room]:
                        if k in m.arrivals:
                            lat.append((m.arrivals[k] - at) * 1000)
                expected = sum(len(rooms[sent[k][1]]) for k in range(first, last_k))
                return {
                    "seen": len(lat),
                    "expected": expected,
                    "p50": statistics.median(lat) if lat else 0.0,
                    "p99": percentile(lat, 0.99) if lat else 0.0,
                    "max": max(lat) if lat else 0.0,
                }

            client0 = os.times()
            cpu0 = cpu_seconds(server.pid)
            bytes0 = {id(m): m.received for m in members}
            chat_task = asyncio.get_running_loop().create_task(chat())
            await asyncio.sleep(args.seconds)
            k_end = len(sent)
            await asyncio.sleep(3.0)  # the window's last lines land (the chat goes on)
            # CPU and bytes over the window and its 3 s tail, against every line said in
            # them (latency is from lines 0..k_end-1 only, all of which had time to land).
            k_now = len(sent)
            cpu_chat = cpu_seconds(server.pid) - cpu0
            elapsed = args.seconds + 3.0
            client1 = os.times()
            quiet = window(0, k_end)
            recv_by_mode: dict[str, int] = {}
            for m in roomers:
                recv_by_mode[m.mode.name] = recv_by_mode.get(m.mode.name, 0) + (
                    m.received - bytes0[id(m)]
                )
            home_bytes = sum(m.received - bytes0[id(m)] for m in members[in_rooms:])
            deliveries_all = sum(len(rooms[sent[k][1]]) for k in range(k_now))
            cpu_rate = (cpu_chat - idle_cpu * elapsed) / elapsed  # the chat's own CPU rate
            table.add(
                f"room lines said ({args.rate:g}/s, two rooms, {args.speakers} speakers each)",
                f"{k_end} in {args.seconds:g} s",
            )
            table.add(
                "deliveries (line x recipient) seen / expected",
                f"{quiet['seen']} / {quiet['expected']}",
                "all",
            )
            table.add(
                "fan-out post-to-visible p50 / p99 / max",
                f"{quiet['p50']:.0f} / {quiet['p99']:.0f} / {quiet['max']:.0f} ms",
                "p99 <= 100 ms",
            )
            for mode in (FULL, PLAIN):
                group = [m for m in roomers if m.mode is mode]
                if not group:
                    continue
                lat = [
                    (m.arrivals[k] - sent[k][0]) * 1000
                    for m in group
                    for k in range(k_end)
                    if k in m.arrivals
                ]
                seen_all = sum(1 for m in group for k in range(k_now) if sent[k][1] == m.room)
                table.add(
                    f"  {mode.name}: p99, bytes per line per recipient",
                    f"{percentile(lat, 0.99) if lat else 0:.0f} ms, "
                    f"{recv_by_mode.get(mode.name, 0) / max(1, seen_all):.0f} B",
                    "<= 100 ms, <= 100 B",
                )
            table.add(
                "server CPU per line per recipient (less idle CPU; raw)",
                f"{cpu_rate * elapsed * 1000 / max(1, deliveries_all):.3f} ms "
                f"({cpu_chat * 1000 / max(1, deliveries_all):.3f} ms)",
                "<= 0.3 ms",
            )
            table.add(
                "bytes to the home-screen sessions during the chat",
                f"{home_bytes} B",
                "0",
            )
            client_cpu = client1.user + client1.system - client0.user - client0.system
            table.add(
                "client process CPU during the chat (core 1)",
                f"{client_cpu / elapsed * 100:.0f}% of a core",
            )

            # 100 more members log in by key, 8 at a time, with the chat going on.
            cpu0 = cpu_seconds(server.pid)
            k0 = len(sent)

            async def paint_one(m: Member) -> None:
                await m.log_in(server.port)
                await asyncio.sleep(args.hold)  # as bench_sessions.py holds its slot

            took = await gather_limited(8, [lambda m=m: paint_one(m) for m in late])
            cpu_logins = cpu_seconds(server.pid) - cpu0
            k1 = len(sent)
            await asyncio.sleep(2.0)
            chat_task.cancel()
            during = window(k0, k1)
            net = cpu_logins - (cpu_rate + idle_cpu) * took
            for mode in (FULL, PLAIN):
                group = [m for m in late if m.mode is mode]
                if not group:
                    continue
                paints = [(m.first_paint or 0.0) * 1000 for m in group]
                table.add(
                    f"first paint p50 / p95, {len(group)} more {mode.name} logins, "
                    f"8 at a time, slot held {args.hold:g} s",
                    f"{statistics.median(paints):.0f} / {percentile(paints, 0.95):.0f} ms",
                    "p95 <= 150 ms",
                )
            table.add(
                f"server CPU per session start, {len(late)} logins (less chat + idle; raw)",
                f"{net * 1000 / len(late):.1f} ms ({cpu_logins * 1000 / len(late):.1f} ms)",
                "<= 15 ms",
            )
            table.add(
                "fan-out p99 during those logins",
                f"{during['p99']:.0f} ms ({during['seen']} / {during['expected']} seen)",
                "",
            )
            table.add(f"{len(late)} logins took", f"{took:.1f} s")
            final_mem = memory_kib(server.pid)
            table.add(
                f"PSS with {count + len(late)} connected, {in_rooms} in rooms (RSS)",
                f"{mib(final_mem['pss'])} ({mib(final_mem['rss'])})",
                "",
            )
            table.add(
                "client process max RSS (not counted)",
                mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            )

            everyone = members + late
            closing = time.perf_counter()
            await gather_limited(64, [m.close for m in everyone])
            closed = time.perf_counter() - closing
            for _ in range(30):  # up to 30 s for the server to end them all
                await asyncio.sleep(1.0)
                stats = await server.stats()
                if stats["live_apps"] + stats["live_plain"] + stats["sessions"] == 0:
                    break
            if stats["screens"]:
                leaks = json.dumps(stats["screens"])
            table.add(
                "sessions alive after all disconnect (apps, plain, registry)",
                f"{stats['live_apps']}, {stats['live_plain']}, {stats['sessions']}",
                "0",
            )
            table.add(
                "closing everyone took (clients; until the server had none)",
                f"{closed:.1f} s; {time.perf_counter() - closing:.1f} s",
            )
        finally:
            if chat_task is not None:
                chat_task.cancel()
            await server.stop()
    print(
        f"\n{count} sessions ({args.plain_share:g} plain) at 80x24, {in_rooms} in two rooms,"
        f" server on core {SERVER_CORE}, clients on core {CLIENT_CORE}"
    )
    table.show()
    if leaks:
        print(f"\napps alive after all disconnect: screens and who holds them: {leaks}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sessions", type=int, default=1000, help="home-screen sessions")
    parser.add_argument("--in-rooms", type=int, default=100, help="of them, in two rooms")
    parser.add_argument("--speakers", type=int, default=8, help="who talk, in each room")
    parser.add_argument("--rate", type=float, default=5.0, help="room lines a second, in all")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the chat runs")
    parser.add_argument("--paint", type=int, default=100, help="more members who log in")
    parser.add_argument(
        "--hold",
        type=float,
        default=0.3,
        help="seconds a login keeps its slot after its paint (bench_sessions.py: 0.3)",
    )
    parser.add_argument("--parallel", type=int, default=16, help="bulk logins at a time")
    parser.add_argument("--plain-share", type=float, default=0.0, help="share in line mode")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle CPU check")
    parser.add_argument("--timeout", type=float, default=1800.0, help="whole run, seconds")
    args = parser.parse_args()
    if args.in_rooms > args.sessions or args.in_rooms < 2 * args.speakers:
        parser.error("--in-rooms must fit in --sessions and hold 2 x --speakers")
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < args.sessions + args.paint + 200:
        parser.error(f"open files hard limit {hard} is too low for {args.sessions} sessions")
    os.sched_setaffinity(0, {CLIENT_CORE})
    asyncio.run(asyncio.wait_for(run(args), args.timeout))


if __name__ == "__main__":
    main()

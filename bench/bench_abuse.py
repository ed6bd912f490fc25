"""Mixed load under abuse: 40 members in rooms and boards, a flooder, a slow reader, a brute-forcer.

The real server (start_server, as `bbs serve` runs it, with its moderation model) runs in
a child process on a free loopback port. Real asyncssh clients with a pty:
  - 20 members in the Lobby, each saying a line every 4-8 s; every line's token is looked
    for in the other 19 members' output bytes (post-to-visible per recipient);
  - 20 members on a board thread (already 31 posts long, so their pages start full),
    each replying every 8-15 s through the compose screen,
    seen through a pyte terminal: post-to-visible is Ctrl+S until the post shows on the
    thread page with the editor gone;
  - a flooder in the Lobby (from 127.0.0.3): every second a 32 KB keystroke burst, a
    200-line paste and 20 chat lines;
  - a slow reader in the Lobby (127.0.0.4) that never reads what it is sent;
  - a brute-forcer (127.0.0.2) trying wrong passwords for a real member, in a loop.
The server process reports its RSS, its gc-tracked objects (a leak keeps growing them; caches
filling to their bounds level off) and its event loop's lateness (a 10 ms ticker).
--abusers picks which abusers run ('' for none: the same load without abuse, to compare).
BENCH_DEBUG=1 also prints where the memory sits (malloc in use and free, pymalloc arenas
and the bytes live in them), what the full collection at each sample freed, by type, the
RSS steps over time, and each failed post's step and screens. BENCH_GC=a,b,c sets other
collector thresholds; BENCH_FULL_GC_EVERY=N adds a full collection every N seconds.
BENCH_STALLS=FILE has a watchdog thread in the server process write, at the end, the
server loop's stacks sampled every 5 ms while the loop was more than 100 ms late
(BENCH_STALL_MS sets the lateness; a negative one samples all the time). The thread gets
to sample when the loop's thread lets go of the GIL (at the 5 ms switch interval, or at
once in a system call), so the counts lean towards system calls such as socket writes.

    .venv/bin/python bench/bench_abuse.py [--seconds 120]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_rooms import Member, percentile
from crash_safety import Screen
from server_process import ServerProcess

HARNESS = r"""
import asyncio, gc, json, os, sys, time
from pathlib import Path
from bbs.config import load_settings, with_overrides, LoginLimits
from server.ssh_server import start_server, tune_garbage_collector
from server.textual_patches import apply_textual_patches

def rss_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

def heap_kib():
    # Where the RSS sits: malloc in use / malloc free but held / pymalloc arenas (KiB).
    import ctypes, os, tempfile

    class Mallinfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = Mallinfo2
    info = libc.mallinfo2()
    with tempfile.TemporaryFile() as out:
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read().decode(errors="replace")
    arenas = live = 0
    for line in text.splitlines():
        if line.startswith("# arenas allocated current"):
            arenas = int(line.split("=")[1].replace(",", ""))
        if line.startswith("# bytes in allocated blocks"):
            live = int(line.split("=")[1].replace(",", ""))
    return {"malloc_used": (info.uordblks + info.hblkhd) // 1024,
            "malloc_free": info.fordblks // 1024, "pymalloc": arenas * 1024,
            "pymalloc_live": live // 1024}

lateness = []
series = []
DEBUG = bool(os.environ.get("BENCH_DEBUG"))

measuring = [False]
last_tick = [time.monotonic()]
STALLS = os.environ.get("BENCH_STALLS")  # a file: the loop's stacks while it is >100 ms late
# BENCH_STALL_MS=0 samples the loop all the time: a profile of where its time goes.
STALL_S = (float(os.environ.get("BENCH_STALL_MS", "100")) + 10) / 1000

def stall_sampler(main_id):
    # A watchdog thread (the harness's, not the server's): every 5 ms, if the ticker is
    # more than 100 ms late, the main thread's stack is counted (inclusive, by function,
    # and by the innermost 14 frames).
    import collections, threading, traceback
    inclusive = collections.Counter()
    stacks = collections.Counter()
    samples = [0, 0]

    def run():
        while True:
            time.sleep(0.005)
            samples[0] += 1
            if time.monotonic() - last_tick[0] < STALL_S:
                continue
            frame = sys._current_frames().get(main_id)
            if frame is None:
                continue
            samples[1] += 1
            names = []
            seen = set()
            while frame is not None:
                code = frame.f_code
                name = f"{code.co_filename.split('site-packages/')[-1]}:{code.co_name}"
                names.append(f"{name}:{frame.f_lineno}")
                if name not in seen:
                    seen.add(name)
                    inclusive[name] += 1
                frame = frame.f_back
            stacks["\n    ".join(names[:14])] += 1

    def dump():
        with open(STALLS, "w") as out:
            out.write(f"samples {samples[0]}, in stalls {samples[1]}\n\ninclusive:\n")
            for name, count in inclusive.most_common(80):
                out.write(f"{count:6d} {name}\n")
            out.write("\nstacks:\n")
            for stack, count in stacks.most_common(40):
                out.write(f"{count:6d}\n    {stack}\n")

    threading.Thread(target=run, daemon=True).start()
    return dump

async def ticker():
    loop = asyncio.get_running_loop()
    while True:
        last_tick[0] = time.monotonic()
        before = loop.time()
        await asyncio.sleep(0.01)
        if measuring[0]:
            # The stats below (a full collection, a walk over every object) stalled
            # the loop themselves: that tick is the benchmark's, not the server's.
            measuring[0] = False
            continue
        lateness.append((loop.time() - before - 0.01) * 1000)
        if DEBUG and len(lateness) % 10 == 0:
            series.append((round(loop.time(), 1), rss_kib() // 1024))

async def main():
    apply_textual_patches()
    settings = load_settings(Path(sys.argv[1]), port=0)
    # Many members log in from 127.0.0.1 at once; per-source abuse limits stay as shipped.
    settings = with_overrides(settings, login=LoginLimits(startups_begin=50, startups_full=200,
                                                          unauthenticated_per_source=50))
    running = await start_server(settings)
    tune_garbage_collector()
    if os.environ.get("BENCH_GC"):  # other collector thresholds, to compare
        gc.set_threshold(*map(int, os.environ["BENCH_GC"].split(",")))
    tick = asyncio.get_running_loop().create_task(ticker())
    if STALLS:
        import threading
        dump_stalls = stall_sampler(threading.get_ident())
    every = float(os.environ.get("BENCH_FULL_GC_EVERY", "0"))  # a full collection every N s

    async def full_gc():
        while True:
            await asyncio.sleep(every)
            started = time.perf_counter()
            gc.collect()
            full_times.append((time.perf_counter() - started) * 1000)
    full_times = []
    if every:
        asyncio.get_running_loop().create_task(full_gc())
    print(json.dumps({"port": running.port}), flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line or line.strip() == b"quit":
            break
        measuring[0] = True
        last_tick[0] = time.monotonic() + 1e9  # the stats below are not the server's stall
        cpu_s = time.process_time()  # before this request's own collection and walk
        collections = [g["collections"] for g in gc.get_stats()]
        started = time.perf_counter()
        garbage = {}
        if DEBUG:
            gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        full_ms = (time.perf_counter() - started) * 1000
        if DEBUG:
            gc.set_debug(0)
            for obj in gc.garbage:
                name = type(obj).__name__
                count, size = garbage.get(name, (0, 0))
                garbage[name] = (count + 1, size + sys.getsizeof(obj))
            gc.garbage.clear()
            gc.collect()
            garbage = dict(sorted(garbage.items(), key=lambda kv: -kv[1][1])[:40])
        kinds = {}
        for obj in gc.get_objects():
            name = type(obj).__name__
            if DEBUG or name in ("ComposeScreen", "ThreadScreen", "PostWidget", "RoomScreen",
                                 "App", "BBSApp", "Strip", "Segment"):
                kinds[name] = kinds.get(name, 0) + 1
        objects = len(gc.get_objects())
        ordered = sorted(lateness) or [0.0]
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        print(json.dumps({"rss_kib": rss_kib(), "cpu_s": cpu_s,
                          "sessions": len(running.registry.sessions),
                          "lag_p99_ms": round(p99, 1), "lag_max_ms": round(ordered[-1], 1),
                          "ticks": len(lateness), "objects": objects, "kinds": kinds,
                          "heap": heap_kib(), "collections": collections,
                          "series": series[:], "full_gc_ms": round(full_ms, 1), "garbage": garbage,
                          "periodic_ms": [round(t) for t in full_times]}),
              flush=True)
        last_tick[0] = time.monotonic()
        lateness.clear()
        series.clear()
        full_times.clear()
    tick.cancel()
    if STALLS:
        dump_stalls()
    await running.shutdown(grace=1.0)

asyncio.run(main())
"""

CTRL_S = "\x13"
DEBUG = bool(os.environ.get("BENCH_DEBUG"))
POST_TIMES: list[float] = []
THREAD_TITLE = "How was your week"
BRUTE_TARGET = "board00"


@dataclass
class Poster:
    """A board member replying through the compose screen."""

    name: str
    key: asyncssh.SSHKey
    screen: Screen | None = None
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: int = 0

    async def open(self, port: int) -> None:
        conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            username=self.name,
            client_keys=[self.key],
            known_hosts=None,
            agent_path=None,
            preferred_auth=("publickey",),
        )
        process = await conn.create_process(
            term_type="xterm-256color", term_size=(80, 24), encoding=None
        )
        self.screen = Screen(conn, process)
        await self.screen.wait("welcome, ", timeout=60)
        self.screen.send("b")
        await self.screen.wait("Introductions", timeout=30)
        self.screen.send("\r")
        await self.screen.wait(THREAD_TITLE, timeout=30)
        self.screen.send("\r")
        await self.screen.wait(f"{THREAD_TITLE}  (Introductions", timeout=30)

    async def post(self, index: int) -> None:
        screen = self.screen
        assert screen is not None
        token = f"bp{index:06d}q"
        step = "r"
        snaps = []
        try:
            screen.send("r")
            await screen.wait("Reply to:")
            snaps.append(screen.text())
            step = "typed"
            screen.send(f"a calmer day today {token}")
            await screen.wait(token)
            snaps.append(screen.text())
            step = "ctrl+s"
            started = time.perf_counter()
            POST_TIMES.append(time.monotonic())
            screen.send(CTRL_S)
            await screen.wait(token, gone="Reply to:")
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.sent += 1
        except (TimeoutError, ConnectionError) as error:
            if DEBUG:
                error = TimeoutError(f"{self.name} at {step}: {error}\n" + "\n--\n".join(snaps))
            self.errors.append(str(error))
            screen.send("\x1b")  # leave the editor (the draft is kept), try again later

    async def close(self) -> None:
        if self.screen is not None:
            self.screen.close()


def prepare(
    data_dir: Path, rooms: int, boards: int
) -> tuple[list[tuple[str, asyncssh.SSHKey]], list[Poster], dict[str, asyncssh.SSHKey]]:
    """Members with keys (and a week old, so posting intervals are the grown-up ones)."""
    from bbs.accounts import members as accounts
    from bbs.accounts.pseudonyms import validate_pseudonym
    from bbs.config import load_settings
    from server.ssh_server import key_info
    from server.wiring import build_community

    community = build_community(load_settings(data_dir, port=0))
    community.prepare()
    people: dict[str, asyncssh.SSHKey] = {}
    names = (
        [f"room{i:02d}" for i in range(rooms)]
        + [f"board{i:02d}" for i in range(boards)]
        + ["flooder", "slowreader"]
    )
    with community.database.write() as session:
        ids = []
        for name in names:
            key = asyncssh.generate_private_key("ssh-ed25519")
            ids.append(
                accounts.create_member(
                    session,
                    pseudonym=validate_pseudonym(name),
                    password_hash="x",
                    recovery_hash="x",
                    key=key_info(key),
                ).id
            )
            people[name] = key

    async def thread() -> None:
        # A thread already a page long (20 posts a page): members' pages start at their
        # steady size, so memory growth measures the load, not a thread filling a page.
        from datetime import timedelta

        from bbs.boards.records import PostingRules

        community.boards.rules = PostingRules(
            interval=timedelta(0), new_account_interval=timedelta(0)
        )
        board = (await community.boards.board_list(ids[0]))[0]
        first = await community.boards.create_thread(
            ids[0], board.id, title=THREAD_TITLE, body="Share one thing that went all right."
        )
        assert first.post is not None
        for n in range(30):
            await community.boards.reply(
                ids[n % len(ids)],
                first.post.thread_id,
                body=f"Earlier this week, small win number {n}.",
            )

    asyncio.run(thread())
    community.close()
    conn = sqlite3.connect(data_dir / "bbs.sqlite3")
    conn.execute("UPDATE member SET created_at = datetime('now', '-7 days')")
    conn.execute("UPDATE post SET created_at = datetime('now', '-1 days')")
    # Nobody has read the thread yet (writing the earlier posts marked them read for their
    # authors): every member opens it at post 1, on a full page, as they will see it later.
    conn.execute("DELETE FROM readmark")
    conn.commit()
    conn.close()
    chatters = [(n, people[n]) for n in names[:rooms]]
    posters = [Poster(n, people[n]) for n in names[rooms : rooms + boards]]
    return chatters, posters, people


async def open_from(
    port: int,
    name: str,
    key: asyncssh.SSHKey,
    source: str,
    size: tuple[int, int] = (80, 24),
) -> tuple[asyncssh.SSHClientConnection, asyncssh.SSHClientProcess[bytes]]:
    conn = await asyncssh.connect(
        "127.0.0.1",
        port,
        username=name,
        client_keys=[key],
        known_hosts=None,
        agent_path=None,
        preferred_auth=("publickey",),
        local_addr=(source, 0),
    )
    process = await conn.create_process(term_type="xterm-256color", term_size=size, encoding=None)
    return conn, process


async def wait_bytes(
    process: asyncssh.SSHClientProcess[bytes], needle: bytes, timeout: float = 30
) -> None:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(needle)
        seen = seen[-4096:] + await asyncio.wait_for(process.stdout.read(65536), left)


@dataclass
class Abuse:
    flood_bytes: int = 0
    spam_lines: int = 0
    brute_attempts: int = 0
    brute_refused_at_door: int = 0
    brute_endings: dict[str, int] = field(default_factory=dict)
    slow_reader_cut_off: bool = False
    flooder_cut_off: bool = False
    flooder_muted: bool = False


async def flooder(port: int, key: asyncssh.SSHKey, stop: asyncio.Event, abuse: Abuse) -> None:
    conn, process = await open_from(port, "flooder", key, "127.0.0.3")

    async def drain() -> None:
        tail = b""
        try:
            while chunk := await process.stdout.read(65536):
                # The room tells a flooder who keeps going that they are muted for a while.
                if not abuse.flooder_muted and b"muted" in tail[-64:] + chunk:
                    abuse.flooder_muted = True
                tail = chunk
        except (asyncssh.Error, OSError):
            pass
        abuse.flooder_cut_off = not stop.is_set()

    await wait_bytes(process, b"welcome, ")
    process.stdin.write(b"r")
    await wait_bytes(process, b"Lobby (")
    process.stdin.write(b"\r")
    await wait_bytes(process, b"You are in Lobby")
    drainer = asyncio.ensure_future(drain())
    paste = b"\x1b[200~" + b"\n".join(b"paste line %d" % i for i in range(200)) + b"\x1b[201~"
    n = 0
    try:
        while not stop.is_set():
            burst = b"x" * 32768 + b"\r" + paste
            for _ in range(20):
                n += 1
                burst += b"spam spam spam %d\r" % n
            process.stdin.write(burst)
            abuse.flood_bytes += len(burst)
            abuse.spam_lines += 20
            await asyncio.sleep(1.0)
    except (asyncssh.Error, OSError, BrokenPipeError):
        pass
    conn.close()
    drainer.cancel()


async def slow_reader(port: int, key: asyncssh.SSHKey, stop: asyncio.Event, abuse: Abuse) -> None:
    # The biggest window the server allows, so that every repaint is large.
    conn, process = await open_from(port, "slowreader", key, "127.0.0.4", size=(400, 150))
    await wait_bytes(process, b"welcome, ")
    process.stdin.write(b"r")
    await wait_bytes(process, b"Lobby (")
    process.stdin.write(b"\r")
    await wait_bytes(process, b"You are in Lobby")
    # From here on it never reads again, and asks for whole new screens (help, F1, and
    # back) ten times a second: the server must cut it off, not buffer for it forever.
    # The server ends the session (its channel) when the output waiting for it is too big.
    closed = asyncio.ensure_future(process.wait_closed())
    while not stop.is_set() and not closed.done():
        try:
            process.stdin.write(b"\x1bOP")  # F1: help
            await asyncio.sleep(0.05)
            process.stdin.write(b"q")  # and back
            await asyncio.sleep(0.05)
        except (OSError, asyncssh.Error):
            # The server closed the channel; its close waits behind what was never read.
            abuse.slow_reader_cut_off = True
            break
    abuse.slow_reader_cut_off = abuse.slow_reader_cut_off or closed.done()
    conn.close()


async def brute_forcer(port: int, stop: asyncio.Event, abuse: Abuse) -> None:
    while not stop.is_set():
        abuse.brute_attempts += 1
        try:
            conn = await asyncio.wait_for(
                asyncssh.connect(
                    "127.0.0.1",
                    port,
                    username=BRUTE_TARGET,
                    password=f"guess{abuse.brute_attempts}",
                    client_keys=[],
                    known_hosts=None,
                    agent_path=None,
                    preferred_auth=("password",),
                    local_addr=("127.0.0.2", 0),
                ),
                40,
            )
            conn.close()
        except asyncssh.PermissionDenied:
            pass
        except (asyncssh.Error, OSError, TimeoutError) as error:
            abuse.brute_refused_at_door += 1
            abuse.brute_endings[type(error).__name__] = (
                abuse.brute_endings.get(type(error).__name__, 0) + 1
            )
            await asyncio.sleep(0.2)


async def run(
    seconds: float, rooms: int, boards: int, abusers_on: set[str]
) -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        chatters_info, posters, people = await asyncio.to_thread(prepare, data_dir, rooms, boards)
        server = ServerProcess(data_dir, HARNESS)
        await server.start()
        chatters = [Member(name, key) for name, key in chatters_info]
        rows: list[tuple[str, str, str]] = []
        try:
            gate = asyncio.Semaphore(8)

            async def enter_room(member: Member) -> None:
                async with gate:
                    await member.enter_lobby(server.port)

            async def enter_board(poster: Poster) -> None:
                async with gate:
                    await poster.open(server.port)

            await asyncio.gather(
                *(enter_room(m) for m in chatters), *(enter_board(p) for p in posters)
            )
            await asyncio.sleep(2.0)
            base = await server.stats()
            stop = asyncio.Event()
            abuse = Abuse()
            abusers = []
            if "flooder" in abusers_on:
                abusers.append(
                    asyncio.ensure_future(flooder(server.port, people["flooder"], stop, abuse))
                )
            if "slowreader" in abusers_on:
                abusers.append(
                    asyncio.ensure_future(
                        slow_reader(server.port, people["slowreader"], stop, abuse)
                    )
                )
            if "brute" in abusers_on:
                abusers.append(asyncio.ensure_future(brute_forcer(server.port, stop, abuse)))
            rng = random.Random(11)
            sent: dict[int, tuple[float, int]] = {}
            counter = [0]

            async def chat(i: int, member: Member) -> None:
                await asyncio.sleep(rng.uniform(0, 6))
                while not stop.is_set():
                    k = counter[0]
                    counter[0] += 1
                    sent[k] = (time.perf_counter(), i)
                    member.send(f"one small step at a time tok{k:06d}z\r")
                    await asyncio.sleep(rng.uniform(4, 8))

            post_index = [0]

            async def post(poster: Poster) -> None:
                await asyncio.sleep(rng.uniform(0, 10))
                while not stop.is_set():
                    post_index[0] += 1
                    await poster.post(post_index[0])
                    await asyncio.sleep(rng.uniform(8, 15))

            t0 = time.perf_counter()
            load = [asyncio.ensure_future(chat(i, m)) for i, m in enumerate(chatters)]
            load += [asyncio.ensure_future(post(p)) for p in posters]
            await asyncio.sleep(seconds / 2)
            middle = await server.stats()
            t_middle = time.perf_counter()
            await asyncio.sleep(seconds / 2)
            stop.set()
            await asyncio.wait(load, timeout=60)
            await asyncio.sleep(5.0)  # the last lines land
            end = await server.stats()
            elapsed = time.perf_counter() - t0
            t_end = time.perf_counter()
            if abusers:
                await asyncio.wait(abusers, timeout=60)

            latencies = []
            missing = 0
            for k, (at, sender) in sent.items():
                for j, m in enumerate(chatters):
                    if j == sender:
                        continue
                    if k in m.arrivals:
                        latencies.append((m.arrivals[k] - at) * 1000)
                    else:
                        missing += 1
            post_lat = [v for p in posters for v in p.latencies]
            post_errors = [e for p in posters for e in p.errors]
            rows.append(("run (load, then 5 s for the last lines)", f"{elapsed:.0f} s", ""))
            rows.append(("abusers", ", ".join(sorted(abusers_on)) or "none", ""))
            rows.append(("members: in the Lobby / on a board thread", f"{rooms} / {boards}", ""))
            rows.append(
                ("room lines said / deliveries seen", f"{len(sent)} / {len(latencies)}", "")
            )
            if latencies:
                rows.append(
                    (
                        "room line to others' screens p95",
                        f"{percentile(latencies, 0.95):.0f} ms",
                        "",
                    )
                )
                rows.append(
                    (
                        "room line to others' screens p99",
                        f"{percentile(latencies, 0.99):.0f} ms",
                        "<= 1000 ms",
                    )
                )
            rows.append(("board posts accepted", str(len(post_lat)), ""))
            if post_lat:
                rows.append(
                    (
                        "board post Ctrl+S to shown on thread p95",
                        f"{percentile(post_lat, 0.95):.0f} ms",
                        "",
                    )
                )
                rows.append(
                    (
                        "board post Ctrl+S to shown on thread p99",
                        f"{percentile(post_lat, 0.99):.0f} ms",
                        "<= 1000 ms",
                    )
                )
            rows.append(
                (
                    "errors for well-behaved members (lost deliveries + failed posts)",
                    f"{missing} + {len(post_errors)}",
                    "0",
                )
            )
            rows.append(
                (
                    "server RSS: start of abuse / middle / end",
                    f"{base['rss_kib'] / 1024:.0f} / {middle['rss_kib'] / 1024:.0f} / "
                    f"{end['rss_kib'] / 1024:.0f} MiB",
                    "",
                )
            )
            rows.append(
                (
                    "server memory growth under abuse",
                    f"{(end['rss_kib'] - base['rss_kib']) / 1024:.1f} MiB",
                    "<= 50 MiB",
                )
            )
            rows.append(
                (
                    "  of which in the second half (a leak keeps growing)",
                    f"{(end['rss_kib'] - middle['rss_kib']) / 1024:.1f} MiB",
                    "",
                )
            )
            rows.append(
                (
                    "gc-tracked objects: start / middle / end",
                    f"{base['objects']} / {middle['objects']} / {end['objects']}",
                    "",
                )
            )
            if os.environ.get("BENCH_DEBUG"):
                # What grew most (object counts by type), start to end.
                print("posts sent at:", " ".join(f"{t:.1f}" for t in POST_TIMES), file=sys.stderr)
                grew = sorted(
                    ((end["kinds"].get(k, 0) - base["kinds"].get(k, 0), k) for k in end["kinds"]),
                    reverse=True,
                )[:80]
                print("grew most:", ", ".join(f"{k} +{n}" for n, k in grew), file=sys.stderr)
                for when, stats in (("start", base), ("middle", middle), ("end", end)):
                    print(
                        when,
                        {k: f"{v / 1024:.1f} MiB" for k, v in stats["heap"].items()},
                        f"rss {stats['rss_kib'] / 1024:.1f} MiB",
                        "gc passes by generation",
                        stats["collections"],
                        f"full collection {stats['full_gc_ms']} ms",
                        "periodic",
                        stats["periodic_ms"],
                        file=sys.stderr,
                    )
                    steps = []
                    last = None
                    for at, mib in stats["series"]:
                        if last is None or mib != last:
                            steps.append(f"{at:.1f}:{mib}")
                            last = mib
                    print("  rss steps (loop time: MiB):", " ".join(steps), file=sys.stderr)
                    print("  garbage (count, bytes):", stats["garbage"], file=sys.stderr)
                    print(
                        "  screens and widgets:",
                        {
                            k: stats["kinds"].get(k, 0)
                            for k in (
                                "ComposeScreen",
                                "ThreadScreen",
                                "PostWidget",
                                "RoomScreen",
                                "BBSApp",
                                "TextArea",
                                "StylesCache",
                            )
                        },
                        file=sys.stderr,
                    )
            rows.append(
                (
                    "event-loop stall (10 ms ticker) p99, 1st / 2nd half",
                    f"{middle['lag_p99_ms']:.0f} / {end['lag_p99_ms']:.0f} ms",
                    "",
                )
            )
            rows.append(
                (
                    "event-loop stall max, 1st / 2nd half",
                    f"{middle['lag_max_ms']:.0f} / {end['lag_max_ms']:.0f} ms",
                    "",
                )
            )
            rows.append(
                (
                    "flooder: bytes sent / chat lines tried",
                    f"{abuse.flood_bytes / 1e6:.1f} MB / {abuse.spam_lines}",
                    "",
                )
            )
            rows.append(("flooder cut off", "yes" if abuse.flooder_cut_off else "no", ""))
            rows.append(
                (
                    "flooder muted in the rooms (and told)",
                    "yes" if abuse.flooder_muted else "no",
                    "",
                )
            )
            rows.append(
                (
                    "server CPU per second of load, 1st / 2nd half",
                    f"{(middle['cpu_s'] - base['cpu_s']) / (t_middle - t0) * 1000:.0f} / "
                    f"{(end['cpu_s'] - middle['cpu_s']) / (t_end - t_middle) * 1000:.0f} ms",
                    "",
                )
            )
            rows.append(
                ("slow reader cut off", "yes" if abuse.slow_reader_cut_off else "no", "yes")
            )
            rows.append(
                (
                    "brute-forcer: connections tried / ended without a verdict",
                    f"{abuse.brute_attempts} / {abuse.brute_refused_at_door}",
                    "",
                )
            )
            if abuse.brute_endings:
                rows.append(
                    (
                        "  how they ended",
                        ", ".join(f"{k} {v}" for k, v in sorted(abuse.brute_endings.items())),
                        "",
                    )
                )
            rows.append(("sessions left at the end (40 members)", str(end["sessions"]), ""))
            firsts = [p.errors[0] for p in posters if p.errors]
            if firsts:
                print(
                    f"first post error of {len(firsts)} posters (screen):\n{firsts[0]}",
                    file=sys.stderr,
                )
        finally:
            for m in chatters:
                await m.close()
            for p in posters:
                await p.close()
            await server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--rooms", type=int, default=20, help="members chatting in the Lobby")
    parser.add_argument("--boards", type=int, default=20, help="members posting on a board")
    parser.add_argument(
        "--abusers",
        default="flooder,slowreader,brute",
        help="comma-separated: flooder, slowreader, brute ('' for none)",
    )
    args = parser.parse_args()
    abusers = {a for a in args.abusers.split(",") if a}
    rows = asyncio.run(
        asyncio.wait_for(run(args.seconds, args.rooms, args.boards, abusers), args.seconds + 600)
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'measured':>24}  target")
    print(f"{'-' * width}  {'-' * 24}  ------")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>24}  {target}")


if __name__ == "__main__":
    main()

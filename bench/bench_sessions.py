"""Sessions benchmark: memory per session, first paint, first-screen bytes, idle bytes, leaks.

Starts the real server in a child process on a free loopback port (with a data directory
of its own), connects real asyncssh clients with a pty and key authentication, and
prints a table. Bounded in count and time; loopback only.

    .venv/bin/python bench/bench_sessions.py [--sessions 1,50,200] [--paint 100]

BENCH_PROFILE=FILE writes a cProfile of the server; BENCH_TRACEMALLOC=FILE appends where the
server's traced memory went between one measuring point and the next (tracemalloc).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import asyncssh
from server_process import ServerProcess

HARNESS = r"""
import asyncio, gc, json, sys, resource
from pathlib import Path
from bbs.config import Argon2Cost, load_settings, with_overrides, LoginLimits
from server.ssh_server import start_server, tune_garbage_collector
from server.session import LIVE_APPS
from server.textual_patches import apply_textual_patches

def rss_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

def store_cpu_ms():
    # CPU of the store's worker threads (they live until the server stops).
    import threading, time
    return int(sum(
        time.clock_gettime(time.pthread_getcpuclockid(t.ident)) * 1000
        for t in threading.enumerate()
        if t.name.startswith("bbs-db") and t.ident is not None
    ))

async def main():
    import os
    profile = None
    if os.environ.get("BENCH_PROFILE"):
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
    snapshots = None
    if os.environ.get("BENCH_TRACEMALLOC"):
        import tracemalloc
        tracemalloc.start(1)
        snapshots = []
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line or line.strip() == b"quit":
            break
        # CPU first: the full collection below is this probe's own (for RSS), and with
        # many sessions open it alone costs tens of ms, which no session start pays.
        usage = resource.getrusage(resource.RUSAGE_SELF)
        store_cpu = store_cpu_ms()
        gc.collect()
        if snapshots is not None:
            # Where the memory went between this point and the last: top lines and files.
            snapshots.append(tracemalloc.take_snapshot())
            if len(snapshots) > 1:
                with open(os.environ["BENCH_TRACEMALLOC"], "a") as out:
                    sessions = len(running.registry.sessions)
                    for key in ("lineno", "filename"):
                        diff = snapshots[-1].compare_to(snapshots[-2], key)
                        total = sum(d.size_diff for d in diff)
                        out.write(f"== {len(snapshots) - 1}: {sessions} sessions open, "
                                  f"{total / 1024:+.0f} KiB traced, by {key}\n")
                        for d in diff[:25]:
                            out.write(f"{d.size_diff / 1024:+9.1f} KiB {d.count_diff:+7d}  "
                                      f"{d.traceback[0].filename}:{d.traceback[0].lineno}\n")
        print(json.dumps({"rss_kib": rss_kib(), "live_apps": len(LIVE_APPS),
                          "sessions": len(running.registry.sessions),
                          "cpu_ms": int((usage.ru_utime + usage.ru_stime) * 1000),
                          "store_cpu_ms": store_cpu}), flush=True)
    if profile is not None:
        profile.disable()
        profile.dump_stats(os.environ["BENCH_PROFILE"])
    await running.shutdown(grace=1.0)

asyncio.run(main())
"""

COMPLETE_MARK = b"F1 help"


class Session:
    """One client: connect, wait for the first complete screen, count bytes."""

    def __init__(self) -> None:
        self.conn: asyncssh.SSHClientConnection | None = None
        self.received = 0
        self.first_paint: float | None = None
        self.connected = 0.0
        self.first_screen_bytes = 0
        self.first_screen = b""
        self._buffer = bytearray()
        self._painted = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def open(self, port: int, name: str, key: asyncssh.SSHKey) -> None:
        start = time.perf_counter()
        self.conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            username=name,
            client_keys=[key],
            known_hosts=None,
            agent_path=None,
            preferred_auth=("publickey",),
        )
        self.connected = time.perf_counter() - start
        process = await self.conn.create_process(
            term_type="xterm-256color", term_size=(80, 24), encoding=None
        )

        async def read() -> None:
            while True:
                data = await process.stdout.read(65536)
                if not data:
                    return
                self.received += len(data)
                self._buffer += data
                if not self._painted.is_set():
                    if COMPLETE_MARK in self._buffer:
                        self.first_paint = time.perf_counter() - start
                        self._painted.set()

        self._reader = asyncio.get_running_loop().create_task(read())
        await asyncio.wait_for(self._painted.wait(), 30)
        # Let the frame finish (it may be split over packets), then count it.
        await asyncio.sleep(0.3)
        self.first_screen_bytes = self.received
        self.first_screen = bytes(self._buffer)
        self._buffer = bytearray()

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            await self.conn.wait_closed()
        if self._reader is not None:
            self._reader.cancel()


def prepare_member(data_dir: Path) -> asyncssh.SSHKey:
    """One member with one key, written through the core before the server starts."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bbs.accounts import members as accounts
    from bbs.accounts.pseudonyms import validate_pseudonym
    from bbs.db import Database
    from server.ssh_server import key_info

    key = asyncssh.generate_private_key("ssh-ed25519")
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = Database(f"sqlite:///{data_dir / 'bbs.sqlite3'}")
    database.migrate()
    with database.write() as session:
        accounts.create_member(
            session,
            pseudonym=validate_pseudonym("bench"),
            password_hash="x",
            recovery_hash="x",
            key=key_info(key),
        )
    database.dispose()
    return key


async def open_many(port: int, key: asyncssh.SSHKey, count: int, parallel: int) -> list[Session]:
    sessions: list[Session] = []
    gate = asyncio.Semaphore(parallel)

    async def one() -> None:
        async with gate:
            session = Session()
            await session.open(port, "bench", key)
            sessions.append(session)

    await asyncio.gather(*(one() for _ in range(count)))
    return sessions


async def run(levels: list[int], paint_count: int, idle_seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        key = prepare_member(data_dir)
        server = ServerProcess(data_dir, HARNESS)
        await server.start()
        rows: list[tuple[str, str, str]] = []
        try:
            warm = await open_many(server.port, key, 2, 2)
            for s in warm:
                await s.close()
            await asyncio.sleep(0.5)
            base = await server.stats()

            # Memory per session at each level.
            for level in levels:
                sessions = await open_many(server.port, key, level, 8)
                await asyncio.sleep(0.5)
                stats = await server.stats()
                per = (stats["rss_kib"] - base["rss_kib"]) / level / 1024
                rows.append((f"memory per session, {level} open", f"{per:.2f} MiB", "<= 1 MiB"))
                for s in sessions:
                    await s.close()
                await asyncio.sleep(0.5)

            # First paint: 100 sessions opened 8 at a time, each timed from its own connect.
            before = await server.stats()
            sessions = await open_many(server.port, key, paint_count, 8)
            after = await server.stats()
            cpu_per_session = (after["cpu_ms"] - before["cpu_ms"]) / paint_count
            store_per_session = (after["store_cpu_ms"] - before["store_cpu_ms"]) / paint_count
            paints = sorted(s.first_paint or 0.0 for s in sessions)
            p50 = statistics.median(paints) * 1000
            p95 = paints[max(0, int(len(paints) * 0.95) - 1)] * 1000
            rows.append(
                (f"first paint p50 ({paint_count} sessions, 8 at a time)", f"{p50:.0f} ms", "")
            )
            rows.append(
                (
                    f"first paint p95 ({paint_count} sessions, 8 at a time)",
                    f"{p95:.0f} ms",
                    "<= 300 ms",
                )
            )
            auth = sorted(s.connected for s in sessions)
            rows.append(
                (
                    "  of which SSH connect + key auth, p50 / p95",
                    f"{statistics.median(auth) * 1000:.0f} / "
                    f"{auth[max(0, int(len(auth) * 0.95) - 1)] * 1000:.0f} ms",
                    "",
                )
            )
            rows.append(
                (
                    "  server CPU per session start (auth, app, home data)",
                    f"{cpu_per_session:.1f} ms",
                    "",
                )
            )
            rows.append(
                (
                    "    of which the store's worker threads",
                    f"{store_per_session:.1f} ms",
                    "",
                )
            )
            for s in sessions:
                await s.close()
            await asyncio.sleep(0.5)

            # First screen bytes and idle bytes, one session alone.
            [alone] = await open_many(server.port, key, 1, 1)
            rows.append(
                (
                    "first screen bytes at 80x24, 256 colours",
                    f"{alone.first_screen_bytes} B",
                    "<= 8 KB",
                )
            )
            before = alone.received
            await asyncio.sleep(idle_seconds)
            idle = (alone.received - before) / idle_seconds
            rows.append(
                (f"idle bytes per second (over {idle_seconds:.0f} s)", f"{idle:.1f} B/s", "0 B/s")
            )
            await alone.close()

            await asyncio.sleep(1.0)
            stats = await server.stats()
            rows.append(("live apps after all disconnect", str(stats["live_apps"]), "0"))
        finally:
            await server.stop()

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'measured':>12}  target")
    print(f"{'-' * width}  {'-' * 12}  ------")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>12}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sessions", default="1,50,200", help="levels for memory, e.g. 1,50,200")
    parser.add_argument("--paint", type=int, default=100, help="sessions for first-paint timing")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds to measure idle bytes")
    args = parser.parse_args()
    levels = [int(x) for x in args.sessions.split(",") if x]
    asyncio.run(asyncio.wait_for(run(levels, args.paint, args.idle), 600))


if __name__ == "__main__":
    main()

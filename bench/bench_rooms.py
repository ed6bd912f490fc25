"""Rooms benchmark: 100 members in one room over real SSH, lines at a steady rate; prints a table.

Starts the real server in a child process on a free loopback port (its own data
directory, one key per member), opens real asyncssh sessions with a pty that read all
their output, walks each into the Lobby, then has members take turns saying a line
(round robin, so nobody trips flood control) at --rate lines a second for --seconds.
Measures, per delivered line per recipient: post-to-visible latency (send until the
line's token arrives in that recipient's output), bytes of screen output, and server
CPU (/proc/<pid>/stat utime+stime delta); plus server memory and idle bytes a second.

    .venv/bin/python bench/bench_rooms.py [--members 100] [--rate 5] [--seconds 60] [--paste]

Each line is typed (its keys sent together, then Enter) unless --paste says it as one
bracketed paste: the difference between the two is what typing the line cost the speaker's
session, shared out over the recipients. Run the server's code from its own directory (the
harness is `python -c`, which imports from the working directory first).

BENCH_PROFILE=FILE writes a cProfile of the server over the chat only (from the members
being in the room until the last line has landed); BENCH_DUMP=FILE writes what one
recipient (the second member) received over the chat, bytes as Python reprs, one read a
line, so each escape sequence a line costs can be looked at.
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
from pathlib import Path

import asyncssh
from bench_plain import prepare_members
from server_process import ServerProcess

HARNESS = r"""
import asyncio, gc, json, sys
from pathlib import Path
from bbs.config import load_settings, with_overrides, LoginLimits
from server.ssh_server import start_server, tune_garbage_collector
from server.session import LIVE_APPS
from server.textual_patches import apply_textual_patches

def rss_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

import os, time
if os.environ.get("BENCH_DEBUG"):
    _gc_start = [0.0]
    def _gc_log(phase, info):
        if phase == "start":
            _gc_start[0] = time.perf_counter()
        elif info["generation"] == 2:
            ms = (time.perf_counter() - _gc_start[0]) * 1000
            sys.stderr.write(f"gc gen2 {ms:.0f} ms collected {info['collected']}\n")
    gc.callbacks.append(_gc_log)

async def main():
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
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    calls = 0
    while True:
        line = await reader.readline()
        if not line or line.strip() == b"quit":
            break
        calls += 1
        if profile is not None and calls == 2:
            profile.enable()  # the members are in the room: the chat starts
        if profile is not None and calls == 3:
            profile.disable()
            profile.dump_stats(os.environ["BENCH_PROFILE"])
        gc.collect()
        feeds = [s._app.screen for s in running.registry.sessions
                 if s._app is not None and hasattr(s._app.screen, "feed")]
        fast = sum(f.feed.fast_updates for f in feeds)
        full = sum(f.feed.full_updates for f in feeds)
        del feeds  # held across commands, it would keep every app alive
        print(json.dumps({"rss_kib": rss_kib(), "live_apps": len(LIVE_APPS),
                          "sessions": len(running.registry.sessions),
                          "fast": fast, "full": full}), flush=True)
    await running.shutdown(grace=1.0)

asyncio.run(main())
"""

TOKEN = re.compile(rb"tok(\d{6})z")
CLOCK_TICK = os.sysconf("SC_CLK_TCK")


def cpu_split(pid: int) -> tuple[float, float]:
    """utime and stime of a process (in Python; in the kernel: sends, receives, polls)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / CLOCK_TICK, int(fields[12]) / CLOCK_TICK


def main_thread_cpu(pid: int) -> float:
    """utime+stime of the process's main thread (the event loop), not its workers'."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICK


class Member:
    """One member's SSH session: reads everything, notes when each line's token arrives."""

    def __init__(self, name: str, key: asyncssh.SSHKey) -> None:
        self.name = name
        self.key = key
        self.conn: asyncssh.SSHClientConnection | None = None
        self.process: asyncssh.SSHClientProcess[bytes] | None = None
        self.received = 0
        self.arrivals: dict[int, float] = {}
        self._tail = b""
        self._screen = bytearray()
        self._watch: tuple[bytes, asyncio.Event] | None = None
        # Every read, kept while `recording` (BENCH_DUMP).
        self.recording: list[bytes] | None = None
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
            term_type="xterm-256color", term_size=(80, 24), encoding=None
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
            if self.recording is not None:
                self.recording.append(data)
            chunk = self._tail + data
            for match in TOKEN.finditer(chunk):
                self.arrivals.setdefault(int(match.group(1)), now)
            self._tail = chunk[-16:]
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

    async def enter_lobby(self, port: int) -> None:
        entered = self.wait_for(b"welcome, ")
        task = asyncio.ensure_future(entered)
        await self.open(port)
        await task
        lobby = asyncio.ensure_future(self.wait_for(b"Lobby ("))
        await asyncio.sleep(0)
        self.send("r")
        await lobby
        inside = asyncio.ensure_future(self.wait_for(b"You are in Lobby"))
        await asyncio.sleep(0)
        self.send("\r")
        await inside

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            await self.conn.wait_closed()
        if self._reader is not None:
            self._reader.cancel()


def write_dump(path: str, chunks: list[bytes]) -> None:
    """One recipient's reads, one a line, as Python bytes reprs (BENCH_DUMP)."""
    Path(path).write_text("".join(f"{chunk!r}\n" for chunk in chunks))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * share + 0.5) - 1))]


async def run(
    count: int, rate: float, seconds: float, idle_seconds: float, paste: bool = False
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        credentials = prepare_members(data_dir, count)
        server = ServerProcess(data_dir, HARNESS)
        await server.start()
        rows: list[tuple[str, str, str]] = []
        members = [Member(name, key) for name, key in credentials]
        try:
            base = await server.stats()
            gate = asyncio.Semaphore(8)

            async def enter(member: Member) -> None:
                async with gate:
                    await member.enter_lobby(server.port)

            started = time.perf_counter()
            await asyncio.gather(*(enter(m) for m in members))
            joined = time.perf_counter() - started
            await asyncio.sleep(3.0)  # presence lines settle
            in_room = await server.stats()

            # The chat: member k % count says line k, at `rate` lines a second.
            total = int(rate * seconds)
            sent: dict[int, float] = {}
            bytes_before = sum(m.received for m in members)
            dump = os.environ.get("BENCH_DUMP")
            if dump:
                members[min(1, count - 1)].recording = []
            split_before = cpu_split(server.pid)
            main_before = main_thread_cpu(server.pid)
            cpu_before = sum(split_before)
            t0 = time.perf_counter()
            for k in range(total):
                due = t0 + k / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                sender = members[k % count]
                sent[k] = time.perf_counter()
                line = f"feeling a bit better today, thanks all tok{k:06d}z"
                # Typed, the line is one key a character (as a client sends them when they
                # arrive together); pasted, one bracketed paste: the fan-out without typing.
                sender.send(f"\x1b[200~{line}\x1b[201~\r" if paste else f"{line}\r")
            # Let the last lines land everywhere.
            deadline = time.perf_counter() + 10
            while time.perf_counter() < deadline:
                if all(len(m.arrivals) >= total for m in members):
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)
            split_after = cpu_split(server.pid)
            main_used = main_thread_cpu(server.pid) - main_before
            cpu_used = sum(split_after) - cpu_before
            user_used = split_after[0] - split_before[0]
            bytes_used = sum(m.received for m in members) - bytes_before
            recorded = members[min(1, count - 1)].recording
            if dump and recorded is not None:
                write_dump(dump, recorded)
                members[min(1, count - 1)].recording = None
            after_chat = await server.stats()

            latencies = [
                (m.arrivals[k] - sent[k]) * 1000
                for m in members
                for k in range(total)
                if k in m.arrivals
            ]
            per_line = sorted(
                (
                    statistics.median(
                        [(m.arrivals[k] - sent[k]) * 1000 for m in members if k in m.arrivals]
                        or [0.0]
                    ),
                    k,
                )
                for k in range(total)
            )
            if os.environ.get("BENCH_DEBUG"):
                print("slowest lines (median ms, index):", per_line[-8:], file=sys.stderr)
            delivered = len(latencies)
            expected = total * count
            rows.append(("members in the room", str(count), ""))
            rows.append(("each line", "pasted" if paste else "typed", ""))
            rows.append((f"lines said ({rate:g}/s for {seconds:g} s)", str(total), ""))
            rows.append(
                (
                    "deliveries (line x recipient) seen / expected",
                    f"{delivered} / {expected}",
                    "all",
                )
            )
            if latencies:
                rows.append(("post-to-visible p50", f"{statistics.median(latencies):.0f} ms", ""))
                rows.append(
                    ("post-to-visible p99", f"{percentile(latencies, 0.99):.0f} ms", "<= 250 ms")
                )
                rows.append(("post-to-visible max", f"{max(latencies):.0f} ms", ""))
            per = max(1, delivered)
            rows.append(
                (
                    "screen bytes per delivered line per recipient",
                    f"{bytes_used / per:.0f} B",
                    "<= 300 B",
                )
            )
            rows.append(
                (
                    "server CPU per delivered line per recipient",
                    f"{cpu_used * 1000 / per:.3f} ms",
                    "<= 1 ms",
                )
            )
            rows.append(("server CPU over the chat", f"{cpu_used:.1f} s of {seconds:g} s", ""))
            rows.append(
                (
                    "  of which the main thread (event loop), per line per recipient",
                    f"{main_used * 1000 / per:.3f} ms",
                    "",
                )
            )
            rows.append(
                (
                    "  of which in the kernel (system time)",
                    f"{cpu_used - user_used:.2f} s",
                    "",
                )
            )
            rows.append(
                (
                    "feed updates: scrolled in place / repaints (incl. first paints)",
                    f"{after_chat['fast']} / {after_chat['full']}",
                    "",
                )
            )
            rows.append(
                (
                    "server memory, empty / with the room",
                    f"{base['rss_kib'] / 1024:.0f} / {in_room['rss_kib'] / 1024:.0f} MiB",
                    "",
                )
            )
            rows.append(
                (
                    "memory per member in the room",
                    f"{(in_room['rss_kib'] - base['rss_kib']) / count / 1024:.2f} MiB",
                    "",
                )
            )
            rows.append(
                (
                    f"time for {count} members to log in and enter (8 at a time)",
                    f"{joined:.1f} s",
                    "",
                )
            )

            await asyncio.sleep(2.0)
            idle_before = sum(m.received for m in members)
            await asyncio.sleep(idle_seconds)
            idle = (sum(m.received for m in members) - idle_before) / idle_seconds / count
            rows.append(
                (
                    f"idle bytes per second per member (over {idle_seconds:g} s)",
                    f"{idle:.1f} B/s",
                    "0 B/s",
                )
            )
            for m in members:
                await m.close()
            await asyncio.sleep(2.0)
            final = await server.stats()
            rows.append(("live apps after all disconnect", str(final["live_apps"]), "0"))
        finally:
            await server.stop()

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'measured':>16}  target")
    print(f"{'-' * width}  {'-' * 16}  ------")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>16}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--members", type=int, default=100, help="members in the room")
    parser.add_argument("--rate", type=float, default=5.0, help="lines a second, room-wide")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they chat")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds to measure idle bytes")
    parser.add_argument(
        "--paste", action="store_true", help="say each line as one paste, not typed key by key"
    )
    args = parser.parse_args()
    asyncio.run(
        asyncio.wait_for(
            run(args.members, args.rate, args.seconds, args.idle, paste=args.paste), 900
        )
    )


if __name__ == "__main__":
    main()

"""Several nodes on one PostgreSQL: one room's lines across nodes; prints a table.

Starts N real `bbs serve` nodes (each its own process, data directory and port, a
`[cluster]` section) on a fresh PostgreSQL database made for the run and dropped after,
puts --members members on each node into the Lobby (plain line sessions, TERM=dumb, so
that the clients' own cost stays small on a 2-core machine), and has them take turns
saying tagged lines at --rate lines a second for --seconds. For every line and every
member: was it seen, how many times, in the order said, and how long after it was said,
split into members on the speaker's node and members on other nodes. Then it does the
same for 1 node and 2 nodes (the same members, spread over fewer nodes), so that the
figures compare within one run.

    .venv/bin/python bench/bench_cluster.py [--nodes 3] [--members 30] [--rate 5]
        [--seconds 30]

The database server comes from BBS_BENCH_POSTGRES_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/test); a database `bench_cluster_<random>`
is created beside it. Loopback only, bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncssh
import psycopg
from bench_plain import PLAIN, TOKEN, Member, cpu_seconds, members_in, percentile

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BASE_URL = os.environ.get(
    "BBS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CONFIG = """[cluster]
node_name = "{name}"

[login]
startups_begin = 200
startups_full = 400
unauthenticated_per_source = 200
max_sessions = 2000
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url(name: str) -> str:
    head, _sep, _db = BASE_URL.rpartition("/")
    return f"{head}/{name}"


def _admin(sql: str) -> None:
    with psycopg.connect(BASE_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(sql)


class Node:
    def __init__(self, root: Path, url: str, name: str) -> None:
        self.data_dir = root / name
        self.url = url
        self.name = name
        self.port = _free_port()
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.data_dir.mkdir(parents=True)
        (self.data_dir / "config.toml").write_text(CONFIG.format(name=self.name))
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--data-dir",
            str(self.data_dir),
            "--port",
            str(self.port),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env={**os.environ, "BBS_DATABASE_URL": self.url},
        )
        assert self.proc.stdout is not None
        while True:
            line = (await asyncio.wait_for(self.proc.stdout.readline(), 120)).decode()
            if not line:
                raise RuntimeError(f"node {self.name} did not start")
            if line.startswith("Log in:"):
                return

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.proc.communicate(), 60)


async def measure(
    nodes: list[Node],
    credentials: list[tuple[str, asyncssh.SSHKey]],
    per_node: int,
    rate: float,
    seconds: float,
) -> dict[str, str]:
    count = per_node * len(nodes)
    members = [Member(name, key, PLAIN) for name, key in credentials[:count]]
    home = {m.name: i // per_node for i, m in enumerate(members)}
    gate = asyncio.Semaphore(8)
    t_login = time.perf_counter()

    async def join(i: int, member: Member) -> None:
        async with gate:
            await member.log_in(nodes[home[member.name]].port)
            await member.enter_lobby()

    await asyncio.gather(*(join(i, m) for i, m in enumerate(members)))
    login_seconds = time.perf_counter() - t_login
    await asyncio.sleep(3.0)  # presence lines settle
    for m in members:
        m.arrivals.clear()
    orders: dict[str, list[int]] = {m.name: [] for m in members}
    counts: dict[str, dict[int, int]] = {m.name: {} for m in members}

    def watch(member: Member) -> None:
        # Every tag as it arrives, for order and duplicates (arrivals keeps the first).
        async def read() -> None:
            assert member.process is not None
            tail = b""
            while True:
                data = await member.process.stdout.read(65536)
                if not data:
                    return
                now = time.perf_counter()
                chunk = tail + data
                for match in TOKEN.finditer(data):
                    k = int(match.group(1))
                    member.arrivals.setdefault(k, now)
                    orders[member.name].append(k)
                    counts[member.name][k] = counts[member.name].get(k, 0) + 1
                if b"more lines: Enter shows them" in chunk:
                    member.send("\r")
                tail = chunk[-48:]

        assert member._reader is not None
        member._reader.cancel()
        member._reader = asyncio.get_running_loop().create_task(read())

    for m in members:
        watch(m)
    total = int(rate * seconds)
    sent: dict[int, float] = {}
    speaker: dict[int, str] = {}
    cpu_before = [cpu_seconds(n.proc.pid) for n in nodes if n.proc is not None]
    t0 = time.perf_counter()
    for k in range(total):
        delay = t0 + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        who = members[k % count]
        sent[k] = time.perf_counter()
        speaker[k] = who.name
        # Each run's lines differ: room flood control (repeats within a minute) is
        # shared through the database, so it outlives the previous run's nodes.
        who.send(f"feeling a bit better today, {len(nodes)} tok{k:06d}z\r")
    deadline = time.perf_counter() + 20
    while time.perf_counter() < deadline:
        if all(len(m.arrivals) >= total for m in members):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)
    cpu_used = sum(
        cpu_seconds(n.proc.pid) - before
        for n, before in zip(nodes, cpu_before, strict=True)
        if n.proc is not None
    )
    same: list[float] = []
    cross: list[float] = []
    lost = duplicated = out_of_order = 0
    for m in members:
        for k in range(total):
            if speaker[k] == m.name:
                continue  # the speaker's own typing echoes the tag
            if k not in m.arrivals:
                lost += 1
                continue
            latency = (m.arrivals[k] - sent[k]) * 1000
            (same if home[speaker[k]] == home[m.name] else cross).append(latency)
        duplicated += sum(c - 1 for c in counts[m.name].values() if c > 1)
        seen = orders[m.name]
        out_of_order += sum(1 for a, b in itertools.pairwise(seen) if b < a)
    for m in members:
        await m.close()

    deliveries = total * (count - 1)

    def spread(values: list[float]) -> str:
        if not values:
            return "-"
        return f"{statistics.median(values):.0f} / {percentile(values, 0.99):.0f} ms"

    return {
        "members (per node)": f"{count} ({per_node})",
        "log in and enter the Lobby, all members": f"{login_seconds:.1f} s "
        f"({count / login_seconds:.1f} sessions/s)",
        "lines said / deliveries expected": f"{total} / {total * (count - 1)}",
        "fan-out p50 / p99, same node": spread(same),
        "fan-out p50 / p99, across nodes": spread(cross),
        "lost / duplicated / out of order": f"{lost} / {duplicated} / {out_of_order}",
        "nodes' CPU per line per recipient": f"{cpu_used * 1000 / max(1, deliveries):.3f} ms",
        "lines per second carried": f"{total / seconds:.1f}",
    }


async def run(node_count: int, per_node: int, rate: float, seconds: float) -> None:
    name = f"bench_cluster_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{name}"')
    url = _database_url(name)
    results: list[tuple[int, dict[str, str]]] = []
    try:
        credentials = await asyncio.to_thread(members_in, url, node_count * per_node)
        for n in sorted({1, min(2, node_count), node_count}):
            with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
                nodes = [Node(Path(tmp), url, f"node{i + 1}") for i in range(n)]
                try:
                    for node in nodes:
                        await node.start()
                    # The same members in all, spread over n nodes.
                    share = node_count * per_node // n
                    results.append((n, await measure(nodes, credentials, share, rate, seconds)))
                finally:
                    for node in nodes:
                        await node.stop()
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(
        f"One room, {node_count * per_node} members in plain line sessions, {rate:g} lines/s "
        f"for {seconds:g} s, on 1 to {node_count} nodes sharing one PostgreSQL"
    )
    keys = list(results[0][1])
    print(f"{'measure':44}" + "".join(f"{f'{n} node(s)':>24}" for n, _ in results))
    for key in keys:
        print(f"{key:44}" + "".join(f"{r[key]:>24}" for _, r in results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--members", type=int, default=30, help="members per node")
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    asyncio.run(
        run(
            min(max(args.nodes, 1), 5),
            min(max(args.members, 1), 100),
            min(max(args.rate, 0.5), 50),
            min(max(args.seconds, 5), 300),
        )
    )


if __name__ == "__main__":
    main()

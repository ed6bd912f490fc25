"""The store, a second process and the admin CLI all writing at once: no "database is locked".

Three kinds of writer share one SQLite data directory, as on a live host:
  - the server's Community (this process): members replying on boards and saying room
    lines, several at once, through Community.write (worker threads, BEGIN IMMEDIATE);
  - a second process with its own Database and Community (a second tool on the host),
    replying with several writers at once;
  - `bbs admin` subprocesses (board add, user role), one after another in two loops,
    for as long as the others write.
Every error counts (StoreBusyError is how "database is locked" reaches a caller).

    .venv/bin/python bench/bench_concurrent_writes.py [--writes 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bbs.accounts import members as accounts
from bbs.accounts.pseudonyms import validate_pseudonym
from bbs.boards.records import PostingRules
from bbs.clock import SystemClock
from bbs.community import Community
from bbs.config import Argon2Cost, load_settings, with_overrides
from bbs.rooms.flood import FloodControl
from server.wiring import build_community

SECOND_PROCESS = r"""
import asyncio, json, sys, time
from datetime import timedelta
from pathlib import Path
from bbs.boards.records import PostingRules
from bbs.community import Community
from server.wiring import build_community
from bbs.config import load_settings

async def main():
    data_dir, thread, member, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), \
        int(sys.argv[4])
    community = build_community(load_settings(data_dir, port=0))
    community.boards.rules = PostingRules(interval=timedelta(0),
                                          new_account_interval=timedelta(0))
    community.moderation.set_scorer(None)
    errors, latencies = [], []

    async def writer(w):
        for n in range(w, count, 4):
            start = time.perf_counter()
            try:
                await community.boards.reply(member, thread, body=f"second process {n}")
            except Exception as error:
                errors.append(repr(error))
            latencies.append((time.perf_counter() - start) * 1000)

    await asyncio.gather(*(writer(w) for w in range(4)))
    community.close()
    print(json.dumps({"writes": count - len(errors), "errors": errors[:5],
                      "error_count": len(errors), "latencies": latencies}), flush=True)

asyncio.run(main())
"""


@dataclass
class Source:
    """What one kind of writer did."""

    name: str
    writes: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _prepare(community: Community, members: int) -> list[int]:
    community.prepare()
    with community.database.write() as session:
        return [
            accounts.create_member(
                session,
                pseudonym=validate_pseudonym(f"writer{i:02d}"),
                password_hash="x",
                recovery_hash="x",
            ).id
            for i in range(members)
        ]


async def run(data_dir: Path, total: int) -> list[Source]:
    """`total` writes: 60% from this process's Community, 40% from a second process."""
    settings = with_overrides(
        load_settings(data_dir, port=0),
        argon2=Argon2Cost(time_cost=1, memory_cost_kib=1024, parallelism=1),
    )
    community = build_community(settings)
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    community.moderation.set_scorer(None)
    community.rooms.flood = FloodControl(
        SystemClock(), lines=1_000_000, per_seconds=1.0, duplicate_seconds=0.0
    )
    members = await asyncio.to_thread(_prepare, community, 8)
    board = (await community.boards.board_list(members[0]))[0].id
    first = await community.boards.create_thread(
        members[0], board, title="Writes", body="Many hands at once."
    )
    assert first.post is not None
    thread = first.post.thread_id

    here_boards, here_rooms, second, cli = (
        Source("server: board replies (4 at once)"),
        Source("server: room lines (2 at once)"),
        Source("second process: replies (4 at once)"),
        Source("bbs admin commands (2 loops)"),
    )
    mine = total * 6 // 10
    board_writes, room_writes = mine * 2 // 3, mine - mine * 2 // 3
    other_writes = total - mine
    done = asyncio.Event()

    async def board_writer(w: int) -> None:
        for n in range(w, board_writes, 4):
            start = time.perf_counter()
            try:
                await community.boards.reply(members[w], thread, body=f"here {n}")
                here_boards.writes += 1
            except Exception as error:
                here_boards.errors.append(repr(error))
            here_boards.latencies.append((time.perf_counter() - start) * 1000)

    rooms = await community.rooms.list_rooms(await _member(community, members[4]))
    room_id = rooms[0][0].id

    async def room_writer(w: int) -> None:
        visit = await community.rooms.enter(room_id, await _member(community, members[4 + w]))
        for n in range(w, room_writes, 2):
            start = time.perf_counter()
            try:
                reply = await community.rooms.say(visit, f"line {n} from {w}")
                if reply.line is None:
                    here_rooms.errors.append(" ".join(reply.notes))
                else:
                    here_rooms.writes += 1
            except Exception as error:
                here_rooms.errors.append(repr(error))
            here_rooms.latencies.append((time.perf_counter() - start) * 1000)
        await community.rooms.leave(visit)

    env = {**os.environ, "BBS_DATA_DIR": str(data_dir)}

    async def cli_loop(loop_id: int) -> None:
        n = 0
        while not done.is_set():
            n += 1
            args: tuple[str, ...]
            if n % 2:
                args = ("admin", "board", "add", f"Extra {loop_id}-{n}")
            else:
                args = ("admin", "user", "role", f"writer0{loop_id}", "member")
            start = time.perf_counter()
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "server.cli",
                *args,
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            out, _ = await proc.communicate()
            cli.latencies.append((time.perf_counter() - start) * 1000)
            if proc.returncode == 0:
                cli.writes += 1
            else:
                cli.errors.append(out.decode().strip()[-300:])

    async def second_process() -> None:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            SECOND_PROCESS,
            str(data_dir),
            str(thread),
            str(members[7]),
            str(other_writes),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await proc.communicate()
        if proc.returncode != 0:
            second.errors.append(err.decode()[-500:])
            return
        result = json.loads(out.decode().strip().splitlines()[-1])
        second.writes = result["writes"]
        second.errors = [*result["errors"]] + [""] * (result["error_count"] - len(result["errors"]))
        second.latencies = result["latencies"]

    clis = [asyncio.ensure_future(cli_loop(i)) for i in range(2)]
    try:
        await asyncio.gather(
            second_process(),
            *(board_writer(w) for w in range(4)),
            *(room_writer(w) for w in range(2)),
        )
    finally:
        done.set()
        await asyncio.gather(*clis)
        await asyncio.to_thread(community.close)
    return [here_boards, here_rooms, second, cli]


async def _member(community: Community, member_id: int) -> accounts.MemberView:
    member = await community.accounts.member(member_id)
    assert member is not None
    return member


def table(sources: list[Source], seconds: float) -> str:
    lines = [f"{'writer':<38}{'writes':>8}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"]
    for s in sources:
        lines.append(
            f"{s.name:<38}{s.writes:>8}{len(s.errors):>8}"
            f"{percentile(s.latencies, 0.5):>9.1f}{percentile(s.latencies, 0.99):>9.1f}"
            f"{max(s.latencies, default=0.0):>9.1f}"
        )
        lines.extend(f"    error: {e}" for e in s.errors[:3])
    total = sum(s.writes for s in sources)
    errors = sum(len(s.errors) for s in sources)
    lines.append(f"total: {total} writes in {seconds:.1f} s, {errors} errors")
    return "\n".join(lines)


async def main_async(writes: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        sources = await run(Path(tmp) / "data", writes)
        print(table(sources, time.perf_counter() - start))
    return 0 if not any(s.errors for s in sources) else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument(
        "--writes",
        type=int,
        default=10_000,
        help="writes by the server and the second process together",
    )
    args = parser.parse_args()
    raise SystemExit(asyncio.run(asyncio.wait_for(main_async(args.writes), 1200)))


if __name__ == "__main__":
    main()

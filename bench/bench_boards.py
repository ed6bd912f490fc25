"""Boards benchmark: page open times on a 100,000-post board, posting rate, event-loop stall.

Run: .venv/bin/python bench/bench_boards.py   (bounded: ~100k rows loaded, ~2,000 posts)
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text

from bbs.accounts import members as accounts
from bbs.accounts.pseudonyms import validate_pseudonym
from bbs.boards.records import Post, PostingRules, Thread
from bbs.community import Community
from bbs.config import Argon2Cost, load_settings, with_overrides
from bbs.models import utcnow
from moderation.model import load_model
from server.wiring import build_community

BIG_THREAD_POSTS = 50_000
SMALL_THREADS = 2_500
SMALL_THREAD_POSTS = 20
PAGE_SAMPLES = 200
POSTERS = 50
POSTS_TO_SEND = 2_000
WORDS = (
    "sleep anxiety walk breathe morning tired hope friend better today week panic "
    "meeting calm tea music garden run write journal"
).split()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def sentence(rng: random.Random, n: int = 25) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def load_board(community: Community) -> tuple[int, int, list[int]]:
    """Bulk-load 100,000 posts into the Anxiety board through the core's own tables."""
    rng = random.Random(7)
    database = community.database
    with database.write() as session:
        members = [
            accounts.create_member(
                session,
                pseudonym=validate_pseudonym(f"member{i}"),
                password_hash="x",
                recovery_hash="x",
            ).id
            for i in range(POSTERS + 1)
        ]
        board = session.exec(text("SELECT id FROM board WHERE name = 'Anxiety'")).one()[0]  # type: ignore[call-overload]
    now = utcnow() - timedelta(days=1)
    post_id = 0
    with database.write() as session:
        conn = session.connection()
        threads = [
            {
                "board_id": board,
                "author_id": members[t % len(members)],
                "title": f"Thread {t}: " + sentence(rng, 5),
                "warning": "",
                "status": "visible",
                "post_count": 0,
                "last_post_id": 0,
                "last_post_at": now,
                "created_at": now,
            }
            for t in range(SMALL_THREADS + 1)
        ]
        conn.execute(insert(Thread), threads)
        thread_ids = [r[0] for r in conn.execute(text("SELECT id FROM thread ORDER BY id"))]
        big = thread_ids[0]
        rows: list[dict[str, object]] = []
        counts = {big: BIG_THREAD_POSTS}
        counts.update({t: SMALL_THREAD_POSTS for t in thread_ids[1:]})
        # Interleave as real activity would: the big thread keeps getting replies.
        order = [big] * BIG_THREAD_POSTS + [
            t for t in thread_ids[1:] for _ in range(SMALL_THREAD_POSTS)
        ]
        rng.shuffle(order)
        seqs = dict.fromkeys(thread_ids, 0)
        last: dict[int, int] = {}
        for thread_id in order:
            seqs[thread_id] += 1
            post_id += 1
            last[thread_id] = post_id
            rows.append(
                {
                    "id": post_id,
                    "thread_id": thread_id,
                    "seq": seqs[thread_id],
                    "author_id": members[post_id % len(members)],
                    "body": sentence(rng),
                    "warning": "",
                    "status": "visible",
                    "created_at": now,
                }
            )
        for start in range(0, len(rows), 10_000):
            conn.execute(insert(Post), rows[start : start + 10_000])
        if database.is_sqlite:
            conn.execute(text("INSERT INTO post_fts(rowid, body) SELECT id, body FROM post"))
        for thread_id in thread_ids:
            conn.execute(
                text("UPDATE thread SET post_count = :c, last_post_id = :l WHERE id = :t"),
                {"c": counts[thread_id], "l": last[thread_id], "t": thread_id},
            )
    return board, big, members


async def time_pages(
    community: Community, member: int, board: int, big: int
) -> dict[str, list[float]]:
    service = community.boards
    results: dict[str, list[float]] = {
        "board list (unread counts)": [],
        "thread list page": [],
        "thread page": [],
        "search": [],
    }
    rng = random.Random(3)
    cursor: int | None = None
    for _ in range(PAGE_SAMPLES):
        start = time.perf_counter()
        page = await service.thread_list(member, board, before=cursor)
        results["thread list page"].append((time.perf_counter() - start) * 1000)
        cursor = page.older if page.older else None
    for _ in range(PAGE_SAMPLES):
        after = rng.randrange(0, BIG_THREAD_POSTS - 20)
        start = time.perf_counter()
        await service.thread_page(member, big, after_seq=after)
        results["thread page"].append((time.perf_counter() - start) * 1000)
    for _ in range(50):
        start = time.perf_counter()
        await service.board_list(member)
        results["board list (unread counts)"].append((time.perf_counter() - start) * 1000)
    for _ in range(50):
        start = time.perf_counter()
        await service.search(member, rng.choice(WORDS) + " " + rng.choice(WORDS))
        results["search"].append((time.perf_counter() - start) * 1000)
    return results


async def post_under_load(
    community: Community, members: list[int], big: int
) -> tuple[float, float, float, int]:
    """Posts accepted a second with moderation on, and the 1 ms ticker's lateness."""
    lateness: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            before = loop.time()
            await asyncio.sleep(0.001)
            lateness.append((loop.time() - before - 0.001) * 1000)

    rng = random.Random(5)
    per_poster = POSTS_TO_SEND // POSTERS
    accepted = 0

    async def poster(member: int) -> None:
        nonlocal accepted
        for _ in range(per_poster):
            await community.boards.reply(member, big, body=sentence(rng, 30))
            accepted += 1

    tick = asyncio.get_running_loop().create_task(ticker())
    start = time.perf_counter()
    await asyncio.gather(*(poster(m) for m in members[:POSTERS]))
    elapsed = time.perf_counter() - start
    stop.set()
    await tick
    return accepted / elapsed, percentile(lateness, 0.99), max(lateness), accepted


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = with_overrides(
            load_settings(Path(tmp) / "data", port=0),
            argon2=Argon2Cost(time_cost=1, memory_cost_kib=1024, parallelism=1),
        )
        model = load_model(None)
        community = build_community(settings, scorer=model)
        community.prepare()
        community.boards.rules = PostingRules(
            interval=timedelta(0), new_account_interval=timedelta(0)
        )
        start = time.perf_counter()
        board, big, members = await asyncio.to_thread(load_board, community)
        load_seconds = time.perf_counter() - start
        reader = members[-1]
        pages = await time_pages(community, reader, board, big)
        rate, stall_p99, stall_max, accepted = await post_under_load(community, members, big)
        community.close()
    total = BIG_THREAD_POSTS + SMALL_THREADS * SMALL_THREAD_POSTS
    print(
        f"Board with {total:,} posts ({SMALL_THREADS + 1:,} threads, the biggest "
        f"{BIG_THREAD_POSTS:,} posts), SQLite; bulk load {load_seconds:.1f} s"
    )
    print(f"{'measure':<34}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, values in pages.items():
        print(
            f"{name:<34}{percentile(values, 0.5):>10.2f}{percentile(values, 0.95):>10.2f}"
            f"{max(values):>10.2f}"
        )
    print(
        f"posts accepted with moderation on: {rate:,.0f}/s ({accepted} posts by "
        f"{POSTERS} members at once)"
    )
    print(
        f"event-loop stall while posting: p99 {stall_p99:.1f} ms, max {stall_max:.1f} ms "
        "(target p99 <= 20 ms)"
    )


if __name__ == "__main__":
    asyncio.run(main())

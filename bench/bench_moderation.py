"""Moderation model benchmark: latency, throughput, training time, file size, event-loop stall.

Run: .venv/bin/python bench/bench_moderation.py   (bounded: a few thousand scorings, ~30 s)
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from moderation.dataset import load_seed, split
from moderation.model import ModerationModel, train_seed_model
from moderation.store import SHIPPED_DIR, load_shipped

SINGLE_RUNS = 2000
BATCH_SIZE = 512
BATCH_SECONDS = 3.0
STALL_MESSAGES = 400


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_single(model: ModerationModel, texts: list[str]) -> tuple[float, float, float]:
    for t in texts[:50]:
        model.score([t])  # warm caches
    times: list[float] = []
    for i in range(SINGLE_RUNS):
        text = texts[i % len(texts)]
        start = time.perf_counter()
        model.score([text])
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 0.5), percentile(times, 0.99), max(times)


def bench_batch(model: ModerationModel, texts: list[str]) -> float:
    batch = (texts * (BATCH_SIZE // len(texts) + 1))[:BATCH_SIZE]
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < BATCH_SECONDS:
        model.score(batch)
        done += len(batch)
    return done / (time.perf_counter() - start)


async def bench_stall(model: ModerationModel, texts: list[str], batch: int) -> tuple[float, float]:
    """Max and p99 lateness of a 1 ms ticker while messages are scored via asyncio.to_thread."""
    lateness: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            before = loop.time()
            await asyncio.sleep(0.001)
            lateness.append((loop.time() - before - 0.001) * 1000)

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    for i in range(0, STALL_MESSAGES, batch):
        chunk = [texts[(i + k) % len(texts)] for k in range(batch)]
        await asyncio.to_thread(model.score, chunk)
    stop.set()
    await tick
    return max(lateness), percentile(lateness, 0.99)


def main() -> None:
    seed = load_seed()
    texts = [e.text for e in seed]
    rows: list[tuple[str, str]] = []

    start = time.perf_counter()
    model = load_shipped()
    rows.append(("load shipped model", f"{(time.perf_counter() - start) * 1000:.0f} ms"))
    size = (SHIPPED_DIR / "model.pkl").stat().st_size
    rows.append(("model file size", f"{size / 1e6:.2f} MB (target <= 20 MB)"))

    p50, p99, worst = bench_single(model, texts)
    rows.append(("single message p50", f"{p50:.3f} ms"))
    rows.append(("single message p99", f"{p99:.3f} ms (target <= 2 ms)"))
    rows.append(("single message max", f"{worst:.3f} ms"))
    long_text = " ".join(texts)[:100_000]
    start = time.perf_counter()
    model.score([long_text])
    rows.append(("one 100,000-char message", f"{(time.perf_counter() - start) * 1000:.1f} ms"))

    rate = bench_batch(model, texts)
    rows.append((f"batch throughput ({BATCH_SIZE}/batch)", f"{rate:,.0f} msgs/s (target >= 5,000)"))

    for batch in (1, 64):
        worst_stall, p99_stall = asyncio.run(bench_stall(model, texts, batch))
        rows.append(
            (
                f"event-loop stall, to_thread, batch {batch}",
                f"max {worst_stall:.2f} ms, p99 {p99_stall:.2f} ms (1 ms ticker lateness)",
            )
        )

    start = time.perf_counter()
    train_seed_model()
    took = time.perf_counter() - start
    rows.append(
        (
            "training time (seed train split)",
            f"{took:.1f} s on {len(split(seed)[0])} rows (target <= 60 s)",
        )
    )

    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for k, v in rows:
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()

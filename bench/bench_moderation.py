"""Moderation model benchmark: latency, throughput, training time, size, RSS, event-loop stall.

Run: .venv/bin/python bench/bench_moderation.py            (about 2-3 minutes, 2 cores)
     .venv/bin/python bench/bench_moderation.py --no-train (skip the training run)
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from moderation.dataset import load_seed  # noqa: E402
from moderation.model import ModerationModel  # noqa: E402
from moderation.store import SHIPPED_DIR, load_shipped  # noqa: E402

SINGLE_RUNS = 2000
BATCH_SIZE = 512
BATCH_SECONDS = 3.0
STALL_MESSAGES = 400

# Run in a fresh interpreter: what a server process holds after loading the model for
# scoring, and whether scoring pulled scikit-learn in.
_RSS_PROBE = """
import sys
from moderation.model import load_model
m = load_model(None)
m.set_trusted_text("call 988")
m.score(["I want to die tonight", "hola", "kys"] * 10)
m.explain("kys")
rss = [l for l in open("/proc/self/status") if l.startswith("VmRSS:")][0].split()[1]
print(int(rss) // 1024, any(k == "sklearn" or k.startswith("sklearn.") for k in sys.modules))
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_single(
    model: ModerationModel, texts: list[str]
) -> tuple[float, float, float, float, float]:
    """Wall-clock p50/p99/max, and CPU-time p50/p99 (this process only: on a shared
    machine, wall-clock tails include time other work held the core)."""
    for t in texts[:50]:
        model.score([t])  # warm caches
    times: list[float] = []
    cpu: list[float] = []
    for i in range(SINGLE_RUNS):
        text = texts[(i * 7919) % len(texts)]
        start = time.perf_counter()
        c0 = time.thread_time()
        model.score([text])
        cpu.append((time.thread_time() - c0) * 1000)
        times.append((time.perf_counter() - start) * 1000)
    return (
        percentile(times, 0.5),
        percentile(times, 0.99),
        max(times),
        percentile(cpu, 0.5),
        percentile(cpu, 0.99),
    )


def bench_batch(model: ModerationModel, texts: list[str]) -> tuple[float, float]:
    """Texts per second of wall-clock time and of this thread's CPU time."""
    done = 0
    start = time.perf_counter()
    c0 = time.thread_time()
    i = 0
    while time.perf_counter() - start < BATCH_SECONDS:
        batch = [texts[(i + k) % len(texts)] for k in range(BATCH_SIZE)]
        i += BATCH_SIZE
        model.score(batch)
        done += len(batch)
    return done / (time.perf_counter() - start), done / (time.thread_time() - c0)


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-train", action="store_true", help="skip the training-time run")
    args = parser.parse_args()
    texts = [e.text for e in load_seed()]
    rows: list[tuple[str, str]] = []

    start = time.perf_counter()
    model = load_shipped()
    rows.append(("load shipped model", f"{(time.perf_counter() - start) * 1000:.0f} ms"))
    size = sum(p.stat().st_size for p in SHIPPED_DIR.iterdir() if p.is_file())
    rows.append(("model size on disk", f"{size / 1e6:.2f} MB (target <= 20 MB)"))
    probe = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    rss, sk = probe.stdout.split()
    rows.append(("RSS after loading + scoring (fresh process)", f"{rss} MiB"))
    rows.append(("scikit-learn imported by scoring", "yes" if sk == "True" else "no"))

    p50, p99, worst, cpu50, cpu99 = bench_single(model, texts)
    rows.append(("one text p50", f"{p50:.3f} ms (CPU time {cpu50:.3f} ms)"))
    rows.append(("one text p99", f"{p99:.3f} ms (CPU time {cpu99:.3f} ms) (target <= 2 ms)"))
    rows.append(("one text max", f"{worst:.3f} ms"))
    long_text = " ".join(texts)[:100_000]
    start = time.perf_counter()
    model.score([long_text])
    rows.append(("one 100,000-char text", f"{(time.perf_counter() - start) * 1000:.1f} ms"))

    rate, cpu_rate = bench_batch(model, texts)
    rows.append(
        (
            f"batch throughput ({BATCH_SIZE}/batch)",
            f"{rate:,.0f} texts/s (per CPU second {cpu_rate:,.0f}) (target >= 5,000)",
        )
    )

    for batch in (1, 64):
        worst_stall, p99_stall = asyncio.run(bench_stall(model, texts, batch))
        rows.append(
            (
                f"event-loop stall, to_thread, batch {batch}",
                f"max {worst_stall:.2f} ms, p99 {p99_stall:.2f} ms (1 ms ticker lateness)",
            )
        )

    if not args.no_train:
        from moderation.train import train_default_model

        start = time.perf_counter()
        cpu0 = time.process_time()
        trained = train_default_model()
        took = time.perf_counter() - start
        cpu = time.process_time() - cpu0
        rows.append(
            (
                "training time (shipped recipe, incl. 4-fold out-of-fold)",
                f"{took:.1f} s on {trained.meta['n_examples']} texts (target <= 180 s); "
                f"CPU {cpu:.1f} s over both threads",
            )
        )

    width = max(len(k) for k, _ in rows)
    print(f"| {'measure':<{width}} | value |")
    print(f"|{'-' * (width + 2)}|---|")
    for k, v in rows:
        print(f"| {k:<{width}} | {v} |")


if __name__ == "__main__":
    main()

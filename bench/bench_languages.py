"""What five languages cost: reading the catalogues and Babel's locale data, and saying a
core message again in a member's language. A fresh process; prints a table.

    .venv/bin/python bench/bench_languages.py

The server reads English at start (`bbs.i18n.preload_languages`, off its event loop) and
each other language when its first member arrives (`bbs.i18n.ready_language`, in a worker
thread): the table says what each costs in time and memory, language by language, and
what each message costs afterwards.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

ROUNDS = 50_000


def rss_mib() -> float:
    with open(f"/proc/{os.getpid()}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    from bbs import i18n

    rows: list[tuple[str, str, str]] = []
    start_rss = rss_mib()
    moment = datetime(2026, 12, 4, 19, 5, tzinfo=UTC)
    for lang in i18n.LANGUAGES:
        before, began = rss_mib(), time.perf_counter()
        i18n.translator(lang)
        i18n.format_number(1000, lang)
        i18n.format_moment(moment, lang)
        i18n.format_day(moment.date(), lang)
        took = (time.perf_counter() - began) * 1000
        rows.append(
            (
                f"read {lang} (catalogue, dates, numbers)",
                f"{took:.1f} ms",
                f"+{rss_mib() - before:.1f} MiB",
            )
        )
    rows.append(("all five, in all", "", f"+{rss_mib() - start_rss:.1f} MiB"))

    plain = i18n.said("There is no member called {name}.", name="Ana")
    counted = i18n.said_n("{count} thread", "{count} threads", 1200)
    timed = i18n.said("{when} UTC {room}: {topic}", when=i18n.Moment(moment), room="L", topic="T")
    for label, message in (
        ("said", plain),
        ("said_n (a plural, a number)", counted),
        ("said with a time", timed),
    ):
        began = time.perf_counter()
        for _ in range(ROUNDS):
            i18n.localise(message, "de")
        each = (time.perf_counter() - began) / ROUNDS * 1e6
        rows.append((f"localise one {label} in German", f"{each:.1f} us", ""))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'time':>9}  {'memory':>10}")
    for name, spent, memory in rows:
        print(f"{name:<{width}}  {spent:>9}  {memory:>10}")


if __name__ == "__main__":
    main()

"""What the server holds before anyone connects: RSS and PSS after each big import, then
after `start_server` on a fresh SQLite data directory, in a fresh process (migrations in
that process, as tests and tools do); then, each in another fresh process, a first start
as `bbs serve` makes it (migrations in a child process) and a restart on that data
directory; then what each other language costs the first time a member of it appears.

    .venv/bin/python bench/bench_idle_memory.py

Each step is imported in order, so a line's figure includes everything above it. PSS
counts a page shared with other processes by its share: on a box that runs nothing but
the server (one process), PSS is about RSS. The last lines say which of the modules the
server needs only in some configurations got loaded (PostgreSQL's psycopg, Alembic for
migrations, scikit-learn and SciPy for training).
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = (
    ("asyncssh", "asyncssh"),
    ("Textual", "textual.app"),
    ("SQLAlchemy and SQLModel", "sqlmodel"),
    ("numpy", "numpy"),
    ("every table module", "bbs.schema"),
    ("screens", "screens.app"),
    ("server", "server.ssh_server"),
)
TARGET_MIB = 120
OPTIONAL = ("psycopg", "alembic", "mako", "pygments", "sklearn", "scipy")


def memory_mib() -> tuple[float, float]:
    """(RSS, PSS) of this process in MiB."""
    found: dict[str, float] = {}
    with open(f"/proc/{os.getpid()}/smaps_rollup") as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                found[name] = int(rest.split()[0]) / 1024
    return found.get("Rss", 0.0), found.get("Pss", 0.0)


def row(what: str, value: str = "", target: str = "") -> None:
    print(f"{what:<44}{value:>24}  {target}")


def memory_row(what: str, target: str = "") -> None:
    rss, pss = memory_mib()
    row(what, f"{rss:.1f} / {pss:.1f} MiB", target)


def optional_loaded() -> str:
    return ", ".join(sorted({n.split(".")[0] for n in sys.modules} & set(OPTIONAL))) or "none"


async def started(data: Path, *, languages: bool = False, apart: bool = False) -> None:
    from bbs import i18n
    from bbs.config import load_settings
    from server import ssh_server
    from server.ssh_server import start_server
    from server.textual_patches import apply_textual_patches
    from server.wiring import build_community

    settings = dataclasses.replace(load_settings(data), port=0)
    migrate_apart = getattr(ssh_server, "migrate_apart", None)
    if apart and migrate_apart is not None:
        await asyncio.to_thread(migrate_apart, settings)
    community = build_community(settings)
    apply_textual_patches()
    running = await start_server(settings, community)
    try:
        await asyncio.sleep(1.0)  # let start-up tasks (suggestions, model) settle
        memory_row("server started, nobody connected", f"<= {TARGET_MIB}")
        loaded = getattr(i18n, "loaded_languages", lambda: frozenset(i18n.LANGUAGES))()
        row("languages read", ", ".join(sorted(loaded)))
        row("optional modules loaded", optional_loaded())
        row("modules loaded", str(len(sys.modules)))
        if languages and hasattr(i18n, "ready_language"):
            for lang in i18n.LANGUAGES:
                if i18n.language_loaded(lang):
                    continue
                before, began = memory_mib()[0], time.perf_counter()
                await i18n.ready_language(lang)
                took = (time.perf_counter() - began) * 1000
                row(
                    f"first {lang} member: language read",
                    f"+{memory_mib()[0] - before:.1f} MiB",
                    f"{took:.0f} ms",
                )
            memory_row("every language read")
    finally:
        await running.shutdown(grace=1.0)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        print("-- as `bbs serve` starts, on a fresh data directory, in a fresh process")
        asyncio.run(started(Path(sys.argv[2]), apart=True))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--restart":
        print("-- a restart, on the same data directory, in a fresh process")
        asyncio.run(started(Path(sys.argv[2]), languages=True))
        return
    row("measure", "RSS / PSS", "target")
    memory_row("python itself")
    for label, module in STEPS:
        importlib.import_module(module)
        memory_row(f"+ {label}")
    data = Path(tempfile.mkdtemp(prefix="bbs-idle-"))
    print("-- start_server on a fresh data directory (migrations in this process)")
    asyncio.run(started(data))
    sys.stdout.flush()
    served = Path(tempfile.mkdtemp(prefix="bbs-idle-"))
    subprocess.run([sys.executable, __file__, "--serve", str(served)], check=True)
    subprocess.run([sys.executable, __file__, "--restart", str(served)], check=True)


if __name__ == "__main__":
    main()

"""What the server holds before anyone connects: RSS after each big import, then after
`start_server` on a fresh SQLite data directory, in a fresh process.

    .venv/bin/python bench/bench_idle_memory.py

Each step is imported in order, so a line's figure includes everything above it. The
last lines also say whether scikit-learn or SciPy got loaded (the server needs neither).
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import os
import sys
import tempfile
from pathlib import Path

STEPS = (
    ("asyncssh", "asyncssh"),
    ("Textual", "textual.app"),
    ("SQLAlchemy and SQLModel", "sqlmodel"),
    ("psycopg", "psycopg"),
    ("numpy", "numpy"),
    ("every table module", "bbs.schema"),
    ("screens", "screens.app"),
    ("server", "server.ssh_server"),
)
TARGET_MIB = 120


def rss_mib() -> float:
    with open(f"/proc/{os.getpid()}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def row(what: str, value: str, target: str = "") -> None:
    print(f"{what:<48}{value:>12}  {target}")


async def started() -> float:
    from bbs.config import load_settings
    from server.ssh_server import start_server
    from server.textual_patches import apply_textual_patches
    from server.wiring import build_community

    data = Path(tempfile.mkdtemp(prefix="bbs-idle-"))
    settings = dataclasses.replace(load_settings(data), port=0)
    community = build_community(settings)
    apply_textual_patches()
    running = await start_server(settings, community)
    try:
        await asyncio.sleep(1.0)  # let start-up tasks (suggestions, model) settle
        return rss_mib()
    finally:
        await running.shutdown(grace=1.0)


def main() -> None:
    row("measure", "RSS", "target")
    row("python itself", f"{rss_mib():.1f} MiB")
    for label, module in STEPS:
        importlib.import_module(module)
        row(f"+ {label}", f"{rss_mib():.1f} MiB")
    row("server started, nobody connected", f"{asyncio.run(started()):.1f} MiB", f"<= {TARGET_MIB}")
    loaded = sorted({name.split(".")[0] for name in sys.modules} & {"sklearn", "scipy"})
    row("scikit-learn or SciPy loaded", ", ".join(loaded) or "no", "no")
    row("modules loaded", str(len(sys.modules)))


if __name__ == "__main__":
    main()

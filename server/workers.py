"""`bbs serve --workers N`: N server processes on one box sharing one port (SO_REUSEPORT).

Each worker is a whole `bbs serve` node on the same PostgreSQL database; the kernel
spreads new connections across them (SSH needs no sticky sessions). This process only
starts them, shows one banner, restarts a worker that dies, and passes SIGINT/SIGTERM on.
SQLite is served by one process, so workers need PostgreSQL.

The database URL reaches the workers in their environment ($BBS_DATABASE_URL), never on a
command line other users can read with `ps`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import time

from bbs.config import Settings

log = logging.getLogger(__name__)

MAX_WORKERS = 64
RESTART_DELAY_SECONDS = 1.0
STOP_GRACE_SECONDS = 30.0
NODES_NOTE = (
    "Note: each worker is a node of this community; until live events cross nodes, room "
    "lines as they happen, who is online and login throttles are per worker.\n"
)


class WorkersError(ValueError):
    """`--workers` cannot run with these settings."""


def check_workers(settings: Settings, workers: int) -> None:
    """Raise WorkersError, saying why, unless N workers can serve these settings."""
    if not 1 <= workers <= MAX_WORKERS:
        raise WorkersError(f"--workers takes 1 to {MAX_WORKERS} processes")
    if settings.database_url.startswith("sqlite"):
        raise WorkersError(
            "--workers needs PostgreSQL: a SQLite community is served by one process. "
            "Move the community with `bbs admin migrate-to-postgres URL`, then start the "
            'workers with --database-url URL (README, "Several nodes").'
        )
    if settings.port == 0:
        raise WorkersError("--workers needs a fixed --port for the workers to share")


def _out(text: str) -> None:
    os.write(1, text.encode())


class Supervisor:
    """Starts the workers, keeps them running, stops them together."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.settings = settings
        self.count = workers
        self.procs: dict[int, asyncio.subprocess.Process] = {}
        self.stopping = False

    def _command(self) -> list[str]:
        s = self.settings
        return [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--worker",
            "--host",
            s.host,
            "--port",
            str(s.port),
            "--data-dir",
            str(s.data_dir),
        ]

    async def _start(self, index: int) -> str | None:
        """Start worker `index`; its banner once it listens, or None if it failed."""
        env = {**os.environ, "BBS_DATABASE_URL": self.settings.database_url}
        proc = await asyncio.create_subprocess_exec(
            *self._command(),
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
        )
        self.procs[index] = proc
        assert proc.stdout is not None
        banner = []
        while line := (await proc.stdout.readline()).decode():
            banner.append(line)
            if line.startswith("Log in:"):
                asyncio.get_running_loop().create_task(self._relay(index, proc))
                return "".join(banner)
        await proc.wait()
        return None

    async def _relay(self, index: int, proc: asyncio.subprocess.Process) -> None:
        """A worker's later output (its goodbye), marked with its number."""
        assert proc.stdout is not None
        while line := await proc.stdout.readline():
            _out(f"worker {index + 1}: {line.decode()}")

    async def run(self) -> int:
        banners = await asyncio.gather(*(self._start(i) for i in range(self.count)))
        if any(b is None for b in banners):
            _out("bbs serve: a worker could not start (its error is above); stopping.\n")
            await self.stop()
            return 1
        first = (banners[0] or "").splitlines(keepends=True)
        pids = ", ".join(str(self.procs[i].pid) for i in range(self.count))
        first[0] = (
            f"BBS listening on {self.settings.host}:{self.settings.port} with "
            f"{self.count} workers (processes {pids})\n"
        )
        _out("".join(first) + NODES_NOTE)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        watchers = [loop.create_task(self._watch(i, stop)) for i in range(self.count)]
        await stop.wait()
        self.stopping = True
        _out("Stopping the workers...\n")
        await self.stop()
        for watcher in watchers:
            watcher.cancel()
        _out("Stopped.\n")
        return 0

    async def _watch(self, index: int, stop: asyncio.Event) -> None:
        """Restart worker `index` whenever it dies; stop everything if it cannot start."""
        while not self.stopping:
            proc = self.procs[index]
            await proc.wait()
            if self.stopping:
                return
            log.error(
                "worker %d (process %d) exited with %s; restarting it",
                index + 1,
                proc.pid,
                proc.returncode,
            )
            await asyncio.sleep(RESTART_DELAY_SECONDS)
            if self.stopping:
                return
            if await self._start(index) is None:
                _out(f"bbs serve: worker {index + 1} could not start again; stopping.\n")
                stop.set()
                return
            _out(f"worker {index + 1} restarted (process {self.procs[index].pid})\n")

    async def stop(self) -> None:
        running = [p for p in self.procs.values() if p.returncode is None]
        for proc in running:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for proc in running:
            try:
                await asyncio.wait_for(proc.wait(), max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                proc.kill()
                await proc.wait()


def run_workers(settings: Settings, workers: int) -> int:
    """`bbs serve --workers N`, after check_workers."""
    return asyncio.run(Supervisor(settings, workers).run())


__all__ = ["WorkersError", "check_workers", "run_workers"]

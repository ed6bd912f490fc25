"""A benchmark's server in a child process: it prints its port, then answers 'stats' lines."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path


class ServerProcess:
    """Runs a harness script (given as source) with the data directory as its argument."""

    def __init__(self, data_dir: Path, harness: str) -> None:
        self.data_dir = data_dir
        self.harness = harness
        self.proc: asyncio.subprocess.Process | None = None
        self.port = 0

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            self.harness,
            str(self.data_dir),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=None if os.environ.get("BENCH_DEBUG") else asyncio.subprocess.DEVNULL,
        )
        self.port = json.loads(await self._line())["port"]

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def _line(self) -> str:
        assert self.proc is not None and self.proc.stdout is not None
        return (await asyncio.wait_for(self.proc.stdout.readline(), 60)).decode()

    async def stats(self) -> dict[str, int]:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(b"stats\n")
        await self.proc.stdin.drain()
        result: dict[str, int] = json.loads(await self._line())
        return result

    async def stop(self) -> None:
        if self.proc is not None and self.proc.stdin is not None:
            self.proc.stdin.write(b"quit\n")
            await self.proc.stdin.drain()
            await asyncio.wait_for(self.proc.wait(), 30)

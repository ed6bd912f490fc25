"""Password hashing off the event loop, bounded so argon2 cannot exhaust memory."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from bbs.accounts.passwords import PasswordService
from bbs.config import Settings

P = ParamSpec("P")
T = TypeVar("T")


class Hasher:
    """The password service and the worker threads its argon2 calls run in."""

    def __init__(self, settings: Settings) -> None:
        self.passwords = PasswordService(settings.argon2)
        verifies = max(1, settings.login.max_concurrent_verifies)
        self._hash_pool = ThreadPoolExecutor(max_workers=verifies, thread_name_prefix="bbs-hash")
        self._verify_slots = asyncio.Semaphore(verifies)

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        # Each argon2 call holds ~64 MiB: the semaphore bounds memory as well as CPU.
        async with self._verify_slots:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._hash_pool, functools.partial(fn, *args, **kwargs)
            )

    def close(self) -> None:
        self._hash_pool.shutdown(wait=True)

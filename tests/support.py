"""Helpers shared by tests in several folders (imported by name: tests/ is on sys.path)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from bbs import sysop_settings
from bbs.community import Community
from bbs.config import ClusterSettings, Settings
from bbs.db import Database
from server.wiring import build_community


def let_new_members_write(database: Database) -> None:
    """The community lets minutes-old accounts start private conversations (tests' accounts)."""
    with database.write() as session:
        sysop_settings.put_setting(session, sysop_settings.NEW_MEMBER_MESSAGE_HOURS, "0")


async def wait_until(
    condition: Callable[[], object],
    what: str,
    timeout: float = 10.0,
    detail: Callable[[], str] | None = None,
) -> None:
    """Wait on a condition, checked about every 20 ms, never a fixed time; fail naming `what`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            extra = f": {detail()}" if detail is not None else ""
            raise AssertionError(f"timed out after {timeout} s waiting for {what}{extra}")
        await asyncio.sleep(0.02)  # poll interval, not a wait for something to happen


async def settle(
    pilot: Pilot[Any], predicate: Callable[[], object], what: str, timeout: float = 10.0
) -> None:
    """Let a Pilot app run until `predicate()` holds; fail naming `what` after `timeout` s.

    `predicate` may return an awaitable (a store read, say): its result is what counts.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await pilot.pause()  # the app has handled what was queued, and is idle
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@contextlib.asynccontextmanager
async def cluster_nodes(
    settings: Settings, url: str, root: Path, count: int = 2
) -> AsyncIterator[list[Community]]:
    """`count` communities on one PostgreSQL schema with [cluster], live, as several nodes
    would be; stopped and closed afterwards."""
    nodes: list[Community] = []
    try:
        for i in range(count):
            name = f"node{i + 1}"
            node = build_community(
                dataclasses.replace(
                    settings,
                    data_dir=root / name,
                    database_url=url,
                    cluster=ClusterSettings(node_name=name),
                )
            )
            nodes.append(node)
            await asyncio.to_thread(node.prepare)
            await node.start_live()
        yield nodes
    finally:
        for node in nodes:
            await node.rooms.stop()
            await node.stop_live()
            await asyncio.to_thread(node.close)

"""Live events across a PostgreSQL restart: two nodes' buses, nothing lost or doubled.

Two `PostgresEventBus` nodes share a fresh schema of the local PostgreSQL. One event goes
through; then the whole PostgreSQL cluster is restarted (`pg_ctlcluster ... restart`: every
connection of both nodes is dropped and the server is away for a moment) while node one
publishes 20 events, and 20 more once the restart command has returned. Both nodes must
receive all 41, once each, in order, after reconnecting on their own.

It restarts the machine's PostgreSQL, so it is a bench to run by hand (as root, on a
machine where nothing else uses that PostgreSQL), not a test:

    .venv/bin/python bench/pg_restart.py [--url postgresql+psycopg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import time
import uuid

from sqlalchemy import create_engine, text

from bbs.db import Database
from bbs.events import Subscription
from bbs.events_postgres import PostgresEventBus
from bbs.rooms.events import RoomLineEvent

EVENTS = 41


def _line(n: int) -> RoomLineEvent:
    return RoomLineEvent(1, n, 7, "Ash", "say", f"line {n}", "2026-01-01T00:00:00+00:00")


async def run(base: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with create_engine(base, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}?options=-csearch_path%3D{schema}"
    database = Database(url)
    database.migrate()
    database.dispose()
    nodes = [PostgresEventBus(url, reconnect_max=2.0) for _ in range(2)]
    for node in nodes:
        await node.start()
    arrived = asyncio.Event()
    received: list[list[int]] = [[], []]
    subscriptions: list[Subscription] = []
    for node, ids in zip(nodes, received, strict=True):
        # Told once per batch: take the batch, so that the next one is told too.
        def take(ids: list[int] = ids, index: int = len(subscriptions)) -> None:
            batch = subscriptions[index].drain()
            ids.extend(e.line_id for e in batch if isinstance(e, RoomLineEvent))
            arrived.set()

        subscriptions.append(node.subscribe("room.1", on_event=take))

    async def until_each_has(count: int, timeout: float) -> None:
        async with asyncio.timeout(timeout):
            while not all(len(ids) >= count for ids in received):
                await arrived.wait()
                arrived.clear()

    try:
        nodes[0].publish("room.1", _line(0))
        await until_each_has(1, 30)
        started = time.monotonic()
        restart = await asyncio.create_subprocess_exec(
            "pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"
        )
        for n in range(1, 21):
            nodes[0].publish("room.1", _line(n))
            await asyncio.sleep(0.05)
        await restart.wait()
        restarted = time.monotonic() - started
        for n in range(21, EVENTS):
            nodes[0].publish("room.1", _line(n))
        with contextlib.suppress(TimeoutError):
            await until_each_has(EVENTS, 90)  # what is missing after that is counted lost
        delivered = time.monotonic() - started
        print(
            f"{'node':<6}{'received':>10}{'lost':>6}{'twice':>7}{'in order':>10}{'reconnects':>12}"
        )
        for name, node, ids in zip(("one", "two"), nodes, received, strict=True):
            lost = len(set(range(EVENTS)) - set(ids))
            twice = len(ids) - len(set(ids))
            print(
                f"{name:<6}{len(ids):>7}/{EVENTS}{lost:>6}{twice:>7}"
                f"{ids == sorted(ids)!s:>10}{node.reconnects:>12}"
            )
        print(f"restart command {restarted:.1f} s; every event on both nodes {delivered:.1f} s")
    finally:
        for node in nodes:
            await node.close()
        with create_engine(base, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    asyncio.run(run(parser.parse_args().url))


if __name__ == "__main__":
    main()

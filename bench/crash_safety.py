"""Crash safety: kill -9 the server again and again while members post; nothing seen is lost.

Each round starts the real server (start_server, as `bbs serve` runs it) in a child
process on a free loopback port, over one data directory that every round shares. Five
members log in over real SSH (asyncssh with a pty, seen through a pyte terminal) and reply
to a thread through the compose screen, again and again: open the editor, type a line with
a unique token, Ctrl+S, and wait until the thread page shows the token with the editor
gone. Only then does the author count the post as accepted. At a random moment while they
post, the server gets SIGKILL. After every kill the database is opened as the next start
would open it: `PRAGMA integrity_check` must say ok and every accepted token must be there.

Posting intervals are loosened in the child (members here post far faster than people);
the shipped moderation model scores every post, as in `bbs serve`.

    .venv/bin/python bench/crash_safety.py [--kills 20] [--members 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh
import pyte

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server_process import ServerProcess

HARNESS = r"""
import asyncio, json, sys
from datetime import timedelta
from pathlib import Path
from bbs.boards.records import PostingRules
from server.wiring import build_community
from bbs.config import load_settings
from server.ssh_server import start_server, tune_garbage_collector
from server.textual_patches import apply_textual_patches

async def main():
    apply_textual_patches()
    settings = load_settings(Path(sys.argv[1]), port=0)
    community = build_community(settings)
    community.boards.rules = PostingRules(interval=timedelta(0),
                                          new_account_interval=timedelta(0))
    running = await start_server(settings, community)
    tune_garbage_collector()
    print(json.dumps({"port": running.port}), flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:  # runs until killed (or told to quit)
        line = await reader.readline()
        if not line or line.strip() == b"quit":
            break
        print(json.dumps({}), flush=True)
    await running.shutdown(grace=1.0)

asyncio.run(main())
"""

CTRL_S = "\x13"
THREAD_TITLE = "Crash safety check-ins"
TOKEN = re.compile(r"tok(\d\d)x(\d{5})z")


class Screen:
    """One member's SSH session through a terminal emulator."""

    def __init__(
        self, conn: asyncssh.SSHClientConnection, process: asyncssh.SSHClientProcess[bytes]
    ) -> None:
        self.conn = conn
        self.process = process
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.closed = asyncio.Event()
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            while data := await self.process.stdout.read(65536):
                self.stream.feed(data)
        except (asyncssh.Error, OSError):
            pass
        finally:
            self.closed.set()

    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait(
        self, check: str | None = None, *, gone: str | None = None, timeout: float = 30.0
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.text()
            if (check is None or check in screen) and (gone is None or gone not in screen):
                return
            if self.closed.is_set():
                raise ConnectionError("the connection closed")
            await asyncio.sleep(0.02)
        raise TimeoutError(f"{check!r} never appeared:\n{self.text()}")

    def send(self, text: str) -> None:
        self.process.stdin.write(text.encode())

    def close(self) -> None:
        self.conn.close()
        self.reader.cancel()


@dataclass
class Author:
    """A member who posts and remembers every post they saw accepted."""

    index: int
    name: str
    key: asyncssh.SSHKey
    accepted: list[str] = field(default_factory=list)
    sent = 0
    failures: list[str] = field(default_factory=list)

    async def open(self, port: int) -> Screen:
        conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            username=self.name,
            client_keys=[self.key],
            known_hosts=None,
            agent_path=None,
            preferred_auth=("publickey",),
        )
        process = await conn.create_process(
            term_type="xterm-256color", term_size=(80, 24), encoding=None
        )
        return Screen(conn, process)

    async def post_until_killed(self, port: int, ready: asyncio.Event, counter: list[int]) -> None:
        screen = await self.open(port)
        try:
            await screen.wait("welcome, ", timeout=60)  # a loaded CI machine is slow to start
            screen.send("b")
            await screen.wait("Introductions")
            screen.send("\r")
            await screen.wait(THREAD_TITLE)
            screen.send("\r")
            await screen.wait(f"{THREAD_TITLE}  (Introductions")
            counter[0] += 1
            if counter[0] == counter[1]:
                ready.set()
            while True:
                screen.send("r")
                await screen.wait("Reply to:")
                self.sent += 1
                token = f"tok{self.index:02d}x{self.sent:05d}z"
                screen.send(f"steady today {token}")
                await screen.wait(token)
                screen.send(CTRL_S)
                # Accepted: the thread page shows the post, the editor is gone.
                await screen.wait(token, gone="Reply to:")
                self.accepted.append(token)
        except (ConnectionError, OSError, asyncssh.Error):
            pass  # the server was killed: what was not seen accepted does not count
        except TimeoutError as error:
            self.failures.append(str(error))
        finally:
            screen.close()


@dataclass
class Round:
    kill: int
    accepted: int
    found: int
    lost: list[str]
    integrity: str
    seconds: float


def prepare(data_dir: Path, count: int) -> list[Author]:
    """Members with one key each and the thread they reply to, before any server runs."""
    from datetime import timedelta

    from bbs.accounts import members as accounts
    from bbs.accounts.pseudonyms import validate_pseudonym
    from bbs.boards.records import PostingRules
    from bbs.config import load_settings
    from server.ssh_server import key_info
    from server.wiring import build_community

    settings = load_settings(data_dir, port=0)
    community = build_community(settings)
    community.prepare()
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    authors = []
    with community.database.write() as session:
        for i in range(count):
            key = asyncssh.generate_private_key("ssh-ed25519")
            name = f"poster{i:02d}"
            accounts.create_member(
                session,
                pseudonym=validate_pseudonym(name),
                password_hash="x",
                recovery_hash="x",
                key=key_info(key),
            )
            authors.append(Author(i, name, key))

    async def first_thread() -> None:
        member = await community.accounts.member_for_key(
            "poster00", key_info(authors[0].key).fingerprint
        )
        assert member is not None
        board = (await community.boards.board_list(member.id))[0]
        await community.boards.create_thread(
            member.id, board.id, title=THREAD_TITLE, body="Say how you are doing, one line a time."
        )

    asyncio.run(first_thread())
    community.close()
    return authors


def check_store(path: Path, accepted: list[str]) -> tuple[int, list[str], str]:
    """Open the database as the next start would; count accepted tokens found there."""
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        stored: set[str] = set()
        for (body,) in conn.execute("SELECT body FROM post"):
            stored.update(m.group(0) for m in TOKEN.finditer(body))
    finally:
        conn.close()
    lost = [token for token in accepted if token not in stored]
    return len(accepted) - len(lost), lost, integrity


async def run_rounds(
    data_dir: Path, authors: list[Author], kills: int, seed: int = 1
) -> list[Round]:
    """Start, let everyone post, SIGKILL at a random moment; check the store; repeat."""
    rng = random.Random(seed)
    rounds: list[Round] = []
    database = data_dir / "bbs.sqlite3"
    for kill in range(1, kills + 1):
        started = time.perf_counter()
        server = ServerProcess(data_dir, HARNESS)
        await server.start()
        ready = asyncio.Event()
        counter = [0, len(authors)]
        tasks = [
            asyncio.ensure_future(a.post_until_killed(server.port, ready, counter)) for a in authors
        ]
        try:
            await asyncio.wait_for(ready.wait(), 60)
        except TimeoutError:
            pass  # someone could not get in: kill anyway, their failure is recorded
        await asyncio.sleep(rng.uniform(1.0, 4.0))  # members are mid-post
        os.kill(server.pid, signal.SIGKILL)
        assert server.proc is not None
        await server.proc.wait()
        await asyncio.wait(tasks, timeout=30)
        accepted = [token for a in authors for token in a.accepted]
        found, lost, integrity = check_store(database, accepted)
        rounds.append(
            Round(kill, len(accepted), found, lost, integrity, time.perf_counter() - started)
        )
    return rounds


def table(rounds: list[Round], authors: list[Author]) -> str:
    lines = [
        f"{'kill':>4}  {'accepted (total)':>16}  {'found':>6}  {'lost':>5}  "
        f"{'integrity':<10}  {'round s':>7}"
    ]
    for r in rounds:
        lines.append(
            f"{r.kill:>4}  {r.accepted:>16}  {r.found:>6}  {len(r.lost):>5}  "
            f"{r.integrity:<10}  {r.seconds:>7.1f}"
        )
    last = rounds[-1]
    sent = sum(a.sent for a in authors)
    for author in authors:
        for failure in author.failures[:1]:
            lines.append(f"{author.name} timed out: {failure}")
    lines.append(
        f"total: {len(rounds)} kills, {sent} posts sent, {last.accepted} seen "
        f"accepted by their authors, {last.found} found, {len(last.lost)} lost, "
        f"integrity {last.integrity}; client timeouts "
        f"{sum(len(a.failures) for a in authors)}"
    )
    return "\n".join(lines)


async def main_async(kills: int, members: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        authors = await asyncio.to_thread(prepare, data_dir, members)
        rounds = await run_rounds(data_dir, authors, kills)
    print(table(rounds, authors))
    ok = all(not r.lost and r.integrity == "ok" for r in rounds)
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--members", type=int, default=5)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(asyncio.wait_for(main_async(args.kills, args.members), 900)))


if __name__ == "__main__":
    main()

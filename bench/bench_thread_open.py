"""Opening a long thread over SSH: how long until its screen settles, and is it drawn once?

A member who has read a 200-post thread opens it again: it opens on its last page, at
the newest post. A real asyncssh client with an 80x24 pty presses Enter on the thread,
and the benchmark measures:
- to the newest post: from the key to the moment the expected post's text has arrived;
- to the final screen: from the key to the last change of what the screen shows
  (repainting cells with what they already hold is no change);
- to the last byte: from the key to the last byte before 300 ms of quiet (less that
  quiet), and how many of the open's bytes repainted an unchanged screen;
- bytes sent for the open, and whether a post that belongs only at the top of the page
  (never on the final screen) was drawn at all, i.e. whether the page was drawn twice.
Loopback only, bounded: `--opens` times (default 20). Opening at the first unread post
is not repeatable (each open moves the read mark), so it is not measured here.

    .venv/bin/python bench/bench_thread_open.py [--opens 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import asyncssh
import pyte
from server_process import ServerProcess

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_sessions import HARNESS

QUIET = 0.3
POSTS = 200


def prepare(data_dir: Path) -> asyncssh.SSHKey:
    """A member with one key, and a long thread they have read, written through the core."""
    from bbs.accounts import members as accounts
    from bbs.accounts.pseudonyms import validate_pseudonym
    from bbs.boards import records as boards
    from bbs.db import Database
    from bbs.models import Member, utcnow
    from bbs.moderation_queue.flags import Written
    from bbs.moderation_queue.policy import Action
    from server.ssh_server import key_info

    key = asyncssh.generate_private_key("ssh-ed25519")
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = Database(f"sqlite:///{data_dir / 'bbs.sqlite3'}")
    database.migrate()
    rules = boards.PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    with database.write() as session:
        boards.ensure_default_boards(session)
        reader = accounts.create_member(
            session,
            pseudonym=validate_pseudonym("bench"),
            password_hash="x",
            recovery_hash="x",
            key=key_info(key),
        )
        writer = accounts.create_member(
            session, pseudonym=validate_pseudonym("writer"), password_hash="x", recovery_hash="x"
        )
        for member_id in (reader.id, writer.id):
            member = session.get(Member, member_id)
            assert member is not None
            member.created_at = utcnow() - timedelta(days=30)
            session.add(member)
        board = boards.board_list(session, member_id=reader.id)[0].id
        for title, read_up_to in (("All read", POSTS),):
            thread = boards.create_thread(
                session,
                author_id=writer.id,
                board_id=board,
                written=Written(
                    boards.clean_post(title, f"{title} post 1 of {POSTS}.", ""), Action.ALLOW
                ),
                rules=rules,
            )
            for seq in range(2, POSTS + 1):
                boards.create_reply(
                    session,
                    author_id=writer.id,
                    thread_id=thread.thread_id,
                    written=Written(
                        boards.clean_post(None, f"{title} post {seq} of {POSTS}.", ""), Action.ALLOW
                    ),
                    rules=rules,
                )
            boards.mark_read(
                session, member_id=reader.id, thread_id=thread.thread_id, seq=read_up_to
            )
    database.dispose()
    return key


class Terminal:
    """A client terminal: bytes counted, the screen kept by pyte, and every text that
    appeared on it since `clear()` remembered (so a frame drawn and replaced is seen)."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.changed = asyncio.Event()
        self.last_byte = 0.0
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.shown = ""
        # When what the screen shows last changed (a repaint of the same cells is no change).
        self.last_change = 0.0
        self.bytes_after_change = 0
        self._display: list[str] = []

    def clear(self) -> None:
        self.buffer.clear()
        self.shown = "\n".join(self.screen.display)
        self._display = list(self.screen.display)

    async def open(self, port: int, key: asyncssh.SSHKey) -> None:
        self.conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            username="bench",
            client_keys=[key],
            known_hosts=None,
            agent_path=None,
            preferred_auth=("publickey",),
        )
        self.process = await self.conn.create_process(
            term_type="xterm-256color", term_size=(80, 24), encoding=None
        )

        async def read() -> None:
            while data := await self.process.stdout.read(65536):
                self.buffer += data
                self.stream.feed(data)
                self.shown += "\n".join(self.screen.display)
                if self.screen.display != self._display:
                    self._display = list(self.screen.display)
                    self.last_change = time.perf_counter()
                    self.bytes_after_change = 0
                else:
                    self.bytes_after_change += len(data)
                self.last_byte = time.perf_counter()
                self.changed.set()

        self.reader = asyncio.get_running_loop().create_task(read())

    async def wait_for(self, text: str, timeout: float = 30.0) -> float:
        """Wait until `text` has been on screen since `clear()`; when it first was."""
        deadline = time.perf_counter() + timeout
        while text not in self.shown:
            self.changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(
                    f"{text!r} never shown; screen:\n" + "\n".join(self.screen.display)
                )
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                continue
        return time.perf_counter()

    async def quiet(self) -> float:
        """Wait for QUIET seconds without a byte; the time of the last byte."""
        while True:
            await asyncio.sleep(QUIET / 3)
            if time.perf_counter() - self.last_byte >= QUIET:
                return self.last_byte

    def send(self, keys: str) -> None:
        self.process.stdin.write(keys.encode())

    async def close(self) -> None:
        self.conn.close()
        await self.conn.wait_closed()
        self.reader.cancel()


async def measure(
    term: Terminal, row: int, expect: str, absent: str, opens: int
) -> dict[str, object]:
    """Open the thread in list row `row` `opens` times from the thread list."""
    to_post: list[float] = []
    settled: list[float] = []
    final: list[float] = []
    sizes: list[int] = []
    after_final: list[int] = []
    twice = 0
    for _ in range(opens):
        await term.quiet()
        term.clear()
        # Home on the thread list's first row, then down to the thread's row, then open.
        term.send("\x1b[H" + "\x1b[B" * row)
        await term.quiet()
        term.clear()
        start = time.perf_counter()
        term.send("\r")
        seen = await term.wait_for(expect)
        last = await term.quiet()
        to_post.append((seen - start) * 1000)
        settled.append((last - start) * 1000)
        final.append((term.last_change - start) * 1000)
        sizes.append(len(term.buffer))
        after_final.append(term.bytes_after_change)
        twice += absent in term.shown
        term.send("\x1b")  # back to the thread list
        await term.wait_for("N new thread")
    return {
        "to_post": to_post,
        "settled": settled,
        "final": final,
        "bytes": sizes,
        "after_final": after_final,
        "twice": twice,
    }


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(opens: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-thread-") as tmp:
        data_dir = Path(tmp) / "data"
        key = prepare(data_dir)
        server = ServerProcess(data_dir, HARNESS)
        await server.start()
        term = Terminal()
        try:
            await term.open(server.port, key)
            await term.wait_for("F1 help")
            term.send("b")
            await term.wait_for("Boards")
            term.clear()
            term.send("\r")  # the first board
            await term.wait_for("N new thread")
            cases = [
                # The newest post is on the final screen; the page's first post
                # (post 181) is not, at the newest post: drawn only if drawn twice.
                ("read to the end: last page", 0, "All read post 200 of", "All read post 181 of"),
            ]
            results = [
                (name, await measure(term, row, expect, absent, opens))
                for name, row, expect, absent in cases
            ]
        finally:
            await term.close()
            await server.stop()
    print(f"Opening a {POSTS}-post thread over SSH at 80x24, {opens} opens")
    for name, r in results:
        rows = [
            ("Enter to the newest post on screen", r["to_post"]),
            ("Enter to the final screen (last change)", r["final"]),
            ("Enter to the last byte (300 ms quiet after)", r["settled"]),
        ]
        print(name)
        print(f"  {'measure':46} {'p50 ms':>8} {'p95 ms':>8}")
        for label, values in rows:
            assert isinstance(values, list)
            print(f"  {label:46} {statistics.median(values):8.0f} {_p(values, 0.95):8.0f}")
        sizes, after = r["bytes"], r["after_final"]
        assert isinstance(sizes, list) and isinstance(after, list)
        print(
            f"  bytes per open, p50: {statistics.median(sizes):.0f}, of which repainting "
            f"an unchanged screen after its last change: {statistics.median(after):.0f}"
        )
        print(f"  opens where the page's top was ever drawn: {r['twice']}/{opens}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(run(min(max(args.opens, 1), 200)))


if __name__ == "__main__":
    main()

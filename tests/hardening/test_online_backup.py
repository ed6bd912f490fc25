"""`bbs admin backup` while members post: the copy holds every post accepted before it began.

The community (as the server runs it) keeps replying from five writers while the real CLI,
in another process, runs the backup. The copy is then restored as a new data directory's
database and opened by a Community, as a host would after losing the original.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, text
from support import SSH_PASSWORD as PASSWORD
from support import wait_until

from bbs.boards.records import Post, PostingRules
from bbs.community import Community
from bbs.config import Settings, load_settings, with_overrides
from server.wiring import build_community

FILLER_POSTS = 20_000  # enough that the copy takes a while, so posts land during it


def _fill(community: Community, member: int, thread: int) -> None:
    """A big thread, written straight into the tables (the copy then takes real time)."""
    rows = [
        {
            "thread_id": thread,
            "seq": seq,
            "author_id": member,
            "body": f"filler {seq} " + "quiet morning walk by the water " * 12,
            "warning": "",
            "status": "visible",
        }
        for seq in range(2, FILLER_POSTS + 2)
    ]
    with community.database.write() as session:
        conn = session.connection()
        conn.execute(insert(Post), rows)
        conn.execute(
            text(
                "INSERT INTO post_fts(rowid, body) SELECT id, body FROM post "
                "WHERE thread_id = :t AND seq > 1"
            ),
            {"t": thread},
        )
        conn.execute(
            text(
                "UPDATE thread SET post_count = :n, last_post_id = "
                "(SELECT max(id) FROM post WHERE thread_id = :t) WHERE id = :t"
            ),
            {"n": FILLER_POSTS + 1, "t": thread},
        )


def _tokens(path: Path) -> tuple[set[str], str, list[tuple[int, int, int]]]:
    """Bodies' tokens, integrity_check, and threads whose post count disagrees with posts."""
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tokens = {
            row[0] for row in conn.execute("SELECT body FROM post WHERE body LIKE 'backup token %'")
        }
        torn = conn.execute(
            "SELECT t.id, t.post_count, count(p.id) FROM thread t "
            "LEFT JOIN post p ON p.thread_id = t.id GROUP BY t.id "
            "HAVING t.post_count != count(p.id)"
        ).fetchall()
    finally:
        conn.close()
    return tokens, integrity, torn


async def test_a_backup_taken_while_members_post_restores_every_accepted_post(
    community: Community, settings: Settings, tmp_path: Path
) -> None:
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    community.moderation.set_scorer(None)
    members = [
        (await community.accounts.sign_up(f"Writer{i}", PASSWORD, PASSWORD)).member.id
        for i in range(5)
    ]
    board = (await community.boards.board_list(members[0]))[0].id
    first = await community.boards.create_thread(
        members[0], board, title="Check-ins", body="How is everyone today?"
    )
    assert first.post is not None
    thread = first.post.thread_id
    await asyncio.to_thread(_fill, community, members[0], thread)

    accepted: list[tuple[float, str]] = []
    stop = asyncio.Event()

    async def writer(member: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            body = f"backup token {member}-{n}"
            await community.boards.reply(member, thread, body=body)
            accepted.append((time.monotonic(), body))

    writers = [asyncio.ensure_future(writer(m)) for m in members]
    await wait_until(lambda: len(accepted) >= 5, "five posts before the backup", timeout=30)
    backup = tmp_path / "copy.sqlite3"
    env = {**os.environ, "BBS_DATA_DIR": str(settings.data_dir)}
    began = time.monotonic()
    before = {body for _at, body in accepted}
    cli = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server.cli",
        "admin",
        "backup",
        str(backup),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(cli.communicate(), 120)
    ended = time.monotonic()
    await wait_until(lambda: accepted[-1][0] > ended, "a post after the backup", timeout=30)
    stop.set()
    await asyncio.gather(*writers)  # no writer met an error (a locked store would raise)

    assert cli.returncode == 0, out.decode()
    assert "Backed up to" in out.decode()
    during = [body for at, body in accepted if began < at < ended]
    assert len(before) >= 5 and len(during) >= 5  # posts were written on both sides of it
    tokens, integrity, torn = _tokens(backup)
    assert integrity == "ok"
    assert before <= tokens  # every post accepted before the backup began
    assert torn == []  # a consistent snapshot: no thread counted posts the copy lacks
    assert tokens <= {body for _at, body in accepted}

    # Restore: the copy becomes a new data directory's database, and the BBS runs on it.
    restored_dir = tmp_path / "restored"
    restored_dir.mkdir()
    shutil.copyfile(backup, restored_dir / "bbs.sqlite3")
    restored = build_community(
        with_overrides(load_settings(restored_dir, port=0), argon2=settings.argon2)
    )
    try:
        await asyncio.to_thread(restored.prepare)
        restored.moderation.set_scorer(None)
        restored.boards.rules = community.boards.rules
        page = await restored.boards.thread_page(members[1], thread, before_seq=10**9)
        assert page.thread.post_count == len(tokens) + FILLER_POSTS + 1
        assert {p.body for p in page.posts if p.body.startswith("backup token")} <= tokens
        again = await restored.boards.reply(members[1], thread, body="after the restore")
        assert again.post is not None and again.post.seq == page.thread.post_count + 1
    finally:
        await asyncio.to_thread(restored.close)

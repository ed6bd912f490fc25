"""Write a synthetic community into a store with bulk inserts (evaluation and benchmark only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, text
from sqlmodel import col, select

from bbs.boards.records import Board, Post, Thread
from bbs.db import Database
from bbs.goals.records import Goal
from bbs.models import Member, utcnow
from bbs.suggestions.records import SuggestionSettings
from suggest.synthetic import BOARDS, SyntheticCommunity

CHUNK = 10_000


@dataclass(frozen=True)
class Loaded:
    """Ids in the store for the synthetic community's members, threads and boards."""

    member_ids: list[int]
    thread_ids: list[int]
    board_ids: dict[str, int]


def _chunks(conn: object, table: type, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(table), rows[start : start + CHUNK])  # type: ignore[attr-defined]


def load(database: Database, community: SyntheticCommunity, *, opt_in: bool = True) -> Loaded:
    """Boards, members, goals, threads and posts; every member opted in when asked."""
    now = utcnow()
    start = now - timedelta(days=20)
    with database.write() as session:
        conn = session.connection()
        existing = {b.name: b.id for b in session.exec(select(Board)).all()}
        for position, (name, description, _theme) in enumerate(BOARDS):
            if name not in existing:
                conn.execute(
                    insert(Board),
                    [
                        {
                            "name": name,
                            "description": description,
                            "position": position,
                            "archived": False,
                            "created_at": start,
                        }
                    ],
                )
        boards = {b.name: int(b.id or 0) for b in session.exec(select(Board)).all()}
        first = int(conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM member")).scalar_one())
        _chunks(
            conn,
            Member,
            [
                {
                    "id": first + 1 + m.index,
                    "pseudonym": m.name,
                    "pseudonym_key": m.name,
                    "skeleton": m.name,
                    "password_hash": "x",
                    "recovery_hash": "x",
                    "role": "member",
                    "colour_mode": "auto",
                    "mouse": True,
                    "guidelines_version": 1,
                    "created_at": start,
                    "last_login_at": None,
                }
                for m in community.members
            ],
        )
        member_ids = [first + 1 + m.index for m in community.members]
        _chunks(
            conn,
            Goal,
            [
                {
                    "member_id": member_ids[m.index],
                    "title": title,
                    "category": category,
                    "cadence": "daily",
                    "times_per_week": 1,
                    "measure": "",
                    "target": None,
                    "start_date": date.today(),
                    "visibility": visibility,
                    "archived": False,
                    "created_at": start,
                }
                for m in community.members
                for title, category, visibility in m.goals
            ],
        )
        first_thread = int(
            conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM thread")).scalar_one()
        )
        thread_ids = [first_thread + 1 + i for i in range(len(community.threads))]
        first_post = int(conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM post")).scalar_one())
        seqs = [0] * len(community.threads)
        last = [0] * len(community.threads)
        titles = [""] * len(community.threads)
        rows: list[dict[str, object]] = []
        total = len(community.posts)
        for n, post in enumerate(community.posts):
            seqs[post.thread] += 1
            post_id = first_post + 1 + n
            last[post.thread] = post_id
            if post.title:
                titles[post.thread] = post.title
            # Spread over the last 20 days, oldest first, so "recent" means something.
            rows.append(
                {
                    "id": post_id,
                    "thread_id": thread_ids[post.thread],
                    "seq": seqs[post.thread],
                    "author_id": member_ids[post.author],
                    "body": post.body,
                    "warning": "",
                    "status": "visible",
                    "created_at": start + timedelta(days=20) * (n / max(1, total)),
                    "edited_at": None,
                }
            )
        _chunks(
            conn,
            Thread,
            [
                {
                    "id": thread_ids[i],
                    "board_id": boards[board],
                    "author_id": member_ids[author],
                    "title": titles[i] or "Untitled",
                    "warning": "",
                    "status": "visible",
                    "post_count": seqs[i],
                    "last_post_id": last[i],
                    "last_post_at": now,
                    "created_at": start + timedelta(days=20) * (i / max(1, len(community.threads))),
                }
                for i, (board, _theme, author) in enumerate(community.threads)
            ],
        )
        _chunks(conn, Post, rows)
        if opt_in:
            _chunks(
                conn,
                SuggestionSettings,
                [
                    {
                        "member_id": m,
                        "suggestions": True,
                        "peers": True,
                        "dirty": True,
                        "updated_at": now,
                    }
                    for m in member_ids
                ],
            )
    return Loaded(member_ids, thread_ids, boards)


def thread_themes(community: SyntheticCommunity, loaded: Loaded) -> dict[int, str]:
    """Store id of each thread -> the theme it was written about ("" for chit-chat)."""
    return {loaded.thread_ids[i]: theme for i, (_b, theme, _a) in enumerate(community.threads)}


def board_themes(loaded: Loaded) -> dict[int, str]:
    names = {name: theme for name, _d, theme in BOARDS}
    return {board_id: names.get(name, "") for name, board_id in loaded.board_ids.items()}


def count_posts(database: Database) -> int:
    with database.read() as session:
        return len(session.exec(select(col(Post.id))).all())

"""Full-text search over posts: SQLite FTS5, or PostgreSQL's own full text search."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

from bbs.text_safety import clean_line

SNIPPET_CHARS = 70
RESULTS_MAX = 20
# Search ranks this many of the newest matching posts (all of them, for rarer words).
RECENT_MATCHES = 2000
_WORD = re.compile(r"\w+", re.UNICODE)

# Created by hand in the migration (Alembic autogenerate skips names containing "_fts").
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS post_fts USING fts5("
    "body, tokenize = 'unicode61 remove_diacritics 2')"
)
POSTGRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_post_fts_body ON post USING gin (to_tsvector('simple', body))"
)


@dataclass(frozen=True)
class SearchHit:
    """One result: where it is, a snippet, and the character spans of matching words."""

    post_id: int
    thread_id: int
    seq: int
    thread_title: str
    board_name: str
    author: str
    snippet: str
    spans: tuple[tuple[int, int], ...]
    # The post's content warning, and whether this reader has it folded: a folded post's
    # words stay out of its result (no snippet), as they stay folded on its thread page.
    warning: str = ""
    folded: bool = False


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def index_post(session: Session, post_id: int, body: str) -> None:
    """Make a visible post findable (SQLite; PostgreSQL indexes the column itself)."""
    if _is_sqlite(session):
        session.execute(
            text("INSERT INTO post_fts(rowid, body) VALUES (:id, :body)"),
            {"id": post_id, "body": body},
        )


def unindex_post(session: Session, post_id: int) -> None:
    """Take a post out of search (deleted, held or about to be re-indexed after an edit)."""
    if _is_sqlite(session):
        session.execute(text("DELETE FROM post_fts WHERE rowid = :id"), {"id": post_id})


def query_terms(query: str) -> list[str]:
    """The words of a query, lower-cased; everything else (quotes, operators) is dropped."""
    return [w.casefold() for w in _WORD.findall(clean_line(query))][:8]


def highlight_spans(snippet: str, terms: list[str]) -> tuple[tuple[int, int], ...]:
    """Spans of words in `snippet` that start with a query term (as the index matches)."""
    spans = []
    for match in _WORD.finditer(snippet):
        word = match.group(0).casefold()
        if any(word.startswith(t) for t in terms):
            spans.append((match.start(), match.end()))
    return tuple(spans)


def _snippet(body: str, terms: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    flat = clean_line(body)
    lowered = flat.casefold()
    first = min((i for i in (lowered.find(t) for t in terms) if i >= 0), default=0)
    start = max(0, first - SNIPPET_CHARS // 3)
    piece = flat[start : start + SNIPPET_CHARS]
    if start > 0:
        piece = "…" + piece
    if start + SNIPPET_CHARS < len(flat):
        piece += "…"
    return piece, highlight_spans(piece, terms)


def search_posts(
    session: Session,
    *,
    member_id: int,
    query: str,
    limit: int = RESULTS_MAX,
    folds: Callable[[str], bool] = lambda _warning: False,
) -> list[SearchHit]:
    """Visible posts in open boards matching every word of `query`, best first.

    Words match as prefixes ("sleep" finds "sleeping"). On SQLite the ranking covers the
    newest RECENT_MATCHES matches; PostgreSQL ranks them all with ts_rank. `folds` says
    whether the reader keeps a post with that content warning folded: its result then
    shows no words of it.
    """
    terms = query_terms(query)
    if not terms:
        return []
    params: dict[str, object] = {"member": member_id, "limit": limit}
    visible = (
        "p.status = 'visible' AND t.status = 'visible' AND b.archived = false "
        "AND (p.author_id IS NULL OR p.author_id NOT IN "
        "(SELECT other_id FROM memberblock WHERE member_id = :member AND kind = 'block'))"
    )
    if _is_sqlite(session):
        # Each word quoted and prefix-matched: user input never becomes FTS5 syntax.
        params["match"] = " ".join('"' + t.replace('"', "") + '"*' for t in terms)
        # bm25 over every match of a common word costs ~50 ms at 100,000 posts: rank the
        # RECENT_MATCHES newest matches instead (FTS5 stops walking there), ~5 ms.
        params["recent"] = RECENT_MATCHES
        sql = (
            "SELECT p.id, p.thread_id, p.seq, t.title, b.name, m.pseudonym, p.body, p.warning "
            "FROM (SELECT rowid AS id, bm25(post_fts) AS score FROM post_fts "
            "WHERE post_fts MATCH :match ORDER BY rowid DESC LIMIT :recent) hit "
            "JOIN post p ON p.id = hit.id "
            "JOIN thread t ON t.id = p.thread_id JOIN board b ON b.id = t.board_id "
            "LEFT JOIN member m ON m.id = p.author_id "
            f"WHERE {visible} "
            "ORDER BY hit.score LIMIT :limit"
        )
    else:
        params["q"] = " ".join(terms)
        sql = (
            "SELECT p.id, p.thread_id, p.seq, t.title, b.name, m.pseudonym, p.body, p.warning "
            "FROM post p JOIN thread t ON t.id = p.thread_id JOIN board b ON b.id = t.board_id "
            "LEFT JOIN member m ON m.id = p.author_id "
            "WHERE to_tsvector('simple', p.body) @@ plainto_tsquery('simple', :q) "
            f"AND {visible} "
            "ORDER BY ts_rank(to_tsvector('simple', p.body), "
            "plainto_tsquery('simple', :q)) DESC, p.id DESC LIMIT :limit"
        )
    hits = []
    rows = session.execute(text(sql), params).all()
    for pid, tid, seq, title, board, author, body, warning in rows:
        folded = bool(warning) and folds(warning)
        snippet, spans = ("", ()) if folded else _snippet(body, terms)
        hits.append(
            SearchHit(
                int(pid),
                int(tid),
                int(seq),
                title,
                board,
                author or "a former member",
                snippet,
                spans,
                warning or "",
                folded,
            )
        )
    return hits

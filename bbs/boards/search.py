"""Full-text search over posts: SQLite FTS5, or PostgreSQL's own full text search.

Both stores search alike: every word of a query must match, each as a prefix ("sleep"
finds "sleeping"), accents are ignored ("cafe" finds "café"), and a thread's title is
searched with its opening post. SQLite's FTS5 table (tokenizer `unicode61
remove_diacritics 2`) and PostgreSQL's post_fts table of tsvectors (normalised by
bbs_search_document, see migration 0012) are both written here, by index_post.
"""

from __future__ import annotations

import re
import unicodedata
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
    """Make a visible post findable; an opening post's `body` starts with its title."""
    if _is_sqlite(session):
        session.execute(
            text("INSERT INTO post_fts(rowid, body) VALUES (:id, :body)"),
            {"id": post_id, "body": body},
        )
    else:
        session.execute(
            text(
                "INSERT INTO post_fts (post_id, document) VALUES (:id, bbs_search_document(:body)) "
                "ON CONFLICT (post_id) DO UPDATE SET document = excluded.document"
            ),
            {"id": post_id, "body": body},
        )


def unindex_post(session: Session, post_id: int) -> None:
    """Take a post out of search (deleted, held or about to be re-indexed after an edit)."""
    if _is_sqlite(session):
        session.execute(text("DELETE FROM post_fts WHERE rowid = :id"), {"id": post_id})
    else:
        session.execute(text("DELETE FROM post_fts WHERE post_id = :id"), {"id": post_id})


def rebuild_index(session: Session) -> int:
    """Index every visible post afresh (after a bulk copy); returns how many are indexed."""
    document = "CASE WHEN p.seq = 1 THEN t.title || :newline || p.body ELSE p.body END"
    source = "FROM post p JOIN thread t ON t.id = p.thread_id WHERE p.status = 'visible'"
    session.execute(text("DELETE FROM post_fts"))
    if _is_sqlite(session):
        insert = f"INSERT INTO post_fts (rowid, body) SELECT p.id, {document} {source}"
    else:
        insert = (
            f"INSERT INTO post_fts (post_id, document) "
            f"SELECT p.id, bbs_search_document({document}) {source}"
        )
    return int(session.connection().execute(text(insert), {"newline": "\n"}).rowcount)


def query_terms(query: str) -> list[str]:
    """The words of a query, lower-cased; everything else (quotes, operators) is dropped.

    A "word" of underscores alone is dropped too: neither store indexes one.
    """
    words = (w.casefold() for w in _WORD.findall(clean_line(query)))
    return [w for w in words if w.strip("_")][:8]


def prefix_tsquery(terms: list[str]) -> str:
    """PostgreSQL tsquery text requiring every term as a prefix: 'sleep':* & 'tips':*.

    Each term is a quoted lexeme (quotes and backslashes escaped as tsquery requires), so
    a member's words never become operators; the text is still passed as a bound value.
    """
    quoted = ("'" + t.replace("\\", "\\\\").replace("'", "''") + "':*" for t in terms)
    return " & ".join(quoted)


def fold(value: str) -> str:
    """Lower-case without accents, one character for each character of `value`.

    So that positions found in the folded text are positions in the original (snippets
    and highlights), a character whose folding would change the length is only lowered.
    """
    out = []
    for char in value:
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        ).casefold()
        if len(base) != 1:
            base = char.lower() if len(char.lower()) == 1 else char
        out.append(base)
    return "".join(out)


def highlight_spans(snippet: str, terms: list[str]) -> tuple[tuple[int, int], ...]:
    """Spans of words in `snippet` that start with a query term (as the index matches)."""
    folded_terms = [fold(t) for t in terms]
    spans = []
    for match in _WORD.finditer(snippet):
        word = fold(match.group(0))
        if any(word.startswith(t) for t in folded_terms):
            spans.append((match.start(), match.end()))
    return tuple(spans)


def _snippet(body: str, terms: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    flat = clean_line(body)
    lowered = fold(flat)
    terms = [fold(t) for t in terms]
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

    Words match as prefixes ("sleep" finds "sleeping"), accents aside ("cafe" finds
    "café"), in the body or, for an opening post, its thread's title. Both stores rank the
    newest RECENT_MATCHES matches (bm25 on SQLite, ts_rank on PostgreSQL). `folds` says
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
        params["q"] = prefix_tsquery(terms)
        params["recent"] = RECENT_MATCHES
        # As on SQLite: the RECENT_MATCHES newest matches, ranked (stored tsvectors).
        sql = (
            "SELECT p.id, p.thread_id, p.seq, t.title, b.name, m.pseudonym, p.body, p.warning "
            "FROM (SELECT f.post_id AS id, ts_rank(f.document, q.query) AS score "
            "FROM post_fts f, (SELECT bbs_search_query(:q) AS query) q "
            "WHERE f.document @@ q.query ORDER BY f.post_id DESC LIMIT :recent) hit "
            "JOIN post p ON p.id = hit.id "
            "JOIN thread t ON t.id = p.thread_id JOIN board b ON b.id = t.board_id "
            "LEFT JOIN member m ON m.id = p.author_id "
            f"WHERE {visible} "
            "ORDER BY hit.score DESC, p.id DESC LIMIT :limit"
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

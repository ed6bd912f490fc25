"""Personal suggestions and peer matching: tables and plain functions taking a session.

Off until a member says yes. What is learned (a theme profile, dismissals) belongs to the
member and is deleted when they turn suggestions off. Themes come from an injected
`ThemeEngine` (suggest/, outside the core); this module only counts, ranks and explains.

Privacy rules, kept here in one place:
- a member's own suggestions may use all their own writing: posts (also held ones), goals
  and check-in notes; they are shown to that member only;
- what others see of a member (peer matching) comes from their public profile only:
  visible posts and goals they made visible to the community, never check-in notes,
  private goals or private messages; and only when they opted in to peer matching.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Index, and_, func, or_
from sqlmodel import Field, Session, SQLModel, col, delete, select

from bbs.accounts.blocks import BlockKind, MemberBlock
from bbs.boards.records import Board, Post, PostStatus, Thread
from bbs.goals.records import CheckIn, Goal, Visibility
from bbs.i18n import N_, said
from bbs.models import Member, Stamped, UTCDateTime, row_or_raise, utcnow
from bbs.resources import records as resources

# Most recent texts read per member: thousands of posts from one member cost no more.
MAX_POSTS = 200
MAX_CHECK_INS = 100
# Recent threads considered on the request path.
RECENT_THREADS = 300
# New threads whose themes are worked out per refresh pass.
THREAD_BATCH = 500
# A text counts towards a theme from this similarity on (the engine's cosine, 0 to 1).
MIN_TEXT_SCORE = 0.05
# A theme is part of a profile from this share of the member's strongest theme.
MIN_PROFILE_WEIGHT = 0.15
# Themes shared with a peer: both sides at least this strong.
MIN_SHARED_WEIGHT = 0.2
# Each dismissal of an item suggested for a theme multiplies that theme's weight by this.
DISMISS_FACTOR = 0.6
SOURCE_WEIGHTS = {"post": 1.0, "goal": 2.0, "checkin": 0.5}
PER_KIND = {"board": 3, "thread": 4, "resource": 3}
SHOWN = 10
PEERS_SHOWN = 5
KINDS = ("board", "thread", "resource", "peer")

OPT_IN_TEXT = N_(
    "Suggestions for you\n"
    "\n"
    "If you say yes, this server reads your own posts, your goals and your check-in notes "
    "to find the themes you are working on (for example sleep, anxiety or recovery), and "
    "suggests boards, recent threads and resources that fit. Each suggestion says why.\n"
    "\n"
    "Everything is worked out here, on this server. Nothing leaves it, and no one else "
    "sees your suggestions or your themes.\n"
    "\n"
    "Peer matching is a separate yes. If you turn it on, other members who also turned it "
    "on may see your pseudonym and the themes you share, worked out only from what you "
    "already made visible: your posts on the boards and goals you share with the "
    "community. Never your check-in notes, private goals or private messages.\n"
    "\n"
    "Turning suggestions off deletes everything they learned about you."
)

NOTHING_YET = N_(
    "Nothing yet. Once you write a post, set a goal or add a note to a check-in, "
    "suggestions will appear here."
)
NO_THEMES = N_(
    "We could not find themes in what you wrote yet (perhaps it is in a language we do "
    "not read yet), so here is what is popular."
)


class ThemeEngine(Protocol):
    """Finds themes in texts; the server injects the scikit-learn one (suggest/)."""

    themes: tuple[str, ...]

    def score_texts(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        """For each text, a similarity to each theme (in `themes` order), 0 to 1."""
        ...

    def goal_theme(self, category: str) -> str | None:
        """The theme a goal category names outright, if any."""
        ...

    def peer_index(self, vectors: Sequence[Sequence[float]]) -> PeerIndex:
        """An index of public theme vectors for nearest-neighbour queries."""
        ...


class PeerIndex(Protocol):
    size: int

    def nearest(self, query: Sequence[float], k: int) -> list[tuple[int, float]]:
        """(position, similarity) of the k vectors most like `query`."""
        ...


class SuggestionError(ValueError):
    """Something asked of suggestions that cannot be done; the message is kind."""


# -- tables ---------------------------------------------------------------------------
class SuggestionSettings(SQLModel, table=True):
    """A member's yes or no to suggestions and to peer matching (both no by default)."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    suggestions: bool = Field(default=False)
    peers: bool = Field(default=False)
    # Something new was written since the profile was worked out.
    dirty: bool = Field(default=False, index=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SuggestionProfile(SQLModel, table=True):
    """What was learned about one opted-in member: theme weights and where they came from."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    # JSON {theme: weight 0..1} from all the member's own writing (shown to them only).
    themes: str = Field(default="{}", max_length=4000)
    # JSON {theme: weight} from what the member made visible (what peers may see).
    public_themes: str = Field(default="{}", max_length=4000)
    # JSON {theme: why}: the plain reason shown with a suggestion for that theme.
    evidence: str = Field(default="{}", max_length=8000)
    texts_read: int = Field(default=0)
    # What the member had written when this was worked out; a change means stale.
    signature: str = Field(default="", max_length=80)
    refreshed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SuggestionDismissal(Stamped, table=True):
    """An item a member dismissed: it never comes back, and its theme weighs less."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(primary_key=True, max_length=16)
    item_id: int = Field(primary_key=True)
    theme: str = Field(default="", max_length=40)


class SuggestionItem(SQLModel, table=True):
    """The themes of a public item (board, thread, resource): a cache, not about members."""

    __table_args__ = (Index("ix_suggestionitem_kind_created", "kind", "created_at"),)

    kind: str = Field(primary_key=True, max_length=16)
    item_id: int = Field(primary_key=True)
    # JSON {theme: weight 0..1}, the item's strongest theme at 1.
    themes: str = Field(default="{}", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SuggestionCursor(SQLModel, table=True):
    """How far the refresher has read a table (posts, goals, check-ins, threads)."""

    name: str = Field(primary_key=True, max_length=32)
    value: int = Field(default=0)


# -- views ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SuggestionSettingsView:
    suggestions: bool = False
    peers: bool = False


@dataclass(frozen=True)
class Suggestion:
    kind: str
    item_id: int
    title: str
    why: str
    theme: str
    score: float
    # For threads: the board it is on.
    where: str = ""


@dataclass(frozen=True)
class PeerMatch:
    member_id: int
    pseudonym: str
    shared: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class ForYou:
    """What the For you screen shows: the state, a plain message, suggestions, peers."""

    enabled: bool
    peers_enabled: bool
    message: str = ""
    suggestions: tuple[Suggestion, ...] = ()
    peers: tuple[PeerMatch, ...] = ()
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceText:
    """One piece of a member's own writing, and whether others may see it."""

    source: str  # "post", "goal" or "checkin"
    text: str
    public: bool
    goal_category: str = ""


@dataclass(frozen=True)
class LearnedProfile:
    themes: dict[str, float]
    public_themes: dict[str, float]
    evidence: dict[str, str]
    texts_read: int


@dataclass
class MemberTexts:
    member_id: int
    texts: list[SourceText] = field(default_factory=list)
    signature: str = ""


# -- settings -------------------------------------------------------------------------
def get_settings(session: Session, member_id: int) -> SuggestionSettingsView:
    row = session.get(SuggestionSettings, member_id)
    if row is None:
        return SuggestionSettingsView()
    return SuggestionSettingsView(row.suggestions, row.suggestions and row.peers)


def forget(session: Session, member_id: int) -> None:
    """Delete everything suggestions learned about a member (profile and dismissals)."""
    session.exec(delete(SuggestionProfile).where(col(SuggestionProfile.member_id) == member_id))
    session.exec(delete(SuggestionDismissal).where(col(SuggestionDismissal.member_id) == member_id))


def set_settings(
    session: Session, member_id: int, *, suggestions: bool, peers: bool
) -> SuggestionSettingsView:
    """Say yes or no. Peer matching needs suggestions on; off deletes what was learned."""
    if session.get(Member, member_id) is None:
        raise SuggestionError(said("That member is no longer here."))
    row = session.get(SuggestionSettings, member_id) or SuggestionSettings(member_id=member_id)
    turned_on = suggestions and not row.suggestions
    row.suggestions = suggestions
    row.peers = suggestions and peers
    row.dirty = suggestions and (turned_on or row.dirty)
    if suggestions:
        _start_cursors(session)
    row.updated_at = utcnow()
    session.add(row)
    if not suggestions:
        forget(session, member_id)
    session.flush()
    return get_settings(session, member_id)


# -- what a member wrote --------------------------------------------------------------
def _signature(session: Session, member_id: int) -> str:
    """A short digest of what the member has written; it changes when anything does."""
    posts = session.exec(
        select(func.max(Post.id), func.count()).where(
            Post.author_id == member_id, col(Post.status) != PostStatus.DELETED.value
        )
    ).one()
    goals = [
        (g.id, g.visibility, g.archived, g.category, g.title)
        for g in session.exec(
            select(Goal).where(Goal.member_id == member_id).order_by(col(Goal.id))
        ).all()
    ]
    check_in = session.exec(
        select(func.max(CheckIn.id), func.count()).where(CheckIn.member_id == member_id)
    ).one()
    raw = json.dumps([list(posts), [list(g) for g in goals], list(check_in)], default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def member_texts(session: Session, member_id: int) -> MemberTexts:
    """The member's own recent writing (bounded), each piece marked public or not."""
    found = MemberTexts(member_id, signature=_signature(session, member_id))
    rows = session.exec(
        select(Post, Thread.title, Thread.status)
        .join(Thread, col(Thread.id) == Post.thread_id)
        .where(Post.author_id == member_id, col(Post.status) != PostStatus.DELETED.value)
        .order_by(col(Post.id).desc())
        .limit(MAX_POSTS)
    ).all()
    for post, title, thread_status in rows:
        text = f"{title}\n{post.body}" if post.seq == 1 else post.body
        public = (
            post.status == PostStatus.VISIBLE.value and thread_status == PostStatus.VISIBLE.value
        )
        found.texts.append(SourceText("post", text, public))
    goals = session.exec(
        select(Goal).where(Goal.member_id == member_id, col(Goal.archived).is_(False))
    ).all()
    for goal in goals:
        found.texts.append(
            SourceText(
                "goal", goal.title, goal.visibility == Visibility.COMMUNITY.value, goal.category
            )
        )
    notes = session.exec(
        select(CheckIn.note)
        .where(CheckIn.member_id == member_id, CheckIn.note != "")
        .order_by(col(CheckIn.id).desc())
        .limit(MAX_CHECK_INS)
    ).all()
    # Check-in notes are never public, even when partners may read them.
    found.texts.extend(SourceText("checkin", note, False) for note in notes)
    return found


WHY_SOBRIETY = N_("because your goal is sobriety")
WHY_GOAL = N_("because your goal is about {theme}")
WHY_CHECK_IN = N_("because your check-in notes mention {theme}")
WHY_WROTE = N_("because you wrote about {theme}")


def _why(source: str, theme: str, category: str = "") -> str:
    if source == "goal":
        if category == "sobriety":
            return said(WHY_SOBRIETY)
        return said(WHY_GOAL, theme=theme)
    if source == "checkin":
        return said(WHY_CHECK_IN, theme=theme)
    return said(WHY_WROTE, theme=theme)


def _why_again(stored: str) -> str:
    """A reason stored in English (the profile's evidence), said again in any language."""
    if stored == WHY_SOBRIETY:
        return said(WHY_SOBRIETY)
    for template in (WHY_GOAL, WHY_CHECK_IN, WHY_WROTE):
        prefix = template.removesuffix("{theme}")
        if stored.startswith(prefix) and len(stored) > len(prefix):
            return said(template, theme=stored.removeprefix(prefix))
    return stored


def _normalised(totals: dict[str, float]) -> dict[str, float]:
    top = max(totals.values(), default=0.0)
    if top <= 0:
        return {}
    return {
        t: round(v / top, 3)
        for t, v in sorted(totals.items(), key=lambda x: -x[1])
        if v / top >= MIN_PROFILE_WEIGHT
    }


def learn_profile(
    texts: Sequence[SourceText], scores: Sequence[Sequence[float]], engine: ThemeEngine
) -> LearnedProfile:
    """Weigh each text's themes by where it came from; keep why each theme is there."""
    totals: dict[str, float] = {}
    public: dict[str, float] = {}
    best: dict[str, tuple[float, str]] = {}
    for piece, row in zip(texts, scores, strict=True):
        weight = SOURCE_WEIGHTS[piece.source]
        contributions = {
            t: s * weight for t, s in zip(engine.themes, row, strict=True) if s >= MIN_TEXT_SCORE
        }
        if piece.source == "goal":
            named = engine.goal_theme(piece.goal_category)
            if named is not None:
                contributions[named] = max(contributions.get(named, 0.0), 0.5 * weight)
        for theme, value in contributions.items():
            totals[theme] = totals.get(theme, 0.0) + value
            if piece.public:
                public[theme] = public.get(theme, 0.0) + value
            if value > best.get(theme, (0.0, ""))[0]:
                best[theme] = (value, _why(piece.source, theme, piece.goal_category))
    themes = _normalised(totals)
    return LearnedProfile(themes, _normalised(public), {t: best[t][1] for t in themes}, len(texts))


def store_profile(
    session: Session, member_id: int, learned: LearnedProfile, signature: str
) -> bool:
    """Keep a freshly learned profile, unless the member turned suggestions off meanwhile."""
    settings = session.get(SuggestionSettings, member_id)
    if settings is None or not settings.suggestions:
        return False
    row = session.get(SuggestionProfile, member_id) or SuggestionProfile(member_id=member_id)
    row.themes = json.dumps(learned.themes)
    row.public_themes = json.dumps(learned.public_themes)
    row.evidence = json.dumps(learned.evidence)
    row.texts_read = learned.texts_read
    row.signature = signature
    row.refreshed_at = utcnow()
    settings.dirty = False
    session.add(row)
    session.add(settings)
    session.flush()
    return True


def needs_refresh(session: Session, member_id: int) -> bool:
    """True when an opted-in member's profile is missing, marked dirty or out of date."""
    settings = session.get(SuggestionSettings, member_id)
    if settings is None or not settings.suggestions:
        return False
    profile = session.get(SuggestionProfile, member_id)
    return settings.dirty or profile is None or profile.signature != _signature(session, member_id)


# -- incremental refresh --------------------------------------------------------------
def _cursor(session: Session, name: str) -> SuggestionCursor:
    row = session.get(SuggestionCursor, name)
    if row is None:
        row = SuggestionCursor(name=name, value=0)
        session.add(row)
    return row


# The writing a refresh reads: each kind's cursor name, its id column and its writer.
_WRITING: dict[str, tuple[Any, Any]] = {
    "post": (Post.id, Post.author_id),
    "goal": (Goal.id, Goal.member_id),
    "checkin": (CheckIn.id, CheckIn.member_id),
}


def _start_cursors(session: Session) -> bool:
    """Start reading new writing from now, the first time; True if this was the first time.

    History needs no scan: saying yes marks a member dirty, and their refresh reads
    everything they wrote.
    """
    if session.get(SuggestionCursor, "post") is not None:
        return False
    for name, (id_column, _writer) in _WRITING.items():
        value = session.exec(select(func.max(id_column))).one()
        session.add(SuggestionCursor(name=name, value=int(value or 0)))
    session.flush()
    return True


def _written_after(
    session: Session, name: str, after: int, limit: int
) -> Sequence[tuple[int | None, int | None]]:
    id_column, writer = _WRITING[name]
    return session.exec(
        select(id_column, writer)
        .where(col(id_column) > after)
        .order_by(col(id_column))
        .limit(limit)
    ).all()


def mark_new_activity(session: Session, *, limit: int = 20_000) -> int:
    """Mark opted-in members dirty who wrote posts, goals or check-ins since the last pass."""
    authors: set[int] = set()
    if _start_cursors(session):
        return 0
    for name in _WRITING:
        cursor = _cursor(session, name)
        rows = _written_after(session, name, cursor.value, limit)
        if rows:
            cursor.value = max(int(i or 0) for i, _a in rows)
            session.add(cursor)
            authors.update(int(a) for _i, a in rows if a is not None)
    marked = 0
    ids = sorted(authors)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        settings = session.exec(
            select(SuggestionSettings).where(
                col(SuggestionSettings.member_id).in_(chunk),
                col(SuggestionSettings.suggestions).is_(True),
                col(SuggestionSettings.dirty).is_(False),
            )
        ).all()
        for row in settings:
            row.dirty = True
            session.add(row)
            marked += 1
    session.flush()
    return marked


def dirty_members(session: Session, limit: int) -> list[int]:
    return [
        int(m)
        for m in session.exec(
            select(SuggestionSettings.member_id)
            .where(
                col(SuggestionSettings.dirty).is_(True),
                col(SuggestionSettings.suggestions).is_(True),
            )
            .order_by(col(SuggestionSettings.member_id))
            .limit(limit)
        ).all()
    ]


@dataclass(frozen=True)
class CatalogText:
    kind: str
    item_id: int
    text: str
    created_at: datetime


def _resources(session: Session) -> list[tuple[int, str, str, tuple[str, ...]]]:
    """(id, title, body, tags) of the resource library's active entries."""
    return [(r.id, r.title, r.body, tuple(r.tags)) for r in resources.active_resources(session)]


def catalog_texts(session: Session, *, batch: int = THREAD_BATCH) -> tuple[list[CatalogText], int]:
    """Boards and resources (always: they are few) and threads new since the last pass.

    Returns the texts and the thread cursor to store once their themes are kept.
    """
    now = utcnow()
    texts = [
        CatalogText("board", b.id or 0, f"{b.name}\n{b.name}\n{b.description}", b.created_at)
        for b in session.exec(select(Board).where(col(Board.archived).is_(False))).all()
    ]
    texts += [
        CatalogText("resource", rid, f"{title}\n{' '.join(tags)}\n{' '.join(tags)}\n{body}", now)
        for rid, title, body, tags in _resources(session)
    ]
    cursor = _cursor(session, "thread").value
    rows = session.exec(
        select(Thread.id, Thread.title, Thread.created_at, Post.body)
        .join(Post, and_(col(Post.thread_id) == Thread.id, col(Post.seq) == 1))
        .where(col(Thread.id) > cursor)
        .order_by(col(Thread.id))
        .limit(batch)
    ).all()
    texts += [
        CatalogText("thread", tid or 0, f"{title}\n{body}", created)
        for tid, title, created, body in rows
    ]
    last = (rows[-1][0] or 0) if rows else cursor
    return texts, last


def item_themes(scores: Sequence[float], themes: Sequence[str]) -> dict[str, float]:
    """An item's themes: its strongest at 1, others relative to it, weak ones dropped."""
    top = max(scores, default=0.0)
    if top < MIN_TEXT_SCORE:
        return {}
    return {
        t: round(s / top, 3)
        for t, s in zip(themes, scores, strict=True)
        if s >= MIN_TEXT_SCORE and s / top >= 0.3
    }


def store_catalog(
    session: Session, items: Sequence[tuple[CatalogText, dict[str, float]]], thread_cursor: int
) -> None:
    now = utcnow()
    for text, themes in items:
        row = session.get(SuggestionItem, (text.kind, text.item_id))
        if row is None:
            row = SuggestionItem(kind=text.kind, item_id=text.item_id, created_at=text.created_at)
        row.themes = json.dumps(themes)
        row.updated_at = now
        session.add(row)
    cursor = _cursor(session, "thread")
    cursor.value = max(cursor.value, thread_cursor)
    session.add(cursor)
    session.flush()


# -- showing suggestions --------------------------------------------------------------
def _loads(text: str) -> dict[str, float]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return {str(k): float(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _blocked_either_way(session: Session, member_id: int) -> set[int]:
    rows = session.exec(
        select(MemberBlock.member_id, MemberBlock.other_id).where(
            MemberBlock.kind == BlockKind.BLOCK.value,
            or_(col(MemberBlock.member_id) == member_id, col(MemberBlock.other_id) == member_id),
        )
    ).all()
    return {int(o) if int(m) == member_id else int(m) for m, o in rows}


def _penalties(dismissed: Sequence[SuggestionDismissal]) -> dict[str, float]:
    counts = Counter(d.theme for d in dismissed if d.theme)
    return {t: DISMISS_FACTOR**n for t, n in counts.items()}


def _rank(
    profile: dict[str, float], penalties: dict[str, float], themes: dict[str, float]
) -> tuple[float, str]:
    best, theme, total = 0.0, "", 0.0
    for t, w in themes.items():
        value = profile.get(t, 0.0) * penalties.get(t, 1.0) * w
        total += value
        if value > best:
            best, theme = value, t
    return total, theme


# Thread id -> its themes. A thread's themes are worked out once and never change, so a
# process keeps those it has read (bounded); boards and resources are read each time.
ThreadThemes = dict[int, dict[str, float]]
THREAD_CACHE_MAX = 50_000


def _catalog(
    session: Session, kind: str, ids: Sequence[int], cache: ThreadThemes | None = None
) -> dict[int, dict[str, float]]:
    found: dict[int, dict[str, float]] = {}
    wanted = list(ids)
    if cache is not None:
        found = {i: cache[i] for i in wanted if i in cache}
        wanted = [i for i in wanted if i not in found]
    if wanted:
        rows = session.exec(
            select(SuggestionItem.item_id, SuggestionItem.themes).where(
                SuggestionItem.kind == kind, col(SuggestionItem.item_id).in_(wanted)
            )
        ).all()
        for item_id, themes in rows:
            found[int(item_id)] = _loads(themes)
        if cache is not None:
            if len(cache) > THREAD_CACHE_MAX:
                cache.clear()
            cache.update((int(i), found[int(i)]) for i, _t in rows)
    return found


def _candidates(session: Session, member_id: int) -> list[tuple[str, int, str, str]]:
    """(kind, id, title, where) of everything the member could be offered right now."""
    found: list[tuple[str, int, str, str]] = [
        ("board", b.id or 0, b.name, "")
        for b in session.exec(
            select(Board).where(col(Board.archived).is_(False)).order_by(col(Board.position))
        ).all()
    ]
    found += [("resource", rid, title, "") for rid, title, _b, _t in _resources(session)]
    blocked = _blocked_either_way(session, member_id)
    rows = session.exec(
        select(Thread.id, Thread.title, Thread.author_id, Board.name)
        .join(Board, col(Board.id) == Thread.board_id)
        .where(
            col(Thread.status) == PostStatus.VISIBLE.value,
            col(Board.archived).is_(False),
            # A thread behind a content warning is opened by choice, never suggested.
            col(Thread.warning) == "",
            or_(col(Thread.author_id).is_(None), col(Thread.author_id) != member_id),
        )
        .order_by(col(Thread.id).desc())
        .limit(RECENT_THREADS)
    ).all()
    found += [
        ("thread", tid or 0, title, board)
        for tid, title, author, board in rows
        if author not in blocked
    ]
    return found


def _popular(session: Session, candidates: Sequence[tuple[str, int, str, str]]) -> list[Suggestion]:
    """Busy boards this month and the first resources: an honest fallback."""
    since = utcnow() - timedelta(days=30)
    busy = dict(
        session.exec(
            select(Thread.board_id, func.count())
            .where(col(Thread.created_at) >= since, col(Thread.status) == PostStatus.VISIBLE.value)
            .group_by(col(Thread.board_id))
        ).all()
    )
    boards = sorted(
        (c for c in candidates if c[0] == "board"), key=lambda c: -int(busy.get(c[1], 0))
    )[:3]
    found = [
        Suggestion("board", i, title, "popular here this month", "", 0.0)
        for _k, i, title, _w in boards
    ]
    found += [
        Suggestion("resource", i, title, "a good place to start", "", 0.0)
        for _k, i, title, _w in [c for c in candidates if c[0] == "resource"][:2]
    ]
    return found


def for_you(session: Session, member_id: int, thread_cache: ThreadThemes | None = None) -> ForYou:
    """The member's suggestions from what is stored: no engine, no heavy work.

    `thread_cache` (a process's thread themes read so far) spares reading them again.
    """
    settings = get_settings(session, member_id)
    if not settings.suggestions:
        return ForYou(False, False)
    profile = session.get(SuggestionProfile, member_id)
    if profile is None:
        return ForYou(
            True, settings.peers, said("Working out your suggestions; look again in a moment.")
        )
    themes = _loads(profile.themes)
    evidence = {k: _why_again(str(v)) for k, v in json.loads(profile.evidence or "{}").items()}
    dismissed = list(
        session.exec(
            select(SuggestionDismissal).where(SuggestionDismissal.member_id == member_id)
        ).all()
    )
    gone = {(d.kind, d.item_id) for d in dismissed}
    penalties = _penalties(dismissed)
    candidates = [c for c in _candidates(session, member_id) if (c[0], c[1]) not in gone]
    if profile.texts_read == 0:
        return ForYou(True, settings.peers, NOTHING_YET)
    if not themes:
        return ForYou(
            True, settings.peers, NO_THEMES, tuple(s for s in _popular(session, candidates))
        )
    by_kind: dict[str, list[Suggestion]] = {}
    item_cache = {
        kind: _catalog(
            session,
            kind,
            [c[1] for c in candidates if c[0] == kind],
            thread_cache if kind == "thread" else None,
        )
        for kind in ("board", "thread", "resource")
    }
    for kind, item_id, title, where in candidates:
        score, theme = _rank(themes, penalties, item_cache[kind].get(item_id, {}))
        if score <= 0 or not theme:
            continue
        why = evidence.get(theme) or said(WHY_WROTE, theme=theme)
        by_kind.setdefault(kind, []).append(
            Suggestion(kind, item_id, title, why, theme, round(score, 4), where)
        )
    chosen: list[Suggestion] = []
    for kind, items in by_kind.items():
        items.sort(key=lambda s: (-s.score, s.item_id if kind != "thread" else -s.item_id))
        chosen += items[: PER_KIND[kind]]
    chosen.sort(key=lambda s: -s.score)
    ordered = tuple(sorted(themes, key=lambda t: -themes[t] * penalties.get(t, 1.0)))
    message = (
        ""
        if chosen
        else ("Nothing fits yet: the boards and threads here do not match your themes so far.")
    )
    return ForYou(True, settings.peers, message, tuple(chosen[:SHOWN]), (), ordered)


def dismiss(session: Session, *, member_id: int, kind: str, item_id: int, theme: str) -> None:
    """Never offer this item again, and weigh its theme less from now on."""
    if kind not in KINDS:
        raise SuggestionError(said("That cannot be dismissed."))
    if not get_settings(session, member_id).suggestions:
        raise SuggestionError(said("Suggestions are off, so there is nothing to dismiss."))
    if session.get(SuggestionDismissal, (member_id, kind, item_id)) is None:
        session.add(
            SuggestionDismissal(member_id=member_id, kind=kind, item_id=item_id, theme=theme[:40])
        )
        session.flush()


# -- peers ----------------------------------------------------------------------------
def peer_vectors(session: Session, themes: Sequence[str]) -> tuple[list[int], list[list[float]]]:
    """Public theme vectors of every member who opted in to peer matching."""
    rows = session.exec(
        select(SuggestionProfile.member_id, SuggestionProfile.public_themes)
        .join(SuggestionSettings, col(SuggestionSettings.member_id) == SuggestionProfile.member_id)
        .where(
            col(SuggestionSettings.suggestions).is_(True), col(SuggestionSettings.peers).is_(True)
        )
        .order_by(col(SuggestionProfile.member_id))
    ).all()
    ids: list[int] = []
    vectors: list[list[float]] = []
    for member_id, public in rows:
        weights = _loads(public)
        if weights:
            ids.append(int(member_id))
            vectors.append([weights.get(t, 0.0) for t in themes])
    return ids, vectors


def own_vector(session: Session, member_id: int, themes: Sequence[str]) -> list[float]:
    profile = session.get(SuggestionProfile, member_id)
    weights = _loads(profile.themes) if profile else {}
    return [weights.get(t, 0.0) for t in themes]


def peer_matches(
    session: Session,
    member_id: int,
    candidates: Sequence[tuple[int, float]],
    *,
    limit: int = PEERS_SHOWN,
) -> tuple[PeerMatch, ...]:
    """Check nearest-neighbour candidates against what is true now, and name shared themes.

    Only members who opted in to peer matching, seen by a member who opted in too; never
    someone either of them blocked; shared themes from the other's public profile only.
    """
    mine = get_settings(session, member_id)
    if not mine.peers or not candidates:
        return ()
    own = session.get(SuggestionProfile, member_id)
    own_themes = _loads(own.themes) if own else {}
    blocked = _blocked_either_way(session, member_id)
    dismissed = set(
        session.exec(
            select(SuggestionDismissal.item_id).where(
                SuggestionDismissal.member_id == member_id, SuggestionDismissal.kind == "peer"
            )
        ).all()
    )
    ids = [i for i, _s in candidates if i != member_id and i not in blocked and i not in dismissed]
    if not ids:
        return ()
    rows = session.exec(
        select(SuggestionProfile.member_id, SuggestionProfile.public_themes, Member.pseudonym)
        .join(SuggestionSettings, col(SuggestionSettings.member_id) == SuggestionProfile.member_id)
        .join(Member, col(Member.id) == SuggestionProfile.member_id)
        .where(
            col(SuggestionProfile.member_id).in_(ids),
            col(SuggestionSettings.suggestions).is_(True),
            col(SuggestionSettings.peers).is_(True),
        )
    ).all()
    found = {int(m): (_loads(p), name) for m, p, name in rows}
    matches: list[PeerMatch] = []
    for other_id, similarity in candidates:
        if other_id not in found or other_id not in ids:
            continue
        public, name = found[other_id]
        shared = sorted(
            (
                t
                for t in public
                if public[t] >= MIN_SHARED_WEIGHT and own_themes.get(t, 0.0) >= MIN_SHARED_WEIGHT
            ),
            key=lambda t: -min(public[t], own_themes[t]),
        )
        if shared:
            matches.append(PeerMatch(other_id, name, tuple(shared[:3]), round(similarity, 3)))
        if len(matches) >= limit:
            break
    return tuple(matches)


def may_contact(session: Session, member_id: int, other_id: int) -> str:
    """The other's pseudonym when they are a peer match the member may act on; else raise."""
    if not get_settings(session, member_id).peers:
        raise SuggestionError(said("Turn on peer matching first."))
    if not get_settings(session, other_id).peers or other_id in _blocked_either_way(
        session, member_id
    ):
        raise SuggestionError(said("That member is no longer in peer matching."))
    other = row_or_raise(
        session, Member, other_id, SuggestionError(said("That member is no longer here."))
    )
    return other.pseudonym


# -- trending themes (sysop dashboard) ------------------------------------------------
def trending_themes(
    session: Session, *, now: datetime, top: int = 6
) -> tuple[tuple[str, int], ...]:
    """Themes of this week's threads, by how many threads, lifted over the weeks before."""
    week = now - timedelta(days=7)
    rows = session.exec(
        select(SuggestionItem.themes, SuggestionItem.created_at)
        .join(Thread, col(Thread.id) == SuggestionItem.item_id)
        .where(
            SuggestionItem.kind == "thread",
            col(SuggestionItem.created_at) >= now - timedelta(days=35),
            col(Thread.status) == PostStatus.VISIBLE.value,
        )
    ).all()
    this_week: Counter[str] = Counter()
    before: Counter[str] = Counter()
    for themes, created in rows:
        strong = [t for t, w in _loads(themes).items() if w >= 0.5]
        (this_week if created >= week else before).update(strong)
    scored = sorted(((n + 1) / (before[t] / 4 + 1), n, t) for t, n in this_week.items())
    scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
    return tuple((t, n) for _lift, n, t in scored[:top])

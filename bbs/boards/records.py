"""Boards, threads and posts: tables and plain service functions taking a session."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypedDict

from sqlalchemy import (
    Executable,
    Index,
    Integer,
    UniqueConstraint,
    and_,
    bindparam,
    func,
    or_,
)
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select

from bbs import places
from bbs.accounts.blocks import BlockKind, MemberBlock, blocked_ids, has_blocked, has_muted
from bbs.accounts.pseudonyms import normalize_pseudonym
from bbs.boards import search
from bbs.i18n import N_, Said, said, said_n, translator
from bbs.models import Member, Stamped, UTCDateTime, count_rows, row_or_raise, utcnow
from bbs.moderation_queue.audit import AuditEntry
from bbs.moderation_queue.flags import (
    GONE,
    FlagKind,
    FlagTarget,
    ModeratedItem,
    ReviewOutcome,
    Written,
    add_flag,
    flag_verdict,
    raise_concern,
)
from bbs.moderation_queue.policy import Action
from bbs.moderation_queue.sanctions import mute_decides, why_text
from bbs.text_safety import clean_line, clean_text, fitting

TITLE_MAX = 120
BODY_MAX = 20_000
WARNING_MAX = 80
BOARD_NAME_MAX = 40
PAGE_SIZE = 20
# Posts already read shown before the first unread one, so a reply is read with what it
# answers (the thread's first post is shown above them too).
CONTEXT_POSTS = 2
# Mentions past this many in one post notify nobody further: a post is not a broadcast.
MENTIONS_MAX = 10

DEFAULT_BOARDS: tuple[tuple[str, str], ...] = (
    ("Introductions", "Say hello, if you like."),
    ("Anxiety", "Worry, panic, and what helps."),
    ("Low mood", "The heavy days, and getting through them."),
    ("Recovery", "Staying on the road, one day at a time."),
    ("Sleep", "Nights, rest and routines."),
    ("Habits", "Building and breaking them."),
    ("Wins", "Big or small: tell us."),
    ("Off-topic", "Everything else."),
)

# The fixed, supportive set: no downvotes, nothing to pile on with.
REACTIONS: tuple[tuple[str, str], ...] = (
    ("hug", N_("hug")),
    ("metoo", N_("me too")),
    ("proud", N_("proud of you")),
    ("thanks", N_("thank you")),
)
REACTION_LABELS = dict(REACTIONS)
# Shown for the author of writing whose account is gone (a Said: front ends translate it).
FORMER_MEMBER = N_("a former member")
# The attribution above a quote, stored in the post in its writer's language; deleting an
# account finds it (in any language) to make the quote anonymous (bbs.privacy).
QUOTE_HEAD = N_("{author} wrote:")
QUOTE_REMOVED = N_("> (removed by its author)")


def threads_count(count: int) -> Said:
    """ "3 threads", said with each language's plural rules."""
    return said_n("{count} thread", "{count} threads", count)


def posts_count(count: int) -> Said:
    """ "1 post", said with each language's plural rules."""
    return said_n("{count} post", "{count} posts", count)


def quote_head(author: str, lang: str) -> str:
    """The line above a quote of `author`, in `lang`."""
    return translator(lang).gettext(QUOTE_HEAD).format(author=author)


_MENTION = re.compile(r"(?<![\w@])@([\w.\-]{2,40})")


class PostError(ValueError):
    """A post that cannot be made as asked; the message is kind and fit to show."""


class PostStatus(StrEnum):
    """Visible to all, held for review (author only), deleted by its author or removed by
    the moderators (a placeholder stays for either)."""

    VISIBLE = "visible"
    HELD = "held"
    DELETED = "deleted"
    REMOVED = "removed"
    # Hidden by the moderators after review: a decision, not a wait. Only its author sees it.
    HIDDEN = "hidden"


# A post whose words are gone: its author deleted it, or the moderators removed it.
GONE_STATUSES = (PostStatus.DELETED, PostStatus.REMOVED)
# Seen by their author alone: held for review, or hidden by the moderators.
AUTHOR_ONLY = (PostStatus.HELD.value, PostStatus.HIDDEN.value)


@dataclass(frozen=True)
class PostingRules:
    """Limits on posting; tests and the benchmark may loosen them."""

    interval: timedelta = timedelta(seconds=5)
    new_account_interval: timedelta = timedelta(seconds=30)
    new_account_age: timedelta = timedelta(hours=24)
    edit_window: timedelta = timedelta(minutes=30)

    def seconds_to_wait(
        self, joined: datetime, last: datetime | None, now: datetime
    ) -> tuple[int, bool]:
        """Whole seconds a member who joined at `joined` and last wrote at `last` waits
        before writing again (0: none), and whether theirs counts as a new account."""
        young = now - joined < self.new_account_age
        if last is None:
            return 0, young
        if last.tzinfo is None:  # max() over SQLite comes back as a naive UTC value
            last = last.replace(tzinfo=now.tzinfo)
        wait = (self.new_account_interval if young else self.interval) - (now - last)
        if wait <= timedelta(0):
            return 0, young
        return max(1, int(wait.total_seconds() + 0.999)), young


# -- tables ---------------------------------------------------------------------------
class Board(Stamped, table=True):
    """A topic board; archived boards are read-only and left off the list."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=BOARD_NAME_MAX, unique=True)
    description: str = Field(default="", max_length=200)
    position: int = Field(default=0)
    archived: bool = Field(default=False)
    # The language the board is for (one of bbs.i18n.LANGUAGES), or '' for any.
    language: str = Field(default="", max_length=8)


class Thread(Stamped, table=True):
    """A conversation in a board; `post_count` is the highest post number in it."""

    __table_args__ = (Index("ix_thread_board_last", "board_id", "last_post_id"),)

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", ondelete="CASCADE")
    author_id: int | None = Field(
        default=None, foreign_key="member.id", index=True, ondelete="SET NULL"
    )
    title: str = Field(max_length=TITLE_MAX)
    warning: str = Field(default="", max_length=WARNING_MAX)
    status: str = Field(default=PostStatus.VISIBLE.value, max_length=16)
    post_count: int = Field(default=0)
    # Bumped by visible posts only: held replies do not lift a thread for others.
    last_post_id: int = Field(default=0)
    last_post_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Post(SQLModel, table=True):
    """One post; `seq` numbers posts within their thread from 1, for keyset paging."""

    __table_args__ = (
        UniqueConstraint("thread_id", "seq", name="uq_post_thread_seq"),
        Index("ix_post_author_created", "author_id", "created_at"),
        # Finds a thread's held posts without walking its visible ones (unread counts).
        Index("ix_post_status_thread_seq", "status", "thread_id", "seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="thread.id", ondelete="CASCADE")
    seq: int
    author_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    body: str = Field(max_length=BODY_MAX)
    warning: str = Field(default="", max_length=WARNING_MAX)
    status: str = Field(default=PostStatus.VISIBLE.value, max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Reaction(Stamped, table=True):
    """One member's supportive reaction to one post."""

    post_id: int = Field(foreign_key="post.id", primary_key=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(primary_key=True, max_length=16)


class ReadMark(SQLModel, table=True):
    """How far a member has read a thread (its highest post number seen)."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    thread_id: int = Field(
        foreign_key="thread.id", primary_key=True, index=True, ondelete="CASCADE"
    )
    last_read_seq: int = Field(default=0)


class Follow(SQLModel, table=True):
    """A member follows a board (new threads) or a thread (new replies)."""

    __table_args__ = (Index("ix_follow_target", "target_kind", "target_id"),)

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    target_kind: str = Field(primary_key=True, max_length=8)
    target_id: int = Field(primary_key=True)


class Notification(Stamped, table=True):
    """Something new for one member: a mention, a reply, a new thread in a followed board."""

    __table_args__ = (
        Index("ix_notification_member_seen", "member_id", "seen", "id"),
        Index("ix_notification_post_id", "post_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)
    actor_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    thread_id: int = Field(foreign_key="thread.id", index=True, ondelete="CASCADE")
    post_id: int | None = Field(default=None)
    seq: int = Field(default=1)
    seen: bool = Field(default=False)


class Draft(SQLModel, table=True):
    """Unsent writing, saved while composing so a dropped connection loses nothing."""

    __table_args__ = (UniqueConstraint("member_id", "context", name="uq_draft_member_context"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    # What it is for: "thread:<board>", "reply:<thread>", "edit:<post>", "pm:<member>".
    context: str = Field(max_length=40)
    label: str = Field(default="", max_length=200)
    title: str = Field(default="", max_length=TITLE_MAX * 4)
    # Drafts keep what was typed, even past the post limit, so the writer can trim it.
    body: str = Field(default="", max_length=BODY_MAX * 4)
    warning: str = Field(default="", max_length=WARNING_MAX * 4)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReaderPrefs(SQLModel, table=True):
    """How a member wants content warnings shown."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    # False: every warned post starts collapsed. True: only the warnings listed below do.
    expand_warnings: bool = Field(default=False)
    # One warning a line, matched case-insensitively as a part of the post's warning.
    always_collapsed: str = Field(default="", max_length=2000)


# -- views ----------------------------------------------------------------------------
@dataclass(frozen=True)
class BoardView:
    id: int
    name: str
    description: str
    position: int
    archived: bool
    threads: int = 0
    unread: int = 0
    following: bool = False
    # One of bbs.i18n.LANGUAGES, or '' for any language (bbs.places).
    language: str = ""


@dataclass(frozen=True)
class ThreadView:
    id: int
    board_id: int
    board_name: str
    title: str
    warning: str
    author: str
    author_id: int | None
    status: PostStatus
    post_count: int
    unread: int
    last_post_at: datetime
    created_at: datetime
    following: bool = False
    # The thread's starter is someone the reader blocked: shown collapsed.
    blocked: bool = False


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    label: str
    count: int
    who: tuple[str, ...]
    mine: bool


@dataclass(frozen=True)
class PostView:
    id: int
    thread_id: int
    seq: int
    author: str
    author_id: int | None
    body: str
    warning: str
    status: PostStatus
    created_at: datetime
    edited_at: datetime | None
    reactions: tuple[ReactionCount, ...] = ()
    mine: bool = False
    # Why the reader sees it folded up: "" (open), or the warning, or "blocked".
    collapsed: str = ""
    # Why the moderators removed it, for its author only ("" for everyone else).
    removed_because: str = ""

    @property
    def edited(self) -> bool:
        return self.edited_at is not None


@dataclass(frozen=True)
class ThreadPage:
    thread: ThreadView
    posts: tuple[PostView, ...]
    has_before: bool
    has_after: bool
    last_read_seq: int
    # The thread's first post, shown above a page that starts further on (a thread opened
    # at its unread posts): a reply is never shown without its question.
    first: PostView | None = None


class PageAt(TypedDict, total=False):
    """Where a page of a thread starts (the keywords of `thread_page`, which says how)."""

    after_seq: int | None
    before_seq: int | None
    at_seq: int | None
    with_first: bool | None


@dataclass(frozen=True)
class ThreadListPage:
    board: BoardView
    threads: tuple[ThreadView, ...]
    # Cursor for the next (older) page, or None at the end.
    older: int | None
    newer: int | None


@dataclass(frozen=True)
class NewsItem:
    """One line of "what is new for me" on the home screen."""

    id: int
    kind: str
    actor: str
    thread_id: int
    thread_title: str
    board_name: str
    seq: int


@dataclass(frozen=True)
class DraftView:
    context: str
    label: str
    title: str
    body: str
    warning: str
    updated_at: datetime


@dataclass(frozen=True)
class ReaderPrefsView:
    expand_warnings: bool = False
    always_collapsed: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanPost:
    """A post's text after cleaning and checking, ready to score and store."""

    title: str
    body: str
    warning: str
    mentions: tuple[str, ...] = field(default=())


# -- checking what is written ---------------------------------------------------------
def clean_post(title: str | None, body: str, warning: str) -> CleanPost:
    """Clean and check a post; raises PostError with a kind message. Never truncates."""
    cleaned_title = ""
    if title is not None:
        cleaned_title = fitting(
            clean_line(title).strip(),
            TITLE_MAX,
            PostError,
            N_(
                "Titles can be up to {most} characters; yours has {count}. "
                "Please shorten it; your text is still here."
            ),
            missing=N_("Your thread needs a title. Your text is still here."),
        )
    cleaned_body = fitting(
        clean_text(body).strip("\n").rstrip(),
        BODY_MAX,
        PostError,
        N_(
            "Posts can be up to {most} characters; yours has {count}. "
            "Nothing is lost: your text is still in the editor. You could split it into "
            "two posts."
        ),
        missing=N_("Your post is empty. Write something, or press Esc to leave."),
    )
    cleaned_warning = fitting(
        clean_line(warning).strip(),
        WARNING_MAX,
        PostError,
        N_("Content warnings can be up to {most} characters; yours has {count}."),
    )
    return CleanPost(cleaned_title, cleaned_body, cleaned_warning, mentions_in_body(cleaned_body))


def mentions_in_body(body: str) -> tuple[str, ...]:
    """The @names a post's body mentions, in order, each once (at most MENTIONS_MAX)."""
    mentions = tuple(dict.fromkeys(m.rstrip(".-") for m in _MENTION.findall(body)))
    return mentions[:MENTIONS_MAX]


def _status_for(action: Action) -> PostStatus:
    return PostStatus.HELD if action.holds else PostStatus.VISIBLE


# -- boards (sysops) ------------------------------------------------------------------
def _board_view(
    board: Board, threads: int = 0, unread: int = 0, following: bool = False
) -> BoardView:
    assert board.id is not None
    return BoardView(
        board.id,
        board.name,
        board.description,
        board.position,
        board.archived,
        threads,
        unread,
        following,
        board.language,
    )


def _board_by_name(session: Session, name: str) -> Board | None:
    wanted = name.strip().casefold()
    for board in session.exec(select(Board)).all():
        if board.name.casefold() == wanted:
            return board
    return None


def _require_board(session: Session, name: str) -> Board:
    board = _board_by_name(session, name)
    if board is None:
        raise PostError(said("There is no board called {name}.", name=repr(name)))
    return board


def ensure_default_boards(session: Session) -> int:
    """Create the default boards when there are none at all; returns how many were made."""
    if session.exec(select(Board.id)).first() is not None:
        return 0
    for position, (name, description) in enumerate(DEFAULT_BOARDS):
        session.add(Board(name=name, description=description, position=position))
    session.flush()
    return len(DEFAULT_BOARDS)


def _free_board_name(session: Session, name: str, board_id: int | None = None) -> str:
    """The cleaned name, if it fits and no other board (than `board_id`) has it."""
    clean_name = clean_line(name).strip()
    if not clean_name or len(clean_name) > BOARD_NAME_MAX:
        raise PostError(said("Board names need 1 to {most} characters.", most=BOARD_NAME_MAX))
    other = _board_by_name(session, clean_name)
    if other is not None and other.id != board_id:
        raise PostError(said("A board called {name} exists already.", name=repr(clean_name)))
    return clean_name


def _language(code: str) -> str:
    try:
        return places.place_language(code)
    except ValueError as error:
        raise PostError(*error.args) from None


def _announce_language(session: Session, board: Board) -> None:
    assert board.id is not None
    places.announce_place(session, places.BOARD, board.id, board.name, board.language)


def add_board(session: Session, name: str, description: str = "", language: str = "") -> BoardView:
    """A new board at the end of the list; `language` one of bbs.i18n.LANGUAGES or ''
    (any; '-' and 'any' say so too)."""
    clean_name = _free_board_name(session, name)
    language = _language(language)
    last = session.exec(select(func.max(Board.position))).one()
    board = Board(
        name=clean_name,
        description=clean_line(description)[:200],
        position=(last or 0) + 1,
        language=language,
    )
    session.add(board)
    session.flush()
    if language:
        _announce_language(session, board)
    return _board_view(board)


def rename_board(
    session: Session, name: str, new_name: str, language: str | None = None
) -> BoardView:
    """A board's new name (and its language, where given)."""
    board = _require_board(session, name)
    board.name = _free_board_name(session, new_name, board.id)
    if language is not None:
        board.language = _language(language)
    session.add(board)
    session.flush()
    if language is not None:
        _announce_language(session, board)
    return _board_view(board)


def set_board_language(session: Session, name: str, language: str) -> BoardView:
    """Mark a board with a language ('' / '-' / 'any': for any language); every node's
    board lists hear of it once the transaction commits (bbs.places.PLACES_TOPIC)."""
    board = _require_board(session, name)
    board.language = _language(language)
    session.add(board)
    session.flush()
    _announce_language(session, board)
    return _board_view(board)


def move_board(session: Session, name: str, position: int) -> BoardView:
    """Put a board at `position` (1 = first) and renumber the rest in order."""
    board = _require_board(session, name)
    boards = [
        b
        for b in session.exec(select(Board).order_by(col(Board.position), col(Board.id))).all()
        if b.id != board.id
    ]
    index = max(0, min(len(boards), position - 1))
    boards.insert(index, board)
    for number, b in enumerate(boards):
        b.position = number
        session.add(b)
    session.flush()
    return _board_view(board)


def archive_board(session: Session, name: str, archived: bool = True) -> BoardView:
    board = _require_board(session, name)
    board.archived = archived
    session.add(board)
    session.flush()
    return _board_view(board)


def all_boards(session: Session) -> list[BoardView]:
    """Every board, archived ones too, in order (for sysops)."""
    rows = session.exec(select(Board).order_by(col(Board.position), col(Board.id))).all()
    return [_board_view(b) for b in rows]


# -- reading --------------------------------------------------------------------------
def _visible_to(viewer_id: int):  # type: ignore[no-untyped-def]
    return or_(col(Thread.status) == PostStatus.VISIBLE.value, col(Thread.author_id) == viewer_id)


def _held_from_others(member_id: int, *, unread_only: bool):  # type: ignore[no-untyped-def]
    """How many of a thread's posts are others' held posts, which the member cannot see.

    They are neither posts nor unread posts for the member: counting them would give away
    that something is held. The subquery walks ix_post_status_thread_seq over held posts
    only: nearly always none.
    """
    conditions = [
        col(Post.status).in_(AUTHOR_ONLY),
        col(Post.thread_id) == Thread.id,
        or_(col(Post.author_id).is_(None), col(Post.author_id) != member_id),
    ]
    if unread_only:
        conditions.append(col(Post.seq) > func.coalesce(ReadMark.last_read_seq, 0))
    return (
        select(func.count()).select_from(Post).where(*conditions).correlate(Thread, ReadMark)
        if unread_only
        else select(func.count()).select_from(Post).where(*conditions).correlate(Thread)
    ).scalar_subquery()


def _seen_or_hidden(member_id: int):  # type: ignore[no-untyped-def]
    """Posts of a thread that are not unread for the member: read ones, and others' held ones."""
    return func.coalesce(ReadMark.last_read_seq, 0) + _held_from_others(member_id, unread_only=True)


def board_list(session: Session, *, member_id: int) -> list[BoardView]:
    """Open boards in order, each with its thread count and unread posts for the member."""
    unread = func.coalesce(func.sum(Thread.post_count - _seen_or_hidden(member_id)), 0)
    rows = session.exec(
        select(Board, func.count(col(Thread.id)), unread)
        .join(
            Thread,
            and_(col(Thread.board_id) == Board.id, col(Thread.status) == PostStatus.VISIBLE.value),
            isouter=True,
        )
        .join(
            ReadMark,
            and_(col(ReadMark.thread_id) == Thread.id, col(ReadMark.member_id) == member_id),
            isouter=True,
        )
        .where(col(Board.archived).is_(False))
        .group_by(col(Board.id))
        .order_by(col(Board.position), col(Board.id))
    ).all()
    followed = _followed(session, member_id, "board")
    return [_board_view(b, int(n), max(0, int(u)), b.id in followed) for b, n, u in rows]


def _followed(session: Session, member_id: int, kind: str) -> set[int]:
    return set(
        session.exec(
            select(Follow.target_id).where(
                Follow.member_id == member_id, Follow.target_kind == kind
            )
        ).all()
    )


def get_board(session: Session, board_id: int, member_id: int) -> BoardView:
    board = row_or_raise(session, Board, board_id, PostError(said("That board no longer exists.")))
    return _board_view(board, following=board_id in _followed(session, member_id, "board"))


def _thread_views(
    session: Session,
    member_id: int,
    rows: Sequence[tuple[Thread, str | None, str, int | None, int | None]],
) -> list[ThreadView]:
    followed = _followed(session, member_id, "thread")
    blocked = blocked_ids(session, member_id)
    views = []
    for thread, author, board_name, read, hidden in rows:
        assert thread.id is not None
        views.append(
            ThreadView(
                id=thread.id,
                board_id=thread.board_id,
                board_name=board_name,
                title=thread.title,
                warning=thread.warning,
                author=author or said(FORMER_MEMBER),
                author_id=thread.author_id,
                status=PostStatus(thread.status),
                post_count=max(0, thread.post_count - (hidden or 0)),
                unread=max(0, thread.post_count - (read or 0)),
                last_post_at=thread.last_post_at,
                created_at=thread.created_at,
                following=thread.id in followed,
                blocked=thread.author_id in blocked,
            )
        )
    return views


def _thread_query(member_id: int):  # type: ignore[no-untyped-def]
    return (
        select(
            Thread,
            Member.pseudonym,
            Board.name,  # type: ignore[call-overload]
            _seen_or_hidden(member_id),
            _held_from_others(member_id, unread_only=False),
        )
        .join(Board, col(Board.id) == Thread.board_id)
        .join(Member, col(Member.id) == Thread.author_id, isouter=True)
        .join(
            ReadMark,
            and_(col(ReadMark.thread_id) == Thread.id, col(ReadMark.member_id) == member_id),
            isouter=True,
        )
    )


def thread_list(
    session: Session,
    *,
    member_id: int,
    board_id: int,
    before: int | None = None,
    after: int | None = None,
    limit: int = PAGE_SIZE,
) -> ThreadListPage:
    """One page of a board's threads, most recently active first (keyset on last post).

    `before` pages to older threads, `after` back to newer ones; never OFFSET.
    """
    board = get_board(session, board_id, member_id)
    query = _thread_query(member_id).where(Thread.board_id == board_id, _visible_to(member_id))
    if after is not None:
        query = (
            query.where(col(Thread.last_post_id) > after)
            .order_by(col(Thread.last_post_id))
            .limit(limit + 1)
        )
        rows = list(session.exec(query).all())
        more_newer = len(rows) > limit
        rows = rows[:limit][::-1]
        more_older = True
    else:
        if before is not None:
            query = query.where(col(Thread.last_post_id) < before)
        query = query.order_by(col(Thread.last_post_id).desc()).limit(limit + 1)
        rows = list(session.exec(query).all())
        more_older = len(rows) > limit
        rows = rows[:limit]
        more_newer = before is not None
    threads = _thread_views(session, member_id, rows)
    last_ids = [r[0].last_post_id for r in rows]
    return ThreadListPage(
        board=board,
        threads=tuple(threads),
        older=min(last_ids) if last_ids and more_older else None,
        newer=max(last_ids) if last_ids and more_newer else None,
    )


def get_thread(session: Session, *, member_id: int, thread_id: int) -> ThreadView:
    row = session.exec(_thread_query(member_id).where(Thread.id == thread_id)).first()
    if row is None:
        raise PostError(said("That thread no longer exists."))
    thread = row[0]
    if thread.status in AUTHOR_ONLY and thread.author_id != member_id:
        raise PostError(said("That thread no longer exists."))
    return _thread_views(session, member_id, [row])[0]


def reader_prefs(session: Session, member_id: int) -> ReaderPrefsView:
    prefs = session.get(ReaderPrefs, member_id)
    if prefs is None:
        return ReaderPrefsView()
    lines = tuple(w.strip() for w in prefs.always_collapsed.splitlines() if w.strip())
    return ReaderPrefsView(prefs.expand_warnings, lines)


def set_reader_prefs(
    session: Session, member_id: int, *, expand_warnings: bool, always_collapsed: Sequence[str]
) -> ReaderPrefsView:
    kept = [clean_line(w).strip()[:WARNING_MAX] for w in always_collapsed]
    text = "\n".join(w for w in kept if w)[:2000]
    prefs = session.get(ReaderPrefs, member_id) or ReaderPrefs(member_id=member_id)
    prefs.expand_warnings = expand_warnings
    prefs.always_collapsed = text
    session.add(prefs)
    session.flush()
    return reader_prefs(session, member_id)


def collapse_reason(warning: str, prefs: ReaderPrefsView) -> str:
    """The warning to show folded, or "" when this reader sees the post open."""
    if not warning:
        return ""
    if not prefs.expand_warnings:
        return warning
    folded = warning.casefold()
    if any(w.casefold() in folded for w in prefs.always_collapsed):
        return warning
    return ""


def _readable(member_id: int, thread_id: int, is_staff: bool) -> list[Any]:
    """Conditions on Post for the posts of a thread the member may read."""
    conditions: list[Any] = [col(Post.thread_id) == thread_id]
    if not is_staff:
        conditions.append(
            or_(col(Post.status).not_in(AUTHOR_ONLY), col(Post.author_id) == member_id)
        )
    return conditions


def _count(session: Session, *conditions: Any) -> int:
    return count_rows(session, Post, *conditions)


def thread_page(
    session: Session,
    *,
    member_id: int,
    thread_id: int,
    after_seq: int | None = None,
    before_seq: int | None = None,
    at_seq: int | None = None,
    with_first: bool | None = None,
    limit: int = PAGE_SIZE,
    is_staff: bool = False,
) -> ThreadPage:
    """One page of the posts the member may read (keyset on the post number).

    `after_seq` and `before_seq` page on from a post. With neither, the thread opens: at
    `at_seq` (a search result, a mention) or else at the first post the member has not
    read, each with up to CONTEXT_POSTS posts before it; on the last page when all is
    read. A page that opens past the first post carries the first post as `first`, so a
    reply is never shown without its question (`with_first` asks for it, or not, on any
    page). Others' held posts are not there at all: not as posts, not as unread.
    """
    thread = get_thread(session, member_id=member_id, thread_id=thread_id)
    mark = session.get(ReadMark, (member_id, thread_id))
    last_read = mark.last_read_seq if mark else 0
    readable = _readable(member_id, thread_id, is_staff)
    opening = after_seq is None and before_seq is None
    if opening:
        target = at_seq
        if target is None:
            target = session.exec(
                select(Post.seq)
                .where(*readable, col(Post.seq) > last_read)
                .order_by(col(Post.seq))
                .limit(1)
            ).first()
        if target is None:
            before_seq = thread.post_count + 1  # all read: the last page
        else:
            context = session.exec(
                select(Post.seq)
                .where(*readable, col(Post.seq) < target)
                .order_by(col(Post.seq).desc())
                .limit(CONTEXT_POSTS)
            ).all()
            start = min(context, default=target)
            # Leaving out only the first post would show it apart from what follows it.
            after_seq = 0 if _count(session, *readable, col(Post.seq) < start) <= 1 else start - 1
    query = (
        select(Post, Member.pseudonym)
        .join(Member, col(Member.id) == Post.author_id, isouter=True)
        .where(*readable)
    )
    if before_seq is not None:
        rows = list(
            session.exec(
                query.where(col(Post.seq) < before_seq)
                .order_by(col(Post.seq).desc())
                .limit(limit + 1)
            ).all()
        )
        has_before = len(rows) > limit
        rows = rows[:limit][::-1]
        has_after = _count(session, *readable, col(Post.seq) >= before_seq) > 0
    else:
        assert after_seq is not None
        rows = list(
            session.exec(
                query.where(col(Post.seq) > after_seq).order_by(col(Post.seq)).limit(limit + 1)
            ).all()
        )
        has_after = len(rows) > limit
        rows = rows[:limit]
        has_before = _count(session, *readable, col(Post.seq) <= after_seq) > 0
    first_row = None
    if (opening if with_first is None else with_first) and rows and has_before:
        first_row = session.exec(query.order_by(col(Post.seq)).limit(1)).first()
        if first_row is not None:
            # Earlier pages hold what lies between the first post and this page.
            has_before = (
                _count(
                    session,
                    *readable,
                    col(Post.seq) > first_row[0].seq,
                    col(Post.seq) < rows[0][0].seq,
                )
                > 0
            )
    prefs = reader_prefs(session, member_id)
    blocked = blocked_ids(session, member_id)
    shown = [*([first_row] if first_row is not None else []), *rows]
    reactions = _reactions_for(session, member_id, [p.id for p, _a in shown if p.id is not None])
    removals = _removal_reasons(session, member_id, [p for p, _a in shown])
    views = [
        _page_post(post, author, member_id, blocked, prefs, reactions, removals)
        for post, author in shown
    ]
    first = views.pop(0) if first_row is not None else None
    return ThreadPage(thread, tuple(views), has_before, has_after, last_read, first)


def _page_post(
    post: Post,
    author: str | None,
    member_id: int,
    blocked: set[int],
    prefs: ReaderPrefsView,
    reactions: dict[int, tuple[ReactionCount, ...]],
    removals: dict[int, str],
) -> PostView:
    assert post.id is not None
    status = PostStatus(post.status)
    collapsed = ""
    if status not in GONE_STATUSES:
        if post.author_id in blocked:
            collapsed = "blocked"
        else:
            collapsed = collapse_reason(post.warning, prefs)
    return PostView(
        id=post.id,
        thread_id=post.thread_id,
        seq=post.seq,
        author=author or said(FORMER_MEMBER),
        author_id=post.author_id,
        body="" if status in GONE_STATUSES else post.body,
        warning=post.warning,
        status=status,
        created_at=post.created_at,
        edited_at=post.edited_at,
        reactions=reactions.get(post.id, ()),
        mine=post.author_id == member_id,
        collapsed=collapsed,
        removed_because=removals.get(post.id, ""),
    )


def _removal_reasons(session: Session, member_id: int, posts: Sequence[Post]) -> dict[int, str]:
    """Why the moderators removed or hid the member's own posts among `posts` (the audit log).

    Only the post's author is told why; everyone else sees that it was removed (a hidden
    post they do not see at all). A sanction taken from the queue hides the post it was
    about, so its entry says why too.
    """
    decided = (PostStatus.REMOVED.value, PostStatus.HIDDEN.value)
    wanted = [
        p.id for p in posts if p.id is not None and p.author_id == member_id and p.status in decided
    ]
    if not wanted:
        return {}
    reasons: dict[int, str] = {}
    for entry in session.exec(
        select(AuditEntry)
        .where(
            AuditEntry.target_kind == "post",
            col(AuditEntry.target_id).in_(wanted),
            col(AuditEntry.action).in_(("delete", "hide", "warn", "mute", "suspend", "ban")),
        )
        .order_by(col(AuditEntry.id))
    ).all():
        if entry.target_id is not None:
            reasons[entry.target_id] = why_text(entry.category, entry.reason)
    return reasons


def search_posts(session: Session, *, member_id: int, query: str) -> list[search.SearchHit]:
    """Search as this member reads: posts behind a warning they fold stay folded."""
    prefs = reader_prefs(session, member_id)
    return search.search_posts(
        session,
        member_id=member_id,
        query=query,
        folds=lambda warning: bool(collapse_reason(warning, prefs)),
    )


def _reactions_for(
    session: Session, member_id: int, post_ids: list[int]
) -> dict[int, tuple[ReactionCount, ...]]:
    if not post_ids:
        return {}
    rows = session.exec(
        select(Reaction.post_id, Reaction.kind, Reaction.member_id, Member.pseudonym)
        .join(Member, col(Member.id) == Reaction.member_id)
        .where(col(Reaction.post_id).in_(post_ids))
        .order_by(col(Reaction.created_at))
    ).all()
    grouped: dict[int, dict[str, list[tuple[int, str]]]] = {}
    for post_id, kind, who_id, who in rows:
        grouped.setdefault(post_id, {}).setdefault(kind, []).append((who_id, who))
    result: dict[int, tuple[ReactionCount, ...]] = {}
    for post_id, kinds in grouped.items():
        result[post_id] = tuple(
            ReactionCount(
                kind,
                label,
                len(kinds[kind]),
                tuple(n for _i, n in kinds[kind]),
                any(i == member_id for i, _n in kinds[kind]),
            )
            for kind, label in REACTIONS
            if kind in kinds
        )
    return result


def mark_read(session: Session, *, member_id: int, thread_id: int, seq: int) -> None:
    """Remember the member has read up to post `seq` (never moves backwards)."""
    mark = session.get(ReadMark, (member_id, thread_id))
    if mark is None:
        session.add(ReadMark(member_id=member_id, thread_id=thread_id, last_read_seq=seq))
    elif seq > mark.last_read_seq:
        mark.last_read_seq = seq
        session.add(mark)
    session.flush()


# -- writing --------------------------------------------------------------------------
def _check_rate(session: Session, author: Member, rules: PostingRules, now: datetime) -> None:
    last = session.exec(select(func.max(Post.created_at)).where(Post.author_id == author.id)).one()
    seconds, young = rules.seconds_to_wait(author.created_at, last, now)
    if seconds:
        if young:
            raise PostError(
                said_n(
                    "Please wait {count} more second before posting again (new accounts "
                    "wait a little longer between posts). Your text is still here.",
                    "Please wait {count} more seconds before posting again (new accounts "
                    "wait a little longer between posts). Your text is still here.",
                    seconds,
                )
            )
        raise PostError(
            said_n(
                "Please wait {count} more second before posting again. Your text is still here.",
                "Please wait {count} more seconds before posting again. Your text is still here.",
                seconds,
            )
        )


def _author(
    session: Session, author_id: int, written: Written[CleanPost]
) -> tuple[Member, Written[CleanPost]]:
    """The writer, and the writing with the gate's action once any mute is counted: a
    muted member can read but not post (the admin screen's mute), except that crisis
    words wait for a moderator instead of being refused."""
    author = row_or_raise(
        session, Member, author_id, PostError(said("Your account no longer exists."))
    )
    action, muted = mute_decides(session, author_id, written.action)
    if muted is not None:
        raise PostError(muted)
    return author, replace(written, action=action)


def _after_publish(
    session: Session,
    *,
    author: Member,
    thread: Thread,
    post: Post,
    written: Written[CleanPost],
    mentions_only: bool = False,
) -> PostView:
    """Flags, search index and notifications for a freshly written or edited post; its view.

    A thread's first post is indexed with the thread's title. An edit passes
    `mentions_only`, so names newly added are told, nobody twice.
    """
    assert post.id is not None and thread.id is not None and author.id is not None
    flag_verdict(
        session,
        written.action,
        target_kind=FlagTarget.POST,
        target_id=post.id,
        author_id=author.id,
        scores=written.scores,
    )
    if not written.action.holds:
        first = post.seq == 1
        search.index_post(session, post.id, (thread.title + "\n" if first else "") + post.body)
        _notify(
            session,
            author_id=author.id,
            thread=thread,
            post=post,
            mentions=written.text.mentions,
            new_thread=first,
            mentions_only=mentions_only,
        )
    return _post_view(post, author.pseudonym, author.id)


def _open_board(session: Session, board_id: int, kept: str) -> Board:
    """The board, open for posts; `kept` (an `N_` message) says where the text is."""
    board = session.get(Board, board_id)
    if board is None or board.archived:
        raise PostError(said("That board is closed for new posts now. {kept}", kept=said(kept)))
    return board


def _add_post(
    session: Session,
    *,
    thread: Thread,
    seq: int,
    author_id: int,
    text: CleanPost,
    status: PostStatus,
    now: datetime,
) -> Post:
    """Store post `seq` of the thread; a thread's first or a visible post becomes its last."""
    assert thread.id is not None
    post = Post(
        thread_id=thread.id,
        seq=seq,
        author_id=author_id,
        body=text.body,
        warning=text.warning,
        status=status.value,
        created_at=now,
    )
    session.add(post)
    session.flush()
    assert post.id is not None
    if seq == 1 or status is PostStatus.VISIBLE:
        thread.last_post_id = post.id
        thread.last_post_at = now
    session.add(thread)
    return post


def _notify(
    session: Session,
    *,
    author_id: int,
    thread: Thread,
    post: Post,
    mentions: Sequence[str],
    new_thread: bool,
    mentions_only: bool = False,
) -> None:
    """Tell mentioned members, the thread's author and followers, once per member and post.

    Called when a post is published: at once, or when a moderator approves a held post.
    An edit calls it with `mentions_only`, so names newly added are told, nobody twice.
    """
    assert thread.id is not None and post.id is not None
    targets: dict[int, str] = {}
    if mentions:
        keys = [normalize_pseudonym(m) for m in mentions]
        for member_id in session.exec(
            select(Member.id).where(col(Member.pseudonym_key).in_(keys))
        ).all():
            if member_id is not None:
                targets.setdefault(member_id, "mention")
    if not mentions_only:
        if not new_thread and thread.author_id is not None:
            targets.setdefault(thread.author_id, "reply")
        if new_thread:
            kind, target = "board", thread.board_id
        else:
            kind, target = "thread", thread.id
        for follower in session.exec(
            select(Follow.member_id).where(Follow.target_kind == kind, Follow.target_id == target)
        ).all():
            targets.setdefault(follower, "new_thread" if new_thread else "reply")
    told = set(
        session.exec(select(Notification.member_id).where(Notification.post_id == post.id)).all()
    )
    for member_id, why in targets.items():
        if member_id == author_id or member_id in told or has_muted(session, member_id, author_id):
            continue
        session.add(
            Notification(
                member_id=member_id,
                kind=why,
                actor_id=author_id,
                thread_id=thread.id,
                post_id=post.id,
                seq=post.seq,
            )
        )
    session.flush()


def create_thread(
    session: Session,
    *,
    author_id: int,
    board_id: int,
    written: Written[CleanPost],
    rules: PostingRules | None = None,
) -> PostView:
    """Start a thread with its first post, as the moderation gate decided."""
    now = written.now or utcnow()
    author, written = _author(session, author_id, written)
    text = written.text
    _open_board(session, board_id, kept=N_("Your text is still here."))
    _check_rate(session, author, rules or PostingRules(), now)
    status = _status_for(written.action)
    thread = Thread(
        board_id=board_id,
        author_id=author_id,
        title=text.title,
        warning=text.warning,
        status=status.value,
        post_count=1,
        last_post_at=now,
        created_at=now,
    )
    session.add(thread)
    session.flush()
    assert thread.id is not None
    post = _add_post(
        session, thread=thread, seq=1, author_id=author_id, text=text, status=status, now=now
    )
    session.add(Follow(member_id=author_id, target_kind="thread", target_id=thread.id))
    session.add(ReadMark(member_id=author_id, thread_id=thread.id, last_read_seq=1))
    return _after_publish(session, author=author, thread=thread, post=post, written=written)


def create_reply(
    session: Session,
    *,
    author_id: int,
    thread_id: int,
    written: Written[CleanPost],
    rules: PostingRules | None = None,
) -> PostView:
    """Add a reply to a thread, as the moderation gate decided."""
    now = written.now or utcnow()
    author, written = _author(session, author_id, written)
    thread = session.get(Thread, thread_id)
    if (
        thread is None
        or thread.status == PostStatus.DELETED.value
        or (thread.status in AUTHOR_ONLY and thread.author_id != author_id)
    ):
        raise PostError(
            said(
                "That thread was removed while you were writing, so your reply could not be "
                "posted. Your text is kept as a draft."
            )
        )
    _open_board(session, thread.board_id, kept=N_("Your text is kept as a draft."))
    _check_rate(session, author, rules or PostingRules(), now)
    status = _status_for(written.action)
    # The write lock (BEGIN IMMEDIATE / row lock) makes this read-then-increment safe.
    if not session.get_bind().dialect.name == "sqlite":
        session.refresh(thread, with_for_update=True)
    thread.post_count += 1
    post = _add_post(
        session,
        thread=thread,
        seq=thread.post_count,
        author_id=author_id,
        text=written.text,
        status=status,
        now=now,
    )
    mark_read(session, member_id=author_id, thread_id=thread_id, seq=post.seq)
    return _after_publish(session, author=author, thread=thread, post=post, written=written)


def _post_view(post: Post, author: str, viewer: int) -> PostView:
    assert post.id is not None
    return PostView(
        id=post.id,
        thread_id=post.thread_id,
        seq=post.seq,
        author=author,
        author_id=post.author_id,
        body=post.body,
        warning=post.warning,
        status=PostStatus(post.status),
        created_at=post.created_at,
        edited_at=post.edited_at,
        mine=post.author_id == viewer,
    )


def _own_post(session: Session, member_id: int, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None or post.status in GONE_STATUSES:
        raise PostError(said("That post no longer exists."))
    if post.author_id != member_id:
        raise PostError(said("You can only change your own posts."))
    return post


def edit_post(
    session: Session,
    *,
    member_id: int,
    post_id: int,
    written: Written[CleanPost],
    rules: PostingRules | None = None,
) -> PostView:
    """Change your own post within the edit window; it is marked edited and moderated again."""
    now = written.now or utcnow()
    rules = rules or PostingRules()
    post = _own_post(session, member_id, post_id)
    author, written = _author(session, member_id, written)
    text = written.text
    if now - post.created_at > rules.edit_window:
        minutes = int(rules.edit_window.total_seconds() // 60)
        raise PostError(
            said_n(
                "Posts can be edited for {count} minute after posting, and that time has "
                "passed. You could add a reply instead; your text is still here.",
                "Posts can be edited for {count} minutes after posting, and that time has "
                "passed. You could add a reply instead; your text is still here.",
                minutes,
            )
        )
    thread = session.get(Thread, post.thread_id)
    assert thread is not None and thread.id is not None
    status = _status_for(written.action)
    post.body = text.body
    post.warning = text.warning
    post.edited_at = now
    post.status = status.value
    if post.seq == 1:
        if text.title:
            thread.title = text.title
        thread.warning = text.warning
        thread.status = status.value
        session.add(thread)
    session.add(post)
    session.flush()
    assert post.id is not None
    search.unindex_post(session, post.id)
    return _after_publish(
        session,
        author=author,
        thread=thread,
        post=post,
        written=written,
        mentions_only=True,
    )


def blank_post(session: Session, post: Post) -> None:
    """Take a post's words away for good: a placeholder stays, and search forgets it."""
    post.status = PostStatus.DELETED.value
    post.body = ""
    post.warning = ""
    session.add(post)
    assert post.id is not None
    search.unindex_post(session, post.id)


def delete_post(session: Session, *, member_id: int, post_id: int) -> None:
    """Delete your own post: its words go, a placeholder stays so replies still make sense."""
    post = _own_post(session, member_id, post_id)
    blank_post(session, post)
    thread = session.get(Thread, post.thread_id)
    if thread is not None and post.seq == 1:
        gone = [g.value for g in GONE_STATUSES]
        if (
            count_rows(session, Post, Post.thread_id == thread.id, col(Post.status).not_in(gone))
            == 0
        ):
            # A thread with nothing left in it goes from the board entirely.
            thread.status = PostStatus.DELETED.value
            session.add(thread)
    session.flush()


def get_post(session: Session, *, member_id: int, post_id: int) -> PostView:
    row = session.exec(
        select(Post, Member.pseudonym)
        .join(Member, col(Member.id) == Post.author_id, isouter=True)
        .where(Post.id == post_id)
    ).first()
    if row is None:
        raise PostError(said("That post no longer exists."))
    post, author = row
    if post.status in AUTHOR_ONLY and post.author_id != member_id:
        raise PostError(said("That post no longer exists."))
    return _post_view(post, author or said(FORMER_MEMBER), member_id)


def toggle_reaction(session: Session, *, member_id: int, post_id: int, kind: str) -> bool:
    """Add the reaction, or take it back if it was there; returns whether it is on now."""
    if kind not in REACTION_LABELS:
        raise PostError(said("That reaction is not one we have."))
    post = session.get(Post, post_id)
    if post is None or post.status != PostStatus.VISIBLE.value:
        raise PostError(said("That post no longer exists."))
    if post.author_id is not None and has_blocked(session, post.author_id, member_id):
        # Said plainly but without naming the block: the author chose not to hear from you.
        raise PostError(said("You can't react to this member's posts."))
    existing = session.get(Reaction, (post_id, member_id, kind))
    if existing is not None:
        session.delete(existing)
        session.flush()
        return False
    session.add(Reaction(post_id=post_id, member_id=member_id, kind=kind))
    session.flush()
    return True


def concern_about_writing(
    session: Session,
    *,
    member_id: int,
    target: FlagTarget,
    target_id: int,
    author_id: int | None,
    note: str,
) -> int:
    """ "I'm worried about this person" about the writer of a post or a message (see flags)."""
    try:
        return raise_concern(
            session,
            target_kind=target,
            target_id=target_id,
            author_id=author_id,
            reporter_id=member_id,
            note=clean_line(note, 400),
        )
    except ValueError as error:
        # The flag's own words, as the moderation queue said them.
        raise PostError(error.args[0] if error.args else str(error)) from None


def report_writing(
    session: Session,
    *,
    reporter_id: int,
    target: FlagTarget,
    target_id: int,
    reason: str,
    author_of: Callable[[], int | None],
) -> int:
    """A member asks moderators to look at a post or a message; returns the flag's id.

    The reason is checked first; `author_of` then finds the writer (or raises PostError
    when the reporter may not see the thing any more).
    """
    why = clean_line(reason).strip()
    if not why:
        raise PostError(said("Please say in a few words what is wrong, so a moderator can help."))
    return add_flag(
        session,
        kind=FlagKind.REPORT,
        target_kind=target,
        target_id=target_id,
        author_id=author_of(),
        reporter_id=reporter_id,
        reason=why,
    )


def raise_concern_for_post(
    session: Session, *, member_id: int, post_id: int, note: str = ""
) -> int:
    """ "I'm worried about this person": a crisis alert about a post's author (see flags)."""
    post = session.get(Post, post_id)
    unseen = (*AUTHOR_ONLY, *(g.value for g in GONE_STATUSES))
    if post is None or (post.status in unseen and post.author_id != member_id):
        raise PostError(said("That post no longer exists."))
    return concern_about_writing(
        session,
        member_id=member_id,
        target=FlagTarget.POST,
        target_id=post_id,
        author_id=post.author_id,
        note=note,
    )


def report_post(session: Session, *, reporter_id: int, post_id: int, reason: str) -> int:
    """A member asks moderators to look at a post; returns the flag's id."""

    def author() -> int | None:
        post = row_or_raise(session, Post, post_id, PostError(said("That post no longer exists.")))
        return post.author_id

    return report_writing(
        session,
        reporter_id=reporter_id,
        target=FlagTarget.POST,
        target_id=post_id,
        reason=reason,
        author_of=author,
    )


def set_follow(session: Session, *, member_id: int, kind: str, target_id: int, on: bool) -> None:
    """Follow or stop following a board ("board") or a thread ("thread")."""
    if kind not in ("board", "thread"):
        raise ValueError(kind)
    row = session.get(Follow, (member_id, kind, target_id))
    if on and row is None:
        session.add(Follow(member_id=member_id, target_kind=kind, target_id=target_id))
    elif not on and row is not None:
        session.delete(row)
    session.flush()


# -- what is new for me ---------------------------------------------------------------
# Who caused a notification: made once (every login's home screen reads the news).
_ACTOR = Member.__table__.alias("actor")  # type: ignore[attr-defined]


def _whats_new_statement() -> Executable:
    """`whats_new`'s rows: unseen notifications, newest first, with whether the member has
    blocked the actor (`blocked_ids`) beside each."""
    me = bindparam("member_id", type_=Integer)
    actor = _ACTOR
    blocked = (
        select(col(MemberBlock.other_id))
        .where(
            col(MemberBlock.member_id) == me,
            col(MemberBlock.other_id) == col(Notification.actor_id),
            col(MemberBlock.kind) == BlockKind.BLOCK.value,
        )
        .exists()
    )
    return (
        sa_select(
            col(Notification.id),
            col(Notification.kind),
            col(Notification.actor_id),
            col(Notification.thread_id),
            col(Notification.seq),
            blocked,
            actor.c.pseudonym,
            col(Thread.title),
            col(Board.name),
        )
        .join(Thread, col(Thread.id) == Notification.thread_id)
        .join(Board, col(Board.id) == Thread.board_id)
        .join(actor, actor.c.id == Notification.actor_id, isouter=True)
        .where(
            col(Notification.member_id) == me,
            col(Notification.seen).is_(False),
            col(Thread.status) != PostStatus.DELETED.value,
        )
        .order_by(col(Notification.id).desc())
        .limit(bindparam("rows", type_=Integer))
    )


# Built once: the home screen reads it at every login.
_WHATS_NEW = _whats_new_statement()


def whats_new(session: Session, *, member_id: int, limit: int = 9) -> list[NewsItem]:
    """Unseen notifications, newest first, from members not blocked since (a read: one
    statement, read as plain rows)."""
    rows = session.connection().execute(_WHATS_NEW, {"member_id": member_id, "rows": limit * 2})
    items = [
        NewsItem(note_id, kind, who or "someone", thread_id, title, board, seq)
        for note_id, kind, _actor, thread_id, seq, blocked, who, title, board in rows
        if not blocked
    ]
    return items[:limit]


def mark_news_seen(session: Session, *, member_id: int, thread_id: int) -> None:
    """Everything new in a thread counts as seen once the member opens it."""
    for note in session.exec(
        select(Notification).where(
            Notification.member_id == member_id,
            Notification.thread_id == thread_id,
            col(Notification.seen).is_(False),
        )
    ).all():
        note.seen = True
        session.add(note)
    session.flush()


# -- drafts ---------------------------------------------------------------------------
def save_draft(
    session: Session,
    member_id: int,
    context: str,
    *,
    label: str,
    title: str,
    body: str,
    warning: str,
) -> None:
    """Keep unsent writing (cut at generous limits: a 5 MB paste is not kept whole)."""
    draft = session.exec(
        select(Draft).where(Draft.member_id == member_id, Draft.context == context)
    ).first()
    if draft is None:
        draft = Draft(member_id=member_id, context=context[:40])
    draft.label = clean_line(label)[:200]
    draft.title = title[: TITLE_MAX * 4]
    draft.body = body[: BODY_MAX * 4]
    draft.warning = warning[: WARNING_MAX * 4]
    draft.updated_at = utcnow()
    session.add(draft)
    session.flush()


# Built once: the home screen reads it at every login.
_DRAFTS = (
    sa_select(
        col(Draft.context),
        col(Draft.label),
        col(Draft.title),
        col(Draft.body),
        col(Draft.warning),
        col(Draft.updated_at),
    )
    .where(col(Draft.member_id) == bindparam("member_id", type_=Integer))
    .order_by(col(Draft.updated_at).desc())
)


def drafts(session: Session, *, member_id: int) -> list[DraftView]:
    """The member's drafts, newest first (a read: plain rows)."""
    rows = session.connection().execute(_DRAFTS, {"member_id": member_id})
    return [DraftView(*row) for row in rows]


def get_draft(session: Session, *, member_id: int, context: str) -> DraftView | None:
    d = session.exec(
        select(Draft).where(Draft.member_id == member_id, Draft.context == context)
    ).first()
    return (
        None
        if d is None
        else DraftView(d.context, d.label, d.title, d.body, d.warning, d.updated_at)
    )


def delete_draft(session: Session, *, member_id: int, context: str) -> None:
    for d in session.exec(
        select(Draft).where(Draft.member_id == member_id, Draft.context == context)
    ).all():
        session.delete(d)
    session.flush()


# -- moderators (the admin screen's review queue) --------------------------------------
def review_post(session: Session, *, post_id: int) -> ModeratedItem:
    """A post as a reviewer sees it: its text, its board and thread, the posts around it."""
    post = session.get(Post, post_id)
    thread = session.get(Thread, post.thread_id) if post is not None else None
    if post is None or thread is None:
        return GONE
    board = session.get(Board, thread.board_id)
    where = f"board {board.name if board else '?'}, thread “{thread.title}”, post #{post.seq}"
    rows = session.exec(
        select(Post, Member.pseudonym)
        .join(Member, col(Member.id) == Post.author_id, isouter=True)
        .where(
            Post.thread_id == thread.id,
            col(Post.seq) >= post.seq - 2,
            col(Post.seq) <= post.seq + 1,
            Post.id != post.id,
            Post.status == PostStatus.VISIBLE.value,
        )
        .order_by(col(Post.seq))
    ).all()
    context = tuple(f"#{p.seq} {name or 'a former member'}: {p.body[:300]}" for p, name in rows)
    text = (thread.title + "\n" + post.body) if post.seq == 1 else post.body
    return ModeratedItem(text=text, where=where, context=context, status=post.status)


def moderate_post(session: Session, *, post_id: int, outcome: ReviewOutcome) -> None:
    """A moderator shows (approves), hides or removes a post; a first post carries its thread.

    A removed post keeps a placeholder that says the moderators removed it (its author
    also reads why, from the audit log); its words are gone, like a deleted post's.
    """
    post = session.get(Post, post_id)
    thread = session.get(Thread, post.thread_id) if post is not None else None
    if post is None or thread is None or post.status in GONE_STATUSES:
        return
    assert post.id is not None
    search.unindex_post(session, post.id)
    if outcome is ReviewOutcome.SHOW:
        first_published = post.status == PostStatus.HELD.value
        post.status = PostStatus.VISIBLE.value
        search.index_post(
            session, post.id, (thread.title + "\n" if post.seq == 1 else "") + post.body
        )
        if post.id > thread.last_post_id:
            thread.last_post_id = post.id
            thread.last_post_at = post.created_at
        if first_published and post.author_id is not None:
            # Held until now: its mentions, the reply to the thread's author and the
            # followers' news go out as they would have when it was written.
            _notify(
                session,
                author_id=post.author_id,
                thread=thread,
                post=post,
                mentions=mentions_in_body(post.body),
                new_thread=post.seq == 1,
            )
    elif outcome is ReviewOutcome.HIDE:
        post.status = PostStatus.HIDDEN.value
    else:
        post.status = PostStatus.REMOVED.value
        post.body = ""
        post.warning = ""
    if post.seq == 1:
        # A thread is visible, held or deleted: a removed first post takes its thread away.
        thread.status = (
            PostStatus.DELETED.value if post.status == PostStatus.REMOVED.value else post.status
        )
    session.add(post)
    session.add(thread)
    session.flush()


def posts_by(session: Session, *, author_id: int, limit: int = 10) -> list[PostView]:
    """A member's latest posts in any state, for moderators looking the member up."""
    rows = session.exec(
        select(Post, Member.pseudonym)
        .join(Member, col(Member.id) == Post.author_id, isouter=True)
        .where(Post.author_id == author_id)
        .order_by(col(Post.id).desc())
        .limit(limit)
    ).all()
    return [_post_view(p, name or said(FORMER_MEMBER), -1) for p, name in rows]

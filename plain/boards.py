"""Boards in line mode: boards, threads, reading page by page, writing, reactions, search.

A post with a content warning (or by someone the reader blocked) is printed folded: its
header and warning, and the number to type to open it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol

from bbs.accounts.blocks import BlockKind
from bbs.boards.records import (
    BODY_MAX,
    REACTIONS,
    BoardView,
    PostStatus,
    PostView,
    ThreadListPage,
    ThreadPage,
    ThreadView,
    posts_count,
    quote_head,
    threads_count,
)
from bbs.boards.service import Outcome
from bbs.i18n import LANGUAGE_NAMES, N_, Said
from plain.forms import (
    NONE_WORD,
    REPORTED,
    SAVED,
    TITLE_PROMPT,
    ask_text,
    confirm,
    read_body,
    send_kept,
)
from plain.menus import Command, command, list_loop, listing, numbered
from plain.session import PlainSession

# -- what members read ----------------------------------------------------------------
BOARDS_TITLE = N_("Boards:")
BOARDS_AGAIN = N_("Boards.")
BOARD_LINE = N_("{name}: {description} {threads}{following}")
UNREAD = N_(", {count} unread")
FOLLOWING = N_(", following")
BOARDS_PROMPT = N_(
    "Boards: type a board's number, S to search, W for content warnings, or 0 "
    "to go back (Enter lists them again): "
)
BOARDS_HINT = N_("Type one of the numbers shown, S, W or 0.")
THREADS_TITLE = N_("{board}{following}: threads, most recently active first.")
NO_THREADS = N_("No threads here yet. Type N to start one.")
THREAD_LINE = N_("{title}, by {author}. {posts}.{warning}{held}{blocked}")
THREAD_WARNING = N_(" Content warning: {warning}.")
THREAD_HELD = N_(" Held for review.")
THREAD_BLOCKED = N_(" You blocked its starter.")
THREADS_PROMPT = N_(
    "Threads: type a thread's number to read it, N for a new thread, {pages}F to "
    "follow or unfollow this board, 0 to go back: "
)
OLDER = N_("O for older threads, ")
NEWER = N_("L for newer threads, ")
THREADS_HINT = N_("Type a thread's number, N, F or 0{pages}.")
FOLLOWING_BOARD = N_("Following {board}: new threads there show under What is new.")
UNFOLLOWED_BOARD = N_("Stopped following {board}.")
THREAD_TITLE = N_("{title} (in {board}). {posts}.{warning}")
POST_HEADER = N_("Post {seq} by {author}, {when}{edited}:")
EDITED = N_(", edited")
POST_DELETED = N_("(This post was deleted by its author.)")
POST_REMOVED = N_("(This post was removed by the moderators.)")
POST_REMOVED_WHY = N_("Why, shown only to you: {reason}")
POST_HELD = N_("(Held for review: only you can see this for now.)")
POST_HIDDEN = N_("(Hidden by the moderators: only you can see it.)")
POST_HIDDEN_WHY = N_("Why: {reason}")
NEW_FROM_HERE = N_("-- New since you last read: --")
POST_WARNING = N_("Content warning: {warning}.")
POST_FOLDED = N_("Folded because of the warning: type {seq} to open it.")
POST_BLOCKED = N_("You blocked this member: type {seq} to show it anyway.")
REACTION_LINE = N_("Reactions: {reactions}.")
REACTION_MINE = N_(" (yours)")
THREAD_PROMPT = N_(
    "Thread: Enter for the next posts, R to reply, K for all commands, 0 to go back: "
)
THREAD_KEYS = N_(
    "In a thread you can type:\n"
    "Enter or N: the next posts. P: the posts before.\n"
    "A post's number, like 3: open that post if it is folded (or read it again).\n"
    "R: reply. Q and a number, like Q3: reply quoting that post.\n"
    "A and a number, like A3: react to that post (hug, me too, proud of you, thank you).\n"
    "X and a number: report that post to the moderators.\n"
    "W and a number: you are worried about that post's author (a priority alert for "
    "the moderators, never a report).\n"
    "E and a number: edit your post. D and a number: delete your post.\n"
    "B and a number: block or unblock that post's author.\n"
    "F: follow or unfollow this thread. 0: back to the threads."
)
END_OF_THREAD = N_("That is the last post for now. R replies; 0 goes back.")
START_OF_THREAD = N_("This is the first page.")
NO_SUCH_POST = N_("There is no post {seq} on this page. Type K for the commands.")
NEW_THREAD_TITLE = N_("New thread in {board}.")
WARNING_PROMPT = N_(
    "Content warning, if your post needs one (for example: self-harm), or Enter for none: "
)
BODY_INTRO_THREAD = N_("Now the text of your first post.")
BODY_INTRO_REPLY = N_("Your reply to {title}.")
BODY_INTRO_QUOTE = N_("Your reply begins with the quote from post {seq}; type what follows it.")

POSTED_THREAD = N_("Your thread is posted.")
POSTED_REPLY = N_("Your reply is posted as post {seq}.")
EDIT_INTRO = N_("Post {seq} now reads as below. Type the whole new text.")
EDIT_WARNING_PROMPT = N_(
    "Content warning (now: {warning}): Enter keeps it, type none to remove it, or type a new one: "
)
EDITED_DONE = N_("Post {seq} is changed.")
NOT_YOURS = N_("Post {seq} is not yours; you can edit and delete only your own posts.")
DELETE_QUESTION = N_("Delete post {seq}? Its words go for good; a note that it was deleted stays.")
DELETED_DONE = N_("Post {seq} is deleted.")
REACT_TITLE = N_("React to post {seq} by {author}:")
REACT_PROMPT = N_("Type a reaction's number (the same again takes it back), or 0: ")
REACTED = N_("You sent {label}.")
UNREACTED = N_("You took back {label}.")
REPORT_PROMPT = N_(
    "What is wrong with post {seq}? A moderator will look at it; the author is "
    "not told who reported it. Type the reason, or 0 to go back: "
)
WORRIED_PROMPT = N_(
    "Worried about {name}? The moderators get a priority alert and check in with them; "
    "they are not told who asked. What worries you (optional: Enter alone sends it "
    "without a note, 0 goes back)? "
)
CONCERN_THANKS = N_(
    "Thank you for looking out for them. The moderators have a priority alert and will "
    "check in with them; they are not told who asked. If someone is in danger right now, "
    "type help for crisis lines you can call for them, or for yourself."
)
BLOCK_QUESTION = N_(
    "Block {name}? Their posts fold up for you, and they cannot message, mention "
    "or react to you. They are not told."
)
UNBLOCK_QUESTION = N_("Unblock {name}?")
BLOCKED_DONE = N_("{name} is blocked.")
UNBLOCKED_DONE = N_("{name} is unblocked.")
FOLLOWING_THREAD = N_("Following this thread: replies show under What is new.")
UNFOLLOWED_THREAD = N_("Stopped following this thread.")
NEWS_TITLE = N_("What is new for you:")
NO_NEWS = N_("Nothing new for you on the boards right now.")
NEWS_MENTION = N_("{actor} mentioned you in {title} ({board})")
NEWS_THREAD = N_("New thread {title} in {board}")
NEWS_REPLY = N_("{actor} replied in {title} ({board})")
NEWS_PROMPT = N_("Type a number to read it, or 0 to go back: ")
SEARCH_PROMPT = N_("Search the boards: type words to find, or 0 to go back: ")
SEARCH_NONE = N_("Nothing found. Try fewer or other words.")
SEARCH_FOUND = N_("{count} found:")
HIT_LINE = N_("{title} ({board}), post {seq} by {author}: {snippet}")
HITS_PROMPT = N_("Type a number to read it, S to search again, or 0 to go back: ")
WARNINGS_TITLE = N_(
    "Content warnings: posts with a warning start folded so you choose to open them."
)
WARNINGS_NOW_ALL = N_("Now: every post with a warning starts folded.")
WARNINGS_NOW_SOME = N_("Now: warned posts open for you, except warnings with these words: {words}.")
WARNINGS_CHOICES = [
    N_("Fold every post with a warning"),
    N_("Open warned posts for me, except the warnings I list"),
]
WARNINGS_PROMPT = N_("Type 1 or 2, or 0 to keep things as they are: ")
WARNINGS_WORDS = N_(
    "Which warnings should always stay folded? Words separated by commas (Enter for none): "
)
# Singular and plural as two messages, as the boards screen and the privacy summary say
# them (one catalogue id cannot be both a single message and a plural entry).
FOLLOWING_MARK = N_(" (following)")


def name_of(s: PlainSession, name: str) -> str:
    """A member's name as it is; the core's words for someone gone (a `Said`) translated."""
    return s.t(name) if isinstance(name, Said) else name


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _counted(s: PlainSession, count: Said, *, unread: int = 0) -> str:
    """`3 threads`, `1 post`, and how many of them are unread when some are."""
    said = s.t(count)
    return said + s.t(UNREAD).format(count=unread) if unread else said


# -- boards ---------------------------------------------------------------------------
def _board_line(s: PlainSession, b: BoardView) -> str:
    # A board marked with a language says so in that language's own name (issue 20).
    mark = LANGUAGE_NAMES.get(b.language, "")
    return s.t(BOARD_LINE).format(
        name=f"{b.name} ({mark})" if mark else b.name,
        description=b.description,
        threads=_counted(s, threads_count(b.threads), unread=b.unread),
        following=s.t(FOLLOWING) if b.following else "",
    )


async def run(s: PlainSession) -> None:
    """The list of boards, then a board's threads."""
    console, boards = s.console, s.services.boards

    async def load() -> list[BoardView]:
        return await boards.board_list(s.member.id, first_language=s.language)

    async def show(found: list[BoardView]) -> str:
        return listing(s.t(BOARDS_TITLE), [_board_line(s, b) for b in found])

    async def act(answer: Command, found: list[BoardView]) -> bool | None:
        chosen = answer.pick(len(found))
        if answer.is_word("s", "search"):
            await search(s)
        elif answer.is_word("w", "warnings"):
            await warnings(s)
        elif chosen is None:
            return None
        else:
            await threads(s, found[chosen].id)
            await console.say(s.t(BOARDS_AGAIN))
        return False

    await list_loop(console, s.t(BOARDS_PROMPT), s.t(BOARDS_HINT), load=load, show=show, act=act)


def _thread_line(s: PlainSession, t: ThreadView) -> str:
    return s.t(THREAD_LINE).format(
        title=t.title,
        author=name_of(s, t.author),
        posts=_counted(s, posts_count(t.post_count), unread=t.unread),
        warning=s.t(THREAD_WARNING).format(warning=t.warning) if t.warning else "",
        held=s.t(THREAD_HELD) if t.status is PostStatus.HELD else "",
        blocked=s.t(THREAD_BLOCKED) if t.blocked else "",
    )


async def threads(s: PlainSession, board_id: int) -> None:
    """One board's threads, a page at a time; N starts a new thread."""
    console, boards = s.console, s.services.boards
    cursor: tuple[int | None, int | None] = (None, None)

    async def load() -> ThreadListPage:
        return await boards.thread_list(s.member.id, board_id, before=cursor[0], after=cursor[1])

    async def show(page: ThreadListPage) -> str:
        board = page.board
        lines = [
            s.t(THREADS_TITLE).format(
                board=board.name, following=s.t(FOLLOWING_MARK) if board.following else ""
            )
        ]
        if page.threads:
            lines.append(numbered([_thread_line(s, t) for t in page.threads]))
        else:
            lines.append(s.t(NO_THREADS))
        return "\n".join(lines)

    def prompt(page: ThreadListPage) -> str:
        return s.t(THREADS_PROMPT).format(
            pages=(s.t(OLDER) if page.older else "") + (s.t(NEWER) if page.newer else "")
        )

    def hint(page: ThreadListPage) -> str:
        return s.t(THREADS_HINT).format(pages=", O" if page.older else "")

    async def act(answer: Command, page: ThreadListPage) -> bool | None:
        nonlocal cursor
        board = page.board
        chosen = answer.pick(len(page.threads))
        if answer.is_word("n", "new"):
            await new_thread(s, board.id, board.name)
        elif answer.word in ("o", "older") and page.older is not None:
            cursor = (page.older, None)
        elif answer.word in ("l", "newer") and page.newer is not None:
            cursor = (None, page.newer)
        elif answer.is_word("f", "follow"):
            await boards.follow(s.member.id, "board", board.id, not board.following)
            said = s.t(UNFOLLOWED_BOARD) if board.following else s.t(FOLLOWING_BOARD)
            await console.say(said.format(board=board.name))
            return False
        elif chosen is not None:
            await read_thread(s, page.threads[chosen].id)
        else:
            return None
        return True

    await list_loop(console, prompt, hint, load=load, show=show, act=act)


# -- a thread -------------------------------------------------------------------------
def post_text(s: PlainSession, post: PostView, *, opened: bool) -> str:
    """One post as lines: header, states, warning, the body or how to open it, reactions."""
    lines = [
        s.t(POST_HEADER).format(
            seq=post.seq,
            author=name_of(s, post.author),
            when=when(post.created_at),
            edited=s.t(EDITED) if post.edited else "",
        )
    ]
    if post.status is PostStatus.DELETED:
        lines.append(s.t(POST_DELETED))
        return "\n".join(lines)
    if post.status is PostStatus.REMOVED:
        lines.append(s.t(POST_REMOVED))
        if post.removed_because:
            lines.append(s.t(POST_REMOVED_WHY).format(reason=post.removed_because))
        return "\n".join(lines)
    if post.status is PostStatus.HELD:
        lines.append(s.t(POST_HELD))
    elif post.status is PostStatus.HIDDEN:
        lines.append(s.t(POST_HIDDEN))
        if post.removed_because:
            lines.append(s.t(POST_HIDDEN_WHY).format(reason=post.removed_because))
    if post.warning:
        lines.append(s.t(POST_WARNING).format(warning=post.warning))
    if post.collapsed and not opened:
        folded = s.t(POST_BLOCKED) if post.collapsed == "blocked" else s.t(POST_FOLDED)
        lines.append(folded.format(seq=post.seq))
    else:
        lines.append(post.body)
    if post.reactions:
        lines.append(
            s.t(REACTION_LINE).format(
                reactions=", ".join(
                    f"{s.t(r.label)} {r.count}" + (s.t(REACTION_MINE) if r.mine else "")
                    for r in post.reactions
                )
            )
        )
    return "\n".join(lines)


class _Thread:
    """What the reader holds while in one thread."""

    def __init__(self, s: PlainSession, thread_id: int) -> None:
        self.s = s
        self.thread_id = thread_id
        self.page: ThreadPage | None = None

    async def load(
        self, *, after_seq: int | None = None, before_seq: int | None = None
    ) -> ThreadPage:
        self.page = await self.s.services.boards.thread_page(
            self.s.member.id, self.thread_id, after_seq=after_seq, before_seq=before_seq
        )
        return self.page

    async def show(self, page: ThreadPage) -> None:
        """Print a page; when it opens with already-read posts for context, a line marks
        where the unread ones begin."""
        first_unread = page.last_read_seq + 1
        first_new = next((p.seq for p in page.posts if p.seq >= first_unread), None)
        context = bool(page.posts) and page.posts[0].seq < first_unread
        parts: list[str] = []
        for p in page.posts:
            if context and p.seq == first_new:
                parts.append(self.s.t(NEW_FROM_HERE))
            parts.append(post_text(self.s, p, opened=False))
        await self.s.console.say("\n\n".join(parts))

    def post(self, seq: int | None) -> PostView | None:
        if self.page is None or seq is None:
            return None
        return next((p for p in self.page.posts if p.seq == seq), None)


async def read_thread(s: PlainSession, thread_id: int, *, at_seq: int | None = None) -> None:
    """Read a thread from the first unread post (or `at_seq`), a page at a time."""
    console = s.console
    reader = _Thread(s, thread_id)
    page = await reader.load(after_seq=at_seq - 1 if at_seq else None)
    thread = page.thread
    await console.say(
        s.t(THREAD_TITLE).format(
            title=thread.title,
            board=thread.board_name,
            posts=_counted(s, posts_count(thread.post_count)),
            warning=s.t(THREAD_WARNING).format(warning=thread.warning) if thread.warning else "",
        )
    )
    await reader.show(page)
    while True:
        answer = command(await console.ask(s.t(THREAD_PROMPT)))
        page = reader.page or page
        word, number = answer.word, answer.number
        if answer.back:
            return
        if answer.empty or (word in ("n", "next") and number is None):
            if page.has_after and page.posts:
                await reader.show(await reader.load(after_seq=page.posts[-1].seq))
            else:
                await console.say(s.t(END_OF_THREAD))
        elif word in ("p", "previous") and number is None:
            if page.has_before and page.posts:
                await reader.show(await reader.load(before_seq=page.posts[0].seq))
            else:
                await console.say(s.t(START_OF_THREAD))
        elif word in ("k", "keys", "commands"):
            await console.say(s.t(THREAD_KEYS))
        elif word in ("r", "reply") and number is None:
            await reply(s, reader)
        elif word in ("f", "follow") and number is None:
            following = page.thread.following
            await s.services.boards.follow(s.member.id, "thread", thread_id, not following)
            await console.say(s.t(UNFOLLOWED_THREAD) if following else s.t(FOLLOWING_THREAD))
            await reader.load(after_seq=page.posts[0].seq - 1 if page.posts else None)
        elif number is not None and word in (
            "",
            "a",
            "react",
            "x",
            "report",
            "w",
            "worried",
            "e",
            "edit",
            "d",
            "delete",
            "b",
            "block",
            "q",
            "quote",
        ):
            post = reader.post(number)
            if post is None:
                await console.say(s.t(NO_SUCH_POST).format(seq=number))
            elif word == "":
                await console.say(post_text(s, post, opened=True))
            else:
                await _on_post(s, reader, word, post)
        else:
            await console.say(s.t(THREAD_KEYS))


async def _on_post(s: PlainSession, reader: _Thread, word: str, post: PostView) -> None:
    console, boards, member = s.console, s.services.boards, s.member
    if word in ("a", "react"):
        await react(s, reader, post)
    elif word in ("x", "report"):
        reason = await ask_text(console, s.t(REPORT_PROMPT).format(seq=post.seq))
        if reason is not None:
            await boards.report_post(member.id, post.id, reason)
            await console.say(s.t(REPORTED))
    elif word in ("w", "worried"):
        note = (await console.ask(s.t(WORRIED_PROMPT).format(name=post.author))).strip()
        if note != "0":
            await boards.raise_concern(member.id, post.id, note)
            await console.say(s.t(CONCERN_THANKS))
    elif word in ("q", "quote"):
        await reply(s, reader, quote=post)
    elif word in ("e", "edit", "d", "delete") and not post.mine:
        await console.say(s.t(NOT_YOURS).format(seq=post.seq))
    elif word in ("e", "edit"):
        await edit(s, reader, post)
    elif word in ("d", "delete"):
        if await confirm(console, s.t(DELETE_QUESTION).format(seq=post.seq)):
            await boards.delete(member.id, post.id)
            await console.say(s.t(DELETED_DONE).format(seq=post.seq))
            await reader.load(after_seq=post.seq - 1)
    elif word in ("b", "block") and post.author_id is not None and not post.mine:
        blocked, _muted = await s.services.mail.is_blocked(member.id, post.author_id)
        question = s.t(UNBLOCK_QUESTION) if blocked else s.t(BLOCK_QUESTION)
        if await confirm(console, question.format(name=post.author)):
            await s.services.mail.set_block(member.id, post.author_id, BlockKind.BLOCK, not blocked)
            await console.say(
                (s.t(UNBLOCKED_DONE) if blocked else s.t(BLOCKED_DONE)).format(name=post.author)
            )


async def react(s: PlainSession, reader: _Thread, post: PostView) -> None:
    console = s.console
    if post.status is not PostStatus.VISIBLE:
        await console.say(s.t(NO_SUCH_POST).format(seq=post.seq))
        return
    await console.say(
        listing(
            s.t(REACT_TITLE).format(seq=post.seq, author=post.author),
            [s.t(label) for _kind, label in REACTIONS],
        )
    )
    chosen = command(await console.ask(s.t(REACT_PROMPT))).pick(len(REACTIONS))
    if chosen is None:
        return
    kind, label = REACTIONS[chosen]
    on_now = await s.services.boards.react(s.member.id, post.id, kind)
    await console.say((s.t(REACTED) if on_now else s.t(UNREACTED)).format(label=s.t(label)))
    await reader.load(after_seq=post.seq - 1)


async def tell_outcome(s: PlainSession, outcome: Outcome, done: str) -> None:
    """The crisis note or the hold note when there is one (at once), else `done`."""
    await s.console.say(s.t(outcome.note) if outcome.note else done)


async def _write_post(
    s: PlainSession, intro: str, send: Callable[[str, str], Awaitable[Outcome]]
) -> Outcome | None:
    """A content warning (maybe none) and a post's text, sent by `send(warning, body)` and
    kept for another try when sending fails; None when the member cancels or gives up."""
    warning = (await s.console.ask(s.t(WARNING_PROMPT))).strip()
    body = await read_body(s.console, intro, limit=BODY_MAX)
    if body is None:
        return None
    return await send_kept(s.console, lambda: send(warning, body))


async def reply(s: PlainSession, reader: _Thread, *, quote: PostView | None = None) -> None:
    page = reader.page
    if page is None:
        return
    intro = s.t(BODY_INTRO_REPLY).format(title=page.thread.title)
    start = ""
    if quote is not None and quote.status is not PostStatus.DELETED:
        quoted = "\n".join("> " + line for line in quote.body.splitlines()[:20])
        start = quote_head(quote.author, s.language) + "\n" + quoted + "\n\n"
        intro = s.t(BODY_INTRO_QUOTE).format(seq=quote.seq)
    outcome = await _write_post(
        s,
        intro,
        lambda warning, body: s.services.boards.reply(
            s.member.id, reader.thread_id, body=start + body, warning=warning
        ),
    )
    if outcome is None:
        return
    seq = outcome.post.seq if outcome.post else 0
    await tell_outcome(s, outcome, s.t(POSTED_REPLY).format(seq=seq))
    await reader.load(before_seq=seq + 1)


async def new_thread(s: PlainSession, board_id: int, board_name: str) -> None:
    console = s.console
    await console.say(s.t(NEW_THREAD_TITLE).format(board=board_name))
    title = await ask_text(console, s.t(TITLE_PROMPT))
    if title is None:
        return
    outcome = await _write_post(
        s,
        s.t(BODY_INTRO_THREAD),
        lambda warning, body: s.services.boards.create_thread(
            s.member.id, board_id, title=title, body=body, warning=warning
        ),
    )
    if outcome is not None:
        await tell_outcome(s, outcome, s.t(POSTED_THREAD))


async def edit(s: PlainSession, reader: _Thread, post: PostView) -> None:
    console = s.console
    await console.say(s.t(EDIT_INTRO).format(seq=post.seq) + "\n" + post.body)
    warning = post.warning
    if post.warning:
        answer = (await console.ask(s.t(EDIT_WARNING_PROMPT).format(warning=post.warning))).strip()
        if answer.lower() in console.words(NONE_WORD, NONE_WORD):
            warning = ""
        elif answer:
            warning = answer
    else:
        warning = (await console.ask(s.t(WARNING_PROMPT))).strip()
    body = await read_body(console, "", limit=BODY_MAX)
    if body is None:
        return
    title = reader.page.thread.title if reader.page is not None and post.seq == 1 else None
    outcome = await s.services.boards.edit(
        s.member.id, post.id, body=body, warning=warning, title=title
    )
    await tell_outcome(s, outcome, s.t(EDITED_DONE).format(seq=post.seq))
    await reader.load(after_seq=post.seq - 1)


# -- what is new, search, warnings ----------------------------------------------------
class _AtPost(Protocol):
    """A line that points at a post: a piece of news, a search hit."""

    @property
    def thread_id(self) -> int: ...

    @property
    def seq(self) -> int: ...


async def _open_picked(s: PlainSession, answer: Command, places: Sequence[_AtPost]) -> None:
    """The thread at the post numbered in `answer`, if it numbers one of `places`."""
    chosen = answer.pick(len(places))
    if chosen is not None:
        await read_thread(s, places[chosen].thread_id, at_seq=places[chosen].seq)


async def whats_new(s: PlainSession) -> None:
    console = s.console
    while True:
        news = await s.services.boards.whats_new(s.member.id)
        if not news:
            await console.say(s.t(NO_NEWS))
            return
        lines = []
        for n in news:
            text = s.t(NEWS_REPLY)
            if n.kind == "mention":
                text = s.t(NEWS_MENTION)
            elif n.kind == "new_thread":
                text = s.t(NEWS_THREAD)
            lines.append(text.format(actor=n.actor, title=n.thread_title, board=n.board_name))
        await console.say(listing(s.t(NEWS_TITLE), lines))
        answer = command(await console.ask(s.t(NEWS_PROMPT)))
        if answer.back or answer.empty:
            return
        await _open_picked(s, answer, news)


async def search(s: PlainSession) -> None:
    console = s.console
    while True:
        query = await ask_text(console, s.t(SEARCH_PROMPT))
        if query is None:
            return
        hits = await s.services.boards.search(s.member.id, query)
        if not hits:
            await console.say(s.t(SEARCH_NONE))
            continue
        lines = [
            s.t(HIT_LINE).format(
                title=h.thread_title,
                board=h.board_name,
                seq=h.seq,
                author=h.author,
                snippet=h.snippet,
            )
            for h in hits
        ]
        await console.say(listing(s.t(SEARCH_FOUND).format(count=len(hits)), lines))
        while True:
            answer = command(await console.ask(s.t(HITS_PROMPT)))
            if answer.back:
                return
            if answer.word in ("s", "search") or answer.empty:
                break
            await _open_picked(s, answer, hits)


async def warnings(s: PlainSession) -> None:
    console, boards = s.console, s.services.boards
    prefs = await boards.reader_prefs(s.member.id)
    now = (
        s.t(WARNINGS_NOW_SOME).format(words=", ".join(prefs.always_collapsed) or s.t(NONE_WORD))
        if prefs.expand_warnings
        else s.t(WARNINGS_NOW_ALL)
    )
    await console.say(
        s.t(WARNINGS_TITLE)
        + "\n"
        + now
        + "\n"
        + numbered([s.t(choice) for choice in WARNINGS_CHOICES])
    )
    answer = command(await console.ask(s.t(WARNINGS_PROMPT)))
    if answer.number == 1 and not answer.word:
        await boards.set_reader_prefs(
            s.member.id, expand_warnings=False, always_collapsed=prefs.always_collapsed
        )
    elif answer.number == 2 and not answer.word:
        words = [
            w.strip() for w in (await console.ask(s.t(WARNINGS_WORDS))).split(",") if w.strip()
        ]
        await boards.set_reader_prefs(s.member.id, expand_warnings=True, always_collapsed=words)
    else:
        return
    await console.say(s.t(SAVED))

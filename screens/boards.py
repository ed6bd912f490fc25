"""Boards: the board list, a board's threads, a thread's posts, reactions and search."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.layout import DockArrangeResult
from textual.screen import ModalScreen
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from bbs.accounts.blocks import BlockKind
from bbs.boards.records import (
    GONE_STATUSES,
    REACTIONS,
    PostError,
    PostStatus,
    PostView,
    ThreadPage,
    ThreadView,
    posts_count,
    quote_head,
    threads_count,
)
from bbs.boards.search import SearchHit
from bbs.errors import StoreBusyError
from bbs.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, N_, Said, format_moment, format_number
from bbs.moderation_queue.flags import CONCERN_THANKS
from bbs.text_safety import clean_line, clean_text, truncate_display
from screens.base import SAVE_KEY, BBSScreen, ForumPanel, PanelScreen, ReloadingPanel
from screens.compose import (
    REPORT_THANKS,
    ComposeTarget,
    ConfirmScreen,
    confirm_then,
    tell_moderators,
    write,
)
from screens.tcss import default_css
from screens.widgets import PlainText, TextField, Tick, session_text
from screens.widgets import styled_line as _line

if TYPE_CHECKING:
    from datetime import datetime

    from bbs.boards.service import BoardService
    from bbs.mail.service import MailService

# A content warning, shortened, after a thread's title.
WARNING_TAG = N_("[CW: {warning}]")
CONTENT_WARNING = N_("Content warning: ")
FOLLOWING = N_(" (following)")
# The core's reaction labels (bbs.boards.records.REACTIONS), marked here so the
# catalogues carry them: the screens say them in the reader's language.
REACTION_NAMES = (N_("hug"), N_("me too"), N_("proud of you"), N_("thank you"))
# Counts shared with plain/boards.py, whose catalogue entries are one message each (not
# ngettext pairs: the same msgid cannot be both), chosen by `_counted`.


def _when(widget: Widget, when: datetime) -> str:
    """A stored date and time as the language of the session showing `widget` writes it."""
    moment = getattr(widget.app, "moment", None)
    return str(moment(when)) if callable(moment) else format_moment(when, DEFAULT_LANGUAGE)


def _number(screen: BBSScreen[Any], count: int) -> str:
    """`count` as the member's language writes numbers (1,000 / 1.000)."""
    return format_number(count, screen.bbs.language)


def _counted(screen: BBSScreen[Any], said: Said) -> str:
    """A count said in the member's language (its plural form, its way of writing numbers)."""
    return screen.t(said)


class BoardsScreen(ForumPanel, ReloadingPanel):
    """Every open board with its unread count; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "follow", "Follow"),
        Binding("slash,s", "search", "Search"),
        Binding("w", "warnings", "Warnings"),
    ]
    DEFAULT_CSS = default_css(__file__, "BoardsScreen")
    FOCUS_ID = "boards"

    def __init__(self, *, boards: BoardService, mail: MailService) -> None:
        super().__init__(boards=boards, mail=mail)
        self._following: set[int] = set()  # the boards listed that the member follows

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Boards")), classes="title")
        yield OptionList(id="boards")
        yield from self.footer(
            N_(" Enter open  F follow  / search  W content warnings  Esc back  F1 help")
        )

    async def reload(self) -> None:
        # Boards marked with the member's language come first (issue 20: finding one's people).
        listed = self._boards.board_list(self.member_id, first_language=self.bbs.language)
        if (got := await self.tried(listed)) is None:
            return
        listing = got.value
        self._following = {board.id for board in listing if board.following}
        options = []
        for board in listing:
            name = truncate_display(board.name, 24)
            unread = (
                self.bbs.ngettext("{count} new", "{count} new", board.unread).format(
                    count=_number(self, board.unread)
                )
                if board.unread
                else ""
            )
            threads = _counted(self, threads_count(board.threads))
            prompt = _line(
                (name.ljust(26), "bold" if board.unread else ""),
                f"{threads:>13}  ",
                (f"{unread:<10}", "bold"),
                self.t(N_(" following")) if board.following else "",
                # A language's own name, so its speakers find it whatever they read in.
                f"  · {LANGUAGE_NAMES[board.language]}" if board.language in LANGUAGE_NAMES else "",
            )
            options.append(Option(prompt, id=str(board.id)))
        self.show_options("boards", options, keep=True)

    @on(OptionList.OptionSelected, "#boards")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.open_chosen(event, lambda n: ThreadListScreen(n, boards=self._boards, mail=self._mail))

    async def action_follow(self) -> None:
        options = self.query_one("#boards", OptionList)
        if options.highlighted is None:
            return
        option = options.get_option_at_index(options.highlighted)
        member = self.bbs.member
        assert member is not None and option.id is not None
        following = int(option.id) in self._following
        await self._boards.follow(member.id, "board", int(option.id), not following)
        self.say(
            N_("Stopped following that board.")
            if following
            else N_("Following: new threads there will show on your home screen.")
        )
        await self.reload()

    def action_search(self) -> None:
        self.app.push_screen(SearchScreen(boards=self._boards, mail=self._mail))

    def action_warnings(self) -> None:
        self.app.push_screen(WarningPrefsScreen(boards=self._boards))


class ThreadListScreen(ForumPanel):
    """A board's threads, most recently active first, one page at a time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_thread", "New thread"),
        Binding("right_square_bracket,pagedown", "older", "Older", show=False),
        Binding("left_square_bracket,pageup", "newer", "Newer", show=False),
        Binding("f", "follow", "Follow"),
    ]
    DEFAULT_CSS = default_css(__file__, "ThreadListScreen")

    def __init__(self, board_id: int, *, boards: BoardService, mail: MailService) -> None:
        super().__init__(boards=boards, mail=mail)
        self.board_id = board_id
        self.board_name = ""
        self._older: int | None = None
        self._newer: int | None = None
        self._cursor: tuple[int | None, int | None] = (None, None)
        self._following = False

    def compose(self) -> ComposeResult:
        yield PlainText("", classes="title", id="board-title")
        yield OptionList(id="threads")
        yield from self.footer(
            N_(" Enter read  N new thread  ]/[ older/newer page  F follow  Esc back")
        )

    async def on_mount(self) -> None:
        await self.load()
        self.query_one("#threads", OptionList).focus()

    async def on_screen_resume(self) -> None:
        await self.load(*self._cursor)

    async def load(self, before: int | None = None, after: int | None = None) -> None:
        try:
            page = await self._boards.thread_list(
                self.member_id, self.board_id, before=before, after=after
            )
        except (PostError, StoreBusyError) as error:
            self.say(error)
            return
        self._cursor = (before, after)
        self._older, self._newer = page.older, page.newer
        self._following = page.board.following
        self.board_name = page.board.name
        self.query_one("#board-title", PlainText).show(
            page.board.name + (self.t(FOLLOWING) if page.board.following else "")
        )
        self.show_options(
            "threads",
            [Option(_thread_line(self, thread), id=str(thread.id)) for thread in page.threads],
        )
        if not page.threads:
            self.say(N_("No threads yet. Press N to start one."))
        else:
            if page.older and page.newer:
                self.say(N_("] older  [ newer"))
            elif page.older:
                self.say(N_("] older"))
            elif page.newer:
                self.say(N_("[ newer"))
            else:
                self.say("")

    @on(OptionList.OptionSelected, "#threads")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.open_chosen(event, lambda n: ThreadScreen(n, boards=self._boards, mail=self._mail))

    async def action_older(self) -> None:
        if self._older is not None:
            await self.load(before=self._older)

    async def action_newer(self) -> None:
        if self._newer is not None:
            await self.load(after=self._newer)

    @work(exclusive=True, group="dialog")
    async def action_new_thread(self) -> None:
        label = self.t(N_("New thread in {board}")).format(board=self.board_name)
        target = ComposeTarget("thread", self.board_id, label, with_title=True)
        await write(self, target, boards=self._boards, mail=self._mail)

    async def action_follow(self) -> None:
        await self._boards.follow(self.member_id, "board", self.board_id, not self._following)
        await self.load(*self._cursor)


def _thread_line(screen: BBSScreen[Any], thread: ThreadView) -> Content:
    t, ngettext = screen.t, screen.bbs.ngettext
    marker = ("* ", "bold") if thread.unread else "  "
    title = t(N_("(a member you blocked)")) if thread.blocked else thread.title
    warning = (
        " " + t(WARNING_TAG).format(warning=truncate_display(thread.warning, 20))
        if thread.warning
        else ""
    )
    held = {
        PostStatus.HELD: N_(" (held for review)"),
        PostStatus.HIDDEN: N_(" (hidden by the moderators)"),
    }.get(thread.status)
    held = t(held) if held else ""
    width = 44 - len(warning) - len(held)
    counts = _counted(screen, posts_count(thread.post_count))
    if thread.unread:
        unread = ngettext("{count} new", "{count} new", thread.unread)
        counts += ", " + unread.format(count=_number(screen, thread.unread))
    return _line(
        marker,
        (truncate_display(title, max(10, width)), "bold" if thread.unread else ""),
        warning,
        held,
        "  ",
        truncate_display(thread.author, 14),
        "  ",
        counts,
    )


REPORT_QUESTION = N_(
    "What is wrong with this post? A moderator will look at it. "
    "The author is not told who reported it."
)
WORRIED_QUESTION = N_(
    "Worried about {name}? Moderators get a priority alert and "
    "check in with them; they are not told who asked. What worries you "
    "(optional, Enter sends, Esc cancels)?"
)
# A post's state as noted under its header, and the label before the moderators' reason
# (which only the author is shown); a post deleted or removed shows nothing more.
STATUS_NOTES: dict[PostStatus, tuple[str, str | None]] = {
    PostStatus.DELETED: (N_("(This post was deleted by its author.)"), None),
    PostStatus.REMOVED: (
        N_("(This post was removed by the moderators.)"),
        N_("Why, shown only to you: "),
    ),
    PostStatus.HELD: (N_("(Held for review: only you can see this for now.)"), None),
    PostStatus.HIDDEN: (N_("(Hidden by the moderators: only you can see it.)"), N_("Why: ")),
}
GONE = (PostStatus.DELETED, PostStatus.REMOVED)


class PostWidget(Static, can_focus=True):
    """One post; warned and blocked posts are folded until the reader opens them."""

    DEFAULT_CSS = default_css(__file__, "PostWidget")

    def __init__(self, post: PostView, *, opened: bool, gap: bool = False) -> None:
        super().__init__(markup=False)
        self.post = post
        self.opened = opened
        self.gap = gap
        self.update(self.render_post())

    def render_post(self) -> Content:
        post = self.post

        def t(message: str) -> str:
            return session_text(self, message)

        def note(message: str) -> Content:
            return Content(t(message)).stylize("italic")

        header = _line(
            (f"#{post.seq} ", "bold"),
            (post.author, "bold"),
            "  ",
            _when(self, post.created_at),
            "  " + t(N_("(edited)")) if post.edited else "",
        )
        parts = [header]
        if post.status in STATUS_NOTES:
            said, why = STATUS_NOTES[post.status]
            parts.append(note(said))
            if why and post.removed_because:
                parts.append(_line((t(why), "italic"), clean_line(post.removed_because)))
        if post.status not in GONE:
            if post.warning:
                parts.append(_line((t(CONTENT_WARNING), "bold"), post.warning))
            if not self.opened:
                parts.append(
                    note(
                        N_("You blocked this member. Press O to show it anyway.")
                        if post.collapsed == "blocked"
                        else N_("Folded because of the warning. Press O to open it.")
                    )
                )
            else:
                parts.append(Content(clean_text(post.body)))
            if post.reactions:
                mine = t(N_(" (you)"))
                parts.append(
                    _line(
                        "  ".join(
                            f"{t(r.label)} {r.count}" + (mine if r.mine else "")
                            for r in post.reactions
                        )
                    )
                )
        if self.gap:
            parts.append(note(N_("(Replies in between are on earlier pages: P goes back.)")))
        return Content("\n").join(parts)

    def show(self, post: PostView, *, opened: bool, gap: bool = False) -> None:
        """Show `post` (this one as it is now, or another), opened or folded; redraw if new."""
        if post == self.post and opened == self.opened and gap == self.gap:
            return
        self.post = post
        self.opened = opened
        self.gap = gap
        self.update(self.render_post())

    def toggle_open(self) -> None:
        self.opened = not self.opened
        self.update(self.render_post())


class PostsBox(VerticalScroll):
    """A thread page's posts, drawn at their final place from the page's first frame.

    `pin` names the post to read first. Each arrangement of the posts (the layout itself)
    scrolls so that post is at the top of the view, or the view starts at the page's top
    when that post fits on screen with everything above it, so no frame is ever drawn at
    the top of a page that belongs further down. Scrolling the page by hand (or moving
    to another post) lets go of the pin. Where a post will be is only known in the layout:
    scrolling after it draws the page twice, first at the wrong place.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pinned: int | None = None

    def pin(self, seq: int) -> None:
        """Keep post `seq` (or the first after it, or the last post) at the top of the view."""
        self._pinned = seq
        self.refresh(layout=True)

    def unpin(self) -> None:
        self._pinned = None

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # Pinning sets the offset without watchers: any change seen here is someone else's.
        super().watch_scroll_y(old_value, new_value)
        self._pinned = None

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        arrangement = super().arrange(size, optimal)
        if self._pinned is not None:
            self._scroll_to_pin(arrangement, size)
        return arrangement

    def _scroll_to_pin(self, arrangement: DockArrangeResult, size: Size) -> None:
        # Each post's region in the page and its widget, top to bottom.
        posts = sorted(
            (
                (p.region, p.widget)
                for p in arrangement.placements
                if isinstance(p.widget, PostWidget)
            ),
            key=lambda placed: placed[0].y,
        )
        if not posts or self._pinned is None:
            return
        wanted = self._pinned
        region = next((r for r, w in posts if w.post.seq >= wanted), posts[-1][0])
        top = posts[0][0].y
        y = top if region.bottom - top <= size.height else region.y
        y = max(0, min(y, arrangement.spatial_map.total_region.bottom - size.height))
        if y != self.scroll_y:
            self.set_reactive(Widget.scroll_y, float(y))
            self.set_reactive(Widget.scroll_target_y, float(y))
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.set_reactive(ScrollBar.position, float(y))


class ThreadScreen(ForumPanel):
    """A thread, a page of posts at a time, opening at the first unread post: under the
    thread's first post and after the posts just before it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Previous post", show=False),
        Binding("down,j", "move(1)", "Next post", show=False),
        Binding("r", "reply", "Reply"),
        Binding("c", "quote", "Quote"),
        Binding("o,enter", "open", "Open"),
        Binding("a", "react", "React"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("exclamation_mark", "report", "Report"),
        Binding("w", "worried", "Worried about them"),
        Binding("b", "block", "Block"),
        Binding("f", "follow", "Follow"),
        Binding("n,pagedown,right_square_bracket", "next_page", "Next page", show=False),
        Binding("p,pageup,left_square_bracket", "previous_page", "Previous page", show=False),
    ]
    DEFAULT_CSS = default_css(__file__, "ThreadScreen")

    def __init__(
        self, thread_id: int, *, at_seq: int | None = None, boards: BoardService, mail: MailService
    ) -> None:
        super().__init__(boards=boards, mail=mail)
        self.thread_id = thread_id
        self.page: ThreadPage | None = None
        self._at_seq = at_seq

    def compose(self) -> ComposeResult:
        yield PlainText("", classes="title", id="thread-title")
        yield PostsBox(id="posts")
        yield from self.footer(
            N_(
                " R reply  C quote  A react  O open  E edit  D delete  N/P next/previous page\n"
                " W worried about them  ! report  B block  F follow  Esc back  F1 help"
            )
        )

    async def on_mount(self) -> None:
        # Opened: at the given post, or at the first unread one; with the first post above.
        await self.load(at_seq=self._at_seq, focus_seq=self._at_seq)

    async def load(
        self,
        *,
        after_seq: int | None = None,
        before_seq: int | None = None,
        at_seq: int | None = None,
        focus_seq: int | None = None,
        with_first: bool | None = None,
        note: str = "",
    ) -> None:
        """Show a page (see BoardService.thread_page) with post `focus_seq` (else the first
        unread post, else the last) at the top of the view, and `note` kept in the status."""
        try:
            page = await self._boards.thread_page(
                self.member_id,
                self.thread_id,
                after_seq=after_seq,
                before_seq=before_seq,
                at_seq=at_seq,
                with_first=with_first,
            )
        except (PostError, StoreBusyError) as error:
            self.say(" ".join(part for part in (note, self.t(error)) if part))
            return
        first_unread = page.last_read_seq + 1
        self.page = page
        thread = page.thread
        following = self.t(N_(", following")) if thread.following else ""
        where = f"  ({thread.board_name}{following})"
        warning = (
            "  " + self.t(WARNING_TAG).format(warning=truncate_display(thread.warning, 24))
            if thread.warning
            else ""
        )
        room = max(20, 76 - len(where) - len(warning))
        self.query_one("#thread-title", PlainText).show(
            truncate_display(clean_line(thread.title), room) + warning + where
        )
        box = self.query_one("#posts", PostsBox)
        wanted = focus_seq if focus_seq is not None else first_unread
        shown = ((page.first,) if page.first is not None else ()) + page.posts
        # The page is drawn once, complete: posts, focus and status together, with the
        # post to read first pinned to the top of the view in the layout that places it.
        with self.app.batch_update():
            box.pin(wanted)
            widgets = await self._show_posts(
                box, shown, gap=page.first is not None and page.has_before
            )
            if widgets:
                target = next((w for w in widgets if w.post.seq >= wanted), widgets[-1])
                self.set_focus(target, scroll_visible=False)
                more = (
                    N_("N next page  P previous page")
                    if page.has_after and page.has_before
                    else N_("N next page")
                    if page.has_after
                    else N_("P previous page")
                    if page.has_before
                    else ""
                )
                unread = sum(1 for w in widgets if w.post.seq >= first_unread and not w.post.mine)
                new = (
                    self.bbs.ngettext("{count} new.", "{count} new.", unread).format(
                        count=_number(self, unread)
                    )
                    if unread
                    else ""
                )
                self.say(" ".join(part for part in (note, new, self.t(more)) if part))
            else:
                nothing = self.t(N_("Nothing to show here."))
                self.say(" ".join(part for part in (note, nothing) if part))
        self.check_idle()  # the screen's update waited for the batch: now it may run

    async def _reload(self, *, focus_seq: int, note: str = "") -> None:
        """Read the page on screen again (after a reaction, a block, a follow)."""
        if self.page is None or not self.page.posts:
            await self.load(at_seq=focus_seq, focus_seq=focus_seq, note=note)
            return
        await self.load(
            after_seq=self.page.posts[0].seq - 1,
            focus_seq=focus_seq,
            with_first=self.page.first is not None,
            note=note,
        )

    async def _show_posts(
        self, box: PostsBox, posts: tuple[PostView, ...], *, gap: bool = False
    ) -> list[PostWidget]:
        """Show `posts` in order in the widgets already on the page, one post per place.

        The page's widgets stay where they are and take the posts now in their places;
        a post still on the page stays as the reader left it (opened or folded). Moving
        through a thread or replying in a busy one redraws the page's widgets instead of
        throwing them away (dead widgets wait for the cyclic collector, and a page of them
        per reply was most of the server's memory growth under load). Widgets are made
        only when the page grows and removed only when it shrinks. `gap` marks the first
        post as standing apart from the posts after it (the thread's first post, shown
        above a page further on).
        """
        current = list(box.query_children(PostWidget))
        left_as = {w.post.id: (w.post.collapsed, w.opened) for w in current}
        widgets: list[PostWidget] = []
        made: list[PostWidget] = []
        for place, post in enumerate(posts):
            collapsed, opened = left_as.get(post.id, (post.collapsed, not post.collapsed))
            if collapsed != post.collapsed:  # folded or unfolded since: as it comes now
                opened = not post.collapsed
            if place < len(current):
                widget = current[place]
                widget.show(post, opened=opened, gap=gap and place == 0)
            else:
                widget = PostWidget(post, opened=opened, gap=gap and place == 0)
                made.append(widget)
            widgets.append(widget)
        if len(current) > len(posts):
            await box.remove_children(current[len(posts) :])
        if made:
            await box.mount_all(made)
        return widgets

    def _focused(self) -> PostWidget | None:
        focused = self.focused
        return focused if isinstance(focused, PostWidget) else None

    def action_move(self, step: int) -> None:
        widgets = list(self.query(PostWidget))
        if not widgets:
            return
        current = self._focused()
        index = widgets.index(current) if current in widgets else 0
        index = max(0, min(len(widgets) - 1, index + step))
        box = self.query_one("#posts", PostsBox)
        box.unpin()
        widgets[index].focus()
        box.scroll_to_widget(widgets[index], animate=False)

    async def action_next_page(self) -> None:
        if self.page and self.page.has_after and self.page.posts:
            await self.load(after_seq=self.page.posts[-1].seq)

    async def action_previous_page(self) -> None:
        if self.page and self.page.has_before and self.page.posts:
            await self.load(before_seq=self.page.posts[0].seq, focus_seq=self.page.posts[0].seq - 1)

    def action_open(self) -> None:
        widget = self._focused()
        if widget is not None and widget.post.collapsed:
            widget.toggle_open()

    async def _open_editor(
        self, target: ComposeTarget, *, body: str = "", title: str = "", warning: str = ""
    ) -> None:
        outcome = await write(
            self,
            target,
            body=body,
            title=title,
            warning=warning,
            boards=self._boards,
            mail=self._mail,
        )
        if outcome is None:
            return
        focus = outcome.post.seq if outcome.post else 1
        # The page that ends with the new post, so the reply is seen in its context.
        await self.load(before_seq=focus + 1, focus_seq=focus)

    @work(exclusive=True, group="dialog")
    async def action_reply(self) -> None:
        if self.page is None:
            return
        await self._open_editor(ComposeTarget("reply", self.thread_id, self._reply_label()))

    @work(exclusive=True, group="dialog")
    async def action_quote(self) -> None:
        widget = self._focused()
        if self.page is None or widget is None or widget.post.status in GONE_STATUSES:
            return
        quoted = "\n".join("> " + line for line in widget.post.body.splitlines()[:20])
        # Stored in the post in the writer's language; deleting an account finds it in
        # any language to make the quote anonymous (bbs.privacy).
        head = quote_head(widget.post.author, self.bbs.language)
        await self._open_editor(
            ComposeTarget("reply", self.thread_id, self._reply_label()),
            body=f"{head}\n{quoted}\n\n",
        )

    def _reply_label(self) -> str:
        assert self.page is not None
        return self.t(N_("Reply to: {title}")).format(title=self.page.thread.title)

    @work(exclusive=True, group="dialog")
    async def action_edit(self) -> None:
        widget = self._focused()
        if widget is None or not widget.post.mine or widget.post.status in GONE_STATUSES:
            self.say(N_("Move to one of your own posts to edit it."))
            return
        first = widget.post.seq == 1
        assert self.page is not None
        label = self.t(N_("Edit post #{seq}")).format(seq=widget.post.seq)
        await self._open_editor(
            ComposeTarget("edit", widget.post.id, label, with_title=first),
            body=widget.post.body,
            warning=widget.post.warning,
            title=self.page.thread.title if first else "",
        )

    @work(exclusive=True, group="dialog")
    async def action_delete(self) -> None:
        widget = self._focused()
        member = self.bbs.member
        if widget is None or member is None or not widget.post.mine:
            self.say(N_("Move to one of your own posts to delete it."))
            return
        deleted = await confirm_then(
            self,
            self.t(
                N_("Delete this post? Its words go for good; a note that it was deleted stays.")
            ),
            lambda: self._boards.delete(member.id, widget.post.id),
            PostError,
            StoreBusyError,
        )
        if deleted is None:
            return
        await self._reload(focus_seq=widget.post.seq, note=self.t(N_("Your post is deleted.")))

    @work(exclusive=True, group="dialog")
    async def action_react(self) -> None:
        widget = self._focused()
        member = self.bbs.member
        if widget is None or member is None or widget.post.status is not PostStatus.VISIBLE:
            return
        kind = await self.app.push_screen_wait(ReactionScreen(widget.post))
        if kind is None:
            return
        try:
            on_now = await self._boards.react(member.id, widget.post.id, kind)
        except (PostError, StoreBusyError) as error:
            self.say(error)
            return
        label = self.t(dict(REACTIONS)[kind])
        said = N_("You sent '{reaction}'.") if on_now else N_("You took back '{reaction}'.")
        # Said with the page read again, so the reload does not wipe it out.
        await self._reload(focus_seq=widget.post.seq, note=self.t(said).format(reaction=label))

    @work(exclusive=True, group="dialog")
    async def action_report(self) -> None:
        await self._tell_moderators(REPORT_QUESTION, self._boards.report_post, REPORT_THANKS)

    @work(exclusive=True, group="dialog")
    async def action_worried(self) -> None:
        """A member is worried about a post's author: a crisis alert, never a report."""
        await self._tell_moderators(
            WORRIED_QUESTION, self._boards.raise_concern, CONCERN_THANKS, optional=True
        )

    async def _tell_moderators(
        self,
        question: str,
        send: Callable[[int, int, str], Awaitable[object]],
        thanks: str,
        *,
        optional: bool = False,
    ) -> None:
        """A report or a concern about the focused post: `question` (its author is {name}),
        then `send(member id, post id, what they typed)`."""
        if (widget := self._focused()) is None:
            return
        post = widget.post
        await tell_moderators(
            self,
            self.t(question).format(name=post.author),
            lambda text: send(self.member_id, post.id, text),
            thanks,
            optional=optional,
        )

    @work(exclusive=True, group="dialog")
    async def action_block(self) -> None:
        widget = self._focused()
        member = self.bbs.member
        if widget is None or member is None or widget.post.author_id is None or widget.post.mine:
            return
        service = self._mail
        blocked, _muted = await service.is_blocked(member.id, widget.post.author_id)
        name = clean_line(widget.post.author)
        question = (
            N_("Unblock {name}?")
            if blocked
            else N_(
                "Block {name}? Their posts fold up for you, and "
                "they cannot message, mention or react to you. They are not told."
            )
        )
        if not await self.app.push_screen_wait(ConfirmScreen(self.t(question).format(name=name))):
            return
        await service.set_block(member.id, widget.post.author_id, BlockKind.BLOCK, not blocked)
        note = N_("You unblocked {name}.") if blocked else N_("You blocked {name}.")
        await self._reload(focus_seq=widget.post.seq, note=self.t(note).format(name=name))

    async def action_follow(self) -> None:
        member = self.bbs.member
        if self.page is None or member is None:
            return
        following = self.page.thread.following
        await self._boards.follow(member.id, "thread", self.thread_id, not following)
        focused = self._focused()
        await self._reload(
            focus_seq=focused.post.seq if focused else self.page.last_read_seq + 1,
            note=self.t(
                N_("Stopped following this thread.")
                if following
                else N_("Following: replies will show on your home screen.")
            ),
        )


class ReactionScreen(ModalScreen[str | None]):
    """Pick a reaction (1-4); shows who has reacted already."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(n), f"pick('{kind}')", label, show=False)
            for n, (kind, label) in enumerate(REACTIONS, start=1)
        ),
        Binding("escape", "pick('')", "Cancel"),
    ]
    DEFAULT_CSS = default_css(__file__, "ReactionScreen")

    def __init__(self, post: PostView) -> None:
        super().__init__()
        self.post = post

    def compose(self) -> ComposeResult:
        counts = {r.kind: r for r in self.post.reactions}

        def t(message: str) -> str:
            return session_text(self, message)

        with Vertical():
            yield PlainText(t(N_("React to this post (again to take it back)")), classes="title")
            for n, (kind, label) in enumerate(REACTIONS, start=1):
                found = counts.get(kind)
                who = ""
                if found:
                    names = ", ".join(found.who[:5])
                    if found.count > 5:
                        names = t(N_("{names} and others")).format(names=names)
                    who = f"  {found.count}: {names}"
                yield PlainText(f"{n}  {t(label)}{who}", id=f"reaction-{kind}")
            yield PlainText(t(N_("1-4 choose   Esc cancel")), classes="note")

    def action_pick(self, kind: str) -> None:
        self.dismiss(kind or None)


class WarningPrefsScreen(PanelScreen):
    """Choose how content warnings fold: all of them, or only the ones listed."""

    BINDINGS: ClassVar[list[BindingType]] = [SAVE_KEY]

    def __init__(self, *, boards: BoardService) -> None:
        super().__init__()
        self._boards = boards

    def compose(self) -> ComposeResult:
        yield from self.heading(
            N_("Content warnings"),
            N_("Posts with a warning start folded so you can choose to open them."),
        )
        yield Tick(
            self.t(N_("Open warned posts for me, except the warnings listed below")), id="expand"
        )
        yield PlainText(
            self.t(N_("Always fold these warnings (separate with commas):")), classes="body"
        )
        yield TextField(id="always", max_length=400)
        yield from self.footer(N_(" Tab move  Space tick  Ctrl+S save  Esc back  F1 help"))

    async def on_mount(self) -> None:
        prefs = await self._boards.reader_prefs(self.member_id)
        self.query_one("#expand", Checkbox).value = prefs.expand_warnings
        self.query_one("#always", TextField).value = ", ".join(prefs.always_collapsed)
        self.query_one("#expand", Checkbox).focus()

    @on(Input.Submitted, "#always")
    async def action_save(self) -> None:
        words = self.query_one("#always", TextField).value.split(",")
        await self._boards.set_reader_prefs(
            self.member_id,
            expand_warnings=self.query_one("#expand", Checkbox).value,
            always_collapsed=words,
        )
        self.say(N_("Saved."))


def hit_line(hit: SearchHit, t: Callable[[str], str] = str) -> Content:
    """A search result: where it is, then the snippet with matching words in reverse; a
    post the reader keeps folded shows its warning instead, as on the thread page (`t`
    says our words in the reader's language)."""
    where = _line(
        (truncate_display(hit.thread_title, 40), "bold"),
        "  ",
        truncate_display(hit.board_name, 16),
        "  ",
        truncate_display(hit.author, 14),
    )
    if hit.folded:
        return Content("\n").join(
            [
                where,
                _line(
                    "  ",
                    (t(CONTENT_WARNING), "bold"),
                    truncate_display(clean_line(hit.warning), 40),
                    ("  " + t(N_("(folded: Enter opens the thread)")), "italic"),
                ),
            ]
        )
    snippet = Content(hit.snippet)
    for start, end in hit.spans:
        snippet = snippet.stylize("reverse", start, end)
    return Content("\n").join([where, Content("  ") + snippet])


class SearchScreen(ForumPanel):
    """Search every board you can read; results ranked, matching words highlighted."""

    AUTO_FOCUS = "#query"
    DEFAULT_CSS = default_css(__file__, "SearchScreen")

    def __init__(self, *, boards: BoardService, mail: MailService) -> None:
        super().__init__(boards=boards, mail=mail)
        self._listed = ""  # the query whose results are listed

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Search the boards")), classes="title")
        yield TextField(
            placeholder=self.t(N_("words to find, then Enter")), id="query", max_length=200
        )
        yield OptionList(id="results")
        yield from self.footer(N_(" Enter search / open  Tab results or words  Esc back  F1 help"))

    @on(Input.Submitted, "#query")
    async def _search(self, event: Input.Submitted) -> None:
        results = self.query_one("#results", OptionList)
        if event.value == self._listed and results.highlighted is not None:
            # These words' results are listed already: this Enter (typed before the list
            # took the focus, say) opens the one highlighted, as Enter on the list does.
            self._open_option(results.get_option_at_index(results.highlighted).id)
            return
        if (got := await self.tried(self._boards.search(self.member_id, event.value))) is None:
            return
        hits = got.value
        results.clear_options()
        for hit in hits:
            results.add_option(Option(hit_line(hit, self.t), id=f"{hit.thread_id}:{hit.seq}"))
        self._listed = event.value
        self.say(
            self.bbs.ngettext("{count} found.", "{count} found.", len(hits)).format(
                count=_number(self, len(hits))
            )
            if hits
            else N_("Nothing found. Try fewer or other words.")
        )
        if hits:
            results.highlighted = 0
            # At once, not after the messages already queued: a key typed behind this
            # Enter belongs to the list.
            self.set_focus(results)

    @on(OptionList.OptionSelected, "#results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self._open_option(event.option.id)

    def _open_option(self, option_id: str | None) -> None:
        if option_id:
            thread_id, _, seq = option_id.partition(":")
            self.app.push_screen(
                ThreadScreen(int(thread_id), at_seq=int(seq), boards=self._boards, mail=self._mail)
            )

"""Boards: the board list, a board's threads, a thread's posts, reactions and search."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

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
)
from bbs.boards.search import SearchHit
from bbs.errors import StoreBusyError
from bbs.moderation_queue.flags import CONCERN_THANKS
from bbs.text_safety import clean_line, clean_text, truncate_display
from screens.base import SAVE_KEY, PanelScreen, ReloadingPanel
from screens.compose import (
    REPORT_THANKS,
    ComposeTarget,
    ConfirmScreen,
    tell_moderators,
    write,
)
from screens.tcss import default_css
from screens.widgets import KeyBar, PlainText, TextField, Tick
from screens.widgets import styled_line as _line

if TYPE_CHECKING:
    from bbs.boards.service import BoardService
    from bbs.mail.service import MailService


def _when(post_time: object) -> str:
    from datetime import datetime

    assert isinstance(post_time, datetime)
    return post_time.strftime("%Y-%m-%d %H:%M")


class BoardsScreen(ReloadingPanel):
    """Every open board with its unread count; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "follow", "Follow"),
        Binding("slash,s", "search", "Search"),
        Binding("w", "warnings", "Warnings"),
    ]
    DEFAULT_CSS = default_css(__file__, "BoardsScreen")
    FOCUS_ID = "boards"

    def __init__(self, *, boards: BoardService, mail: MailService) -> None:
        super().__init__()
        self._boards = boards
        self._mail = mail

    def compose(self) -> ComposeResult:
        yield PlainText("Boards", classes="title")
        yield OptionList(id="boards")
        yield PlainText("", id="status", classes="note")
        yield KeyBar(" Enter open  F follow  / search  W content warnings  Esc back  F1 help")

    async def reload(self) -> None:
        if (got := await self.tried(self._boards.board_list(self.member_id))) is None:
            return
        listing = got.value
        options = self.query_one("#boards", OptionList)
        keep = options.highlighted
        options.clear_options()
        for board in listing:
            name = truncate_display(board.name, 24)
            unread = f"{board.unread} new" if board.unread else ""
            prompt = _line(
                (name.ljust(26), "bold" if board.unread else ""),
                f"{board.threads:>5} thread{'' if board.threads == 1 else 's'}  ".ljust(15),
                (f"{unread:<10}", "bold"),
                " following" if board.following else "",
            )
            options.add_option(Option(prompt, id=str(board.id)))
        if listing:
            options.highlighted = min(keep or 0, len(listing) - 1)

    @on(OptionList.OptionSelected, "#boards")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.push_screen(
                ThreadListScreen(int(event.option.id), boards=self._boards, mail=self._mail)
            )

    async def action_follow(self) -> None:
        options = self.query_one("#boards", OptionList)
        if options.highlighted is None:
            return
        option = options.get_option_at_index(options.highlighted)
        member = self.bbs.member
        assert member is not None and option.id is not None
        following = "following" in str(option.prompt)
        await self._boards.follow(member.id, "board", int(option.id), not following)
        self.say(
            "Stopped following that board."
            if following
            else "Following: new threads there will show on your home screen."
        )
        await self.reload()

    def action_search(self) -> None:
        self.app.push_screen(SearchScreen(boards=self._boards, mail=self._mail))

    def action_warnings(self) -> None:
        self.app.push_screen(WarningPrefsScreen(boards=self._boards))


class ThreadListScreen(PanelScreen):
    """A board's threads, most recently active first, one page at a time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_thread", "New thread"),
        Binding("right_square_bracket,pagedown", "older", "Older", show=False),
        Binding("left_square_bracket,pageup", "newer", "Newer", show=False),
        Binding("f", "follow", "Follow"),
    ]
    DEFAULT_CSS = default_css(__file__, "ThreadListScreen")

    def __init__(self, board_id: int, *, boards: BoardService, mail: MailService) -> None:
        super().__init__()
        self._boards = boards
        self._mail = mail
        self.board_id = board_id
        self.board_name = ""
        self._older: int | None = None
        self._newer: int | None = None
        self._cursor: tuple[int | None, int | None] = (None, None)
        self._following = False

    def compose(self) -> ComposeResult:
        yield PlainText("", classes="title", id="board-title")
        yield OptionList(id="threads")
        yield PlainText("", id="status", classes="note")
        yield KeyBar(" Enter read  N new thread  ]/[ older/newer page  F follow  Esc back")

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
            self.say(str(error))
            return
        self._cursor = (before, after)
        self._older, self._newer = page.older, page.newer
        self._following = page.board.following
        self.board_name = page.board.name
        self.query_one("#board-title", PlainText).show(
            page.board.name + (" (following)" if page.board.following else "")
        )
        options = self.query_one("#threads", OptionList)
        options.clear_options()
        for thread in page.threads:
            options.add_option(Option(_thread_line(thread), id=str(thread.id)))
        if not page.threads:
            self.say("No threads yet. Press N to start one.")
        else:
            pages = ("] older" if page.older else "") + ("  [ newer" if page.newer else "")
            self.say(pages.strip())
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#threads")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.push_screen(
                ThreadScreen(int(event.option.id), boards=self._boards, mail=self._mail)
            )

    async def action_older(self) -> None:
        if self._older is not None:
            await self.load(before=self._older)

    async def action_newer(self) -> None:
        if self._newer is not None:
            await self.load(after=self._newer)

    @work(exclusive=True, group="dialog")
    async def action_new_thread(self) -> None:
        target = ComposeTarget(
            "thread", self.board_id, f"New thread in {self.board_name}", with_title=True
        )
        await write(self, target, boards=self._boards, mail=self._mail)

    async def action_follow(self) -> None:
        await self._boards.follow(self.member_id, "board", self.board_id, not self._following)
        await self.load(*self._cursor)


def _thread_line(thread: ThreadView) -> Content:
    marker = ("* ", "bold") if thread.unread else "  "
    title = "(a member you blocked)" if thread.blocked else thread.title
    warning = f" [CW: {truncate_display(thread.warning, 20)}]" if thread.warning else ""
    held = {
        PostStatus.HELD: " (held for review)",
        PostStatus.HIDDEN: " (hidden by the moderators)",
    }.get(thread.status, "")
    width = 44 - len(warning) - len(held)
    plural = "" if thread.post_count == 1 else "s"
    counts = f"{thread.post_count} post{plural}" + (
        f", {thread.unread} new" if thread.unread else ""
    )
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
        header = _line(
            (f"#{post.seq} ", "bold"),
            (post.author, "bold"),
            "  ",
            _when(post.created_at),
            "  (edited)" if post.edited else "",
        )
        parts = [header]
        if post.status is PostStatus.DELETED:
            parts.append(Content("(This post was deleted by its author.)").stylize("italic"))
        elif post.status is PostStatus.REMOVED:
            parts.append(Content("(This post was removed by the moderators.)").stylize("italic"))
            if post.removed_because:
                parts.append(
                    _line(("Why, shown only to you: ", "italic"), clean_line(post.removed_because))
                )
        else:
            if post.status is PostStatus.HELD:
                parts.append(
                    Content("(Held for review: only you can see this for now.)").stylize("italic")
                )
            elif post.status is PostStatus.HIDDEN:
                parts.append(
                    Content("(Hidden by the moderators: only you can see it.)").stylize("italic")
                )
                if post.removed_because:
                    parts.append(_line(("Why: ", "italic"), clean_line(post.removed_because)))
            if post.warning:
                parts.append(_line(("Content warning: ", "bold"), post.warning))
            if not self.opened:
                why = (
                    "You blocked this member. Press O to show it anyway."
                    if post.collapsed == "blocked"
                    else "Folded because of the warning. Press O to open it."
                )
                parts.append(Content(why).stylize("italic"))
            else:
                parts.append(Content(clean_text(post.body)))
            if post.reactions:
                parts.append(
                    _line(
                        *(
                            "  ".join(
                                f"{r.label} {r.count}" + (" (you)" if r.mine else "")
                                for r in post.reactions
                            ),
                        )
                    )
                )
        if self.gap:
            parts.append(
                Content("(Replies in between are on earlier pages: P goes back.)").stylize("italic")
            )
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


class ThreadScreen(PanelScreen):
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
        super().__init__()
        self._boards = boards
        self._mail = mail
        self.thread_id = thread_id
        self.page: ThreadPage | None = None
        self._at_seq = at_seq

    def compose(self) -> ComposeResult:
        yield PlainText("", classes="title", id="thread-title")
        yield PostsBox(id="posts")
        yield PlainText("", id="status", classes="note")
        yield KeyBar(
            " R reply  C quote  A react  O open  E edit  D delete  N/P next/previous page\n"
            " W worried about them  ! report  B block  F follow  Esc back  F1 help"
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
            self.say(" ".join(part for part in (note, str(error)) if part))
            return
        first_unread = page.last_read_seq + 1
        self.page = page
        thread = page.thread
        where = f"  ({thread.board_name}{', following' if thread.following else ''})"
        warning = f"  [CW: {truncate_display(thread.warning, 24)}]" if thread.warning else ""
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
                more = ("N next page" if page.has_after else "") + (
                    "  P previous page" if page.has_before else ""
                )
                unread = sum(1 for w in widgets if w.post.seq >= first_unread and not w.post.mine)
                self.say(
                    " ".join(
                        part
                        for part in (note, f"{unread} new." if unread else "", more.strip())
                        if part
                    )
                )
            else:
                self.say(" ".join(part for part in (note, "Nothing to show here.") if part))
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
        await self._open_editor(
            ComposeTarget("reply", self.thread_id, f"Reply to: {self.page.thread.title}")
        )

    @work(exclusive=True, group="dialog")
    async def action_quote(self) -> None:
        widget = self._focused()
        if self.page is None or widget is None or widget.post.status in GONE_STATUSES:
            return
        quoted = "\n".join("> " + line for line in widget.post.body.splitlines()[:20])
        await self._open_editor(
            ComposeTarget("reply", self.thread_id, f"Reply to: {self.page.thread.title}"),
            body=f"{widget.post.author} wrote:\n{quoted}\n\n",
        )

    @work(exclusive=True, group="dialog")
    async def action_edit(self) -> None:
        widget = self._focused()
        if widget is None or not widget.post.mine or widget.post.status in GONE_STATUSES:
            self.say("Move to one of your own posts to edit it.")
            return
        first = widget.post.seq == 1
        assert self.page is not None
        await self._open_editor(
            ComposeTarget(
                "edit", widget.post.id, f"Edit post #{widget.post.seq}", with_title=first
            ),
            body=widget.post.body,
            warning=widget.post.warning,
            title=self.page.thread.title if first else "",
        )

    @work(exclusive=True, group="dialog")
    async def action_delete(self) -> None:
        widget = self._focused()
        member = self.bbs.member
        if widget is None or member is None or not widget.post.mine:
            self.say("Move to one of your own posts to delete it.")
            return
        if not await self.app.push_screen_wait(
            ConfirmScreen(
                "Delete this post? Its words go for good; a note that it was deleted stays."
            )
        ):
            return
        try:
            await self._boards.delete(member.id, widget.post.id)
        except (PostError, StoreBusyError) as error:
            self.say(str(error))
            return
        await self._reload(focus_seq=widget.post.seq, note="Your post is deleted.")

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
            self.say(str(error))
            return
        label = dict(REACTIONS)[kind]
        # Said with the page read again, so the reload does not wipe it out.
        await self._reload(
            focus_seq=widget.post.seq,
            note=f"You sent '{label}'." if on_now else f"You took back '{label}'.",
        )

    @work(exclusive=True, group="dialog")
    async def action_report(self) -> None:
        if (widget := self._focused()) is None:
            return
        await tell_moderators(
            self,
            "What is wrong with this post? A moderator will look at it. "
            "The author is not told who reported it.",
            lambda reason: self._boards.report_post(self.member_id, widget.post.id, reason),
            REPORT_THANKS,
        )

    @work(exclusive=True, group="dialog")
    async def action_worried(self) -> None:
        """A member is worried about a post's author: a crisis alert, never a report."""
        if (widget := self._focused()) is None:
            return
        await tell_moderators(
            self,
            f"Worried about {widget.post.author}? Moderators get a priority alert and "
            "check in with them; they are not told who asked. What worries you "
            "(optional, Enter sends, Esc cancels)?",
            lambda note: self._boards.raise_concern(self.member_id, widget.post.id, note),
            CONCERN_THANKS,
            optional=True,
        )

    @work(exclusive=True, group="dialog")
    async def action_block(self) -> None:
        widget = self._focused()
        member = self.bbs.member
        if widget is None or member is None or widget.post.author_id is None or widget.post.mine:
            return
        service = self._mail
        blocked, _muted = await service.is_blocked(member.id, widget.post.author_id)
        question = (
            f"Unblock {clean_line(widget.post.author)}?"
            if blocked
            else f"Block {clean_line(widget.post.author)}? Their posts fold up for you, and "
            "they cannot message, mention or react to you. They are not told."
        )
        if not await self.app.push_screen_wait(ConfirmScreen(question)):
            return
        await service.set_block(member.id, widget.post.author_id, BlockKind.BLOCK, not blocked)
        name = clean_line(widget.post.author)
        await self._reload(
            focus_seq=widget.post.seq,
            note=f"You unblocked {name}." if blocked else f"You blocked {name}.",
        )

    async def action_follow(self) -> None:
        member = self.bbs.member
        if self.page is None or member is None:
            return
        following = self.page.thread.following
        await self._boards.follow(member.id, "thread", self.thread_id, not following)
        focused = self._focused()
        await self._reload(
            focus_seq=focused.post.seq if focused else self.page.last_read_seq + 1,
            note="Stopped following this thread."
            if following
            else "Following: replies will show on your home screen.",
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
        with Vertical():
            yield PlainText("React to this post (again to take it back)", classes="title")
            for n, (kind, label) in enumerate(REACTIONS, start=1):
                found = counts.get(kind)
                who = ""
                if found:
                    names = ", ".join(found.who[:5]) + (" and others" if found.count > 5 else "")
                    who = f"  {found.count}: {names}"
                yield PlainText(f"{n}  {label}{who}", id=f"reaction-{kind}")
            yield PlainText("1-4 choose   Esc cancel", classes="note")

    def action_pick(self, kind: str) -> None:
        self.dismiss(kind or None)


class WarningPrefsScreen(PanelScreen):
    """Choose how content warnings fold: all of them, or only the ones listed."""

    BINDINGS: ClassVar[list[BindingType]] = [SAVE_KEY]

    def __init__(self, *, boards: BoardService) -> None:
        super().__init__()
        self._boards = boards

    def compose(self) -> ComposeResult:
        yield PlainText("Content warnings", classes="title")
        yield PlainText(
            "Posts with a warning start folded so you can choose to open them.", classes="note"
        )
        yield Tick("Open warned posts for me, except the warnings listed below", id="expand")
        yield PlainText("Always fold these warnings (separate with commas):", classes="body")
        yield TextField(id="always", max_length=400)
        yield PlainText("", id="status", classes="note")
        yield KeyBar(" Tab move  Space tick  Ctrl+S save  Esc back  F1 help")

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
        self.say("Saved.")


def hit_line(hit: SearchHit) -> Content:
    """A search result: where it is, then the snippet with matching words in reverse; a
    post the reader keeps folded shows its warning instead, as on the thread page."""
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
                    ("Content warning: ", "bold"),
                    truncate_display(clean_line(hit.warning), 40),
                    ("  (folded: Enter opens the thread)", "italic"),
                ),
            ]
        )
    snippet = Content(hit.snippet)
    for start, end in hit.spans:
        snippet = snippet.stylize("reverse", start, end)
    return Content("\n").join([where, Content("  ") + snippet])


class SearchScreen(PanelScreen):
    """Search every board you can read; results ranked, matching words highlighted."""

    AUTO_FOCUS = "#query"
    DEFAULT_CSS = default_css(__file__, "SearchScreen")

    def __init__(self, *, boards: BoardService, mail: MailService) -> None:
        super().__init__()
        self._boards = boards
        self._mail = mail
        self._listed = ""  # the query whose results are listed

    def compose(self) -> ComposeResult:
        yield PlainText("Search the boards", classes="title")
        yield TextField(placeholder="words to find, then Enter", id="query", max_length=200)
        yield OptionList(id="results")
        yield PlainText("", id="status", classes="note")
        yield KeyBar(" Enter search / open  Tab results or words  Esc back  F1 help")

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
            results.add_option(Option(hit_line(hit), id=f"{hit.thread_id}:{hit.seq}"))
        self._listed = event.value
        self.say(f"{len(hits)} found." if hits else "Nothing found. Try fewer or other words.")
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

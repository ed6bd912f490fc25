"""The home screen's "what is new for me": followed boards, replies, mentions, drafts, mail."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from bbs.boards import DraftView, NewsItem
from bbs.errors import StoreBusyError
from bbs.text_safety import clean_line, truncate_display
from screens.base import BBSScreen
from screens.compose import ComposeScreen, ComposeTarget, show_outcome

NEWS_MAX = 9

# Bound on the home screen: 1-9 open the numbered items.
NEWS_BINDINGS: list[BindingType] = [Binding(str(n), f"news({n})", f"Open item {n}", show=False)
                 for n in range(1, NEWS_MAX + 1)]


@dataclass(frozen=True)
class _Item:
    text: str
    thread_id: int | None = None
    seq: int | None = None
    draft_context: str | None = None
    draft_label: str = ""
    draft_title: bool = False
    messages: bool = False


class WhatsNew(Static):
    """Numbered lines, each one key away; refreshed whenever the home screen shows."""

    DEFAULT_CSS = """
    WhatsNew { height: auto; max-height: 10; margin: 1 1 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.items: list[_Item] = []

    async def refresh_news(self) -> None:
        """Read this member's news again (the home screen usually hands it over instead)."""
        screen = self.screen
        assert isinstance(screen, BBSScreen)
        member = screen.bbs.member
        if member is None:
            return
        service = screen.bbs.community.boards
        try:
            news = await service.whats_new(member.id)
            drafts = await service.drafts(member.id)
            unread_mail = await service.unread_messages(member.id)
        except StoreBusyError:
            return
        self.show_news(news, drafts, unread_mail)

    def show_news(self, news: list[NewsItem], drafts: list[DraftView], unread_mail: int) -> None:
        items: list[_Item] = []
        if unread_mail:
            plural = "s" if unread_mail != 1 else ""
            items.append(_Item(f"{unread_mail} new private message{plural}", messages=True))
        for d in drafts[:2]:
            items.append(_Item(f"Unsent draft: {d.label}", draft_context=d.context,
                               draft_label=d.label, draft_title=bool(d.title)))
        for n in news:
            title = truncate_display(clean_line(n.thread_title), 34)
            actor = truncate_display(clean_line(n.actor), 16)
            if n.kind == "mention":
                text = f"{actor} mentioned you in “{title}”"
            elif n.kind == "new_thread":
                text = f"New thread “{title}” in {truncate_display(n.board_name, 14)}"
            else:
                text = f"{actor} replied in “{title}”"
            items.append(_Item(text, thread_id=n.thread_id, seq=n.seq))
        self.items = items[:NEWS_MAX]
        self.update(self._render_items())

    def _render_items(self) -> Content:
        if not self.items:
            return Content("Nothing new for you since your last visit.").stylize("italic")
        lines = [Content("What is new for you (press its number):").stylize("bold")]
        for number, item in enumerate(self.items, start=1):
            lines.append(Content(f"{number}  ").stylize("bold")
                         + Content(truncate_display(clean_line(item.text), 72)))
        return Content("\n").join(lines)

    async def open(self, number: int) -> None:
        """Open item `number` (1-based): a thread at the post, a draft, or the mailbox."""
        if not 1 <= number <= len(self.items):
            return
        item = self.items[number - 1]
        screen = self.screen
        app = screen.app
        if item.messages:
            from screens.messages import MessagesScreen

            await app.push_screen(MessagesScreen())
        elif item.thread_id is not None:
            from screens.boards import ThreadScreen

            await app.push_screen(ThreadScreen(item.thread_id, at_seq=item.seq))
        elif item.draft_context is not None:
            target = ComposeTarget.from_context(item.draft_context, item.draft_label,
                                                item.draft_title)
            if target is not None:
                app.run_worker(self._write_draft(target), exclusive=True, group="draft")

    async def _write_draft(self, target: ComposeTarget) -> None:
        screen = self.screen
        outcome = await screen.app.push_screen_wait(ComposeScreen(target))
        await show_outcome(screen, outcome)

"""The home screen's "what is new for me": followed boards, replies, mentions, drafts, mail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from bbs.boards.records import DraftView, NewsItem
from bbs.i18n import N_, said_n
from bbs.text_safety import clean_line, truncate_display
from screens.compose import ComposeTarget, write
from screens.goals import ENGLISH, Speaks, speaker
from screens.tcss import default_css

if TYPE_CHECKING:
    from bbs.boards.service import BoardService
    from bbs.goals.service import GoalService
    from bbs.home import HomeSnapshot
    from bbs.mail.service import MailService


NEWS_MAX = 9

# Bound on the home screen: 1-9 open the numbered items.
NEWS_BINDINGS: list[BindingType] = [
    Binding(str(n), f"news({n})", f"Open item {n}", show=False) for n in range(1, NEWS_MAX + 1)
]


@dataclass(frozen=True)
class _Item:
    text: str
    thread_id: int | None = None
    seq: int | None = None
    draft_context: str | None = None
    draft_label: str = ""
    draft_title: bool = False
    messages: bool = False
    partners: bool = False


class WhatsNew(Static):
    """Numbered lines, each one key away; refreshed whenever the home screen shows."""

    DEFAULT_CSS = default_css(__file__, "WhatsNew")

    def __init__(
        self,
        *,
        id: str | None = None,
        boards: BoardService,
        mail: MailService,
        goals: GoalService,
        home: HomeSnapshot | None = None,
        speaks: Speaks = ENGLISH,
    ) -> None:
        # Composed with the session's snapshot (`home`, said by `speaks`), the widget is
        # drawn complete by the screen's first layout: no update, no second layout.
        items: list[_Item] = []
        if home is not None:
            items = _news_items(
                speaks,
                home.news,
                home.drafts,
                home.unread_mail,
                invitations=home.invitations,
                cheers=home.cheers,
            )
        super().__init__(_render_items(speaks, items) if home else "", id=id, markup=False)
        self._boards = boards
        self._mail = mail
        self._goals = goals
        self.items: list[_Item] = items

    def show_news(
        self,
        news: list[NewsItem],
        drafts: list[DraftView],
        unread_mail: int,
        *,
        invitations: int = 0,
        cheers: int = 0,
    ) -> None:
        w = speaker(self)
        self.items = _news_items(
            w, news, drafts, unread_mail, invitations=invitations, cheers=cheers
        )
        self.update(_render_items(w, self.items))

    async def open(self, number: int) -> None:
        """Open item `number` (1-based): a thread at the post, a draft, or the mailbox."""
        if not 1 <= number <= len(self.items):
            return
        item = self.items[number - 1]
        screen = self.screen
        app = screen.app
        if item.messages:
            from screens.messages import MessagesScreen

            await app.push_screen(MessagesScreen(mail=self._mail, boards=self._boards))
        elif item.partners:
            from screens.goals import PartnersScreen

            await app.push_screen(PartnersScreen(goals=self._goals))
        elif item.thread_id is not None:
            from screens.boards import ThreadScreen

            await app.push_screen(
                ThreadScreen(item.thread_id, at_seq=item.seq, boards=self._boards, mail=self._mail)
            )
        elif item.draft_context is not None:
            target = ComposeTarget.from_context(
                item.draft_context, item.draft_label, item.draft_title
            )
            if target is not None:
                app.run_worker(self._write_draft(target), exclusive=True, group="draft")

    async def _write_draft(self, target: ComposeTarget) -> None:
        await write(self.screen, target, boards=self._boards, mail=self._mail)


def _news_items(
    w: Speaks,
    news: list[NewsItem],
    drafts: list[DraftView],
    unread_mail: int,
    *,
    invitations: int = 0,
    cheers: int = 0,
) -> list[_Item]:
    """What is new, numbered in this order: mail, partners, drafts, then board news."""
    # The counts, each said only when there is something: mail opens the mailbox, the
    # others the partners page. (A count of 0 is not said, so not built: a `said_n` formats
    # its English at once, and most members log in with nothing waiting.)
    items: list[_Item] = []
    if unread_mail:
        line = said_n("{count} new private message", "{count} new private messages", unread_mail)
        items.append(_Item(w.t(line), messages=True, partners=False))
    if invitations:
        line = said_n(
            "{count} accountability partner invitation waiting for your answer",
            "{count} accountability partner invitations waiting for your answer",
            invitations,
        )
        items.append(_Item(w.t(line), messages=False, partners=True))
    if cheers:
        line = said_n(
            "{count} new cheer from your partners", "{count} new cheers from your partners", cheers
        )
        items.append(_Item(w.t(line), messages=False, partners=True))
    for d in drafts[:2]:
        items.append(
            _Item(
                w.t(N_("Unsent draft: {label}")).format(label=d.label),
                draft_context=d.context,
                draft_label=d.label,
                draft_title=bool(d.title),
            )
        )
    for n in news:
        title = truncate_display(clean_line(n.thread_title), 34)
        actor = truncate_display(clean_line(n.actor), 16)
        if n.kind == "mention":
            text = w.t(N_("{name} mentioned you in “{title}”")).format(name=actor, title=title)
        elif n.kind == "new_thread":
            text = w.t(N_("New thread “{title}” in {board}")).format(
                title=title, board=truncate_display(n.board_name, 14)
            )
        else:
            text = w.t(N_("{name} replied in “{title}”")).format(name=actor, title=title)
        items.append(_Item(text, thread_id=n.thread_id, seq=n.seq))
    return items[:NEWS_MAX]


def _render_items(w: Speaks, items: list[_Item]) -> Content:
    if not items:
        return Content(w.t(N_("Nothing new for you since your last visit."))).stylize("italic")
    lines = [Content(w.t(N_("What is new for you (press its number):"))).stylize("bold")]
    for number, item in enumerate(items, start=1):
        lines.append(
            Content(f"{number}  ").stylize("bold")
            + Content(truncate_display(clean_line(item.text), 72))
        )
    return Content("\n").join(lines)

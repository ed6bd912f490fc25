"""The main menu, BBS style: one key per section that exists."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from screens.base import BBSScreen
from screens.goals import CHECK_IN_BINDINGS, CheckInsDue
from screens.home import NEWS_BINDINGS, WhatsNew
from screens.moderation_notices import NOTICE_BINDINGS, ModerationNews
from screens.rooms import RoomEventsToday
from screens.widgets import KeyBar, PlainText

# Sections in menu order: key, action, label. Later sections add themselves here.
SECTIONS: list[tuple[str, str, str]] = [
    ("b", "boards", "Boards"),
    ("m", "messages", "Messages"),
    ("s", "search", "Search"),
    ("r", "rooms", "Rooms"),
    ("g", "goals", "Goals and check-ins"),
    ("p", "profile", "Profile and settings"),
    ("h", "help", "Help and crisis lines"),
    ("a", "admin", "Admin"),
    ("q", "goodbye", "Goodbye"),
]
# Sections only moderators and sysops see (each one checks the role again server-side).
STAFF_SECTIONS = {"admin"}


def sections_for(is_staff: bool) -> list[tuple[str, str, str]]:
    """The menu a member sees: staff sections only for moderators and sysops."""
    return [s for s in SECTIONS if is_staff or s[1] not in STAFF_SECTIONS]


class MainMenuScreen(BBSScreen[None]):
    """First screen after login; every section one key away."""

    _shown_once = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, action, label, show=False) for key, action, label in SECTIONS
    ] + NEWS_BINDINGS + CHECK_IN_BINDINGS + NOTICE_BINDINGS

    DEFAULT_CSS = """
    MainMenuScreen OptionList { border: none; height: auto; max-height: 12; margin: 1 1 0 1; }
    MainMenuScreen OptionList:focus { border: none; }
    MainMenuScreen OptionList > .option-list--option-highlighted { text-style: reverse; }
    """

    def compose(self) -> ComposeResult:
        member = self.bbs.member
        name = member.pseudonym if member else ""
        community = self.bbs.community.settings.community_name
        yield PlainText(f"{community}: welcome, {name}", classes="title", id="greeting")
        yield PlainText(self._last_visit_line(), classes="note", id="last-visit")
        yield WhatsNew(id="whats-new")
        yield RoomEventsToday(id="room-events-today")
        yield CheckInsDue(id="checkins-due")
        shown = sections_for(member is not None and member.is_staff)
        yield ModerationNews(id="moderation-news")
        yield OptionList(
            *(Option(f"{key.upper()}  {label}", id=action) for key, action, label in shown),
            id="menu",
        )
        # The sections are listed above with their names; the bar only reminds of keys,
        # so it fits 80 columns however many sections there are.
        keys = " ".join(k.upper() for k, _a, _l in shown)
        yield KeyBar(f" Keys: {keys}   1-9 open what is new   F1 help")

    def _last_visit_line(self) -> str:
        member = self.bbs.member
        if member is None or member.last_login_at is None:
            return "Good to have you here."
        return "Last visit: " + member.last_login_at.strftime("%Y-%m-%d %H:%M UTC")

    @on(OptionList.OptionSelected, "#menu")
    async def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            await self.run_action(event.option.id)

    def action_rooms(self) -> None:
        from screens.rooms import RoomListScreen

        self.app.push_screen(RoomListScreen())

    async def on_screen_resume(self) -> None:
        if not self._shown_once:
            # The first resume comes with mounting, and each widget loads itself on
            # mount: loading again now would repaint the first screen several times.
            self._shown_once = True
            return
        self.query_one(ModerationNews).reload()
        news = self.query_one(WhatsNew)
        news.run_worker(news.refresh_news(), exclusive=True, group="news")
        due = self.query_one(CheckInsDue)
        due.run_worker(due.refresh_due(), exclusive=True, group="due")

    async def action_news(self, number: int) -> None:
        await self.query_one(WhatsNew).open(number)

    def action_boards(self) -> None:
        from screens.boards import BoardsScreen

        self.app.push_screen(BoardsScreen())

    def action_messages(self) -> None:
        from screens.messages import MessagesScreen

        self.app.push_screen(MessagesScreen())

    def action_search(self) -> None:
        from screens.boards import SearchScreen

        self.app.push_screen(SearchScreen())

    def action_goals(self) -> None:
        from screens.goals import GoalsScreen

        self.app.push_screen(GoalsScreen())

    async def action_check_in(self) -> None:
        from screens.goals import quick_check_in

        await quick_check_in(self)

    def action_admin(self) -> None:
        member = self.bbs.member
        if member is None or not member.is_staff:
            return
        from screens.admin import ReviewQueueScreen

        self.app.push_screen(ReviewQueueScreen())

    def action_notices(self) -> None:
        self.query_one(ModerationNews).open()

    def action_profile(self) -> None:
        from screens.profile import ProfileScreen

        self.app.push_screen(ProfileScreen())

    def action_help(self) -> None:
        self.bbs.action_help()

    def action_goodbye(self) -> None:
        self.bbs.action_goodbye()

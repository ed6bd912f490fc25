"""The main menu, BBS style: one key per section that exists."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget

from bbs.errors import StoreBusyError
from bbs.home import HomeSnapshot
from bbs.i18n import N_
from screens.base import BBSScreen
from screens.goals import CHECK_IN_BINDINGS, CheckInsPart
from screens.home import NEWS_BINDINGS, WhatsNew
from screens.moderation_notices import NOTICE_BINDINGS, ModerationPart
from screens.rooms import RoomEventsPart
from screens.tcss import default_css
from screens.textual_compat import is_closing
from screens.widgets import KeyBar, KeyMenu, PlainText

if TYPE_CHECKING:
    from bbs.services import Services


# Sections in menu order: key, action, label (said in the member's language). Later
# sections add themselves here.
SECTIONS: list[tuple[str, str, str]] = [
    ("b", "boards", N_("Boards")),
    ("m", "messages", N_("Messages")),
    ("s", "search", N_("Search")),
    ("r", "rooms", N_("Rooms")),
    ("g", "goals", N_("Goals and check-ins")),
    ("f", "suggestions", N_("For you: suggestions and peers")),
    ("p", "profile", N_("Profile and privacy")),
    ("h", "help", N_("Help and crisis lines")),
    ("a", "admin", N_("Admin")),
    ("q", "goodbye", N_("Goodbye")),
]
# Sections only moderators and sysops see (each one checks the role again server-side).
STAFF_SECTIONS = {"admin"}


def sections_for(is_staff: bool) -> list[tuple[str, str, str]]:
    """The menu a member sees: staff sections only for moderators and sysops."""
    return [s for s in SECTIONS if is_staff or s[1] not in STAFF_SECTIONS]


class MainMenuScreen(BBSScreen[None]):
    """First screen after login; every section one key away."""

    _shown_once = False
    _asked_to_agree = False
    _composed_with: HomeSnapshot | None = None
    _listening = False

    BINDINGS: ClassVar[list[BindingType]] = (
        [Binding(key, action, label, show=False) for key, action, label in SECTIONS]
        + NEWS_BINDINGS
        + CHECK_IN_BINDINGS
        + NOTICE_BINDINGS
    )

    DEFAULT_CSS = default_css(__file__, "MainMenuScreen")

    def __init__(self, *, services: Services) -> None:
        super().__init__()
        self._services = services

    def compose(self) -> ComposeResult:
        # The session read the home screen's data while the app was starting: composed
        # with it, the first screen is laid out and drawn once, complete (an update after
        # mounting would ask for a second layout and frame, for every member logging in).
        context = self.bbs.context
        home, context.home = context.home, None
        self._composed_with = home
        said_by = self.bbs
        member = self.bbs.member
        name = member.pseudonym if member else ""
        community = self._services.settings().community_name
        yield PlainText(
            self.t(N_("{community}: welcome, {name}")).format(community=community, name=name),
            classes="title",
            id="greeting",
        )
        yield PlainText(self._last_visit_line(), classes="note", id="last-visit")
        yield WhatsNew(
            id="whats-new",
            boards=self._services.boards,
            mail=self._services.mail,
            goals=self._services.goals,
            home=home,
            speaks=said_by,
        )
        # Today's room sessions, check-ins due and news from the moderators: most members
        # have none, and a part with nothing to show is not built (see `HomePart`) until
        # its first content arrives, when `_place` mounts it here, in this order.
        self.room_events = RoomEventsPart(
            id="room-events-today",
            events=self._services.events,
            today=home.events_today if home is not None else None,
            t=self.t,
        )
        self.check_ins = CheckInsPart(
            id="checkins-due",
            goals=self._services.goals,
            greeting=home.greeting if home is not None else None,
            speaks=said_by,
        )
        self.moderation_news = ModerationPart(
            id="moderation-news",
            events=self._services.events,
            admin=self._services.admin,
            home=home,
            speaks=said_by,
        )
        for part in self._parts():
            widget = part.composed()
            if widget is not None:
                yield widget
        shown = sections_for(member is not None and member.is_staff)
        yield KeyMenu(
            [(action, f" {key.upper()}  {self.t(label)} ") for key, action, label in shown],
            id="menu",
        )
        # The sections are listed above with their names; the bar only reminds of keys,
        # so it fits 80 columns however many sections there are.
        keys = " ".join(k.upper() for k, _a, _l in shown)
        # Said already (the bar finds no translation of a translated text, and keeps it).
        yield KeyBar(self.t(N_(" Keys: {keys}   1-9 open what is new   F1 help")).format(keys=keys))

    def _last_visit_line(self) -> str:
        member = self.bbs.member
        if member is None or member.last_login_at is None:
            return self.t(N_("Good to have you here."))
        return self.t(N_("Last visit: {when} UTC.")).format(
            when=self.bbs.moment(member.last_login_at)
        )

    @on(KeyMenu.Chosen, "#menu")
    async def _chosen(self, event: KeyMenu.Chosen) -> None:
        await self.run_action(event.action)

    def action_rooms(self) -> None:
        from screens.rooms import RoomListScreen

        self.app.push_screen(RoomListScreen(rooms=self._services.rooms))

    def _parts(self) -> tuple[RoomEventsPart, CheckInsPart, ModerationPart]:
        # In their order on the screen, between what is new and the menu.
        return (self.room_events, self.check_ins, self.moderation_news)

    def _place(self, widget: Widget) -> bool:
        # A part's first content arrived after composing: its widget goes where it would
        # have been composed, before the next part already built (or the menu). A screen
        # that has left the app (the session is ending: a suspension's news arrives as it
        # closes) has nowhere to put it.
        if not self.is_attached or is_closing(self) or is_closing(self.app):
            return False
        parts = self._parts()
        later = [p.widget for p in parts]
        index = next(i for i, w in enumerate(later) if w is widget)
        before = next((w for w in later[index + 1 :] if w is not None), None)
        self.mount(widget, before=before if before is not None else "#menu")
        return True

    def on_mount(self) -> None:
        self._listening = True
        self.room_events.start(self)
        self.check_ins.start(self, self.bbs.member)
        self.moderation_news.start(self)
        for part in self._parts():
            part.placed_by(self._place)
        home, self._composed_with = self._composed_with, None
        if home is None:
            self._load_home()
        elif home.needs_agreement and not self._asked_to_agree:
            self._asked_to_agree = True
            self._agree_again()

    def on_unmount(self) -> None:
        if self._listening:
            for part in self._parts():
                part.close()

    async def on_screen_resume(self) -> None:
        if not self._shown_once:
            # The first resume comes with mounting, which has shown the data already.
            self._shown_once = True
            return
        self._load_home()

    @work(exclusive=True, group="home")
    async def _load_home(self) -> None:
        member = self.bbs.member
        if member is None:
            return
        reads = self.moderation_news.reads_started
        try:
            snapshot = await self._services.home.snapshot(member)
        except StoreBusyError:
            return  # what is shown stays; the next visit to the home screen tries again
        self._show_home(snapshot, news_reads=reads)

    def _show_home(self, home: HomeSnapshot, *, news_reads: int | None = None) -> None:
        self.query_one(WhatsNew).show_news(
            home.news,
            home.drafts,
            home.unread_mail,
            invitations=home.invitations,
            cheers=home.cheers,
        )
        self.room_events.show_events(home.events_today)
        self.check_ins.show_greeting(home.greeting)
        self.moderation_news.show_news(
            home.banner, home.notices, home.crisis_waiting, read_after=news_reads
        )
        if home.needs_agreement and not self._asked_to_agree:
            self._asked_to_agree = True
            self._agree_again()

    @work(group="guidelines")
    async def _agree_again(self) -> None:
        """The guidelines changed since this member agreed: show them and ask again."""
        from screens.moderation_notices import GuidelinesAgainScreen

        text = await self._services.texts.guidelines_text(self.bbs.language)
        self.app.push_screen(GuidelinesAgainScreen(text, admin=self._services.admin))

    async def action_news(self, number: int) -> None:
        await self.query_one(WhatsNew).open(number)

    def action_boards(self) -> None:
        from screens.boards import BoardsScreen

        self.app.push_screen(BoardsScreen(boards=self._services.boards, mail=self._services.mail))

    def action_messages(self) -> None:
        from screens.messages import MessagesScreen

        self.app.push_screen(MessagesScreen(mail=self._services.mail, boards=self._services.boards))

    def action_search(self) -> None:
        from screens.boards import SearchScreen

        self.app.push_screen(SearchScreen(boards=self._services.boards, mail=self._services.mail))

    def action_goals(self) -> None:
        from screens.goals import GoalsScreen

        self.app.push_screen(GoalsScreen(goals=self._services.goals))

    async def action_check_in(self) -> None:
        from screens.goals import quick_check_in

        await quick_check_in(self, self.check_ins, goals=self._services.goals)

    def action_admin(self) -> None:
        member = self.bbs.member
        if member is None or not member.is_staff:
            return
        from screens.admin import ReviewQueueScreen

        self.app.push_screen(
            ReviewQueueScreen(
                admin=self._services.admin,
                events=self._services.events,
                texts=self._services.texts,
                resources=self._services.resources,
            )
        )

    def action_notices(self) -> None:
        self.moderation_news.open()

    def action_suggestions(self) -> None:
        from screens.suggestions import ForYouScreen

        self.app.push_screen(
            ForYouScreen(
                suggestions=self._services.suggestions,
                resources=self._services.resources,
                boards=self._services.boards,
                mail=self._services.mail,
            )
        )

    def action_profile(self) -> None:
        from screens.profile import ProfileScreen

        self.app.push_screen(
            ProfileScreen(
                accounts=self._services.accounts,
                goals=self._services.goals,
                privacy=self._services.privacy,
                suggestions=self._services.suggestions,
            )
        )

    def action_help(self) -> None:
        self.bbs.action_help()

    def action_goodbye(self) -> None:
        self.bbs.action_goodbye()

"""On the home screen: the sysop's banner, what moderators did about me (appeal once), alerts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bbs.admin.service import (
    ANNOUNCE_TOPIC,
    BANNER_KEY,
    member_topic,
)
from bbs.errors import StoreBusyError
from bbs.events import Event
from bbs.i18n import N_
from bbs.moderation_queue.audit import AdminError
from bbs.moderation_queue.flags import STAFF_TOPIC, StaffAlert
from bbs.moderation_queue.sanctions import NoticeView
from bbs.reflow import reflow
from bbs.text_safety import clean_line, truncate_display
from screens.admin import ACTION_NAMES, named
from screens.base import AdminPanel, BBSScreen
from screens.goals import ENGLISH, Speaks, speaker
from screens.live import HomePart, Live
from screens.tcss import default_css
from screens.widgets import KeyBar, PlainText, TextField, literal, session_text

if TYPE_CHECKING:
    from bbs.admin.service import AdminService
    from bbs.events import EventBus
    from bbs.home import HomeSnapshot


# A crisis alert stays on screen this long (a toast over whatever screen is open).
CRISIS_ALERT_SECONDS = 60.0

CRISIS_TITLE = N_("Crisis alert")

NOTICE_BINDINGS: list[BindingType] = [Binding("n", "notices", "Notes from moderators", show=False)]


class ModerationNews(Static):
    """Up to three lines: the banner, notes from moderators, and (staff) alerts waiting
    (see `ModerationPart`)."""

    DEFAULT_CSS = default_css(__file__, "ModerationNews")


class ModerationPart(HomePart[ModerationNews]):
    """The home screen's news from the moderators: the lines, built only when there is
    something to say, and the live banner, notes and alerts (heard by the screen)."""

    def __init__(
        self,
        *,
        id: str,
        events: EventBus,
        admin: AdminService,
        home: HomeSnapshot | None = None,
        speaks: Speaks = ENGLISH,
    ) -> None:
        # With the session's snapshot (`home`, said by `speaks`), composed with the screen
        # and drawn complete by its first layout; nothing to say is not built at all.
        super().__init__()
        self._id = id
        self._lines = (
            _news_lines(speaks, home.banner, home.notices, home.crisis_waiting)
            if home is not None
            else []
        )
        self._events = events
        self._admin = admin
        self.notices: list[NoticeView] = home.notices if home is not None else []
        self._screen: BBSScreen[None] | None = None
        self._live: Live | None = None
        # What is shown (plain), "" while nothing is.
        self.shown = Content("\n").join(self._lines).plain
        self._crisis_seen = 0
        # Alerts waiting at login, said once the screen is shown (see `show_news`).
        self._crisis_at_start = home.crisis_waiting if home is not None else 0
        # Counts the news's own reads: a home snapshot read before the latest of them is
        # older than what they show, and must not overwrite it (see `reads_started`).
        self.reads_started = 0

    @property
    def visible(self) -> bool:
        # Nothing to say takes no room on a 24-line home screen.
        return bool(self._lines)

    def build(self) -> ModerationNews:
        return ModerationNews(Content("\n").join(self._lines), id=self._id, markup=False)

    def paint(self, widget: ModerationNews) -> None:
        widget.update(Content("\n").join(self._lines))

    def start(self, screen: BBSScreen[None]) -> None:
        """Hear the banner, notes and alerts on `screen` (mounted)."""
        self._screen = screen
        if self._crisis_at_start:
            self._say_crisis_waiting(self._crisis_at_start)
        member = screen.bbs.member
        events = self._events
        topics = [ANNOUNCE_TOPIC] + ([STAFF_TOPIC] if member and member.is_staff else [])
        if member is not None:
            topics.append(member_topic(member.id))
        # Live: a new banner, a note from moderators or a new queue item (a crisis alert
        # first of all) shows at once, read by this session for its own member.
        self._live = Live(screen, self._changed)
        for topic in topics:
            self._live.topic(events, topic)
        # The home screen hands over the first banner, notes and alerts (one read).

    def close(self) -> None:
        if self._live is not None:
            self._live.close()
            self._live = None

    def _changed(self, events: Sequence[Event] = ()) -> None:
        crisis = sum(isinstance(e, StaffAlert) and e.about == "crisis" for e in events)
        screen = self._screen
        if screen is None or not screen.is_attached:
            return
        if crisis:
            # Wherever the moderator is, before any read: someone may be in danger.
            screen.app.notify(
                self.t(
                    N_(
                        "Crisis alert: someone may be in danger. "
                        "Press A on the home screen to review."
                    )
                ),
                title=self.t(CRISIS_TITLE),
                severity="error",
                timeout=CRISIS_ALERT_SECONDS,
                markup=False,
            )
            self._crisis_seen += crisis
        self.reload()

    def t(self, message: object) -> str:
        assert self._screen is not None
        return session_text(self._screen, message)

    def reload(self) -> None:
        """Read the banner, notices and alerts again, in a worker (one at a time)."""
        assert self._screen is not None
        self._screen.run_worker(self.refresh_news(), exclusive=True, group="moderation-news")

    async def refresh_news(self) -> None:
        self.reads_started += 1
        screen = self._screen
        assert screen is not None
        member = screen.bbs.member
        if member is None:
            return
        admin = self._admin
        try:
            banner = await admin.setting(BANNER_KEY)
            notices = await admin.notices(member.id)
            crisis = await admin.crisis_waiting() if member.is_staff else 0
        except StoreBusyError:
            return
        self.show_news(banner, notices, crisis)

    def show_news(
        self, banner: str, notices: list[NoticeView], crisis: int, *, read_after: int | None = None
    ) -> None:
        """Show what was read; `read_after` (a `reads_started` value) drops a stale read."""
        if read_after is not None and read_after != self.reads_started:
            return
        screen = self._screen
        assert screen is not None
        self.notices = notices
        if crisis > self._crisis_seen:
            self._say_crisis_waiting(crisis)
        self._crisis_seen = crisis
        lines = _news_lines(speaker(screen), banner, notices, crisis)
        shown = Content("\n").join(lines).plain
        if shown != self.shown:
            self.shown = shown
            self._lines = lines
            self.changed()

    def _say_crisis_waiting(self, crisis: int) -> None:
        # Alerts that arrived while this moderator was away from the bus (a fresh
        # login, or after a busy moment): say so wherever they are.
        screen = self._screen
        assert screen is not None
        self._crisis_seen = crisis
        screen.app.notify(
            screen.bbs.ngettext(
                "{count} crisis alert waiting in the review queue (A on the home screen).",
                "{count} crisis alerts waiting in the review queue (A on the home screen).",
                crisis,
            ).format(count=crisis),
            markup=False,
            title=self.t(CRISIS_TITLE),
            severity="error",
            timeout=CRISIS_ALERT_SECONDS,
        )

    def open(self) -> None:
        screen = self._screen
        if self.notices and screen is not None:
            screen.app.push_screen(
                NoticesScreen(self.notices, admin=self._admin), lambda _r: self._changed()
            )


def _news_lines(w: Speaks, banner: str, notices: list[NoticeView], crisis: int) -> list[Content]:
    """The banner, notes from moderators and (staff) alerts waiting: one line each, if any."""
    lines: list[Content] = []
    if banner.strip():
        heading = w.t(N_("Announcement: "))
        lines.append(
            Content(heading).stylize("bold")
            + literal(truncate_display(clean_line(banner), 76 - len(heading)))
        )
    if notices:
        count = len(notices)
        lines.append(
            Content(
                w.ngettext(
                    "{count} note from the moderators for you: press N to read.",
                    "{count} notes from the moderators for you: press N to read.",
                    count,
                ).format(count=count)
            ).stylize("bold")
        )
    if crisis:
        lines.append(
            Content(
                w.ngettext(
                    "{count} crisis alert waiting: press A to review.",
                    "{count} crisis alerts waiting: press A to review.",
                    crisis,
                ).format(count=crisis)
            ).stylize("bold reverse")
        )
    return lines


class NoticesScreen(BBSScreen[None]):
    """What moderators did about my posts or account and why; appeal each action once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "appeal", "Appeal", show=False),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = default_css(__file__, "NoticesScreen")
    STATUS_ID = "notice-status"

    def __init__(self, notices: list[NoticeView], *, admin: AdminService) -> None:
        super().__init__()
        self._admin = admin
        self.notices = notices

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(N_("Notes from the moderators")), classes="title")
        yield OptionList(
            *(
                Option(literal(f"{self.bbs.moment(n.created_at)}  {self.t(n.text)}"), id=f"n{n.id}")
                for n in self.notices
            ),
            id="notices",
        )
        yield TextField(
            placeholder=self.t(N_("Why you think this was a mistake (Enter sends)")),
            id="appeal",
            max_length=500,
        )
        yield from self.footer(N_(" P appeal the chosen note (once)   Esc back"))

    def on_mount(self) -> None:
        self.query_one("#appeal", TextField).display = False
        self.query_one("#notices", OptionList).focus()

    def _chosen(self) -> NoticeView | None:
        index = self.query_one("#notices", OptionList).highlighted
        return self.notices[index] if index is not None and index < len(self.notices) else None

    def action_appeal(self) -> None:
        notice = self._chosen()
        status = self.query_one("#notice-status", PlainText)
        if notice is None or not notice.appealable or notice.audit_id is None:
            status.show(self.t(N_("That note is not about an action you can appeal.")))
            return
        field = self.query_one("#appeal", TextField)
        field.display = True
        field.focus()

    @on(TextField.Submitted, "#appeal")
    def _send(self, event: TextField.Submitted) -> None:
        self._send_appeal(event.value)

    @work(exclusive=True, group="appeal")
    async def _send_appeal(self, text: str) -> None:
        notice = self._chosen()
        member = self.bbs.member
        status = self.query_one("#notice-status", PlainText)
        if notice is None or notice.audit_id is None or member is None:
            return
        try:
            sent = await self._admin.appeal(member.id, notice.audit_id, text)
        except (AdminError, StoreBusyError) as error:
            status.show(self.t(error))
            return
        self.notices = [
            replace(n, appealable=False) if n.audit_id == notice.audit_id else n
            for n in self.notices
        ]
        field = self.query_one("#appeal", TextField)
        field.value = ""
        field.display = False
        status.show(self.t(sent.message))
        self.query_one("#notices", OptionList).focus()

    async def action_back(self) -> None:
        member = self.bbs.member
        if member is not None:
            try:
                await self._admin.mark_seen(member.id, [n.id for n in self.notices])
            except StoreBusyError:
                pass
        self.dismiss(None)


class GuidelinesAgainScreen(BBSScreen[None]):
    """The community guidelines changed: read them, and agree (A) or leave for now (Q)."""

    AUTO_FOCUS = "#guidelines-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "agree", "I agree"),
        Binding("q", "leave", "Leave for now"),
    ]

    def __init__(self, text: str, *, admin: AdminService) -> None:
        super().__init__()
        self._admin = admin
        self.text = text

    def compose(self) -> ComposeResult:
        yield from self.heading(
            N_("The community guidelines have changed"),
            N_("Please read them again; they apply to everyone here."),
        )
        with VerticalScroll(id="guidelines-scroll"):
            yield PlainText(reflow(self.text), id="guidelines", classes="body")
        yield KeyBar(N_(" A I agree   Q leave for now   Up/Down scroll"))

    async def action_agree(self) -> None:
        member = self.bbs.member
        if member is not None:
            try:
                await self._admin.agree(member.id)
            except StoreBusyError:
                self.notify(self.t(N_("The BBS is busy; please press A again.")), markup=False)
                return
        self.dismiss(None)

    def action_leave(self) -> None:
        self.bbs.action_goodbye()


class PublicLogScreen(AdminPanel):
    """The member-facing moderation log (when a sysop turns it on): what, why, never who."""

    def compose(self) -> ComposeResult:
        yield from self.heading(
            N_("Moderation log"),
            N_("What moderators did and why. Moderators' names are not shown."),
        )
        with VerticalScroll(id="public-log-scroll"):
            yield PlainText(self.t(N_("Reading...")), id="public-log", classes="body")
        yield KeyBar(N_(" Up/Down scroll   Esc back"))

    async def on_mount(self) -> None:
        out = self.query_one("#public-log", PlainText)
        try:
            entries = await self._admin.public_log()
        except StoreBusyError:
            out.show(self.t(N_("The BBS is busy; please try again in a moment.")))
            return
        if not entries:
            out.show(self.t(N_("This community does not publish its moderation log.")))
            return
        t = self.t
        out.show(
            "\n".join(
                truncate_display(
                    clean_line(
                        t(N_("{date} {action} {member}: {why}")).format(
                            date=self.bbs.moment(e.created_at, time=False),
                            action=named(t, ACTION_NAMES, e.action),
                            member=e.member,
                            why=": ".join(
                                p for p in (t(e.category) if e.category else "", e.reason) if p
                            )
                            or t(N_("no reason given")),
                        )
                    ),
                    74,
                )
                for e in entries
            )
        )
        self.query_one("#public-log-scroll").focus()

"""One member's plain session: sign-up or welcome, the main menu, what arrives live, goodbye.

Each section lives in its own module (boards, messages, rooms, goals, ...) and works
with the `PlainSession` it is given. The SSH side runs `PlainSession.run` and ends it
by cancelling that task (server shutdown, a suspension, the account deleted elsewhere).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bbs.accounts.members import MemberView, PublicKeyInfo
from bbs.admin.service import ANNOUNCE_TOPIC, AccessChanged, NoticeArrived, member_topic
from bbs.errors import StoreBusyError
from bbs.events import Subscription
from bbs.goals.service import CheerEvent, cheer_topic
from bbs.home import HomeSnapshot
from bbs.i18n import DEFAULT_LANGUAGE, N_, localise, normalise_language, said_n
from bbs.moderation_queue.flags import STAFF_TOPIC, StaffAlert
from bbs.rooms.events import SESSIONS_TOPIC, SessionStartingEvent
from bbs.services import Services
from plain.console import Console
from plain.forms import KIND_ERRORS, error_said
from plain.io import EndOfInput, Hangup, LineIO
from plain.menus import command, listing

log = logging.getLogger(__name__)

# -- what members read ----------------------------------------------------------------
WELCOME = N_("{community}: welcome, {name}.")
LAST_VISIT = N_("Last visit: {when} UTC.")
FIRST_VISIT = N_("Good to have you here.")
HOW_IT_WORKS = N_(
    "This is plain line mode. At any prompt, type help (or ?) for help and crisis "
    "lines, or hide to hide the screen (back brings it back)."
)
ANNOUNCEMENT = N_("Announcement: {text}")
TODAY = N_("Today in the rooms: {events}")
MENU_TITLE = N_("Main menu:")
MENU_AGAIN = N_("Main menu.")
MENU_PROMPT = N_("Main menu: type a number and press Enter (Enter alone lists the choices): ")
MENU_ITEMS = {
    "news": N_("What is new for you{count}"),
    "boards": N_("Boards"),
    "messages": N_("Private messages{count}"),
    "search": N_("Search the boards"),
    "rooms": N_("Rooms: live chat"),
    "goals": N_("Goals and check-ins"),
    "foryou": N_("For you: suggestions and people"),
    "help": N_("Help, crisis lines and the resource library"),
    "profile": N_("Profile, privacy and your data"),
    "notices": N_("Notes from the moderators{count}"),
}
NEW_COUNT = N_(" ({count} new)")
GOODBYE_ITEM = N_("0. Goodbye")
GOODBYE_WORDS = (N_("goodbye"), N_("bye"))
MENU_HINT = N_("Type one of the numbers shown (0 says goodbye).")
GOODBYE = N_("Goodbye. Take care of yourself.")
SORRY = N_(
    "Sorry, something went wrong on our side. Nothing you saw saved was lost; you are "
    "back at the main menu."
)
CHEER_ARRIVED = N_("A cheer from {sender}: {body}")
CRISIS_ALERT = N_(
    "Crisis alert: someone may be in danger. Review it on the full screen: ssh -t NAME@host full"
)
NOTICE_ARRIVED = N_(
    "There is news from the moderators or the sysop. The main menu shows it "
    "(Enter alone at the main menu lists the choices)."
)
HELP_TITLE = N_("Help and crisis lines")
PLAIN_KEYS = N_(
    "In plain line mode: help or ? at any prompt shows this; hide hides the screen and back "
    "brings it back; Enter alone lists the choices again; 0 goes back. (Keys such as F1 or "
    "F12 below are for the full screen.)"
)
ON_CALL = N_("On call now: {note}")
HELP_AFTER = N_("That was the help. Your prompt follows again.")
GUIDELINES_CHANGED = N_(
    "The community guidelines have changed. Please read them again; they apply to everyone here."
)
AGREE_PROMPT = N_("Type A to agree and go on, or Q to leave for now: ")
AGREE_AGAIN = N_("Please type A to agree, or Q to leave.")
AGREE_WORDS = (N_("agree"),)
LEAVE_WORDS = (N_("leave"),)
LEFT_FOR_NOW = N_("Goodbye for now. The guidelines will be here when you come back.")


class Goodbye(Exception):
    """End the session, saying `farewell` on the way out."""

    def __init__(self, farewell: str = GOODBYE, status: int = 0) -> None:
        super().__init__(farewell)
        self.farewell = farewell
        self.status = status


@dataclass
class PlainContext:
    """What the SSH side hands over: who is here (if anyone yet) and how they connected."""

    services: Services
    member: MemberView | None
    offered_key: PublicKeyInfo | None = None
    source: str = "local"
    session_id: str = ""
    # Told when a sign-up or recovery turns this session into a member's session.
    on_member: Callable[[MemberView], None] = field(default=lambda _m: None)
    # The home data, read while the session started.
    home: HomeSnapshot | None = None
    # The language the SSH client's LANG / LC_ALL / LC_MESSAGES asked for, if one of ours.
    preferred_language: str | None = None


class PlainSession:
    """The line front end for one connection."""

    def __init__(self, io: LineIO, context: PlainContext) -> None:
        self.io = io
        self.context = context
        self.services = context.services
        self.console = Console(io)
        self.console.on_help = self.show_help
        self.farewell = ""
        self.status = 0
        self._subscriptions: dict[str, Subscription] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # Set by the SSH side: ends the run from outside (it cancels the session's task).
        self.on_end: Callable[[], None] = lambda: None
        self._menu_shown = False
        self._language = DEFAULT_LANGUAGE
        # A member's own language; a visitor's, once chosen, or what their client asked for.
        self.language = (
            context.member.language
            if context.member
            else context.preferred_language or DEFAULT_LANGUAGE
        )

    @property
    def language(self) -> str:
        """The language everything of ours is said in (it follows the Profile's choice)."""
        return self._language

    @language.setter
    def language(self, lang: str) -> None:
        self._language = normalise_language(lang)
        self.console.t = functools.partial(localise, lang=self._language)

    def t(self, message: object) -> str:
        """`message` in the session's language: an N_ constant (format after), a core
        message built with `said`, or an exception carrying one (bbs.i18n.localise)."""
        return self.console.t(message)

    @property
    def member(self) -> MemberView:
        member = self.context.member
        assert member is not None, "only after sign-up or login"
        return member

    def became(self, member: MemberView) -> None:
        """A sign-up or recovery: this session now belongs to `member`."""
        self.context.member = member
        self.context.on_member(member)
        self.language = member.language

    # -- the whole session ------------------------------------------------------------
    async def run(self) -> int:
        """Run until the member says goodbye or leaves; returns the exit status."""
        try:
            if self.context.member is None:
                from plain.signup import arrive

                await arrive(self)
            await self._welcome()
            await self._main_menu()
        except Goodbye as goodbye:
            self.farewell, self.status = goodbye.farewell, goodbye.status
        except EndOfInput:
            self.farewell = self.t(GOODBYE)
        except Hangup:
            pass
        finally:
            self.close()
        return self.status

    def close(self) -> None:
        for subscription in self._subscriptions.values():
            subscription.unsubscribe()
        self._subscriptions = {}
        for task in self._tasks:
            task.cancel()

    def spawn(self, work: Awaitable[None]) -> None:
        """Background work of this session (cancelled with it)."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- arriving ---------------------------------------------------------------------
    async def _welcome(self) -> None:
        member = self.member
        self._listen(member)
        home, self.context.home = self.context.home, None
        if home is None:
            try:
                home = await self.services.home.snapshot(member)
            except StoreBusyError:
                home = None
        lines = [
            self.t(WELCOME).format(
                community=self.services.settings().community_name, name=member.pseudonym
            )
        ]
        if member.last_login_at is not None:
            lines.append(
                self.t(LAST_VISIT).format(when=member.last_login_at.strftime("%Y-%m-%d %H:%M"))
            )
        else:
            lines.append(self.t(FIRST_VISIT))
        lines.append(self.t(HOW_IT_WORKS))
        if home is not None:
            lines.extend(self._home_lines(home))
        await self.console.say("\n".join(lines))
        if home is not None and home.needs_agreement:
            await self._agree_again()

    def _home_lines(self, home: HomeSnapshot) -> list[str]:
        from plain.rooms import events_line

        t = self.t
        lines = []
        if home.banner.strip():
            lines.append(t(ANNOUNCEMENT).format(text=home.banner.strip()))
        if home.greeting.text:
            lines.append(t(home.greeting.text))
        if home.events_today:
            lines.append(t(TODAY).format(events=events_line(t, home.events_today)))
        # One message for exactly one, another for any other count (the catalogues hold no
        # plural forms; "{count}" is in both so that each language may say the number where
        # it likes); a count of none is not said.
        counts = [
            said_n(
                "{count} new thing for you on the boards (choice 1).",
                "{count} new things for you on the boards (choice 1).",
                len(home.news),
            ),
            said_n(
                "You have {count} unread private message (choice 3).",
                "You have {count} unread private messages (choice 3).",
                home.unread_mail,
            ),
            said_n(
                "{count} accountability partner invitation waiting for your answer (Goals, P).",
                "{count} accountability partner invitations waiting for your answer (Goals, P).",
                home.invitations,
            ),
            said_n(
                "{count} new cheer from your partners (Goals, X).",
                "{count} new cheers from your partners (Goals, X).",
                home.cheers,
            ),
            said_n(
                "{count} note from the moderators for you (choice 10).",
                "{count} notes from the moderators for you (choice 10).",
                len(home.notices),
            ),
            said_n(
                "{count} crisis alert waiting in the review queue. Review it on the "
                "full screen: ssh -t NAME@host full",
                "{count} crisis alerts waiting in the review queue. Review it on the "
                "full screen: ssh -t NAME@host full",
                home.crisis_waiting,
            ),
        ]
        lines.extend(t(message) for message in counts if message.number)
        return lines

    async def _agree_again(self) -> None:
        text = await self.services.texts.guidelines_text(self.language)
        await self.console.say(self.t(GUIDELINES_CHANGED) + "\n\n" + text)
        agree = self.console.words(frozenset({"a", "agree", "yes", "y"}), *AGREE_WORDS)
        leave = self.console.words(frozenset({"q", "quit", "leave"}), *LEAVE_WORDS)
        while True:
            answer = (await self.console.ask(self.t(AGREE_PROMPT))).strip().lower()
            if answer in agree:
                await self.services.admin.agree(self.member.id)
                return
            if answer in leave:
                raise Goodbye(self.t(LEFT_FOR_NOW))
            await self.console.say(self.t(AGREE_AGAIN))

    # -- the main menu ----------------------------------------------------------------
    async def _main_menu(self) -> None:
        while True:
            choices = await self._menu_choices()
            keys = [key for key, _label in choices]
            if not self._menu_shown:
                self._menu_shown = True
                labels = [label for _key, label in choices]
                await self.console.say(
                    listing(self.t(MENU_TITLE), labels) + "\n" + self.t(GOODBYE_ITEM)
                )
            answer = command(await self.console.ask(self.t(MENU_PROMPT)))
            if answer.empty:
                self._menu_shown = False
                continue
            leaving = self.console.words(
                frozenset({"goodbye", "bye", "quit", "exit"}), *GOODBYE_WORDS
            )
            if answer.back or answer.word in leaving:
                raise Goodbye(self.t(GOODBYE))
            chosen = answer.pick(len(keys))
            if chosen is None:
                await self.console.say(self.t(MENU_HINT))
                continue
            await self.open_section(keys[chosen])

    async def _menu_choices(self) -> list[tuple[str, str]]:
        member = self.member
        news = mail = notes = 0
        try:
            news = len(await self.services.boards.whats_new(member.id))
            mail = await self.services.mail.unread_messages(member.id)
            notes = len(await self.services.admin.notices(member.id))
        except StoreBusyError:
            pass
        counts = {"news": news, "messages": mail, "notices": notes}
        choices = []
        for key, label in MENU_ITEMS.items():
            if key == "notices" and not notes:
                continue
            count = counts.get(key, 0)
            new = self.t(NEW_COUNT).format(count=count) if count else ""
            choices.append((key, self.t(label).format(count=new)))
        return choices

    async def open_section(self, key: str) -> None:
        """Run one section; a kind error or a busy store is said, and the menu comes back."""
        from plain import boards, foryou, goals, helpdesk, messages, notices, profile, rooms

        sections: dict[str, Callable[[PlainSession], Awaitable[None]]] = {
            "news": boards.whats_new,
            "boards": boards.run,
            "messages": messages.run,
            "search": boards.search,
            "rooms": rooms.run,
            "goals": goals.run,
            "foryou": foryou.run,
            "help": helpdesk.run,
            "profile": profile.run,
            "notices": notices.run,
        }
        try:
            await sections[key](self)
        except (Goodbye, EndOfInput, Hangup, asyncio.CancelledError):
            raise
        except KIND_ERRORS as error:
            await self.console.say(error_said(self.console, error))
        except StoreBusyError as error:
            await self.console.say(error_said(self.console, error))
        except Exception:
            log.exception("plain section failed", extra={"section": key})
            await self.console.say(self.t(SORRY))
        await self.console.say(self.t(MENU_AGAIN))

    # -- help, from any prompt --------------------------------------------------------
    async def show_help(self) -> None:
        """The help text and crisis lines, with the on-call note first when there is one."""
        # With the crisis lines of the member's country where a sysop wrote them.
        member = self.context.member
        country = member.country if member else ""
        text = await self.services.texts.help_text(self.language, country)
        try:
            on_call = (await self.services.admin.on_call_note()).strip()
        except StoreBusyError:
            on_call = ""
        if on_call:
            text = self.t(ON_CALL).format(note=on_call) + "\n\n" + text
        await self.console.say(
            self.t(HELP_TITLE) + "\n" + self.t(PLAIN_KEYS) + "\n\n" + text.strip()
        )
        await self.console.say(self.t(HELP_AFTER))

    # -- what arrives by itself -------------------------------------------------------
    def _listen(self, member: MemberView) -> None:
        """Suspensions end the session; cheers, sessions starting and alerts are said."""
        topics = {
            "member": member_topic(member.id),
            "cheers": cheer_topic(member.id),
            "sessions": SESSIONS_TOPIC,
            "announce": ANNOUNCE_TOPIC,
        }
        if member.is_staff:
            topics["staff"] = STAFF_TOPIC
        for name, topic in topics.items():
            self._subscriptions[name] = self.services.events.subscribe(
                topic, maxsize=16, on_event=functools.partial(self._arrived, name)
            )

    def _arrived(self, name: str) -> None:
        """Called by the bus in this session's own context: only schedules or prints."""
        subscription = self._subscriptions.get(name)
        if subscription is None:
            return
        events = subscription.drain()
        if name == "member" and any(isinstance(e, AccessChanged) for e in events):
            self.spawn(self._check_access())
        if (name == "announce" and events) or any(isinstance(e, NoticeArrived) for e in events):
            self.console.live(self.t(NOTICE_ARRIVED))
        for event in events:
            if isinstance(event, CheerEvent):
                self.console.live(
                    self.t(CHEER_ARRIVED).format(sender=event.sender, body=event.body)
                )
            elif isinstance(event, SessionStartingEvent):
                self.console.live(self.t(event.describe()))
            elif isinstance(event, StaffAlert) and event.about == "crisis":
                self.console.live(self.t(CRISIS_ALERT), bell=True)

    async def _check_access(self) -> None:
        """Suspended or banned while here: say why in one line, and end the session."""
        try:
            line = await self.services.admin.login_block(self.member.id)
        except StoreBusyError:
            await asyncio.sleep(1.0)
            line = await self.services.admin.login_block(self.member.id)
        if line is not None:
            self.end(line, status=1)

    # -- ending -----------------------------------------------------------------------
    def end(self, farewell: str, *, status: int = 0) -> None:
        """End the session from outside its own flow (the SSH side cancels the run); the
        farewell (a core message, or one marked with N_) is said in the session's language."""
        self.farewell = self.t(farewell)
        self.status = status
        self.on_end()

"""BBSApp: the Textual app one SSH session runs, with its colours, help key and screens."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from rich.color import ColorSystem
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.filter import NoColor
from textual.notifications import SeverityLevel

from bbs.accounts.members import MemberView, PublicKeyInfo
from bbs.errors import StoreBusyError
from bbs.events import Event
from bbs.home import HomeSnapshot
from bbs.i18n import DEFAULT_LANGUAGE, N_, format_moment, localise, translator
from bbs.models import ColourMode
from bbs.moderation_queue.sanctions import AccessChanged, member_topic
from bbs.services import Services
from bbs.terminal_caps import ColourDepth, effective_depth
from screens.live import Live
from screens.tcss import module_css
from screens.textual_compat import (
    QuietCrashApp,
    set_color_system,
    use_line_filter,
    without_tooltips,
)

log = logging.getLogger(__name__)

# Said on the plain terminal as the session ends.
SIGNUP_EXPIRED = N_(
    "Sign-up has a time limit and it ran out, so we closed it. Nothing was saved. "
    "Connect again whenever you are ready."
)
CRASHED = N_(
    "Sorry, something went wrong on our side and this session had to close. "
    "Anything you saw saved is safe. Please connect again."
)
GOODBYE = N_("Goodbye. Take care of yourself.")

_COLOR_SYSTEMS = {
    ColourDepth.TRUECOLOR: ColorSystem.TRUECOLOR,
    ColourDepth.EIGHT_BIT: ColorSystem.EIGHT_BIT,
    ColourDepth.STANDARD: ColorSystem.STANDARD,
    ColourDepth.MONOCHROME: ColorSystem.STANDARD,
}


@dataclass
class SessionContext:
    """What the SSH layer hands the app: the BBS's services, who is here and what their
    terminal can do."""

    services: Services
    member: MemberView | None
    detected_depth: ColourDepth = ColourDepth.EIGHT_BIT
    offered_key: PublicKeyInfo | None = None
    source: str = "local"
    # Told when a sign-up or recovery turns this session into a member's session.
    on_member: Callable[[MemberView], None] = field(default=lambda _m: None)
    # The home screen's data, read while the session started (the home screen takes it).
    home: HomeSnapshot | None = None
    # This session's id in the server's directory: the privacy screen marks "this one".
    session_id: str = ""
    # The language the SSH client's LANG / LC_ALL / LC_MESSAGES asked for (sign-up's first
    # choice), when it is one of ours.
    preferred_language: str | None = None


class BBSApp(QuietCrashApp[int]):
    """One member's BBS. The return code becomes the SSH exit status."""

    TITLE = "BBS"
    ENABLE_COMMAND_PALETTE = False
    CSS = module_css(__file__)  # screens/app.tcss, read once per process
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True),
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+c", "goodbye", "Goodbye", show=False),
        # Quick-hide: one key swaps the screen for a neutral one, and back. F12 and
        # Ctrl+\ reach us from every terminal and are never typed as text.
        Binding("f12,ctrl+backslash", "quick_hide", "Hide", show=False, priority=True),
    ]

    def __init__(
        self,
        context: SessionContext,
        *,
        driver_class: type[Driver] | None = None,
        terminal_link: Any = None,
    ) -> None:
        super().__init__(driver_class=driver_class, ansi_color=True)
        without_tooltips(self)  # no widget of ours has one: one widget less on every screen
        self.context = context
        # The BBS's services: the app hands each screen the ones it uses.
        self._services = context.services
        self.terminal_link = terminal_link
        self.theme = "ansi-dark"
        # Said to the member after the screen is restored, on the plain terminal.
        self.farewell = ""
        self._no_color = NoColor()
        # While quick-hidden, notifications wait here instead of showing on the neutral screen.
        self._hidden_notes: list[tuple[str, str, SeverityLevel, float | None]] = []
        self._access: Live | None = None
        # A member's own language; a visitor's, once chosen, or what their client asked for.
        self.language = (
            context.member.language
            if context.member
            else context.preferred_language or DEFAULT_LANGUAGE
        )
        self.apply_colour_mode(context.member.colour_mode if context.member else ColourMode.AUTO)

    @property
    def member(self) -> MemberView | None:
        return self.context.member

    def gettext(self, message: str) -> str:
        """`message` in this session's language (see bbs.i18n)."""
        return translator(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form of a counted message for `count`, in this session's language."""
        return translator(self.language).ngettext(singular, plural, count)

    def t(self, message: object) -> str:
        """Anything said to the member, in their language: a constant marked `N_`, a
        core message built with `said`, or an exception carrying one (bbs.i18n.localise)."""
        return localise(message, self.language)

    def moment(self, when: datetime, *, time: bool = True) -> str:
        """A stored date (and time, UTC) as this member's language writes it."""
        return format_moment(when, self.language, time=time)

    def apply_colour_mode(self, choice: ColourMode) -> None:
        """Per-session colours: the console's colour system is per app, not per process."""
        depth = effective_depth(self.context.detected_depth, choice)
        set_color_system(self.console, _COLOR_SYSTEMS[depth])
        mono = depth is ColourDepth.MONOCHROME
        use_line_filter(self, self._no_color, mono)
        self.set_class(mono, "mono")
        if self.is_running:
            self.refresh(repaint=True, layout=True)
            self.screen.refresh(repaint=True)

    def get_default_screen(self) -> Any:
        from screens.menu import MainMenuScreen
        from screens.signup import LanguageScreen

        if self.context.member is None:
            return LanguageScreen(
                settings=self._services.settings,
                texts=self._services.texts,
                accounts=self._services.accounts,
            )
        return MainMenuScreen(services=self._services)

    def on_mount(self) -> None:
        if self.context.member is not None:
            self._watch_access(self.context.member)
        if self.context.member is None:
            limit = self._services.settings().login.signup_seconds
            # Not a Textual timer: a cancelled asyncio timer stays in the loop's queue until
            # its time would have come, holding whatever it refers to. This one refers to
            # the app only weakly and runs in an empty context, so a visitor who leaves
            # does not keep their whole app alive for the sign-up limit.
            this = weakref.ref(self)

            def expired() -> None:
                app = this()
                if app is not None and app.is_running:
                    app.call_next(app._signup_expired)

            asyncio.get_running_loop().call_later(limit, expired, context=contextvars.Context())

    def _signup_expired(self) -> None:
        if self.context.member is None:
            self.farewell = self.t(SIGNUP_EXPIRED)
            self.exit(return_code=1)

    def signed_in(self, member: MemberView) -> None:
        """A sign-up or recovery finished: this session now belongs to that member."""
        self.context.member = member
        self.context.on_member(member)
        self.language = member.language
        self.apply_colour_mode(member.colour_mode)
        self._watch_access(member)

    # -- sanctions reach the member's open sessions -------------------------------------
    def _watch_access(self, member: MemberView) -> None:
        """Hear about a suspension or ban of this member while the session is open."""
        if self._access is not None:
            self._access.close()
        # `Live` runs `_access_changed` in this session, whoever made the change.
        self._access = Live(self, self._access_changed)
        self._access.topic(self._services.events, member_topic(member.id), maxsize=8)

    def _access_changed(self, events: list[Event]) -> None:
        member = self.context.member
        if member is not None and any(
            isinstance(e, AccessChanged) and e.member_id == member.id for e in events
        ):
            self.run_worker(self._check_access(), group="access", exclusive=True)

    async def _check_access(self) -> None:
        """Suspended or banned while here: say why in one line, and end the session.

        The event only says "look again": this session reads its own member's access.
        """
        member = self.context.member
        if member is None:
            return
        try:
            line = await self._services.admin.login_block(member.id)
        except StoreBusyError:
            # The store is busy for a moment: look again shortly rather than not at all.
            self.set_timer(1.0, self._access_changed_again)
            return
        if line is not None:
            self.farewell = self.t(line)
            self.exit(1, return_code=1)

    def _access_changed_again(self) -> None:
        self.run_worker(self._check_access(), group="access", exclusive=True)

    def on_unmount(self) -> None:
        if self._access is not None:
            self._access.close()
            self._access = None

    def show_main_menu(self) -> None:
        """Leave sign-up behind: the main menu becomes the only screen."""
        from screens.menu import MainMenuScreen

        # The sign-up screens above the welcome screen go; the welcome screen itself is
        # the base of the default mode and stays (idle) beneath the menu's own mode.
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.add_mode("menu", lambda: MainMenuScreen(services=self._services))
        self.switch_mode("menu")

    def crashed(self, error: BaseException | None) -> None:
        # Textual's own handler renders the traceback with local variables to the
        # server's stderr: that could print a password or a private message. Log the
        # stack without locals, and tell the member plainly.
        log.error("session app crashed", exc_info=error)
        self.farewell = self.t(CRASHED)

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(
                HelpScreen(
                    texts=self._services.texts,
                    admin=self._services.admin,
                    resources=self._services.resources,
                )
            )

    @property
    def quick_hidden(self) -> bool:
        from screens.privacy import QuickHideScreen

        return isinstance(self.screen, QuickHideScreen)

    def action_quick_hide(self) -> None:
        """Hide at once behind a neutral screen; the same key brings everything back."""
        from screens.privacy import QuickHideScreen

        if isinstance(self.screen, QuickHideScreen):
            self.pop_screen()
            notes, self._hidden_notes = self._hidden_notes, []
            for message, title, severity, timeout in notes:
                super().notify(
                    message, title=title, severity=severity, timeout=timeout, markup=False
                )
            return
        self.clear_notifications()
        self.push_screen(QuickHideScreen())

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is literal text; while quick-hidden, it waits to be shown."""
        if self.is_running and self.quick_hidden:
            self._hidden_notes = [*self._hidden_notes, (message, title, severity, timeout)][-20:]
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_goodbye(self) -> None:
        self.farewell = self.t(GOODBYE)
        self.exit(0)

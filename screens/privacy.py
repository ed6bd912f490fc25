"""Privacy and your data: what we store, export, password, keys, recovery code, sessions,
appearing offline, deleting the account; and the quick-hide screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, RadioSet, Static

from bbs.accounts.members import AccountError
from bbs.accounts.passwords import MIN_PASSWORD_LENGTH, PasswordError
from bbs.accounts.sessions import SessionInfo
from bbs.errors import StoreBusyError
from bbs.i18n import N_
from bbs.privacy.records import DeleteChoice, KeyView
from bbs.reflow import reflow
from screens.base import SAVE_KEY, BBSScreen, ListPanel, PanelScreen
from screens.compose import AskScreen, ConfirmScreen
from screens.tcss import default_css
from screens.widgets import (
    BUSY,
    Choice,
    KeyBar,
    KeyMenu,
    PlainText,
    TextField,
    session_text,
    styled_line,
)

if TYPE_CHECKING:
    from bbs.privacy.service import PrivacyService

QUICK_HIDE_KEYS = "f12,ctrl+backslash"
QUICK_HIDE_NAME = N_("F12 or Ctrl+\\")

# -- what members read ----------------------------------------------------------------
PRIVACY_TITLE = N_("Privacy and your data")
EXPORT_NOTE = N_("Download everything of yours as one JSON file, with your usual login:")
QUICK_HIDE_NOTE = N_(
    "Quick-hide: {keys} swaps the screen for a plain one; the same key brings it back."
)
PRIVACY_KEYS = N_(" W C K R S O D choose   Enter open   Esc back   F12 hide   F1 help")
MENU_STORED = N_(" W  What we store about you ")
MENU_PASSWORD = N_(" C  Change password ")
MENU_KEYS = N_(" K  SSH keys: list, add, remove ")
MENU_RECOVERY = N_(" R  New recovery code ")
MENU_SESSIONS = N_(" S  Active sessions ")
MENU_OFFLINE_ON = N_(" O  Appear offline: on ")
MENU_OFFLINE_OFF = N_(" O  Appear offline: off ")
MENU_DELETE = N_(" D  Delete my account ")
OFFLINE_NOW = N_("You appear offline: rooms do not list you; you can still read and write.")
ONLINE_NOW = N_("You appear online again.")
STORED_TITLE = N_("What we store about you")
STORED_READING = N_("Reading it from the store...")
STORED_KEYS = N_(" Up/Down scroll   Esc back   F1 help")
STORED_EXPORT = N_("To download all of it as JSON:")
PASSWORD_TITLE = N_("Change password")
CURRENT_PASSWORD = N_("Current password")
NEW_PASSWORD = N_("New password (at least {count} characters; a few words work well)")
REPEAT_PASSWORD = N_("New password again")
PASSWORD_KEYS = N_(" Enter next / save   Ctrl+S save   Esc back   F1 help")
CODE_TITLE = N_("New recovery code")
CODE_HOW = N_(
    "A new code replaces your old one, which stops working. Type your password, then Enter."
)
CODE_KEYS = N_(" Enter make a new code   Esc back   F1 help")
CODE_SHOWN = N_(
    "Here is your new recovery code. Write it down somewhere safe now: it is shown "
    "only this once. Esc when you have noted it."
)
KEY_USED = N_("last used {when}")
KEY_NEVER_USED = N_("never used")
KEYS_EMPTY = N_("No keys yet. A adds one: paste the line of your .pub file.")
KEY_ASK = N_("Paste your public key line (ssh-ed25519 AAAA...):")
KEY_ADDED = N_("Added. {fingerprint} now logs you in.")
KEY_REMOVE_ASK = N_("Stop this key logging you in? {fingerprint} (Y/N)")
KEY_REMOVED = N_("Removed. That key no longer logs you in.")
SESSION_LINE = N_("since {since}  {width}x{height}{this}")
THIS_SESSION = N_("  (this one)")
SESSIONS_EMPTY = N_("No sessions are listed here.")
SESSION_IS_THIS = N_("That is this session. To leave, press Ctrl+C or Q on the main menu.")
SESSION_ENDED = N_("Ended.")
SESSION_GONE = N_("That session had already ended.")
DELETE_TITLE = N_("Delete my account")
DELETE_HOW = N_(
    "Take your time; nothing happens until you type your name below. Deleting cannot "
    "be undone. Your private messages, goals, check-ins, partnerships, keys and "
    "settings are removed, and your sessions end. Your name cannot be used by anyone "
    "for 30 days. You can export your data first (see the privacy screen)."
)
DELETE_POSTS = N_("Your posts on the boards:")
DELETE_REMOVE = N_("Remove them (a short placeholder keeps replies readable)")
DELETE_ANONYMISE = N_('Keep them, shown as written by "a former member"')
DELETE_CONFIRM = N_("To confirm, type your name ({name}) and press Enter:")
DELETE_KEYS = N_(" Up/Down choose  Space select  Tab move  Enter delete  Esc back")
NOT_DELETED = N_("{busy} Your account was not deleted.")
HIDE_TITLE = N_("System status")
HIDE_STATUS = N_("All services are operating normally.")
HIDE_CHECKED = N_("Last checked: a few moments ago.")


class _PrivacyPanel(PanelScreen):
    """A page of privacy and your data: they all work with the privacy service."""

    def __init__(self, *, privacy: PrivacyService) -> None:
        super().__init__()
        self._privacy = privacy


# The hub's entries, each one key away: the key, its action, the binding's description and
# the entry as the menu shows it (Appear offline shows whether it is on).
HUB: tuple[tuple[str, str, str, str], ...] = (
    ("w", "stored", "What we store", MENU_STORED),
    ("c", "password", "Change password", MENU_PASSWORD),
    ("k", "keys", "Keys", MENU_KEYS),
    ("r", "recovery", "Recovery code", MENU_RECOVERY),
    ("s", "sessions", "Sessions", MENU_SESSIONS),
    ("o", "offline", "Appear offline", MENU_OFFLINE_OFF),
    ("d", "delete", "Delete account", MENU_DELETE),
)


class PrivacyScreen(_PrivacyPanel):
    """The hub: each part one key away, the export command always in view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, action, description, show=False) for key, action, description, _ in HUB
    ]
    DEFAULT_CSS = default_css(__file__, "PrivacyScreen")
    offline = False

    def _entries(self) -> list[tuple[str, str]]:
        shown = {"offline": MENU_OFFLINE_ON if self.offline else MENU_OFFLINE_OFF}
        return [(action, self.t(shown.get(action, entry))) for _, action, _, entry in HUB]

    def compose(self) -> ComposeResult:
        member = self.member
        yield PlainText(self.t(PRIVACY_TITLE), classes="title")
        yield PlainText(self.t(EXPORT_NOTE), classes="note", id="export-note")
        yield PlainText(self._privacy.export_command(member), id="export")
        yield KeyMenu(self._entries(), id="menu")
        yield PlainText(
            self.t(QUICK_HIDE_NOTE).format(keys=self.t(QUICK_HIDE_NAME)), classes="note"
        )
        yield from self.footer(PRIVACY_KEYS)

    async def on_mount(self) -> None:
        self.query_one("#menu", KeyMenu).focus()
        try:
            self.offline = await self._privacy.appear_offline(self.member_id)
        except StoreBusyError:
            return
        self._refresh_menu()

    def _refresh_menu(self) -> None:
        menu = self.query_one("#menu", KeyMenu)
        menu.entries = self._entries()
        menu.refresh(layout=True)

    @on(KeyMenu.Chosen, "#menu")
    async def _chosen(self, event: KeyMenu.Chosen) -> None:
        await self.run_action(event.action)

    def action_stored(self) -> None:
        self.app.push_screen(WhatWeStoreScreen(privacy=self._privacy))

    def action_password(self) -> None:
        def changed(done: bool | None) -> None:
            if done:
                self.say(PASSWORD_CHANGED)

        self.app.push_screen(ChangePasswordScreen(privacy=self._privacy), changed)

    def action_keys(self) -> None:
        self.app.push_screen(KeysScreen(privacy=self._privacy))

    def action_recovery(self) -> None:
        self.app.push_screen(NewRecoveryCodeScreen(privacy=self._privacy))

    def action_sessions(self) -> None:
        self.app.push_screen(SessionsScreen(privacy=self._privacy))

    def action_delete(self) -> None:
        self.app.push_screen(DeleteAccountScreen(privacy=self._privacy))

    async def action_offline(self) -> None:
        wanted = not self.offline
        if await self.tried(self._privacy.set_appear_offline(self.member, wanted)) is None:
            return
        self.offline = wanted
        self._refresh_menu()
        self.say(OFFLINE_NOW if wanted else ONLINE_NOW)


class WhatWeStoreScreen(_PrivacyPanel):
    """The plain-language page, generated from the member's real data."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "back", "Back")]
    DEFAULT_CSS = default_css(__file__, "WhatWeStoreScreen")

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(STORED_TITLE), classes="title")
        with VerticalScroll(id="scroll"):
            yield PlainText(self.t(STORED_READING), id="stored")
        yield KeyBar(STORED_KEYS)

    async def on_mount(self) -> None:
        self.query_one("#scroll").focus()
        member = self.member
        privacy = self._privacy
        try:
            text = await privacy.what_we_store(member.id)
        except StoreBusyError:
            self.query_one("#stored", PlainText).show(self.t(BUSY))
            return
        command = privacy.export_command(member)
        shown = f"{self.t(text)}\n\n{self.t(STORED_EXPORT)}\n  {command}"
        self.query_one("#stored", PlainText).show(reflow(shown))


PASSWORD_CHANGED = N_(
    "Your password is changed. Use the new one next time you log in; "
    "your recovery code and SSH keys still work."
)


class ChangePasswordScreen(BBSScreen[bool]):
    """Current password, then the new one twice; Enter moves on and saves after the last."""

    AUTO_FOCUS = "#current"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        SAVE_KEY,
    ]

    def __init__(self, *, privacy: PrivacyService) -> None:
        super().__init__()
        self._privacy = privacy

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(PASSWORD_TITLE), classes="title")
        yield PlainText(self.t(CURRENT_PASSWORD), classes="note")
        yield TextField(password=True, id="current", max_length=1024)
        yield PlainText(self.t(NEW_PASSWORD).format(count=MIN_PASSWORD_LENGTH), classes="note")
        yield TextField(password=True, id="new", max_length=1024)
        yield PlainText(self.t(REPEAT_PASSWORD), classes="note")
        yield TextField(password=True, id="repeat", max_length=1024)
        yield PlainText("", id="status", classes="error")
        yield KeyBar(PASSWORD_KEYS)

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        # Enter moves to the next field, and saves from the last one.
        order = ["current", "new", "repeat"]
        if event.input.id in order[:-1]:
            self.query_one(f"#{order[order.index(event.input.id) + 1]}", TextField).focus()
            return
        await self.action_save()

    async def action_save(self) -> None:
        fields = [self.query_one(f"#{n}", TextField) for n in ("current", "new", "repeat")]
        changed = self._privacy.change_password(
            self.member_id, fields[0].value, fields[1].value, fields[2].value
        )
        if await self.tried(changed, AccountError, PasswordError) is None:
            return
        for field in fields:
            field.value = ""
        self.notify(self.t(PASSWORD_CHANGED), markup=False)
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)


class NewRecoveryCodeScreen(_PrivacyPanel):
    """A fresh recovery code, after the current password; shown this once."""

    AUTO_FOCUS = "#current"
    DEFAULT_CSS = default_css(__file__, "NewRecoveryCodeScreen")

    def compose(self) -> ComposeResult:
        yield from self.heading(CODE_TITLE, CODE_HOW)
        yield TextField(password=True, id="current", max_length=1024)
        yield PlainText("", id="code", classes="code")
        yield PlainText("", id="status", classes="error")
        yield KeyBar(CODE_KEYS)

    @on(Input.Submitted, "#current")
    async def _make(self, _event: Input.Submitted) -> None:
        field = self.query_one("#current", TextField)
        made = self._privacy.regenerate_recovery_code(self.member_id, field.value)
        if (code := await self.tried(made, AccountError)) is None:
            return
        field.value = ""
        field.display = False
        self.say("")
        self.query_one("#code", PlainText).show(code.value)
        self.query_one(".note", PlainText).show(self.t(CODE_SHOWN))


def _key_line(screen: BBSScreen[None], key: KeyView) -> str:
    """A key's row: its fingerprint, when it was last used (in the member's language) and
    the comment its owner wrote (their words, kept as they are)."""
    t = screen.t
    when = key.last_used_at
    used = (
        t(KEY_USED).format(when=screen.bbs.moment(when, time=False)) if when else t(KEY_NEVER_USED)
    )
    comment = f"  {key.comment}" if key.comment else ""
    return f"{key.algorithm} {key.fingerprint[:27]}  {used}{comment}"


class KeysScreen(_PrivacyPanel, ListPanel):
    """The SSH keys that log the member in: A adds a pasted line, D removes the chosen one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("d,delete", "remove", "Remove"),
    ]
    DEFAULT_CSS = default_css(__file__, "KeysScreen")
    HEADING = N_("SSH keys that log you in")
    NOTE = N_("Your password always works too.")
    FOCUS_ID = "keys"
    KEYS = N_(" Up/Down choose   A add a key   D remove   Esc back   F1 help")
    keys: Sequence[KeyView] = ()

    async def reload(self) -> None:
        if (keys := await self.tried(self._privacy.keys(self.member_id))) is None:
            return
        self.keys = keys.value
        self.fill_list(
            "keys",
            [styled_line(_key_line(self, k)) for k in self.keys],
            empty=KEYS_EMPTY,
        )

    async def action_add(self) -> None:
        def added(line: str | None) -> None:
            if line:
                self.run_worker(self._add(line), exclusive=True)

        self.app.push_screen(AskScreen(self.t(KEY_ASK), max_length=16000), added)

    async def _add(self, line: str) -> None:
        added = await self.tried(self._privacy.add_key(self.member_id, line), AccountError)
        if added is None:
            return
        await self.reload()
        self.say(self.t(KEY_ADDED).format(fingerprint=added.value.fingerprint))

    async def action_remove(self) -> None:
        if (key := self.highlighted_item("keys", self.keys)) is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._remove(key), exclusive=True)

        self.app.push_screen(
            ConfirmScreen(self.t(KEY_REMOVE_ASK).format(fingerprint=key.fingerprint)), answered
        )

    async def _remove(self, key: KeyView) -> None:
        if await self.tried(self._privacy.remove_key(self.member_id, key.fingerprint)) is None:
            return
        await self.reload()
        self.say(KEY_REMOVED)


def _session_line(screen: BBSScreen[None], info: SessionInfo, this: bool) -> str:
    """A session's row: since when (in the member's language), its window, this one."""
    return screen.t(SESSION_LINE).format(
        since=screen.bbs.moment(info.started_at),
        width=info.width,
        height=info.height,
        this=screen.t(THIS_SESSION) if this else "",
    )


class SessionsScreen(_PrivacyPanel, ListPanel):
    """The member's live sessions; E ends the chosen one (not this one)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e,d", "end", "End session"),
        Binding("r", "reload", "Refresh"),
    ]
    DEFAULT_CSS = default_css(__file__, "SessionsScreen")
    HEADING = N_("Your active sessions")
    NOTE = N_("Each is a connection open now. No addresses are kept.")
    FOCUS_ID = "sessions"
    KEYS = N_(" Up/Down choose   E end session   R refresh   Esc back   F1 help")
    sessions: Sequence[SessionInfo] = ()

    async def action_reload(self) -> None:
        await self.reload()

    async def reload(self) -> None:
        self.sessions = await self._privacy.sessions(self.member_id)
        mine = self.bbs.context.session_id
        self.fill_list(
            "sessions",
            [styled_line(_session_line(self, s, s.session_id == mine)) for s in self.sessions],
            empty=SESSIONS_EMPTY,
        )

    async def action_end(self) -> None:
        if (chosen := self.highlighted_item("sessions", self.sessions)) is None:
            return
        if chosen.session_id == self.bbs.context.session_id:
            self.say(SESSION_IS_THIS)
            return
        ended = await self._privacy.end_session(self.member_id, chosen.session_id)
        await self.reload()
        self.say(SESSION_ENDED if ended else SESSION_GONE)


class DeleteAccountScreen(_PrivacyPanel):
    """Deleting the account: a calm warning, a choice about posts, and the name typed."""

    AUTO_FOCUS = "#choice"
    DEFAULT_CSS = default_css(__file__, "DeleteAccountScreen")

    def compose(self) -> ComposeResult:
        name = self.member.pseudonym
        t = self.t
        yield PlainText(t(DELETE_TITLE), classes="title")
        yield PlainText(t(DELETE_HOW), classes="body")
        yield PlainText(t(DELETE_POSTS), classes="note")
        with RadioSet(id="choice", compact=True):
            yield Choice(t(DELETE_REMOVE), value=True, id="choice-remove")
            yield Choice(t(DELETE_ANONYMISE), id="choice-anonymise")
        yield PlainText(t(DELETE_CONFIRM).format(name=name), classes="note")
        yield TextField("", id="confirm", max_length=128)
        yield PlainText("", id="status", classes="error")
        yield KeyBar(DELETE_KEYS)

    def _choice(self) -> DeleteChoice:
        pressed = self.query_one("#choice", RadioSet).pressed_button
        if pressed is not None and pressed.id == "choice-anonymise":
            return DeleteChoice.ANONYMISE
        return DeleteChoice.REMOVE

    @on(Input.Submitted, "#confirm")
    async def _confirmed(self, _event: Input.Submitted) -> None:
        status = self.query_one("#status", PlainText)
        typed = self.query_one("#confirm", TextField).value
        member = self.member
        try:
            await self._privacy.delete_account(member, typed, self._choice())
        except AccountError as error:
            status.show(self.t(error))
            return
        except StoreBusyError:
            status.show(self.t(NOT_DELETED).format(busy=self.t(BUSY)))
            return
        # The server's directory ended this session too; without one (tests), end it here.
        app = self.bbs
        if app.is_running and not app.farewell:
            from bbs.privacy.service import ACCOUNT_DELETED_FAREWELL

            app.farewell = app.t(ACCOUNT_DELETED_FAREWELL)
            app.exit(0)


class QuickHideScreen(Screen[None]):
    """A neutral screen for a shared space: no name, no colour, nothing of the BBS."""

    DEFAULT_CSS = default_css(__file__, "QuickHideScreen")

    def compose(self) -> ComposeResult:
        # In the member's language: a page in a language they do not read would stand out.
        yield Static(session_text(self, HIDE_TITLE), markup=False)
        yield Static(session_text(self, HIDE_STATUS), markup=False)
        yield Static(session_text(self, HIDE_CHECKED), markup=False)

    def on_mount(self) -> None:
        # Nothing focusable: letters typed here go nowhere.
        self.set_focus(None)

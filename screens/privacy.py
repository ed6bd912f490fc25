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
    styled_line,
)

if TYPE_CHECKING:
    from bbs.privacy.service import PrivacyService

QUICK_HIDE_KEYS = "f12,ctrl+backslash"
QUICK_HIDE_NAME = "F12 or Ctrl+\\"


class _PrivacyPanel(PanelScreen):
    """A page of privacy and your data: they all work with the privacy service."""

    def __init__(self, *, privacy: PrivacyService) -> None:
        super().__init__()
        self._privacy = privacy


class PrivacyScreen(_PrivacyPanel):
    """The hub: each part one key away, the export command always in view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "stored", "What we store", show=False),
        Binding("c", "password", "Change password", show=False),
        Binding("k", "keys", "Keys", show=False),
        Binding("r", "recovery", "Recovery code", show=False),
        Binding("s", "sessions", "Sessions", show=False),
        Binding("o", "offline", "Appear offline", show=False),
        Binding("d", "delete", "Delete account", show=False),
    ]
    DEFAULT_CSS = default_css(__file__, "PrivacyScreen")
    offline = False

    def _entries(self) -> list[tuple[str, str]]:
        state = "on" if self.offline else "off"
        return [
            ("stored", " W  What we store about you "),
            ("password", " C  Change password "),
            ("keys", " K  SSH keys: list, add, remove "),
            ("recovery", " R  New recovery code "),
            ("sessions", " S  Active sessions "),
            ("offline", f" O  Appear offline: {state} "),
            ("delete", " D  Delete my account "),
        ]

    def compose(self) -> ComposeResult:
        member = self.member
        yield PlainText("Privacy and your data", classes="title")
        yield PlainText(
            "Download everything of yours as one JSON file, with your usual login:",
            classes="note",
            id="export-note",
        )
        yield PlainText(self._privacy.export_command(member), id="export")
        yield KeyMenu(self._entries(), id="menu")
        yield PlainText(
            f"Quick-hide: {QUICK_HIDE_NAME} swaps the screen for a plain one; "
            "the same key brings it back.",
            classes="note",
        )
        yield PlainText("", id="status", classes="note")
        yield KeyBar(" W C K R S O D choose   Enter open   Esc back   F12 hide   F1 help")

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
        self.say(
            "You appear offline: rooms do not list you; you can still read and write."
            if wanted
            else "You appear online again."
        )


class WhatWeStoreScreen(_PrivacyPanel):
    """The plain-language page, generated from the member's real data."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "back", "Back")]
    DEFAULT_CSS = default_css(__file__, "WhatWeStoreScreen")

    def compose(self) -> ComposeResult:
        yield PlainText("What we store about you", classes="title")
        with VerticalScroll(id="scroll"):
            yield PlainText("Reading it from the store...", id="stored")
        yield KeyBar(" Up/Down scroll   Esc back   F1 help")

    async def on_mount(self) -> None:
        self.query_one("#scroll").focus()
        member = self.member
        privacy = self._privacy
        try:
            text = await privacy.what_we_store(member.id)
        except StoreBusyError:
            self.query_one("#stored", PlainText).show(BUSY)
            return
        text += "\n\nTo download all of it as JSON:\n  " + privacy.export_command(member)
        self.query_one("#stored", PlainText).show(reflow(text))


PASSWORD_CHANGED = (
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
        yield PlainText("Change password", classes="title")
        yield PlainText("Current password", classes="note")
        yield TextField(password=True, id="current", max_length=1024)
        yield PlainText(
            f"New password (at least {MIN_PASSWORD_LENGTH} characters; a few words work well)",
            classes="note",
        )
        yield TextField(password=True, id="new", max_length=1024)
        yield PlainText("New password again", classes="note")
        yield TextField(password=True, id="repeat", max_length=1024)
        yield PlainText("", id="status", classes="error")
        yield KeyBar(" Enter next / save   Ctrl+S save   Esc back   F1 help")

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
        self.notify(PASSWORD_CHANGED, markup=False)
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)


class NewRecoveryCodeScreen(_PrivacyPanel):
    """A fresh recovery code, after the current password; shown this once."""

    AUTO_FOCUS = "#current"
    DEFAULT_CSS = default_css(__file__, "NewRecoveryCodeScreen")

    def compose(self) -> ComposeResult:
        yield PlainText("New recovery code", classes="title")
        yield PlainText(
            "A new code replaces your old one, which stops working. Type your "
            "password, then Enter.",
            classes="note",
        )
        yield TextField(password=True, id="current", max_length=1024)
        yield PlainText("", id="code", classes="code")
        yield PlainText("", id="status", classes="error")
        yield KeyBar(" Enter make a new code   Esc back   F1 help")

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
        self.query_one(".note", PlainText).show(
            "Here is your new recovery code. Write it down somewhere safe now: it is shown "
            "only this once. Esc when you have noted it."
        )


def _key_line(key: KeyView) -> str:
    used = f"last used {key.last_used_at:%Y-%m-%d}" if key.last_used_at else "never used"
    comment = f"  {key.comment}" if key.comment else ""
    return f"{key.algorithm} {key.fingerprint[:27]}  {used}{comment}"


class KeysScreen(_PrivacyPanel, ListPanel):
    """The SSH keys that log the member in: A adds a pasted line, D removes the chosen one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("d,delete", "remove", "Remove"),
    ]
    DEFAULT_CSS = default_css(__file__, "KeysScreen")
    HEADING = "SSH keys that log you in"
    NOTE = "Your password always works too."
    FOCUS_ID = "keys"
    KEYS = " Up/Down choose   A add a key   D remove   Esc back   F1 help"
    keys: Sequence[KeyView] = ()

    async def reload(self) -> None:
        if (keys := await self.tried(self._privacy.keys(self.member_id))) is None:
            return
        self.keys = keys.value
        self.fill_list(
            "keys",
            [styled_line(_key_line(k)) for k in self.keys],
            empty="No keys yet. A adds one: paste the line of your .pub file.",
        )

    async def action_add(self) -> None:
        def added(line: str | None) -> None:
            if line:
                self.run_worker(self._add(line), exclusive=True)

        self.app.push_screen(
            AskScreen("Paste your public key line (ssh-ed25519 AAAA...):", max_length=16000), added
        )

    async def _add(self, line: str) -> None:
        added = await self.tried(self._privacy.add_key(self.member_id, line), AccountError)
        if added is None:
            return
        await self.reload()
        self.say(f"Added. {added.value.fingerprint} now logs you in.")

    async def action_remove(self) -> None:
        if (key := self.highlighted_item("keys", self.keys)) is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._remove(key), exclusive=True)

        self.app.push_screen(
            ConfirmScreen(f"Stop this key logging you in? {key.fingerprint} (Y/N)"), answered
        )

    async def _remove(self, key: KeyView) -> None:
        if await self.tried(self._privacy.remove_key(self.member_id, key.fingerprint)) is None:
            return
        await self.reload()
        self.say("Removed. That key no longer logs you in.")


def _session_line(info: SessionInfo, this: bool) -> str:
    started = info.started_at.strftime("%Y-%m-%d %H:%M UTC")
    mark = "  (this one)" if this else ""
    return f"since {started}  {info.width}x{info.height}{mark}"


class SessionsScreen(_PrivacyPanel, ListPanel):
    """The member's live sessions; E ends the chosen one (not this one)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e,d", "end", "End session"),
        Binding("r", "reload", "Refresh"),
    ]
    DEFAULT_CSS = default_css(__file__, "SessionsScreen")
    HEADING = "Your active sessions"
    NOTE = "Each is a connection open now. No addresses are kept."
    FOCUS_ID = "sessions"
    KEYS = " Up/Down choose   E end session   R refresh   Esc back   F1 help"
    sessions: Sequence[SessionInfo] = ()

    async def action_reload(self) -> None:
        await self.reload()

    async def reload(self) -> None:
        self.sessions = await self._privacy.sessions(self.member_id)
        mine = self.bbs.context.session_id
        self.fill_list(
            "sessions",
            [styled_line(_session_line(s, s.session_id == mine)) for s in self.sessions],
            empty="No sessions are listed here.",
        )

    async def action_end(self) -> None:
        if (chosen := self.highlighted_item("sessions", self.sessions)) is None:
            return
        if chosen.session_id == self.bbs.context.session_id:
            self.say("That is this session. To leave, press Ctrl+C or Q on the main menu.")
            return
        ended = await self._privacy.end_session(self.member_id, chosen.session_id)
        await self.reload()
        self.say("Ended." if ended else "That session had already ended.")


class DeleteAccountScreen(_PrivacyPanel):
    """Deleting the account: a calm warning, a choice about posts, and the name typed."""

    AUTO_FOCUS = "#choice"
    DEFAULT_CSS = default_css(__file__, "DeleteAccountScreen")

    def compose(self) -> ComposeResult:
        name = self.member.pseudonym
        yield PlainText("Delete my account", classes="title")
        yield PlainText(
            "Take your time; nothing happens until you type your name below. Deleting cannot "
            "be undone. Your private messages, goals, check-ins, partnerships, keys and "
            "settings are removed, and your sessions end. Your name cannot be used by anyone "
            "for 30 days. You can export your data first (see the privacy screen).",
            classes="body",
        )
        yield PlainText("Your posts on the boards:", classes="note")
        with RadioSet(id="choice", compact=True):
            yield Choice(
                "Remove them (a short placeholder keeps replies readable)",
                value=True,
                id="choice-remove",
            )
            yield Choice('Keep them, shown as written by "a former member"', id="choice-anonymise")
        yield PlainText(f"To confirm, type your name ({name}) and press Enter:", classes="note")
        yield TextField("", id="confirm", max_length=128)
        yield PlainText("", id="status", classes="error")
        yield KeyBar(" Up/Down choose  Space select  Tab move  Enter delete  Esc back")

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
            status.show(str(error))
            return
        except StoreBusyError:
            status.show(BUSY + " Your account was not deleted.")
            return
        # The server's directory ended this session too; without one (tests), end it here.
        app = self.bbs
        if app.is_running and not app.farewell:
            from bbs.privacy.service import ACCOUNT_DELETED_FAREWELL

            app.farewell = ACCOUNT_DELETED_FAREWELL
            app.exit(0)


class QuickHideScreen(Screen[None]):
    """A neutral screen for a shared space: no name, no colour, nothing of the BBS."""

    DEFAULT_CSS = default_css(__file__, "QuickHideScreen")

    def compose(self) -> ComposeResult:
        yield Static("System status", markup=False)
        yield Static("All services are operating normally.", markup=False)
        yield Static("Last checked: a few moments ago.", markup=False)

    def on_mount(self) -> None:
        # Nothing focusable: letters typed here go nowhere.
        self.set_focus(None)

"""Arriving as `new`: guidelines and what we store, a pseudonym, a password, a recovery code."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, OptionList
from textual.widgets.option_list import Option

from bbs.accounts.members import AccountError
from bbs.accounts.passwords import MAX_PASSWORD_LENGTH, PasswordError
from bbs.accounts.pseudonyms import PseudonymError
from bbs.accounts.service import SignUpResult
from bbs.errors import StoreBusyError
from bbs.i18n import LANGUAGE_NAMES, LANGUAGES, N_, ready_language
from bbs.reflow import reflow
from screens.base import BBSScreen, PanelScreen
from screens.tcss import default_css
from screens.widgets import KeyBar, PlainText, TextField, Tick, literal

if TYPE_CHECKING:
    from collections.abc import Callable

    from bbs.accounts.service import AccountService
    from bbs.config import Settings
    from bbs.texts.service import Texts


# What a member may be told about a failed step; anything else is our fault, said kindly.
_EXPECTED_ERRORS = (AccountError, PasswordError, PseudonymError, StoreBusyError)
_SORRY = N_("Something went wrong on our side. Nothing was saved; please try again.")
# Every language's own word for "language": the question is read before any is chosen.
LANGUAGE_TITLE = "Language · Idioma · Langue · Sprache · Idioma"
LANGUAGE_KEYS = N_(" Up/Down  Enter OK  1-5  Q leave  F1 help")


class _SignUpStep(BBSScreen[None]):
    """A step before the member is signed in, with what the steps need; Q leaves."""

    def __init__(
        self, *, settings: Callable[[], Settings], texts: Texts, accounts: AccountService
    ) -> None:
        super().__init__()
        self._settings = settings
        self._texts = texts
        self._accounts = accounts

    def action_leave(self) -> None:
        app = self.bbs
        app.farewell = app.gettext(LEAVING)
        app.exit(0)


class LanguageScreen(_SignUpStep):
    """Step zero: the language of sign-up and of the board, each named in its own words.

    The one the SSH client's locale asked for (LANG, LC_ALL) is chosen already.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, len(LANGUAGES) + 1)),
        Binding("q", "leave", "Leave", show=False),
        Binding("escape", "leave", "Leave", show=False),
    ]

    DEFAULT_CSS = default_css(__file__, "LanguageScreen")

    def compose(self) -> ComposeResult:
        yield PlainText(LANGUAGE_TITLE, classes="title")
        yield OptionList(
            *(
                Option(literal(f"{n}  {LANGUAGE_NAMES[lang]}"), id=lang)
                for n, lang in enumerate(LANGUAGES, start=1)
            ),
            id="languages",
        )
        yield KeyBar(LANGUAGE_KEYS)

    def on_mount(self) -> None:
        options = self.query_one("#languages", OptionList)
        options.highlighted = LANGUAGES.index(self.bbs.language)
        options.focus()

    def on_screen_resume(self) -> None:
        # Back from the next step (Escape): the keys in the language chosen last.
        self.query_one(KeyBar).update(Content(self.t(LANGUAGE_KEYS)))

    @on(OptionList.OptionSelected, "#languages")
    async def _chosen(self, event: OptionList.OptionSelected) -> None:
        await self.choose(event.option.id or LANGUAGES[0])

    async def action_pick(self, index: int) -> None:
        await self.choose(LANGUAGES[index])

    async def choose(self, lang: str) -> None:
        """Sign-up goes on in `lang`; Escape on the next screen comes back here."""
        await ready_language(lang)  # its catalogue read in a thread, the first time
        self.bbs.language = lang
        self.app.push_screen(
            WelcomeScreen(settings=self._settings, texts=self._texts, accounts=self._accounts)
        )


LEAVING = N_("Goodbye. You are welcome back any time.")


class WelcomeScreen(_SignUpStep):
    """Step one: read the guidelines and what we keep, then agree (or leave, or recover)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "agree", "Agree"),
        Binding("r", "recover", "Recovery code"),
        Binding("q", "leave", "Leave"),
        Binding("escape", "languages", "Languages", show=False),
    ]

    DEFAULT_CSS = default_css(__file__, "WelcomeScreen")

    def compose(self) -> ComposeResult:
        _ = self.bbs.gettext
        community = self._settings().community_name
        yield PlainText(_("Welcome to {community}").format(community=community), classes="title")
        with VerticalScroll(id="welcome-scroll"):
            yield PlainText(_("Loading the guidelines..."), id="guidelines", classes="body")
            yield PlainText(
                reflow(self.t(self._texts.what_we_store_text())),
                classes="body",
                id="what-we-store",
            )
        with Horizontal():
            yield Button(literal(_("A  I agree, sign me up")), id="agree", compact=True)
            yield Button(literal(_("R  I have a recovery code")), id="recover", compact=True)
            yield Button(literal(_("Q  Leave")), id="leave", compact=True)
        yield KeyBar(_(" A agree  R recovery code  Q leave  Esc language  Up/Down scroll  F1 help"))

    async def on_mount(self) -> None:
        text = await self._texts.guidelines_text(self.bbs.language)
        self.query_one("#guidelines", PlainText).show(reflow(text) + "\n")
        self.query_one("#welcome-scroll").focus()

    @on(Button.Pressed, "#agree")
    def action_agree(self) -> None:
        self.app.push_screen(SignUpFormScreen(accounts=self._accounts, settings=self._settings))

    @on(Button.Pressed, "#recover")
    def action_recover(self) -> None:
        self.app.push_screen(RecoverScreen(accounts=self._accounts, settings=self._settings))

    @on(Button.Pressed, "#leave")
    def action_languages(self) -> None:
        self.dismiss(None)


class _FormScreen(PanelScreen):
    """Shared behaviour of the sign-up and recovery forms: errors shown, work off the loop."""

    AUTO_FOCUS = "#pseudonym"
    DEFAULT_CSS = default_css(__file__, "_FormScreen")

    busy = False

    def __init__(self, *, accounts: AccountService, settings: Callable[[], Settings]) -> None:
        super().__init__()
        self._accounts = accounts
        self._settings = settings

    def form_end(self, button: str, keys: str) -> ComposeResult:
        """What ends both forms: the submit button, the error line and the key bar."""
        yield Button(literal(button), id="submit", compact=True)
        yield PlainText("", id="error", classes="error")
        yield KeyBar(keys)

    def show_error(self, message: str) -> None:
        self.query_one("#error", PlainText).show(message)

    @on(TextField.Submitted)
    def _last_field_entered(self) -> None:
        # Enter in any earlier field moves to the next one (TextField does that itself).
        self.submit()

    @on(Button.Pressed, "#submit")
    def _pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        if not self.busy:
            self.busy = True
            self.show_error(self.bbs.gettext("One moment..."))
            self.run_worker(self._submit(), exclusive=True, group="submit")

    async def _submit(self) -> None:
        try:
            result = await self.perform()
        except _EXPECTED_ERRORS as error:
            self.show_error(self.t(error))
        except Exception:
            self.log.error("form failed")
            self.show_error(self.bbs.gettext(_SORRY))
        else:
            await ready_language(result.member.language)  # a recovered member's own
            self.bbs.signed_in(result.member)
            code_screen = RecoveryCodeScreen(
                result.recovery_code, first_time=self.first_time, settings=self._settings
            )
            self.app.switch_screen(code_screen)
        finally:
            self.busy = False

    first_time = True

    async def perform(self) -> SignUpResult:
        raise NotImplementedError


def _password_field(placeholder: str, field_id: str) -> TextField:
    return TextField(
        placeholder=placeholder, password=True, id=field_id, max_length=MAX_PASSWORD_LENGTH
    )


class SignUpFormScreen(_FormScreen):
    """Step two: a pseudonym, a password typed twice, and whether to keep the SSH key."""

    def compose(self) -> ComposeResult:
        _ = self.bbs.gettext
        yield PlainText(_("Choose how you will be known here"), classes="title")
        yield PlainText(
            _("A pseudonym of 2 to 24 letters or digits (and _ - .). Not your real name."),
            classes="note",
        )
        yield TextField(placeholder=_("pseudonym"), id="pseudonym", max_length=64)
        yield PlainText(_("A password of at least 10 characters, twice."), classes="note")
        yield _password_field(_("password"), "password")
        yield _password_field(_("password again"), "repeat")
        key = self.bbs.context.offered_key
        if key is not None:
            yield Tick(_("Let the SSH key I connected with log me in:"), value=True, id="keep-key")
            # On a line of its own, so 80 columns show all of it (it wraps when narrower).
            yield PlainText(
                f"{key.algorithm} {key.fingerprint}", id="key-fingerprint", classes="note"
            )
        yield from self.form_end(
            _("Create my account"), _(" Enter next/create  Tab move  Esc back  F1 help")
        )

    async def perform(self) -> SignUpResult:
        app = self.bbs
        keep = self.query("#keep-key")
        keep_key = bool(keep) and self.query_one("#keep-key", Checkbox).value
        return await self._accounts.sign_up(
            self.query_one("#pseudonym", TextField).value,
            self.query_one("#password", TextField).value,
            self.query_one("#repeat", TextField).value,
            key=app.context.offered_key if keep_key else None,
            source=app.context.source,
            language=app.language,
        )


class RecoverScreen(_FormScreen):
    """Forgot the password: the recovery code sets a new one (and is replaced)."""

    first_time = False

    def compose(self) -> ComposeResult:
        _ = self.bbs.gettext
        yield PlainText(_("Use your recovery code"), classes="title")
        yield PlainText(
            _(
                "Type your pseudonym, the recovery code you noted when you joined, "
                "and a new password twice."
            ),
            classes="note",
        )
        yield TextField(placeholder=_("pseudonym"), id="pseudonym", max_length=64)
        yield TextField(placeholder=_("recovery code"), id="code", max_length=64)
        yield _password_field(_("new password"), "password")
        yield _password_field(_("new password again"), "repeat")
        yield from self.form_end(
            _("Set my new password"), _(" Enter next/set  Tab move  Esc back  F1 help")
        )

    async def perform(self) -> SignUpResult:
        app = self.bbs
        return await self._accounts.reset_password(
            self.query_one("#pseudonym", TextField).value,
            self.query_one("#code", TextField).value,
            self.query_one("#password", TextField).value,
            self.query_one("#repeat", TextField).value,
            source=app.context.source,
        )


class RecoveryCodeScreen(BBSScreen[None]):
    """The one time a recovery code is shown: it is the only way back without e-mail."""

    AUTO_FOCUS = "#done"
    DEFAULT_CSS = default_css(__file__, "RecoveryCodeScreen")

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "done", "Continue")]

    def __init__(self, code: str, *, first_time: bool, settings: Callable[[], Settings]) -> None:
        super().__init__()
        self._settings = settings
        self.code = code
        self.first_time = first_time

    def compose(self) -> ComposeResult:
        _ = self.bbs.gettext
        member = self.bbs.member
        name = member.pseudonym if member else ""
        title = _("Welcome, {name}") if self.first_time else _("New password set, {name}")
        yield PlainText(title.format(name=name), classes="title")
        yield PlainText(
            _(
                "Here is your recovery code. Write it down somewhere safe now: it is shown only "
                "this once, and it is the only way back in if you forget your password, because "
                "we keep no e-mail address for you."
            ),
            classes="body",
        )
        yield PlainText(self.code, id="recovery-code", classes="code")
        port = self._settings().port
        yield PlainText(
            _(
                "Next time, connect the same way as now with your name instead of 'new', "
                "for example:  ssh -p {port} {name}@<this host>"
            ).format(port=port, name=name),
            classes="note",
        )
        yield Button(literal(_("I have noted it, continue")), id="done", compact=True)
        yield KeyBar(_(" Enter continue  F1 help"))

    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        self.bbs.show_main_menu()

"""Profile and settings: who you are here, and how the screen looks to you."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Checkbox, RadioSet

from bbs.accounts.members import AccountError
from bbs.accounts.service import checked_country
from bbs.errors import StoreBusyError
from bbs.i18n import LANGUAGE_NAMES, LANGUAGES, N_, ready_language
from bbs.models import ColourMode, FrontEnd
from screens.base import PanelScreen
from screens.goals import ProfileBadges
from screens.tcss import default_css
from screens.widgets import Choice, KeyBar, PlainText, TextField, Tick

if TYPE_CHECKING:
    from bbs.accounts.service import AccountService
    from bbs.goals.service import GoalService
    from bbs.privacy.service import PrivacyService
    from bbs.suggestions.service import SuggestionService


# A second front end of plain lines (see plain/): screen readers, braille, the slowest links.
_PLAIN_LABEL = N_("Plain line mode from my next login (screen readers, slow links)")
_COLOUR_LABELS = {
    ColourMode.AUTO: N_("Automatic (from your terminal)"),
    ColourMode.SIXTEEN: N_("16 colours"),
    ColourMode.MONOCHROME: N_("Monochrome"),
}
COUNTRY_LABEL = N_("Country for crisis lines (2 letters, e.g. DE; optional):")
# A member's role, as said (stored and checked in English).
_ROLE_NAMES = {"member": N_("member"), "moderator": N_("moderator"), "sysop": N_("sysop")}


class ProfileScreen(PanelScreen):
    """Colour choice and mouse, saved to the member's profile and applied at once."""

    AUTO_FOCUS = "#colour"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save", "Save", show=False),
        Binding("f", "suggestions", "Suggestions", show=False),
        Binding("p", "privacy", "Privacy", show=False),
    ]

    DEFAULT_CSS = default_css(__file__, "ProfileScreen")

    def __init__(
        self,
        *,
        accounts: AccountService,
        goals: GoalService,
        privacy: PrivacyService,
        suggestions: SuggestionService,
    ) -> None:
        super().__init__()
        self._accounts = accounts
        self._goals = goals
        self._privacy = privacy
        self._suggestions = suggestions

    def compose(self) -> ComposeResult:
        member = self.member
        yield PlainText(
            self.t(N_("Profile: {name}")).format(name=member.pseudonym), classes="title"
        )
        role = _ROLE_NAMES.get(member.role.value)
        about = self.bbs.ngettext(
            "Role: {role}. Member since {since}. {count} SSH key can log you in.",
            "Role: {role}. Member since {since}. {count} SSH keys can log you in.",
            member.key_count,
        )
        yield PlainText(
            about.format(
                role=self.t(role) if role else member.role.value,
                since=self.bbs.moment(member.created_at, time=False),
                count=member.key_count,
            ),
            classes="note",
        )
        yield ProfileBadges(goals=self._goals, classes="note", id="profile-badges")
        yield PlainText(self.t(N_("Colours")), classes="heading")
        with RadioSet(id="colour", compact=True):
            for mode, label in _COLOUR_LABELS.items():
                yield Choice(
                    self.t(label), value=member.colour_mode is mode, id=f"colour-{mode.name}"
                )
        yield Tick(self.t(N_("Mouse clicks")), value=member.mouse, id="mouse")
        yield PlainText(self.t(N_("Mouse changes apply from your next login.")), classes="note")
        yield Tick(self.t(_PLAIN_LABEL), value=member.front_end is FrontEnd.PLAIN, id="plain-mode")
        # Each language in its own name, on one line: the form fits 24 lines.
        with RadioSet(id="language", compact=True):
            for lang in LANGUAGES:
                yield Choice(
                    LANGUAGE_NAMES[lang], value=member.language == lang, id=f"language-{lang}"
                )
        # A country only chooses which crisis lines help shows (where a sysop wrote them).
        with Horizontal(id="country-row"):
            yield PlainText(self.t(COUNTRY_LABEL), id="country-label")
            yield TextField(member.country, id="country", max_length=2, placeholder="--")
        yield Button(Content(self.t(N_("Save"))), id="save", compact=True)
        yield PlainText("", id="status", classes="note")
        yield PlainText(
            self.t(
                N_("P: privacy and your data (export, password, keys, sessions, delete account).")
            ),
            classes="note",
        )
        yield KeyBar(N_(" Up/Down choose  Space select  S save  F for you  P privacy  Esc back"))

    def _chosen_language(self, now: str) -> str:
        pressed = self.query_one("#language", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return now
        return pressed.id.removeprefix("language-")

    def _chosen_mode(self) -> ColourMode:
        pressed = self.query_one("#colour", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return ColourMode.AUTO
        return ColourMode[pressed.id.removeprefix("colour-")]

    @on(Button.Pressed, "#save")
    async def action_save(self) -> None:
        app = self.bbs
        member = app.member
        assert member is not None
        status = self.query_one("#status", PlainText)
        field = self.query_one("#country", TextField)
        try:
            country = checked_country(field.value)
        except AccountError as error:
            # Nothing is saved until the country reads right (or is left empty).
            status.show(self.t(error))
            field.focus()
            return
        try:
            updated = await self._accounts.update_display(
                member.id,
                colour_mode=self._chosen_mode(),
                mouse=self.query_one("#mouse", Checkbox).value,
            )
            front_end = (
                FrontEnd.PLAIN if self.query_one("#plain-mode", Checkbox).value else FrontEnd.FULL
            )
            if front_end is not updated.front_end:
                updated = await self._accounts.set_front_end(member.id, front_end)
            language = self._chosen_language(updated.language)
            if language != updated.language:
                updated = await self._accounts.set_language(member.id, language)
            if country != updated.country:
                updated = await self._accounts.set_country(member.id, country)
        except StoreBusyError:
            status.show(
                self.t(N_("The server is busy right now; your settings were not saved. Try again."))
            )
            return
        # Said in the language this screen is shown in; the next screens speak the new one.
        saved = self.t(N_("Saved."))
        await ready_language(updated.language)  # read in a thread, the first time
        app.context.member = updated
        app.language = updated.language
        app.apply_colour_mode(updated.colour_mode)
        status.show(saved)

    def action_suggestions(self) -> None:
        from screens.suggestions import SuggestionSettingsScreen

        self.app.push_screen(SuggestionSettingsScreen(suggestions=self._suggestions))

    def action_privacy(self) -> None:
        from screens.privacy import PrivacyScreen

        self.app.push_screen(PrivacyScreen(privacy=self._privacy))

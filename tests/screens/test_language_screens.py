"""Pilot tests: the language is sign-up's first question, the rest follows in it, and the
Profile changes it (with F1's help following)."""

from __future__ import annotations

from support import PASSWORD, reach, sign_up, text_of, until
from textual.widgets import Input, OptionList, RadioSet

from bbs.community import Community
from bbs.models import Role
from screens.app import BBSApp, SessionContext
from screens.help import HelpScreen
from screens.menu import MainMenuScreen
from screens.profile import ProfileScreen
from screens.signup import LanguageScreen, RecoveryCodeScreen, SignUpFormScreen, WelcomeScreen
from screens.widgets import KeyBar, PlainText


def _keys(app: BBSApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_signing_up_in_spanish_asks_the_language_first_then_speaks_spanish(
    community: Community,
) -> None:
    app = BBSApp(SessionContext(community.services, None))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LanguageScreen)
        options = app.screen.query_one("#languages", OptionList)
        names = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert names == ["1  English", "2  Español", "3  Français", "4  Deutsch", "5  Português"]
        assert options.highlighted == 0  # nothing asked for: English
        await pilot.press("down", "enter")
        await reach(pilot, WelcomeScreen)
        assert text_of(app, ".title").startswith("Te damos la bienvenida a ")
        assert "A acepto" in _keys(app)
        await pilot.press("a")
        await reach(pilot, SignUpFormScreen)
        assert text_of(app, ".title") == "Elige cómo te conocerán aquí"
        assert app.screen.query_one("#pseudonym", Input).placeholder == "seudónimo"
        assert "Enter siguiente/crear" in _keys(app)
        app.screen.query_one("#pseudonym", Input).value = "Lucia"
        app.screen.query_one("#password", Input).value = PASSWORD
        app.screen.query_one("#repeat", Input).value = PASSWORD
        app.screen.query_one("#repeat", Input).focus()
        await pilot.press("enter")
        await reach(pilot, RecoveryCodeScreen)
        assert text_of(app, ".title") == "Te damos la bienvenida, Lucia"
        await pilot.press("enter")
        await reach(pilot, MainMenuScreen)
        await pilot.press("f1")
        await reach(pilot, HelpScreen)
        await until(pilot, lambda: "Alguien con quien hablar" in text_of(app, "#help-text"))
    member = await community.accounts.authenticate_password("Lucia", PASSWORD)
    assert member is not None and member.language == "es"


async def test_the_ssh_clients_language_is_chosen_already_and_escape_goes_back_to_it(
    community: Community,
) -> None:
    app = BBSApp(SessionContext(community.services, None, preferred_language="de"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.query_one("#languages", OptionList).highlighted == 3
        await pilot.press("enter")
        await reach(pilot, WelcomeScreen)
        assert text_of(app, ".title").startswith("Willkommen bei ")
        await pilot.press("escape")
        await reach(pilot, LanguageScreen)
        await pilot.press("3")  # Français, by its number
        await reach(pilot, WelcomeScreen)
        assert text_of(app, ".title").startswith("Bienvenue sur ")


async def test_the_profile_changes_the_language_and_f1_follows(community: Community) -> None:
    member = await sign_up(community, "Joana")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(
            ProfileScreen(
                accounts=community.accounts,
                goals=community.goals,
                privacy=community.privacy,
                suggestions=community.suggestions,
            )
        )
        await reach(pilot, ProfileScreen)
        choices = app.screen.query_one("#language", RadioSet)
        assert choices.pressed_button is not None and choices.pressed_button.id == "language-en"
        app.screen.query_one("#language-pt").value = True  # type: ignore[attr-defined]
        await pilot.pause()
        await app.screen.action_save()  # type: ignore[attr-defined]
        assert text_of(app, "#status") == "Saved."
        await pilot.press("f1")
        await reach(pilot, HelpScreen)
        await until(pilot, lambda: "Alguém com quem conversar" in text_of(app, "#help-text"))
        assert text_of(app, ".title") == "Ajuda e linhas de crise"
    assert await community.texts.member_language(member.id) == "pt"


async def test_the_crisis_and_note_boxes_say_their_keys_in_the_members_language(
    community: Community,
) -> None:
    from screens.compose import NoteScreen
    from screens.rooms import CrisisNoteScreen

    app = BBSApp(SessionContext(community.services, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")  # Español
        await reach(pilot, WelcomeScreen)
        app.push_screen(CrisisNoteScreen("Una nota."))
        await reach(pilot, CrisisNoteScreen)
        assert text_of(app, "#crisis-keys") == "Enter cerrar   ↑/↓ desplazar"
        await pilot.press("enter")
        await reach(pilot, WelcomeScreen)
        app.push_screen(NoteScreen("Otra nota."))
        await reach(pilot, NoteScreen)
        assert "Enter para cerrar" in [str(t.render()) for t in app.screen.query(PlainText)]


async def test_sign_up_shows_the_guidelines_in_the_chosen_language_where_a_sysop_wrote_them(
    community: Community,
) -> None:
    from bbs.texts import records as texts

    await community.store.write(
        lambda s: texts.put_text(s, texts.GUIDELINES, "de", "Seid freundlich zueinander.")
    )
    app = BBSApp(SessionContext(community.services, None, preferred_language="de"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # Deutsch, chosen already
        await reach(pilot, WelcomeScreen)
        await until(pilot, lambda: "Seid freundlich" in text_of(app, "#guidelines"))
        await pilot.press("escape")
        await reach(pilot, LanguageScreen)
        await pilot.press("3")  # Français: none written, so the community's own (English)
        await reach(pilot, WelcomeScreen)
        await until(pilot, lambda: "Seid freundlich" not in text_of(app, "#guidelines"))
        assert text_of(app, "#guidelines").strip()


async def test_a_country_on_the_profile_brings_that_countrys_crisis_lines(
    community: Community,
) -> None:
    keeper = await sign_up(community, "Keeper", Role.SYSOP)
    await community.admin.set_help_text(
        keeper.id, "Ayuda en México: Línea de la Vida.", lang="es", country="MX"
    )
    member = await sign_up(community, "Itzel")
    member = await community.accounts.set_language(member.id, "es")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(
            ProfileScreen(
                accounts=community.accounts,
                goals=community.goals,
                privacy=community.privacy,
                suggestions=community.suggestions,
            )
        )
        await reach(pilot, ProfileScreen)
        country = app.screen.query_one("#country", Input)
        # A code that names no country: said kindly, in Spanish, and nothing is saved.
        country.value = "XQ"
        await app.screen.action_save()  # type: ignore[attr-defined]
        assert "XQ" in text_of(app, "#status") and "Saved" not in text_of(app, "#status")
        assert (await community.accounts.member(member.id)).country == ""  # type: ignore[union-attr]
        country.value = "mx"
        await app.screen.action_save()  # type: ignore[attr-defined]
        assert text_of(app, "#status") == "Guardado."
        await pilot.press("f1")
        await reach(pilot, HelpScreen)
        await until(pilot, lambda: "Línea de la Vida" in text_of(app, "#help-text"))
    assert (await community.accounts.member(member.id)).country == "MX"  # type: ignore[union-attr]

"""Pilot tests: rooms, their notes and the privacy pages in the member's language, the
member's own words (names, lines) kept as they are."""

from __future__ import annotations

from support import PASSWORD, reach, settle, text_of
from textual.events import Paste

from bbs.community import Community
from bbs.rooms.service import HELP_LINE
from screens.app import BBSApp, SessionContext
from screens.privacy import PrivacyScreen, QuickHideScreen, SessionsScreen
from screens.rooms import ROOM_KEYS, RoomFeed, RoomInput, RoomListScreen, RoomScreen
from screens.widgets import KeyBar


def _keys(app: BBSApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


def _feed(app: BBSApp) -> str:
    return " ".join(app.screen.query_one(RoomFeed).visible_text().split())


def test_the_room_key_bar_lists_the_cores_commands() -> None:
    assert ROOM_KEYS == f" {HELP_LINE}  F1 help"


async def test_a_room_speaks_portuguese_to_a_portuguese_member(community: Community) -> None:
    accounts = community.accounts
    member = (await accounts.sign_up("Jabuti", PASSWORD, PASSWORD, language="pt")).member
    other = (await accounts.sign_up("Caju", PASSWORD, PASSWORD)).member
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await settle(
            pilot,
            lambda: isinstance(app.screen, RoomListScreen) and app.screen._rooms,
            "the room list",
        )
        assert text_of(app, ".title") == "Salas"
        assert _keys(app) == " Enter entrar  Esc voltar  F1 ajuda"
        await pilot.press("enter")
        await reach(pilot, RoomScreen)
        assert text_of(app, "#room-topic").startswith("# Lobby")  # the room's own name
        assert "Esc sair  F1 ajuda" in _keys(app)
        assert app.screen.query_one(RoomInput).placeholder == "Escreva algo, ou /help"
        await settle(
            pilot, lambda: "Você está em Lobby." in _feed(app), "the Portuguese welcome note"
        )
        lobby = app.screen.visit.room.id  # type: ignore[attr-defined]
        visit = await community.rooms.enter(lobby, other)
        await settle(pilot, lambda: "Caju entrou." in _feed(app), "the Portuguese join note")
        await settle(
            pilot, lambda: "Aqui (" in text_of(app, "#room-presence"), "who is here, in Portuguese"
        )
        app.screen.query_one(RoomInput).post_message(Paste("x" * 700))
        await settle(
            pilot, lambda: "Só os primeiros 500 caracteres" in _feed(app), "the paste note"
        )
        await community.rooms.leave(visit)
        await settle(pilot, lambda: "Caju saiu." in _feed(app), "the Portuguese leave note")


async def test_the_privacy_pages_speak_portuguese(community: Community) -> None:
    member = (await community.accounts.sign_up("Ipe", PASSWORD, PASSWORD, language="pt")).member
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PrivacyScreen(privacy=community.privacy))
        await reach(pilot, PrivacyScreen)
        assert text_of(app, ".title") == "Privacidade e seus dados"
        assert "F12 ocultar" in _keys(app)
        await pilot.press("s")
        await reach(pilot, SessionsScreen)
        assert text_of(app, ".title") == "Suas sessões ativas"
        assert "E encerrar sessão" in _keys(app)
        await pilot.press("escape")
        await reach(pilot, PrivacyScreen)
        app.push_screen(QuickHideScreen())
        await reach(pilot, QuickHideScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Status do sistema" in shown


async def test_a_choice_shows_its_values_in_the_members_language() -> None:
    from textual.app import App, ComposeResult

    from bbs.i18n import localise
    from screens.widgets import ChoiceField

    class Portuguese(App[None]):
        CSS = BBSApp.CSS

        def t(self, message: object) -> str:
            return localise(message, "pt")

        def compose(self) -> ComposeResult:
            yield ChoiceField(["yes", "no"], "yes")

    app = Portuguese()
    async with app.run_test(size=(40, 10)) as pilot:
        field = app.query_one(ChoiceField)
        field.focus()
        await pilot.pause()
        assert str(field.render()).split() == ["[sim]", "não"]
        await pilot.press("n")  # the first letter of what is shown: "não"
        assert field.value == "no"  # the value itself is never a translation

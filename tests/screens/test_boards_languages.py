"""Pilot tests: the boards, the compose screen, private messages and the resource library
speak the member's language; the members' own words (board names, titles) stay as written."""

from __future__ import annotations

from support import NO_WAIT, board_id, settle, sign_up, text_of
from textual.widgets import Input, OptionList

from bbs.accounts.members import MemberView
from bbs.community import Community
from screens.app import BBSApp, SessionContext
from screens.boards import BoardsScreen, PostWidget, ThreadListScreen, ThreadScreen
from screens.compose import ComposeScreen
from screens.messages import MessagesScreen
from screens.resources import ResourceLibraryScreen
from screens.widgets import KeyBar


async def _member(community: Community, name: str, language: str) -> MemberView:
    community.boards.rules = NO_WAIT
    member = await sign_up(community, name)
    return await community.accounts.set_language(member.id, language)


def _keys(app: BBSApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


def _options(app: BBSApp, list_id: str) -> list[str]:
    options = app.screen.query_one(f"#{list_id}", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_boards_threads_and_compose_speak_german(community: Community) -> None:
    ada = await _member(community, "Ada", "de")
    board = await board_id(community, ada.id, "Sleep")
    started = await community.boards.create_thread(
        ada.id, board, title="Nights", body="Cannot sleep again"
    )
    assert started.post is not None
    await community.boards.edit(ada.id, started.post.id, body="Cannot sleep, again")
    app = BBSApp(SessionContext(community.services, ada))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(BoardsScreen(boards=community.boards, mail=community.mail))
        await settle(
            pilot,
            lambda: isinstance(app.screen, BoardsScreen) and bool(_options(app, "boards")),
            "the board list",
        )
        assert text_of(app, ".title") == "Foren"
        assert "Enter öffnen  F folgen  / suchen" in _keys(app)
        sleep = next(line for line in _options(app, "boards") if line.startswith("Sleep"))
        assert "1 Thread" in sleep  # the board's name is its own, the count is German

        # Follow the highlighted board: said in German, and the list knows it is followed.
        app.screen.query_one("#boards", OptionList).highlighted = _options(app, "boards").index(
            sleep
        )
        await pilot.press("f")
        await settle(pilot, lambda: "Du folgst" in text_of(app, "#status"), "the follow")
        await settle(
            pilot,
            lambda: any(
                line.startswith("Sleep") and "du folgst" in line for line in _options(app, "boards")
            ),
            "the followed mark",
        )
        await pilot.press("f")
        await settle(pilot, lambda: "nicht mehr" in text_of(app, "#status"), "the unfollow")

        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ThreadListScreen), "the threads")
        assert "N neuer Thread" in _keys(app)
        await settle(pilot, lambda: bool(_options(app, "threads")), "the thread list")
        assert "Nights" in _options(app, "threads")[0]
        assert "1 Beitrag" in _options(app, "threads")[0]

        await pilot.press("enter")
        await settle(
            pilot,
            lambda: isinstance(app.screen, ThreadScreen) and bool(app.screen.query(PostWidget)),
            "the thread",
        )
        post = str(app.screen.query(PostWidget).first().render())
        assert "(bearbeitet)" in post and "Cannot sleep, again" in post
        assert "R antworten" in _keys(app)

        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, ComposeScreen), "the editor")
        assert text_of(app, "#compose-title") == "Antwort auf: Nights"
        assert text_of(app, "#body-label") == "Dein Beitrag:"
        assert app.screen.query_one("#warning", Input).placeholder.startswith("Inhaltswarnung")
        assert "Ctrl+S senden  F2 Vorschau" in _keys(app)
        await pilot.press("f2")
        await settle(pilot, lambda: "Vorschau:" in text_of(app, "#status"), "the preview")
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, ThreadScreen), "back to the thread")


async def test_messages_and_the_library_speak_spanish(community: Community) -> None:
    lucia = await _member(community, "Lucia", "es")
    app = BBSApp(SessionContext(community.services, lucia))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(MessagesScreen(mail=community.mail, boards=community.boards))
        await settle(
            pilot,
            lambda: isinstance(app.screen, MessagesScreen) and bool(_options(app, "conversations")),
            "the conversations",
        )
        assert text_of(app, ".title") == "Mensajes privados"
        assert _options(app, "conversations") == [
            "Aún no hay conversaciones. Pulsa N para escribir a alguien."
        ]
        assert "Quién puede empezar una conversación contigo: " in text_of(app, "#who")
        await pilot.press("escape")
        app.push_screen(ResourceLibraryScreen(resources=community.resources))
        await settle(
            pilot,
            lambda: (
                isinstance(app.screen, ResourceLibraryScreen) and bool(_options(app, "resources"))
            ),
            "the library",
        )
        assert text_of(app, "#library-title") == "Biblioteca de recursos"
        assert text_of(app, "#library-filter").startswith("Todas las entradas: ")
        assert "Enter leer  F favorita" in _keys(app)
        # The default library itself is in Spanish (each entry in the member's language).
        entries = " ".join(_options(app, "resources"))
        assert "Anclaje 5-4-3-2-1" in entries and "5-4-3-2-1 grounding" not in entries


def test_every_key_bar_of_these_screens_fits_80_columns_in_every_language() -> None:
    """Each key bar's lines, in every language, fit a terminal 80 columns wide (the
    bar wraps rather than cut keys, but a wrapped bar takes a row from the page)."""
    from pathlib import Path

    from babel.messages.extract import extract_from_file

    from bbs.i18n import LANGUAGES, translator
    from bbs.text_safety import cell_width

    root = Path(__file__).resolve().parents[2] / "screens"
    bars = {
        message
        for name in ("boards", "compose", "messages", "resources", "suggestions")
        for _line, message, _comments, _context in extract_from_file(
            "python", root / f"{name}.py", keywords={"N_": None}
        )
        if isinstance(message, str) and message.startswith(" ") and "Esc " in message
    }
    assert len(bars) >= 12
    for lang in LANGUAGES:
        for bar in sorted(bars):
            said = translator(lang).gettext(bar)
            assert lang == "en" or said != bar, (lang, bar)
            assert bar.count("\n") <= said.count("\n") <= bar.count("\n") + 1, (lang, said)
            for line in said.split("\n"):
                assert cell_width(line) <= 79, (lang, line)

"""Boards and rooms marked with a language: a member finds the places in their language
first, each marked with the language's own name, and a room's members hear it change."""

from __future__ import annotations

from support import PASSWORD, reach, settle, sign_up, text_of
from textual.widgets import OptionList

from bbs.community import Community
from bbs.models import Role
from screens.app import BBSApp, SessionContext
from screens.boards import BoardsScreen
from screens.rooms import RoomFeed, RoomListScreen, RoomScreen


def _options(app: BBSApp, list_id: str) -> list[str]:
    options = app.screen.query_one(f"#{list_id}", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_places_in_the_members_language_come_first_and_say_so(
    community: Community,
) -> None:
    accounts = community.accounts
    keeper = await sign_up(community, "Keeper", Role.SYSOP)
    member = (await accounts.sign_up("Lucia", PASSWORD, PASSWORD, language="es")).member
    with community.database.write() as session:
        from bbs.boards.records import add_board
        from bbs.rooms.records import create_room

        add_board(session, "Charla", "En español", language="es")
        add_board(session, "Plaudern", "Auf Deutsch", language="de")
        create_room(session, name="Cafe", language="es")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(BoardsScreen(boards=community.boards, mail=community.mail))
        await settle(pilot, lambda: bool(_options(app, "boards")), "the board list")
        boards = _options(app, "boards")
        assert boards[0].startswith("Charla") and "· Español" in boards[0]
        plaudern = next(line for line in boards if line.startswith("Plaudern"))
        assert "· Deutsch" in plaudern and boards.index(plaudern) > 0
        await pilot.press("escape")
        await pilot.press("r")
        await settle(
            pilot,
            lambda: isinstance(app.screen, RoomListScreen) and bool(_options(app, "rooms")),
            "the room list",
        )
        rooms = _options(app, "rooms")
        assert rooms[0].startswith("Cafe · Español"), rooms
        await pilot.press("enter")
        await reach(pilot, RoomScreen)
        room_id = app.screen.visit.room.id  # type: ignore[attr-defined]
        # A sysop opens the room to every language (as the admin screen and the shell do).
        await community.admin.change_place(keeper.id, "room_language", room_id=room_id, value="-")

        def feed() -> str:
            return " ".join(app.screen.query_one(RoomFeed).visible_text().split())

        await settle(
            pilot,
            lambda: (
                "Esta sala ahora está abierta a todos los idiomas." in feed()
                or "every language" in feed()
            ),
            "the change heard in the room",
        )
        assert "every language" not in feed()  # said in Spanish
        assert text_of(app, "#room-topic").startswith("# Cafe")

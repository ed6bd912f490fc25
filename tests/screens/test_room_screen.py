"""Pilot tests for the room list and the room: history, lines, commands, paste hints, presence."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.color import ColorSystem
from sqlmodel import select
from support import FixedScorer, settle, sign_up
from textual.app import App, ComposeResult
from textual.events import Key, Paste
from textual.filter import NoColor

from bbs.community import Community
from bbs.moderation_queue.flags import ModerationFlag
from bbs.rooms import records as rooms
from bbs.rooms.events import MODERATION_TOPIC, ModerationAlertEvent
from screens.app import BBSApp, SessionContext
from screens.rooms import RoomFeed, RoomInput, RoomListScreen, RoomScreen
from screens.textual_compat import set_color_system, use_line_filter
from screens.widgets import PlainText


@pytest.fixture(autouse=True)
def _flag_table(community: Community) -> Iterator[None]:
    yield


def _feed(app: BBSApp) -> str:
    return app.screen.query_one(RoomFeed).visible_text()


async def _enter_lobby(pilot, app: BBSApp) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("r")
    await settle(
        pilot,
        lambda: isinstance(app.screen, RoomListScreen) and app.screen._rooms,
        "isinstance(app.screen, RoomListScreen) and app.screen._rooms",
    )
    await pilot.press("enter")
    await settle(
        pilot, lambda: isinstance(app.screen, RoomScreen), "isinstance(app.screen, RoomScreen)"
    )
    assert isinstance(app.screen, RoomScreen)


async def _say(pilot, app: BBSApp, text: str) -> None:  # type: ignore[no-untyped-def]
    field = app.screen.query_one(RoomInput)
    field.value = text
    await pilot.press("enter")
    # Taken: the field is empty again (callers then wait for what they expect to see).
    await settle(pilot, lambda: field.value == "", f"{text!r} to be sent")


async def _shows(pilot, app: BBSApp, text: str) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot, lambda: text in _feed(app), f"{text!r} in the feed")


async def test_a_line_said_shows_in_the_feed_with_history_on_entry(community: Community) -> None:
    member = await sign_up(community, "Wren")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await _enter_lobby(pilot, app)
        assert "You are in Lobby" in _feed(app)
        await _say(pilot, app, "hello [bold]there[/] \x1b]52;c;eHl6\x07 friend")
        await _shows(pilot, app, "Wren: hello")
        text = _feed(app)
        assert "Wren: hello [bold]there[/] ]52;c;eHl6 friend" in text
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, RoomListScreen), "the room list")
        await pilot.press("enter")
        await settle(
            pilot, lambda: isinstance(app.screen, RoomScreen), "isinstance(app.screen, RoomScreen)"
        )
        assert "hello [bold]there[/]" in _feed(app)


async def test_commands_answer_privately(community: Community) -> None:
    member = await sign_up(community, "Heron")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await _enter_lobby(pilot, app)
        await _say(pilot, app, "/help")
        await _shows(pilot, app, "/ignore NAME")
        await _say(pilot, app, "/me waves")
        await _shows(pilot, app, "* Heron waves")
        await _say(pilot, app, "/who")
        await _shows(pilot, app, "Here now (1): Heron")
        await _say(pilot, app, "/away making tea")
        # The presence line is redrawn PRESENCE_SECONDS after a change.
        await settle(
            pilot,
            lambda: "Heron (away)" in str(app.screen.query_one("#room-presence").render()),
            "Heron (away) in the presence line",
        )
        await _say(pilot, app, "/nonsense")
        await _shows(pilot, app, "no /nonsense command")


async def test_a_big_paste_becomes_a_hint_and_a_small_one_a_line(community: Community) -> None:
    member = await sign_up(community, "Finch")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await _enter_lobby(pilot, app)
        field = app.screen.query_one(RoomInput)
        field.post_message(Paste("line\n" * 200_000))
        await _shows(pilot, app, "paste had 200,000 lines")  # numbers written the reader's way
        assert "paste had 200,000 lines" in _feed(app)
        assert field.value == ""
        field.post_message(Paste("one\ntwo"))
        await settle(pilot, lambda: field.value == "one two", "the small paste in the field")


async def test_a_paste_longer_than_a_room_line_is_cut_with_a_word(community: Community) -> None:
    member = await sign_up(community, "Linnet")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await _enter_lobby(pilot, app)
        field = app.screen.query_one(RoomInput)
        field.post_message(Paste("x" * 700))
        await settle(
            pilot, lambda: "Only the first 500" in _feed(app), "'Only the first 500' in _feed(app)"
        )
        assert field.value == "x" * 500
        feed = " ".join(_feed(app).split())
        assert "Only the first 500 characters of that paste fit in a room line" in feed
        assert "board post" in feed


async def test_two_members_see_each_other_and_ignore_works(community: Community) -> None:
    one = await sign_up(community, "Alder")
    two = await sign_up(community, "Birch")
    app_one = BBSApp(SessionContext(community.services, one))
    app_two = BBSApp(SessionContext(community.services, two))
    async with app_one.run_test(size=(80, 24)) as p1, app_two.run_test(size=(80, 24)) as p2:
        await _enter_lobby(p1, app_one)
        await _enter_lobby(p2, app_two)
        await _shows(p1, app_one, "Birch came in")
        await _say(p1, app_one, "hi @birch")
        await _shows(p2, app_two, "Alder: hi @birch")
        assert "» " in _feed(app_two)
        await _say(p2, app_two, "/ignore alder")
        await _shows(p2, app_two, "You will not see Alder's lines")
        await _say(p1, app_one, "can you hear me")
        await _shows(p1, app_one, "Alder: can you hear me")
        # Lines arrive in the order said: once Birch's later line is shown, Alder's had its turn.
        await _say(p2, app_two, "still here")
        await _shows(p2, app_two, "Birch: still here")
        assert "can you hear me" not in _feed(app_two)
        assert "can you hear me" in _feed(app_one)


async def test_crisis_line_is_posted_and_writer_gets_resources(community: Community) -> None:
    community.moderation.set_scorer(FixedScorer(crisis=0.99))
    alerts = community.events.subscribe(MODERATION_TOPIC)
    member = await sign_up(community, "Rowan")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await _enter_lobby(pilot, app)
        feed_screen = app.screen
        await _say(pilot, app, "i do not want to be here anymore")
        await settle(pilot, lambda: app.screen.query("#crisis-box"), "the crisis note")
        assert "Only you can see this note" in str(app.screen.query_one("#crisis-box").render())
        await pilot.press("enter")
        assert (
            "Rowan: i do not want to be here anymore"
            in feed_screen.query_one(RoomFeed).visible_text()
        )
    with community.database.read() as session:
        flags = [(f.kind, f.target_kind) for f in session.exec(select(ModerationFlag)).all()]
    assert flags == [("crisis", "room_line")]
    [alert] = alerts.drain()
    assert isinstance(alert, ModerationAlertEvent) and alert.flag == "crisis"


async def test_keys_typed_in_a_burst_send_one_line_per_enter(community: Community) -> None:
    member = await sign_up(community, "Quill")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await _enter_lobby(pilot, app)
        for char in "ab\rcd\ref\r":
            app.post_message(Key("enter" if char == "\r" else char, char))
        await _shows(pilot, app, "Quill: ef")
        text = _feed(app)
        assert "Quill: ab" in text and "Quill: cd" in text and "Quill: ef" in text
        assert "abcd" not in text


async def test_a_dropped_member_goes_straight_back_into_their_room(community: Community) -> None:
    member = await sign_up(community, "Sorrel")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await _enter_lobby(pilot, app)
        await _say(pilot, app, "brb, wifi")
    # The app ended without Esc (a dropped connection): presence is gone, the room remembered.
    assert community.rooms.who(1) == []
    again = BBSApp(SessionContext(community.services, member))
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await settle(
            pilot,
            lambda: isinstance(again.screen, RoomScreen),
            "isinstance(again.screen, RoomScreen)",
        )
        assert isinstance(again.screen, RoomScreen)
        assert "Sorrel: brb, wifi" in _feed(again)
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(again.screen, RoomScreen), "leaving the room")
    assert await community.rooms.rooms_to_rejoin(member) == []


async def test_todays_sessions_show_on_the_home_screen_and_in_the_room(
    community: Community,
) -> None:
    from datetime import timedelta

    from bbs.models import utcnow
    from bbs.rooms.records import add_event
    from screens.menu import MainMenuScreen

    member = await sign_up(community, "Tansy")
    await community.rooms.ensure_ready()
    with community.database.write() as s:
        add_event(
            s,
            room_id=1,
            starts_at=utcnow() + timedelta(minutes=1),
            topic="Evening check-in",
            host_id=member.id,
        )
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(
            pilot,
            lambda: (
                isinstance(app.screen, MainMenuScreen)
                and "Evening" in str(app.screen.query_one("#room-events-today", PlainText).render())
            ),
            "today's sessions on the home screen",
        )
        assert isinstance(app.screen, MainMenuScreen)
        line = str(app.screen.query_one("#room-events-today", PlainText).render())
        assert "Evening check-in" in line and "host Tansy" in line
        await _enter_lobby(pilot, app)
        assert "Scheduled: " in _feed(app) and "Evening check-in" in _feed(app)


async def test_a_scheduled_session_starting_is_said_in_its_room_and_to_everyone_online(
    community: Community,
) -> None:
    from datetime import timedelta

    from bbs.models import utcnow

    here = (
        await community.accounts.sign_up(
            "Hazel", "a long enough password", "a long enough password"
        )
    ).member
    away = (
        await community.accounts.sign_up("Wren", "a long enough password", "a long enough password")
    ).member
    [(lobby, _n), *_] = await community.rooms.list_rooms(here)
    start = utcnow()
    with community.database.write() as s:
        rooms.add_event(
            s, room_id=lobby.id, starts_at=start, topic="Sunday circle", host_id=here.id
        )
    inside = BBSApp(SessionContext(community.services, here))
    home = BBSApp(SessionContext(community.services, away))
    async with inside.run_test(size=(80, 24)) as pilot, home.run_test(size=(80, 24)) as other:
        await pilot.press("r")
        await settle(
            pilot,
            lambda: isinstance(inside.screen, RoomListScreen) and inside.screen.query("#rooms"),
            "isinstance(inside.screen, RoomListScreen) and inside.screen.query('#rooms')",
        )
        await pilot.press("enter")
        await settle(
            pilot,
            lambda: isinstance(inside.screen, RoomScreen) and inside.screen.is_mounted,
            "isinstance(inside.screen, RoomScreen) and inside.screen.is_mounted",
        )
        said = await community.rooms.announce_starting(start - timedelta(seconds=1), start)
        assert said == 1
        await _shows(pilot, inside, "Starting now in Lobby: Sunday circle")
        await settle(
            other,
            lambda: any("Sunday circle" in n.message for n in home._notifications),
            "the member on the home screen to be told",
        )
        # Announced once: the next look finds nothing new in its window.
        assert await community.rooms.announce_starting(start, start + timedelta(seconds=20)) == 0


class _OneFeed(App[None]):
    def compose(self) -> ComposeResult:
        yield RoomFeed(id="feed")


async def test_readers_share_a_lines_rendering_only_when_their_feeds_look_the_same() -> None:
    app = _OneFeed()
    async with app.run_test():
        feed = app.query_one(RoomFeed)
        set_color_system(app.console, ColorSystem.EIGHT_BIT)
        colour = feed._look(80)
        assert feed._look(80) == colour
        assert feed._look(60) != colour  # another width
        set_color_system(app.console, ColorSystem.STANDARD)
        assert feed._look(80) != colour
        set_color_system(app.console, ColorSystem.EIGHT_BIT)
        assert feed._look(80) == colour
        use_line_filter(app, NoColor(), True)  # a member in monochrome
        assert feed._look(80) != colour


def test_the_line_field_is_marked_valid_from_the_start_as_a_first_key_would() -> None:
    # It has no validators, so Textual's first key marks it -valid (a restyle of the
    # field); it carries the mark from the start instead, and nothing styles by it.
    field = RoomInput()
    assert not field.validators
    assert field.has_class("-valid") and not field.has_class("-invalid")
    assert field.validate("anything") is None
    assert field.has_class("-valid") and not field.has_class("-invalid")

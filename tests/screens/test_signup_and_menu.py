"""Pilot tests for sign-up, recovery, the main menu, help and the colour setting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from support import PASSWORD, drawn_lines, settle, sign_up, text_of, wait_until
from textual.widgets import Input

from bbs.accounts.members import MemberView
from bbs.community import Community
from bbs.models import ColourMode, Role
from bbs.terminal_caps import ColourDepth
from screens.app import BBSApp, SessionContext
from screens.boards import SearchScreen
from screens.goals import CheckInsDue
from screens.menu import MainMenuScreen
from screens.moderation_notices import ModerationNews
from screens.rooms import RoomEventsToday
from screens.signup import LanguageScreen, RecoveryCodeScreen, SignUpFormScreen, WelcomeScreen
from screens.widgets import KeyMenu


async def _past_language(pilot) -> None:  # type: ignore[no-untyped-def]
    """Sign-up asks the language first; Enter takes the one chosen already (English)."""
    if isinstance(pilot.app.screen, LanguageScreen):
        await pilot.press("enter")
    await settle(pilot, lambda: isinstance(pilot.app.screen, WelcomeScreen), "the welcome screen")


async def _help_shows(pilot, part: str) -> None:  # type: ignore[no-untyped-def]
    def shown() -> bool:
        found = pilot.app.screen.query("#help-text")
        return bool(found) and part in str(found.first().render()).lower()

    await settle(pilot, shown, f"help showing {part!r}")


async def _fill_signup(pilot, name: str, password: str = PASSWORD, repeat: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    await _past_language(pilot)
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SignUpFormScreen)
    pilot.app.screen.query_one("#pseudonym", Input).value = name
    pilot.app.screen.query_one("#password", Input).value = password
    pilot.app.screen.query_one("#repeat", Input).value = repeat
    pilot.app.screen.query_one("#repeat", Input).focus()
    await pilot.press("enter")
    await _submitted(pilot)


async def _submitted(pilot) -> None:  # type: ignore[no-untyped-def]
    """The form has been answered: either it is no longer busy, or it has gone."""
    await settle(
        pilot,
        lambda: not isinstance(pilot.app.screen, SignUpFormScreen) or not pilot.app.screen.busy,
        "the sign-up form to answer",
    )


async def test_signup_walks_from_guidelines_to_main_menu(community: Community) -> None:
    members: list[str] = []
    app = BBSApp(
        SessionContext(community.services, None, on_member=lambda m: members.append(m.pseudonym))
    )
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LanguageScreen)
        await _past_language(pilot)
        await settle(pilot, lambda: "Community" in text_of(app, "#guidelines"), "the guidelines")
        assert "Community guidelines" in text_of(app, "#guidelines")
        await _fill_signup(pilot, "River")
        assert isinstance(app.screen, RecoveryCodeScreen)
        code = app.screen.code
        assert code in text_of(app, "#recovery-code")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainMenuScreen)
        assert "River" in text_of(app, "#greeting")
        assert len(app.screen_stack) == 1
    assert members == ["River"]


async def test_signup_explains_mismatched_and_short_passwords(community: Community) -> None:
    app = BBSApp(SessionContext(community.services, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await _fill_signup(pilot, "Willow", PASSWORD, PASSWORD + "x")
        assert "not the same" in text_of(app, "#error")
        await _fill_signup_again(pilot, "Willow", "short", "short")
        assert "at least 10" in text_of(app, "#error")
        assert isinstance(app.screen, SignUpFormScreen)


async def _fill_signup_again(pilot, name: str, password: str, repeat: str) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    screen.query_one("#pseudonym", Input).value = name
    screen.query_one("#password", Input).value = password
    screen.query_one("#repeat", Input).value = repeat
    screen.query_one("#repeat", Input).focus()
    await pilot.press("enter")
    await _submitted(pilot)


async def test_signup_refuses_markup_and_lookalike_names(community: Community) -> None:
    await community.accounts.sign_up("Robin", PASSWORD, PASSWORD)
    app = BBSApp(SessionContext(community.services, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await _fill_signup(pilot, "R0bin")
        assert "taken" in text_of(app, "#error") or "close" in text_of(app, "#error")
        await _fill_signup_again(pilot, "[@click=app.quit]x", PASSWORD, PASSWORD)
        assert app.is_running
        assert isinstance(app.screen, SignUpFormScreen)
        await _fill_signup_again(pilot, "admin", PASSWORD, PASSWORD)
        assert isinstance(app.screen, SignUpFormScreen)
        await _fill_signup_again(pilot, "x" * 10_000, PASSWORD, PASSWORD)
        assert isinstance(app.screen, SignUpFormScreen)


async def test_recovery_code_sets_a_new_password(community: Community) -> None:
    result = await community.accounts.sign_up("Ash", PASSWORD, PASSWORD)
    app = BBSApp(SessionContext(community.services, None))
    new_password = "another long password"
    async with app.run_test(size=(80, 24)) as pilot:
        await _past_language(pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#pseudonym", Input).value = "ash"
        screen.query_one("#code", Input).value = result.recovery_code.lower()
        screen.query_one("#password", Input).value = new_password
        screen.query_one("#repeat", Input).value = new_password
        screen.query_one("#repeat", Input).focus()
        await pilot.press("enter")
        await settle(
            pilot,
            lambda: isinstance(app.screen, RecoveryCodeScreen),
            "isinstance(app.screen, RecoveryCodeScreen)",
        )
        assert isinstance(app.screen, RecoveryCodeScreen)
        assert app.screen.code != result.recovery_code
    assert await community.accounts.authenticate_password("Ash", new_password) is not None
    assert await community.accounts.authenticate_password("Ash", PASSWORD) is None


async def test_menu_help_and_goodbye(community: Community) -> None:
    member = await sign_up(community, "Fern")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, MainMenuScreen)
        await pilot.press("f1")
        await _help_shows(pilot, "in danger right now")
        assert "in danger right now" in text_of(pilot.app, "#help-text").lower()
        await pilot.press("escape")
        await pilot.press("question_mark")
        await _help_shows(pilot, "findahelpline.com")
        assert "findahelpline.com" in text_of(app, "#help-text")
        await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_help_is_one_key_away_from_sign_up_fields(community: Community) -> None:
    app = BBSApp(SessionContext(community.services, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await _past_language(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("question_mark")  # typed into the focused pseudonym field
        assert app.screen.query_one("#pseudonym", Input).value == "?"
        await pilot.press("f1")
        await _help_shows(pilot, "in danger right now")
        assert "in danger right now" in text_of(pilot.app, "#help-text").lower()


async def test_colour_setting_is_saved_and_applied(community: Community) -> None:
    member = await sign_up(community, "Moss")
    app = BBSApp(SessionContext(community.services, member, detected_depth=ColourDepth.EIGHT_BIT))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#colour-MONOCHROME").value = True  # type: ignore[attr-defined]
        await pilot.press("s")
        await settle(pilot, lambda: "Saved" in text_of(app, "#status"), "the profile to be saved")
        assert app.has_class("mono")
    saved = await community.accounts.member(member.id)
    assert saved is not None and saved.colour_mode is ColourMode.MONOCHROME


async def test_profile_choices_read_without_colour_and_arrows_move_between_them(
    community: Community,
) -> None:
    from textual.widgets import Checkbox, RadioButton

    member = await sign_up(community, "Fern")
    app = BBSApp(SessionContext(community.services, member, detected_depth=ColourDepth.EIGHT_BIT))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await settle(pilot, lambda: app.screen.query("#mouse"), "app.screen.query('#mouse')")
        mouse = app.screen.query_one("#mouse", Checkbox)
        chosen = app.screen.query_one("#colour-AUTO", RadioButton)
        other = app.screen.query_one("#colour-MONOCHROME", RadioButton)
        # On and off differ in the glyph itself, not only in its colour.
        assert "x" in str(mouse.render())
        assert "●" in str(chosen.render()) and "●" not in str(other.render())
        mouse.focus()
        await pilot.press("space")
        await pilot.pause()
        assert mouse.value is False and "x" not in str(mouse.render())
        await pilot.press("down")
        assert app.screen.focused is app.screen.query_one("#plain-mode")
        await pilot.press("down")
        # The languages, on one row: Tab leaves them (their arrows move between languages).
        assert app.screen.focused is app.screen.query_one("#language")
        await pilot.press("tab")
        assert app.screen.focused is app.screen.query_one("#country")  # for crisis lines
        await pilot.press("tab")
        assert app.screen.focused is app.screen.query_one("#save")
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "up", "up")
        assert app.screen.focused is app.screen.query_one("#colour")


async def test_plain_line_mode_is_chosen_on_the_profile_and_remembered(
    community: Community,
) -> None:
    from textual.widgets import Checkbox

    from bbs.models import FrontEnd

    member = await sign_up(community, "Sedge")
    assert member.front_end is FrontEnd.FULL
    app = BBSApp(SessionContext(community.services, member, detected_depth=ColourDepth.EIGHT_BIT))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await settle(
            pilot, lambda: app.screen.query("#plain-mode"), "app.screen.query('#plain-mode')"
        )
        tick = app.screen.query_one("#plain-mode", Checkbox)
        assert tick.value is False and "Plain line mode" in str(tick.label)
        tick.value = True
        await pilot.press("s")
        await settle(pilot, lambda: "Saved" in text_of(app, "#status"), "the profile to be saved")
    saved = await community.accounts.member(member.id)
    assert saved is not None and saved.front_end is FrontEnd.PLAIN


async def test_a_crash_is_logged_without_locals_and_the_member_told(
    community: Community, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    member = await sign_up(community, "Crash")
    app = BBSApp(SessionContext(community.services, member))
    secret = "my-secret-password-123"

    def boom() -> None:
        password = secret  # noqa: F841 - a local a traceback with locals would print
        raise RuntimeError("boom")

    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(boom)
            await settle(pilot, lambda: app.return_code is not None, "the crash to end the app")
    except RuntimeError:
        pass
    assert app.return_code == 1
    assert "something went wrong on our side" in app.farewell
    app._print_error_renderables()
    out, err = capfd.readouterr()
    assert "session app crashed" in caplog.text
    assert secret not in caplog.text + out + err


async def test_sign_up_has_its_own_time_limit(community: Community) -> None:
    from dataclasses import replace

    community.settings = replace(
        community.settings, login=replace(community.settings.login, signup_seconds=0.3)
    )
    app = BBSApp(SessionContext(community.services, None))
    async with app.run_test(size=(80, 24)) as pilot:
        # The limit is a real timer (0.3 s): wait for the app to end, however long that is.
        await settle(pilot, lambda: app.return_code is not None, "the sign-up time limit")
    assert app.return_code == 1
    assert "time limit" in app.farewell


async def test_menu_keys_arrows_and_enter_open_sections(community: Community) -> None:
    member = await sign_up(community, "Moss")
    app = BBSApp(SessionContext(community.services, member))
    async with app.run_test(size=(80, 24)) as pilot:
        menu = app.screen.query_one("#menu", KeyMenu)
        assert app.screen.focused is menu
        actions = [action for action, _label in menu.entries]
        assert actions[:3] == ["boards", "messages", "search"]
        assert "admin" not in actions  # a member, not staff
        await pilot.press("down", "down")
        assert menu.highlighted == 2
        await pilot.press("up", "up", "up")
        assert menu.highlighted == len(actions) - 1  # wraps to Goodbye
        await pilot.press("home", "down", "down", "enter")
        await settle(
            pilot,
            lambda: isinstance(app.screen, SearchScreen),
            "isinstance(app.screen, SearchScreen)",
        )
        assert isinstance(app.screen, SearchScreen)


async def test_home_is_drawn_once_and_complete_from_the_sessions_snapshot(
    community: Community,
) -> None:
    member = await sign_up(community, "Reed")
    snapshot = await community.home.snapshot(member)
    app = BBSApp(SessionContext(community.services, member, home=snapshot))
    frames: list[str] = []
    original = app._display

    def recording(screen: Any, update: Any) -> None:
        if update is not None:
            frames.append("\n".join(drawn_lines(screen)))
        original(screen, update)

    app._display = recording  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: frames, "the first frame")
        await pilot.pause()  # and the app is idle: any second pass would have been drawn
        # The first frame is already complete: no second pass as parts arrive. (Textual
        # may lay the new screen out again; that draws the same screen, which the
        # driver's frame filter sends as nothing.)
        assert frames and "Nothing new for you" in frames[0]
        assert all(frame == frames[0] for frame in frames), frames
        assert "Nothing new for you" in str(app.screen.query_one("#whats-new").render())
        assert app.context.home is None  # taken once; later visits read afresh


async def test_home_is_laid_out_once_with_every_part_at_its_height(community: Community) -> None:
    # Composed with the session's snapshot, the home screen's parts need no update after
    # mounting: the screen's first layout is its only one (each more is a full layout and
    # frame for every member logging in), and grown parts end at their right height.
    member = await sign_up(community, "Sedge")
    sysop = await sign_up(community, "Juniper", Role.SYSOP)
    for n in range(3):
        await community.goals.create_goal(member.id, title=f"Walk {n}", category="movement")
    await community.admin.set_setting(sysop.id, "announcement", "Tea at five in the Lobby")
    snapshot = await community.home.snapshot(member)
    app = BBSApp(SessionContext(community.services, member, home=snapshot))
    layouts: list[object] = []

    def counting(screen: Any) -> Any:
        layout = screen._refresh_layout
        screen._refresh_layout = lambda *a, **k: (layouts.append(a), layout(*a, **k))[1]
        return screen

    default_screen = app.get_default_screen
    app.get_default_screen = lambda: counting(default_screen())  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: layouts, "the first layout")
        for _ in range(3):
            await pilot.pause()
        assert len(layouts) == 1
        screen = app.screen
        parts = list(screen.query("#whats-new, #checkins-due, #moderation-news"))
        assert all(part.display for part in parts)
        sizes = [part.size for part in parts]
        assert sizes[1].height > 1  # a hello and what is due: grown past one line
        # Laid out afresh, every part keeps the size it has.
        for part in parts:
            part.refresh(layout=True)
        await settle(pilot, lambda: len(layouts) > 1, "a second layout")
        await pilot.pause()
        assert [part.size for part in parts] == sizes
        assert "Tea at five" in str(screen.query_one("#moderation-news").render())
        assert "Check-ins due" in str(screen.query_one("#checkins-due").render())


async def test_first_screens_have_the_styles_a_full_style_pass_gives(community: Community) -> None:
    # screens.textual_compat skips Textual's second style pass when a screen first comes
    # up: the home screen and a visitor's first screen look as that pass would make them.
    from screens.textual_compat import apply_textual_patches

    apply_textual_patches()
    member = await sign_up(community, "Fern")
    home = await community.services.home.snapshot(member)

    def styles_of(app: BBSApp) -> list[tuple[str, dict[str, Any]]]:
        return [
            (repr(node), dict(node._css_styles.get_rules()))
            for node in app.screen.walk_children(with_self=True)
        ]

    for context, first in (
        (SessionContext(community.services, member, home=home), MainMenuScreen),
        (SessionContext(community.services, None), LanguageScreen),
    ):
        app = BBSApp(context)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: isinstance(app.screen, first), first.__name__)  # noqa: B023
            await pilot.pause()
            once = styles_of(app)
            app.screen.update_node_styles(animate=False)
            assert styles_of(app) == once


@asynccontextmanager
async def _quiet_home(
    community: Community, member: MemberView
) -> AsyncIterator[tuple[BBSApp, Any, MainMenuScreen]]:
    """The member's home screen at 80x24 with the companion off (so no hello is due),
    started from the home snapshot as a login is: (app, pilot, screen)."""
    await community.goals.set_settings(member.id, time_zone="UTC", companion=False)
    snapshot = await community.home.snapshot(member)
    app = BBSApp(SessionContext(community.services, member, home=snapshot))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.screen.query("#menu"), "the home screen")
        screen = app.screen
        assert isinstance(screen, MainMenuScreen)
        yield app, pilot, screen


async def test_a_start_with_nothing_waiting_composes_none_of_the_parts_kept_for_later(
    community: Community,
) -> None:
    # No room session today, no check-in due (and the companion off, so no hello), no news
    # from the moderators: the three parts are not built at all (each would cost every
    # login its compose, mount, style and layout only to be hidden). Their live
    # subscriptions are on the screen.
    async with _quiet_home(community, await sign_up(community, "Rush")) as (_, pilot, screen):
        await pilot.pause()
        assert not screen.query("#room-events-today, #checkins-due, #moderation-news")
        assert not screen.query(RoomEventsToday) and not screen.query(CheckInsDue)
        assert not screen.query(ModerationNews)
        assert "Nothing new for you" in str(screen.query_one("#whats-new").render())


async def test_a_part_whose_first_news_comes_as_its_screen_leaves_is_not_placed(
    community: Community,
) -> None:
    # A suspension's news can reach a session as the session closes: the home screen has
    # left the app by then, and building the news there must not crash the session (it
    # did: MountError, and the member saw "something went wrong" instead of the reason).
    async with _quiet_home(community, await sign_up(community, "Tamsin")) as (app, _, screen):
        part = screen.moderation_news
        assert part.widget is None
        # The session ends and its home screen leaves the app; news read just before
        # arrives now.
        app.exit()
        await wait_until(lambda: not screen.is_attached, "the home screen gone")
        part.show_news("Your account is suspended", [], 0)
        assert part.widget is None
        assert "Your account is suspended" in part.shown


async def test_parts_arriving_after_the_start_are_drawn_as_if_composed_with_it(
    community: Community,
) -> None:
    # Each part's first content after the start (live, or a later read of the home) builds
    # its widget in its place: the screen is then drawn exactly as a start with that data.
    from datetime import timedelta

    from bbs.models import utcnow
    from bbs.rooms.records import add_event

    member = await sign_up(community, "Sorrel")
    sysop = await sign_up(community, "Juniper", Role.SYSOP)
    # The companion off: nothing is due, so the check-ins part has nothing to say either.
    await community.rooms.ensure_ready()
    async with _quiet_home(community, member) as (_, pilot, screen):
        assert not screen.query("#room-events-today, #checkins-due, #moderation-news")
        # Live: the sysop's banner reaches this member's session and builds the news.
        await community.admin.set_setting(sysop.id, "announcement", "Tea at five in the Lobby")
        await settle(
            pilot,
            lambda: any("Tea at five" in str(n.render()) for n in screen.query(ModerationNews)),
            "the banner, live",
        )
        # Then check-ins due and a room session today, read with the home again: each
        # goes in its place, before the parts already there.
        await community.goals.create_goal(member.id, title="Walk at noon", category="movement")
        with community.database.write() as s:
            add_event(
                s,
                room_id=1,
                starts_at=utcnow() + timedelta(minutes=1),
                topic="Evening check-in",
                host_id=sysop.id,
            )
        screen._load_home()
        await settle(
            pilot,
            lambda: screen.query(RoomEventsToday) and screen.query(CheckInsDue),
            "check-ins due and today's room session",
        )
        await pilot.pause()
        ids = [child.id for child in screen.children]
        assert ids[:7] == [
            "greeting",
            "last-visit",
            "whats-new",
            "room-events-today",
            "checkins-due",
            "moderation-news",
            "menu",
        ]
        live = drawn_lines(screen)
    # A fresh start with the same data is drawn the same, line for line.
    snapshot = await community.home.snapshot(member)
    again = BBSApp(SessionContext(community.services, member, home=snapshot))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: again.screen.query("#menu"), "the home screen again")
        await pilot.pause()
        assert again.screen.query(RoomEventsToday) and again.screen.query(CheckInsDue)
        assert again.screen.query(ModerationNews)
        assert drawn_lines(again.screen) == live


async def test_cheers_and_sessions_starting_are_said_with_none_of_the_parts_built(
    community: Community,
) -> None:
    # The screen keeps the parts' live subscriptions: with nothing shown at all, a cheer
    # and a room session starting are still said, in this member's session.
    from bbs.goals.service import CheerEvent, cheer_topic
    from bbs.rooms.events import SESSIONS_TOPIC, SessionStartingEvent

    member = await sign_up(community, "Wren")
    await community.goals.set_settings(member.id, time_zone="UTC", companion=False)
    snapshot = await community.home.snapshot(member)
    app = BBSApp(SessionContext(community.services, member, home=snapshot))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.screen.query("#menu"), "the home screen")
        assert not app.screen.query("#room-events-today, #checkins-due, #moderation-news")
        community.events.publish(cheer_topic(member.id), CheerEvent(1, "Sage", "Proud of you!"))
        community.events.publish(
            SESSIONS_TOPIC,
            SessionStartingEvent(
                room_id=1, room_name="Lobby", topic="Evening check-in", host="Tansy", minutes=30
            ),
        )

        def toasts() -> list[str]:
            return [str(n.message) for n in app._notifications]

        await settle(
            pilot,
            lambda: (
                "Sage cheered you on: Proud of you!" in toasts()
                and any("Evening check-in" in t for t in toasts())
            ),
            "the cheer and the session starting, said",
        )
        # Toasts only: nothing of the parts was built for them.
        assert not app.screen.query("#room-events-today, #checkins-due, #moderation-news")

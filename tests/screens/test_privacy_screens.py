"""Pilot tests for privacy: reaching it, deleting an account (the name must be typed),
what we store, password and sessions, and quick-hide hiding and restoring the screen."""

from __future__ import annotations

from support import PASSWORD, member_app, until
from textual.widgets import OptionList, Static

from bbs.accounts.sessions import SessionInfo
from bbs.community import Community
from bbs.models import utcnow
from screens.app import BBSApp
from screens.menu import MainMenuScreen
from screens.privacy import (
    ChangePasswordScreen,
    DeleteAccountScreen,
    PrivacyScreen,
    QuickHideScreen,
    SessionsScreen,
    WhatWeStoreScreen,
)
from screens.profile import ProfileScreen
from screens.widgets import TextField


def _screen_text(app: BBSApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def _open_privacy(app: BBSApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: isinstance(app.screen, MainMenuScreen))
    await pilot.press("p")
    await until(pilot, lambda: isinstance(app.screen, ProfileScreen))
    await pilot.press("p")
    await until(pilot, lambda: isinstance(app.screen, PrivacyScreen))


async def test_delete_needs_the_name_typed_then_ends_the_session(community: Community) -> None:
    app = await member_app(community, "Willow")
    member_id = app.member.id  # type: ignore[union-attr]
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_privacy(app, pilot)
        assert "export > mine.json" in _screen_text(app)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DeleteAccountScreen))
        assert "cannot be undone" in _screen_text(app)
        await pilot.press("down", "space")  # keep posts, anonymised
        field = app.screen.query_one("#confirm", TextField)
        field.focus()
        await pilot.press(*"Willo", "enter")
        await until(pilot, lambda: "type your name" in _screen_text(app))
        assert field.value == "Willo"  # nothing typed is lost
        assert await community.accounts.member(member_id) is not None
        field.value = ""
        await pilot.press(*"willow", "enter")
        await until(pilot, lambda: not app.is_running)
    assert await community.accounts.member(member_id) is None
    assert "deleted" in app.farewell
    from bbs.accounts.members import AccountError

    try:
        await community.accounts.sign_up("Willow", PASSWORD, PASSWORD)
    except AccountError:
        pass
    else:
        raise AssertionError("a deleted name could be signed up at once")


async def test_quick_hide_hides_everything_and_the_same_key_restores(community: Community) -> None:
    app = await member_app(community, "Fern")
    name = community.settings.community_name
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_privacy(app, pilot)
        for key in ("f12", "ctrl+backslash"):
            await pilot.press(key)
            await until(pilot, lambda: isinstance(app.screen, QuickHideScreen))
            shown = _screen_text(app)
            assert "System status" in shown
            assert name not in shown and "Fern" not in shown and "Privacy" not in shown
            # Notifications wait while hidden; typing does nothing.
            app.notify("A cheer from Ash", markup=False)
            await pilot.press("d", "q")
            await pilot.pause()  # the keys are handled: a negative check, nothing is to change
            assert isinstance(app.screen, QuickHideScreen)
            assert not app._notifications  # type: ignore[attr-defined]
            await pilot.press(key)
            await until(pilot, lambda: isinstance(app.screen, PrivacyScreen))
            assert len(app._notifications) == 1  # type: ignore[attr-defined]
            app.clear_notifications()
        # Hiding works on top of a form too, and keeps what was typed.
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ChangePasswordScreen))
        await pilot.press(*"half typed")
        await pilot.press("f12")
        await until(pilot, lambda: isinstance(app.screen, QuickHideScreen))
        await pilot.press("f12")
        await until(pilot, lambda: isinstance(app.screen, ChangePasswordScreen))
        assert app.screen.query_one("#current", TextField).value == "half typed"


async def test_what_we_store_and_password_change(community: Community) -> None:
    app = await member_app(community, "Rowan")
    goal = await community.goals.create_goal(app.member.id, title="Sleep")  # type: ignore[union-attr]
    assert goal
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_privacy(app, pilot)
        await pilot.press("w")
        await until(
            pilot,
            lambda: isinstance(app.screen, WhatWeStoreScreen) and "1 goal" in _screen_text(app),
        )
        assert "No IP addresses" in _screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, PrivacyScreen))
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ChangePasswordScreen))
        assert "at least 10 characters" in _screen_text(app)  # what sign-up and the check use
        await pilot.press(
            *"wrong password",
            "enter",
            *"new long password 1",
            "enter",
            *"new long password 1",
            "enter",
        )
        await until(pilot, lambda: "not your current password" in _screen_text(app))
        app.screen.query_one("#current", TextField).value = PASSWORD
        await app.screen.action_save()  # type: ignore[attr-defined]
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, PrivacyScreen)
                and "Your password is changed" in _screen_text(app)
            ),
        )
    assert (
        await community.accounts.authenticate_password("Rowan", "new long password 1") is not None
    )


class FakeSession:
    """A connected session as the server holds one: it remembers being ended."""

    def __init__(self, session_id: str, width: int, height: int) -> None:
        self.session_id = session_id
        self.size = (width, height)
        self.farewells: list[str] = []

    def info(self) -> SessionInfo:
        return SessionInfo(self.session_id, utcnow(), *self.size)

    def goodbye(self, line: str) -> None:
        self.farewells.append(line)


async def test_sessions_list_marks_this_one_and_ends_another(community: Community) -> None:
    app = await member_app(community, "Birch", session_id="mine")
    mine, other = FakeSession("mine", 80, 24), FakeSession("other", 132, 43)
    community.sessions.arrived(mine, app.member.id)  # type: ignore[union-attr]
    community.sessions.arrived(other, app.member.id)  # type: ignore[union-attr]
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_privacy(app, pilot)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SessionsScreen))
        listing = app.screen.query_one(OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(2)]
        assert "(this one)" in prompts[0] and "132x43" in prompts[1]
        await pilot.press("e")  # the first is this one: refused kindly
        await until(pilot, lambda: "That is this session" in _screen_text(app))
        await pilot.press("down", "e")
        await until(pilot, lambda: "Ended." in _screen_text(app))
    assert (len(mine.farewells), len(other.farewells)) == (0, 1)


async def test_keys_are_added_and_removed_and_a_new_code_is_shown_once(
    community: Community,
) -> None:
    import asyncssh

    from screens.compose import AskScreen, ConfirmScreen
    from screens.privacy import KeysScreen, NewRecoveryCodeScreen

    line = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode().strip()
    app = await member_app(community, "Hazel")
    member_id = app.member.id  # type: ignore[union-attr]
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_privacy(app, pilot)
        await pilot.press("k")
        await until(
            pilot, lambda: isinstance(app.screen, KeysScreen) and "No keys yet" in _screen_text(app)
        )
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press(*"not a key", "enter")
        await until(pilot, lambda: "does not look like a public key" in _screen_text(app))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        app.screen.query_one(TextField).value = line
        await pilot.press("enter")
        await until(pilot, lambda: "now logs you in" in _screen_text(app))
        assert len(await community.privacy.keys(member_id)) == 1
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: "Removed." in _screen_text(app))
        assert await community.privacy.keys(member_id) == []
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, PrivacyScreen))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, NewRecoveryCodeScreen))
        await pilot.press(*PASSWORD, "enter")
        await until(pilot, lambda: "shown only this once" in _screen_text(app))
        code = str(app.screen.query_one("#code", Static).render()).strip()
        assert len(code) >= 8
    reset = await community.accounts.reset_password(
        "Hazel", code, "brand new password", "brand new password"
    )
    assert reset.member.id == member_id

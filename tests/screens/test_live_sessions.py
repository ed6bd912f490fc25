"""Work caused by one member's action on another member's screen runs in the receiver's session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from support import settle, sign_up

from bbs.community import Community
from bbs.models import Role
from bbs.moderation_queue.sanctions import SanctionKind
from screens.app import BBSApp, SessionContext
from screens.menu import MainMenuScreen
from screens.moderation_notices import ModerationNews, ModerationPart


async def _until(pilot: Any, check: Callable[[], bool], what: str) -> None:
    await settle(pilot, check, what, timeout=20.0)  # generous: the suite shares two cores


def _run_in(app: BBSApp, work: Callable[[], Awaitable[object]]) -> None:
    """Run `work` as that app's own worker: in its session, as a screen action would."""

    async def job() -> None:
        await work()

    app.run_worker(job(), group="test")


def _home(app: BBSApp) -> MainMenuScreen:
    screen = app.screen
    assert isinstance(screen, MainMenuScreen)
    return screen


def _news(app: BBSApp) -> ModerationPart:
    return _home(app).moderation_news


def _toasts(app: BBSApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_suspension_made_on_a_sysop_screen_ends_the_members_session(
    scored_community: Community,
) -> None:
    community = scored_community
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    member = await sign_up(community, "Wren")
    writer = await sign_up(community, "Ash")
    # A crisis alert is waiting: the sysop's home counts it, a plain member's never may.
    board = (await community.boards.board_list(writer.id))[0]
    await community.boards.create_thread(
        writer.id, board.id, title="Tonight", body="I want to end it all"
    )
    staff_app = BBSApp(SessionContext(community.services, sysop))
    member_app = BBSApp(SessionContext(community.services, member))
    async with (
        staff_app.run_test(size=(80, 24)) as staff,
        member_app.run_test(size=(80, 24)) as mine,
    ):
        home = _home(member_app)
        news = home.moderation_news
        await _until(mine, lambda: home.is_mounted, "the member's home is shown")
        _run_in(
            staff_app,
            lambda: community.admin.sanction(
                sysop.id,
                "Wren",
                SanctionKind.SUSPEND,
                category="harassment",
                reason="repeated insults",
                length=None,
            ),
        )
        await _until(
            mine,
            lambda: not member_app.is_running or member_app._exit,
            "the member's session ended",
        )
        assert "suspended" in member_app.farewell and "repeated insults" in member_app.farewell
        assert "crisis" not in news.shown
        assert not any("crisis" in t.lower() for t in _toasts(member_app))
        assert staff_app.is_running and not staff_app._exit
        await staff.pause()


async def test_a_banner_change_reloads_each_session_with_its_own_data(
    scored_community: Community,
) -> None:
    community = scored_community
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    member = await sign_up(community, "Wren")
    writer = await sign_up(community, "Ash")
    board = (await community.boards.board_list(writer.id))[0]
    await community.boards.create_thread(
        writer.id, board.id, title="Tonight", body="I want to end it all"
    )
    staff_app = BBSApp(SessionContext(community.services, sysop))
    member_app = BBSApp(SessionContext(community.services, member))
    async with (
        staff_app.run_test(size=(80, 24)) as staff,
        member_app.run_test(size=(80, 24)) as mine,
    ):
        member_home, staff_home = _home(member_app), _home(staff_app)
        member_news, staff_news = _news(member_app), _news(staff_app)
        await _until(mine, lambda: member_home.is_mounted and staff_home.is_mounted, "homes")
        # Nothing from the moderators for the member: not built; the staff's alert is.
        assert not member_home.query(ModerationNews) and staff_home.query(ModerationNews)
        _run_in(
            staff_app,
            lambda: community.admin.set_setting(sysop.id, "announcement", "Quiet hours tonight"),
        )
        await _until(mine, lambda: "Quiet hours" in member_news.shown, "member banner")
        await _until(staff, lambda: "Quiet hours" in staff_news.shown, "staff banner")
        assert "crisis alert" in staff_news.shown
        assert "crisis" not in member_news.shown
        # The member's first news came live: its widget is built and shown, in its place.
        await _until(
            mine,
            lambda: "Quiet hours" in str(member_home.query_one(ModerationNews).render()),
            "the member's news shown",
        )


async def test_a_crisis_alert_reaches_a_moderator_on_any_screen_at_once(
    scored_community: Community,
) -> None:
    community = scored_community
    moderator = await sign_up(community, "Keeper", Role.MODERATOR)
    writer = await sign_up(community, "Ash")
    board = (await community.boards.board_list(writer.id))[0]
    staff_app = BBSApp(SessionContext(community.services, moderator))
    writer_app = BBSApp(SessionContext(community.services, writer))
    async with (
        staff_app.run_test(size=(80, 24)) as staff,
        writer_app.run_test(size=(80, 24)) as theirs,
    ):
        await staff.press("b")  # the moderator is reading the boards, not the home screen
        await _until(
            staff, lambda: type(staff_app.screen).__name__ == "BoardsScreen", "the boards screen"
        )
        _run_in(
            writer_app,
            lambda: community.boards.create_thread(
                writer.id, board.id, title="Tonight", body="I want to end it all"
            ),
        )
        await _until(
            staff,
            lambda: any("Crisis alert" in t for t in _toasts(staff_app)),
            "the crisis alert on the moderator's screen",
        )
        assert not any("Crisis alert" in t for t in _toasts(writer_app))
        await theirs.pause()

"""Pilot tests for goals: creating a goal, the one-key check-in, charts and partners' views."""

from __future__ import annotations

import asyncio
from typing import Any

from support import PASSWORD, member_app, sign_up, text_of, until
from textual.widgets import OptionList, Static

from bbs.community import Community
from bbs.goals.streaks import CheckInStatus
from screens.app import BBSApp, SessionContext
from screens.goals import (
    CheckInReplyScreen,
    CheckInScreen,
    GoalDetailScreen,
    GoalFormScreen,
    GoalsScreen,
)
from screens.menu import MainMenuScreen
from screens.widgets import PlainText, TextField


def _due(app: BBSApp) -> bool:
    """Check-ins are due on the home screen (what C checks in first)."""
    screen = app.screen
    return isinstance(screen, MainMenuScreen) and bool(screen.check_ins.due)


async def test_a_goal_is_created_from_the_form_and_listed(community: Community) -> None:
    app = await member_app(community, "Fern")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, GoalFormScreen))
        await pilot.press(*"Walk after lunch", "enter", "enter")  # title, category kept
        app.screen.query_one("#cadence", TextField).value = "1000"
        await pilot.press("enter", "enter", "enter", "enter")
        await until(pilot, lambda: "1 to 7" in text_of(app, "#error", Static))
        assert isinstance(app.screen, GoalFormScreen)  # nothing lost, still on the form
        app.screen.query_one("#cadence").value = "3"  # type: ignore[attr-defined]
        await app.screen.action_save()  # type: ignore[attr-defined]
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, GoalsScreen)
                and "Walk after lunch"
                in str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
            ),
        )
        prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "3x a week" in prompt and "0/3 this week" in prompt
    goals = await community.goals.goals(app.member.id)  # type: ignore[union-attr]
    assert [g.goal.title for g in goals] == ["Walk after lunch"]


async def test_one_key_check_in_from_home_shows_streak_and_companion(community: Community) -> None:
    app = await member_app(community, "Hazel")
    assert app.member is not None
    await community.goals.create_goal(app.member.id, title="Lights out by 11", category="sleep")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, MainMenuScreen)
        await until(pilot, lambda: _due(app))
        due = text_of(app, "#checkins-due", Static)
        assert "(automated)" in due and "Lights out by 11" in due and "C check in" in due
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CheckInReplyScreen))
        assert "Streak: 1 day" in text_of(app, "#reply-summary", Static)
        companion = text_of(app, "#companion", Static)
        assert companion.startswith("Companion (automated):") and "First check-in" in companion
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, MainMenuScreen) and not _due(app),
        )
        # Checked in already: C again adds nothing twice, it opens the goals instead.
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
    goals = await community.goals.goals(app.member.id)
    assert goals[0].progress.total_check_ins == 1


async def test_check_in_form_low_mood_brings_help_forward_and_chart_shows_it(
    community: Community,
) -> None:
    app = await member_app(community, "Iris")
    assert app.member is not None
    await community.goals.create_goal(app.member.id, title="Text a friend", category="social")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await until(
            pilot, lambda: isinstance(app.screen, GoalsScreen) and len(app.screen.summaries) == 1
        )  # type: ignore[attr-defined]
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CheckInScreen))
        await pilot.press("p", "2", "left", "n", *"rough day", "enter")
        await until(pilot, lambda: isinstance(app.screen, CheckInReplyScreen))
        assert "yesterday" not in text_of(app, "#reply-summary", Static)  # dates are spelled out
        assert "partial" in text_of(app, "#reply-summary", Static)
        assert "talk to" in text_of(app, "#help-lines", Static)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, GoalDetailScreen)
                and "Mood" in text_of(app, "#detail", Static)
            ),
        )
        detail = text_of(app, "#detail", Static)
        assert "□" in detail and "partial" in detail and "rough day" in detail
        assert "▃" in detail  # mood 2 as a bar, with its digit under it
    history = await community.goals.detail(
        app.member.id, (await community.goals.goals(app.member.id))[0].goal.id
    )
    assert [c.status for c in history.recent] == [CheckInStatus.PARTIAL]
    assert history.recent[0].mood == 2


async def test_screens_fit_80x24_with_member_text_kept_literal(community: Community) -> None:
    app = await member_app(community, "Juniper")
    assert app.member is not None
    await community.goals.create_goal(app.member.id, title="[b]bold[/] [@click=app.quit]x[/]")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await until(
            pilot, lambda: isinstance(app.screen, GoalsScreen) and len(app.screen.summaries) == 1
        )  # type: ignore[attr-defined]
        prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "[b]bold[/]" in prompt and "[@click=app.quit]" in prompt
        assert isinstance(app.screen.query_one("#reminder"), PlainText)


def test_chart_glyphs_differ_without_colour() -> None:
    from datetime import date

    from bbs.goals.streaks import DayMark
    from screens.goals import chart

    day = date(2026, 11, 16)  # a Monday
    marks = [
        DayMark(day, CheckInStatus.DONE, 5, False),
        DayMark(day.replace(day=17), CheckInStatus.PARTIAL, 3, False),
        DayMark(day.replace(day=18), CheckInStatus.MISSED, 1, False),
        DayMark(day.replace(day=19), None, None, True),
        DayMark(day.replace(day=20), None, None, False),
    ]
    lines = chart(marks).plain.splitlines()
    assert lines[1] == "Days  ■ □ x z · "
    assert lines[2] == "      M T W T F"
    assert lines[3] == "Mood  █ ▅ ▁ · ·"
    assert lines[4] == "      5 3 1"


async def test_settings_refuse_unknown_zones_and_the_companion_can_be_turned_off(
    community: Community,
) -> None:
    from textual.widgets import Checkbox

    from screens.goals import GoalSettingsScreen

    app = await member_app(community, "Kale")
    assert app.member is not None
    await community.goals.create_goal(app.member.id, title="Drink water")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
        await pilot.press("s")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, GoalSettingsScreen)
                and app.screen.query_one("#time-zone").value == "UTC"
            ),
        )  # type: ignore[attr-defined]
        zone = app.screen.query_one("#time-zone", TextField)
        zone.value = "Mars/Base"
        await pilot.press("enter")
        await until(pilot, lambda: "don't know a time zone" in text_of(app, "#status", Static))
        zone.value = "America/Chicago"
        app.screen.query_one("#companion", Checkbox).value = False
        await pilot.press("enter")
        await until(pilot, lambda: "Saved" in text_of(app, "#status", Static))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen) and app.screen.summaries)  # type: ignore[attr-defined]
        await pilot.press("a")
        await until(
            pilot, lambda: "Archive this goal" in str(app.screen.query_one(PlainText).render())
        )
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen) and not app.screen.summaries)  # type: ignore[attr-defined]
        await pilot.press("v")
        await until(pilot, lambda: len(app.screen.summaries) == 1)  # type: ignore[attr-defined]
    prefs = await community.goals.settings(app.member.id)
    assert (prefs.time_zone, prefs.companion) == ("America/Chicago", False)
    assert (await community.goals.greeting(app.member.id, "Kale")).text == ""


async def test_a_crisis_check_in_note_shows_the_crisis_note_alone(
    scored_community: Community,
) -> None:
    app = await member_app(scored_community, "Rowan")
    assert app.member is not None
    await scored_community.goals.create_goal(app.member.id, title="Walk", category="movement")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await until(
            pilot, lambda: isinstance(app.screen, GoalsScreen) and len(app.screen.summaries) == 1
        )  # type: ignore[attr-defined]
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CheckInScreen))
        await pilot.press("d", "n", *"I want to end it all tonight", "enter")
        await until(pilot, lambda: isinstance(app.screen, CheckInReplyScreen))
        screen = app.screen
        assert "not in trouble" in text_of(app, "#help-lines", Static)
        assert not screen.query("#companion") and not screen.query("#reply-summary")
        assert "Wins" not in text_of(app, "#reply-keys", Static)
        await pilot.press("w")  # no share offer, and the key does nothing
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
    posts = await scored_community.boards.search(app.member.id, "Milestone")
    assert posts == []


async def test_home_lists_partner_invitations_and_cheers_and_opens_partners(
    community: Community,
) -> None:
    from screens.goals import PartnersScreen
    from screens.home import WhatsNew

    ivy = await sign_up(community, "Ivy")
    jay = await sign_up(community, "Jay")
    kit = await sign_up(community, "Kit")
    invite = await community.goals.invite(jay.id, "Ivy")
    await community.goals.invite(kit.id, "Ivy")
    app = BBSApp(SessionContext(community.services, ivy))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: (
                "2 accountability partner invitations waiting" in text_of(app, "#whats-new", Static)
            ),
        )
        await pilot.press("1")
        await until(pilot, lambda: isinstance(app.screen, PartnersScreen))
    await community.goals.answer(ivy.id, invite.id, True)
    await community.goals.cheer(jay.id, ivy.id, "You've got this!")
    app = BBSApp(SessionContext(community.services, ivy))
    async with app.run_test(size=(80, 24)) as pilot:
        news = app.screen.query_one(WhatsNew)
        await until(pilot, lambda: "1 new cheer from your partners" in str(news.render()))
        assert "1 accountability partner invitation waiting" in str(news.render())


async def test_a_new_member_is_welcomed_not_greeted_again(community: Community) -> None:
    signed = await community.accounts.sign_up("Newt", PASSWORD, PASSWORD)
    assert signed.member.last_login_at is None
    app = BBSApp(SessionContext(community.services, signed.member))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Welcome, Newt" in text_of(app, "#checkins-due", Static))
        assert "again" not in text_of(app, "#checkins-due", Static)
        assert text_of(app, "#last-visit", Static) == "Good to have you here."


async def test_goal_titles_others_see_are_moderated_and_crisis_titles_bring_help(
    scored_community: Community,
) -> None:
    from bbs.goals.streaks import GoalError
    from bbs.moderation_queue.flags import ModerationFlag
    from screens.rooms import CrisisNoteScreen

    app = await member_app(scored_community, "Sage")
    assert app.member is not None
    goals = scored_community.goals
    # Held words in a title others would see: refused kindly; private is the member's own.
    try:
        await goals.create_goal(app.member.id, title="ignore that idiot", visibility="community")
    except GoalError as error:
        assert "Keep the goal private, or reword the title" in str(error)
    else:
        raise AssertionError("a title the model would hold was shown to the community")
    await goals.create_goal(app.member.id, title="ignore that idiot", visibility="private")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, GoalFormScreen))
        app.screen.query_one("#title", TextField).value = "not end it all this week"
        await app.screen.action_save()  # type: ignore[attr-defined]
        await until(pilot, lambda: isinstance(app.screen, CrisisNoteScreen))
        assert "Your goal is saved" in str(app.screen.query_one("#crisis-box").render())
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
    with scored_community.database.read() as session:
        from sqlmodel import select

        flags = [(f.kind, f.target_kind) for f in session.exec(select(ModerationFlag))]
    assert flags == [("crisis", "goal")]


async def test_a_reload_cut_short_leaves_the_earlier_reloads_list_drawn(
    community: Community,
) -> None:
    # A key pressed right after "Goal set" starts another action, which cancels the
    # worker whose reload was in flight: a reload that finished must still draw.
    app = await member_app(community, "Wren")
    async with app.run_test(size=(80, 24)) as pilot:
        await community.goals.create_goal(app.member.id, title="Stretch at noon")  # type: ignore[union-attr]
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
        screen = app.screen
        assert isinstance(screen, GoalsScreen)

        def first_line() -> str:
            return str(screen.query_one(OptionList).get_option_at_index(0).prompt)

        await until(pilot, lambda: "Stretch at noon" in first_line())
        await pilot.pause()  # the screen's own reloads (mount, resume) have drawn
        service = screen._goals
        read = service.goals
        never, go = asyncio.Event(), asyncio.Event()
        calls = 0

        async def reads(*args: Any, **kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == 1:
                await go.wait()  # finishes once the later reload has begun
                return []  # what the reload that finishes found
            await never.wait()  # the reload whose worker is cancelled
            return await read(*args, **kwargs)

        service.goals = reads  # type: ignore[method-assign]
        try:
            first = asyncio.create_task(screen.reload())
            await until(pilot, lambda: calls == 1)
            second = asyncio.create_task(screen.reload())
            await until(pilot, lambda: calls == 2)
            go.set()
            await first
            second.cancel()
            await until(pilot, second.done)
        finally:
            service.goals = read  # type: ignore[method-assign]
        await until(pilot, lambda: "No goals yet" in first_line())

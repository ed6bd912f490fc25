"""Core messages reach a member in their language: errors the services raise, the
companion's words, badge names and plurals, each with its parameters (numbers per locale).

English stays exactly as before: a `Said` is a str holding the English."""

from __future__ import annotations

from datetime import date

import pytest
from support import sign_up_id

from bbs.boards.records import PostError
from bbs.community import Community
from bbs.goals import companion
from bbs.goals.records import BadgeView, already_checked_in
from bbs.goals.streaks import CheckInStatus, GoalError
from bbs.i18n import localise


async def test_a_goal_error_from_the_service_is_said_in_spanish_with_its_numbers(
    community: Community,
) -> None:
    me = await sign_up_id(community, "Alder")
    with pytest.raises(GoalError) as error:
        await community.goals.create_goal(me, title="x" * 10_000)
    assert str(error.value) == (
        "Goal titles can be up to 120 characters; yours has 10,000. "
        "A short title is easier to see at a glance."
    )
    spanish = localise(error.value, "es")
    assert spanish.startswith("Los títulos de objetivo pueden tener hasta 120 caracteres")
    assert "10.000" in spanish


async def test_a_post_error_from_the_service_is_said_in_german(community: Community) -> None:
    me = await sign_up_id(community, "Beech")
    board = (await community.boards.board_list(me))[0]
    with pytest.raises(PostError) as error:
        await community.boards.create_thread(me, board.id, title="t" * 121, body="Hello")
    assert str(error.value).startswith("Titles can be up to 120 characters; yours has 121.")
    german = localise(error.value, "de")
    assert german == (
        "Titel können bis zu 120 Zeichen haben; deiner hat 121. "
        "Kürze ihn bitte; dein Text ist noch da."
    )


async def test_a_refused_check_in_names_its_day_in_the_members_language(
    community: Community,
) -> None:
    me = await sign_up_id(community, "Cedar")
    goal = await community.goals.create_goal(me, title="Walk")
    await community.goals.check_in(me, goal.id, CheckInStatus.DONE)
    with pytest.raises(GoalError) as error:
        await community.goals.check_in(me, goal.id, CheckInStatus.DONE)
    assert "already a check-in for today" in str(error.value)
    assert localise(error.value, "fr").startswith("Il y a déjà un suivi pour aujourd'hui")
    friday = already_checked_in(date(2026, 12, 4), date(2026, 12, 5))
    assert "Friday 4 December" in str(friday)
    assert "Freitag, den 4. Dezember" in localise(friday, "de")


def test_badges_and_the_companion_speak_each_language() -> None:
    streak = BadgeView(1, "Walk", "streak", 7, date(2026, 12, 4))
    first = BadgeView(1, "Walk", "check-ins", 1, date(2026, 12, 4))
    assert streak.label("day") == "7-day streak"
    assert localise(streak.label("day"), "es") == "Racha de 7 días"
    assert localise(streak.label("week"), "pt") == "Sequência de 7 semanas"
    words = companion.badge_words([first, streak], "day")
    assert words == "First check-in, 7-day streak"
    assert localise(words, "fr") == "Premier suivi, Série de 7 jours"
    hello = companion.greeting("Rowan", [], date(2026, 12, 4), first_visit=True)
    assert hello.startswith("Companion (automated): Welcome, Rowan.")
    assert localise(hello, "de").startswith("Begleiter (automatisch): Willkommen, Rowan.")

"""Pilot tests: the goal screens, the home screen and the profile speak a member's language
(our words translated, the member's own words kept as written)."""

from __future__ import annotations

from support import reach, sign_up, text_of, until
from textual.widgets import OptionList, Static

from bbs.community import Community
from screens.app import BBSApp, SessionContext
from screens.goals import (
    CheckInReplyScreen,
    CheckInScreen,
    GoalDetailScreen,
    GoalFormScreen,
    GoalsScreen,
)
from screens.menu import MainMenuScreen
from screens.profile import ProfileScreen
from screens.widgets import KeyBar


def _due(app: BBSApp) -> bool:
    """Check-ins are due on the home screen (what C checks in first)."""
    screen = app.screen
    return isinstance(screen, MainMenuScreen) and bool(screen.check_ins.due)


def _keys(app: BBSApp) -> str:
    return "\n".join(str(bar.render()) for bar in app.screen.query(KeyBar))


async def _spanish_app(community: Community, name: str) -> BBSApp:
    member = await sign_up(community, name)
    member = await community.accounts.set_language(member.id, "es")
    return BBSApp(SessionContext(community.services, member))


async def test_the_goals_screen_speaks_spanish_and_keeps_the_members_words(
    community: Community,
) -> None:
    app = await _spanish_app(community, "Lucia")
    assert app.member is not None
    await community.goals.create_goal(app.member.id, title="Caminar después de comer")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, MainMenuScreen)
        assert "Objetivos y registros" in str(app.screen.query_one("#menu").render())
        await until(pilot, lambda: _due(app))
        due = text_of(app, "#checkins-due", Static)
        assert "Registros pendientes: Caminar después de comer  (C registrar)" in due
        assert due.startswith("Acompañante (automático): ")  # the core's words, said again
        await pilot.press("g")
        await reach(pilot, GoalsScreen)
        await until(pilot, lambda: len(app.screen.summaries) == 1)  # type: ignore[attr-defined]
        assert text_of(app, "#goals-title") == "Objetivos y registros"
        assert "C registrar" in _keys(app) and "Esc volver" in _keys(app)
        assert "check in" not in _keys(app)
        assert text_of(app, "#reminder") == "1 registro pendiente hoy."
        prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "Caminar después de comer" in prompt and "diario" in prompt
        assert "aún sin racha" in prompt and "toca hoy" in prompt
        await pilot.press("c")
        await reach(pilot, CheckInScreen)
        form = str(app.screen.query_one("#form", Static).render())
        assert form.startswith("Día:") and "hoy, " in form and "[D hecho]" in form
        await pilot.press("enter")
        await reach(pilot, CheckInReplyScreen)
        summary = text_of(app, "#reply-summary")
        assert summary.startswith("Registro guardado para el ") and "Racha: 1 día" in summary
        await pilot.press("escape")
        await reach(pilot, GoalsScreen)
        await pilot.press("enter")
        await reach(pilot, GoalDetailScreen)
        await until(pilot, lambda: "Ánimo" in str(app.screen.query_one("#detail", Static).render()))
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "Racha: 1 día (mejor 1). 1 registro" in detail
        assert "\nDías   · " in detail and " L M X J V S D " in detail  # Spanish weekdays
        assert "Registros recientes:" in detail and "Insignias: Primer registro." in detail


async def test_the_profile_speaks_spanish(community: Community) -> None:
    app = await _spanish_app(community, "Mateo")
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
        assert text_of(app, ".title") == "Perfil: Mateo"
        assert "S guardar" in _keys(app)
        await until(pilot, lambda: "Zona horaria" in text_of(app, "#profile-badges"))
        assert text_of(app, "#profile-badges").startswith("Aún no hay insignias.")


async def test_a_core_refusal_on_the_goal_form_is_said_in_spanish(community: Community) -> None:
    app = await _spanish_app(community, "Nora")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await reach(pilot, GoalsScreen)
        await pilot.press("n")
        await reach(pilot, GoalFormScreen)
        assert text_of(app, ".title") == "Objetivo nuevo"
        assert "[propio]" in str(app.screen.query_one("#category").render())
        await app.screen.action_save()  # type: ignore[attr-defined]
        await until(pilot, lambda: text_of(app, "#error").startswith("Tu objetivo necesita"))
        assert isinstance(app.screen, GoalFormScreen)

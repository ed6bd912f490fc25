"""Pilot tests: the admin screens and the moderation notices speak the session's language
(our words translated; members' words, names and the stored English kept as they are)."""

from __future__ import annotations

from datetime import timedelta

from support import NO_WAIT, reach, settle, sign_up, text_of
from textual.widgets import OptionList

from bbs.admin.dashboard import DashboardStats
from bbs.boards import records as boards
from bbs.community import Community
from bbs.i18n import localise
from bbs.models import Role, utcnow
from bbs.moderation_queue import sanctions
from bbs.moderation_queue.flags import Written
from bbs.moderation_queue.policy import Action
from screens.admin import ReasonDialog, ReviewQueueScreen, ago
from screens.app import BBSApp, SessionContext
from screens.dashboard import dashboard_text
from screens.moderation_notices import ModerationNews, NoticesScreen
from screens.widgets import KeyBar


def _keys(app: BBSApp) -> str:
    return "\n".join(str(bar.render()) for bar in app.screen.query(KeyBar))


def _held_post(community: Community, author: int, body: str) -> None:
    with community.database.read() as session:
        board_id = boards.all_boards(session)[0].id
    with community.database.write() as session:
        boards.create_thread(
            session,
            author_id=author,
            board_id=board_id,
            written=Written(boards.clean_post("Title", body, ""), Action.HOLD, "harassment=0.93"),
            rules=NO_WAIT,
        )


async def test_a_french_sysop_reads_the_review_queue_in_french(community: Community) -> None:
    sysop = await sign_up(community, "Capitaine", Role.SYSOP)
    sysop = await community.accounts.set_language(sysop.id, "fr")
    thorn = await sign_up(community, "Thorn")
    _held_post(community, thorn.id, "you are worthless")
    app = BBSApp(SessionContext(community.services, sysop))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(
            ReviewQueueScreen(
                admin=community.admin,
                events=community.events,
                texts=community.texts,
                resources=community.resources,
            )
        )
        await reach(pilot, ReviewQueueScreen)
        await settle(pilot, lambda: "en attente 1" in text_of(app, "#queue-title"), "the queue")
        assert text_of(app, "#queue-title") == "File de relecture : en attente 1, crises 0"
        assert " A approuver H cacher D supprimer" in _keys(app)
        assert "Échap retour  F1 aide" in _keys(app)
        detail = text_of(app, "#detail")
        assert detail.startswith("RETENU  message de Thorn, il y a ")
        assert "you are worthless" in detail  # the member's words, as written
        # The reason dialog: its question, categories and keys in French.
        await pilot.press("h")
        await reach(pilot, ReasonDialog)
        assert text_of(app, ".title") == "Cacher : message de Thorn"
        categories = app.screen.query_one("#categories", OptionList)
        assert str(categories.get_option_at_index(0).prompt) == "Harcèlement"
        assert "Entrée suivant/OK  Échap annuler" in _keys(app)
        await pilot.press("escape")
        await reach(pilot, ReviewQueueScreen)


async def test_a_spanish_member_reads_the_moderators_notes_in_spanish(
    community: Community,
) -> None:
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    wren = await sign_up(community, "Wren")
    wren = await community.accounts.set_language(wren.id, "es")
    await community.admin.sanction(
        sysop.id, "Wren", sanctions.SanctionKind.WARN, category="Spam", reason="link flood"
    )
    app = BBSApp(SessionContext(community.services, wren))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(
            pilot,
            lambda: any("nota" in str(n.render()) for n in app.screen.query(ModerationNews)),
            "the note on the home screen",
        )
        news = app.screen.query_one(ModerationNews)
        assert "1 nota de los moderadores para ti: pulsa N para leerla." in str(news.render())
        await pilot.press("n")
        await reach(pilot, NoticesScreen)
        assert text_of(app, ".title") == "Notas de los moderadores"
        assert "P apelar la nota elegida (una vez)   Esc volver" in _keys(app)


def test_ages_and_the_dashboard_in_german() -> None:
    now = utcnow()
    assert ago(now - timedelta(minutes=5), now) == "5m"

    def say(message: object) -> str:
        return localise(message, "de")

    assert ago(now - timedelta(hours=3), now, say) == "3 Std."
    days = tuple((now - timedelta(days=13 - i)).date() for i in range(14))
    zero = (0,) * 14
    stats = DashboardStats(
        days=days,
        members=12,
        active_today=3,
        active_week=7,
        posts=zero,
        chat_lines=zero,
        check_ins=zero,
        flags=zero,
        holds=zero,
        queue_open=2,
        queue_oldest=now - timedelta(days=2),
        flag_rate=0.125,
        hold_rate=0.0,
        trending=(),
        themes=(),
    )
    text = dashboard_text(stats, "de")
    assert "Mitglieder 12   heute aktiv 3   diese Woche 7" in text
    assert "Offen 2, ältestes: 2 T." in text and "gemeldet 12,5%" in text
    assert "Beiträge" in text and "Im Trend diese Woche: Noch fällt nichts auf." in text
    assert all(len(line) <= 78 for line in text.splitlines())

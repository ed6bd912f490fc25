"""Each member's language: stored, chosen at sign-up, changed later; the help and crisis
lines in it (and in the language a crisis text was written in); the migration."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlmodel import Session
from support import PASSWORD, let_new_members_write, sign_up

from bbs.accounts.members import AccountError
from bbs.community import Community
from bbs.config import Settings
from bbs.db import alembic_config
from bbs.moderation_queue.policy import CRISIS_HOLD_KEPT, Action, Scores
from server.wiring import build_community

# Lines only the shipped Spanish / German help has, and one only the English one has.
ES_LINE = "Alguien con quien hablar, a cualquier hora"
DE_LINE = "Jemand zum Reden, zu jeder Stunde"
EN_LINE = "Someone to talk to, any hour"
# The crisis note's own words in each language.
ES_NOTE = "No has hecho nada malo"
FR_NOTE = "Vous n'avez rien fait de mal"
EN_NOTE = "You're not in trouble"


class LanguageScorer:
    """A stand-in model that reads "acabar con todo" as a Spanish crisis, "end it all" as an
    English one, and "idiot" / "idiota" as abuse."""

    def score(self, texts: Sequence[str]) -> list[Scores]:
        return [
            Scores(
                0.9 if "idiot" in t else 0.0,
                0.0,
                0.9 if ("end it all" in t or "acabar con todo" in t) else 0.0,
                lang="es" if "acabar" in t else "en",
            )
            for t in texts
        ]

    def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        return {}


@pytest.fixture
def lang_community(settings: Settings) -> Iterator[Community]:
    c = build_community(settings, scorer=LanguageScorer())
    c.prepare()
    let_new_members_write(c.database)
    yield c
    c.close()


async def test_the_language_chosen_at_sign_up_is_stored_and_can_be_changed(
    community: Community,
) -> None:
    member = (await community.accounts.sign_up("Lucia", PASSWORD, PASSWORD, language="es")).member
    assert member.language == "es"
    assert (await community.accounts.member(member.id)).language == "es"  # type: ignore[union-attr]
    changed = await community.accounts.set_language(member.id, "fr")
    assert changed.language == "fr" and await community.texts.member_language(member.id) == "fr"
    with pytest.raises(AccountError):
        await community.accounts.set_language(member.id, "xx")
    # Without a choice, English.
    assert (await community.accounts.sign_up("Robin", PASSWORD, PASSWORD)).member.language == "en"


async def test_help_comes_in_each_language_and_falls_back_to_the_default(
    community: Community,
) -> None:
    assert EN_LINE in await community.texts.help_text()
    assert EN_LINE in await community.texts.help_text("en")
    assert ES_LINE in await community.texts.help_text("es")
    assert DE_LINE in await community.texts.help_text("de")
    assert "findahelpline.com" in await community.texts.help_text("pt")
    # A language with no help of its own gets the default help there, not nothing.
    from bbs.texts.records import CommunityText

    def drop_french(session: Session) -> None:
        row = session.get(CommunityText, ("help", "fr", ""))
        assert row is not None
        session.delete(row)

    await community.store.write(drop_french)
    community.texts.forget()
    assert EN_LINE in await community.texts.help_text("fr")
    # An unknown language is the default.
    assert EN_LINE in await community.texts.help_text("xx")


def test_language_helps_are_installed_where_missing_and_never_overwrite_a_sysops_edit(
    settings: Settings,
) -> None:
    from bbs.texts.records import all_texts

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.help_path_for("es").write_text("Llama al 112. Nuestro número local.", "utf-8")
    community = build_community(settings)
    try:
        community.prepare()  # first start, or an upgrade from before languages
        with community.database.read() as session:
            stored = all_texts(session)
        assert stored[("help", "es", "")] == "Llama al 112. Nuestro número local."
        for lang in ("fr", "de", "pt"):
            assert "findahelpline.com" in stored[("help", lang, "")]
    finally:
        community.close()


def test_the_shipped_language_helps_name_only_international_directories() -> None:
    from importlib import resources

    for lang in ("es", "fr", "de", "pt"):
        text = (resources.files("bbs") / "defaults" / f"help.{lang}.txt").read_text("utf-8")
        assert "findahelpline.com" in text and "befrienders.org" in text
        assert "Sysop: this default names only international directories" in text
        # Numbers: the European emergency number only, nothing unverified.
        digits = {word.strip(",.;:()") for word in text.split() if any(c.isdigit() for c in word)}
        assert digits <= {"112", "F1", "F12", "JSON"}, (lang, digits)


async def test_a_crisis_post_gets_the_lines_in_the_writers_language(
    lang_community: Community,
) -> None:
    community = lang_community
    writer = (await community.accounts.sign_up("Lucia", PASSWORD, PASSWORD, language="es")).member
    board = (await community.boards.board_list(writer.id))[0].id
    outcome = await community.boards.create_thread(
        writer.id, board, title="esta noche", body="quiero acabar con todo esta noche"
    )
    assert outcome.action is Action.CRISIS
    assert ES_NOTE in outcome.note and ES_LINE in outcome.note
    assert "Solo tú puedes ver esta nota." in outcome.note
    # Written in the writer's own language: said once.
    assert EN_NOTE not in outcome.note and outcome.note.count(ES_NOTE) == 1


async def test_a_crisis_in_another_language_gets_the_lines_in_both(
    lang_community: Community,
) -> None:
    community = lang_community
    writer = (await community.accounts.sign_up("Amelie", PASSWORD, PASSWORD, language="fr")).member
    board = (await community.boards.board_list(writer.id))[0].id
    outcome = await community.boards.create_thread(
        writer.id, board, title="ce soir", body="quiero acabar con todo"
    )
    # First in the member's language (French), then in the text's (Spanish).
    assert FR_NOTE in outcome.note and ES_NOTE in outcome.note
    assert outcome.note.index(FR_NOTE) < outcome.note.index(ES_NOTE)
    assert "findahelpline.com" in outcome.note and ES_LINE in outcome.note


async def test_crisis_and_hold_notes_elsewhere_follow_the_member(
    lang_community: Community,
) -> None:
    community = lang_community
    writer = (await community.accounts.sign_up("Jonas", PASSWORD, PASSWORD, language="de")).member
    other = await sign_up(community, "Mara")
    # A private message held for abuse: the kind note in German.
    held = await community.mail.send_message(writer.id, other.id, "du idiot")
    assert held.action is Action.HOLD
    assert "Deine Nachricht ist für andere noch nicht sichtbar" in held.note
    # Crisis words that also read as abuse, in English from a German reader: both.
    board = (await community.boards.board_list(writer.id))[0].id
    both = await community.boards.create_thread(
        writer.id, board, title="tonight", body="idiot, I want to end it all"
    )
    assert both.action is Action.CRISIS_HOLD
    assert "Eine Person aus unserem Moderationsteam" in both.note
    assert "A person from our moderation team" in both.note and CRISIS_HOLD_KEPT in both.note
    # A goal title, through the core (the screens show `crisis_words` as given).
    goal = await community.goals.create_goal(
        writer.id,
        title="end it all",
        category="custom",
        cadence="daily",
        measure="",
        target="",
        visibility="private",
    )
    assert goal.crisis and "Dein Ziel ist gespeichert" in goal.crisis_words


async def test_a_check_in_note_in_crisis_gets_the_companions_note_in_the_members_language(
    lang_community: Community,
) -> None:
    community = lang_community
    member = (await community.accounts.sign_up("Joana", PASSWORD, PASSWORD, language="pt")).member
    goal = await community.goals.create_goal(
        member.id,
        title="Caminhar",
        category="custom",
        cadence="daily",
        measure="",
        target="",
        visibility="private",
    )
    from bbs.goals.streaks import CheckInStatus

    outcome = await community.goals.check_in(
        member.id, goal.id, status=CheckInStatus.DONE, note="I want to end it all"
    )
    assert outcome.crisis
    assert outcome.help.startswith("O seu registro está salvo. Só você pode ver esta nota.")
    assert "Your check-in is saved." in outcome.help  # the text's own language too


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migration_gives_existing_members_english(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'old.sqlite3'}"
        if backend == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.upgrade(config, "0013")
            conn.execute(
                text(
                    "INSERT INTO member (pseudonym, pseudonym_key, skeleton, password_hash, "
                    "recovery_hash, role, colour_mode, mouse, front_end, guidelines_version, "
                    "created_at) VALUES ('Old', 'old', 'old', 'x', 'y', 'member', 'auto', true, "
                    "'full', 1, :now)"
                ),
                {"now": datetime.now(UTC)},
            )
            command.upgrade(config, "head")
            assert conn.execute(text("SELECT language FROM member")).scalar_one() == "en"
            command.downgrade(config, "0013")
            command.upgrade(config, "0014_language")
    finally:
        engine.dispose()

"""Issue 20, languages: boards and rooms marked with a language (and lists that put the
member's first), and members' countries, whose crisis lines the help shows first."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlmodel import Session, select
from support import PASSWORD, let_new_members_write, sign_up

from bbs.accounts.members import AccountError
from bbs.boards import records as boards
from bbs.boards.records import BoardView, PostError
from bbs.community import Community
from bbs.config import Settings
from bbs.countries import countries, country_from_environment, country_name, is_country
from bbs.db import Database, alembic_config
from bbs.i18n import Said, localise
from bbs.models import Role
from bbs.moderation_queue.policy import Action, Scores
from bbs.places import PLACES_TOPIC, PlaceChanged, language_first, place_language
from bbs.posted_events import PostedEvent
from bbs.rooms import records as rooms
from bbs.rooms.events import RoomChangedEvent, room_topic
from bbs.rooms.records import RoomError
from bbs.texts import records as texts
from server.cli import main
from server.wiring import build_community

DE_LINES = "Telefonseelsorge 0800 111 0 111"
BR_LINES = "CVV 188"
ES_LINE = "Alguien con quien hablar, a cualquier hora"
EN_LINE = "Someone to talk to, any hour"


# -- the migration ----------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migration_leaves_places_for_any_language_and_members_without_a_country(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
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
            command.upgrade(config, "0020_merge_cluster")
            now = {"now": datetime.now(UTC)}
            conn.execute(
                text(
                    "INSERT INTO member (pseudonym, pseudonym_key, skeleton, password_hash, "
                    "recovery_hash, role, colour_mode, mouse, front_end, language, "
                    "guidelines_version, created_at) VALUES ('Old', 'old', 'old', 'x', 'y', "
                    "'member', 'auto', true, 'full', 'de', 1, :now)"
                ),
                now,
            )
            conn.execute(
                text(
                    "INSERT INTO board (name, description, position, archived, created_at) "
                    "VALUES ('Old board', '', 0, false, :now)"
                ),
                now,
            )
            conn.execute(
                text(
                    "INSERT INTO room (name, name_key, topic, private, closed, "
                    "slow_mode_seconds, created_at) VALUES ('Old room', 'old room', '', false, "
                    "false, 0, :now)"
                ),
                now,
            )
            command.upgrade(config, "head")
            assert conn.execute(text("SELECT country FROM member")).scalar_one() == ""
            board = "SELECT language FROM board WHERE name = 'Old board'"
            assert conn.execute(text(board)).scalar_one() == ""
            room = "SELECT language FROM room WHERE name = 'Old room'"
            assert conn.execute(text(room)).scalar_one() == ""
            conn.execute(text("UPDATE board SET language = 'es'"))
            command.downgrade(config, "0020_merge_cluster")
            columns = conn.execute(text("SELECT * FROM board")).keys()
            assert "language" not in columns
            assert conn.execute(text("SELECT count(*) FROM room WHERE name = 'Old room'")).scalar()
            assert conn.execute(text("SELECT language FROM member")).scalar_one() == "de"
            command.upgrade(config, "0021_place_language")
            assert conn.execute(text(board)).scalar_one() == ""
    finally:
        engine.dispose()


# -- marking a place --------------------------------------------------------------------
def test_a_places_language_is_a_code_we_have_or_any() -> None:
    assert place_language("DE ") == "de"
    for anything in ("", "-", "any", "ANY", None):
        assert place_language(anything) == ""
    with pytest.raises(ValueError) as caught:
        place_language("klingon")
    said = caught.value.args[0]
    assert isinstance(said, Said) and "en, es, fr, de, pt" in said
    # Said again in the sysop's language once the catalogues have it; English meanwhile.
    assert "en, es, fr, de, pt" in localise(caught.value, "de")


async def test_boards_carry_their_language_and_announce_it(community: Community) -> None:
    heard = community.events.subscribe(PLACES_TOPIC)

    def add(s: Session) -> tuple[BoardView, BoardView]:
        return boards.add_board(s, "Ansiedad", "Para hablar", language="es"), boards.add_board(
            s, "Grief"
        )

    added, plain = await community.store.write(add)
    assert (added.language, plain.language) == ("es", "")
    # Announced after the commit (a plain board says nothing).
    assert [e for e in heard.drain()] == [PlaceChanged("board", added.id, "Ansiedad", "es")]

    def change(s: Session) -> None:
        assert boards.set_board_language(s, "grief", "fr").language == "fr"
        assert boards.rename_board(s, "Grief", "Deuil", "FR").language == "fr"
        assert boards.rename_board(s, "Deuil", "Deuil et perte").language == "fr"

    await community.store.write(change)
    with pytest.raises(PostError, match="one of en, es"):
        await community.store.write(lambda s: boards.set_board_language(s, "Deuil et perte", "xx"))
    with community.database.read() as s:
        listed = {b.name: b.language for b in boards.all_boards(s)}
    assert listed["Ansiedad"] == "es" and listed["Deuil et perte"] == "fr"
    assert listed["Introductions"] == ""
    assert [e.language for e in heard.drain()] == ["fr", "fr"]  # type: ignore[attr-defined]
    with community.database.write() as s:
        assert boards.set_board_language(s, "Ansiedad", "-").language == ""


async def test_rooms_carry_their_language_and_tell_those_inside(community: Community) -> None:
    heard = community.events.subscribe(PLACES_TOPIC)
    inside = community.events.subscribe(room_topic(1))
    created = await community.store.write(
        lambda s: rooms.create_room(s, name="Sala", topic="hola", language="es")
    )
    assert created.language == "es"
    changed = await community.store.write(lambda s: rooms.update_room(s, 1, language="de"))
    assert changed.language == "de"
    [event] = inside.drain()
    assert isinstance(event, RoomChangedEvent) and event.language == "de"
    assert [(e.place, e.name, e.language) for e in heard.drain()] == [  # type: ignore[attr-defined]
        ("room", "Sala", "es"),
        ("room", "Lobby", "de"),
    ]
    # Another change leaves the language as it is, and is not news for the lists.
    await community.store.write(lambda s: rooms.update_room(s, 1, topic="Ruhig"))
    [event] = inside.drain()
    assert event.language == "de" and heard.drain() == []  # type: ignore[attr-defined]
    with pytest.raises(RoomError, match="one of en, es"):
        await community.store.write(lambda s: rooms.update_room(s, 1, language="xx"))


# -- the member's own language first ----------------------------------------------------
@dataclass(frozen=True)
class Place:
    name: str
    language: str


def test_language_first_keeps_the_sysops_order_otherwise() -> None:
    places = [Place("a", ""), Place("b", "de"), Place("c", "es"), Place("d", "de"), Place("e", "")]
    assert [p.name for p in language_first(places, "de")] == ["b", "d", "a", "c", "e"]
    assert [p.name for p in language_first(places, "es")] == ["c", "a", "b", "d", "e"]
    assert [p.name for p in language_first(places, "pt")] == ["a", "b", "c", "d", "e"]
    assert [p.name for p in language_first(places, "")] == ["a", "b", "c", "d", "e"]
    assert language_first([], "de") == []
    pairs = [(Place("x", ""), 3), (Place("y", "fr"), 0)]
    assert language_first(pairs, "fr", key=lambda pair: pair[0].language) == pairs[::-1]


async def test_the_lists_put_the_members_language_first(community: Community) -> None:
    member = await sign_up(community, "Lucia")
    with community.database.write() as s:
        boards.set_board_language(s, "Sleep", "es")
        rooms.update_room(s, 3, language="es")
    listed = await community.boards.board_list(member.id)
    assert listed[0].name == "Introductions"
    assert next(b for b in listed if b.name == "Sleep").language == "es"
    mine = await community.boards.board_list(member.id, first_language="es")
    assert mine[0].name == "Sleep"
    assert [b.name for b in mine[1:]] == [b.name for b in listed if b.name != "Sleep"]
    found = await community.rooms.list_rooms(member, first_language="es")
    assert [room.name for room, _people in found] == ["Night owls", "Lobby", "Check-in circle"]
    assert found[0][0].language == "es"
    assert next(r.name for r, _ in await community.rooms.list_rooms(member)) == "Lobby"


async def test_the_admin_service_sets_a_places_language(community: Community) -> None:
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    admin = community.admin
    done = await admin.change_place(sysop.id, "add_board", value="Saudade", language="pt")
    assert done == "board Saudade added, language pt"
    assert await admin.change_place(sysop.id, "board_language", board="Sleep", value="de")
    done = await admin.change_place(
        sysop.id, "rename_board", board="Saudade", value="Saudades", language="any"
    )
    assert done == "board Saudade renamed Saudades, language any"
    done = await admin.change_place(sysop.id, "add_room", value="Salon", language="fr")
    assert done == "room Salon added, language fr"
    room_id = next(r.id for r in (await admin.places(sysop.id))[1] if r.name == "Salon")
    done = await admin.change_place(sysop.id, "room_language", room_id=room_id, value="-")
    assert done == "room Salon language any"
    board_list, room_list = await admin.places(sysop.id)
    languages = {b.name: b.language for b in board_list} | {r.name: r.language for r in room_list}
    assert (languages["Saudades"], languages["Sleep"], languages["Salon"]) == ("", "de", "")
    with pytest.raises(ValueError, match="one of en, es"):
        await admin.change_place(sysop.id, "room_language", room_id=room_id, value="xx")
    member = await sign_up(community, "Ash")
    with pytest.raises(ValueError):
        await admin.change_place(member.id, "board_language", board="Sleep", value="es")


# -- from the shell -----------------------------------------------------------------------
def _run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str]:
    code = main(["admin", *argv, "--data-dir", str(data)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_bbs_admin_board_and_room_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert _run(capsys, data, "room", "list")[0] == 0  # seeds the rooms
    code, out = _run(capsys, data, "room", "language", "night owls", "DE")
    assert code == 0 and "Night owls: for Deutsch (de)." in out
    code, out = _run(capsys, data, "room", "list")
    assert code == 0 and "de" in next(line for line in out.splitlines() if "Night owls" in line)
    code, out = _run(capsys, data, "room", "language", "Lobby", "xx")
    assert code == 1 and "one of en, es, fr, de, pt" in out
    code, out = _run(capsys, data, "room", "language", "Nowhere", "de")
    assert code == 1 and "No room is called" in out
    code, out = _run(capsys, data, "room", "add", "Sala", "--language", "es")
    assert code == 0

    assert _run(capsys, data, "board", "add", "Ansiedad", "--language", "es")[0] == 0
    code, out = _run(capsys, data, "board", "language", "Sleep", "pt")
    assert code == 0 and "for Português (pt)" in out
    code, out = _run(capsys, data, "board", "language", "sleep", "any")
    assert code == 0 and "for any language" in out
    code, out = _run(capsys, data, "board", "language", "Ansiedad", "-")
    assert code == 0 and "for any language" in out
    assert _run(capsys, data, "board", "language", "Wins", "fr")[0] == 0
    code, out = _run(capsys, data, "board", "language", "Wins", "klingon")
    assert code == 1 and "one of en, es, fr, de, pt" in out
    code, out = _run(capsys, data, "board", "list")
    assert code == 0
    wins = next(line for line in out.splitlines() if "Wins" in line)
    assert wins.split()[-1] == "fr"

    database = Database(f"sqlite:///{(data / 'bbs.sqlite3').resolve()}")
    try:
        with database.read() as s:
            assert rooms.room_by_name(s, "Night owls").language == "de"  # type: ignore[union-attr]
            assert rooms.room_by_name(s, "Sala").language == "es"  # type: ignore[union-attr]
            found = {b.name: b.language for b in boards.all_boards(s)}
            assert (found["Sleep"], found["Ansiedad"], found["Wins"]) == ("", "", "fr")
            # The running server follows these: the room's own change, and the lists'.
            posted = [(p.topic, json.loads(p.body)) for p in s.exec(select(PostedEvent)).all()]
    finally:
        database.dispose()
    owls = next(body for topic, body in posted if topic.startswith("room."))
    assert owls["kind"] == "room.changed" and owls["language"] == "de"
    lists = [body for topic, body in posted if topic == PLACES_TOPIC]
    assert [(b["place"], b["name"], b["language"]) for b in lists] == [
        ("room", "Night owls", "de"),
        ("room", "Sala", "es"),
        ("board", "Ansiedad", "es"),
        ("board", "Sleep", "pt"),
        ("board", "Sleep", ""),
        ("board", "Ansiedad", ""),
        ("board", "Wins", "fr"),
    ]


# -- members' countries ---------------------------------------------------------------------
def test_country_names_and_the_clients_locale() -> None:
    assert is_country("DE") and is_country("BR") and not is_country("ZZ")
    assert not is_country("EU") and not is_country("XX")
    assert country_name("DE", "de") == "Deutschland" and country_name("BR", "pt") == "Brasil"
    assert country_name("", "en") == ""
    names = countries("es")
    assert ("ES", "España") in names and len(names) > 200
    assert [n for _c, n in names] == sorted((n for _c, n in names), key=str.casefold)
    assert country_from_environment({"LANG": "pt_BR.UTF-8"}) == "BR"
    assert country_from_environment({"LC_ALL": "de_AT@euro", "LANG": "en_GB.UTF-8"}) == "AT"
    for nothing in ({"LANG": "C.UTF-8"}, {"LANG": "en"}, {}, {"LANG": "en_ZZ.UTF-8"}):
        assert country_from_environment(nothing) is None
    # The sysop's per-country help and members share one check.
    assert texts.normalise_country(" de ") == "DE"


async def test_a_member_may_say_a_country_or_none(community: Community) -> None:
    member = await sign_up(community, "Jonas")
    assert member.country == ""
    assert (await community.accounts.set_country(member.id, " at ")).country == "AT"
    assert (await community.accounts.member(member.id)).country == "AT"  # type: ignore[union-attr]
    for wrong in ("Austria", "A1", "XX", "EU"):
        with pytest.raises(AccountError) as caught:
            await community.accounts.set_country(member.id, wrong)
        assert isinstance(caught.value.args[0], Said)
    assert "DE or BR" in str(caught.value) or "country" in str(caught.value)
    with pytest.raises(AccountError, match="XX"):
        await community.accounts.set_country(member.id, "xx")
    assert (await community.accounts.set_country(member.id, "")).country == ""
    signed = await community.accounts.sign_up(
        "Joana", PASSWORD, PASSWORD, language="pt", country="br"
    )
    assert signed.member.country == "BR"
    with pytest.raises(AccountError):
        await community.accounts.sign_up("Nadie", PASSWORD, PASSWORD, country="Narnia")


async def _country_help(community: Community) -> None:
    sysop = await sign_up(community, "Keeper", Role.SYSOP)
    await community.admin.set_help_text(
        sysop.id, f"Hilfe in Deutschland: {DE_LINES}", lang="de", country="DE"
    )
    await community.admin.set_help_text(
        sysop.id, f"Ajuda no Brasil: {BR_LINES}", lang="pt", country="br"
    )


async def test_help_is_the_countrys_then_the_languages_then_english(
    community: Community,
) -> None:
    await _country_help(community)
    t = community.texts
    jonas = (await community.accounts.sign_up("Jonas", PASSWORD, PASSWORD, language="de")).member
    assert DE_LINES not in await t.member_help(jonas.id)  # no country said
    await community.accounts.set_country(jonas.id, "de")
    assert DE_LINES in await t.member_help(jonas.id)
    await community.accounts.set_country(jonas.id, "CH")  # no lines written for it
    assert "Jemand zum Reden" in await t.member_help(jonas.id)
    # A country's lines are written in a language: a French reader in Germany reads French.
    amelie = (await community.accounts.sign_up("Amelie", PASSWORD, PASSWORD, language="fr")).member
    await community.accounts.set_country(amelie.id, "DE")
    assert DE_LINES not in await t.member_help(amelie.id)
    assert "findahelpline.com" in await t.member_help(amelie.id)
    # A language without a help of its own: English.
    with community.database.write() as s:
        row = s.get(texts.CommunityText, ("help", "fr", ""))
        assert row is not None
        s.delete(row)
    t.forget()
    assert EN_LINE in await t.member_help(amelie.id)
    # The same lookup as help_text(lang, country), which the front ends may call too.
    assert BR_LINES in await t.help_text("pt", "BR") and BR_LINES not in await t.help_text("pt")
    assert EN_LINE in await t.member_help(123456)  # gone: English, no country


class CrisisScorer:
    """Reads "end it all" as a crisis (in English) and "acabar con todo" as one in Spanish."""

    def score(self, texts: Sequence[str]) -> list[Scores]:
        return [
            Scores(
                0.0,
                0.0,
                0.9 if ("end it all" in t or "acabar con todo" in t) else 0.0,
                lang="es" if "acabar" in t else "en",
            )
            for t in texts
        ]

    def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        return {}


@pytest.fixture
def crisis_community(settings: Settings) -> Iterator[Community]:
    c = build_community(settings, scorer=CrisisScorer())
    c.prepare()
    let_new_members_write(c.database)
    yield c
    c.close()


async def test_the_crisis_note_gives_the_countrys_lines(crisis_community: Community) -> None:
    community = crisis_community
    await _country_help(community)
    joana = (
        await community.accounts.sign_up("Joana", PASSWORD, PASSWORD, language="pt", country="BR")
    ).member
    board = (await community.boards.board_list(joana.id))[0].id
    outcome = await community.boards.create_thread(
        joana.id, board, title="hoje", body="I want to end it all tonight"
    )
    assert outcome.action is Action.CRISIS
    # In her language, with Brazil's lines; then in the text's language (English lines).
    assert BR_LINES in outcome.note and EN_LINE in outcome.note
    assert outcome.note.index(BR_LINES) < outcome.note.index(EN_LINE)
    # The companion's note on a check-in, and its low-mood help, use the same lines.
    goal = await community.goals.create_goal(
        joana.id,
        title="Caminhar",
        category="custom",
        cadence="daily",
        measure="",
        target="",
        visibility="private",
    )
    from bbs.goals.streaks import CheckInStatus

    checked = await community.goals.check_in(
        joana.id, goal.id, status=CheckInStatus.DONE, note="I want to end it all"
    )
    assert checked.crisis and BR_LINES in checked.help
    # Without a country: her language's lines only.
    bia = (await community.accounts.sign_up("Bia", PASSWORD, PASSWORD, language="pt")).member
    plain = await community.boards.create_thread(
        bia.id, board, title="hoje", body="I want to end it all"
    )
    assert BR_LINES not in plain.note and "findahelpline.com" in plain.note


# -- what we store and the export -------------------------------------------------------------
async def test_the_export_and_what_we_store_name_the_language_and_country(
    community: Community,
) -> None:
    member = (await community.accounts.sign_up("Jonas", PASSWORD, PASSWORD, language="de")).member
    page = await community.privacy.what_we_store(member.id)
    assert "Your language (Deutsch) and no country" in page
    assert "real name or location." in page
    await community.accounts.set_country(member.id, "AT")
    page = await community.privacy.what_we_store(member.id)
    assert "your country (Austria, AT)" in page and "beyond the country you gave" in page
    doc = json.loads(await community.privacy.export_json(member.id))
    assert (doc["member"]["language"], doc["member"]["country"]) == ("de", "AT")
    assert "Your country only if you give it" in community.texts.what_we_store_text()

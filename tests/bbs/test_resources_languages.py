"""The resource library in every language: each language's default set seeded once (new
communities and upgrades), never over a sysop's edit or retirement; members read their
language with English per slug; migration 0022 up and down (issue 20)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlmodel import select
from support import add_member

from bbs.community import Community
from bbs.db import Database, alembic_config
from bbs.i18n import LANGUAGES, Said, localise
from bbs.models import Role
from bbs.resources import records as resources
from bbs.resources.records import Resource, ResourceError, ResourceRecord
from bbs.sysop_settings import get_setting, put_setting

OTHERS = [lang for lang in LANGUAGES if lang != "en"]
SLUGS = [str(e["slug"]) for e in resources.default_entries()]


@pytest.fixture
def db(store: Database) -> Iterator[Database]:
    with store.write() as session:
        resources.seed_default_resources(session)
    yield store


def _rows(database: Database, lang: str) -> dict[str, ResourceRecord]:
    with database.read() as session:
        return {r.view.slug: r for r in resources.all_resources(session) if r.view.lang == lang}


def test_each_language_ships_the_same_entries_in_its_own_words() -> None:
    english = resources.default_entries()
    for lang in OTHERS:
        entries = resources.default_entries(lang)
        assert [e["slug"] for e in entries] == SLUGS
        for entry, source in zip(entries, english, strict=True):
            draft = resources.check_draft(
                title=entry["title"], body=entry["body"], source=entry["source"], tags=entry["tags"]
            )
            assert draft.title == entry["title"] and draft.body == entry["body"]
            assert len(draft.tags) == len(source["tags"])
            assert entry["title"] != source["title"] or entry["slug"] == "body-scan"
            assert entry["body"] != source["body"]
            # The same steps: as many lines, the numbered ones numbered alike.
            assert entry["body"].count("\n") == source["body"].count("\n"), entry["slug"]
    # Every safety point of the safety plan is there in each language.
    for lang in OTHERS:
        plan = next(e for e in resources.default_entries(lang) if e["slug"] == "safety-plan")
        assert all(f"\n{n}. " in plan["body"] for n in range(1, 8))
    assert resources.default_entries("it") == []


def test_a_new_community_gets_every_language_once(db: Database) -> None:
    for lang in LANGUAGES:
        assert sorted(_rows(db, lang)) == sorted(SLUGS)
        with db.read() as session:
            assert get_setting(session, resources.seeded_setting(lang))
    with db.write() as session:
        assert resources.seed_default_resources(session) == 0
    with db.read() as session:
        assert len(session.exec(select(Resource)).all()) == len(SLUGS) * len(LANGUAGES)
        spanish = {v.slug: v for v in resources.active_resources(session, "es")}
    assert spanish["box-breathing"].title == "Respiración cuadrada"
    assert spanish["box-breathing"].lang == "es"
    assert "respiración" in spanish["box-breathing"].tags


def test_an_upgrade_adds_the_new_languages_and_never_overwrites_a_sysop(db: Database) -> None:
    sysop = add_member(db, "Keeper", Role.SYSOP, age=None)
    # A community from before: English only, one entry edited and one retired.
    with db.write() as session:
        for row in session.exec(select(Resource).where(Resource.lang != "en")).all():
            session.delete(row)
        for lang in OTHERS:
            put_setting(session, resources.seeded_setting(lang), "")
    english = _rows(db, "en")
    with db.write() as session:
        resources.edit_resource(
            session,
            actor_id=sysop,
            resource_id=english["grounding-5-4-3-2-1"].view.id,
            title="Grounding with your senses",
        )
        resources.retire_resource(
            session, actor_id=sysop, resource_id=english["box-breathing"].view.id
        )
        # The sysop had already written their own Spanish sleep entry under the same slug.
        mine = resources.add_resource(
            session,
            actor_id=sysop,
            title="Dormir mejor",
            body="Lo nuestro.",
            source="Escrito para esta comunidad",
            tags="sueño",
            slug="sleep-hygiene",
            lang="es",
        )
    assert mine.slug == "sleep-hygiene" and mine.lang == "es"

    with db.write() as session:
        made = resources.seed_default_resources(session)
    assert made == len(SLUGS) * len(OTHERS) - 1  # the sysop's Spanish entry stands
    english_after = _rows(db, "en")
    assert english_after["grounding-5-4-3-2-1"].view.title == "Grounding with your senses"
    assert english_after["box-breathing"].retired_at is not None
    spanish = _rows(db, "es")
    assert spanish["sleep-hygiene"].view.title == "Dormir mejor"
    # An exercise the sysop took away does not come back in another language.
    for lang in OTHERS:
        rows = _rows(db, lang)
        assert rows["box-breathing"].retired_at is not None
        assert rows["grounding-5-4-3-2-1"].retired_at is None

    # The sysop edits and retires translations; restarts never undo that.
    with db.write() as session:
        resources.edit_resource(
            session, actor_id=sysop, resource_id=spanish["worry-time"].view.id, body="Otro."
        )
        resources.retire_resource(session, actor_id=sysop, resource_id=spanish["body-scan"].view.id)
        resources.retire_resource(
            session,
            actor_id=sysop,
            resource_id=spanish["box-breathing"].view.id,
            retired=False,
        )
    for _restart in range(2):
        with db.write() as session:
            assert resources.seed_default_resources(session) == 0
    spanish = _rows(db, "es")
    assert spanish["worry-time"].view.body == "Otro."
    assert spanish["body-scan"].retired_at is not None
    assert spanish["box-breathing"].retired_at is None
    with db.read() as session:
        total = len(session.exec(select(Resource)).all())
    assert total == len(SLUGS) * len(LANGUAGES)


def test_members_read_their_language_and_english_per_slug(db: Database) -> None:
    sysop = add_member(db, "Keeper", Role.SYSOP, age=None)
    with db.write() as session:
        stretch = resources.add_resource(
            session,
            actor_id=sysop,
            title="Desk stretch",
            body="Stand up and stretch.",
            source="Written for this community",
            tags="stress",
        )
    spanish = _rows(db, "es")
    english = _rows(db, "en")
    with db.read() as session:
        shown = resources.active_resources(session, "es")
    assert {v.slug for v in shown} == {*SLUGS, "desk-stretch"}
    assert len(shown) == len(SLUGS) + 1  # never the same entry twice
    assert {v.lang for v in shown if v.slug != "desk-stretch"} == {"es"}
    assert next(v for v in shown if v.slug == "desk-stretch") == stretch
    assert [v.title for v in shown] == sorted((v.title for v in shown), key=str.casefold)
    # English readers (and every caller that gives no language) see English only.
    with db.read() as session:
        assert {v.lang for v in resources.active_resources(session)} == {"en"}
        assert {v.lang for v in resources.active_resources(session, "xx")} == {"en"}

    # A Spanish entry retired by the sysop is retired for Spanish readers: no English.
    with db.write() as session:
        resources.retire_resource(session, actor_id=sysop, resource_id=spanish["body-scan"].view.id)
    with db.read() as session:
        assert "body-scan" not in {v.slug for v in resources.active_resources(session, "es")}
        assert "body-scan" in {v.slug for v in resources.active_resources(session, "fr")}
        # One entry by its number, as the reader's language has it.
        box_en = english["box-breathing"].view.id
        got = resources.get_resource(session, box_en, lang="es")
        assert got is not None and got.lang == "es" and got.slug == "box-breathing"
        assert resources.get_resource(session, stretch.id, lang="de") == stretch
        assert resources.get_resource(session, english["body-scan"].view.id, lang="es") is None
        unchanged = resources.get_resource(session, box_en)
        assert unchanged is not None and unchanged.lang == "en"


def test_favourites_follow_the_reader_across_languages(db: Database) -> None:
    ann = add_member(db, "Ann", age=None)
    english, spanish = _rows(db, "en"), _rows(db, "es")
    box_en, box_es = english["box-breathing"].view.id, spanish["box-breathing"].view.id
    with db.write() as session:
        assert resources.set_favourite(session, ann, box_en, True)
    with db.read() as session:
        assert [v.id for v in resources.favourites(session, ann)] == [box_en]
        assert [v.id for v in resources.favourites(session, ann, "es")] == [box_es]
        assert resources.favourite_ids(session, ann) == {box_en}
        assert resources.favourite_ids(session, ann, "es") == {box_en, box_es}
    # Kept in both languages, it is still one favourite; letting go lets go of both.
    with db.write() as session:
        assert resources.set_favourite(session, ann, box_es, True)
    with db.read() as session:
        assert [v.id for v in resources.favourites(session, ann, "es")] == [box_es]
    with db.write() as session:
        assert resources.set_favourite(session, ann, box_es, False) is False
    with db.read() as session:
        assert resources.favourite_ids(session, ann, "es") == set()


def test_sysops_add_and_edit_in_a_language(db: Database) -> None:
    sysop = add_member(db, "Keeper", Role.SYSOP, age=None)
    ann = add_member(db, "Ann", age=None)
    with db.write() as session:
        view = resources.add_resource(
            session,
            actor_id=sysop,
            title="Caja",
            body="Respira.",
            source="Escrito para esta comunidad",
            tags="Respiración",
            slug="box-breathing",
            lang="ES",
        )
        with pytest.raises(ResourceError, match="not one of the board's"):
            resources.add_resource(
                session, actor_id=sysop, title="T", body="B", source="S", tags="x", lang="it"
            )
    assert view.slug == "box-breathing-2" and view.lang == "es"  # unique per language
    assert view.tags == ("respiración",)
    with db.write() as session:
        # Saying it is German: its slug is free there.
        moved = resources.edit_resource(session, actor_id=sysop, resource_id=view.id, lang="de")
        assert moved.lang == "de"
        with pytest.raises(ResourceError, match="already an entry"):
            resources.edit_resource(
                session,
                actor_id=sysop,
                resource_id=_rows(db, "fr")["worry-time"].view.id,
                lang="de",
            )
    with db.read() as session:
        records = resources.all_resources(session)
        assert {r.view.lang for r in records} == set(LANGUAGES)
        # Every language, English first.
        order = [r.view.lang for r in records if not r.retired]
        assert order == sorted(order, key=LANGUAGES.index)
        assert resources.find_resource(session, "box-breathing-2", "de").view.id == view.id
        assert resources.find_resource(session, "box-breathing").view.lang == "en"
        with pytest.raises(ResourceError, match="no resource"):
            resources.find_resource(session, "box-breathing-2")
    # A member told an entry is gone hears it in their language.
    with db.write() as session:
        resources.retire_resource(session, actor_id=sysop, resource_id=view.id)
    with db.write() as session, pytest.raises(ResourceError) as caught:
        resources.set_favourite(session, ann, view.id, True)
    assert isinstance(caught.value.args[0], Said)
    assert localise(caught.value, "es") != str(caught.value)


async def test_the_service_takes_the_members_language(community: Community) -> None:
    sysop = (
        await community.accounts.sign_up(
            "Keeper", "a long password 1", "a long password 1", role=Role.SYSOP
        )
    ).member.id
    library = await community.resources.library("pt")
    assert len(library) == len(SLUGS) and {v.lang for v in library} == {"pt"}
    english = await community.resources.library()
    assert {v.lang for v in english} == {"en"}
    box = next(v for v in english if v.slug == "box-breathing")
    got = await community.resources.get(box.id, "pt")
    assert got is not None and got.title == "Respiração quadrada"
    assert await community.resources.get(box.id) == box
    await community.resources.set_favourite(sysop, box.id, True)
    assert [v.lang for v in await community.resources.favourites(sysop, "pt")] == ["pt"]
    assert got.id in await community.resources.favourite_ids(sysop, "pt")
    added = await community.resources.add(
        sysop,
        title="Alongar",
        body="Levante-se.",
        source="Escrito para esta comunidade",
        tags="estresse",
        lang="pt",
    )
    assert added.lang == "pt"
    edited = await community.resources.edit(sysop, added.id, lang="es", title="Estirar")
    assert edited.lang == "es" and edited.title == "Estirar"
    assert (await community.resources.find("alongar", "es")).view.id == added.id
    records = await community.resources.all(sysop)
    assert len(records) == len(SLUGS) * len(LANGUAGES) + 1


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migration_keeps_english_and_favourites_and_goes_down_and_up(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = (
        f"sqlite:///{tmp_path}/old.sqlite3"
        if backend == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    database = Database(url)
    database.migrate()
    ann = add_member(database, "Ann", age=None)
    now = datetime.now(UTC)
    try:
        with database.engine.begin() as conn:
            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.downgrade(config, "0020_merge_cluster")
            # A community from before languages: English entries, a favourite, seeded.
            for slug, title in (("box-breathing", "Box breathing"), ("mine", "Mine")):
                conn.execute(
                    text(
                        "INSERT INTO resource (slug, title, tags, body, source, created_at, "
                        "updated_at) VALUES (:slug, :title, 'stress', 'Breathe.', 'Ours', "
                        ":now, :now)"
                    ),
                    {"slug": slug, "title": title, "now": now},
                )
            box = conn.execute(text("SELECT id FROM resource WHERE slug = 'box-breathing'"))
            box_id = box.scalar_one()
            conn.execute(
                text(
                    "INSERT INTO resourcefavourite (member_id, resource_id, created_at) "
                    "VALUES (:m, :r, :now)"
                ),
                {"m": ann, "r": box_id, "now": now},
            )
            conn.execute(
                text("INSERT INTO adminsetting (key, value, updated_at) VALUES (:k, 'x', :now)"),
                {"k": resources.SEEDED_SETTING, "now": now},
            )
            # This revision alone: other branches' migrations (0021 rebuilds member on
            # SQLite when it goes down, and that takes favourites with it) stay out of it.
            command.upgrade(config, "0022_resource_language")
            langs = conn.execute(text("SELECT DISTINCT lang FROM resource")).scalars().all()
            assert langs == ["en"]
            favourites = conn.execute(text("SELECT resource_id FROM resourcefavourite"))
            assert favourites.scalars().all() == [box_id]  # the table rebuild kept them
        with database.write() as session:
            made = resources.seed_default_resources(session)
        assert made == len(SLUGS) * len(OTHERS)  # English was seeded before: only the others
        assert len(_rows(database, "en")) == 2
        with database.read() as session:
            assert [v.lang for v in resources.favourites(session, ann, "de")] == ["de"]

        with database.engine.begin() as conn:
            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.downgrade(config, "0020_merge_cluster")
            count = conn.execute(text("SELECT count(*) FROM resource")).scalar_one()
            assert count == 2  # the English entries stay; the translations go
            favourites = conn.execute(text("SELECT resource_id FROM resourcefavourite"))
            assert favourites.scalars().all() == [box_id]
            seeded = conn.execute(
                text("SELECT key FROM adminsetting WHERE key LIKE 'resources%'")
            ).scalars()
            assert list(seeded) == [resources.SEEDED_SETTING]
            command.upgrade(config, "heads")
        with database.write() as session:
            assert resources.seed_default_resources(session) == len(SLUGS) * len(OTHERS)
    finally:
        database.dispose()

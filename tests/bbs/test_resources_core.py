"""The resource library core: the default set, retirement, favourites, checks, hostile text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select
from support import add_member

from bbs.admin import review as admin
from bbs.admin.review import AuditFilter
from bbs.community import Community
from bbs.config import Settings
from bbs.db import Database
from bbs.i18n import LANGUAGES
from bbs.models import Role
from bbs.moderation_queue.audit import AdminError
from bbs.resources import records as resources
from bbs.resources.records import Resource, ResourceError
from server.wiring import build_community

THEMES = {
    "sleep",
    "anxiety",
    "panic",
    "low mood",
    "recovery",
    "cravings",
    "grounding",
    "breathing",
    "stress",
    "loneliness",
}
HOSTILE = (
    "\x1b[2J\x1b]52;c;aGk=\x07[bold red]not markup[/] [link=http://x]y[/link]\x9b31m"
    "\u202eevil\u202c\r\nline two\x00"
)


def _db(url: str) -> Database:
    database = Database(url)
    database.migrate()
    return database


@pytest.fixture
def db(store: Database) -> Iterator[Database]:
    with store.write() as session:
        resources.seed_default_resources(session)
    yield store


def test_default_set_is_useful_and_honest() -> None:
    entries = resources.default_entries()
    assert len(entries) >= 15
    tags = {t for e in entries for t in e["tags"]}
    assert THEMES <= tags
    for entry in entries:
        draft = resources.check_draft(
            title=entry["title"], body=entry["body"], source=entry["source"], tags=entry["tags"]
        )
        assert draft.title == entry["title"] and draft.body == entry["body"]
        assert "community" in draft.source.lower() or "widely used" in draft.source.lower()
    titles = [e["title"] for e in entries]
    assert "5-4-3-2-1 grounding" in titles and "Box breathing" in titles


def test_seeded_once_and_retirement_and_edits_survive_restarts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    database = _db(url)
    with database.write() as session:
        made = resources.seed_default_resources(session)
    assert made == sum(len(resources.default_entries(lang)) for lang in LANGUAGES)
    sysop = add_member(database, "Keeper", Role.SYSOP, age=None)
    with database.read() as session:
        library = resources.active_resources(session)
    assert [v.title for v in library] == sorted((v.title for v in library), key=str.casefold)
    box = next(v for v in library if v.slug == "box-breathing")
    grounding = next(v for v in library if v.slug == "grounding-5-4-3-2-1")
    with database.write() as session:
        resources.retire_resource(session, actor_id=sysop, resource_id=box.id)
        resources.edit_resource(
            session, actor_id=sysop, resource_id=grounding.id, title="Grounding with your senses"
        )
    database.dispose()

    # A restart runs the seeding again: nothing comes back, nothing is doubled.
    again = _db(url)
    with again.write() as session:
        assert resources.seed_default_resources(session) == 0
    with again.read() as session:
        titles = [v.title for v in resources.active_resources(session)]
        count = len(session.exec(select(Resource)).all())
        assert resources.get_resource(session, box.id) is None
        retired = resources.get_resource(session, box.id, include_retired=True)
    assert count == made
    assert "Box breathing" not in titles and "Grounding with your senses" in titles
    assert retired is not None and retired.title == "Box breathing"
    # Even retiring everything never brings the default set back.
    with again.write() as session:
        for view in resources.active_resources(session):
            resources.retire_resource(session, actor_id=sysop, resource_id=view.id)
    with again.write() as session:
        assert resources.seed_default_resources(session) == 0
    with again.read() as session:
        assert resources.active_resources(session) == []
    again.dispose()


def test_community_prepare_seeds_once(settings: Settings) -> None:
    first = build_community(settings)
    first.prepare()
    try:
        with first.database.read() as session:
            n = len(resources.active_resources(session))
    finally:
        first.close()
    second = build_community(settings)
    second.prepare()
    try:
        with second.database.read() as session:
            assert len(resources.active_resources(session)) == n >= 15
    finally:
        second.close()


def test_favourites_per_member_and_retired_ones_come_back(db: Database) -> None:
    ann, bo = add_member(db, "Ann", age=None), add_member(db, "Bo", age=None)
    sysop = add_member(db, "Keeper", Role.SYSOP, age=None)
    with db.read() as session:
        first, second = resources.active_resources(session)[:2]
    with db.write() as session:
        assert resources.set_favourite(session, ann, second.id, True) is True
        assert resources.set_favourite(session, ann, first.id, True) is True
        assert resources.set_favourite(session, ann, first.id, True) is True  # twice is once
    with db.read() as session:
        assert [v.id for v in resources.favourites(session, ann)] == [first.id, second.id]
        assert resources.favourites(session, bo) == []
        assert resources.favourite_ids(session, ann) == {first.id, second.id}
    with db.write() as session:
        resources.retire_resource(session, actor_id=sysop, resource_id=first.id)
    with db.read() as session:
        assert [v.id for v in resources.favourites(session, ann)] == [second.id]
    with db.write() as session, pytest.raises(ResourceError, match="no longer"):
        resources.set_favourite(session, bo, first.id, True)
    with db.write() as session:
        resources.retire_resource(session, actor_id=sysop, resource_id=first.id, retired=False)
        assert resources.set_favourite(session, ann, second.id, False) is False
    with db.read() as session:
        assert [v.id for v in resources.favourites(session, ann)] == [first.id]


def test_only_sysops_change_the_library_and_each_change_is_audited(db: Database) -> None:
    member = add_member(db, "Member", age=None)
    moderator = add_member(db, "Helper", Role.MODERATOR, age=None)
    sysop = add_member(db, "Keeper", Role.SYSOP, age=None)
    for actor in (member, moderator):
        with db.write() as session, pytest.raises(AdminError, match="Only sysops"):
            resources.add_resource(
                session, actor_id=actor, title="T", body="B", source="S", tags="sleep"
            )
    with db.write() as session:
        view = resources.add_resource(
            session,
            actor_id=sysop,
            title="Box breathing",
            body="Breathe.",
            source="Written for this community",
            tags="Breathing, STRESS,  breathing ",
        )
    assert view.slug == "box-breathing-2"  # the default entry has the plain slug
    assert view.tags == ("breathing", "stress")
    with db.write() as session:
        resources.edit_resource(session, actor_id=sysop, resource_id=view.id, body="Slowly.")
        resources.edit_resource(session, actor_id=sysop, resource_id=view.id, body="Slowly.")
        resources.retire_resource(session, actor_id=sysop, resource_id=view.id)
        resources.retire_resource(session, actor_id=sysop, resource_id=view.id, retired=False)
    with db.read() as session:
        log = admin.audit_log(session, actor_id=sysop, filters=AuditFilter())
        found = resources.find_resource(session, "box-breathing-2")
        assert resources.find_resource(session, str(view.id)) == found
        with pytest.raises(ResourceError, match="no resource"):
            resources.find_resource(session, "nope")
    actions = [e.action for e in reversed(log)]
    # An edit that changes nothing is not logged.
    assert actions == ["resource-add", "resource-edit", "resource-retire", "resource-restore"]
    assert all(e.actor == "Keeper" for e in log)
    assert "body" in log[2].detail
    assert found.view.body == "Slowly." and not found.retired


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 81}, "81 characters; the limit is 80"),
        ({"body": " \n\t "}, "write the body"),
        ({"body": "x" * 4001}, "4,001 characters; the limit is 4,000"),
        ({"source": ""}, "source line"),
        ({"tags": ""}, "at least one tag"),
        ({"tags": "sleep; <b>"}, "letters, digits, spaces and hyphens"),
        ({"tags": "x" * 25}, "up to 24"),
        ({"tags": ",".join(f"t{i}" for i in range(9))}, "up to 8"),
    ],
)
def test_bad_fields_get_kind_messages(fields: dict[str, str], message: str) -> None:
    good = {"title": "Title", "body": "Body", "source": "Source", "tags": "sleep"}
    with pytest.raises(ResourceError, match=message):
        resources.check_draft(**{**good, **fields})


def test_limits_are_inclusive() -> None:
    draft = resources.check_draft(
        title="t" * 80, body="b" * 4000, source="s", tags=["low mood", "sleep-well"]
    )
    assert len(draft.title) == 80 and len(draft.body) == 4000
    assert draft.tags == ("low mood", "sleep-well")


def test_hostile_body_is_stored_without_control_characters(db: Database) -> None:
    sysop = add_member(db, "Keeper", Role.SYSOP, age=None)
    with db.write() as session:
        view = resources.add_resource(
            session,
            actor_id=sysop,
            title="\x1b[31mRed\x1b[0m [b]t",
            body=HOSTILE,
            source="\x07Mine",
            tags="stress",
        )
    with db.read() as session:
        stored = resources.get_resource(session, view.id)
    assert stored is not None
    for text in (stored.title, stored.body, stored.source):
        assert not any(ord(ch) < 32 and ch != "\n" for ch in text)
        assert "\x9b" not in text and "\u202e" not in text and "\x00" not in text
    # Markup is kept as literal text (screens show it with markup off).
    assert "[bold red]not markup[/]" in stored.body
    assert stored.body.endswith("evil\nline two")
    assert stored.title == "[31mRed[0m [b]t" and stored.source == "Mine"


async def test_service_round_trip(community: Community) -> None:
    sysop = (
        await community.accounts.sign_up(
            "Keeper", "a long password 1", "a long password 1", role=Role.SYSOP
        )
    ).member.id
    library = await community.resources.library()
    assert len(library) >= 15
    first = library[0]
    assert await community.resources.get(first.id) == first
    assert await community.resources.set_favourite(sysop, first.id, True)
    assert [v.id for v in await community.resources.favourites(sysop)] == [first.id]
    added = await community.resources.add(
        sysop, title="Walk", body="Go outside.", source="Written for this community", tags="stress"
    )
    edited = await community.resources.edit(sysop, added.id, body="\n  Go outside \n\n")
    assert edited.body == "  Go outside"  # blank lines and trailing spaces go
    await community.resources.retire(sysop, added.id)
    assert await community.resources.get(added.id) is None
    records = await community.resources.all(sysop)
    assert records[-1].view.id == added.id and records[-1].retired
    assert not (await community.resources.restore(sysop, added.id)).retired
    assert await community.resources.get(added.id) is not None
    await community.resources.retire(sysop, added.id)
    with pytest.raises(ResourceError, match="4,001"):
        await community.resources.edit(sysop, added.id, body="y" * 4001)

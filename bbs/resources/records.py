"""The resource library: coping strategies and self-help exercises, favourites, sysop edits.

Entries are plain text written by the sysops, each in one of the board's languages (a
default set ships in bbs/defaults/resources.json, resources.es.json and so on, and each
language's set is seeded once). Members read the active entries in their language, and
the English entry for a slug that has none in it; they keep favourites. Sysops add, edit,
retire and restore entries, each action in the audit log.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources as package_files
from typing import Any, TypedDict

from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from bbs.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, said
from bbs.models import Member, Stamped, UTCDateTime, row_or_raise, utcnow
from bbs.moderation_queue.audit import audit_action, require_staff
from bbs.sysop_settings import get_setting, put_setting
from bbs.text_safety import clean_line, clean_text, fitting

TITLE_MAX = 80
BODY_MAX = 4000
SOURCE_MAX = 200
SLUG_MAX = 64
TAG_MAX = 24
TAGS_MAX = 8
TAGS_FIELD_MAX = 250
DEFAULTS_FILE = "resources.json"
# Set once the English default set has been written: a sysop's retirements and edits then
# stand. Each other language has its own setting (`seeded_setting`), set the same way.
SEEDED_SETTING = "resources_seeded"


def defaults_file(lang: str) -> str:
    """The shipped default set for `lang`: resources.json (English), resources.es.json."""
    return DEFAULTS_FILE if lang == DEFAULT_LANGUAGE else f"resources.{lang}.json"


def seeded_setting(lang: str) -> str:
    """The setting that says `lang`'s default set has been written once."""
    return SEEDED_SETTING if lang == DEFAULT_LANGUAGE else f"{SEEDED_SETTING}_{lang}"


class ResourceError(ValueError):
    """A resource request that cannot be carried out; the message is fit to show."""


# -- tables -----------------------------------------------------------------------------
class Resource(SQLModel, table=True):
    """One entry of the library. `tags` is a comma-separated, lower-case list.

    The slug names an entry across languages: "box-breathing" in English and in Spanish
    are the same exercise, so it is unique per language.
    """

    __table_args__ = (UniqueConstraint("slug", "lang", name="uq_resource_slug_lang"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=SLUG_MAX)
    # One of bbs.i18n.LANGUAGES: the language the entry is written in.
    lang: str = Field(default=DEFAULT_LANGUAGE, max_length=8)
    title: str = Field(max_length=TITLE_MAX)
    tags: str = Field(default="", max_length=TAGS_FIELD_MAX)
    body: str = Field(max_length=BODY_MAX)
    source: str = Field(default="", max_length=SOURCE_MAX)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Retired entries stay (favourites come back if a sysop restores them) but are not shown.
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ResourceFavourite(Stamped, table=True):
    """A member kept this entry; the pair is the key, so it is never kept twice."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    resource_id: int = Field(
        foreign_key="resource.id", primary_key=True, index=True, ondelete="CASCADE"
    )


# -- views --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResourceView:
    """An entry as members see it (all text already cleaned)."""

    id: int
    slug: str
    title: str
    tags: tuple[str, ...]
    body: str
    source: str
    lang: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class ResourceRecord:
    """An entry as sysops see it: the view and whether (since when) it is retired."""

    view: ResourceView
    retired_at: datetime | None
    updated_at: datetime

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


@dataclass(frozen=True)
class ResourceDraft:
    """Checked and cleaned fields for a new or edited entry."""

    title: str
    tags: tuple[str, ...]
    body: str
    source: str


def _split_tags(stored: str) -> tuple[str, ...]:
    return tuple(t for t in (part.strip() for part in stored.split(",")) if t)


def _view(row: Resource) -> ResourceView:
    assert row.id is not None
    return ResourceView(
        row.id, row.slug, row.title, _split_tags(row.tags), row.body, row.source, row.lang
    )


def _record(row: Resource) -> ResourceRecord:
    return ResourceRecord(_view(row), row.retired_at, row.updated_at)


# -- checking input -------------------------------------------------------------------------
_SPACES = re.compile(r"\s+")


def clean_tags(raw: str | Iterable[str]) -> tuple[str, ...]:
    """Tags from "Sleep, low mood" or a list: lower case, trimmed, no repeats, in order."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    found: list[str] = []
    for part in parts:
        tag = _SPACES.sub(" ", clean_line(part).strip().lower())
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise ResourceError(
                said(
                    "The tag {tag}… is long: tags can have up to {most} characters.",
                    tag=repr(tag[:TAG_MAX]),
                    most=TAG_MAX,
                )
            )
        if not all(ch.isalnum() or ch in " -" for ch in tag):
            raise ResourceError(
                said(
                    "The tag {tag} has a character tags cannot use: please use "
                    "letters, digits, spaces and hyphens, with commas between tags.",
                    tag=repr(tag),
                )
            )
        if tag not in found:
            found.append(tag)
    if not found:
        raise ResourceError(said("Please give at least one tag, for example: sleep, anxiety."))
    if len(found) > TAGS_MAX:
        raise ResourceError(
            said(
                "That is {count} tags; an entry can have up to {most}.",
                count=len(found),
                most=TAGS_MAX,
            )
        )
    return tuple(found)


def check_body(body: str) -> str:
    """A cleaned body (no control characters, no trailing spaces); ResourceError if unfit."""
    lines = [line.rstrip() for line in clean_text(body).split("\n")]
    return fitting(
        "\n".join(lines).strip("\n"),
        BODY_MAX,
        ResourceError,
        N_(
            "The body has {count} characters; the limit is {most}. "
            "Please shorten it a little (nothing was saved)."
        ),
        missing=N_("Please write the body of the entry: the steps or the idea itself."),
    )


class EntryText(TypedDict):
    """An entry's fields as a sysop types them (the keywords of `check_draft`)."""

    title: str
    body: str
    source: str
    tags: str | Iterable[str]


class EntryChanges(TypedDict, total=False):
    """The fields a sysop changes (the keywords of `edit_resource`; None keeps a field)."""

    title: str | None
    body: str | None
    source: str | None
    tags: str | Iterable[str] | None


def check_draft(*, title: str, body: str, source: str, tags: str | Iterable[str]) -> ResourceDraft:
    """Clean and check an entry's fields; raises ResourceError with a kind message."""
    clean_title = fitting(
        _SPACES.sub(" ", clean_line(title).strip()),
        TITLE_MAX,
        ResourceError,
        N_(
            "The title has {count} characters; the limit is {most}. "
            "A shorter title is easier to find."
        ),
        missing=N_("Please give the entry a title."),
    )
    clean_body = check_body(body)
    clean_source = fitting(
        _SPACES.sub(" ", clean_line(source).strip()),
        SOURCE_MAX,
        ResourceError,
        N_("The source line has {count} characters; the limit is {most}."),
        missing=N_(
            'Please give a source line, for example "Written for this '
            'community" or where the technique comes from.'
        ),
    )
    tag_tuple = clean_tags(tags)
    if len(",".join(tag_tuple)) > TAGS_FIELD_MAX:
        raise ResourceError(
            said("Those tags are too long together; please use fewer or shorter ones.")
        )
    return ResourceDraft(clean_title, tag_tuple, clean_body, clean_source)


def slugify(title: str) -> str:
    """A short ASCII name for an entry, for the CLI: "Box breathing" -> "box-breathing"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[: SLUG_MAX - 4].strip("-") or "entry"


def check_language(lang: str) -> str:
    """One of bbs.i18n.LANGUAGES (as given, trimmed and lower case); ResourceError if not."""
    code = clean_line(lang).strip().lower()
    if code not in LANGUAGES:
        raise ResourceError(
            f"The language {code!r} is not one of the board's: {', '.join(LANGUAGES)}."
        )
    return code


def _unique_slug(session: Session, wanted: str, lang: str, *, own_id: int | None = None) -> str:
    base = slugify(wanted)
    slug, n = base, 1
    while True:
        found = session.exec(
            select(Resource.id).where(Resource.slug == slug, Resource.lang == lang)
        ).first()
        if found is None or found == own_id:
            return slug
        n += 1
        slug = f"{base}-{n}"


# -- reading ------------------------------------------------------------------------------
def _by_title(rows: Iterable[Resource]) -> list[ResourceView]:
    return sorted((_view(r) for r in rows), key=lambda v: (v.title.casefold(), v.id))


def _reader_language(lang: str | None) -> str:
    return DEFAULT_LANGUAGE if lang is None else (lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def _in_language(
    session: Session, slugs: Iterable[str], lang: str
) -> dict[tuple[str, str], Resource]:
    """The entries for these slugs in `lang` and in English, by (slug, lang)."""
    wanted = set(slugs)
    if not wanted:
        return {}
    rows = session.exec(
        select(Resource).where(
            col(Resource.slug).in_(wanted), col(Resource.lang).in_({lang, DEFAULT_LANGUAGE})
        )
    ).all()
    return {(r.slug, r.lang): r for r in rows}


def _as_read_in(row: Resource, lang: str, found: dict[tuple[str, str], Resource]) -> Resource:
    """The entry a reader of `lang` gets for `row`'s slug: the one in their language when
    there is one (retired or not: a sysop's retirement stands for that language), else the
    English one, else `row` itself."""
    return found.get((row.slug, lang)) or found.get((row.slug, DEFAULT_LANGUAGE)) or row


def active_resources(session: Session, lang: str = DEFAULT_LANGUAGE) -> list[ResourceView]:
    """Entries a reader of `lang` sees (not retired), by title: those written in `lang`,
    and the English entry of each slug that has none in `lang` (retired ones included)."""
    lang = _reader_language(lang)
    rows = session.exec(
        select(Resource).where(col(Resource.lang).in_({lang, DEFAULT_LANGUAGE}))
    ).all()
    own = {r.slug for r in rows if r.lang == lang}
    return _by_title(
        r for r in rows if r.retired_at is None and (r.lang == lang or r.slug not in own)
    )


def get_resource(
    session: Session,
    resource_id: int,
    *,
    include_retired: bool = False,
    lang: str | None = None,
) -> ResourceView | None:
    """One entry, or None when there is none (or it is retired, unless asked for).

    With `lang`, the same entry (slug) as a reader of that language sees it: in their
    language when there is one, else in English, else as written.
    """
    row = session.get(Resource, resource_id)
    if row is not None and lang is not None:
        reader = _reader_language(lang)
        row = _as_read_in(row, reader, _in_language(session, [row.slug], reader))
    if row is None or (row.retired_at is not None and not include_retired):
        return None
    return _view(row)


def _language_order(lang: str) -> int:
    return LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES)


def all_resources(session: Session) -> list[ResourceRecord]:
    """Every entry in every language, retired ones too, for sysops: active first, then
    by language (English first), then by title."""
    rows = session.exec(select(Resource)).all()
    records = [_record(r) for r in rows]
    return sorted(
        records,
        key=lambda r: (
            r.retired,
            _language_order(r.view.lang),
            r.view.title.casefold(),
            r.view.id,
        ),
    )


def find_resource(session: Session, key: str, lang: str = DEFAULT_LANGUAGE) -> ResourceRecord:
    """An entry by its number, or by its slug in `lang` (the CLI's way of naming one)."""
    key = clean_line(key).strip()
    row: Resource | None = None
    if key.isdecimal():
        row = session.get(Resource, int(key))
    if row is None:
        row = session.exec(
            select(Resource).where(Resource.slug == key.lower(), Resource.lang == lang)
        ).first()
    if row is None:
        raise ResourceError(
            said("There is no resource {key} (give its number or its slug).", key=repr(key))
        )
    return _record(row)


def library_tags(views: Iterable[ResourceView]) -> list[str]:
    """Every tag used by these entries, most used first, then alphabetically."""
    counts: dict[str, int] = {}
    for view in views:
        for tag in view.tags:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))


def with_tag(views: Iterable[ResourceView], tag: str) -> list[ResourceView]:
    wanted = tag.strip().lower()
    return [v for v in views if wanted in v.tags]


# -- favourites -----------------------------------------------------------------------------
# A favourite is kept by entry, and read by slug: a member who kept the English "box
# breathing" and reads in Spanish finds the Spanish entry marked and in their favourites.
def _kept_rows(session: Session, member_id: int) -> list[Resource]:
    return list(
        session.exec(
            select(Resource)
            .join(ResourceFavourite, col(ResourceFavourite.resource_id) == col(Resource.id))
            .where(ResourceFavourite.member_id == member_id)
        ).all()
    )


def favourite_ids(session: Session, member_id: int, lang: str | None = None) -> set[int]:
    """The entries the member kept and, with `lang`, the same entries as a reader of that
    language sees them (so a library in `lang` marks them)."""
    kept = _kept_rows(session, member_id)
    ids = {r.id for r in kept if r.id is not None}
    if lang is not None:
        reader = _reader_language(lang)
        found = _in_language(session, (r.slug for r in kept), reader)
        read = (_as_read_in(r, reader, found) for r in kept)
        ids |= {r.id for r in read if r.id is not None}
    return ids


def favourites(
    session: Session, member_id: int, lang: str = DEFAULT_LANGUAGE
) -> list[ResourceView]:
    """The member's kept entries that are still in the library, as a reader of `lang`
    sees them, by title."""
    reader = _reader_language(lang)
    kept = _kept_rows(session, member_id)
    found = _in_language(session, (r.slug for r in kept), reader)
    shown: dict[int | None, Resource] = {}
    for row in kept:
        read = _as_read_in(row, reader, found)
        if read.retired_at is None:
            shown[read.id] = read
    return _by_title(shown.values())


def set_favourite(session: Session, member_id: int, resource_id: int, on: bool) -> bool:
    """Keep (on) or let go of an entry; returns whether it is now a favourite.

    Letting go lets go of the entry in every language (a favourite is read by slug).
    """
    existing = session.get(ResourceFavourite, (member_id, resource_id))
    if not on:
        row = session.get(Resource, resource_id)
        ids = {resource_id} | {
            r.id
            for r in _kept_rows(session, member_id)
            if row is not None and r.slug == row.slug and r.id is not None
        }
        for kept_id in ids:
            favourite = session.get(ResourceFavourite, (member_id, kept_id))
            if favourite is not None:
                session.delete(favourite)
        session.flush()
        return False
    if existing is not None:
        return True
    if get_resource(session, resource_id) is None:
        raise ResourceError(said("That entry is no longer in the library."))
    try:
        with session.begin_nested():
            session.add(ResourceFavourite(member_id=member_id, resource_id=resource_id))
    except IntegrityError:  # the same member's other session got there first
        pass
    return True


# -- sysop work ---------------------------------------------------------------------------------
def _row(session: Session, resource_id: int) -> Resource:
    return row_or_raise(
        session,
        Resource,
        resource_id,
        ResourceError(said("That entry is not in the library any more.")),
    )


def add_resource(
    session: Session,
    *,
    actor_id: int,
    title: str,
    body: str,
    source: str,
    tags: str | Iterable[str],
    slug: str = "",
    lang: str = DEFAULT_LANGUAGE,
) -> ResourceView:
    """A sysop adds an entry in `lang` (audited). Giving the slug of an entry in another
    language makes this its translation: readers of `lang` get it instead of the English."""
    actor = require_staff(session, actor_id, sysop=True)
    code = check_language(lang)
    draft = check_draft(title=title, body=body, source=source, tags=tags)
    row = Resource(
        slug=_unique_slug(session, slug or draft.title, code),
        lang=code,
        title=draft.title,
        tags=",".join(draft.tags),
        body=draft.body,
        source=draft.source,
    )
    session.add(row)
    session.flush()
    audit_action(session, actor=actor, action="resource-add", detail=f"{_named(row)}: {row.title}")
    return _view(row)


def _named(row: Resource) -> str:
    """How the audit log names an entry: "#12 box-breathing", "#40 box-breathing (es)"."""
    named = f"#{row.id} {row.slug}"
    return named if row.lang == DEFAULT_LANGUAGE else f"{named} ({row.lang})"


def _audited_change(session: Session, actor: Member, row: Resource, action: str, what: str) -> None:
    """Store a sysop's change to an entry and audit it as "#id slug: what"."""
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit_action(session, actor=actor, action=action, detail=f"{_named(row)}: {what}")


def edit_resource(
    session: Session,
    *,
    actor_id: int,
    resource_id: int,
    title: str | None = None,
    body: str | None = None,
    source: str | None = None,
    tags: str | Iterable[str] | None = None,
    lang: str | None = None,
) -> ResourceView:
    """A sysop changes some fields of an entry (None keeps a field); audited. `lang` says
    the entry is written in another language (its slug must be free in that one)."""
    actor = require_staff(session, actor_id, sysop=True)
    row = _row(session, resource_id)
    code = row.lang if lang is None else check_language(lang)
    if code != row.lang and _entry(session, row.slug, code) is not None:
        raise ResourceError(
            f"There is already an entry {row.slug!r} in {code!r}; please edit that one."
        )
    draft = check_draft(
        title=row.title if title is None else title,
        body=row.body if body is None else body,
        source=row.source if source is None else source,
        tags=_split_tags(row.tags) if tags is None else tags,
    )
    changed = [
        name
        for name, old, new in (
            ("title", row.title, draft.title),
            ("body", row.body, draft.body),
            ("source", row.source, draft.source),
            ("tags", row.tags, ",".join(draft.tags)),
            ("language", row.lang, code),
        )
        if old != new
    ]
    if not changed:
        return _view(row)
    row.title, row.body, row.source = draft.title, draft.body, draft.source
    row.tags, row.lang = ",".join(draft.tags), code
    _audited_change(session, actor, row, "resource-edit", ", ".join(changed))
    return _view(row)


def retire_resource(
    session: Session, *, actor_id: int, resource_id: int, retired: bool = True
) -> ResourceRecord:
    """A sysop retires an entry (or restores it with retired=False); audited."""
    actor = require_staff(session, actor_id, sysop=True)
    row = _row(session, resource_id)
    if (row.retired_at is not None) == retired:
        return _record(row)
    row.retired_at = utcnow() if retired else None
    _audited_change(
        session, actor, row, "resource-retire" if retired else "resource-restore", row.title
    )
    return _record(row)


# -- the default set ------------------------------------------------------------------------------
def _entry(session: Session, slug: str, lang: str) -> Resource | None:
    return session.exec(
        select(Resource).where(Resource.slug == slug, Resource.lang == lang)
    ).first()


def default_entries(lang: str = DEFAULT_LANGUAGE) -> list[dict[str, Any]]:
    """The default set as shipped for `lang` (bbs/defaults/resources.json for English,
    resources.es.json and so on); an empty list for a language with none shipped."""
    path = package_files.files("bbs") / "defaults" / defaults_file(lang)
    if not path.is_file():
        return []
    entries = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise ValueError(f"{defaults_file(lang)} must hold a list of entries")
    return entries


def _default_row(entry: dict[str, Any], slug: str, lang: str) -> Resource:
    draft = check_draft(
        title=str(entry["title"]),
        body=str(entry["body"]),
        source=str(entry["source"]),
        tags=list(entry["tags"]),
    )
    return Resource(
        slug=slug,
        lang=lang,
        title=draft.title,
        tags=",".join(draft.tags),
        body=draft.body,
        source=draft.source,
    )


def _seed_language(session: Session, lang: str) -> int:
    entries = default_entries(lang)
    made = 0
    if lang == DEFAULT_LANGUAGE:
        # English, as always: into a library with no English entries only, so a sysop's
        # own entries made before the first start stand in for the set.
        if session.exec(select(Resource.id).where(Resource.lang == lang)).first() is not None:
            return 0
        for entry in entries:
            row = _default_row(entry, "", lang)
            row.slug = _unique_slug(session, str(entry.get("slug") or row.title), lang)
            session.add(row)
            session.flush()
            made += 1
        return made
    # Another language: each entry where its slug has none in this language yet. When
    # the sysop retired the English entry, the translation arrives retired too (they can
    # restore it), so an upgrade never brings back an exercise a sysop took away.
    for entry in entries:
        slug = slugify(str(entry["slug"]))
        if _entry(session, slug, lang) is not None:
            continue
        row = _default_row(entry, slug, lang)
        english = _entry(session, slug, DEFAULT_LANGUAGE)
        if english is not None and english.retired_at is not None:
            row.retired_at = utcnow()
        session.add(row)
        session.flush()
        made += 1
    return made


def seed_default_resources(session: Session, langs: Iterable[str] = LANGUAGES) -> int:
    """Write each language's default set the first time only; returns how many entries
    were made.

    A new community gets every language's set; an existing one gets the languages it
    has not had yet on the upgrade that ships them, each entry added only where its slug
    has none in that language. A language's set is written once (its `seeded_setting`),
    so retiring or editing a default entry survives restarts and upgrades.
    """
    made = 0
    for lang in langs:
        if get_setting(session, seeded_setting(lang)) or not default_entries(lang):
            continue
        made += _seed_language(session, lang)
        put_setting(session, seeded_setting(lang), utcnow().isoformat())
    return made

"""The resource library: coping strategies and self-help exercises, favourites, sysop edits.

Entries are plain text written by the sysops (a default set ships in
bbs/defaults/resources.json and is seeded once). Members read active entries and keep
favourites; sysops add, edit, retire and restore entries, each action in the audit log.
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

from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from bbs.i18n import said
from bbs.models import Member, UTCDateTime, count_rows, row_or_raise, utcnow
from bbs.moderation_queue.audit import audit_action, require_staff
from bbs.sysop_settings import get_setting, put_setting
from bbs.text_safety import clean_line, clean_text

TITLE_MAX = 80
BODY_MAX = 4000
SOURCE_MAX = 200
SLUG_MAX = 64
TAG_MAX = 24
TAGS_MAX = 8
TAGS_FIELD_MAX = 250
DEFAULTS_FILE = "resources.json"
# Set once the default set has been written: a sysop's retirements and edits then stand.
SEEDED_SETTING = "resources_seeded"


class ResourceError(ValueError):
    """A resource request that cannot be carried out; the message is fit to show."""


# -- tables -----------------------------------------------------------------------------
class Resource(SQLModel, table=True):
    """One entry of the library. `tags` is a comma-separated, lower-case list."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=SLUG_MAX, unique=True)
    title: str = Field(max_length=TITLE_MAX)
    tags: str = Field(default="", max_length=TAGS_FIELD_MAX)
    body: str = Field(max_length=BODY_MAX)
    source: str = Field(default="", max_length=SOURCE_MAX)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Retired entries stay (favourites come back if a sysop restores them) but are not shown.
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ResourceFavourite(SQLModel, table=True):
    """A member kept this entry; the pair is the key, so it is never kept twice."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    resource_id: int = Field(
        foreign_key="resource.id", primary_key=True, index=True, ondelete="CASCADE"
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


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
    return ResourceView(row.id, row.slug, row.title, _split_tags(row.tags), row.body, row.source)


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
    clean_body = "\n".join(lines).strip("\n")
    if not clean_body.strip():
        raise ResourceError(
            said("Please write the body of the entry: the steps or the idea itself.")
        )
    if len(clean_body) > BODY_MAX:
        raise ResourceError(
            said(
                "The body has {count} characters; the limit is {most}. "
                "Please shorten it a little (nothing was saved).",
                count=len(clean_body),
                most=BODY_MAX,
            )
        )
    return clean_body


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
    clean_title = _SPACES.sub(" ", clean_line(title).strip())
    if not clean_title:
        raise ResourceError(said("Please give the entry a title."))
    if len(clean_title) > TITLE_MAX:
        raise ResourceError(
            said(
                "The title has {count} characters; the limit is {most}. "
                "A shorter title is easier to find.",
                count=len(clean_title),
                most=TITLE_MAX,
            )
        )
    clean_body = check_body(body)
    clean_source = _SPACES.sub(" ", clean_line(source).strip())
    if not clean_source:
        raise ResourceError(
            said(
                'Please give a source line, for example "Written for this '
                'community" or where the technique comes from.'
            )
        )
    if len(clean_source) > SOURCE_MAX:
        raise ResourceError(
            said(
                "The source line has {count} characters; the limit is {most}.",
                count=len(clean_source),
                most=SOURCE_MAX,
            )
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


def _unique_slug(session: Session, wanted: str, *, own_id: int | None = None) -> str:
    base = slugify(wanted)
    slug, n = base, 1
    while True:
        found = session.exec(select(Resource.id).where(Resource.slug == slug)).first()
        if found is None or found == own_id:
            return slug
        n += 1
        slug = f"{base}-{n}"


# -- reading ------------------------------------------------------------------------------
def active_resources(session: Session) -> list[ResourceView]:
    """Entries members see (not retired), by title."""
    rows = session.exec(select(Resource).where(col(Resource.retired_at).is_(None))).all()
    return sorted((_view(r) for r in rows), key=lambda v: (v.title.casefold(), v.id))


def get_resource(
    session: Session, resource_id: int, *, include_retired: bool = False
) -> ResourceView | None:
    """One entry, or None when there is none (or it is retired, unless asked for)."""
    row = session.get(Resource, resource_id)
    if row is None or (row.retired_at is not None and not include_retired):
        return None
    return _view(row)


def all_resources(session: Session) -> list[ResourceRecord]:
    """Every entry, retired ones too, for sysops: active first, then by title."""
    rows = session.exec(select(Resource)).all()
    records = [_record(r) for r in rows]
    return sorted(records, key=lambda r: (r.retired, r.view.title.casefold(), r.view.id))


def find_resource(session: Session, key: str) -> ResourceRecord:
    """An entry by its number or its slug (the CLI's way of naming one)."""
    key = clean_line(key).strip()
    row: Resource | None = None
    if key.isdigit():
        row = session.get(Resource, int(key))
    if row is None:
        row = session.exec(select(Resource).where(Resource.slug == key.lower())).first()
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
def favourite_ids(session: Session, member_id: int) -> set[int]:
    rows = session.exec(
        select(ResourceFavourite.resource_id).where(ResourceFavourite.member_id == member_id)
    ).all()
    return set(rows)


def favourites(session: Session, member_id: int) -> list[ResourceView]:
    """The member's kept entries that are still in the library, by title."""
    rows = session.exec(
        select(Resource)
        .join(ResourceFavourite, col(ResourceFavourite.resource_id) == col(Resource.id))
        .where(ResourceFavourite.member_id == member_id, col(Resource.retired_at).is_(None))
    ).all()
    return sorted((_view(r) for r in rows), key=lambda v: (v.title.casefold(), v.id))


def set_favourite(session: Session, member_id: int, resource_id: int, on: bool) -> bool:
    """Keep (on) or let go of an entry; returns whether it is now a favourite."""
    existing = session.get(ResourceFavourite, (member_id, resource_id))
    if not on:
        if existing is not None:
            session.delete(existing)
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
) -> ResourceView:
    """A sysop adds an entry (audited)."""
    actor = require_staff(session, actor_id, sysop=True)
    draft = check_draft(title=title, body=body, source=source, tags=tags)
    row = Resource(
        slug=_unique_slug(session, slug or draft.title),
        title=draft.title,
        tags=",".join(draft.tags),
        body=draft.body,
        source=draft.source,
    )
    session.add(row)
    session.flush()
    audit_action(
        session, actor=actor, action="resource-add", detail=f"#{row.id} {row.slug}: {row.title}"
    )
    return _view(row)


def _audited_change(session: Session, actor: Member, row: Resource, action: str, what: str) -> None:
    """Store a sysop's change to an entry and audit it as "#id slug: what"."""
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit_action(session, actor=actor, action=action, detail=f"#{row.id} {row.slug}: {what}")


def edit_resource(
    session: Session,
    *,
    actor_id: int,
    resource_id: int,
    title: str | None = None,
    body: str | None = None,
    source: str | None = None,
    tags: str | Iterable[str] | None = None,
) -> ResourceView:
    """A sysop changes some fields of an entry (None keeps a field); audited."""
    actor = require_staff(session, actor_id, sysop=True)
    row = _row(session, resource_id)
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
        )
        if old != new
    ]
    if not changed:
        return _view(row)
    row.title, row.body, row.source = draft.title, draft.body, draft.source
    row.tags = ",".join(draft.tags)
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
def default_entries() -> list[dict[str, Any]]:
    """The default set as shipped (bbs/defaults/resources.json)."""
    text = (package_files.files("bbs") / "defaults" / DEFAULTS_FILE).read_text(encoding="utf-8")
    entries = json.loads(text)
    if not isinstance(entries, list):
        raise ValueError("resources.json must hold a list of entries")
    return entries


def seed_default_resources(session: Session) -> int:
    """Write the default set the first time only; returns how many entries were made.

    After the first time (or if a sysop has made entries of their own) nothing is
    re-added, so retiring or editing a default entry survives restarts.
    """
    if get_setting(session, SEEDED_SETTING):
        return 0
    made = 0
    if count_rows(session, Resource) == 0:
        for entry in default_entries():
            draft = check_draft(
                title=str(entry["title"]),
                body=str(entry["body"]),
                source=str(entry["source"]),
                tags=list(entry["tags"]),
            )
            wanted = str(entry.get("slug") or draft.title)
            session.add(
                Resource(
                    slug=_unique_slug(session, wanted),
                    title=draft.title,
                    tags=",".join(draft.tags),
                    body=draft.body,
                    source=draft.source,
                )
            )
            session.flush()
            made += 1
    put_setting(session, SEEDED_SETTING, utcnow().isoformat())
    return made

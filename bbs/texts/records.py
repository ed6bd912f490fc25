"""The community's help text and guidelines, held in the database and shared by every node.

Help (with its crisis lines) is kept per language and per country: `country` '' is the text
for any country, and a sysop may add one for a country (an ISO 3166 code such as "DE") that
is shown there in its place. Guidelines are kept per language. The files that ship in the
package (bbs/defaults) and, on the upgrade that brought this table, the data directory's own
help and guidelines files are only where the rows first come from (`seed_texts`): a row,
once there, is the sysop's and no seed or upgrade ever replaces it.

A change is announced (`TextsChanged`) in the transaction that makes it, so every node's
`Texts` drops its cache: through the bus from a node, through `bbs.posted_events` from a
shell.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import delete
from sqlmodel import Field, Session, SQLModel, col, select

from bbs.countries import normalise_country
from bbs.events import Event, announce, event_type
from bbs.i18n import DEFAULT_LANGUAGE, LANGUAGES, said
from bbs.models import UTCDateTime, utcnow
from bbs.texts.notices import default_text, read_optional_text_file

HELP = "help"
GUIDELINES = "guidelines"
KINDS = (HELP, GUIDELINES)
# Every node's Texts listens here and reads the texts again.
TEXTS_TOPIC = "texts"
MAX_TEXT = 20_000


@event_type("texts_changed")
class TextsChanged(Event):
    """A sysop saved the help or the guidelines: read them again."""

    text_kind: str
    lang: str
    country: str = ""


class CommunityText(SQLModel, table=True):
    """One language's (and optionally one country's) help, or one language's guidelines."""

    __tablename__ = "community_text"

    kind: str = Field(primary_key=True, max_length=20)
    lang: str = Field(primary_key=True, max_length=8)
    # '' for any country; else an ISO 3166-1 alpha-2 code, upper case.
    country: str = Field(default="", primary_key=True, max_length=2)
    body: str = Field(max_length=MAX_TEXT)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def check_language(lang: str) -> str:
    code = lang.strip().lower()
    if code not in LANGUAGES:
        raise ValueError(said("The languages are {languages}.", languages=", ".join(LANGUAGES)))
    return code


def all_texts(session: Session) -> dict[tuple[str, str, str], str]:
    """Every stored text by (kind, lang, country)."""
    rows = session.exec(select(CommunityText)).all()
    return {(r.kind, r.lang, r.country): r.body for r in rows}


def put_text(session: Session, kind: str, lang: str, body: str, country: str = "") -> None:
    """Store a sysop's text (replacing the one there) and tell every node."""
    if kind not in KINDS:
        raise ValueError(f"unknown text {kind!r}")
    lang, country = check_language(lang), normalise_country(country)
    if kind == GUIDELINES and country:
        raise ValueError(said("Guidelines are per language, not per country."))
    row = session.get(CommunityText, (kind, lang, country)) or CommunityText(
        kind=kind, lang=lang, country=country, body=""
    )
    row.body = body[:MAX_TEXT]
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    announce(session, TEXTS_TOPIC, TextsChanged(kind, lang, country))


def remove_country_text(session: Session, lang: str, country: str) -> bool:
    """Drop one country's help (that country then reads the language's own); True if gone."""
    country = normalise_country(country)
    if not country:
        raise ValueError(said("The help for any country cannot be removed, only replaced."))
    result = session.execute(
        delete(CommunityText).where(
            col(CommunityText.kind) == HELP,
            col(CommunityText.lang) == check_language(lang),
            col(CommunityText.country) == country,
        )
    )
    removed = bool(getattr(result, "rowcount", 0))
    if removed:
        announce(session, TEXTS_TOPIC, TextsChanged(HELP, lang, country))
    return removed


def _file_name(kind: str, lang: str) -> str:
    stem = "help" if kind == HELP else "guidelines"
    return f"{stem}.txt" if lang == DEFAULT_LANGUAGE else f"{stem}.{lang}.txt"


def shipped(kind: str, lang: str) -> str:
    """The text that ships in the package for `lang`, or '' where none ships."""
    try:
        return default_text(_file_name(kind, lang))
    except FileNotFoundError:
        return ""


def seed_texts(session: Session, data_dir: Path) -> list[str]:
    """Add each language's help and guidelines where no row is there yet.

    From the data directory's file where one is there and not empty (the help and
    guidelines files a sysop edited before texts moved into the database), else from the
    text that ships. A row already there is never touched. Returns what was added, as
    "help.es (file)" or "guidelines.en (shipped)".
    """
    have = {(r.kind, r.lang) for r in session.exec(select(CommunityText)).all() if not r.country}
    added: list[str] = []
    for kind in KINDS:
        for lang in LANGUAGES:
            if (kind, lang) in have:
                continue
            body = read_optional_text_file(data_dir / _file_name(kind, lang))
            source = "file"
            if not body:
                body, source = shipped(kind, lang), "shipped"
            if not body.strip():
                continue  # nothing ships for it: the language falls back to English
            session.add(CommunityText(kind=kind, lang=lang, country="", body=body[:MAX_TEXT]))
            added.append(f"{kind}.{lang} ({source})")
    session.flush()
    return added


__all__ = [
    "GUIDELINES",
    "HELP",
    "KINDS",
    "TEXTS_TOPIC",
    "CommunityText",
    "TextsChanged",
    "all_texts",
    "check_language",
    "normalise_country",
    "put_text",
    "remove_country_text",
    "seed_texts",
    "shipped",
]

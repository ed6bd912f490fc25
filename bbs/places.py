"""The language of a place: a board or a room may be marked with one, so members find
the people who write in theirs.

A place's language is one of bbs.i18n.LANGUAGES, or '' for any language (every place
before issue 20, and the default). A sysop sets it (`bbs admin board|room language NAME
CODE`, or the admin screen through `AdminService.change_place`); the change is announced
on PLACES_TOPIC in the transaction that makes it, so the board and room lists open on any
node can read their places again. Lists keep the sysop's order; a front end puts the
member's own language first with `language_first`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from bbs.events import Event, announce, event_type
from bbs.i18n import LANGUAGE_NAMES, LANGUAGES, said

if TYPE_CHECKING:
    from sqlmodel import Session

T = TypeVar("T")

# The board and room lists of every node listen here (a place's language changed).
PLACES_TOPIC = "places"
BOARD = "board"
ROOM = "room"
# What a sysop may type for "any language" (the shell's '-' and 'any', or nothing).
ANY_LANGUAGE = ("", "-", "any", "none", "*")


@event_type("place.changed")
class PlaceChanged(Event):
    """A board's or room's language was set: lists showing it read the places again."""

    place: str  # BOARD or ROOM
    place_id: int
    name: str
    language: str


def place_language(code: str | None) -> str:
    """The stored form of a place's language: a code from LANGUAGES, or '' for any.

    '-', 'any' and nothing mean any language. Raises ValueError (the message a `said`,
    shown to the sysop in their language) for anything else.
    """
    cleaned = (code or "").strip().lower()
    if cleaned in ANY_LANGUAGE:
        return ""
    if cleaned not in LANGUAGES:
        raise ValueError(
            said(
                "A place's language is one of {codes}, or - for any language.",
                codes=", ".join(LANGUAGES),
            )
        )
    return cleaned


def announce_place(session: Session, place: str, place_id: int, name: str, language: str) -> None:
    """Tell every node's lists, once this transaction commits, that a place's language is
    `language` now (from a shell, `server.admin_cli.write_for_server` posts it)."""
    announce(session, PLACES_TOPIC, PlaceChanged(place, place_id, name, language))


def for_whom(code: str) -> str:
    """A place's language for the sysop's shell: "for Deutsch (de)", "for any language"."""
    return f"for {LANGUAGE_NAMES[code]} ({code})" if code in LANGUAGE_NAMES else "for any language"


# What the shell's --help says a place's language may be.
LANGUAGE_CHOICES = f"one of {', '.join(LANGUAGES)}; - or any: for any language"


def _language_of(item: object) -> str:
    found = getattr(item, "language", "")
    return found if isinstance(found, str) else ""


def language_first(items: Iterable[T], lang: str, key: Callable[[T], str] | None = None) -> list[T]:
    """`items` with the places marked with `lang` first; the rest (other languages and
    places for any language) after them, each group in the order it came in.

    `key` gives an item's language (default: its `language` attribute), e.g.
    `key=lambda pair: pair[0].language` for the rooms list's (room, people) pairs.
    """
    language_of = key or _language_of
    listed = list(items)
    if not lang:
        return listed
    mine = [item for item in listed if language_of(item) == lang]
    return mine + [item for item in listed if language_of(item) != lang]


__all__ = [
    "ANY_LANGUAGE",
    "BOARD",
    "LANGUAGE_CHOICES",
    "PLACES_TOPIC",
    "ROOM",
    "PlaceChanged",
    "announce_place",
    "for_whom",
    "language_first",
    "place_language",
]

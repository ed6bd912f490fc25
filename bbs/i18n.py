"""The languages a member can read the board in, and their gettext catalogues.

Catalogues live in bbs/locale/<lang>/LC_MESSAGES/bbs.po and ship compiled (.mo); the
README's "Translating" section has the Babel commands that extract, update and compile
them. English is the source language: it needs no catalogue and is every fallback.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DOMAIN = "bbs"
LOCALE_DIR = Path(__file__).with_name("locale")
DEFAULT_LANGUAGE = "en"

# Codes (ISO 639-1) in the order a member is offered them.
LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "pt")

# Each language in its own name: a member who cannot read English still finds theirs.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "de": "Deutsch",
    "pt": "Português",
}


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Translator:
    """gettext and ngettext for one language."""

    lang: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]


def normalise_language(code: str | None) -> str:
    """One of LANGUAGES for a stored or wished-for code; English when unknown."""
    if not code:
        return DEFAULT_LANGUAGE
    code = code.strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@functools.cache
def translator(lang: str) -> Translator:
    """The translations for `lang` (English for an unknown code or a missing catalogue)."""
    lang = normalise_language(lang)
    catalogue: gettext.NullTranslations
    if lang == DEFAULT_LANGUAGE:
        catalogue = gettext.NullTranslations()
    else:
        catalogue = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True
        )
    return Translator(lang, catalogue.gettext, catalogue.ngettext)


def _(message: str, lang: str) -> str:
    """`message` in `lang`: a short form for the core's own texts."""
    return translator(lang).gettext(message)


# LANG=es_ES.UTF-8, LC_ALL=pt_BR, LANGUAGE=fr:en: the language part before _ . @ or :
_LOCALE = re.compile(r"^([A-Za-z]{2,3})(?:[_.@:-]|$)")


def language_from_environment(env: dict[str, str]) -> str | None:
    """The language an SSH client's locale variables ask for, if we have it.

    The order is POSIX's: LC_ALL overrides LC_MESSAGES, which overrides LANG. "C" and
    "POSIX" say nothing about language and are passed over.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if not value or value in ("C", "POSIX") or value.startswith(("C.", "POSIX.")):
            continue
        found = _LOCALE.match(value)
        if found is None:
            continue
        code = found.group(1).lower()
        return code if code in LANGUAGES else None
    return None

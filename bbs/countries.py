"""Countries: the one a member may say they are in, so the help shows its crisis lines.

A country is an ISO 3166-1 alpha-2 code in upper case ("DE", "BR"), or '' for none
(not said). The sysop's per-country help (bbs.texts.records) uses the same codes. Names
come from Babel's CLDR data, in the reader's language; nothing here touches the store.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bbs.i18n import locale_values, normalise_language, said

# CLDR regions that are two letters but no country a person lives in: groupings, unknown,
# the pseudo-locales, and codes ISO 3166 only reserves.
_NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "QO", "UN", "ZZ", "XA", "XB", "AC", "CP", "DG", "EA", "IC", "TA"}
)


def normalise_country(country: str | None) -> str:
    """'' (any country) or a two-letter code in upper case; raises ValueError otherwise."""
    code = (country or "").strip().upper()
    if code and not (len(code) == 2 and code.isascii() and code.isalpha()):
        raise ValueError(said("A country is a two-letter code such as DE or BR (or none)."))
    return code


@functools.cache
def _names(lang: str) -> dict[str, str]:
    from babel import Locale

    territories = Locale.parse(normalise_language(lang)).territories
    return {
        code: str(name)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


def is_country(code: str) -> bool:
    """Whether `code` (upper case) names a country or territory people live in."""
    return code in _names("en")


def country_name(code: str, lang: str) -> str:
    """The country's name in `lang` ("Deutschland" for DE in German); '' for none, and the
    code itself for one Babel does not know."""
    if not code:
        return ""
    return _names(lang).get(code.upper(), code.upper())


def countries(lang: str) -> list[tuple[str, str]]:
    """Every country as (code, name in `lang`), by name: for a picker."""
    names = _names(lang)
    return sorted(names.items(), key=lambda item: (item[1].casefold(), item[0]))


# LANG=pt_BR.UTF-8, LC_ALL=de_DE@euro: the territory after the language and "_".
_LOCALE_COUNTRY = re.compile(r"^[A-Za-z]{2,3}_([A-Za-z]{2})(?:[.@:]|$)")


@dataclass(frozen=True)
class CountryName:
    """A country given to `said` by its code, named in the reader's language ("Ireland",
    "Irlanda", "Irland"): a `bbs.i18n.SaysItself`."""

    code: str

    def text(self, lang: str) -> str:
        return country_name(self.code, lang)


def country_from_environment(env: dict[str, str]) -> str | None:
    """The country an SSH client's locale names (pt_BR: "BR"), as a suggestion to offer
    a member, never to store unasked; None when it names none or one we do not know.

    The same variables, in the same order, as `bbs.i18n.language_from_environment`:
    the strongest that names a locale decides.
    """
    value = next(locale_values(env), None)
    found = None if value is None else _LOCALE_COUNTRY.match(value)
    if found is None:
        return None
    code = found.group(1).upper()
    return code if is_country(code) else None


__all__ = [
    "countries",
    "country_from_environment",
    "country_name",
    "is_country",
    "normalise_country",
]

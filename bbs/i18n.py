"""The languages a member can read the board in, and their gettext catalogues.

Catalogues live in bbs/locale/<lang>/LC_MESSAGES/bbs.po and ship compiled (.mo); the
README's "Translating" section has the Babel commands that extract, update and compile
them. English is the source language: it needs no catalogue and is every fallback.
"""

from __future__ import annotations

import functools
import gettext
import logging
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

log = logging.getLogger(__name__)

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


# The languages whose catalogue and Babel data are read (`load_language`). Reading them
# for a language nobody uses costs about 1.5 MiB each, so only English is read at start.
_loaded: set[str] = set()
_catalogues: set[str] = set()  # every language `translator` was asked for
# Languages whose catalogue was read on a thread running an event loop: some session said
# something in a language it had not readied. Tests check that this stays empty.
read_on_event_loop: list[str] = []


@functools.cache
def translator(lang: str) -> Translator:
    """The translations for `lang` (English for an unknown code or a missing catalogue)."""
    lang = normalise_language(lang)
    _catalogues.add(lang)
    catalogue: gettext.NullTranslations
    if lang == DEFAULT_LANGUAGE:
        catalogue = gettext.NullTranslations()
    else:
        if _on_event_loop():
            # Still right, but every session waited for the file: `ready_language` first.
            read_on_event_loop.append(lang)
            log.warning("catalogue %s read on the event loop", lang)
        catalogue = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True
        )
    return Translator(lang, catalogue.gettext, catalogue.ngettext)


def load_language(lang: str | None) -> str:
    """Read `lang`'s catalogue and Babel's data for its dates and numbers now (blocking:
    10-75 ms of files; on a server, call it through `ready_language`). Returns the code."""
    from datetime import UTC

    code = normalise_language(lang)
    if code not in _loaded:
        moment = datetime(2026, 1, 1, tzinfo=UTC)
        translator(code)
        format_number(1000, code)
        format_moment(moment, code)
        format_day(moment.date(), code)
        _loaded.add(code)
    return code


def language_loaded(lang: str | None) -> bool:
    """Whether `lang` is read already (`load_language`): saying things in it reads no file."""
    return normalise_language(lang) in _loaded


def loaded_languages() -> frozenset[str]:
    """The languages whose catalogue or locale data was read so far (tests, benchmarks)."""
    return frozenset(_loaded | _catalogues)


def forget_languages() -> None:
    """Forget every catalogue read, as in a fresh process (tests and benchmarks)."""
    translator.cache_clear()
    _loaded.clear()
    _catalogues.clear()
    read_on_event_loop.clear()


async def ready_language(lang: str | None) -> None:
    """Make sure `lang` is read before a session says anything in it: the first member in
    a language waits for its files in a worker thread, never on the event loop."""
    import asyncio

    if not language_loaded(lang):
        await asyncio.to_thread(load_language, lang)


def _on_event_loop() -> bool:
    asyncio = sys.modules.get("asyncio")  # not imported: no loop runs (command-line tools)
    if asyncio is None:
        return False
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def preload_languages() -> None:
    """Read English (the fallback of every language, and Babel itself) now: a server calls
    this off its event loop at start. Other languages are read the first time a member of
    that language appears (`ready_language`)."""
    load_language(DEFAULT_LANGUAGE)


def _(message: str, lang: str) -> str:
    """`message` in `lang`: a short form for the core's own texts."""
    return translator(lang).gettext(message)


# LANG=es_ES.UTF-8, LC_ALL=pt_BR, LANGUAGE=fr:en: the language part before _ . @ or :
_LOCALE = re.compile(r"^([A-Za-z]{2,3})(?:[_.@:-]|$)")


def locale_values(env: dict[str, str]) -> Iterator[str]:
    """An SSH client's locale variables that name a locale, strongest first.

    The order is POSIX's: LC_ALL overrides LC_MESSAGES, which overrides LANG. "C" and
    "POSIX" say nothing about language or country and are passed over.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value and value not in ("C", "POSIX") and not value.startswith(("C.", "POSIX.")):
            yield value


def language_from_environment(env: dict[str, str]) -> str | None:
    """The language an SSH client's locale variables ask for, if we have it."""
    for value in locale_values(env):
        found = _LOCALE.match(value)
        if found is None:
            continue
        code = found.group(1).lower()
        return code if code in LANGUAGES else None
    return None


# -- messages the core composes, said in each member's language ------------------------
class Said(str):
    """A message the core composed, in English, that remembers how it was made.

    It is a `str` (the English, so logs, the shell and tests read it as before) that also
    keeps its catalogue id (`template`, with `{name}` placeholders), the plural form when
    it has one, and its parameters; `localise` says it again in a member's language.
    Build one with `said` or `said_n`, which pybabel extracts like `_` and `ngettext`.
    """

    template: str
    plural: str | None
    number: int | None
    params: dict[str, object]

    def __new__(
        cls,
        template: str,
        params: dict[str, object] | None = None,
        *,
        plural: str | None = None,
        count: int | None = None,
    ) -> Said:
        params = dict(params or {})
        english = _compose(translator(DEFAULT_LANGUAGE), template, plural, count, params)
        made = super().__new__(cls, english)
        made.template, made.plural, made.number, made.params = template, plural, count, params
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.template, self.params, self.plural, self.number))


def _rebuild(
    template: str, params: dict[str, object], plural: str | None, count: int | None
) -> Said:
    return Said(template, params, plural=plural, count=count)


def said(template: str, /, **params: object) -> Said:
    """`template` formatted with `params`: English now, any language later (`localise`).

    Mark every member-facing message the core builds with it; numbers are formatted for
    the reader's locale, and a parameter that is itself `Said` is translated too.
    """
    return Said(template, params)


def said_n(singular: str, plural: str, count: int, /, **params: object) -> Said:
    """As `said`, choosing the plural form for `count` (given to the templates as {count})."""
    return Said(singular, {"count": count, **params}, plural=plural, count=count)


@dataclass(frozen=True)
class Moment:
    """A time given to `said`, written the reader's way: `pattern` is Babel's (CLDR) for
    the parts wanted, e.g. "EEE HH:mm" for "Fri 19:00" / "ven. 19:00" (times in UTC)."""

    when: datetime
    pattern: str = "EEE HH:mm"

    def text(self, lang: str) -> str:
        from datetime import UTC

        from babel.dates import format_datetime

        when = self.when if self.when.tzinfo else self.when.replace(tzinfo=UTC)
        return str(format_datetime(when, self.pattern, tzinfo=UTC, locale=lang))


@runtime_checkable
class SaysItself(Protocol):
    """A parameter of `said` that writes itself in the reader's language (a `Moment`, or
    `bbs.countries.CountryName`)."""

    def text(self, lang: str) -> str: ...


def _param(value: object, tr: Translator) -> object:
    if type(value) is str:
        # Most parameters are plain text: no `text` method, so no SaysItself. Asked first
        # because a runtime protocol check costs ~20 us (every login composes a greeting).
        return value
    if isinstance(value, Said):
        return _compose(tr, value.template, value.plural, value.number, value.params)
    if isinstance(value, SaysItself):
        return value.text(tr.lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, tr.lang)
    return value


def _compose(
    tr: Translator,
    template: str,
    plural: str | None,
    count: int | None,
    params: dict[str, object],
) -> str:
    if plural is not None and count is not None:
        text = tr.ngettext(template, plural, count)
    else:
        text = tr.gettext(template) if template else template
    if not params:
        return text
    values = {name: _param(value, tr) for name, value in params.items()}
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        # A translation that names a placeholder wrongly: the English is never wrong.
        return template.format(**values) if tr.lang != DEFAULT_LANGUAGE else template


def localise(message: object, lang: str) -> str:
    """Whatever the core or a front end says, in `lang`.

    `Said` is composed again from its template; an exception is said by its first
    argument (so `raise GoalError(said(...))` reaches a member in their language); any
    other text is looked up in the catalogue as it is (a constant marked with `N_`), and
    shown unchanged when it is not there (a member's own words are never in it).
    """
    if isinstance(message, BaseException):
        first = message.args[0] if message.args else ""
        message = first if isinstance(first, str) else str(message)
    tr = translator(lang)
    if isinstance(message, Said):
        return _compose(tr, message.template, message.plural, message.number, message.params)
    text = str(message)
    return tr.gettext(text) if text else text


def format_number(value: int | float, lang: str) -> str:
    """A number as a reader of `lang` writes it (1,000 / 1.000 / 1 000)."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=normalise_language(lang)))


def format_moment(when: datetime, lang: str, *, time: bool = True) -> str:
    """A date (and time, in UTC as stored) as a reader of `lang` writes it, short and
    unambiguous: "4 Dec 2026, 19:05" / "4 dic 2026, 19:05"."""
    from babel.dates import format_date, format_time

    lang = normalise_language(lang)
    day = str(format_date(when.date(), "medium", locale=lang))
    return f"{day}, {format_time(when, 'HH:mm', locale=lang)}" if time else day


def format_day(day: date, lang: str, *, long: bool = False) -> str:
    """A day of the week and date: "Friday 4 December" (long) or "Fri 4 Dec"."""
    from babel.dates import format_date

    return str(format_date(day, "EEEE d MMMM" if long else "EEE d MMM", locale=lang))

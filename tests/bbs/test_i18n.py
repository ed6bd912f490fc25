"""The catalogues are complete and current, and the core speaks each member's language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from bbs.i18n import LANGUAGE_NAMES, LANGUAGES, LOCALE_DIR, language_from_environment, translator

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
# Translations that are rightly the same as their English source, per language.
SAME_AS_ENGLISH: dict[str, set[str]] = {
    "de": {
        *("Pseudonym: ", "Pseudonym", "Thread", "Text:", "Spam"),
        *("April", "August", "September", "November"),
        "Filter: mod:NAME member:NAME action:ban since:2026-11-01",
    },
    # "no": the word a member types for no (plain line mode's yes/no prompts).
    "es": {"no", "CRISIS", "Spam"},
    "fr": {"minutes", "note", "Spam"},
    "pt": {"Spam"},
}
PLACEHOLDER = re.compile(r"\{\w*\}")
# The README's extraction keywords: -k N_ -k said -k said_n:1,2 (with _ and ngettext).
KEYWORDS = {"_": None, "N_": None, "said": None, "said_n": (1, 2), "ngettext": (1, 2)}
README_KEYWORDS = ["-k", "N_", "-k", "said", "-k", "said_n:1,2"]


def _catalogue(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "bbs.po").open("rb") as f:
        return read_po(f, locale=lang)


def _has_words(message: str) -> bool:
    """A message with words of its own, not only placeholders and punctuation (those
    are in the catalogue for their order, which a language may change)."""
    return bool(re.search(r"[^\W\d_]", PLACEHOLDER.sub("", message)))


def _singular(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _form(string: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    return string if isinstance(string, str) else tuple(string)


def _source_messages() -> set[str]:
    # What the code marks today (the keywords the README's pybabel extract uses).
    found: set[str] = set()
    for package in ("bbs", "screens", "plain"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS, method_map=[("**.py", "python")]
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_five_languages_are_named_in_their_own_words() -> None:
    assert LANGUAGES == ("en", "es", "fr", "de", "pt")
    assert [LANGUAGE_NAMES[lang] for lang in LANGUAGES] == [
        "English",
        "Español",
        "Français",
        "Deutsch",
        "Português",
    ]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalogue_translates_every_message_and_none_is_fuzzy(lang: str) -> None:
    catalogue = _catalogue(lang)
    entries = {_singular(m.id): m for m in catalogue if m.id}
    missing = sorted(_source_messages() - set(entries))
    assert not missing, f"{lang}: not in the catalogue (run the update command): {missing}"
    for key, message in entries.items():
        assert not message.fuzzy, f"{lang}: fuzzy: {key!r}"
        # A plural's forms: the first says the singular, the others the plural.
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        for index, form in enumerate(forms):
            source = sources[min(index, len(sources) - 1)]
            assert form, f"{lang}: untranslated: {key!r}"
            if form == source and _has_words(source):
                assert source in SAME_AS_ENGLISH.get(lang, set()), (
                    f"{lang}: identical to the English: {source!r}"
                )
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(source)), (
                f"{lang}: placeholders differ: {source!r}"
            )
            assert form.endswith(" ") == source.endswith(" "), (
                f"{lang}: a prompt's closing space: {source!r}"
            )
    # Nothing obsolete lingers either.
    assert not catalogue.obsolete


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_shipped_mo_files_match_their_po_files(lang: str) -> None:
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    with (folder / "bbs.mo").open("rb") as f:
        compiled = {_form(m.id): _form(m.string) for m in read_mo(f) if m.id}
    written = {_form(m.id): _form(m.string) for m in _catalogue(lang) if m.id}
    assert compiled == written, f"{lang}: run pybabel compile -D bbs -d bbs/locale"


def test_a_translation_reaches_the_member_and_english_is_the_fallback() -> None:
    assert translator("es").gettext("Crear mi cuenta") == "Crear mi cuenta"
    assert translator("es").gettext("Create my account") == "Crear mi cuenta"
    assert translator("de").gettext("Create my account") == "Mein Konto anlegen"
    assert translator("xx").gettext("Create my account") == "Create my account"
    assert translator("en").gettext("Create my account") == "Create my account"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANG": "fr_CA.UTF-8"}, "fr"),
        ({"LANG": "de_DE@euro"}, "de"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "pt_BR.UTF-8"}, "pt"),
        ({"LANG": "es_MX.UTF-8", "LC_ALL": "de_AT.UTF-8"}, "de"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
        ({"LANG": "ja_JP.UTF-8"}, None),
        ({"TERM": "xterm"}, None),
    ],
)
def test_the_ssh_clients_locale_names_a_language(env: dict[str, str], expected: str | None) -> None:
    assert language_from_environment(env) == expected


def test_the_babel_commands_in_the_readme_run(tmp_path: Path) -> None:
    # The extract command the README gives finds every message the catalogues hold.
    pot = tmp_path / "bbs.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            *README_KEYWORDS,
            "--no-location",
            "--sort-output",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        extracted = {_singular(m.id) for m in read_po(f) if m.id}
    assert extracted == {_singular(m.id) for m in _catalogue("es") if m.id}


def test_a_core_message_is_english_as_text_and_said_again_in_each_language() -> None:
    from bbs.i18n import localise, said, said_n

    # "Create my account" is in every catalogue: a parameter that is itself said is
    # translated too, numbers follow the reader's locale, and an exception carries it.
    message = said_n("{count} x {what}", "{count} x {what}", 1200, what=said("Create my account"))
    assert message == "1,200 x Create my account"
    assert localise(message, "de") == "1.200 x Mein Konto anlegen"
    error = ValueError(said("{what}!", what=said("Create my account")))
    assert str(error) == "Create my account!"
    assert localise(error, "es") == "Crear mi cuenta!"
    # Plain text is looked up as it is; a member's own words pass unchanged.
    assert localise("Create my account", "es") == "Crear mi cuenta"
    assert localise("my own words", "es") == "my own words"


def test_a_time_in_a_message_is_written_the_readers_way() -> None:
    from datetime import UTC, datetime

    from bbs.i18n import Moment, localise, said

    friday = Moment(datetime(2026, 12, 4, 19, 0, tzinfo=UTC))
    message = said("{when} UTC {room}: {topic}", when=friday, room="Lobby", topic="Tea")
    assert message == "Fri 19:00 UTC Lobby: Tea"
    assert localise(message, "fr").startswith("ven. 19:00")
    assert localise(message, "de").startswith("Fr. 19:00")


def test_a_country_in_a_message_is_named_in_the_readers_language() -> None:
    from bbs.countries import CountryName
    from bbs.i18n import localise, said

    message = said("Lines for {country}.", country=CountryName("IE"))
    assert message == "Lines for Ireland."
    assert localise(message, "de") == "Lines for Irland."  # the template has no German
    assert localise(message, "es") == "Lines for Irlanda."

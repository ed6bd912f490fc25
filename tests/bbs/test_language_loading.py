"""Languages are read when their first member appears, in a worker thread: a server holds
English alone before then, and no catalogue is ever read on the event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from bbs import i18n


@pytest.fixture
def fresh_languages() -> Iterator[None]:
    """As in a fresh process: nothing read yet (and again afterwards for other tests)."""
    i18n.forget_languages()
    try:
        yield
    finally:
        i18n.forget_languages()


def test_a_server_start_reads_english_alone(fresh_languages: None) -> None:
    i18n.preload_languages()
    assert i18n.loaded_languages() == {"en"}
    assert i18n.language_loaded("en") and not i18n.language_loaded("de")


async def test_a_language_is_read_in_a_worker_thread_the_first_time(
    fresh_languages: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop_thread = threading.get_ident()
    read_on: list[int] = []
    load = i18n.load_language

    def spy(lang: str | None) -> str:
        read_on.append(threading.get_ident())
        return load(lang)

    monkeypatch.setattr(i18n, "load_language", spy)
    await i18n.ready_language("de")
    await i18n.ready_language("de")  # read already: no thread, no file
    assert len(read_on) == 1 and read_on[0] != loop_thread
    assert i18n.loaded_languages() == {"de"} and i18n.language_loaded("de")
    assert i18n.localise(i18n.said("{count} thread", count=1000), "de").startswith("1.000 ")
    assert i18n.read_on_event_loop == []


async def test_a_catalogue_read_on_the_event_loop_is_caught(fresh_languages: None) -> None:
    # Still translated (never wrong), but recorded: the tests of every front end rely on it.
    assert i18n.translator("pt").gettext("Create my account") == "Criar a minha conta"
    assert i18n.read_on_event_loop == ["pt"]


def test_outside_an_event_loop_reading_is_not_counted(fresh_languages: None) -> None:
    i18n.translator("fr")
    assert i18n.read_on_event_loop == []
    assert asyncio.run(_loaded_after_ready("es")) == {"fr", "es"}


async def _loaded_after_ready(lang: str) -> frozenset[str]:
    await i18n.ready_language(lang)
    return i18n.loaded_languages()

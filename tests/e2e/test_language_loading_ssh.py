"""Over real SSH: a language is read when its first member arrives, in a worker thread,
never on the event loop every session shares; full screen and line mode alike, at login,
at sign-up and when a member picks another language."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from typing import Any

import asyncssh
import pytest
from plain_reader import open_plain
from support import SSH_PASSWORD as PASSWORD
from support import let_new_members_write

from bbs import i18n
from plain.signup import CHOOSE
from server.ssh_server import RunningServer


def _catalogue(lang: str) -> gettext.NullTranslations:
    # What a screen should say, read without bbs.i18n (which would count it as read).
    return gettext.translation(i18n.DOMAIN, localedir=i18n.LOCALE_DIR, languages=[lang])


@pytest.fixture
def fresh_languages(server: RunningServer) -> Iterator[None]:
    """As on a server just started: English alone is read."""
    i18n.forget_languages()
    i18n.preload_languages()
    try:
        yield
    finally:
        i18n.forget_languages()


async def test_a_german_members_full_screen_reads_german_off_the_event_loop(
    connect: Any, server: RunningServer, fresh_languages: None
) -> None:
    community = server.registry.community
    member = (await community.accounts.sign_up("Jonas", PASSWORD, PASSWORD)).member
    await community.accounts.set_language(member.id, "de")
    assert i18n.loaded_languages() == {"en"}

    term = await connect("jonas", password=PASSWORD)
    greeting = _catalogue("de").gettext("{community}: welcome, {name}")
    await term.wait_for(max(re.split(r"\{\w*\}", greeting), key=len).strip())
    assert "de" in i18n.loaded_languages()
    assert i18n.read_on_event_loop == []


async def test_line_mode_reads_the_clients_language_and_the_one_picked_off_the_loop(
    server: RunningServer, fresh_languages: None
) -> None:
    let_new_members_write(server.registry.community.database)
    term = await open_plain(
        server.port,
        "new",
        client_keys=[asyncssh.generate_private_key("ssh-ed25519")],
        command="plain",
        allow_utf8=True,
        env={"LANG": "es_ES.UTF-8"},
    )
    try:
        # The client's language is read before the first prompt; the one typed, after it.
        await term.answer("1-5, Enter = Español: ", "5")
        await term.page_through(_catalogue("pt").gettext(CHOOSE)[:12])
        assert {"es", "pt"} <= i18n.loaded_languages()
        assert "fr" not in i18n.loaded_languages()
        assert i18n.read_on_event_loop == []
    finally:
        term.conn.close()

"""Over real SSH, the full screen in French, German, Spanish and Portuguese: a client whose
LANG asks for the language signs up in it, then posts, says a line in a room, checks in on
a goal and gets the crisis lines, every screen on the way in that language.

Expected words come from the catalogues (bbs.i18n), not from this file: the test proves the
screens say them, whatever a translator chose.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from support import SSH_PASSWORD as PASSWORD

from bbs.boards.records import PostingRules
from bbs.i18n import translator
from bbs.moderation_queue.policy import Scores
from screens.signup import LANGUAGE_TITLE
from server.ssh_server import RunningServer

TAB = "\t"
CTRL_S = "\x13"
ESC = "\x1b"
# Words a person in crisis might write, per language (the stand-in model reads them).
CRISIS = {
    "fr": "je veux en finir ce soir",
    "de": "ich will heute nacht nicht mehr leben",
    "es": "no puedo más, quiero acabar con todo",
    "pt": "quero acabar com tudo hoje",
}
# What each member writes: a name, a thread's title, a room line, a goal.
WRITES = {
    "fr": ("Camille", "Ce soir", "bonsoir", "Marcher"),
    "de": ("Jonas", "Heute Nacht", "guten Abend", "Spazieren"),
    "es": ("Lucia", "Esta noche", "buenas noches", "Caminar"),
    "pt": ("Joana", "Hoje", "boa noite", "Caminhar"),
}


class CrisisWords:
    """A stand-in model: the crisis words above are crisis, in their language."""

    def score(self, texts: Sequence[str]) -> list[Scores]:
        def one(text: str) -> Scores:
            for lang, words in CRISIS.items():
                if words in text:
                    return Scores(0.0, 0.0, 0.95, lang=lang)
            return Scores(0.0, 0.0, 0.0, lang="")

        return [one(t) for t in texts]

    def explain(self, text: str, top: int = 5) -> dict[str, list[tuple[str, float]]]:
        return {}


def said(lang: str, message: str) -> str:
    """The longest run of fixed words of `message` in `lang` (between placeholders)."""
    text = translator(lang).gettext(message)
    assert text != message, f"{message!r} has no {lang} translation"
    return max((part.strip() for part in re.split(r"\{\w*\}", text)), key=len)


async def _words(term: Any, phrase: str, timeout: float = 15.0) -> str:
    """Wait until `phrase` is on screen, however the screen wrapped it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        words = " ".join(term.text().replace("│", " ").split())
        if " ".join(phrase.split()) in words:
            return words
        if term.closed.is_set():
            break
        await asyncio.sleep(0.02)
    raise AssertionError(f"{phrase!r} never appeared on screen:\n{term.text()}")


async def _home(term: Any, lang: str) -> None:
    """Esc, screen by screen, until the home screen greets the member again."""
    greeting = said(lang, "{community}: welcome, {name}")
    for _ in range(4):
        term.send(ESC)
        try:
            await _words(term, greeting, timeout=3)
            return
        except AssertionError:
            continue
    raise AssertionError(f"never back home:\n{term.text()}")


@pytest.mark.parametrize(
    ("lang", "locale"),
    [("fr", "fr_FR.UTF-8"), ("de", "de_AT.UTF-8"), ("es", "es_MX.UTF-8"), ("pt", "pt_BR.UTF-8")],
)
async def test_the_full_screen_speaks_the_clients_language_end_to_end(
    connect: Any, server: RunningServer, lang: str, locale: str
) -> None:
    community = server.registry.community
    community.boards.rules = PostingRules(interval=timedelta(0), new_account_interval=timedelta(0))
    community.moderation.set_scorer(CrisisWords())
    name, title, line, goal = WRITES[lang]

    term = await connect("new", env={"LANG": locale})
    await term.wait_for(LANGUAGE_TITLE)
    term.send("\r")  # the client's language is chosen already
    await _words(term, said(lang, "Welcome to {community}"))
    term.send("a")
    await _words(term, said(lang, "Choose how you will be known here"))
    term.send(f"{name}\r{PASSWORD}\r{PASSWORD}\r")
    await _words(term, said(lang, "Welcome, {name}"), timeout=20)
    term.send("\r")
    home = await _words(term, said(lang, "{community}: welcome, {name}"))
    assert said(lang, "Boards") in home

    # A post on a board, and the crisis lines for its writer, in the language.
    term.send("b")
    await _words(term, said(lang, "Boards"))
    term.send("\r")
    await _words(term, said(lang, "No threads yet. Press N to start one."))
    term.send("n")
    await _words(term, said(lang, "New thread in {board}"))
    term.send(title)
    term.send(TAB + TAB)
    term.send(CRISIS[lang])
    await term.wait_for(CRISIS[lang])
    term.send(CTRL_S)
    words = await _words(term, said(lang, "Only you can see this note."))
    assert said(lang, "Your message is posted, just as you wrote it.") in words

    # A line in a room.
    term.send("\r")  # the note closes on the board's threads
    await _words(term, title)
    await _home(term, lang)
    term.send("r")
    await _words(term, said(lang, "Rooms"))
    term.send("\r")
    await _words(term, said(lang, "You are in {name}. /help lists what you can do."))
    term.send(line + "\r")
    await _words(term, f"{name}: {line}")
    await _words(term, said(lang, "Here ({count}): {names}"))
    await _home(term, lang)

    # A goal and a check-in, and the companion's words.
    term.send("g")
    await _words(term, said(lang, "No goals yet. Press N to set one: small is good."))
    term.send("n")
    await _words(term, said(lang, "New goal"))
    term.send(goal + "\r")
    term.send("\r\r\r\r\r")  # every other field as it is; Enter on the last saves
    await _words(term, said(lang, "Goal set: {title}. Press C to check in when ready."))
    term.send("c")
    await _words(term, said(lang, "Check in: {title}"))
    term.send("d4\r")
    await _words(term, said(lang, "Companion (automated): {text}"))
    member = await community.accounts.authenticate_password(name, PASSWORD)
    assert member is not None and member.language == lang
    [made] = await community.goals.goals(member.id)
    assert made.goal.title == goal

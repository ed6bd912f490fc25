"""The community's texts: help and crisis lines, guidelines, and the notes built from them.

The help and guidelines live in the database (bbs.texts.records), shared by every node.
Each node keeps them in memory and reads them again when a sysop saves one (a
`TextsChanged` event on the bus, from any node or from `bbs admin` in a shell), and at
least every CACHE_SECONDS in case an event was lost. Reading the help text tells the
moderation gate which numbers and links to trust, so the texts take the gate; a member's
language comes from the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from bbs.accounts import members as accounts
from bbs.config import Settings
from bbs.events import EventBus
from bbs.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalise_language, ready_language
from bbs.moderation_queue.gate import ModerationGate, Verdict
from bbs.moderation_queue.policy import (
    CRISIS_HOLD_KEPT,
    POSTED_KEPT,
    Action,
    crisis_message,
    hold_message,
)
from bbs.store import Store
from bbs.texts import records
from bbs.texts.notices import WHAT_WE_STORE

# Texts are read again at least this often, even if no change event arrived.
CACHE_SECONDS = 60.0


class CrisisNote(Protocol):
    """Builds one language's crisis note: moderation_policy.crisis_message or
    companion.crisis_note."""

    def __call__(self, crisis_lines: str, kept: str = ..., *, lang: str = ...) -> str: ...


class Texts:
    """Help, guidelines and the crisis and hold notes, in each member's language."""

    def __init__(
        self,
        store: Store,
        settings: Callable[[], Settings],
        moderation: ModerationGate,
        events: EventBus | None = None,
    ) -> None:
        self._store = store
        self._settings = settings
        self._moderation = moderation
        self._cache: dict[tuple[str, str, str], str] | None = None
        self._loaded_at = 0.0
        self._generation = 0
        # A sysop's save on any node (or from a shell) drops this node's copy.
        self._changes = (
            events.subscribe(records.TEXTS_TOPIC, maxsize=16, on_event=self._changed)
            if events is not None
            else None
        )

    def _changed(self) -> None:
        if self._changes is not None:
            self._changes.drain()
        self.forget()

    def forget(self) -> None:
        """Read the texts from the database again next time (a sysop changed one)."""
        self._cache = None
        self._generation += 1

    async def _texts(self) -> dict[tuple[str, str, str], str]:
        cache = self._cache
        if cache is not None and time.monotonic() - self._loaded_at < CACHE_SECONDS:
            return cache
        generation = self._generation
        texts = await self._store.read(records.all_texts)
        if generation == self._generation:  # no change announced while we read
            self._cache, self._loaded_at = texts, time.monotonic()
        self._trust(texts)
        return texts

    def _trust(self, texts: dict[tuple[str, str, str], str]) -> None:
        # Every language's and country's help: its numbers and links never count as spam.
        # The default language's own first, as the gate has always had it.
        order = sorted(texts, key=lambda k: (k[1] != DEFAULT_LANGUAGE, k[2] != "", k))
        helps = [texts[k] for k in order if k[0] == records.HELP]
        trusted = "\n\n".join(dict.fromkeys(helps or [records.shipped(records.HELP, "en")]))
        if trusted != self._moderation.trusted_text:
            self._moderation.set_trusted_text(trusted)

    @staticmethod
    def _pick(texts: dict[tuple[str, str, str], str], kind: str, lang: str, country: str) -> str:
        for key in (
            (lang, country),
            (lang, ""),
            (DEFAULT_LANGUAGE, country),
            (DEFAULT_LANGUAGE, ""),
        ):
            body = texts.get((kind, *key), "")
            if body.strip():
                return body
        return records.shipped(kind, lang) or records.shipped(kind, DEFAULT_LANGUAGE)

    async def help_text(self, lang: str | None = None, country: str | None = None) -> str:
        """The help and crisis lines text (behind F1) in `lang`, for `country` where the
        sysop wrote one for it; else that language's, else the default (English) one.

        Whenever any of them has changed (a sysop's save, on any node), the moderation gate
        is told: the numbers and links in every one of them never count toward spam when a
        member shares them.
        """
        try:
            where = records.normalise_country(country)
        except ValueError:
            where = ""
        return self._pick(await self._texts(), records.HELP, normalise_language(lang), where)

    async def member_help(self, member_id: int) -> str:
        """The help and crisis lines for this member: their country's in their language
        where the sysop wrote one, else their language's, else the default (English).

        What the front ends show behind F1 / `help`, read from the store each time so a
        change of language or country on the Profile counts at once."""
        lang, country = await self.member_language_and_country(member_id)
        return await self.help_text(lang, country)

    async def help_texts(self) -> dict[tuple[str, str], str]:
        """Every stored help text by (language, country), for the sysop's tools."""
        texts = await self._texts()
        return {(lang, c): body for (kind, lang, c), body in texts.items() if kind == records.HELP}

    async def member_language(self, member_id: int) -> str:
        """The language the member reads the board in (English for one who is gone)."""
        return await self._store.read(lambda s: accounts.member_language(s, member_id))

    async def member_language_and_country(self, member_id: int) -> tuple[str, str]:
        """The member's language and the country they said ('' when none)."""
        return await self._store.read(lambda s: accounts.member_language_and_country(s, member_id))

    async def crisis_words(
        self,
        member_id: int,
        *,
        text_lang: str = "",
        kept: str = POSTED_KEPT,
        note: CrisisNote = crisis_message,
    ) -> str:
        """The private crisis note for a member, with the help lines, in their language
        and for their country where the sysop wrote lines for it (as `member_help`).

        When the text was written in another language we have help for (`text_lang`, the
        language the moderation model read it as), the same note follows in that language
        too (for the same country): a person in crisis may read their own words' language
        best. `kept` is an English message marked with `N_`; `note` builds one language's
        note.
        """
        lang, country = await self.member_language_and_country(member_id)
        await ready_language(lang)  # each language's catalogue read in a thread, once
        words = [note(await self.help_text(lang, country), kept, lang=lang)]
        if text_lang in LANGUAGES and text_lang != lang:
            await ready_language(text_lang)
            words.append(note(await self.help_text(text_lang, country), kept, lang=text_lang))
        return "\n\n".join(words)

    async def hold_words(self, member_id: int) -> str:
        """The kind note for a held message, in the member's language."""
        lang = await self.member_language(member_id)
        await ready_language(lang)
        return hold_message(lang)

    async def note_for(self, verdict: Verdict, member_id: int) -> str:
        """What to tell a writer privately about their post or message: nothing when it
        was published plainly, the kind hold note, or the crisis lines (in the writer's
        language, and in their text's language too)."""
        if verdict.action is Action.HOLD:
            return await self.hold_words(member_id)
        if verdict.action is Action.CRISIS_HOLD:
            return await self.crisis_words(
                member_id, text_lang=verdict.scores.lang, kept=CRISIS_HOLD_KEPT
            )
        if verdict.action is Action.CRISIS:
            return await self.crisis_words(member_id, text_lang=verdict.scores.lang)
        return ""

    async def guidelines_text(self, lang: str | None = None) -> str:
        """The community guidelines in `lang`, else the default (English) ones.

        A translation that ships with the package is shown only while the English ones are
        the shipped ones too: once a sysop has written their own rules, a member of another
        language reads those (until the sysop writes them in that language), never stock
        rules the community no longer keeps.
        """
        texts, lang = await self._texts(), normalise_language(lang)
        kind = records.GUIDELINES
        mine = texts.get((kind, lang, ""), "")
        english = texts.get((kind, DEFAULT_LANGUAGE, ""), "")
        if (
            lang != DEFAULT_LANGUAGE
            and mine == records.shipped(kind, lang)
            and english.strip()
            and english != records.shipped(kind, DEFAULT_LANGUAGE)
        ):
            return english
        return self._pick(texts, kind, lang, "")

    @staticmethod
    def what_we_store_text() -> str:
        return WHAT_WE_STORE

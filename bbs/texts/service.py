"""The community's texts: help and crisis lines, guidelines, and the notes built from them.

Reading the help text tells the moderation gate which numbers and links to trust, so the
texts take the gate; a member's language comes from the store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from bbs.accounts import members as accounts
from bbs.config import Settings
from bbs.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalise_language
from bbs.moderation_queue.gate import ModerationGate, Verdict
from bbs.moderation_queue.policy import (
    CRISIS_HOLD_KEPT,
    POSTED_KEPT,
    Action,
    crisis_message,
    hold_message,
)
from bbs.store import Store
from bbs.texts.notices import WHAT_WE_STORE, read_optional_text_file, read_text_file


class CrisisNote(Protocol):
    """Builds one language's crisis note: moderation_policy.crisis_message or
    companion.crisis_note."""

    def __call__(self, crisis_lines: str, kept: str = ..., *, lang: str = ...) -> str: ...


class Texts:
    """Help, guidelines and the crisis and hold notes, in each member's language."""

    def __init__(
        self, store: Store, settings: Callable[[], Settings], moderation: ModerationGate
    ) -> None:
        self._store = store
        self._settings = settings
        self._moderation = moderation

    def _help_texts(self) -> dict[str, str]:
        # Blocking: every language's help, each falling back to the default (help.txt).
        default = read_text_file(self._settings().help_path, "help.txt")
        texts = {DEFAULT_LANGUAGE: default}
        for lang in LANGUAGES:
            if lang != DEFAULT_LANGUAGE:
                path = self._settings().help_path_for(lang)
                texts[lang] = read_optional_text_file(path) or default
        return texts

    async def help_text(self, lang: str | None = None) -> str:
        """The help and crisis lines text (behind F1) in `lang`, else the default (help.txt).

        Whenever any language's text has changed (the admin screen, or a file edited by
        hand), the moderation gate is told: the numbers and links in every one of them never
        count toward spam when a member shares them.
        """
        texts = await asyncio.to_thread(self._help_texts)
        trusted = "\n\n".join(dict.fromkeys(texts.values()))
        if trusted != self._moderation.trusted_text:
            self._moderation.set_trusted_text(trusted)
        return texts[normalise_language(lang)]

    async def member_language(self, member_id: int) -> str:
        """The language the member reads the board in (English for one who is gone)."""
        return await self._store.read(lambda s: accounts.member_language(s, member_id))

    async def crisis_words(
        self,
        member_id: int,
        *,
        text_lang: str = "",
        kept: str = POSTED_KEPT,
        note: CrisisNote = crisis_message,
    ) -> str:
        """The private crisis note for a member, with the help lines, in their language.

        When the text was written in another language we have help for (`text_lang`, the
        language the moderation model read it as), the same note follows in that language
        too: a person in crisis may read their own words' language best. `kept` is an
        English message marked with `N_`; `note` builds one language's note.
        """
        lang = await self.member_language(member_id)
        words = [note(await self.help_text(lang), kept, lang=lang)]
        if text_lang in LANGUAGES and text_lang != lang:
            words.append(note(await self.help_text(text_lang), kept, lang=text_lang))
        return "\n\n".join(words)

    async def hold_words(self, member_id: int) -> str:
        """The kind note for a held message, in the member's language."""
        return hold_message(await self.member_language(member_id))

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

    async def guidelines_text(self) -> str:
        return await asyncio.to_thread(
            read_text_file, self._settings().guidelines_path, "guidelines.txt"
        )

    @staticmethod
    def what_we_store_text() -> str:
        return WHAT_WE_STORE

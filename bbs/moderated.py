"""What every service that takes members' writing holds: the store, the moderation gate
and the texts that explain a verdict to the writer."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, TypedDict

from bbs.moderation_queue.policy import Action

if TYPE_CHECKING:
    from bbs.moderation_queue.gate import ModerationGate, Verdict
    from bbs.store import Store
    from bbs.texts.service import Texts


class WritingPorts(TypedDict):
    """The keyword arguments a ModeratedService is built with (see server/wiring.py)."""

    store: Store
    moderation: ModerationGate
    texts: Texts


class ModeratedService:
    """The base of boards, mail, goals, rooms and admin: one place for the ports they share."""

    def __init__(self, *, store: Store, moderation: ModerationGate, texts: Texts) -> None:
        self._store = store
        self._moderation = moderation
        self._texts = texts

    async def _score(self, text: str) -> Verdict:
        """The gate's verdict on a member's text, without the terms behind it."""
        return await self._moderation.check(text, explain=False)


def as_stored(verdict: Verdict, held: bool) -> Verdict:
    """The verdict as the store carried it out. Crisis words from a muted member are
    not published but wait for a moderator (CRISIS_HOLD), so the writer's note says a
    person will read them soon."""
    if verdict.action is Action.CRISIS and held:
        return dataclasses.replace(verdict, action=Action.CRISIS_HOLD)
    return verdict

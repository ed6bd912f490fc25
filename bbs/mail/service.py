"""The async façade screens use for private messages, who may write to whom, and blocks:
moderation, then storage."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Unpack

from sqlmodel import Session

from bbs.accounts import blocks
from bbs.accounts.blocks import BlockKind
from bbs.boards.records import PostingRules, PostStatus
from bbs.boards.service import Outcome, stored_and_draft_dropped
from bbs.mail import records as messages
from bbs.mail.records import ConversationView, MessagePage, MessageView, WhoMayWrite
from bbs.moderated import ModeratedService, WritingPorts, as_stored
from bbs.moderation_queue.flags import Written


@dataclass(frozen=True)
class MessageOutcome(Outcome):
    """What happened to a private message, and what to tell its writer (privately)."""

    message: MessageView | None = None


class MailService(ModeratedService):
    """Private messages for one community, off the event loop."""

    def __init__(self, *, rules: Callable[[], PostingRules], **ports: Unpack[WritingPorts]) -> None:
        super().__init__(**ports)
        # The posting rules are the boards' (how often a member may write), read each time.
        self._rules = rules

    async def raise_concern_about_message(
        self, member_id: int, message_id: int, note: str = ""
    ) -> None:
        """The same about the sender of a private message."""
        await self._store.write(
            lambda s: messages.raise_concern_for_message(
                s, member_id=member_id, message_id=message_id, note=note
            )
        )

    async def conversations(self, member_id: int) -> list[ConversationView]:
        return await self._store.read(lambda s: messages.conversations(s, member_id=member_id))

    async def unread_messages(self, member_id: int) -> int:
        return await self._store.read(lambda s: messages.unread_total(s, member_id=member_id))

    async def messages(
        self, member_id: int, conversation_id: int, *, before_id: int | None = None
    ) -> MessagePage:
        return await self._store.write(
            lambda s: messages.message_page(
                s, member_id=member_id, conversation_id=conversation_id, before_id=before_id
            )
        )

    async def find_member_id(self, pseudonym: str) -> tuple[int, str]:
        def run(s: Session) -> tuple[int, str]:
            member = messages.find_member(s, pseudonym)
            assert member.id is not None
            return member.id, member.pseudonym

        return await self._store.read(run)

    async def check_may_write(self, member_id: int, recipient_id: int) -> None:
        await self._store.read(
            lambda s: messages.check_may_write(
                s, sender_id=member_id, recipient_id=recipient_id, rules=self._rules()
            )
        )

    async def send_message(self, member_id: int, recipient_id: int, body: str) -> MessageOutcome:
        """Check who may write, score, then store a private message."""
        await self.check_may_write(member_id, recipient_id)
        cleaned = await asyncio.to_thread(messages.clean_message, body)
        verdict = await self._score(cleaned)
        sent = await self._store.write(
            lambda s: stored_and_draft_dropped(
                s,
                member_id,
                f"pm:{recipient_id}",
                messages.send_message(
                    s,
                    sender_id=member_id,
                    recipient_id=recipient_id,
                    written=Written(cleaned, verdict.action, verdict.scores.summary()),
                    rules=self._rules(),
                ),
            )
        )
        verdict = as_stored(verdict, sent.status is PostStatus.HELD)
        return MessageOutcome(
            verdict.action, await self._texts.note_for(verdict, member_id), message=sent
        )

    async def report_message(self, member_id: int, message_id: int, reason: str) -> None:
        await self._store.write(
            lambda s: messages.report_message(
                s, reporter_id=member_id, message_id=message_id, reason=reason
            )
        )

    async def who_may_write(self, member_id: int) -> WhoMayWrite:
        return await self._store.read(lambda s: messages.who_may_write(s, member_id))

    async def set_who_may_write(self, member_id: int, who: WhoMayWrite) -> None:
        await self._store.write(lambda s: messages.set_who_may_write(s, member_id, who))

    async def set_block(self, member_id: int, other_id: int, kind: BlockKind, on: bool) -> None:
        await self._store.write(
            lambda s: blocks.set_block(s, member_id=member_id, other_id=other_id, kind=kind, on=on)
        )

    async def is_blocked(self, member_id: int, other_id: int) -> tuple[bool, bool]:
        """(blocked, muted) as `member_id` set them for `other_id`."""
        return await self._store.read(
            lambda s: (
                blocks.has_blocked(s, member_id, other_id),
                blocks.has_muted(s, member_id, other_id)
                and not blocks.has_blocked(s, member_id, other_id),
            )
        )

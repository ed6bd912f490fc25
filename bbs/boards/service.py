"""The async façade screens use for boards and search: moderation, then storage."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar, Unpack

from sqlmodel import Session

from bbs import places
from bbs.boards import records as boards
from bbs.boards.records import (
    BoardView,
    CleanPost,
    DraftView,
    NewsItem,
    PageAt,
    PostingRules,
    PostStatus,
    PostView,
    ReaderPrefsView,
    ThreadListPage,
    ThreadPage,
    ThreadView,
)
from bbs.boards.search import SearchHit
from bbs.moderated import ModeratedService, WritingPorts, as_stored
from bbs.moderation_queue.flags import Written
from bbs.moderation_queue.gate import Verdict
from bbs.moderation_queue.policy import Action
from bbs.store import writes

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    """What happened to something a member wrote, and what to tell them (privately)."""

    action: Action
    note: str
    post: PostView | None = None

    @property
    def held(self) -> bool:
        return self.action.holds


def _scores(verdict: Verdict) -> str:
    return verdict.scores.summary()


def stored_and_draft_dropped(session: Session, member_id: int, context: str, result: T) -> T:
    """`result` (just stored), with the member's draft `context` deleted.

    In the same transaction as the post or message: one commit (one fsync) each, not two.
    """
    boards.delete_draft(session, member_id=member_id, context=context)
    return result


class BoardService(ModeratedService):
    """Boards, threads, drafts and search for one community, off the event loop."""

    def __init__(self, **ports: Unpack[WritingPorts]) -> None:
        super().__init__(**ports)
        self.rules = PostingRules()

    async def _clean(self, title: str | None, body: str, warning: str) -> CleanPost:
        # Cleaning a 5 MB paste takes tens of milliseconds: not on the shared loop.
        return await asyncio.to_thread(boards.clean_post, title, body, warning)

    async def _check(self, text: CleanPost) -> Verdict:
        scored = (text.title + "\n" + text.body) if text.title else text.body
        return await self._score((text.warning + "\n" + scored) if text.warning else scored)

    async def _publish(
        self,
        member_id: int,
        context: str,
        text: CleanPost,
        store: Callable[..., PostView],
    ) -> Outcome:
        """Check, score, then store a post through `store`, dropping the draft `context`.

        `store` is a boards writer (create_thread, create_reply, edit_post) with its target
        already bound; it gets the session, the text with the gate's decision, and the rules.
        """
        verdict = await self._check(text)
        post = await self._store.write(
            lambda s: stored_and_draft_dropped(
                s,
                member_id,
                context,
                store(s, written=Written(text, verdict.action, _scores(verdict)), rules=self.rules),
            )
        )
        verdict = as_stored(verdict, post.status is PostStatus.HELD)
        return Outcome(verdict.action, await self._texts.note_for(verdict, member_id), post=post)

    # -- setup ------------------------------------------------------------------------
    def ensure_default_boards(self) -> int:
        """Blocking: seed the default boards on first start."""
        return self._store.write_blocking(boards.ensure_default_boards)

    # -- reading ----------------------------------------------------------------------
    async def board_list(self, member_id: int, *, first_language: str = "") -> list[BoardView]:
        """Open boards in the sysop's order, each with its counts for the member; with
        `first_language` (the member's), the boards marked with it come first."""
        found = await self._store.read(lambda s: boards.board_list(s, member_id=member_id))
        return places.language_first(found, first_language)

    async def thread_list(
        self, member_id: int, board_id: int, *, before: int | None = None, after: int | None = None
    ) -> ThreadListPage:
        return await self._store.read(
            lambda s: boards.thread_list(
                s, member_id=member_id, board_id=board_id, before=before, after=after
            )
        )

    async def thread_page(
        self,
        member_id: int,
        thread_id: int,
        *,
        mark_read: bool = True,
        **at: Unpack[PageAt],
    ) -> ThreadPage:
        """A page of posts (see boards.thread_page); the read mark moves to its last post."""

        def run(s: Session) -> ThreadPage:
            page = boards.thread_page(s, member_id=member_id, thread_id=thread_id, **at)
            if mark_read and page.posts:
                boards.mark_read(
                    s, member_id=member_id, thread_id=thread_id, seq=page.posts[-1].seq
                )
                boards.mark_news_seen(s, member_id=member_id, thread_id=thread_id)
            return page

        return await (self._store.write(run) if mark_read else self._store.read(run))

    async def thread(self, member_id: int, thread_id: int) -> ThreadView:
        return await self._store.read(
            lambda s: boards.get_thread(s, member_id=member_id, thread_id=thread_id)
        )

    async def post(self, member_id: int, post_id: int) -> PostView:
        return await self._store.read(
            lambda s: boards.get_post(s, member_id=member_id, post_id=post_id)
        )

    async def whats_new(self, member_id: int) -> list[NewsItem]:
        return await self._store.read(lambda s: boards.whats_new(s, member_id=member_id))

    async def search(self, member_id: int, query: str) -> list[SearchHit]:
        return await self._store.read(
            lambda s: boards.search_posts(s, member_id=member_id, query=query)
        )

    # -- writing ----------------------------------------------------------------------
    async def create_thread(
        self, member_id: int, board_id: int, *, title: str, body: str, warning: str = ""
    ) -> Outcome:
        """Check, score, then store a new thread; raises PostError with a kind message."""
        return await self._publish(
            member_id,
            f"thread:{board_id}",
            await self._clean(title, body, warning),
            partial(boards.create_thread, author_id=member_id, board_id=board_id),
        )

    async def reply(
        self, member_id: int, thread_id: int, *, body: str, warning: str = ""
    ) -> Outcome:
        return await self._publish(
            member_id,
            f"reply:{thread_id}",
            await self._clean(None, body, warning),
            partial(boards.create_reply, author_id=member_id, thread_id=thread_id),
        )

    async def edit(
        self,
        member_id: int,
        post_id: int,
        *,
        body: str,
        warning: str = "",
        title: str | None = None,
    ) -> Outcome:
        return await self._publish(
            member_id,
            f"edit:{post_id}",
            await self._clean(title, body, warning),
            partial(boards.edit_post, member_id=member_id, post_id=post_id),
        )

    async def delete(self, member_id: int, post_id: int) -> None:
        await self._store.write(
            lambda s: boards.delete_post(s, member_id=member_id, post_id=post_id)
        )

    async def react(self, member_id: int, post_id: int, kind: str) -> bool:
        return await self._store.write(
            lambda s: boards.toggle_reaction(s, member_id=member_id, post_id=post_id, kind=kind)
        )

    async def raise_concern(self, member_id: int, post_id: int, note: str = "") -> None:
        """ "I'm worried about this person" about a post's author: a crisis alert."""
        await self._store.write(
            lambda s: boards.raise_concern_for_post(
                s, member_id=member_id, post_id=post_id, note=note
            )
        )

    async def report_post(self, member_id: int, post_id: int, reason: str) -> None:
        await self._store.write(
            lambda s: boards.report_post(s, reporter_id=member_id, post_id=post_id, reason=reason)
        )

    async def follow(self, member_id: int, kind: str, target_id: int, on: bool) -> None:
        await self._store.write(
            lambda s: boards.set_follow(
                s, member_id=member_id, kind=kind, target_id=target_id, on=on
            )
        )

    # -- drafts and preferences -------------------------------------------------------
    save_draft = writes(boards.save_draft)

    async def draft(self, member_id: int, context: str) -> DraftView | None:
        return await self._store.read(
            lambda s: boards.get_draft(s, member_id=member_id, context=context)
        )

    async def drafts(self, member_id: int) -> list[DraftView]:
        return await self._store.read(lambda s: boards.drafts(s, member_id=member_id))

    async def discard_draft(self, member_id: int, context: str) -> None:
        await self._store.write(
            lambda s: boards.delete_draft(s, member_id=member_id, context=context)
        )

    async def reader_prefs(self, member_id: int) -> ReaderPrefsView:
        return await self._store.read(lambda s: boards.reader_prefs(s, member_id))

    async def set_reader_prefs(
        self, member_id: int, *, expand_warnings: bool, always_collapsed: Sequence[str]
    ) -> ReaderPrefsView:
        return await self._store.write(
            lambda s: boards.set_reader_prefs(
                s, member_id, expand_warnings=expand_warnings, always_collapsed=always_collapsed
            )
        )

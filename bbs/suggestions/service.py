"""The async façade for personal suggestions and peer matching, and their background refresher.

Showing suggestions reads stored profiles and item themes only. The engine's work (reading
texts for themes, the peer index) runs in a worker thread of its own, in bounded batches,
started by the server; a member whose profile is out of date when they open For you is
refreshed at once, alone, in that same worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from sqlmodel import Session

from bbs.errors import StoreBusyError
from bbs.goals.records import PartnershipView
from bbs.suggestions import records as suggestions
from bbs.suggestions.records import (
    CatalogText,
    ForYou,
    MemberTexts,
    PeerIndex,
    SuggestionSettingsView,
    ThemeEngine,
)

if TYPE_CHECKING:
    from bbs.cluster import Singletons
    from bbs.goals.service import GoalService
    from bbs.mail.service import MailService
    from bbs.store import Store

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# Members refreshed per batch, and batches per pass: a pass's work stays bounded.
BATCH = 50
BATCHES_PER_PASS = 20
# A breath between batches: the refresher's threads share the interpreter with the event
# loop, so a pass that never pauses makes every session's screen a little late.
BATCH_PAUSE = 0.05
REFRESH_SECONDS = 20.0
# Candidates asked of the peer index before privacy and block checks thin them out.
PEER_CANDIDATES = 40


@dataclass
class _Peers:
    ids: list[int]
    index: PeerIndex


class SuggestionService:
    """Suggestions for one community; the theme engine is injected (`set_engine`)."""

    def __init__(
        self,
        *,
        store: Store,
        singletons: Singletons,
        goals: GoalService,
        mail: MailService,
    ) -> None:
        self._store = store
        self._singletons = singletons
        self._goals = goals
        self._mail = mail
        self.engine: ThemeEngine | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bbs-suggest")
        self._peers: _Peers | None = None
        self._peers_stale = True
        self._task: asyncio.Task[None] | None = None
        self._rebuild: asyncio.Task[None] | None = None
        self._thread_themes: suggestions.ThreadThemes = {}
        # One refresh at a time: the background pass and an on-demand one never overlap.
        self._refreshing = asyncio.Lock()

    def set_engine(self, engine: ThemeEngine | None) -> None:
        self.engine = engine
        self._peers_stale = True

    async def _compute(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    # -- settings ---------------------------------------------------------------------
    @staticmethod
    def opt_in_text() -> str:
        return suggestions.OPT_IN_TEXT

    async def settings(self, member_id: int) -> SuggestionSettingsView:
        return await self._store.read(lambda s: suggestions.get_settings(s, member_id))

    async def set_settings(
        self, member_id: int, *, suggestions_on: bool, peers: bool
    ) -> SuggestionSettingsView:
        """Say yes or no; no deletes what was learned. Peer matching needs suggestions on."""
        view = await self._store.write(
            lambda s: suggestions.set_settings(
                s, member_id, suggestions=suggestions_on, peers=peers
            )
        )
        self._peers_stale = True
        return view

    # -- showing ----------------------------------------------------------------------
    async def for_you(self, member_id: int) -> ForYou:
        """Suggestions and peers, in one read; a stale profile is refreshed first (alone)."""
        engine = self.engine
        if engine is not None and self._peers is None:
            await self.rebuild_peer_index()  # once after start; later rebuilds are background
        elif self._peers_stale and self._rebuild is None and engine is not None:
            # Never on the request path once an index exists: who may be shown is checked
            # against the store, so a slightly old index only misses newcomers for a moment.
            self._rebuild = asyncio.get_running_loop().create_task(self._rebuild_soon())
        peers = self._peers

        def run(s: Session) -> ForYou | None:
            if engine is not None and suggestions.needs_refresh(s, member_id):
                return None
            shown = suggestions.for_you(s, member_id, self._thread_themes)
            if not shown.peers_enabled or engine is None or peers is None:
                return shown
            query = suggestions.own_vector(s, member_id, engine.themes)
            # Cosine neighbours in the in-memory index: about a millisecond, off the loop.
            nearest = peers.index.nearest(query, PEER_CANDIDATES)
            candidates = [(peers.ids[p], similarity) for p, similarity in nearest]
            return replace(shown, peers=suggestions.peer_matches(s, member_id, candidates))

        shown = await self._store.read(run)
        if shown is None:
            await self.refresh_members([member_id], catalog=True)
            shown = await self._store.read(run)
        return (
            shown
            if shown is not None
            else await self._store.read(lambda s: suggestions.for_you(s, member_id))
        )

    async def dismiss(self, member_id: int, kind: str, item_id: int, theme: str = "") -> None:
        await self._store.write(
            lambda s: suggestions.dismiss(
                s, member_id=member_id, kind=kind, item_id=item_id, theme=theme
            )
        )

    # -- acting on a peer match -------------------------------------------------------
    async def invite_peer(self, member_id: int, peer_id: int) -> PartnershipView:
        """Invite a peer match to be an accountability partner (goals' own rules apply)."""
        name = await self._store.read(lambda s: suggestions.may_contact(s, member_id, peer_id))
        return await self._goals.invite(member_id, name)

    async def peer_to_write(self, member_id: int, peer_id: int) -> str:
        """The peer's pseudonym, once their message settings and blocks allow writing."""
        name = await self._store.read(lambda s: suggestions.may_contact(s, member_id, peer_id))
        await self._mail.check_may_write(member_id, peer_id)
        return name

    # -- refreshing -------------------------------------------------------------------
    async def _rebuild_soon(self) -> None:
        try:
            await self.rebuild_peer_index()
        except Exception:
            log.exception("rebuilding the peer index failed; the old one stays")
        finally:
            self._rebuild = None

    async def rebuild_peer_index(self) -> None:
        engine = self.engine
        if engine is None:
            return
        self._peers_stale = False
        ids, vectors = await self._store.read(lambda s: suggestions.peer_vectors(s, engine.themes))
        index = await self._compute(engine.peer_index, vectors)
        self._peers = _Peers(ids, index)

    def _learn(
        self, engine: ThemeEngine, batch: list[MemberTexts]
    ) -> list[tuple[int, suggestions.LearnedProfile, str]]:
        texts = [piece.text for member in batch for piece in member.texts]
        scores = engine.score_texts(texts)
        learned = []
        start = 0
        for member in batch:
            end = start + len(member.texts)
            learned.append(
                (
                    member.member_id,
                    suggestions.learn_profile(member.texts, scores[start:end], engine),
                    member.signature,
                )
            )
            start = end
        return learned

    async def refresh_members(self, member_ids: list[int], *, catalog: bool = False) -> int:
        """Work out the profiles of these members (and new items' themes, if asked)."""
        engine = self.engine
        if engine is None or not member_ids:
            return 0
        async with self._refreshing:
            if catalog:
                await self._refresh_catalog(engine)
            batch = await self._store.read(
                lambda s: [suggestions.member_texts(s, m) for m in member_ids]
            )
            learned = await self._compute(self._learn, engine, batch)

            def store(s: Session) -> int:
                return sum(suggestions.store_profile(s, m, p, sig) for m, p, sig in learned)

            stored = await self._store.write(store)
        self._peers_stale = True
        return stored

    async def _refresh_catalog(self, engine: ThemeEngine) -> int:
        texts, cursor = await self._store.read(suggestions.catalog_texts)

        def score(items: list[CatalogText]) -> list[tuple[CatalogText, dict[str, float]]]:
            rows = engine.score_texts([t.text for t in items])
            return [
                (t, suggestions.item_themes(r, engine.themes))
                for t, r in zip(items, rows, strict=True)
            ]

        scored = await self._compute(score, texts)
        await self._store.write(lambda s: suggestions.store_catalog(s, scored, cursor))
        return sum(1 for t in texts if t.kind == "thread")

    async def refresh_pass(self, *, batches: int = BATCHES_PER_PASS) -> int:
        """One background pass: mark who wrote something new, then refresh a bounded number."""
        engine = self.engine
        if engine is None:
            return 0
        await self._store.write(lambda s: suggestions.mark_new_activity(s))
        for _ in range(batches):
            # A big backlog of threads (a first start on an old database): a batch at a time.
            async with self._refreshing:
                if await self._refresh_catalog(engine) < suggestions.THREAD_BATCH:
                    break
            await asyncio.sleep(BATCH_PAUSE)
        done = 0
        for _ in range(batches):
            ids = await self._store.read(lambda s: suggestions.dirty_members(s, BATCH))
            if not ids:
                break
            done += await self.refresh_members(ids)
            await asyncio.sleep(BATCH_PAUSE)
        if self._peers_stale:
            await self.rebuild_peer_index()
        return done

    async def _run(self, interval: float) -> None:
        while True:
            try:
                # With several nodes, one refreshes for everyone.
                if await self._singletons.runs("suggestions"):
                    await self.refresh_pass()
            except StoreBusyError:
                log.info("suggestions refresh skipped: the store is busy")
            except Exception:
                log.exception("suggestions refresh failed; trying again later")
            await asyncio.sleep(interval)

    def start(self, interval: float = REFRESH_SECONDS) -> None:
        """Start the background refresher on the running loop (the server calls this)."""
        if self._task is None and self.engine is not None:
            self._task = asyncio.get_running_loop().create_task(
                self._run(interval), name="suggestions-refresh"
            )

    async def stop(self) -> None:
        """Cancel the background refresher (and any index rebuild) and wait for them."""
        for task in (self._task, self._rebuild):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._rebuild = None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

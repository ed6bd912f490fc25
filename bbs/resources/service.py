"""The async front door of the resource library, for screens and the CLI."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Unpack

from sqlmodel import Session

from bbs.moderation_queue.audit import require_staff
from bbs.resources import records as resources
from bbs.resources.records import (
    EntryChanges,
    EntryText,
    ResourceDraft,
    ResourceRecord,
    ResourceView,
)

if TYPE_CHECKING:
    from bbs.store import Store


class ResourceService:
    """The library for one community, off the event loop (role checks happen in the core)."""

    def __init__(
        self,
        *,
        store: Store,
    ) -> None:
        self._store = store

    def ensure_defaults(self) -> int:
        """Blocking: write the default set the first time the community starts."""
        return self._store.write_blocking(resources.seed_default_resources)

    # -- members ----------------------------------------------------------------------
    async def library(self) -> list[ResourceView]:
        """Active entries, by title."""
        return await self._store.read(resources.active_resources)

    async def get(self, resource_id: int) -> ResourceView | None:
        """One active entry, or None when it is gone or retired."""
        return await self._store.read(lambda s: resources.get_resource(s, resource_id))

    async def favourites(self, member_id: int) -> list[ResourceView]:
        return await self._store.read(lambda s: resources.favourites(s, member_id))

    async def favourite_ids(self, member_id: int) -> set[int]:
        return await self._store.read(lambda s: resources.favourite_ids(s, member_id))

    async def set_favourite(self, member_id: int, resource_id: int, on: bool) -> bool:
        """Keep or let go of an entry; returns whether it is now a favourite."""
        return await self._store.write(
            lambda s: resources.set_favourite(s, member_id, resource_id, on)
        )

    # -- sysops -----------------------------------------------------------------------
    async def all(self, actor_id: int) -> list[ResourceRecord]:
        """Every entry, retired ones too (sysops only)."""

        def run(s: Session) -> list[ResourceRecord]:
            require_staff(s, actor_id, sysop=True)
            return resources.all_resources(s)

        return await self._store.read(run)

    @staticmethod
    async def check(**entry: Unpack[EntryText]) -> ResourceDraft:
        """Clean and check fields in a thread (a huge paste never stalls the loop)."""
        return await asyncio.to_thread(lambda: resources.check_draft(**entry))

    async def add(
        self, actor_id: int, *, slug: str = "", **entry: Unpack[EntryText]
    ) -> ResourceView:
        draft = await self.check(**entry)
        return await self._store.write(
            lambda s: resources.add_resource(
                s,
                actor_id=actor_id,
                title=draft.title,
                body=draft.body,
                source=draft.source,
                tags=draft.tags,
                slug=slug,
            )
        )

    async def edit(
        self, actor_id: int, resource_id: int, **changes: Unpack[EntryChanges]
    ) -> ResourceView:
        body = changes.get("body")
        if body is not None:
            # Cleaned in a thread first, so the write transaction never cleans a huge paste.
            changes["body"] = await asyncio.to_thread(resources.check_body, body)
        return await self._store.write(
            lambda s: resources.edit_resource(
                s, actor_id=actor_id, resource_id=resource_id, **changes
            )
        )

    async def retire(self, actor_id: int, resource_id: int, retired: bool = True) -> ResourceRecord:
        """Retire an entry, or restore it with retired=False."""
        return await self._store.write(
            lambda s: resources.retire_resource(
                s, actor_id=actor_id, resource_id=resource_id, retired=retired
            )
        )

    async def restore(self, actor_id: int, resource_id: int) -> ResourceRecord:
        """Bring a retired entry back (members' favourites of it come back too)."""
        return await self.retire(actor_id, resource_id, retired=False)

    async def find(self, key: str) -> ResourceRecord:
        """An entry by number or slug (for the CLI), retired ones too."""
        return await self._store.read(lambda s: resources.find_resource(s, key))

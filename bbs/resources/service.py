"""The async front door of the resource library, for screens and the CLI.

Members' reads take the member's language (`lang`, English by default): the entries
written in it, and the English entry of each slug that has none in it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Unpack

from sqlmodel import Session

from bbs.i18n import DEFAULT_LANGUAGE
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
        """Blocking: write each language's default set the first time the community
        starts with it (new communities, and upgrades that ship a language)."""
        return self._store.write_blocking(resources.seed_default_resources)

    # -- members ----------------------------------------------------------------------
    async def library(self, lang: str = DEFAULT_LANGUAGE) -> list[ResourceView]:
        """Active entries a reader of `lang` sees, by title."""
        return await self._store.read(lambda s: resources.active_resources(s, lang))

    async def get(self, resource_id: int, lang: str = DEFAULT_LANGUAGE) -> ResourceView | None:
        """One active entry as a reader of `lang` sees it (the same slug in their language
        when there is one), or None when it is gone or retired."""
        return await self._store.read(lambda s: resources.get_resource(s, resource_id, lang=lang))

    async def favourites(self, member_id: int, lang: str = DEFAULT_LANGUAGE) -> list[ResourceView]:
        """The member's kept entries still in the library, as a reader of `lang` sees them."""
        return await self._store.read(lambda s: resources.favourites(s, member_id, lang))

    async def favourite_ids(self, member_id: int, lang: str = DEFAULT_LANGUAGE) -> set[int]:
        """Ids of kept entries, and of the same entries in `lang` (to mark a library)."""
        return await self._store.read(lambda s: resources.favourite_ids(s, member_id, lang))

    async def set_favourite(self, member_id: int, resource_id: int, on: bool) -> bool:
        """Keep or let go of an entry; returns whether it is now a favourite."""
        return await self._store.write(
            lambda s: resources.set_favourite(s, member_id, resource_id, on)
        )

    # -- sysops -----------------------------------------------------------------------
    async def all(self, actor_id: int) -> list[ResourceRecord]:
        """Every entry in every language (`view.lang`), retired ones too (sysops only)."""

        def run(s: Session) -> list[ResourceRecord]:
            require_staff(s, actor_id, sysop=True)
            return resources.all_resources(s)

        return await self._store.read(run)

    @staticmethod
    async def check(**entry: Unpack[EntryText]) -> ResourceDraft:
        """Clean and check fields in a thread (a huge paste never stalls the loop)."""
        return await asyncio.to_thread(lambda: resources.check_draft(**entry))

    async def add(
        self,
        actor_id: int,
        *,
        slug: str = "",
        lang: str = DEFAULT_LANGUAGE,
        **entry: Unpack[EntryText],
    ) -> ResourceView:
        """Add an entry written in `lang` (the slug of another language's entry makes it
        that entry's translation)."""
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
                lang=lang,
            )
        )

    async def edit(
        self,
        actor_id: int,
        resource_id: int,
        *,
        lang: str | None = None,
        **changes: Unpack[EntryChanges],
    ) -> ResourceView:
        """Change some fields; `lang` says the entry is written in another language."""
        body = changes.get("body")
        if body is not None:
            # Cleaned in a thread first, so the write transaction never cleans a huge paste.
            changes["body"] = await asyncio.to_thread(resources.check_body, body)
        return await self._store.write(
            lambda s: resources.edit_resource(
                s, actor_id=actor_id, resource_id=resource_id, lang=lang, **changes
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

    async def find(self, key: str, lang: str = DEFAULT_LANGUAGE) -> ResourceRecord:
        """An entry by number, or by slug in `lang` (for the CLI), retired ones too."""
        return await self._store.read(lambda s: resources.find_resource(s, key, lang))

"""One BBS's lifecycle: preparing the data directory, joining live events, closing.

The services, the store and the event bus are built by the composition root
(`server.wiring`) and handed in; front ends take the services themselves
(`bbs.services.Services`), never this object.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from sqlmodel import Session

from bbs.cluster import Singletons
from bbs.config import Settings
from bbs.db import libpq_url
from bbs.events import Event
from bbs.posted_events import PostedEventFollower
from bbs.rooms import records as rooms
from bbs.services import Services
from bbs.texts import records as shared_texts

if TYPE_CHECKING:  # psycopg: only on PostgreSQL
    from bbs.events_postgres import PostgresEventBus
    from bbs.presence_postgres import PostgresPresence

log = logging.getLogger(__name__)

T = TypeVar("T")


class Community:
    """One BBS: its store, its secrets and its texts, shared by every session."""

    def __init__(self, services: Services) -> None:
        # Front ends take these services directly; the community runs their lifecycle.
        self.services = services
        self._settings = services.settings
        self.store = services.store
        self.database = services.store.database
        self.moderation = services.moderation
        self.texts = services.texts
        self._hasher = services.hasher
        self.guard = services.guard
        # Who is connected now: the server counts its sessions in and out of this port.
        self.sessions = services.sessions
        # Live events: local, or shared through PostgreSQL once `start_live()` has run.
        self.events = services.events
        self._singletons = services.singletons
        # Boards, threads, private messages and search: the front door for those screens.
        self.boards = services.boards
        self.mail = services.mail
        # What `bbs admin` in a shell posts (a sanction, a banner) reaches this node's bus.
        url = self.settings.database_url
        self.posted = PostedEventFollower(
            self.store,
            self._publish_here,
            listen_url=libpq_url(url) if url.startswith("postgresql") else None,
        )
        # Live rooms: the rooms front door for screens.
        self.rooms = services.rooms
        # Moderation work: review queue, sanctions, audit log, sysop settings.
        self.admin = services.admin
        # Goals, check-ins, partners and the companion.
        self.goals = services.goals
        # Personal suggestions and peer matching (opt-in); the server injects the engine.
        self.suggestions = services.suggestions
        # Privacy: what we store, export, keys and passwords, sessions, deleting an account.
        self.privacy = services.privacy
        # The resource library: coping strategies, favourites, sysop edits.
        self.resources = services.resources
        # Logging in, signing up, recovery, and a member's own settings.
        self.accounts = services.accounts
        # The home screen's data.
        self.home = services.home

    @property
    def settings(self) -> Settings:
        return self._settings.current

    @settings.setter
    def settings(self, settings: Settings) -> None:
        # Every service reads the new settings from now on.
        self._settings.current = settings

    # -- plumbing ---------------------------------------------------------------------
    def prepare(self) -> None:
        """Create the data directory's files and bring the schema up to date (blocking)."""
        self.settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.database.migrate()
        # Nodes started together on one new database: one seeds, the others then find it done.
        # Rooms too: seeded on first visit, two visits at once on PostgreSQL could both
        # find none and both insert them.
        with self.database.one_at_a_time("seed"):
            self.boards.ensure_default_boards()
            self.resources.ensure_defaults()
            self.store.write_blocking(rooms.seed_default_rooms)
            # Help and guidelines: from this data directory's files on the upgrade that
            # brought them into the database, else as shipped; never over a sysop's text.
            data_dir = self.settings.data_dir
            added = self.store.write_blocking(lambda s: shared_texts.seed_texts(s, data_dir))
            if added:
                log.info("help and guidelines added to the database: %s", ", ".join(added))

    async def read(self, fn: Callable[[Session], T]) -> T:
        """Run fn with a read session in a worker thread (`Store.read`)."""
        return await self.store.read(fn)

    async def write(self, fn: Callable[[Session], T]) -> T:
        """Run fn in one write transaction in a worker thread (`Store.write`); what it
        announced is published once it has committed."""
        return await self.store.write(fn)

    @property
    def singletons(self) -> Singletons:
        """Which single jobs (announcing sessions, refreshing suggestions) this node runs."""
        return self._singletons

    def _postgres_live(self) -> tuple[PostgresEventBus | None, PostgresPresence | None]:
        """The bus and the presence shared with other nodes, where they are (PostgreSQL
        with [cluster]). Neither can exist before its module is imported, so asking
        imports nothing (psycopg, 10 MiB, stays out of a SQLite server)."""
        bus_module = sys.modules.get("bbs.events_postgres")
        presence_module = sys.modules.get("bbs.presence_postgres")
        events, presence = self.events, self.services.presence
        return (
            events
            if bus_module is not None and isinstance(events, bus_module.PostgresEventBus)
            else None,
            presence
            if presence_module is not None
            and isinstance(presence, presence_module.PostgresPresence)
            else None,
        )

    def _publish_here(self, topic: str, event: Event) -> int:
        """Publish to this process's subscribers only (every node follows posted events)."""
        shared, _ = self._postgres_live()
        if shared is not None:
            return shared.publish_local(topic, event)
        return self.events.publish(topic, event)

    async def start_live(self) -> None:
        """Join the other nodes' live events (with [cluster]), and follow what `bbs admin`
        posts from a shell."""
        shared, presence = self._postgres_live()
        if shared is not None:
            await shared.start()
        # Presence and live sessions shared with the other nodes (with [cluster]).
        if presence is not None:
            await presence.live.start()
        await self.services.throttle.start()
        await self.posted.start()

    async def stop_live(self) -> None:
        shared, presence = self._postgres_live()
        await self.posted.stop()
        if presence is not None:
            await presence.live.stop()
        await self.services.throttle.close()
        await self.services.flood.close()
        if shared is not None:
            await shared.close()
        await self._singletons.close()

    def close(self) -> None:
        self.moderation.close()
        self.suggestions.close()
        self.store.close()
        self._hasher.close()


__all__ = ["Community"]

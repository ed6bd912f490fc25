"""The async front door of the core: what SSH sessions and screens may ask of it.

Every call that touches the database or hashes a secret runs in a worker thread,
so one member's login or save never stalls the shared event loop. The services, the
store and the event bus are built by the composition root (`server.wiring`) and handed in.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from sqlmodel import Session

from bbs.accounts import members as accounts
from bbs.accounts.members import AccountError, MemberView, PublicKeyInfo
from bbs.accounts.passwords import (
    PasswordError,
    check_new_password,
    new_recovery_code,
    normalise_recovery_code,
)
from bbs.accounts.pseudonyms import Pseudonym, validate_pseudonym
from bbs.cluster import Singletons
from bbs.config import Settings
from bbs.events import Event
from bbs.home import HomeSnapshot, load_home
from bbs.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalise_language
from bbs.models import ColourMode, FrontEnd, Role
from bbs.posted_events import PostedEventFollower
from bbs.rooms import records as rooms
from bbs.services import Services
from bbs.texts.notices import install_default_texts

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

GUIDELINES_VERSION = 1


@dataclass(frozen=True)
class SignUpResult:
    """A new member and the recovery code to show them once."""

    member: MemberView
    recovery_code: str


class Community:
    """One BBS: its store, its secrets and its texts, shared by every session."""

    def __init__(self, services: Services) -> None:
        self._settings = services.settings
        self.store = services.store
        self.database = services.store.database
        self.moderation = services.moderation
        self.texts = services.texts
        self._hasher = services.hasher
        self.passwords = services.hasher.passwords
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
        self.posted = PostedEventFollower(self.store, self._publish_here)
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
        install_default_texts(self.settings.data_dir)
        self.database.migrate()
        # Nodes started together on one new database: one seeds, the others then find it done.
        # Rooms too: seeded on first visit, two visits at once on PostgreSQL could both
        # find none and both insert them.
        with self.database.one_at_a_time("seed"):
            self.boards.ensure_default_boards()
            self.resources.ensure_defaults()
            self.store.write_blocking(rooms.seed_default_rooms)

    async def _hash(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._hasher.run(fn, *args, **kwargs)

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

    def _publish_here(self, topic: str, event: Event) -> int:
        """Publish to this process's subscribers only (every node follows posted events)."""
        from bbs.events_postgres import PostgresEventBus

        if isinstance(self.events, PostgresEventBus):
            return self.events.publish_local(topic, event)
        return self.events.publish(topic, event)

    async def start_live(self) -> None:
        """Join the other nodes' live events (with [cluster]), and follow what `bbs admin`
        posts from a shell."""
        from bbs.events_postgres import PostgresEventBus

        if isinstance(self.events, PostgresEventBus):
            await self.events.start()
        await self.posted.start()

    async def stop_live(self) -> None:
        from bbs.events_postgres import PostgresEventBus

        await self.posted.stop()
        if isinstance(self.events, PostgresEventBus):
            await self.events.close()
        await self._singletons.close()

    def close(self) -> None:
        self.moderation.close()
        self.suggestions.close()
        self.store.close()
        self._hasher.close()

    # -- logging in -------------------------------------------------------------------
    async def authenticate_password(self, pseudonym: str, password: str) -> MemberView | None:
        """The member if the password is right; unknown names cost the same as known ones."""
        credentials = await self.read(lambda s: accounts.get_credentials(s, pseudonym))
        stored = credentials.password_hash if credentials else None
        ok = await self._hash(self.passwords.verify, stored, password)
        if not ok or credentials is None:
            return None
        return await self.read(lambda s: accounts.get_member_by_id(s, credentials.member_id))

    async def member_for_key(self, pseudonym: str, fingerprint: str) -> MemberView | None:
        return await self.read(lambda s: accounts.member_for_key(s, pseudonym, fingerprint))

    async def record_login(self, member_id: int, fingerprint: str | None) -> None:
        await self.write(lambda s: accounts.record_login(s, member_id, fingerprint))

    async def member(self, member_id: int) -> MemberView | None:
        return await self.read(lambda s: accounts.get_member_by_id(s, member_id))

    async def home(self, member: MemberView) -> HomeSnapshot:
        """The home screen's data, read in one transaction (raises StoreBusyError)."""
        return await self.read(
            lambda s: load_home(
                s,
                member_id=member.id,
                name=member.pseudonym,
                is_staff=member.is_staff,
                first_visit=member.last_login_at is None,
            )
        )

    # -- signing up -------------------------------------------------------------------
    async def check_pseudonym(self, raw: str) -> Pseudonym:
        """Validate a wished-for pseudonym; raises PseudonymError or AccountError kindly."""
        pseudonym = validate_pseudonym(raw)
        if await self.read(lambda s: accounts.pseudonym_taken(s, pseudonym)):
            raise AccountError("That name, or one that looks just like it, is taken. Try another.")
        return pseudonym

    async def sign_up(
        self,
        raw_pseudonym: str,
        password: str,
        repeated: str,
        *,
        key: PublicKeyInfo | None = None,
        role: Role = Role.MEMBER,
        source: str | None = None,
        language: str = DEFAULT_LANGUAGE,
    ) -> SignUpResult:
        """Create a member with an argon2id password and a one-time recovery code.

        `source` is the salted connection source; sign-ups from one are rate-limited.
        `language` is the one they chose first (one of bbs.i18n.LANGUAGES).
        """
        if source is not None and not await self.guard.signup_allowed(source):
            raise AccountError(
                "Several accounts were made from your connection in the last hour, which is "
                "our limit. Please try again later."
            )
        pseudonym = await self.check_pseudonym(raw_pseudonym)
        check_new_password(password, repeated)
        code = new_recovery_code()
        password_hash = await self._hash(self.passwords.hash, password)
        recovery_hash = await self._hash(self.passwords.hash, normalise_recovery_code(code))

        def create(session: Session) -> MemberView:
            member = accounts.create_member(
                session,
                pseudonym=pseudonym,
                password_hash=password_hash,
                recovery_hash=recovery_hash,
                role=role,
                key=key,
                language=normalise_language(language),
            )
            return member

        member = await self.write(create)
        if source is not None:
            await self.guard.record_signup(source)
        log.info("member signed up", extra={"member_id": member.id, "with_key": key is not None})
        # A session's member view carries the visit before this one: there is none yet.
        return SignUpResult(dataclasses.replace(member, last_login_at=None), code)

    async def reset_password(
        self,
        raw_pseudonym: str,
        recovery_code: str,
        password: str,
        repeated: str,
        *,
        source: str | None = None,
    ) -> SignUpResult:
        """Use a recovery code to set a new password; a fresh code replaces the used one.

        Wrong codes count as failed logins for the source, and slow it down the same way.
        """
        check_new_password(password, repeated)
        if source is not None:
            await asyncio.sleep(await self.guard.penalty(source))
        credentials = await self.read(lambda s: accounts.get_credentials(s, raw_pseudonym))
        stored = credentials.recovery_hash if credentials else None
        if (
            not await self._hash(
                self.passwords.verify, stored, normalise_recovery_code(recovery_code)
            )
            or credentials is None
        ):
            if source is not None:
                await self.guard.record_failure(source)
            raise AccountError("That name and recovery code do not match.")
        new_code = new_recovery_code()
        password_hash = await self._hash(self.passwords.hash, password)
        recovery_hash = await self._hash(self.passwords.hash, normalise_recovery_code(new_code))
        await self.write(
            lambda s: accounts.set_password(
                s,
                member_id=credentials.member_id,
                password_hash=password_hash,
                recovery_hash=recovery_hash,
            ),
        )
        member = await self.member(credentials.member_id)
        assert member is not None
        log.info("password reset with recovery code", extra={"member_id": member.id})
        return SignUpResult(member, new_code)

    # -- settings ---------------------------------------------------------------------
    async def update_display(
        self, member_id: int, *, colour_mode: ColourMode, mouse: bool
    ) -> MemberView:
        return await self.write(
            lambda s: accounts.update_display_settings(
                s, member_id, colour_mode=colour_mode, mouse=mouse
            ),
        )

    async def set_language(self, member_id: int, language: str) -> MemberView:
        """The language the member reads the board in, from now on (the profile's choice)."""
        if language not in LANGUAGES:
            raise AccountError("That language is not one we have.")
        return await self.write(lambda s: accounts.set_language(s, member_id, language))

    async def set_front_end(self, member_id: int, front_end: FrontEnd) -> MemberView:
        """Full screen or plain lines, from the member's next login (the profile's choice)."""
        return await self.write(lambda s: accounts.set_front_end(s, member_id, front_end))


__all__ = ["AccountError", "Community", "PasswordError", "SignUpResult"]

"""The async front door of the core: what SSH sessions and screens may ask of it.

Every call that touches the database or hashes a secret runs in a worker thread,
so one member's login or save never stalls the shared event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import ParamSpec, Protocol, TypeVar

from sqlmodel import Session

from bbs import accounts, rooms
from bbs.accounts import AccountError, MemberView, PublicKeyInfo
from bbs.board_service import BoardService
from bbs.cluster import Singletons
from bbs.config import Settings
from bbs.db import Database
from bbs.events import Event, EventBus, LocalEventBus, take_announcements
from bbs.home import HomeSnapshot, load_home
from bbs.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalise_language
from bbs.login_guard import LoginGuard
from bbs.models import ColourMode, FrontEnd, Role
from bbs.moderation_gate import ModerationGate
from bbs.moderation_policy import (
    POSTED_KEPT,
    ModerationThresholds,
    TextScorer,
    crisis_message,
    hold_message,
)
from bbs.notices import (
    WHAT_WE_STORE,
    install_default_texts,
    read_optional_text_file,
    read_text_file,
)
from bbs.passwords import (
    PasswordError,
    PasswordService,
    check_new_password,
    new_recovery_code,
    normalise_recovery_code,
)
from bbs.pseudonyms import Pseudonym, validate_pseudonym

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

GUIDELINES_VERSION = 1


class CrisisNote(Protocol):
    """Builds one language's crisis note: moderation_policy.crisis_message or
    companion.crisis_note."""

    def __call__(self, crisis_lines: str, kept: str = ..., *, lang: str = ...) -> str: ...


@dataclass(frozen=True)
class SignUpResult:
    """A new member and the recovery code to show them once."""

    member: MemberView
    recovery_code: str


class Community:
    """One BBS: its store, its secrets and its texts, shared by every session."""

    def __init__(
        self,
        settings: Settings,
        database: Database | None = None,
        *,
        scorer: TextScorer | None = None,
    ) -> None:
        self.settings = settings
        self.database = database or Database(settings.database_url)
        self.moderation = ModerationGate(
            scorer, ModerationThresholds.from_mapping(settings.moderation)
        )
        self.passwords = PasswordService(settings.argon2)
        self.guard = LoginGuard(settings.login)
        self._db_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="bbs-db")
        verifies = max(1, settings.login.max_concurrent_verifies)
        self._hash_pool = ThreadPoolExecutor(max_workers=verifies, thread_name_prefix="bbs-hash")
        self._verify_slots = asyncio.Semaphore(verifies)
        # Boards, threads, private messages and search: the front door for those screens.
        self.boards = BoardService(self)
        # Live rooms: the bus for everything live, and the rooms front door for screens.
        # Several nodes on one PostgreSQL ([cluster], or `bbs serve --workers`) share it
        # through PostgreSQL once `start_live()` has run; one process keeps it local.
        self.events: EventBus = LocalEventBus()
        cluster = None if settings.database_url.startswith("sqlite") else settings.cluster
        self._singletons = Singletons(settings.database_url if cluster is not None else None)
        if cluster is not None:
            from bbs.events_postgres import PostgresEventBus

            self.events = PostgresEventBus(
                settings.database_url, reconnect_max=cluster.listen_reconnect_max_seconds
            )
        # What `bbs admin` in a shell posts (a sanction, a banner) reaches this node's bus.
        from bbs.posted_events import PostedEventFollower

        self.posted = PostedEventFollower(self, self._publish_here)
        from bbs.room_service import RoomService

        self.rooms = RoomService(self)
        # Moderation work: review queue, sanctions, audit log, sysop settings.
        from bbs.admin_service import AdminService

        self.admin = AdminService(self)
        # Goals, check-ins, partners and the companion.
        from bbs.goal_service import GoalService

        self.goals = GoalService(self)
        # Personal suggestions and peer matching (opt-in); the server injects the engine.
        from bbs.suggestion_service import SuggestionService

        self.suggestions = SuggestionService(self)
        # Privacy: what we store, export, keys and passwords, sessions, deleting an account.
        from bbs.privacy_service import PrivacyService

        self.privacy = PrivacyService(self)
        # The resource library: coping strategies, favourites, sysop edits.
        from bbs.resource_service import ResourceService

        self.resources = ResourceService(self)

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
            self._write(rooms.seed_default_rooms)

    async def _db(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._db_pool, functools.partial(fn, *args, **kwargs))

    async def _hash(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        # Each argon2 call holds ~64 MiB: the semaphore bounds memory as well as CPU.
        async with self._verify_slots:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._hash_pool, functools.partial(fn, *args, **kwargs)
            )

    def _read(self, fn: Callable[[Session], T]) -> T:
        with self.database.read() as session:
            return fn(session)

    def _write(self, fn: Callable[[Session], T]) -> tuple[T, list[tuple[str, Event]]]:
        with self.database.write() as session:
            result = fn(session)
            announced = take_announcements(session)
        return result, announced

    async def read(self, fn: Callable[[Session], T]) -> T:
        """Run fn with a read session in a worker thread: the front door's services use it."""
        return await self._db(self._read, fn)

    async def write(self, fn: Callable[[Session], T]) -> T:
        """Run fn in one write transaction in a worker thread.

        What the transaction announced (`bbs.events.announce`) is published here, on the
        event loop, once it has committed.
        """
        result, announced = await self._db(self._write, fn)
        for topic, event in announced:
            self.events.publish(topic, event)
        return result

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
        self._db_pool.shutdown(wait=True)
        self._hash_pool.shutdown(wait=True)
        self.database.dispose()

    # -- texts ------------------------------------------------------------------------
    def _help_texts(self) -> dict[str, str]:
        # Blocking: every language's help, each falling back to the default (help.txt).
        default = read_text_file(self.settings.help_path, "help.txt")
        texts = {DEFAULT_LANGUAGE: default}
        for lang in LANGUAGES:
            if lang != DEFAULT_LANGUAGE:
                path = self.settings.help_path_for(lang)
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
        if trusted != self.moderation.trusted_text:
            self.moderation.set_trusted_text(trusted)
        return texts[normalise_language(lang)]

    async def member_language(self, member_id: int) -> str:
        """The language the member reads the board in (English for one who is gone)."""
        return await self.read(lambda s: accounts.member_language(s, member_id))

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

    async def guidelines_text(self) -> str:
        return await asyncio.to_thread(
            read_text_file, self.settings.guidelines_path, "guidelines.txt"
        )

    @staticmethod
    def what_we_store_text() -> str:
        return WHAT_WE_STORE

    # -- logging in -------------------------------------------------------------------
    async def authenticate_password(self, pseudonym: str, password: str) -> MemberView | None:
        """The member if the password is right; unknown names cost the same as known ones."""
        credentials = await self.read(
            lambda s: accounts.get_credentials(s, pseudonym)
        )
        stored = credentials.password_hash if credentials else None
        ok = await self._hash(self.passwords.verify, stored, password)
        if not ok or credentials is None:
            return None
        return await self.read(
            lambda s: accounts.get_member_by_id(s, credentials.member_id)
        )

    async def member_for_key(self, pseudonym: str, fingerprint: str) -> MemberView | None:
        return await self.read(
            lambda s: accounts.member_for_key(s, pseudonym, fingerprint)
        )

    async def record_login(self, member_id: int, fingerprint: str | None) -> None:
        await self.write(lambda s: accounts.record_login(s, member_id, fingerprint))

    async def member(self, member_id: int) -> MemberView | None:
        return await self.read(lambda s: accounts.get_member_by_id(s, member_id))

    async def home(self, member: MemberView) -> HomeSnapshot:
        """The home screen's data, read in one transaction (raises StoreBusyError)."""
        return await self.read(lambda s: load_home(
            s, member_id=member.id, name=member.pseudonym, is_staff=member.is_staff,
            first_visit=member.last_login_at is None))

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
        if source is not None and not self.guard.signup_allowed(source):
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
            self.guard.record_signup(source)
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
            await asyncio.sleep(self.guard.penalty(source))
        credentials = await self.read(
            lambda s: accounts.get_credentials(s, raw_pseudonym)
        )
        stored = credentials.recovery_hash if credentials else None
        if not await self._hash(
            self.passwords.verify, stored, normalise_recovery_code(recovery_code)
        ) or credentials is None:
            if source is not None:
                self.guard.record_failure(source)
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

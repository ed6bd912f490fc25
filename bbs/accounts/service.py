"""The accounts front door: logging in, signing up, recovery, and a member's own settings.

Every call that touches the database or hashes a secret runs in a worker thread, so one
member's login or save never stalls the shared event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bbs.accounts import members as accounts
from bbs.accounts.members import AccountError, MemberView, PublicKeyInfo
from bbs.accounts.passwords import check_new_password, new_recovery_code, normalise_recovery_code
from bbs.accounts.pseudonyms import Pseudonym, validate_pseudonym
from bbs.countries import is_country, normalise_country
from bbs.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalise_language, said
from bbs.models import FrontEnd, Role
from bbs.store import writes

if TYPE_CHECKING:
    from sqlmodel import Session

    from bbs.accounts.hashing import Hasher
    from bbs.accounts.login_guard import LoginGuard
    from bbs.store import Store

log = logging.getLogger(__name__)


def checked_country(country: str | None) -> str:
    """A member's country as stored: '' (not said) or a known ISO 3166-1 alpha-2 code in
    upper case (`bbs.texts.records.normalise_country`, then Babel's list of countries).

    Raises AccountError with a message the front ends say in the member's language."""
    try:
        code = normalise_country(country)
    except ValueError:
        raise AccountError(
            said("A country is given as its two-letter code, such as DE or BR, or left empty.")
        ) from None
    if code and not is_country(code):
        raise AccountError(said("We do not know the country {code}. Try another code.", code=code))
    return code


@dataclass(frozen=True)
class SignUpResult:
    """A new member and the recovery code to show them once."""

    member: MemberView
    recovery_code: str


class AccountService:
    """Members' accounts: who may log in, new members, recovery, display and language."""

    def __init__(self, *, store: Store, hasher: Hasher, guard: LoginGuard) -> None:
        self._store = store
        self._hasher = hasher
        self._passwords = hasher.passwords
        # Throttles sign-ups and failed recoveries per connection source.
        self._guard = guard

    # -- logging in -------------------------------------------------------------------
    async def authenticate_password(self, pseudonym: str, password: str) -> MemberView | None:
        """The member if the password is right; unknown names cost the same as known ones."""
        credentials = await self._store.read(lambda s: accounts.get_credentials(s, pseudonym))
        stored = credentials.password_hash if credentials else None
        ok = await self._hasher.run(self._passwords.verify, stored, password)
        if not ok or credentials is None:
            return None
        return await self._store.read(lambda s: accounts.get_member_by_id(s, credentials.member_id))

    async def member_for_key(self, pseudonym: str, fingerprint: str) -> MemberView | None:
        return await self._store.read(lambda s: accounts.member_for_key(s, pseudonym, fingerprint))

    async def record_login(self, member_id: int, fingerprint: str | None) -> None:
        await self._store.write(lambda s: accounts.record_login(s, member_id, fingerprint))

    async def member(self, member_id: int) -> MemberView | None:
        return await self._store.read(lambda s: accounts.get_member_by_id(s, member_id))

    # -- signing up -------------------------------------------------------------------
    async def check_pseudonym(self, raw: str) -> Pseudonym:
        """Validate a wished-for pseudonym; raises PseudonymError or AccountError kindly."""
        pseudonym = validate_pseudonym(raw)
        if await self._store.read(lambda s: accounts.pseudonym_taken(s, pseudonym)):
            raise AccountError(
                said("That name, or one that looks just like it, is taken. Try another.")
            )
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
        front_end: FrontEnd = FrontEnd.FULL,
        country: str = "",
    ) -> SignUpResult:
        """Create a member with an argon2id password and a one-time recovery code.

        `source` is the salted connection source; sign-ups from one are rate-limited.
        `language` is the one they chose first (one of bbs.i18n.LANGUAGES); `front_end`
        the one they signed up in, which their next logins open (line mode stays line
        mode for a screen reader's user); `country` the one they said, if any (checked as
        `set_country` checks it).
        """
        country = checked_country(country)
        if source is not None and not await self._guard.signup_allowed(source):
            raise AccountError(
                said(
                    "Several accounts were made from your connection in the last hour, which is "
                    "our limit. Please try again later."
                )
            )
        pseudonym = await self.check_pseudonym(raw_pseudonym)
        check_new_password(password, repeated)
        code = new_recovery_code()
        password_hash = await self._hasher.run(self._passwords.hash, password)
        recovery_hash = await self._hasher.run(self._passwords.hash, normalise_recovery_code(code))

        def create(session: Session) -> MemberView:
            return accounts.create_member(
                session,
                pseudonym=pseudonym,
                password_hash=password_hash,
                recovery_hash=recovery_hash,
                role=role,
                key=key,
                language=normalise_language(language),
                front_end=front_end,
                country=country,
            )

        member = await self._store.write(create)
        if source is not None:
            await self._guard.record_signup(source)
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
            await asyncio.sleep(await self._guard.penalty(source))
        credentials = await self._store.read(lambda s: accounts.get_credentials(s, raw_pseudonym))
        stored = credentials.recovery_hash if credentials else None
        if (
            not await self._hasher.run(
                self._passwords.verify, stored, normalise_recovery_code(recovery_code)
            )
            or credentials is None
        ):
            if source is not None:
                await self._guard.record_failure(source)
            raise AccountError(said("That name and recovery code do not match."))
        new_code = new_recovery_code()
        password_hash = await self._hasher.run(self._passwords.hash, password)
        recovery_hash = await self._hasher.run(
            self._passwords.hash, normalise_recovery_code(new_code)
        )
        await self._store.write(
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

    # -- a member's own settings ------------------------------------------------------
    update_display = writes(accounts.update_display_settings)

    async def set_language(self, member_id: int, language: str) -> MemberView:
        """The language the member reads the board in, from now on (the profile's choice)."""
        if language not in LANGUAGES:
            raise AccountError(said("That language is not one we have."))
        return await self._store.write(lambda s: accounts.set_language(s, member_id, language))

    async def set_country(self, member_id: int, country: str) -> MemberView:
        """The country the member says they are in (an ISO 3166 code such as DE or BR, any
        case), or '' to say none: the help shows that country's crisis lines where the
        sysop wrote them. Raises AccountError, said in the member's language."""
        code = checked_country(country)
        return await self._store.write(lambda s: accounts.set_country(s, member_id, code))

    async def set_front_end(self, member_id: int, front_end: FrontEnd) -> MemberView:
        """Full screen or plain lines, from the member's next login (the profile's choice)."""
        return await self._store.write(lambda s: accounts.set_front_end(s, member_id, front_end))
